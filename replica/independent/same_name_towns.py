"""三门峡市 (河南) and two of its counties, 卢氏县 and 渑池县: towns of the same name in different counties.

Three sites, three CMS families:

- ``same_name_towns_lushi`` — 卢氏县人民政府 on VSB/博达 (shared/reference/portals.md §3 "VSB / 博达": list
  ``info/<col>/<id>.htm``, body ``div#vsb_content > div.v_news_content``, counts
  ``<script>_showDynClicks("wbnews", <owner>, <id>)</script>``).  Its list pages are numbered backwards, as public
  crawlers of VSB sites record (search-index files 55387671416 and 67561749576, found with find_string
  ``class="p_no_d">1</span>``: "页码编号是倒序的：第 N 页 (N>=2) 的路径为
  ``tztg/{232-N}.htm``", pager ``span.p_pages`` / ``span.p_no`` / ``span.p_next`` and ``<span class="p_t">共31页</span>``).
- ``same_name_towns_mianchi`` — 渑池县人民政府 on EmpireCMS (portals.md §3 "Other counter idioms: EmpireCMS
  ``/e/public/ViewClick/?classid=…&id=…&addclick=1``"): list ``index.html``, ``index_2.html`` …, pager opening
  ``<a title="Total record">&nbsp;<b>N</b> </a>``, articles ``/<classpath>/<yyyy-mm-dd>/<id>.html``.  Its GBK edition:
  pages declare ``charset=gb2312`` in a meta tag only (the HTTP header says ``text/html``) and are GBK bytes
  (portals.md §4).
- ``same_name_towns`` — 三门峡市人民政府 on a 开普云/UCAP template like www.gov.cn's (portals.md §3: body
  ``#UCAP-CONTENT``, ``…/YYYYMM/content_NNN.htm``, byline ``div.pages-date`` + ``<span class="font">来源：…</span>``)
  with the customised pager call of portals.md §1.1: ``createPageHTML('page_div', count, cur, 'home', 'htm', sum)``
  (1-based current page; page 1 ``home.htm``, page n ``home_<n-1>.htm``; ``sum`` = records).

Both counties have a 城关镇 and a 新华乡 (common names in China).  Their reports of one year come from the city's
template: nearly identical text, different figures; each names its agency in full in the text (卢氏县城关镇人民政府)
while most titles say only 城关镇.  Each of the four towns publishes 2019–2023 (consecutive years; 2019/2021
formats).  The city's 政府信息公开年报 column reposts 卢氏县城关镇's 2022 report, marked 【转载】 in the byline
and with a 来源 line opening the body, same figures: one report with two URLs.

Truth: every distinct report is its own entry, ``agency`` the full name the text states; the repost's entry has
``repost_of`` = [``same_name_towns_lushi``, path of the original].  Extra key ``title_agency``: the agency as the
title names it (城关镇 for a bare title).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from dataclasses import replace
from functools import partial

from ..fillers import County, filler_reports
from ..reports import Block, Report, body_html, parse_blocks
from ..server import Context, Reply, html_reply
from ..site import Site, assign_docids
from ..tables import format_of, random_figures
from ._pieces_b import esc, format_notice, lookalikes, statutory_footer

CITY, CITY_GOV = "三门峡市", "三门峡市人民政府"
SAME_NAMES = ("城关镇", "新华乡")
YEARS = range(2019, 2024)
LUSHI = County(
    "卢氏县", "卢氏县人民政府",
    ("东明镇", "五里川镇", "官道口镇", "朱阳关镇", "杜关镇", "范里镇", "官坡镇", "双龙湾镇", "横涧乡", "潘河乡",
     "汤河乡", "瓦窑沟乡", "狮子坪乡", "沙河乡", "徐家湾乡", "木桐乡", "双槐树乡"),
    ("发展和改革委员会", "教育体育局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局",
     "交通运输局", "水利局", "农业农村局", "卫生健康委员会", "应急管理局", "市场监督管理局", "统计局", "林业局"),
    "472200", "0398", "http://www.lushi.gov.cn")
MIANCHI = County(
    "渑池县", "渑池县人民政府",
    ("英豪镇", "张村镇", "洪阳镇", "天池镇", "仰韶镇", "仁村乡", "果园乡", "陈村乡", "坡头乡", "段村乡"),
    ("发展和改革委员会", "教育体育局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局",
     "交通运输局", "水利局", "农业农村局", "卫生健康委员会", "应急管理局", "市场监督管理局", "统计局", "审计局"),
    "472400", "0398", "http://www.mianchi.gov.cn")
CITY_COUNTY = County(
    CITY, CITY_GOV, (),
    ("发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局",
     "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局",
     "商务局", "文化广电和旅游局", "卫生健康委员会", "应急管理局", "审计局", "市场监督管理局", "统计局"),
    "472000", "0398", "http://www.smx.gov.cn")
ROADS = {("卢氏县", "城关镇"): "莘川大道中段", ("卢氏县", "新华乡"): "新华街1号",
         ("渑池县", "城关镇"): "韶州路中段", ("渑池县", "新华乡"): "新华路8号"}

# the city's template of a year: the same sentences in every town's report, only names and numbers change
_GENERAL = (
    "{y}年，{we}在县委、县政府的坚强领导下，认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于政务公开工作的"
    "部署要求，坚持以公开为常态、不公开为例外，持续深化政务公开，政府信息公开工作取得新成效。",
    "{y}年，{we}紧紧围绕全县中心工作，以群众需求为导向，进一步规范政府信息公开内容和程序，推动政务公开工作走深走实。",
)
_ACTIVE = (
    "全年通过{county}人民政府门户网站乡镇信息公开专栏主动公开政府信息{n}条，其中工作动态{c}条，通知公告{a}条，"
    "政策文件{b}条。",
    "{y}年，{we}依托县政府门户网站主动公开政府信息{n}条，通过乡镇政务公开栏公开信息{c}条，"
    "及时公开了财政预决算、惠民惠农补贴等重点领域信息。",
)
_MANAGE = (
    "严格落实政府信息公开保密审查制度，坚持“先审后发”，全年未发生泄密和不当公开事件。",
    "健全信息发布审核机制，明确分管领导和专人负责，确保公开信息准确、及时、规范。",
)
_PLATFORM = (
    "充分发挥县政府门户网站乡镇专栏的第一平台作用，同时利用村务公开栏、微信工作群等渠道扩大公开覆盖面。",
    "规范乡镇政务公开专栏栏目设置，及时更新维护，推动政务公开向村（社区）延伸。",
)
_PROBLEMS = (
    "{we}政府信息公开工作仍存在公开内容不够全面、政策解读形式单一、工作人员业务能力有待提高等问题。{ny}年，{we}将加强"
    "业务培训，丰富公开形式，进一步提升政府信息公开工作质量。",
    "存在的主要问题：部分栏目更新不够及时，依申请公开办理规范化水平有待提升。改进措施：{ny}年，{we}将明确专人负责栏目"
    "维护，加强对依申请公开办理的学习培训。",
)


def town_report(county: County, town: str, year: int) -> tuple[Report, str]:
    """A town's report of `year` on the city's template; returns it and the agency as its title names it."""
    full = f"{county.region}{town}人民政府"
    we = "我镇" if town.endswith("镇") else "我乡"
    own = random.Random(f"same-name-{county.region}-{town}-{year}")      # this town's numbers
    template = random.Random(f"smx-template-{year}")                    # the city's sentences of the year
    fig = random_figures(own, format_of(year), busy=0.6)
    published = dt.date(year + 1, 1, 8) + dt.timedelta(days=own.randint(0, 45))
    style = own.choices((0, 1, 2), weights=(5, 3, 1))[0]
    title, named = [
        (f"{town}{year}年政府信息公开工作年度报告", town),
        (f"{town}人民政府{year}年度政府信息公开工作年度报告", f"{town}人民政府"),
        (f"{full}{year}年政府信息公开工作年度报告", full),
    ][style]
    f = dict(y=year, ny=year + 1, we=we, county=county.region, n=own.randint(40, 400), a=own.randint(5, 40),
             b=own.randint(0, 12), c=own.randint(20, 200))
    signed = published - dt.timedelta(days=own.randint(0, 5))
    lines = [
        f"本报告根据《中华人民共和国政府信息公开条例》和{CITY}人民政府办公室关于做好{year}年度政府信息公开工作年度报告"
        f"编制发布工作的要求，由{full}编制。",
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，请与{full}党政综合办公室联系"
        f"（地址：{county.region}{town}{ROADS[(county.region, town)]}；邮编：{county.postcode}；"
        f"电话：{county.area_code}-{own.randint(7000000, 7999999)}）。",
        "一、总体情况", template.choice(_GENERAL),
        "（一）主动公开", template.choice(_ACTIVE),
        "（二）依申请公开",
        f"{year}年，{we}共收到政府信息公开申请{fig.received}件，结转下年度继续办理{fig.carried_forward}件，"
        "均在法定期限内予以答复。",
        "（三）政府信息管理", template.choice(_MANAGE),
        "（四）政府信息公开平台建设", template.choice(_PLATFORM),
        "二、主动公开政府信息情况", "[[table2]]",
        "三、收到和处理政府信息公开申请情况", "[[table3]]",
        "四、政府信息公开行政复议、行政诉讼情况", "[[table4]]",
        "五、存在的主要问题及改进情况", template.choice(_PROBLEMS),
        "六、其他需要报告的事项", f"{year}年，{we}未收取信息处理费。",
        f">> {full}", f">> {signed.year}年{signed.month}月{signed.day}日",
    ]
    report = Report(title=title, agency=full, year=year, published=published, source=full, figures=fig,
                    blocks=parse_blocks("\n".join(lines).format(**f)))
    return report, named


@functools.lru_cache(maxsize=8)
def county_items(region: str, scale: int) -> tuple[tuple[Report, ...], dict[int, str]]:
    """A county's report column: the same-name towns' reports of YEARS, fillers, look-alikes (newest first),
    and the title agency of each same-name report (by id)."""
    county = {"卢氏县": LUSHI, "渑池县": MIANCHI}[region]
    named: dict[int, str] = {}
    towns = []
    for town in SAME_NAMES:
        for year in YEARS:
            report, title_agency = town_report(county, town, year)
            towns.append(report)
            named[id(report)] = title_agency
    fillers = filler_reports(f"same-name-{region}-{scale}", county, 7 + 8 * (scale - 1), range(2012, 2024))
    fakes = lookalikes(region, county.government, f"{county.government}办公室", random.Random(f"same-name-{region}"))
    items = [*towns, *fillers, *fakes[:2]]
    assign_docids(items, random.Random(f"same-name-ids-{region}"), 1200 if region == "卢氏县" else 300)
    items.sort(key=lambda r: (r.published, r.docid), reverse=True)
    return tuple(items), named


def _original(scale: int) -> tuple[Report, str]:
    """The report the city reposts: 卢氏县城关镇's 2022 report, and its path on the 卢氏县 site at this scale."""
    items, _ = county_items("卢氏县", scale)
    report = next(r for r in items if r.agency == "卢氏县城关镇人民政府" and r.year == 2022)
    return report, Lushi.article_path(report)


