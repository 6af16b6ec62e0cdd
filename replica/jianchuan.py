"""剑川县人民政府 (云南): an older TRS template, per-year sub-columns, the inline countPage pager, .shtml."""

from __future__ import annotations

import datetime as dt
import random
from functools import partial

from . import templates as T
from .fillers import JIANCHUAN, filler_reports
from .reports import Report, load_blocks
from .server import Context, Reply, html_reply
from .site import Site, assign_docids, trs_path

PORTAL = T.Portal("剑川县人民政府", "www.jianchuan.gov.cn", "5329310001", "滇ICP备05000526号",
                  "滇公网安备 53293102000101号", "剑川县人民政府办公室", "云南省大理州剑川县金华镇", "0872-4521234")
COLUMN = "/xxgk/ndbg/"
YEARS = (2019, 2020)
PER_PAGE = 2


def seed_report() -> Report:
    return Report(title="社溪镇政府2019年度信息公开年度报告", agency="社溪镇人民政府", year=2019,
                  published=dt.date(2020, 1, 16), source="剑川县社溪镇人民政府", blocks=load_blocks("003_shexi_2019.txt"),
                  title_lines=("社溪镇政府2019年度信息公开年度", "报  告"))


def _frame(title: str, head: str, crumbs: str, content: str) -> str:
    """The old template: fixed-width layout tables, a left menu, a tiled header image."""
    body = f"""<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="top">
<tr><td height="28" align="right" bgcolor="#f2f2f2"><a href="javascript:void(0)">无障碍</a> | <a href="javascript:void(0)">长者版</a> |
<a href="/member/login.shtml">登录</a> | <a href="/member/reg.shtml">注册</a></td></tr>
<tr><td height="150" background="/images/top_bg.jpg"><img src="/images/logo.png" alt="剑川县人民政府"></td></tr>
<tr><td height="38" bgcolor="#0b5da8" class="nav"><a href="/">首页</a> <a href="/xxgk/">信息公开</a> <a href="/zwdt/">政务动态</a>
<a href="/bsfw/">办事服务</a> <a href="/hdjl/">互动交流</a> <a href="/mljc/">魅力剑川</a></td></tr></table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="32" class="position">您现在的位置：{crumbs}</td></tr></table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr>
<td width="220" valign="top" class="left"><table width="100%"><tr><td class="lm">信息公开</td></tr>
<tr><td><a href="/xxgk/xxgkzn/">信息公开指南</a></td></tr><tr><td><a href="/xxgk/xxgkml/">信息公开目录</a></td></tr>
<tr><td><a href="{COLUMN}">信息公开年度报告</a></td></tr></table></td>
<td width="15"></td>
<td valign="top">{content}</td></tr></table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="bottom"><tr><td align="center">
{T.footer(PORTAL)}</td></tr></table>"""
    return T.page(title, head, body, lang_meta='<meta http-equiv="Content-Type" content="text/html; charset=utf-8">')


