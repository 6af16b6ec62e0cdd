"""某区 (城关区人民政府): a 年报 column where most links titled like reports are traps for a crawler."""

from __future__ import annotations

import base64
import datetime as dt
import random
import re
from functools import partial

from . import templates as T
from .fillers import Agency, County, prose_report, table_report
from .reports import Report
from .server import Context, Reply, html_reply, redirect
from .site import Site

PORTAL = T.Portal("城关区人民政府", "www.chengguan.gov.cn", "6201020001", "甘ICP备05001122号",
                  "甘公网安备 62010202000101号", "城关区人民政府办公室", "城关区中山路18号", "0931-8456123")
COUNTY = County("城关区", "城关区人民政府", ("东关街道",), ("教育局", "卫生健康局"), "730030", "0931",
                "http://www.chengguan.gov.cn")
NAV = [("/", "首页"), ("/nb/index.html", "政府信息公开年报")]
BIG_SIZE = 25 * 1024 * 1024
TRUNC_DECLARED, TRUNC_SENT = 60000, 2000
STALL_SECONDS = 120.0


def _reports() -> dict[str, tuple[str, Report]]:
    """The five real reports of the site, by role, with the path each is served at."""
    rng = random.Random("traps")
    gov = Agency("城关区人民政府", "county", "我区", 3.0)
    street = Agency("城关区东关街道办事处", "town", "我街道", 0.6)
    edu = Agency("城关区教育局", "dept", "我局", 1.0)
    health = Agency("城关区卫生健康局", "dept", "我局", 1.0)
    made = {
        "plain": table_report(rng, COUNTY, gov, 2020),
        "second": table_report(rng, COUNTY, street, 2021),
        "flaky": table_report(rng, COUNTY, edu, 2020),
        "malformed": prose_report(rng, COUNTY, gov, 2018),
        "private": table_report(rng, COUNTY, health, 2020),
    }
    out = {}
    for k, (role, report) in enumerate(made.items()):
        report.docid = 5001 + k
        d = report.published
        top = {"flaky": "/flaky/", "private": "/private/"}.get(role, "/nb/")
        out[role] = (f"{top}{d:%Y%m}/t{d:%Y%m%d}_{report.docid}.html", report)
    return out


def _title(year: int, suffix: str = "") -> str:
    return f"城关区{year}年政府信息公开工作年度报告{suffix}"


# Links that look like reports but are traps: (href, title, kind).
TRAP_LINKS = (
    ("/loop/a", _title(2017), "redirect_loop"),
    ("/big/report.html", _title(2016, "（全文）"), "too_big"),
    ("/trunc/report.html", _title(2015), "truncated"),
    ("/stall/report.html", _title(2014), "stall"),
    ("/always500/report.html", _title(2013), "server_error"),
    ("/nb/201401/t20140120_4001.html", _title(2012), "not_found"),
    ("/nb/202001/t20200115_4801.html", _title(2019, "（附件）"), "binary"),
    ("/nb/202001/t20200120_4802.html", _title(2019, "（修订版）"), "undecodable"),
    ("javascript:void(0)", _title(2011), "bad_href"),
    ("http://[::1", _title(2010), "bad_href"),
    ("mailto:gkb@chengguan.gov.cn", _title(2009), "bad_href"),
)


def _garbage(n: int, seed: str) -> bytes:
    """Bytes no text codec reads: 0x80 and 0xFF are lead bytes in neither UTF-8 nor GB18030."""
    rng = random.Random(seed)
    return bytes(rng.choice((0x80, 0xFF, 0xFE, 0x00, 0x81, 0xC0)) if k % 3 == 0 else rng.randrange(256)
                 for k in range(n))


def _mangle(page: str) -> str:
    """Badly malformed HTML that browsers still render: unclosed, misnested, unquoted, no end tags."""
    page = re.sub(r"</p>|</li>|</span>|</td>|</tr>", "", page)
    page = page.replace('<div class="TRS_Editor">', '<div class=TRS_Editor><font color=#333333 face=宋体><table><tr><td>')
    page = page.replace("<strong>", "<b><i>").replace("</strong>", "</b></i>")
    page = page.replace("</body>", "").replace("</html>", "")
    return page.replace('class="article"', "class=article><div")


