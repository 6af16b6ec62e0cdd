"""The replica portals over real HTTP on loopback: each site, each pagination style, each trap, the ground truth."""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import lxml.html
import pytest

from replica import SITE_NAMES, ReplicaServer, build_sites, expected
from replica.evolving import BACKDATED_BELOW, COLUMN, EPOCHS, PER_PAGE, Evolving
from replica.server import Context, serve, stop
from replica.tables import HEADINGS, NEW, CARRIED, TOTAL, FORWARD, result_rows
from replica.traps import Traps

TRUTH = expected(scale=1)
REPORTS = [e for e in TRUTH if e["kind"] == "report"]
LOOKALIKES = [e for e in TRUTH if e["kind"] == "lookalike"]
TRAPS = {e["kind"]: e for e in TRUTH if e["kind"] not in ("report", "lookalike", "column")}
FLAKY = TRAPS["flaky"]["path"]
NO_REDIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
ENCODING = {"tongyu": "gbk", "aspnet": "gbk"}
# Sites behind an anti-bot layer answer a plain client with the challenge (tests/test_replica_hard.py
# clears them in Chromium); their pages are checked there.
CHALLENGED = {e["site"] for e in TRUTH if e["kind"] == "challenge"}


@pytest.fixture(scope="module")
def server():
    with ReplicaServer(scale=1) as s:
        yield s