class _County(Site):
    region = ""
    column = ""

    def __init__(self, scale: int = 1):
        super().__init__()
        self.items, self.named = county_items(self.region, scale)
        for report in self.items:
            path = self.article_path(report)
            self.route(path, partial(self.article, report))
            if report.is_report:
                self.add_report(report, [path])
                self.truth[-1]["title_agency"] = self.named.get(id(report), report.agency)
            else:
                self.add_lookalike(report, path)

    @staticmethod
    def article_path(report: Report) -> str:
        raise NotImplementedError

    def article(self, report: Report, ctx: Context) -> Reply:
        raise NotImplementedError


class Lushi(_County):
    """卢氏县人民政府 on VSB: /xxgk/zfxxgknb.htm, then /xxgk/zfxxgknb/<T-k+1>.htm; articles /info/1012/<id>.htm."""

    name = "same_name_towns_lushi"
    title = "卢氏县人民政府"
    region = "卢氏县"
    column = "/xxgk/zfxxgknb.htm"
    OWNER = 1768654345
    PER_PAGE = 10

    def __init__(self, scale: int = 1):
        super().__init__(scale)
        rows = list(self.items)
        pages = [rows[i:i + self.PER_PAGE] for i in range(0, len(rows), self.PER_PAGE)] or [[]]
        total = len(pages)
        for k, chunk in enumerate(pages, start=1):
            path = self.column if k == 1 else f"/xxgk/zfxxgknb/{total - k + 1}.htm"
            self.route(path, partial(self.list_page, chunk, k, total))
        self.add_column(self.column, reports=sum(r.is_report for r in rows), stated=None, needs="static",
                        note="VSB: page k>=2 is zfxxgknb/<pages-k+1>.htm (numbered backwards); prints 共P页 only")
        self.route("/", self.home)
        self.route("/index.htm", self.home)
        self.route("/xxgk.htm", self.hub)
        self.route("/system/resource/code/news/click/dynclicks.jsp",
                   lambda ctx: Reply(200, str(ctx.hit()).encode(), "text/html; charset=utf-8"))
        for path, title in (("/zwdt.htm", "政务动态"), ("/bsfw.htm", "办事服务"), ("/hdjl.htm", "互动交流"),
                            ("/xxgk/xxgkzn.htm", "政府信息公开指南"), ("/xxgk/xxgkzd.htm", "政府信息公开制度")):
            self.route(path, partial(self.stub, title))

    @staticmethod
    def article_path(report: Report) -> str:
        return f"/info/1012/{report.docid}.htm"

    def _shell(self, title: str, crumbs: str, content: str) -> str:
        return f"""<!DOCTYPE html><HTML><HEAD><TITLE>{esc(title)}</TITLE>
<META Name="keywords" Content="卢氏县人民政府,{esc(title)}" />
<META content="text/html; charset=UTF-8" http-equiv="Content-Type">
<link rel="stylesheet" href="/style/style.css" type="text/css">
<script language="javascript" src="/system/resource/js/dynclicks.js"></script>
<script language="javascript" src="/system/resource/js/ajax.js"></script>
</HEAD><BODY>
<div class="top"><div class="wrap"><a href="/index.htm"><img src="/images/logo.png" alt="卢氏县人民政府"></a>
<div class="topr"><a href="javascript:;" id="wza">无障碍</a> <a href="/system/login.jsp">登录</a></div></div></div>
<div class="nav"><ul class="wrap"><li><a href="/index.htm">首页</a></li><li><a href="/zwdt.htm">政务动态</a></li>
<li><a href="/xxgk.htm">信息公开</a></li><li><a href="/bsfw.htm">办事服务</a></li><li><a href="/hdjl.htm">互动交流</a></li></ul></div>
<div class="wrap dqwz">当前位置：{crumbs}</div>
{content}
{statutory_footer(host_org="卢氏县人民政府办公室", site_code="4112240001", icp="豫ICP备10009527号",
                  police="豫公网安备 41122402000001号", address="河南省三门峡市卢氏县莘川大道", phone="0398-7822001")}
</BODY></HTML>"""

    _CRUMBS = ('<a href="/index.htm">首页</a> &gt;&gt; <a href="/xxgk.htm">信息公开</a> &gt;&gt; '
               '<a href="/xxgk/zfxxgknb.htm">政府信息公开年报</a>')

    def article(self, report: Report, ctx: Context) -> Reply:
        did = report.docid
        content = f"""<div class="wrap content"><form name="_newscontent_fromname">
<div class="nr_tit"><h1>{esc(report.title)}</h1></div>
<div class="nr_info">发布时间：{report.published:%Y-%m-%d}&nbsp;&nbsp;&nbsp;信息来源：{esc(report.source)}&nbsp;&nbsp;&nbsp;点击数:
<script>_showDynClicks("wbnews", {self.OWNER}, {did})</script></div>
<div id="vsb_content_2"><div class="v_news_content">
{body_html(report, "old")}
</div></div>
<div class="nr_fx"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</form></div>"""
        return html_reply(self._shell(f"{report.title}-卢氏县人民政府", self._CRUMBS + " &gt;&gt; 正文", content))

    def list_page(self, chunk: list[Report], k: int, total: int, ctx: Context) -> Reply:
        up = "../" if k == 1 else "../../"
        lis = "\n".join(f'<li id="line_u8_{i}"><span>{r.published:%Y-%m-%d}</span>'
                        f'<a href="{up}info/1012/{r.docid}.htm" target="_blank" title="{esc(r.title)}">{esc(r.title)}</a></li>'
                        for i, r in enumerate(chunk))

        def href(n: int) -> str:
            # relative to this page: the first page is /xxgk/zfxxgknb.htm, the rest /xxgk/zfxxgknb/<m>.htm
            if n == 1:
                return "zfxxgknb.htm" if k == 1 else "../zfxxgknb.htm"
            return f"zfxxgknb/{total - n + 1}.htm" if k == 1 else f"{total - n + 1}.htm"
        spans = []
        if total > 1:
            spans.append('<span class="p_first_d p_fun_d">首页</span><span class="p_prev_d p_fun_d">上页</span>' if k == 1
                         else f'<span class="p_first p_fun"><a href="{href(1)}">首页</a></span>'
                              f'<span class="p_prev p_fun"><a href="{href(k - 1)}">上页</a></span>')
            for n in range(1, total + 1):
                spans.append(f'<span class="p_no_d">{n}</span>' if n == k
                             else f'<span class="p_no"><a href="{href(n)}">{n}</a></span>')
            spans.append(f'<span class="p_next p_fun"><a href="{href(k + 1)}">下页</a></span>'
                         f'<span class="p_last p_fun"><a href="{href(total)}">尾页</a></span>' if k < total
                         else '<span class="p_next_d p_fun_d">下页</span><span class="p_last_d p_fun_d">尾页</span>')
        pager = (f'<div class="pb_sys_common pb_sys_normal pb_sys_style2"><span class="p_pages">{"".join(spans)}</span>'
                 f' <span class="p_t">共{total}页</span></div>' if total > 1 else "")
        content = f"""<div class="wrap list"><div class="list_left"><h3>信息公开</h3><ul>
<li><a href="/xxgk/xxgkzn.htm">政府信息公开指南</a></li><li><a href="/xxgk/xxgkzd.htm">政府信息公开制度</a></li>
<li class="on"><a href="/xxgk/zfxxgknb.htm">政府信息公开年报</a></li></ul></div>
<div class="list_right"><div class="list_tit">政府信息公开年报</div><ul class="list_ul">{lis}</ul>{pager}</div></div>"""
        return html_reply(self._shell("政府信息公开年报-卢氏县人民政府", self._CRUMBS, content))

    def home(self, ctx: Context) -> Reply:
        content = ('<div class="wrap index"><div class="news"><h3><a href="zwdt.htm">政务动态</a></h3><ul>'
                   '<li><a href="zwdt.htm">卢氏县召开2024年重点项目建设推进会</a></li></ul></div>'
                   '<div class="xxgk_rk"><a href="xxgk.htm">政府信息公开</a></div></div>')
        return html_reply(self._shell("卢氏县人民政府", '<a href="/index.htm">首页</a>', content))

    def hub(self, ctx: Context) -> Reply:
        content = ('<div class="wrap list"><ul class="xxgk_ul"><li><a href="xxgk/xxgkzn.htm">政府信息公开指南</a></li>'
                   '<li><a href="xxgk/xxgkzd.htm">政府信息公开制度</a></li>'
                   '<li><a href="xxgk/zfxxgknb.htm">政府信息公开年报</a></li></ul></div>')
        return html_reply(self._shell("信息公开-卢氏县人民政府",
                                      '<a href="/index.htm">首页</a> &gt;&gt; <a href="/xxgk.htm">信息公开</a>', content))

    def stub(self, title: str, ctx: Context) -> Reply:
        return html_reply(self._shell(f"{title}-卢氏县人民政府", '<a href="/index.htm">首页</a>',
                                      f'<div class="wrap list"><div class="list_tit">{title}</div><p>暂无内容</p></div>'))