class Traps(Site):
    name = "traps"
    title = PORTAL.name

    def __init__(self, scale: int = 1):
        super().__init__()
        self.header = T.trs_header(PORTAL, NAV)
        self.reals = _reports()
        self.rows: list[tuple[str, str, dt.date]] = []
        for role, (path, report) in self.reals.items():
            if role == "malformed":
                self.route(path, partial(self.malformed, report, path))
                self.add_trap("malformed_html", path)
            elif role == "flaky":
                self.route(path, partial(self.flaky, report, path))
                self.add_trap("flaky", path)
            else:
                self.route(path, partial(self.article, report, path))
            if role == "private":
                self.add_trap("robots_disallowed", path, title=report.title)
            else:
                self.add_report(report, [path])
            if role != "plain":
                self.rows.append((path, report.title, report.published))
        self.plain_path = self.reals["plain"][0]
        self.add_trap("session_id", self.plain_path, note="listed only as <path>;jsessionid=<random per render>")
        self.add_trap("tracking_params", self.plain_path, note="linked from / as <path>?utm_source=…")
        for href, title, kind in TRAP_LINKS:
            self.rows.append((href, title, dt.date(2021, 2, 1)))
            self.add_trap(kind, href, title=title)
        self.add_trap("pagination_trap", "/nb/list?page=2", note="every page N lists the same rows and links N+1")

        self.route("/", self.home)
        self.route("/nb/", self.listing)
        self.route("/nb/index.html", self.listing)
        self.route("/robots.txt", lambda ctx: Reply(200, b"User-agent: *\nDisallow: /private/\n", "text/plain"))
        self.route("/loop/a", lambda ctx: redirect("/loop/b"))
        self.route("/loop/b", lambda ctx: redirect("/loop/a"))
        self.route("/big/report.html", self.big)
        self.route("/trunc/report.html", self.truncated)
        self.route("/stall/report.html", lambda ctx: Reply(200, b"", length=48213, stall=STALL_SECONDS))
        self.route("/always500/report.html", lambda ctx: html_reply("<html><body><h1>500 Internal Server Error</h1>"
                                                                     "</body></html>", status=500))
        self.route("/nb/202001/t20200115_4801.html", lambda ctx: Reply(
            200, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _garbage(30000, "doc"), "application/octet-stream",
            [("Content-Disposition", 'attachment; filename="P020200115384756123456.doc"')]))
        self.route("/nb/202001/t20200120_4802.html", lambda ctx: Reply(200, _garbage(12000, "html"), "text/html"))
        self.route("/js/page.js", lambda ctx: Reply(200, T.PAGE_JS.encode(), "application/javascript"))

    def dynamic(self, ctx: Context, path: str, query: str) -> Reply | None:
        if ";" in path:
            # servlet containers drop the ;jsessionid path parameter before routing
            return self.respond(ctx, path.split(";", 1)[0], query)
        if path == "/nb/list" and query.startswith("page="):
            try:
                return self.listing(ctx, int(query[5:].split("&")[0]))
            except ValueError:
                return None
        return None

    def _article_html(self, report: Report, path: str, ctx: Context) -> str:
        return T.trs_article(PORTAL, report, header=self.header, crumbs=[("/", "首页"), ("/nb/index.html", "政府信息公开年报")],
                             column="政府信息公开年报", url=f"http://{PORTAL.domain}{path}", hits=ctx.hit(),
                             prev=None, nxt=None, links=[])

    def article(self, report: Report, path: str, ctx: Context) -> Reply:
        return html_reply(self._article_html(report, path, ctx))

    def flaky(self, report: Report, path: str, ctx: Context) -> Reply:
        if ctx.times_seen(path) == 0:
            return html_reply("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", status=503)
        return self.article(report, path, ctx)

    def malformed(self, report: Report, path: str, ctx: Context) -> Reply:
        return html_reply(_mangle(self._article_html(report, path, ctx)))

    def big(self, ctx: Context) -> Reply:
        head = (self._article_html(self.reals["plain"][1], "/big/report.html", ctx).split("</body>")[0]
                + '<p><img src="data:image/jpeg;base64,').encode()
        tail = b'"></p></body></html>'
        block = base64.b64encode(random.Random("big").randbytes(48 * 1024))
        rest = BIG_SIZE - len(head) - len(tail)

        def chunks():
            left = rest
            while left > 0:
                piece = block[:min(left, len(block))]
                left -= len(piece)
                yield piece
            yield tail
        return Reply(200, head, "text/html; charset=utf-8", chunks=chunks(), length=BIG_SIZE)

    def truncated(self, ctx: Context) -> Reply:
        page = self._article_html(self.reals["second"][1], "/trunc/report.html", ctx).encode()
        return Reply(200, page[:TRUNC_SENT], "text/html; charset=utf-8", length=TRUNC_DECLARED)

    def listing(self, ctx: Context, page: int = 0) -> Reply:
        session = "".join(random.choice("0123456789ABCDEF") for _ in range(32))
        plain_path, plain = self.reals["plain"]
        rows = [(f"{plain_path};jsessionid={session}", plain.title, plain.published)] + self.rows
        lis = "\n".join(f'<li><a href="{T.esc(h)}" title="{T.esc(t)}" target="_blank">{T.esc(t)}</a>'
                        f'<span>{d:%Y-%m-%d}</span></li>' for h, t, d in rows)
        pager = f'<a href="/nb/list?page={page + 1}">下一页</a>'
        body = f"""{T.top_bar(PORTAL)}
{self.header}
<div class="w1200 main"><div class="position">当前位置：<a href="/" class="CurrChnlCls">首页</a> &gt; 政府信息公开年报</div>
<ul class="list">{lis}</ul><div class="page">第{page + 1}页 {pager}</div></div>
{T.footer(PORTAL)}"""
        return html_reply(T.page(f"政府信息公开年报_{PORTAL.name}", "", body))

    def home(self, ctx: Context) -> Reply:
        plain_path, plain = self.reals["plain"]
        body = f"""{T.top_bar(PORTAL)}
{self.header}
<div class="w1200 main"><div class="focus"><a href="{plain_path}?utm_source=home&amp;utm_medium=focus&amp;utm_campaign=nb">{T.esc(plain.title)}</a></div>
<p><a href="/nb/index.html">政府信息公开年报</a></p></div>
{T.footer(PORTAL)}"""
        return html_reply(T.page(PORTAL.name, "", body))