def fetch(url: str, timeout: float = 10) -> tuple[int, dict, bytes]:
    try:
        with NO_REDIRECT.open(url, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def text_of(page: bytes, encoding: str) -> str:
    """Paragraph texts and tab-joined table rows, as a faithful extractor sees them."""
    root = lxml.html.document_fromstring(page.decode(encoding))
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    lines = ["".join(p.itertext()) for p in root.iter("p", "h1")]
    lines += ["\t".join(c.text_content().strip() for c in tr if c.tag in ("td", "th")) for tr in root.iter("tr")]
    return "\n".join(lines)


def test_each_site_has_its_own_loopback_address_and_a_home_page(server):
    assert tuple(server.sites) == SITE_NAMES
    hosts = [urlsplit(u).hostname for u in server.sites.values()]
    assert len(set(hosts)) == len(hosts) and all(h.startswith("127.0.0.") and h != "127.0.0.1" for h in hosts)
    for name in SITE_NAMES:
        status, _, body = fetch(server.url(name, "/"))
        assert (status == 200) == (name not in CHALLENGED or name == "shield"), (name, status)
        assert name in CHALLENGED or b"<html" in body[:300].lower()


def test_flaky_answers_503_first_then_the_report(server):
    url = server.url("traps", FLAKY)
    assert fetch(url)[0] == 503
    status, _, body = fetch(url)
    assert status == 200 and "政府信息公开工作年度报告".encode() in body


def test_every_expected_page_answers_200_and_holds_its_truth(server):
    # a report published as a file (or read from its page's attachment) is checked in tests/test_fujian.py
    for entry in (e for e in REPORTS if e["site"] not in CHALLENGED and e.get("raw_kind", "html") == "html"
                  and not e.get("ocr")):
        for path in entry["paths"]:
            if path == FLAKY:
                continue
            status, headers, body = fetch(server.url(entry["site"], path))
            assert status == 200, (entry["site"], path)
            text = text_of(body, ENCODING.get(entry["site"], "utf-8"))
            for needle in entry["must_contain"]:
                assert needle in text, (entry["title"], needle)
            for chrome in entry["must_not_contain"]:
                assert chrome in body.decode(ENCODING.get(entry["site"], "utf-8")), (entry["title"], chrome)
    for entry in (e for e in LOOKALIKES if e["site"] not in CHALLENGED):
        assert fetch(server.url(entry["site"], entry["path"]))[0] == 200, entry


def test_view_count_changes_on_every_request(server):
    entry = next(e for e in REPORTS if e["title"] == "松山镇2018年政府信息公开工作年度报告")
    url = server.url("panshi", entry["paths"][0])
    first, second = fetch(url)[2], fetch(url)[2]
    assert first != second
    assert "点击数".encode() in first


def test_restored_characters_sit_in_their_own_elements(server):
    songshan = next(e for e in REPORTS if e["title"] == "松山镇2018年政府信息公开工作年度报告")
    assert len(songshan["paths"]) == 2 and "2018年1月1日" in songshan["must_contain"]
    page = fetch(server.url("panshi", songshan["paths"][1]))[2].decode()
    assert "2018<span>年</span>1<span>月</span>1<span>日</span>" in page
    assert "2019<span>年</span>2<span>月</span>21<span>日</span>" in page
    henghe = next(e for e in REPORTS if e["title"] == "横河镇人民政府2020年政府信息公开工作年度报告")
    page = fetch(server.url("yangcheng", henghe["paths"][0]))[2].decode()
    assert "我<span>镇</span>党委" in page and "本年增/<span>减</span>" in page
    assert "本年新<br>制作数量" in page and 'rowspan="20"' in page and 'colspan="7"' in page
    assert "行政处罚\t5\t0\t0" in henghe["must_contain"]
    shexi = next(e for e in REPORTS if e["site"] == "jianchuan" and e["agency"] == "社溪镇人民政府")
    assert "社溪镇政府2019年度信息公开年度<br>报  告" in fetch(server.url("jianchuan", shexi["paths"][0]))[2].decode()


def test_trs_column_pages_only_through_create_page_html(server):
    first = fetch(server.url("panshi", "/zwgk/zfxxgknb/index.html"))[2].decode()
    assert 'createPageHTML(3, 0, "index", "html");' in first
    assert "index_1.html" not in first and 'title="' in first and "...</a>" in first
    assert fetch(server.url("panshi", "/zwgk/zfxxgknb/index_2.html"))[0] == 200
    assert fetch(server.url("panshi", "/zwgk/zfxxgknb/index_3.html"))[0] == 404
    assert b"document.write" in fetch(server.url("panshi", "/js/page.js"))[2]
    assert b"Disallow: /search/" in fetch(server.url("panshi", "/robots.txt"))[2]
    assert 'createPageHTML(2, 1, "list", "shtml")' in fetch(server.url("yangcheng", "/zfxxgk/zfxxgknb/list_1.shtml"))[2].decode()
    sub = fetch(server.url("jianchuan", "/xxgk/ndbg/2020n/index_1.shtml"))[2].decode()
    assert "var countPage = 2" in sub and "var currentPage = 1;//所在页从0开始" in sub
    assert '<a href="./2019n/">2019年</a>' in fetch(server.url("jianchuan", "/xxgk/ndbg/"))[2].decode()


def test_hanweb_records_hide_in_a_datastore_and_the_repost_keeps_the_body(server):
    page = fetch(server.url("jilin", "/col/col1234/index.html?page=2"))[2].decode()
    assert "<recordset>" in page and "<![CDATA[<li><a href='/art/" in page
    repost = next(e for e in REPORTS if e["repost_of"])
    assert repost["title"] == "【转载】松山镇2018年政府信息公开工作年度报告" and repost["site"] == "jilin"
    pages = page + fetch(server.url("jilin", "/col/col1234/index.html"))[2].decode()
    assert f"'{repost['paths'][0]}'" in pages
    osite, opath = repost["repost_of"]
    original = text_of(fetch(server.url(osite, opath))[2], "utf-8")
    copy = fetch(server.url("jilin", repost["paths"][0]))[2].decode()
    assert server.url("panshi", opath) in copy and "<!--<$[信息内容]>begin-->" in copy
    copy_text = text_of(copy.encode(), "utf-8")
    assert "来源：磐石市人民政府网站" in copy_text
    for needle in repost["must_contain"][1:]:
        assert needle in original


def test_gbk_pages_decode_only_as_gbk_and_lie_about_it(server):
    listing = fetch(server.url("tongyu", "/xxgk/xxgknb/list.jsp?page=3"))
    assert listing[0] == 200 and listing[1]["Content-Type"] == "text/html"
    assert "尾页".encode("gbk") in listing[2] and "list.jsp?page=2".encode() in listing[2]
    kinds = set()
    for entry in (e for e in REPORTS if e["site"] == "tongyu"):
        body = fetch(server.url("tongyu", entry["paths"][0]))[2]
        text = body.decode("gbk")
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        special = [ch for ch in text if ord(ch) > 127 and not _in_gb2312(ch)]
        if special:
            with pytest.raises(UnicodeDecodeError):
                body.decode("gb2312")
        kinds.add(("charset=gb2312" in text, "charset=utf-8" in text, bool(special)))
    assert (True, False, True) in kinds      # declares gb2312, carries GBK-only characters
    assert (False, True, True) in kinds      # the <meta> lies: says utf-8
    assert (False, False, True) in kinds     # no declaration anywhere


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def test_traps_behave(server):
    url = lambda path: server.url("traps", path)  # noqa: E731
    assert fetch(url("/loop/a"))[1]["Location"] == "/loop/b" and fetch(url("/loop/b"))[1]["Location"] == "/loop/a"
    with pytest.raises(urllib.error.HTTPError, match="redirect"):
        urllib.request.urlopen(url("/loop/a"), timeout=5)
    with pytest.raises(http.client.IncompleteRead):
        urllib.request.urlopen(url("/trunc/report.html"), timeout=5).read()
    with urllib.request.urlopen(url("/big/report.html"), timeout=5) as resp:
        assert int(resp.headers["Content-Length"]) == 25 * 1024 * 1024
        assert b"<html" in resp.read(1 << 20)
    assert fetch(url("/always500/report.html"))[0] == 500
    assert fetch(url(TRAPS["not_found"]["path"]))[0] == 404
    status, headers, body = fetch(url(TRAPS["binary"]["path"]))
    assert status == 200 and headers["Content-Type"] == "application/octet-stream"
    status, headers, body = fetch(url(TRAPS["undecodable"]["path"]))
    assert headers["Content-Type"] == "text/html"
    for codec in ("utf-8", "gb18030"):
        with pytest.raises(UnicodeDecodeError):
            body.decode(codec)
    listing = fetch(url("/nb/index.html"))[2].decode()
    again = fetch(url("/nb/index.html"))[2].decode()
    assert ";jsessionid=" in listing and listing != again
    for href in ("javascript:void(0)", "http://[::1", "mailto:", TRAPS["robots_disallowed"]["path"], "/nb/list?page=1"):
        assert f'href="{href}' in listing
    assert f"{TRAPS['tracking_params']['path']}?utm_source=" in fetch(url("/"))[2].decode()
    assert b"Disallow: /private/" in fetch(url("/robots.txt"))[2]
    assert fetch(url(TRAPS["robots_disallowed"]["path"]))[0] == 200
    assert 'href="/nb/list?page=58"' in fetch(url("/nb/list?page=57"))[2].decode()
    session = fetch(url(TRAPS["session_id"]["path"] + ";jsessionid=0123ABCD?utm_source=x"))
    assert session[0] == 200 and "政府信息公开工作年度报告".encode() in session[2]


def test_stall_holds_one_connection_while_the_site_keeps_answering(server):
    started = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout)):
        urllib.request.urlopen(server.url("traps", "/stall/report.html"), timeout=1).read()
    assert time.monotonic() - started < 5
    holder = threading.Thread(target=lambda: fetch_quiet(server.url("traps", "/stall/report.html"), 30), daemon=True)
    holder.start()
    time.sleep(0.2)
    t0 = time.monotonic()
    assert fetch(server.url("traps", "/nb/index.html"))[0] == 200
    assert time.monotonic() - t0 < 2


