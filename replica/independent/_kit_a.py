"""Shared pieces of the hanweb_jsinit, vue_loading_shell, meta_root_hubs and fragment_lists sites: the look-alikes
every report column of theirs carries (工作要点, 编制通知, 指南, 统计公报), split of filler reports by agency, and
the footer lines a Chinese government portal prints."""

from __future__ import annotations

import datetime as dt
import html

from ..fillers import County, filler_reports
from ..reports import Report, load_blocks, parse_blocks
from ..tables import blank_figures


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def cut(title: str, width: int) -> str:
    return title if len(title) <= width else title[:width - 1] + "…"


def lookalikes(county: County, address: str, year: int = 2022) -> list[Report]:
    """Non-reports that real 年报 columns list beside the reports, dated so they interleave with them."""
    gov, region = county.government, county.region
    out = [
        Report(f"{region}{year}年政务公开工作要点", None, None, dt.date(year, 5, 16), f"{gov}办公室",
               load_blocks("yaodian_template.txt", GOV=gov, REGION=region, YEAR=str(year), NEXT=str(year + 1),
                           MONTH="5", DAY="12"), kind="lookalike"),
        Report(f"关于做好{year}年政府信息公开工作年度报告编制发布工作的通知", None, None, dt.date(year + 1, 1, 6),
               f"{gov}办公室",
               load_blocks("notice_bianzhi_template.txt", REGION=region, YEAR=str(year), NEXT=str(year + 1),
                           DAY="5", CONTACT=county.contacts[0], PHONE=f"{county.area_code}-6123456"),
               kind="lookalike"),
        Report(f"{gov}信息公开指南", None, None, dt.date(2020, 3, 2), f"{gov}办公室",
               load_blocks("guide.txt", GOV=gov, ADDR=address), kind="lookalike"),
        Report("国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知",
               None, None, dt.date(2021, 9, 26), "国务院办公厅", load_blocks("notice_format_2021.txt"),
               figures=blank_figures(2021), kind="lookalike"),
        Report(f"{region}{year - 1}年国民经济和社会发展统计公报", None, None, dt.date(year, 4, 20), f"{region}统计局",
               parse_blocks(f"{year - 1}年，面对复杂严峻的外部环境，全{region[-1]}上下坚持稳中求进工作总基调，经济运行总体平稳。\n"
                            f"一、综合\n初步核算，全年地区生产总值比上年增长5.6%。其中，第一产业增加值增长4.1%，第二产业增加值增长6.3%，"
                            f"第三产业增加值增长5.2%。\n二、农业\n全年粮食种植面积保持稳定，粮食总产量比上年增长1.8%。\n"
                            f"注：本公报中部分数据为初步统计数，各项统计数据均未包括驻地部队数据。"),
               kind="lookalike"),
    ]
    return out


def town_and_dept_reports(seed: str, county: County, towns: int, depts: int, years: range) -> tuple[list, list]:
    """Filler reports of the government and its towns, and of its departments, as two lists (newest first)."""
    town_county = County(county.region, county.government, county.towns, (), county.postcode, county.area_code,
                         county.website, county.contacts)
    dept_county = County(county.region, county.government, (), county.departments, county.postcode,
                         county.area_code, county.website, county.contacts)
    first = filler_reports(f"{seed}-towns", town_county, towns, years)
    taken = {(county.government, y) for y in years}
    second = filler_reports(f"{seed}-depts", dept_county, depts, years, taken=taken)
    return first, second


def gov_footer(name: str, host_org: str, site_code: str, icp: str, police: str, address: str, phone: str) -> str:
    return f"""<div class="footer">
<div class="foot-links"><a href="/wzdt.html">网站地图</a> | <a href="/lxwm.html">联系我们</a> | <a href="/mzsm.html">免责声明</a></div>
<p>主办单位：{esc(host_org)}　　承办：{esc(name)}信息中心</p>
<p>地址：{esc(address)}　　联系电话：{esc(phone)}</p>
<p>网站标识码：{site_code}　　<a href="https://beian.miit.gov.cn" target="_blank">{esc(icp)}</a>　　
<a href="http://www.beian.gov.cn/portal/registerSystemInfo" target="_blank"><img src="/images/ga.png" alt="">{esc(police)}</a></p>
<script type="text/javascript">document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E"));</script>
<script id="_jiucuo_" sitecode="{site_code}" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>
</div>"""
