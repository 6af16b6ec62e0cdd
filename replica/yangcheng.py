"""阳城县人民政府 (山西): TRS with list.shtml paging, a 2019-format table report, its 2021 successor, look-alikes."""

from __future__ import annotations

import datetime as dt
import json
import random
from functools import partial

from . import templates as T
from .fillers import YANGCHENG, blocks_with_year, filler_reports
from .news import news_items
from .reports import DATA, Block, Report, load_blocks
from .server import Context, Reply, html_reply
from .site import Site, assign_docids, trs_path
from .tables import figures_from_json, random_figures

PORTAL = T.Portal("阳城县人民政府", "www.yczf.gov.cn", "1405220001", "晋ICP备05003235号",
                  "晋公网安备 14052202000101号", "阳城县人民政府办公室", "山西省晋城市阳城县凤城镇东关",
                  "0356-4221234")
NAV = [("/", "首页"), ("/zfxxgk/", "政府信息公开"), ("/xwzx/", "新闻资讯"), ("/zwfw/", "政务服务"),
       ("/hdjl/", "互动交流"), ("/zjyc/", "走进阳城")]
COLUMN = "/zfxxgk/zfxxgknb/"
COLUMN_NAME = "政府信息公开年度报告"
PER_PAGE = 7


def henghe_reports() -> tuple[Report, Report]:
    """Seed 004 as published, and the next year's report written on the same template (the 2021 format)."""
    figures = figures_from_json(json.loads((DATA / "004_henghe_2020.json").read_text(encoding="utf-8")))
    blocks = load_blocks("004_henghe_2020.txt")
    r2020 = Report(title="横河镇人民政府2020年政府信息公开工作年度报告", agency="横河镇人民政府", year=2020,
                   published=dt.date(2021, 1, 20), source="阳城县横河镇", blocks=blocks, figures=figures)
    fig21 = random_figures(random.Random("henghe-2021"), 2021, 0.6)
    moved = []
    for block in blocks_with_year(blocks, 2020, 2021):
        text = block.text.replace("共接到依申请公开办件0件", f"共接到依申请公开办件{fig21.received}件")
        moved.append(Block(block.kind, text.replace("2019年", "2020年") if block.kind == "p" else text))
    r2021 = Report(title="横河镇人民政府2021年政府信息公开工作年度报告", agency="横河镇人民政府", year=2021,
                   published=dt.date(2022, 1, 18), source="阳城县横河镇", blocks=moved, figures=fig21)
    return r2020, r2021


def _website_report_html() -> str:
    """The 政府网站工作年度报表 (国办函〔2018〕12号 format): a key/value table, not a disclosure report."""
    rows = [("网站名称", "阳城县人民政府门户网站"), ("首页网址", "http://www.yczf.gov.cn"), ("主办单位", "阳城县人民政府办公室"),
            ("网站类型", "☑政府门户网站　□部门网站　□专项网站"), ("政府网站标识码", "1405220001"),
            ("ICP备案号", "晋ICP备05003235号"), ("公安机关备案号", "晋公网安备 14052202000101号"),
            ("独立用户访问总量（单位：个）", "356218"), ("网站总访问量（单位：次）", "1835442"),
            ("信息发布（单位：条）　总数", "4217"), ("概况类信息更新量", "35"), ("政务动态信息更新量", "2156"),
            ("信息公开目录信息更新量", "2026"), ("专栏专题（单位：个）　维护数量", "12"), ("新开设数量", "3"),
            ("解读回应　解读信息发布（单位：条）", "68"), ("回应公众关注热点或重大舆情（单位：次）", "9"),
            ("办事服务　是否发布服务事项目录", "☑是　□否"), ("注册用户数（单位：个）", "5823"),
            ("互动交流　收到留言数量（单位：条）", "412"), ("办结留言数量（单位：条）", "412"), ("平均办理时间（单位：天）", "3"),
            ("安全防护　安全检测评估次数（单位：次）", "12"), ("发现问题数量（单位：个）", "5"), ("问题整改数量（单位：个）", "5"),
            ("移动新媒体　微信（名称）", "阳城县人民政府"), ("创新发展", "☑搜索即服务　□多语言版本　☑无障碍浏览　□千人千网")]
    trs = "".join(f'<tr><td style="border:1px solid #000">{T.esc(k)}</td><td style="border:1px solid #000">{T.esc(v)}</td></tr>'
                  for k, v in rows)
    return (f'<p style="text-align:center"><strong>政府网站工作年度报表</strong></p><p style="text-align:center">（2020年度）</p>'
            f'<p>填报单位：阳城县人民政府办公室</p><table border="1" cellspacing="0" style="border-collapse:collapse">{trs}</table>'
            f'<p>单位负责人：李建军　审核人：张敏　填报人：王磊　联系电话：0356-4221234　填报日期：2021-01-15</p>')