def fetch_quiet(url: str, timeout: float) -> None:
    try:
        urllib.request.urlopen(url, timeout=timeout).read()
    except Exception:
        pass


def test_stopping_the_server_ends_a_stall():
    ctx, servers = serve([Traps(1)], "127.0.0", 0)
    done = threading.Event()
    thread = threading.Thread(target=lambda: (fetch_quiet(ctx.url("traps", "/stall/report.html"), 60), done.set()),
                              daemon=True)
    thread.start()
    time.sleep(0.3)
    assert not done.is_set()
    stop(ctx, servers)
    assert done.wait(5)


def test_ground_truth_is_deterministic_and_scales():
    assert expected(scale=1) == TRUTH
    assert 200 <= len(REPORTS) <= 300
    for site in SITE_NAMES[:5]:
        pairs = [(e["agency"], e["year"]) for e in REPORTS if e["site"] == site]
        assert len(pairs) == len(set(pairs)), site
    kinds = {"redirect_loop", "too_big", "truncated", "stall", "flaky", "server_error", "not_found", "binary",
             "undecodable", "robots_disallowed", "pagination_trap", "bad_href", "session_id", "malformed_html"}
    assert kinds <= set(TRAPS)
    big = expected(scale=20)
    assert sum(len(e["paths"]) for e in big if e["kind"] == "report") >= 1000


