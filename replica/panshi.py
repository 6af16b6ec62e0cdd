"""磐石市人民政府 (吉林): a TRS WCM portal, createPageHTML paging, a live view counter, a TRS 引用 duplicate."""

from __future__ import annotations

import datetime as dt
import random
from functools import partial

from . import templates as T
from .fillers import PANSHI, filler_reports
from .news import news_items
from .reports import Report, load_blocks
from .server import Context, Reply, html_reply
from .site import Site, assign_docids, trs_path
from .tables import blank_figures

PORTAL = T.Portal("磐石市人民政府", "www.panshi.gov.cn", "2202840001", "吉ICP备05002023号",
                  "吉公网安备 22028402000101号", "磐石市人民政府办公室", "吉林省磐石市东宁街道通衢路1号",
                  "0432-65222163")
NAV = [("/", "首页"), ("/zwgk/", "政务公开"), ("/xwzx/zwdt/", "新闻中心"), ("http://zwfw.jl.gov.cn/", "政务服务"),
       ("/hdjl/", "互动交流"), ("/zjps/", "走进磐石")]
COLUMN = "/zwgk/zfxxgknb/"
SUBCOLUMN = COLUMN + "2018nb/"
PER_PAGE = 6


def seed_report() -> Report:
    return Report(title="松山镇2018年政府信息公开工作年度报告", agency="松山镇人民政府", year=2018,
                  published=dt.date(2019, 2, 27), source="松山镇人民政府", blocks=load_blocks("000_songshan_2018.txt"))


def lookalikes() -> list[Report]:
    notice = Report(title="国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知",
                    agency=None, year=None, published=dt.date(2021, 10, 8), source="中国政府网",
                    blocks=load_blocks("notice_format_2021.txt"), figures=blank_figures(2021), kind="lookalike")
    local = Report(title="关于做好2020年政府信息公开工作年度报告编制发布工作的通知", agency=None, year=None,
                   published=dt.date(2020, 12, 18), source="磐石市政务公开领导小组办公室",
                   blocks=load_blocks("notice_panshi_2020.txt"), kind="lookalike")
    return [notice, local]


