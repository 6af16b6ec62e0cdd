"""The browser's own requests count against their host's concurrency: a script-drawn column rendered in real
Chromium against a real HTTP server that counts the requests it is answering at once.

Chromium opens up to six connections a host and loads a page's scripts and data calls in parallel; the crawl's
limit for a host (CONCURRENT_REQUESTS_PER_DOMAIN) must hold for them as for Scrapy's own requests.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO, run_nianbao

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")

PARTS = 6            # scripts the column page loads, and data calls its script makes, all at once
SLOW = 0.4           # seconds each script and data answer takes: long enough for requests to overlap


def _report(n: int) -> str:
    text = (REPO / "replica" / "data" / "004_henghe_2020.txt").read_text("utf-8")
    return (f"<html><head><meta charset='utf-8'><title>第{n}街道办事处2020年政府信息公开工作年度报告</title></head>"
            f"<body><h1>第{n}街道办事处2020年政府信息公开工作年度报告</h1><p>发布时间：2021-01-2{n}</p>"
            + "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip()) + "</body></html>")


COLUMN = ("<html><head><meta charset='utf-8'><title>政府信息公开年报</title>"
          + "".join(f"<script src='/js/part{i}.js'></script>" for i in range(PARTS)) +
          "</head><body><div class='crumb'>首页 &gt; 政府信息公开年报</div><div id='app'>加载中…</div><script>"
          "Promise.all([" + ",".join(f"fetch('/api/list?part={i}').then(r=>r.json())" for i in range(PARTS)) + "])"
          ".then(parts=>{document.getElementById('app').innerHTML='<ul>'+parts.flat().map(r=>"
          "'<li><a href=\"'+r.url+'\">'+r.title+'</a><span>'+r.date+'</span></li>').join('')+'</ul>';});"
          "</script></body></html>")
HOME = ("<html><head><meta charset='utf-8'><title>某区人民政府</title></head><body>"
        "<a href='/ndbg/'>政府信息公开年报</a></body></html>")


class _Counting(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address):
        super().__init__(address, _Handler)
        self.lock = threading.Lock()
        self.now = self.most = 0
        self.paths: list[str] = []
        self.started: list[tuple[float, str]] = []


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        server = self.server
        with server.lock:
            server.now += 1
            server.most = max(server.most, server.now)
            server.paths.append(self.path)
            server.started.append((time.monotonic(), self.path))
        try:
            body, ctype = self._answer()
        finally:
            # counted while the server works on it, not while its bytes travel: a client may start its next
            # request the moment it has read this one, before this thread would come back to count it out
            with server.lock:
                server.now -= 1
        self.send_response(200 if body is not None else 404)
        body = body if body is not None else b"not found"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _answer(self):
        path = self.path
        if path == "/":
            return HOME.encode(), "text/html; charset=utf-8"
        if path == "/robots.txt":
            return b"User-agent: *\nAllow: /\n", "text/plain"
        if path.startswith("/ndbg/") and path.rstrip("/") == "/ndbg":
            return COLUMN.encode(), "text/html; charset=utf-8"
        if m := re.fullmatch(r"/js/part(\d+)\.js", path):
            time.sleep(SLOW)
            return f"window.part{m.group(1)} = true;".encode(), "application/javascript"
        if m := re.fullmatch(r"/api/list\?part=(\d+)", path):
            time.sleep(SLOW)
            n = int(m.group(1))
            return (f'[{{"title": "第{n}街道办事处2020年政府信息公开工作年度报告", "url": "/ndbg/art{n}.html", '
                    f'"date": "2021-01-2{n}"}}]').encode(), "application/json"
        if m := re.fullmatch(r"/ndbg/art(\d+)\.html", path):
            return _report(int(m.group(1))).encode(), "text/html; charset=utf-8"
        return None, "text/plain"


@pytest.fixture
def counting_server():
    server = _Counting(("127.0.9.1", 0))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_a_rendered_page_keeps_its_host_within_the_concurrency_limit(counting_server, tmp_path: Path):
    host, port = counting_server.server_address
    proc = run_nianbao("crawl", f"http://{host}:{port}/", "--store", str(tmp_path / "store"), "--delay", "0",
                       "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "DOWNLOAD_TIMEOUT=20")
    stderr = proc.stderr.decode()
    assert proc.returncode == 0, stderr[-3000:]
    paths = counting_server.paths
    # the page was rendered: Chromium fetched its scripts and data calls, and the crawl its reports
    assert {f"/js/part{i}.js" for i in range(PARTS)} <= set(paths), paths
    assert {f"/api/list?part={i}" for i in range(PARTS)} <= set(paths), paths
    assert {f"/ndbg/art{i}.html" for i in range(PARTS)} <= set(paths), paths
    assert counting_server.most <= 2, f"{counting_server.most} requests in flight at once; the limit is 2"


def test_the_browser_paces_its_data_calls_by_the_host_delay(counting_server, tmp_path: Path):
    host, port = counting_server.server_address
    proc = run_nianbao("crawl", f"http://{host}:{port}/", "--store", str(tmp_path / "store"), "--delay", "0.6", "-s", "AUTOTHROTTLE_ENABLED=False",
                       "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "DOWNLOAD_TIMEOUT=20")
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    # the render's own data calls: the first request of each part (the crawl replays them later)
    firsts: dict[str, float] = {}
    for at, path in counting_server.started:
        if path.startswith("/api/list"):
            firsts.setdefault(path, at)
    assert len(firsts) == PARTS
    starts = sorted(firsts.values())
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    # DOWNLOAD_DELAY 0.6 with Scrapy's ±50 % jitter: never closer than 0.3 s (the page fires all six at once)
    assert min(gaps) >= 0.29, gaps