class Mianchi(_County):
    """渑池县人民政府 on EmpireCMS: /zwgk/zfxxgknb/index.html, index_2.html …; articles /zwgk/zfxxgknb/<date>/<id>.html."""

    name = "same_name_towns_mianchi"
    title = "渑池县人民政府"
    region = "渑池县"
    encoding = "gbk"
    column = "/zwgk/zfxxgknb/"
    CLASSID = 37
    PER_PAGE = 12

    def __init__(self, scale: int = 1):
        super().__init__(scale)
        rows = list(self.items)
        pages = [rows[i:i + self.PER_PAGE] for i in range(0, len(rows), self.PER_PAGE)] or [[]]
        for k, chunk in enumerate(pages, start=1):
            page = partial(self.list_page, chunk, k, len(pages), len(rows))
            for path in ([self.column, self.column + "index.html"] if k == 1 else [f"{self.column}index_{k}.html"]):
                self.route(path, page)
        self.add_column(self.column, reports=sum(r.is_report for r in rows), stated=len(rows), needs="static",
                        note='EmpireCMS: index_<n>.html, <a title="Total record"><b>N</b></a>')
        for path in ("/", "/index.html"):
            self.route(path, self.home)
        for path in ("/zwgk/", "/zwgk/index.html"):
            self.route(path, self.hub)
        self.route("/e/public/ViewClick/", lambda ctx: Reply(200, f"document.write('{ctx.hit()}');".encode(),
                                                              "application/javascript"))
        for path, title in (("/xwzx/", "新闻中心"), ("/bsfw/", "办事服务"), ("/hdjl/", "互动交流"),
                            ("/zwgk/xxgkzn/", "政府信息公开指南"), ("/zwgk/xxgkzd/", "政府信息公开制度")):
            self.route(path, partial(self.stub, title))

    @staticmethod
    def article_path(report: Report) -> str:
        return f"/zwgk/zfxxgknb/{report.published:%Y-%m-%d}/{report.docid}.html"

    def _reply(self, page: str) -> Reply:
        # the GBK edition of EmpireCMS: the charset is in the page's meta only (gb2312 declared, GBK bytes)
        return html_reply(page, encoding="gbk", content_type="text/html")

    def _shell(self, title: str, crumbs: str, content: str) -> str:
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{esc(title)}</title>
<meta name="keywords" content="渑池县人民政府" /><meta name="description" content="渑池县人民政府门户网站" />
<link href="/skin/default/css/style.css" rel="stylesheet" type="text/css" />
</head><body>
<div class="head"><div class="w980"><a href="/"><img src="/skin/default/images/logo.jpg" alt="渑池县人民政府" /></a>
<form name="searchform" method="post" action="/e/search/index.php"><input name="keyboard" type="text" /><input type="submit" value="搜索" /></form></div></div>
<div class="menu w980"><a href="/">网站首页</a><a href="/xwzx/">新闻中心</a><a href="/zwgk/">政务公开</a><a href="/bsfw/">办事服务</a><a href="/hdjl/">互动交流</a></div>
<div class="w980 position">当前位置：{crumbs}</div>
{content}
{statutory_footer(host_org="渑池县人民政府办公室", site_code="4112210001", icp="豫ICP备09021718号",
                  police="豫公网安备 41122102000011号", address="河南省三门峡市渑池县韶州路", phone="0398-4812001")}