class Jianchuan(Site):
    name = "jianchuan"
    title = PORTAL.name

    def __init__(self, scale: int = 1):
        super().__init__()
        rng = random.Random(f"jianchuan-{scale}")
        seed = seed_report()
        by_year = {y: filler_reports(f"jianchuan-{y}-{scale}", JIANCHUAN, 3 + 3 * (scale - 1), range(y, y + 1))
                   for y in YEARS}
        by_year[2019].append(seed)
        assign_docids([r for rs in by_year.values() for r in rs], rng, 1180000)
        year_links = "".join(f'<tr><td height="30"><a href="./{y}n/">{y}年</a></td></tr>' for y in YEARS)
        for year, reports in by_year.items():
            reports.sort(key=lambda r: (r.published, r.docid), reverse=True)
            column = f"{COLUMN}{year}n/"
            for k, report in enumerate(reports):
                path = trs_path(column, report, "shtml")
                nxt = reports[k + 1] if k + 1 < len(reports) else None
                self.route(path, partial(self.article, report, year, path,
                                         nxt and (trs_path(column, nxt, "shtml"), nxt.title)))
                self.add_report(report, [path])
            pages = T.paginate(reports, PER_PAGE)
            for i, rows in enumerate(pages):
                listing = partial(self.listing, year, rows, T.inline_pager(len(pages), i, "index", "shtml"))
                self.route(column + T.page_name("index", "shtml", i), listing)
                if i == 0:
                    self.route(column, listing)
        years = partial(self.years, year_links)
        self.route(COLUMN, years)
        self.route(COLUMN + "index.shtml", years)
        self.route("/", self.home)
        self.route("/index.shtml", self.home)
        self.route("/xxgk/", self.home)
        for path in ("/xxgk/xxgkzn/", "/xxgk/xxgkml/", "/zwdt/", "/bsfw/", "/hdjl/", "/mljc/", "/member/login.shtml",
                     "/member/reg.shtml", "/wzdt/", "/lxwm/", "/mzsm/"):
            self.route(path, self.stub)

    def _crumbs(self, year: int | None) -> str:
        crumbs = '<a href="/" class="CurrChnlCls">首页</a> &gt; <a href="/xxgk/" class="CurrChnlCls">信息公开</a> &gt; ' \
                 f'<a href="{COLUMN}" class="CurrChnlCls">信息公开年度报告</a>'
        return crumbs + (f' &gt; <a href="{COLUMN}{year}n/" class="CurrChnlCls">{year}年</a>' if year else "")

    def article(self, report: Report, year: int, path: str, nxt, ctx: Context) -> Reply:
        heading = "<br>".join(T.esc(t) for t in report.title_lines) if report.title_lines else T.esc(report.title)
        content = f"""<table width="100%" border="0" cellpadding="0" cellspacing="0">
<tr><td align="center" class="title" style="font-size:22px;font-weight:bold;padding:20px 0">{heading}</td></tr>
<tr><td align="center" class="info" style="border-bottom:1px dashed #ccc">发布日期：{report.published:%Y-%m-%d}&nbsp;&nbsp;&nbsp;
来源：{T.esc(report.source)}&nbsp;&nbsp;&nbsp;点击数：<span id="hits">{ctx.hit()}</span>&nbsp;&nbsp;&nbsp;
【<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a>】</td></tr>
<tr><td class="content" id="zoom"><div class="TRS_Editor">{T.TRS_EDITOR_STYLE}
{T.body_html(report, "trs_word")}
</div></td></tr>
<tr><td align="right">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
<tr><td>{T.prev_next(None, nxt)}</td></tr></table>"""
        head = T.trs_meta(PORTAL, f"{year}年", report, f"http://{PORTAL.domain}{path}")
        return html_reply(_frame(f"{report.title}-{PORTAL.name}", head, self._crumbs(year), content))

    def listing(self, year: int, rows: list[Report], pager: str, ctx: Context) -> Reply:
        trs = "\n".join(f'<tr><td height="28" class="dot"><a href="./{trs_path("", r, "shtml")}" target="_blank" '
                        f'title="{T.esc(r.title)}">{T.esc(T.truncate(r.title, 30))}</a></td>'
                        f'<td width="90" align="right">{r.published:%Y-%m-%d}</td></tr>' for r in rows)
        content = (f'<table width="100%" border="0" cellpadding="0" cellspacing="0"><tr><td class="lmtit">{year}年</td></tr>'
                   f'</table><table width="100%" border="0" cellpadding="0" cellspacing="0" class="list">{trs}</table>'
                   f'<table width="100%"><tr><td align="center" class="page">{pager}</td></tr></table>')
        return html_reply(_frame(f"{year}年-{PORTAL.name}", '<meta name="ColumnName" content="信息公开年度报告">',
                                 self._crumbs(year), content))

    def years(self, year_links: str, ctx: Context) -> Reply:
        content = (f'<table width="100%"><tr><td class="lmtit">信息公开年度报告</td></tr>{year_links}</table>')
        return html_reply(_frame(f"信息公开年度报告-{PORTAL.name}", "", self._crumbs(None), content))

    def home(self, ctx: Context) -> Reply:
        content = (f'<table width="100%"><tr><td class="lmtit">信息公开</td></tr>'
                   f'<tr><td><a href="{COLUMN}">信息公开年度报告</a></td></tr>'
                   f'<tr><td><a href="/xxgk/xxgkzn/">信息公开指南</a></td></tr></table>')
        return html_reply(_frame(PORTAL.name, "", '<a href="/">首页</a>', content))

    def stub(self, ctx: Context) -> Reply:
        return html_reply(_frame(PORTAL.name, "", '<a href="/">首页</a>', '<p>暂无信息</p>'))