def test_table_figures_satisfy_the_template_sum_rules():
    checked = 0
    for site in build_sites(1):
        for entry in site.truth:
            report = entry.get("_report")
            if report is None or report.figures is None or report.extra.get("broken_sums"):
                continue          # broken_sums: a report whose tables do not add up on purpose (audit_county)
            t3 = report.figures.table3
            for key, row in t3.items():
                assert sum(row[:6]) == row[6], (report.title, key)
            for col in range(7):
                results = sum(t3[i or g][col] for g, i in result_rows(report.figures.fmt))
                assert t3[TOTAL][col] == results
                assert t3[NEW][col] + t3[CARRIED][col] == t3[TOTAL][col] + t3[FORWARD][col]
            t4 = report.figures.table4
            assert all(sum(t4[b:b + 4]) == t4[b + 4] for b in (0, 5, 10))
            checked += 1
    assert checked >= 10


def test_format_notice_lookalike_carries_every_heading_and_label(server):
    notice = next(e for e in LOOKALIKES if e["title"].endswith("年度报告格式》的通知"))
    text = text_of(fetch(server.url("panshi", notice["path"]))[2], "utf-8")
    for label in (*HEADINGS, "本年制发件数", "行政规范性文件", "本年收费金额（单位：万元）", "3.其他",
                  "申请人无正当理由逾期不补正", "未经复议直接起诉", "（本列数据的勾稽关系为"):
        assert label in text, label
    assert "\t\t\t" in text          # the format's cells are empty


def test_context_counts_first_requests():
    ctx = Context({"a": "http://127.0.0.2:1/"})
    assert [ctx.times_seen("x"), ctx.times_seen("x"), ctx.times_seen("y")] == [0, 1, 0]
    assert ctx.url("a", "/b?c=1") == "http://127.0.0.2:1/b?c=1"


# -- evolving, epoch 3: a report published late with its original date, no re-sort -----------------------

def _evolving_epoch(server, n: int) -> None:
    status, _, body = fetch(server.url("evolving", f"/__replica/epoch?set={n}"))
    assert status == 200 and json.loads(body)["epoch"] == n