</body></html>"""

    _CRUMBS = '<a href="/">首页</a>&nbsp;&gt;&nbsp;<a href="/zwgk/">政务公开</a>&nbsp;&gt;&nbsp;<a href="/zwgk/zfxxgknb/">政府信息公开年报</a>'

    def article(self, report: Report, ctx: Context) -> Reply:
        content = f"""<div class="w980 show"><h1 class="show_title">{esc(report.title)}</h1>
<div class="show_info">时间：{report.published:%Y-%m-%d}　来源：{esc(report.source)}　点击：<script src="/e/public/ViewClick/?classid={self.CLASSID}&id={report.docid}&addclick=1"></script>次</div>
<div class="show_text" id="text">
{body_html(report, "hanweb")}
</div>
<div class="show_tool"><a href="javascript:window.print()">打印本文</a> <a href="javascript:window.close()">关闭窗口</a></div></div>"""
        return self._reply(self._shell(f"{report.title}_渑池县人民政府", self._CRUMBS, content))

    def list_page(self, chunk: list[Report], k: int, total: int, records: int, ctx: Context) -> Reply:
        lis = "\n".join(f'<li><span>{r.published:%Y-%m-%d}</span><a href="{self.article_path(r)}" target="_blank" '
                        f'title="{esc(r.title)}">{esc(r.title)}</a></li>' for r in chunk)

        def href(n: int) -> str:
            return f"{self.column}index.html" if n == 1 else f"{self.column}index_{n}.html"
        parts = [f'<a title="Total record">&nbsp;<b>{records}</b> </a>&nbsp;&nbsp;']
        if k > 1:
            parts.append(f'<a href="{href(1)}">首页</a>&nbsp;<a href="{href(k - 1)}">上一页</a>&nbsp;')
        for n in range(1, total + 1):
            parts.append(f"<b>{n}</b>&nbsp;" if n == k else f'<a href="{href(n)}">{n}</a>&nbsp;')
        if k < total:
            parts.append(f'<a href="{href(k + 1)}">下一页</a>&nbsp;<a href="{href(total)}">尾页</a>')
        content = f"""<div class="w980 list"><div class="list_l"><h3>政务公开</h3><ul>