def _tujie_html(original_path: str, figures) -> str:
    caps = ["一图读懂横河镇2020年政府信息公开工作年度报告", "一、总体情况：主动公开、依申请公开、政府信息管理、平台建设、监督保障",
            f"二、主动公开：其他对外管理服务事项处理决定{figures.table2['其他对外管理服务事项'][2]}件",
            f"三、依申请公开：本年新收申请{figures.received}件", f"四、行政复议、行政诉讼：{figures.reviews + figures.lawsuits}件"]
    imgs = "".join(f'<p style="text-align:center"><img src="./W0202101223847561234{k:02d}.jpg" alt="{T.esc(c)}" '
                   f'width="600"></p><p style="text-align:center">{T.esc(c)}</p>' for k, c in enumerate(caps))
    return imgs + f'<p>相关链接：<a href="{original_path}">横河镇人民政府2020年政府信息公开工作年度报告</a></p>'


class Yangcheng(Site):
    name = "yangcheng"
    title = PORTAL.name

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"yangcheng-{scale}")
        r2020, r2021 = henghe_reports()
        fillers = filler_reports(f"yangcheng-fillers-{scale}", YANGCHENG, 6 + 6 * (scale - 1), range(2019, 2024),
                                 taken={("横河镇人民政府", 2020), ("横河镇人民政府", 2021)})
        looks = [
            Report("阳城县2020年法治政府建设年度报告", None, None, dt.date(2021, 3, 29), "阳城县司法局",
                   load_blocks("fazhi_yangcheng_2020.txt"), kind="lookalike"),
            Report("阳城县人民政府2020年政府网站工作年度报表", None, None, dt.date(2021, 1, 15), "阳城县人民政府办公室",
                   [Block("p", "政府网站工作年度报表")], kind="lookalike", extra={"body_html": _website_report_html()}),
            Report("图解：横河镇2020年政府信息公开工作年度报告", None, None, dt.date(2021, 1, 22), "阳城县横河镇",
                   [Block("p", "一图读懂横河镇2020年政府信息公开工作年度报告")], kind="lookalike"),
            Report("阳城县2021年政务公开工作要点", None, None, dt.date(2021, 6, 11), "阳城县人民政府办公室",
                   load_blocks("yaodian_yangcheng_2021.txt"), kind="lookalike"),
            Report("阳城县政府信息公开指南", None, None, dt.date(2020, 11, 5), "阳城县人民政府办公室",
                   load_blocks("guide.txt", GOV="阳城县人民政府", ADDR=PORTAL.address), kind="lookalike"),
        ]
        news = news_items("yangcheng-news", "阳城县", PORTAL.name)
        items = [r2020, r2021, *fillers, *looks]
        assign_docids([*items, *news], rng, 9870000)
        items.sort(key=lambda r: (r.published, r.docid), reverse=True)
        paths = {id(r): trs_path(COLUMN, r, "shtml") for r in items}
        looks[2].extra["body_html"] = _tujie_html(paths[id(r2020)], r2020.figures)
        self.header = T.trs_header(PORTAL, NAV, "/was5/web/search")

        crumbs = [("/", "首页"), ("/zfxxgk/", "政府信息公开"), (COLUMN + "list.shtml", COLUMN_NAME)]
        for k, report in enumerate(items):
            prev = items[k - 1] if k > 0 else None
            nxt = items[k + 1] if k + 1 < len(items) else None
            path = paths[id(report)]
            self.route(path, partial(self.article, report, crumbs, prev and (paths[id(prev)], prev.title),
                                     nxt and (paths[id(nxt)], nxt.title), path))
            if report.is_report:
                self.add_report(report, [path])
            else:
                self.add_lookalike(report, path)

        pages = T.paginate([(f"./{paths[id(r)][len(COLUMN):]}", r.title, r.published) for r in items], PER_PAGE)
        for i, rows in enumerate(pages):
            self.route(COLUMN + T.page_name("list", "shtml", i),
                       partial(self.listing, crumbs, COLUMN_NAME, rows, T.create_page_html(len(pages), i, "list", "shtml")))

        news_rows = []
        for report in news:
            path = trs_path("/xwzx/bmdt/", report, "shtml")
            news_rows.append((path, report.title, report.published))
            self.route(path, partial(self.article, report, [("/", "首页"), ("/xwzx/", "新闻资讯")], None, None, path))
        self.news_rows = news_rows
        self.route("/xwzx/", partial(self.listing, [("/", "首页"), ("/xwzx/", "新闻资讯")], "部门动态", news_rows, ""))
        self.route("/", self.home)
        self.route("/index.shtml", self.home)
        self.route("/zfxxgk/", self.hub)
        self.guide_path = paths[id(looks[4])]
        for path, title in (("/zfxxgk/xxgkzd/", "政府信息公开制度"), ("/zfxxgk/fdzdgknr/", "法定主动公开内容")):
            self.route(path, partial(lambda t, ctx: html_reply(T.stub_page(PORTAL, t, self.header)), title))
        self.route("/js/page.js", lambda ctx: Reply(200, T.PAGE_JS.encode(), "application/javascript"))
        self.route("/robots.txt", lambda ctx: Reply(200, b"User-agent: *\nAllow: /\n", "text/plain"))
        for path, title in (("/zwfw/", "政务服务"), ("/hdjl/", "互动交流"), ("/zjyc/", "走进阳城"), ("/wzdt/", "网站地图"),
                            ("/lxwm/", "联系我们"), ("/mzsm/", "免责声明"), ("/user/login.jsp", "用户登录"),
                            ("/user/register.jsp", "用户注册")):
            self.route(path, partial(lambda t, ctx: html_reply(T.stub_page(PORTAL, t, self.header)), title))

    def article(self, report, crumbs, prev, nxt, path, ctx: Context) -> Reply:
        infobox = (f'<table class="xxgk-info"><tr><td>索引号：</td><td>14052200/{report.published:%Y}-{report.docid % 100000:05d}</td>'
                   f'<td>主题分类：</td><td>政务公开</td></tr><tr><td>发布机构：</td><td>{T.esc(report.source)}</td>'
                   f'<td>生成日期：</td><td>{report.published:%Y-%m-%d}</td></tr></table>')
        return html_reply(T.trs_article(PORTAL, report, header=self.header, crumbs=crumbs, column=COLUMN_NAME,
                                        url=f"http://{PORTAL.domain}{path}", hits=ctx.hit(), prev=prev, nxt=nxt,
                                        links=[("/zfxxgk/", "政府信息公开")], date_label="发布时间", infobox=infobox))

    def listing(self, crumbs, column, rows, pager, ctx: Context) -> Reply:
        return html_reply(T.trs_list(PORTAL, header=self.header, crumbs=crumbs, column=column, rows=rows, pager=pager))

    def hub(self, ctx: Context) -> Reply:
        links = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in (
            (self.guide_path, "政府信息公开指南"), ("/zfxxgk/xxgkzd/", "政府信息公开制度"),
            ("/zfxxgk/fdzdgknr/", "法定主动公开内容"), (COLUMN + "list.shtml", COLUMN_NAME)))
        body = f"""{T.top_bar(PORTAL)}
{self.header}
<div class="w1200 main"><div class="position">当前位置：<a href="/" class="CurrChnlCls">首页</a> &gt; 政府信息公开</div>
<ul class="gk-menu">{links}</ul></div>
{T.footer(PORTAL)}"""
        return html_reply(T.page(f"政府信息公开_{PORTAL.name}", "", body))

    def home(self, ctx: Context) -> Reply:
        body = f"""{T.top_bar(PORTAL)}
{self.header}
<div class="w1200 main"><div class="news"><div class="tit">部门动态</div><ul>{T.news_list_html(self.news_rows)}</ul></div>
<div class="gk-entry"><a href="/zfxxgk/">政府信息公开</a></div></div>
{T.footer(PORTAL)}"""
        return html_reply(T.page(PORTAL.name, f'<meta name="SiteName" content="{PORTAL.name}">', body))