def _evolving_column(server) -> tuple[int, list[tuple[str, str, str, int]]]:
    """The column over HTTP: its createPageHTML page count and (path, title, date, page) per row, in order."""
    rows, count, page = [], None, 0
    while count is None or page < count:
        name = "index.html" if page == 0 else f"index_{page}.html"
        status, _, body = fetch(server.url("evolving", COLUMN + name))
        assert status == 200, name
        text = body.decode()
        pager = re.search(r'createPageHTML\((\d+), (\d+), "index", "html"\)', text)
        assert pager and int(pager.group(2)) == page, name
        count = int(pager.group(1)) if count is None else count
        assert int(pager.group(1)) == count, name
        root = lxml.html.document_fromstring(text)
        for li in root.xpath('//ul[@class="list"]/li'):
            href = li.xpath("./a/@href")[0]
            assert href.startswith("./")
            rows.append((COLUMN + href[2:], li.xpath("./a/@title")[0], li.xpath("./span/text()")[0], page))
        page += 1
    assert fetch(server.url("evolving", f"{COLUMN}index_{count}.html"))[0] == 404
    return count, rows


def test_evolving_epoch3_lists_a_backdated_report_at_its_date_position(server):
    site = Evolving(1)
    url = site.url_of(site.backdated)
    try:
        _evolving_epoch(server, 0)
        pages0, rows0 = _evolving_column(server)
        dates0 = [d for _, _, d, _ in rows0]
        assert dates0 == sorted(dates0, reverse=True)             # epoch 0 really is newest first
        assert url not in [p for p, *_ in rows0]
        _evolving_epoch(server, 3)
        pages3, rows3 = _evolving_column(server)
        paths3 = [p for p, *_ in rows3]
        index = paths3.index(url)
        assert index >= BACKDATED_BELOW and index == site.insert_position(3)
        assert rows3[index][3] == index // PER_PAGE >= 1            # not on the first page
        assert rows3[index][1] == site.backdated.title
        assert rows3[index][2] == f"{site.backdated.published:%Y-%m-%d}"
        # nothing re-sorted: the rows above are epoch 0's in the same order, the rows below shift by one
        assert rows3[:index] == rows0[:index]
        assert [r[:3] for r in rows3[index + 1:]] == [r[:3] for r in rows0[index:]]
        dates3 = [d for _, _, d, _ in rows3]
        assert dates3 == sorted(dates3, reverse=True)             # still newest first by date
        # the pager is recomputed for one more row
        assert len(rows3) == len(rows0) + 1
        assert pages3 == -(-len(rows3) // PER_PAGE) and pages0 == -(-len(rows0) // PER_PAGE)
    finally:
        _evolving_epoch(server, 0)


def test_evolving_backdated_article_answers_only_once_published(server):
    site = Evolving(1)
    backdated = server.url("evolving", site.url_of(site.backdated))
    try:
        _evolving_epoch(server, 0)
        assert fetch(backdated)[0] == 404
        _evolving_epoch(server, 1)
        assert fetch(backdated)[0] == 404
        _evolving_epoch(server, 3)
        status, _, body = fetch(backdated)
        assert status == 200 and site.backdated.title in body.decode()
        # epoch 3 branches off epoch 0: none of epoch 1's changes are there
        for report in site.added:
            assert fetch(server.url("evolving", site.url_of(report)))[0] == 404
        assert fetch(server.url("evolving", site.url_of(site.removed)))[0] == 200
        revised = fetch(server.url("evolving", site.url_of(site.revised)))[2].decode()
        assert "更正）" not in revised
        _evolving_epoch(server, 0)
        assert fetch(backdated)[0] == 404
    finally:
        _evolving_epoch(server, 0)


def test_evolving_epoch3_insertion_is_by_date_at_every_scale():
    assert EPOCHS == (0, 1, 2, 3)
    for scale in (1, 2, 5):
        site = Evolving(scale)
        listed0 = site.listed(0)
        assert all(a.published >= b.published for a, b in zip(listed0, listed0[1:]))
        assert site.insert_position(0) is None and site.insert_position(1) is None
        assert (site.insert_position(2) is not None) == (site.backdated is site.late)
        listed3 = site.listed(3)
        index = site.insert_position(3)
        assert listed3[index] is site.backdated and index >= BACKDATED_BELOW
        assert [r for r in listed3 if r is not site.backdated] == listed0