<li><a href="/zwgk/xxgkzn/">政府信息公开指南</a></li><li><a href="/zwgk/xxgkzd/">政府信息公开制度</a></li>
<li><a href="/zwgk/zfxxgknb/">政府信息公开年报</a></li></ul></div>
<div class="list_r"><div class="list_title">政府信息公开年报</div><ul class="list_news">{lis}</ul>
<div class="list_page">{"".join(parts)}</div></div></div>"""
        return self._reply(self._shell("政府信息公开年报_渑池县人民政府", self._CRUMBS, content))

    def home(self, ctx: Context) -> Reply:
        content = ('<div class="w980 index"><div class="xw"><h3><a href="/xwzx/">新闻中心</a></h3><ul>'
                   '<li><a href="/xwzx/">渑池县召开2024年乡村振兴工作会议</a></li></ul></div>'
                   '<div class="zwgk_rk"><a href="/zwgk/">政务公开</a></div></div>')
        return self._reply(self._shell("渑池县人民政府", '<a href="/">首页</a>', content))

    def hub(self, ctx: Context) -> Reply:
        content = ('<div class="w980 list"><ul class="zwgk"><li><a href="/zwgk/xxgkzn/">政府信息公开指南</a></li>'
                   '<li><a href="/zwgk/xxgkzd/">政府信息公开制度</a></li>'
                   '<li><a href="/zwgk/zfxxgknb/">政府信息公开年报</a></li></ul></div>')
        return self._reply(self._shell("政务公开_渑池县人民政府",
                                      '<a href="/">首页</a>&nbsp;&gt;&nbsp;<a href="/zwgk/">政务公开</a>', content))

    def stub(self, title: str, ctx: Context) -> Reply:
        return self._reply(self._shell(f"{title}_渑池县人民政府", '<a href="/">首页</a>',
                                      f'<div class="w980 list"><div class="list_title">{title}</div><p>暂无信息</p></div>'))


CITY_PAGE_JS = """/* 列表分页：createPageHTML(容器id, 总页数, 当前页(从1开始), 文件名, 扩展名, 总条数) */
function createPageHTML(_divName, _nPageCount, _nCurrIndex, _sPageName, _sPageExt, _nPageSum){
  var el = document.getElementById(_divName);
  if(!el || _nPageCount <= 1){ return; }
  function url(i){ return i == 1 ? _sPageName + "." + _sPageExt : _sPageName + "_" + (i - 1) + "." + _sPageExt; }
  var s = "<span>共" + _nPageSum + "条</span> ";
  s += _nCurrIndex == 1 ? "<span>首页</span> <span>上一页</span> "
                        : "<a href='" + url(1) + "'>首页</a> <a href='" + url(_nCurrIndex - 1) + "'>上一页</a> ";
  for(var i = 1; i <= _nPageCount; i++){
    s += i == _nCurrIndex ? "<span class='on'>" + i + "</span> " : "<a href='" + url(i) + "'>" + i + "</a> ";
  }
  s += _nCurrIndex == _nPageCount ? "<span>下一页</span> <span>尾页</span>"
                                  : "<a href='" + url(_nCurrIndex + 1) + "'>下一页</a> <a href='" + url(_nPageCount) + "'>尾页</a>";
  el.innerHTML = s;
}
"""


class SameNameTowns(Site):
    """三门峡市人民政府 (UCAP): /zwgk/zfxxgknb/home.htm, home_1.htm …; articles /zwgk/zfxxgknb/<YYYYMM>/content_<id>.htm."""

    name = "same_name_towns"
    title = CITY_GOV
    COLUMN = "/zwgk/zfxxgknb/"
    PER_PAGE = 10

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"smx-{scale}")
        original, self.original_path = _original(scale)
        repost = replace(original, blocks=[Block("p", "来源：卢氏县人民政府网站"), *original.blocks],
                         source="卢氏县人民政府", published=original.published + dt.timedelta(days=3),
                         extra={"repost": True})
        city = filler_reports(f"smx-fillers-{scale}", CITY_COUNTY, 12 + 10 * (scale - 1), range(2010, 2024))
        fakes = lookalikes(CITY, CITY_GOV, f"{CITY_GOV}办公室", random.Random("smx-lookalikes"))
        items = [*city, repost, fakes[0], fakes[1], format_notice()]
        assign_docids(items, rng, 6925000)
        items.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.items = items
        for report in items:
            path = self.article_path(report)
            self.route(path, partial(self.article, report))
            if report is repost:
                self.add_report(report, [path], repost_of=("same_name_towns_lushi", self.original_path))
                self.truth[-1]["title_agency"] = county_items("卢氏县", scale)[1][id(original)]
            elif report.is_report:
                self.add_report(report, [path])
                self.truth[-1]["title_agency"] = report.agency
            else:
                self.add_lookalike(report, path)
        pages = [items[i:i + self.PER_PAGE] for i in range(0, len(items), self.PER_PAGE)]
        for k, chunk in enumerate(pages, start=1):
            page = partial(self.list_page, chunk, k, len(pages), len(items))
            for path in ([self.COLUMN, self.COLUMN + "home.htm"] if k == 1 else [f"{self.COLUMN}home_{k - 1}.htm"]):
                self.route(path, page)
        self.add_column(self.COLUMN + "home.htm", reports=sum(r.is_report for r in items), stated=len(items), needs="static",
                        note="UCAP: createPageHTML('page_div', pages, cur (1-based), 'home', 'htm', records)")
        self.route("/js/createPageHTML.js", lambda ctx: Reply(200, CITY_PAGE_JS.encode(),
                                                               "application/javascript; charset=utf-8"))
        for path in ("/", "/index.htm"):
            self.route(path, self.home)
        for path in ("/zwgk/", "/zwgk/index.htm"):
            self.route(path, self.hub)
        for path, title in (("/xwzx/", "新闻中心"), ("/zwfw/", "政务服务"), ("/hdjl/", "互动交流"),
                            ("/zwgk/xxgkzn/", "政府信息公开指南"), ("/zwgk/xxgkzd/", "政府信息公开制度")):
            self.route(path, partial(self.stub, title))

    @staticmethod
    def article_path(report: Report) -> str:
        return f"/zwgk/zfxxgknb/{report.published:%Y%m}/content_{report.docid}.htm"

    def _shell(self, title: str, crumbs: str, content: str, head: str = "") -> str:
        return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{esc(title)}</title>
<meta name="SiteName" content="{CITY_GOV}"><meta name="SiteDomain" content="www.smx.gov.cn"><meta name="SiteIDCode" content="4112000015">
{head}
<link rel="stylesheet" href="/css/common.css"><script src="/js/jquery-1.12.4.min.js"></script>
<script src="/js/createPageHTML.js"></script>
</head><body>
<div class="header"><div class="w1200"><a href="/"><img src="/images/logo.png" alt="{CITY_GOV}"></a>
<div class="search"><form action="https://zs.kaipuyun.cn/search4/s" target="_blank"><input type="hidden" name="siteCode" value="4112000015">
<input name="searchWord"><button>搜索</button></form></div></div></div>
<div class="nav"><ul class="w1200"><li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="w1200 BreadcrumbNav">当前位置：{crumbs}</div>
{content}
{statutory_footer(host_org="三门峡市人民政府办公室", site_code="4112000015", icp="豫ICP备05009563号",
                  police="豫公网安备 41120202000104号", address="河南省三门峡市崤山路中段", phone="0398-2822001")}
</body></html>"""

    _CRUMBS = '<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zfxxgknb/home.htm">政府信息公开年报</a>'

    def article(self, report: Report, ctx: Context) -> Reply:
        if report.extra.get("repost"):
            source = (f'<span class="font">来源：<a href="{ctx.url("same_name_towns_lushi", self.original_path)}" '
                      f'target="_blank">卢氏县人民政府</a>【转载】</span>')
        else:
            source = f'<span class="font">来源：{esc(report.source)}</span>'
        head = (f'<meta name="ArticleTitle" content="{esc(report.title)}">\n'
                f'<meta name="PubDate" content="{report.published:%Y-%m-%d} 17:{report.docid % 60:02d}">\n'
                f'<meta name="ContentSource" content="{esc(report.source)}">')
        content = f"""<div class="w1200 article"><div class="article oneColumn pub_border">
<h1>{esc(report.title)}</h1>
<div class="pages-date">{report.published:%Y-%m-%d} 17:{report.docid % 60:02d} {source}
<span class="font index_switchsize">字号：<span>默认</span> <span>大</span> <span>超大</span></span></div>
<div class="pages_content" id="UCAP-CONTENT">
{body_html(report, "trs")}
</div>
<div class="pages_print"><a href="javascript:window.print()">打印</a> <a href="javascript:window.close()">关闭</a></div>
</div></div>"""
        return html_reply(self._shell(f"{report.title}_{CITY_GOV}", self._CRUMBS, content, head))

    def list_page(self, chunk: list[Report], k: int, total: int, records: int, ctx: Context) -> Reply:
        lis = "\n".join(f'<li><a href="./{self.article_path(r)[len(self.COLUMN):]}" target="_blank" '
                        f'title="{esc(r.title)}">{esc(r.title)}</a><span class="date">{r.published:%Y-%m-%d}</span></li>'
                        for r in chunk)
        content = f"""<div class="w1200 list"><div class="list_left"><h3>政务公开</h3><ul>
<li><a href="/zwgk/xxgkzn/">政府信息公开指南</a></li><li><a href="/zwgk/xxgkzd/">政府信息公开制度</a></li>
<li class="on"><a href="/zwgk/zfxxgknb/home.htm">政府信息公开年报</a></li></ul></div>
<div class="list_right"><div class="list_tit">政府信息公开年报</div><ul class="listTxt">{lis}</ul>
<div class="page" id="page_div"></div>
<script type="text/javascript">createPageHTML('page_div', {total}, {k}, 'home', 'htm', {records});</script></div></div>"""
        return html_reply(self._shell(f"政府信息公开年报_{CITY_GOV}", self._CRUMBS, content))

    def home(self, ctx: Context) -> Reply:
        counties = (f'<a href="{ctx.url("same_name_towns_lushi", "/")}" target="_blank">卢氏县</a> '
                    f'<a href="{ctx.url("same_name_towns_mianchi", "/")}" target="_blank">渑池县</a>')
        content = (f'<div class="w1200 index"><div class="news"><h3><a href="/xwzx/">新闻中心</a></h3><ul>'
                   f'<li><a href="/xwzx/">三门峡市召开2024年一季度经济运行分析会</a></li></ul></div>'
                   f'<div class="zwgk"><a href="/zwgk/">政务公开</a></div>'
                   f'<div class="xq">县（市、区）政府：{counties}</div></div>')
        return html_reply(self._shell(CITY_GOV, '<a href="/">首页</a>', content))

    def hub(self, ctx: Context) -> Reply:
        content = ('<div class="w1200 list"><ul class="zwgk_nav"><li><a href="/zwgk/xxgkzn/">政府信息公开指南</a></li>'
                   '<li><a href="/zwgk/xxgkzd/">政府信息公开制度</a></li>'
                   '<li><a href="/zwgk/zfxxgknb/home.htm">政府信息公开年报</a></li></ul></div>')
        return html_reply(self._shell(f"政务公开_{CITY_GOV}", '<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>',
                                      content))

    def stub(self, title: str, ctx: Context) -> Reply:
        return html_reply(self._shell(f"{title}_{CITY_GOV}", '<a href="/">首页</a>',
                                      f'<div class="w1200 list"><div class="list_tit">{title}</div><p>暂无信息</p></div>'))