class Panshi(Site):
    name = "panshi"
    title = PORTAL.name

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"panshi-{scale}")
        seed = seed_report()
        fillers = filler_reports(f"panshi-fillers-{scale}", PANSHI, 14 + 18 * (scale - 1), range(2010, 2024),
                                 taken={("松山镇人民政府", 2018)})
        notices = lookalikes()
        items = sorted([seed, *fillers, *notices], key=lambda r: (r.published, r.docid, r.title), reverse=True)
        guide = Report(title="磐石市人民政府信息公开指南", agency=None, year=None, published=dt.date(2019, 5, 15),
                       source="磐石市人民政府办公室", kind="lookalike",
                       blocks=load_blocks("guide.txt", GOV="磐石市人民政府", ADDR=PORTAL.address))
        rules = Report(title="磐石市政府信息公开工作年度报告制度", agency=None, year=None, published=dt.date(2019, 6, 3),
                       source="磐石市人民政府办公室", blocks=load_blocks("rules_panshi.txt"), kind="lookalike")
        news = news_items("panshi-news", "磐石市", PORTAL.name)
        assign_docids([*items, guide, rules, *news], rng, 3150000)
        items.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.header = T.trs_header(PORTAL, NAV)

        paths = {id(r): trs_path(COLUMN, r) for r in items}
        self.songshan_path = paths[id(seed)]
        in_sub = [r for r in items if r.year == 2018]
        for k, report in enumerate(items):
            prev = items[k - 1] if k > 0 else None
            nxt = items[k + 1] if k + 1 < len(items) else None
            neighbours = [(paths[id(r)], r.title) for r in (prev, nxt) if r is not None]
            article = partial(self.article, report, [("/", "首页"), ("/zwgk/", "政务公开"), (COLUMN, "政府信息公开年报")],
                              "政府信息公开年报", prev and (paths[id(prev)], prev.title),
                              nxt and (paths[id(nxt)], nxt.title), neighbours)
            all_paths = [paths[id(report)]]
            if report.year == 2018:
                # TRS 引用: the same document published again in the per-year sub-column
                all_paths.append(trs_path(SUBCOLUMN, report))
            for path in all_paths:
                self.route(path, partial(article, path))
            if report.is_report:
                self.add_report(report, all_paths)
            else:
                self.add_lookalike(report, all_paths[0])

        pages = T.paginate([(f"./{paths[id(r)][len(COLUMN):]}", r.title, r.published) for r in items], PER_PAGE)
        side = (f'<div class="sub-col"><h3>按年度浏览</h3><ul><li><a href="{SUBCOLUMN}">2018年度</a></li></ul></div>'
                f'<ul class="side"><li><a href="/zwgk/xxgkzn/">政府信息公开指南</a></li>'
                f'<li><a href="/zwgk/xxgkzd/">政府信息公开制度</a></li><li><a href="/zwgk/fdzdgknr/">法定主动公开内容</a></li>'
                f'<li><a href="{COLUMN}" class="on">政府信息公开年报</a></li></ul>')
        for i, rows in enumerate(pages):
            page = partial(self.listing, [("/", "首页"), ("/zwgk/", "政务公开"), (COLUMN, "政府信息公开年报")],
                           "政府信息公开年报", rows, T.create_page_html(len(pages), i, "index", "html"), side)
            self.route(COLUMN + T.page_name("index", "html", i), page)
        self.route(COLUMN, self.routes[COLUMN + "index.html"])
        sub_rows = [(f"./{trs_path(SUBCOLUMN, r)[len(SUBCOLUMN):]}", r.title, r.published) for r in in_sub]
        sub = partial(self.listing, [("/", "首页"), ("/zwgk/", "政务公开"), (COLUMN, "政府信息公开年报"),
                                     (SUBCOLUMN, "2018年度")], "2018年度", sub_rows, "", side)
        self.route(SUBCOLUMN, sub)
        self.route(SUBCOLUMN + "index.html", sub)

        for column, report in (("/zwgk/xxgkzn/", guide), ("/zwgk/xxgkzd/", rules)):
            path = trs_path(column, report)
            self.route(path, partial(self.article, report, [("/", "首页"), ("/zwgk/", "政务公开"), (column, report.title)],
                                     "政务公开", None, None, [], path))
            listing = partial(self.listing, [("/", "首页"), ("/zwgk/", "政务公开")], report.title,
                              [(f"./{path[len(column):]}", report.title, report.published)], "", "")
            self.route(column, listing)
            self.route(column + "index.html", listing)
            self.add_lookalike(report, path, in_report_column=False)

        news_rows = []
        for report in news:
            path = trs_path("/xwzx/zwdt/", report)
            news_rows.append((path, report.title, report.published))
            self.route(path, partial(self.article, report, [("/", "首页"), ("/xwzx/zwdt/", "政务动态")], "政务动态",
                                     None, None, [], path))
        self.news_rows = news_rows
        news_list = partial(self.listing, [("/", "首页"), ("/xwzx/zwdt/", "政务动态")], "政务动态", news_rows, "", "")
        self.route("/xwzx/zwdt/", news_list)
        self.route("/xwzx/zwdt/index.html", news_list)
        self.route("/zwgk/fdzdgknr/", news_list)
        self.route("/", self.home)
        self.route("/index.html", self.home)
        self.route("/zwgk/", self.hub)
        self.route("/zwgk/index.html", self.hub)
        self.route("/robots.txt", lambda ctx: Reply(200, b"User-agent: *\nDisallow: /search/\n", "text/plain"))
        self.route("/js/page.js", lambda ctx: Reply(200, T.PAGE_JS.encode(), "application/javascript"))
        self.route("/search/search.jsp", lambda ctx: html_reply(T.stub_page(PORTAL, "站内搜索", self.header)))
        for path, title in (("/hdjl/", "互动交流"), ("/zjps/", "走进磐石"), ("/wzdt/", "网站地图"), ("/lxwm/", "联系我们"),
                            ("/mzsm/", "免责声明"), ("/user/login.jsp", "用户登录"), ("/user/register.jsp", "用户注册")):
            self.route(path, partial(lambda t, ctx: html_reply(T.stub_page(PORTAL, t, self.header)), title))

    def article(self, report, crumbs, column, prev, nxt, links, path, ctx: Context) -> Reply:
        return html_reply(T.trs_article(PORTAL, report, header=self.header, crumbs=crumbs, column=column,
                                        url=f"http://{PORTAL.domain}{path}", hits=ctx.hit(), prev=prev, nxt=nxt,
                                        links=links + [("/zwgk/xxgkzn/", "政府信息公开指南")]))

    def listing(self, crumbs, column, rows, pager, side, ctx: Context) -> Reply:
        return html_reply(T.trs_list(PORTAL, header=self.header, crumbs=crumbs, column=column, rows=rows,
                                     pager=pager, side=side))

    def hub(self, ctx: Context) -> Reply:
        blocks = "".join(f'<div class="gk-item"><a href="{h}"><img src="/images/gk_{k}.png" alt="">'
                         f'<span>{t}</span></a></div>' for k, (h, t) in enumerate((
                             ("/zwgk/xxgkzn/", "政府信息公开指南"), ("/zwgk/xxgkzd/", "政府信息公开制度"),
                             ("/zwgk/fdzdgknr/", "法定主动公开内容"), (COLUMN, "政府信息公开年报"))))
        body = f"""{T.top_bar(PORTAL)}
{self.header}
<div class="w1200 main"><div class="position">当前位置：<a href="/" class="CurrChnlCls">首页</a> &gt; <a href="/zwgk/" class="CurrChnlCls">政务公开</a></div>
<div class="gk-title">政府信息公开</div><div class="gk-grid">{blocks}</div>
<div class="gk-bm"><h3>部门信息公开</h3><p>市政府各部门、各乡镇信息公开内容请通过上述栏目查询。</p></div></div>
{T.footer(PORTAL)}"""
        return html_reply(T.page(f"政府信息公开_{PORTAL.name}", '<meta name="ColumnName" content="政府信息公开">', body))

    def home(self, ctx: Context) -> Reply:
        friends = (f'<div class="friend-links">友情链接：<a href="http://www.gov.cn/" target="_blank">中国政府网</a> '
                   f'<a href="http://www.jl.gov.cn/" target="_blank">吉林省人民政府</a> '
                   f'<a href="{ctx.url("jilin", "/")}" target="_blank">吉林市政务公开网</a> '
                   f'<a href="{ctx.url("tongyu", "/")}" target="_blank">通榆县人民政府</a></div>')
        body = f"""{T.top_bar(PORTAL)}
{self.header}
<div class="w1200 main">
  <div class="banner"><img src="/images/W020240301512345678901.jpg" alt="魅力磐石"></div>
  <div class="news"><div class="tit"><a href="/xwzx/zwdt/">政务动态</a><a class="more" href="/xwzx/zwdt/">更多&gt;&gt;</a></div>
  <ul>{T.news_list_html(self.news_rows)}</ul></div>
  <div class="gk-entry"><a href="/zwgk/">政府信息公开</a><a href="{COLUMN}">政府信息公开年报</a></div>
</div>
{T.footer(PORTAL, friends)}"""
        return html_reply(T.page(PORTAL.name, f'<meta name="SiteName" content="{PORTAL.name}">', body))
