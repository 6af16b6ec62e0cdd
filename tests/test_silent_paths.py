"""Paths that used to lose a list with nothing but a stats counter or an INFO line, each now a recorded failure:
a script-drawn list past the site's render cap, a rendered list that still shows a block page, a pager whose
pages are posted back by a form the page does not have; and a report column's links to another host, which
are followed. Real crawls against real HTTP servers.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.discover.completeness import ColumnWalk
from tests.conftest import run_nianbao

HOME = ("<html><head><meta charset='utf-8'><title>某县人民政府</title></head><body>"
        "<a href='/ndbg/'>政府信息公开年报</a></body></html>")
SHELL = ("<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body>"
         "<div id='app'>加载中…</div><script src='/js/app.js'></script></body></html>")
BLOCK = ("<html><head><title>访问被拦截</title></head><body><h1>您的访问被拦截</h1>"
         "<p>网站防火墙检测到您的请求存在异常，已被拦截。</p></body></html>")
APP_JS = ("document.getElementById('app').innerHTML = '<ul><li><a href=\"/ndbg/a1.html\">"
          "某县2023年政府信息公开工作年度报告</a></li></ul>';")
POSTBACK = ("<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body><ul>"
            + "".join(f"<li><a href='/ndbg/a{n}.html'>某县{2023 - n}年政府信息公开工作年度报告</a></li>" for n in range(3))
            + "</ul><div class='pager'><span>1</span> <a href=\"javascript:__doPostBack('GridView1','Page$2')\">2</a>"
              " <a href=\"javascript:__doPostBack('GridView1','Page$Next')\">下一页</a></div></body></html>")


def _article(n: int) -> str:
    return (f"<html><head><meta charset='utf-8'><title>某县{2023 - n}年政府信息公开工作年度报告</title></head><body>"
            f"<h1>某县{2023 - n}年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>主动公开政府信息{100 + n}条。</p>"
            "</body></html>")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, column: str, address: str = "127.0.9.2", elsewhere: str = ""):
        super().__init__((address, 0), _Handler)
        self.column = column
        self.elsewhere = elsewhere         # another host's report, linked from the column (and the home page)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        column = self.server.column
        browser = "sec-fetch-mode" in {k.lower() for k in self.headers}     # Scrapy sends no Sec-Fetch-*
        pages = {"/": HOME, "/robots.txt": "User-agent: *\nAllow: /\n", "/js/app.js": APP_JS,
                 "/ndbg/": BLOCK if browser and column == "blocked" else (POSTBACK if column == "postback" else SHELL)}
        if column == "boxed":
            # the home page's latest box shows what the column's second page lists; the third page has one more
            def li(n):
                return f"<li><a href='/ndbg/a{n}.html'>某县{2023 - n}年政府信息公开工作年度报告</a><span>2021-01-0{n + 1}</span></li>"

            def page(items, nxt):
                more = f"<div class='page'><a href='{nxt}'>下一页</a></div>" if nxt else ""
                return f"<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body><ul>{items}</ul>{more}</body></html>"

            pages["/"] = HOME.replace("</body>", f"<div class='latest'><ul>{li(2)}{li(3)}</ul></div></body>")
            pages["/ndbg/"] = page(li(0) + li(1), "/ndbg/index_1.html")
            pages["/ndbg/index_1.html"] = page(li(2) + li(3), "/ndbg/index_2.html")
            pages["/ndbg/index_2.html"] = page(li(4), None)
        if column == "numbered":
            # twelve pages of one entry each, each page's pager a window of the pages around it; no count stated
            names = ["index.html"] + [f"index_{n}.html" for n in range(1, 12)]
            for n, name in enumerate(names):
                window = " ".join(f"<a href='/ndbg/{names[k]}'>{k + 1}</a>" for k in range(max(0, n - 3), min(12, n + 4)))
                pages[f"/ndbg/{name}"] = (
                    "<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body><ul>"
                    f"<li><a href='/ndbg/a{n}.html'>某县{2023 - n}年政府信息公开工作年度报告</a><span>2021-01-01</span></li>"
                    f"</ul><div class='page'>{window}</div></body></html>")
            pages["/ndbg/"] = pages["/ndbg/index.html"]
        if column == "offsite":
            link = f"<li><a href='{self.server.elsewhere}'>某县2020年政府信息公开工作年度报告</a></li>"
            pages["/ndbg/"] = POSTBACK.replace("<ul>", "<ul>" + link).split("<div class='pager'>")[0] + "</body></html>"
            pages["/"] = HOME.replace("</body>", f"<a href='{self.server.elsewhere.replace('a3', 'a4')}'>"
                                                 "邻县2019年政府信息公开工作年度报告</a></body>")
        pages.update({f"/ndbg/a{n}.html": _article(n) for n in range(12)})
        body = pages.get(self.path)
        status = 200 if body is not None else 404
        body = (body or "not found").encode("utf-8")
        self.send_response(status)
        ctype = "application/javascript" if self.path.endswith(".js") else "text/html; charset=utf-8"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve(column: str, address: str = "127.0.9.2", elsewhere: str = ""):
    server = _Server(column, address, elsewhere)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _failures(store: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(store / "nianbao.sqlite") as db:
        return db.execute("SELECT stage, url, reason FROM failures").fetchall()


def _crawl(server, store: Path, *extra: str):
    host, port = server.server_address
    proc = run_nianbao("crawl", f"http://{host}:{port}/", "--store", str(store), "--delay", "0",
                       "-s", "DOWNLOAD_TIMEOUT=10", *extra)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    return proc.stderr.decode()


chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")


@chromium
def test_a_script_drawn_list_past_the_render_cap_is_a_recorded_failure(tmp_path):
    server = _serve("shell")
    try:
        _crawl(server, tmp_path / "store", "-s", "NIANBAO_MAX_RENDERS_PER_SITE=0")
    finally:
        server.shutdown()
    # a list no static reader sees is still escalated to the browser, which the cap refuses: the column's failure
    # names the cap
    reasons = [r for stage, url, r in _failures(tmp_path / "store") if stage in ("browser", "listing")
               and url.endswith("/ndbg/")]
    assert reasons and all("render cap reached" in r for r in reasons), _failures(tmp_path / "store")


@chromium
def test_a_rendered_list_that_still_shows_a_block_page_is_a_recorded_failure(tmp_path):
    server = _serve("blocked")
    try:
        _crawl(server, tmp_path / "store")
    finally:
        server.shutdown()
    reasons = [r for stage, url, r in _failures(tmp_path / "store") if stage == "challenge"]
    assert reasons and "still shows a waf challenge" in reasons[0], _failures(tmp_path / "store")


def test_postback_pages_without_a_form_leave_the_column_incomplete(tmp_path):
    server = _serve("postback")
    try:
        stderr = _crawl(server, tmp_path / "store", "--browser", "never")
    finally:
        server.shutdown()
    listing = [r for stage, url, r in _failures(tmp_path / "store") if stage == "listing"]
    assert listing and "left out" in listing[0] and "without a <form>" in listing[0], _failures(tmp_path / "store")
    assert "1 incomplete" in stderr.strip().splitlines()[-1]


def test_a_walk_that_skipped_pages_is_complete_only_by_a_stated_count_or_the_browser():
    walk = ColumnWalk("http://a.gov.cn/nb/", "a.gov.cn")
    walk.note_page(["http://a.gov.cn/1.html", "http://a.gov.cn/2.html"])
    assert walk.complete
    walk.skip("postback page Page$2 without a <form>")
    assert not walk.complete and "left out 1 pages" in walk.shortfall()
    walk.note_page(["http://a.gov.cn/3.html"], method="browser")
    assert walk.complete                       # the browser clicked through the page's own pager


def test_a_report_column_linking_another_host_has_that_report_fetched(tmp_path):
    from crawler.archive.feed import read_feed

    platform = _serve("shell", "127.0.9.3")          # the city's disclosure platform, where one report lives
    host, port = platform.server_address
    server = _serve("offsite", elsewhere=f"http://{host}:{port}/ndbg/a3.html")
    try:
        _crawl(server, tmp_path / "store", "--browser", "never")
    finally:
        server.shutdown()
        platform.shutdown()
    fed = {r["url"] for r in read_feed(tmp_path / "store" / "feed")}
    assert f"http://{host}:{port}/ndbg/a3.html" in fed          # listed by the column: the agency's own report
    assert f"http://{host}:{port}/ndbg/a4.html" not in fed      # named on the home page only: another portal's
    assert sum(url.startswith("http://127.0.9.2") for url in fed) == 3


def test_a_column_page_whose_entries_a_home_page_box_showed_does_not_end_the_walk(tmp_path):
    from crawler.archive.feed import read_feed

    server = _serve("boxed")
    try:
        _crawl(server, tmp_path / "store", "--browser", "never")
    finally:
        server.shutdown()
    fed = {r["url"].rsplit("/", 1)[1] for r in read_feed(tmp_path / "store" / "feed")}
    assert fed == {f"a{n}.html" for n in range(5)}


def test_the_listing_page_cap_counts_pages_not_the_links_to_them(tmp_path):
    """A 12-page column whose every page names the six around it: 70-odd links, 12 pages, no count stated. A cap
    of 20 pages holds it."""
    from crawler.archive.feed import read_feed

    server = _serve("numbered")
    try:
        stderr = _crawl(server, tmp_path / "store", "--browser", "never", "--max-pages", "20")
    finally:
        server.shutdown()
    assert len(read_feed(tmp_path / "store" / "feed")) == 12
    assert " 0 incomplete" in stderr.strip().splitlines()[-1]
    assert not [f for f in _failures(tmp_path / "store") if f[0] == "listing"]
