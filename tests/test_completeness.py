"""Discovery that knows how complete it is (crawler.discover.completeness and the spider's ladder).

The crawl tests run the real `nianbao crawl` over the independent replica (replica.independent: portals written
from public evidence by authors who had not read the crawler), once with the browser allowed and once with
NIANBAO_BROWSER=never, and judge the feed, the store's `listings` and the failures against the replica's truth.
"""

from __future__ import annotations

import difflib
import json
import subprocess
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.archive.feed import read_feed
from crawler.discover.completeness import ColumnLedger, ColumnWalk, Stated, stated_figures
from crawler.discover.listing import analyse_listing
from crawler.judge.dedupe import figures_differ, localities_differ, signature, similarity, text_locality
from replica.server import Reply, html_reply, serve, stop
from replica.site import Site
from replica.sites import expected
from tests.conftest import FAST, REPO, run_nianbao

LISTINGS = REPO / "tests" / "data" / "listings"
TRUTH = expected(collection="independent")
ORIGINALS = [e for e in TRUTH if e["kind"] == "report" and not e.get("repost_of")]
COLUMNS = [e for e in TRUTH if e["kind"] == "column"]


# -- what a page states -------------------------------------------------------------------------------------
@pytest.mark.parametrize("markup, total, pages", [
    ("<div class=page>共35条 第1/4页</div>", 35, 4),
    ("<span>共 172 条</span> <span>共 9 页</span>", 172, 9),
    ('<script>$("#p").pagination({totalRecord:160, perPage:20});</script>', 160, None),
    ('<script>var data = {"totalCount": 35, "pageNo": 1};</script>', 35, None),
    ('<script>createPageHTML(5, 0, "index", "html");</script>', None, 5),
    ("<td>页次：1/5 共 45 条记录</td>", 45, 5),
    ("<p>本镇共有3个部门、12个行政村</p>", None, None),      # prose counts things, not list entries
    ("<p>nothing stated</p>", None, None),
])
def test_stated_figures_read_what_pages_say(markup, total, pages):
    stated = stated_figures(markup)
    assert (stated.total, stated.pages) == (total, pages)


def test_stated_figures_of_saved_real_shaped_columns():
    # the fixtures of tests/data/listings (written from real portals' markup), read as bytes
    from crawler.read.encoding import decode_html
    figures = {p.name: stated_figures(decode_html(p.read_bytes(), "").text) for p in LISTINGS.glob("*.html")}
    assert figures["gbk_layout_table_page_query.html"].total == 172
    assert figures["hanweb_column_datastore_jpage.html"].total == 160
    assert figures["trs_column_createpagehtml_index.html"].pages == 5
    assert figures["trs_rendered_pager_index_n_shtml.html"].pages == 12
    assert not figures["home_page_nav_news_latest_box.html"]


def test_a_walk_short_of_what_its_page_states_climbs_the_ladder_then_fails_with_the_figures():
    walk = ColumnWalk("http://a.gov.cn/nb/", "a.gov.cn")
    walk.note_page([f"http://a.gov.cn/t{i}.html" for i in range(10)], Stated(total=35, source="共35条"))
    assert not walk.complete and walk.expected == 35
    assert walk.next_rung() == "api"
    walk.tried.append("api (no data call in the page's scripts)")
    assert walk.next_rung() == "browser"
    walk.tried.append("browser")
    assert walk.next_rung() is None
    assert walk.shortfall().startswith("found 10 of 35 the page states (共35条)")
    walk.note_page([f"http://a.gov.cn/t{i}.html" for i in range(35)], method="browser")
    assert walk.complete and walk.method == "browser"


def test_page_counts_imply_a_floor_and_a_capped_walk_is_never_complete():
    walk = ColumnWalk("http://a.gov.cn/nb/", "a.gov.cn")
    walk.note_page([f"u{i}" for i in range(15)], Stated(pages=4, source="共4页"))
    assert walk.expected == 46 and not walk.complete        # three full pages and one more entry at least
    walk.note_page([f"v{i}" for i in range(31)])
    assert walk.complete
    walk.capped = True
    assert not walk.complete and "cap" in walk.shortfall()      # a page count is a floor: a cap may hide more
    stated = ColumnWalk("http://a.gov.cn/nb2/", "a.gov.cn")
    stated.note_page([f"u{i}" for i in range(15)], Stated(total=20, source="共20条"))
    stated.note_page([f"v{i}" for i in range(5)])
    stated.capped = True
    assert stated.complete                  # 共20条 found: nothing a cap left unasked was an entry


def test_a_page_of_columns_whose_children_have_entries_is_a_parent():
    ledger = ColumnLedger()
    parent = ledger.walk("http://a.gov.cn/nb/", "a.gov.cn")
    parent.note_page([])
    parent.children = {"http://a.gov.cn/nb/bm/"}
    assert not ledger.is_parent(parent)
    ledger.walk("http://a.gov.cn/nb/bm/", "a.gov.cn").note_page(["http://a.gov.cn/nb/bm/t1.html"])
    assert ledger.is_parent(parent)


def test_a_self_label_needs_a_list_that_names_a_report():
    home = ('<html><head><meta name="ColumnName" content="政府信息公开年报"><title>首页</title></head><body>'
            '<ul class="news">' + "".join(f'<li><a href="/xw/t2024010{i}_{i}.html">县长调研春耕生产工作第{i}次</a>'
                                          f'<span>2024-01-0{i}</span></li>' for i in range(1, 8)) + '</ul>'
            '<a href="/zwgk/">政务公开</a></body></html>')
    listing = analyse_listing(home, "http://a.gov.cn/")
    assert listing.is_report_column and not listing.list_names_reports
    column = home.replace("县长调研春耕生产工作", "某某局2023年政府信息公开工作年度报告")
    assert analyse_listing(column, "http://a.gov.cn/").list_names_reports


# -- dedupe: similar text is not the same report ----------------------------------------------------------
def _town_report(county: str, figures: tuple[int, int]) -> str:
    """A real report's text (replica/data, seed 004) as one county's template, with this town's figures."""
    template = (REPO / "replica" / "data" / "004_henghe_2020.txt").read_text("utf-8")
    new, done = figures
    rows = (f"一、本年新收政府信息公开申请数量\t{new}\t0\t0\t0\t0\t0\t{new}\n"
            f"（一）予以公开\t{done}\t0\t0\t0\t0\t0\t{done}\n")
    return f"城关镇人民政府2022年政府信息公开工作年度报告\n本报告由{county}城关镇人民政府编制。\n{template}\n{rows}"


def test_same_named_towns_of_one_template_are_similar_but_never_one_report():
    lushi, mianchi = _town_report("卢氏县", (7, 7)), _town_report("渑池县", (3, 3))
    sig_a, sig_b = signature(lushi), signature(mianchi)
    assert similarity(sig_a, sig_b) >= 0.9           # MinHash alone would merge them
    assert figures_differ(sig_a, sig_b)
    repost = lushi.replace("城关镇人民政府2022年", "【转载】城关镇人民政府2022年", 1)
    assert not figures_differ(sig_a, signature(repost))


def test_same_named_towns_with_the_same_figures_are_kept_apart_by_the_place_their_text_names():
    # two towns reporting nothing (all zeros) in one template: only the place tells them apart
    text = "\n".join(["本报告由{county}城关镇人民政府编制。{county}城关镇地处{county}县城中心。",
                      _town_report("", (0, 0)).split("\n", 2)[2]])
    lushi = "城关镇人民政府2022年政府信息公开工作年度报告\n" + text.replace("{county}", "卢氏县")
    mianchi = "城关镇人民政府2022年政府信息公开工作年度报告\n" + text.replace("{county}", "渑池县")
    sig_a, sig_b = signature(lushi), signature(mianchi)
    assert similarity(sig_a, sig_b) >= 0.9 and not figures_differ(sig_a, sig_b)
    assert (text_locality(lushi), text_locality(mianchi)) == ("卢氏县", "渑池县")
    assert localities_differ(sig_a, sig_b)
    # a repost on the city's portal keeps the text, so the place: still one report
    repost = lushi.replace("城关镇人民政府2022年", "【转载】城关镇人民政府2022年", 1) + "\n来源：三门峡市人民政府网"
    assert not localities_differ(sig_a, signature(repost))
    # a text that names no place twice has no locality: figures and similarity decide, as before
    assert text_locality(_town_report("", (0, 0))) is None


# -- whole crawls -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def independent():
    from replica import ReplicaServer

    with ReplicaServer(scale=1, base="127.0.8", collection="independent") as server:
        yield server


def _crawl(server, store: Path, *extra: str) -> subprocess.CompletedProcess:
    starts = [server.url(name, "/") for name in sorted(server.sites)]
    return run_nianbao("crawl", *starts, "--store", str(store), *FAST, "-s", "DOWNLOAD_TIMEOUT=20", *extra,
                       timeout=900)


@pytest.fixture(scope="module")
def crawled(independent, tmp_path_factory):
    store = tmp_path_factory.mktemp("independent") / "store"
    proc = _crawl(independent, store)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return store, proc.stderr.decode("utf-8", "replace")


def _fed_by_url(store: Path) -> dict[str, dict]:
    out = {}
    for record in read_feed(store / "feed"):
        for url in record.get("urls") or [record["url"]]:
            out.setdefault(url, record)
    return out


def _urls_of(server, entry) -> set[str]:
    """Every URL that serves the report: its own paths and its reposts' (whichever was fetched first is fed)."""
    own = {(entry["site"], p) for p in entry["paths"]}
    for other in TRUTH:
        if other["kind"] == "report" and other.get("repost_of") and tuple(other["repost_of"]) in own:
            own |= {(other["site"], p) for p in other["paths"]}
    return {server.url(site, path) for site, path in own}


def _squash(text: str) -> str:
    return "".join(text.split())


def test_every_report_of_every_independent_site_is_fed_exactly_once(independent, crawled):
    store, _ = crawled
    fed = _fed_by_url(store)
    feed = read_feed(store / "feed")
    missing, twice = [], []
    for entry in ORIGINALS:
        urls = _urls_of(independent, entry)
        records = {r["id"] for u, r in fed.items() if u in urls}
        if not records:
            missing.append((entry["site"], entry["paths"][0], entry["title"]))
        elif len(records) > 1:
            twice.append((entry["site"], entry["title"]))
    assert not missing, missing
    assert not twice, twice
    assert len(feed) == len(ORIGINALS), "a look-alike or a duplicate was fed"


def test_each_report_is_fed_with_its_whole_text(independent, crawled):
    store, _ = crawled
    fed = _fed_by_url(store)
    short = []
    for entry in ORIGINALS:
        if entry.get("ocr"):
            continue        # OCR'd page images: text quality is the OCR engine's (tests/test_ocr.py)
        record = next(fed[u] for u in sorted(_urls_of(independent, entry)) if u in fed)
        ratio = difflib.SequenceMatcher(None, _squash(record["text"]), _squash(entry["text"]), autojunk=False).ratio()
        if ratio < 0.95:
            short.append((entry["site"], entry["paths"][0], round(ratio, 3), record["text_source"]))
    assert not short, short


def test_a_report_over_several_pages_says_which_documents_its_text_came_from(independent, crawled):
    store, _ = crawled
    fed = _fed_by_url(store)
    multi = [e for e in ORIGINALS if e.get("parts") and len(e["parts"]) > 1 and not e.get("ocr")]
    assert multi
    for entry in multi:
        record = fed[independent.url(entry["site"], entry["paths"][0])]
        pages = [a["url"] for a in record["attachments"] if a["role"] == "page"]
        assert pages == [independent.url(entry["site"], p) for p in entry["parts"][1:]], entry["title"]


def test_a_file_behind_a_script_built_download_link_is_read(independent, crawled):
    # onclick="downloadFile('…')" whose URL a function in an included script assembles: clicked in Chromium
    store, _ = crawled
    fed = _fed_by_url(store)
    entry = next(e for e in ORIGINALS if e["site"] == "extensionless_downloads" and e.get("variant") == "onclick_script")
    record = fed[independent.url(entry["site"], entry["paths"][0])]
    assert record["text_source"] == "attachment"
    assert [a["role"] for a in record["attachments"]] == ["maybe"] and record["attachments"][0]["kind"] == "docx"


def test_every_column_is_complete_and_shown_so(independent, crawled):
    store, stderr = crawled
    status = json.loads(run_nianbao("status", "--store", str(store), "--json").stdout)
    columns = status["columns"]
    assert columns and status["columns_incomplete"] == 0, [c for c in columns if not c["complete"]]
    by_path = {(urlsplit(c["url"]).netloc, urlsplit(c["url"]).path): c for c in columns}
    for entry in COLUMNS:
        host = urlsplit(independent.url(entry["site"], "/")).netloc
        column = by_path.get((host, urlsplit(independent.url(entry["site"], entry["path"])).path))
        if column is None:
            continue        # a column reached through a frame or fragment is judged under that page's URL
        if entry["stated"] is not None and column["expected"] is not None:
            assert column["found"] >= entry["stated"], (entry, column)
    db = sqlite3.connect(store / "nianbao.sqlite")
    silent = db.execute("SELECT url, reason FROM failures WHERE stage IN ('listing', 'discovery')").fetchall()
    assert not silent, silent
    assert " report columns walked, 0 incomplete" in stderr
    text = run_nianbao("status", "--store", str(store)).stdout.decode()
    assert "Report columns:" in text and " 0 incomplete" in text
    # the columns whose entries only a browser reaches were escalated to it and completed
    assert any(c["method"] == "browser" and c["complete"] for c in columns)


def test_a_column_the_crawl_cannot_complete_is_a_recorded_listing_failure_with_the_figures(independent, tmp_path):
    store = tmp_path / "store"
    proc = _crawl(independent, store, "--browser", "never")
    assert proc.returncode == 0, proc.stderr[-3000:]
    db = sqlite3.connect(store / "nianbao.sqlite")
    failures = db.execute("SELECT url, reason FROM failures WHERE stage='listing'").fetchall()
    assert failures, "a column that needs a browser was not reported"
    assert any("found 10 of 35 the page states (共35条)" in reason and "NIANBAO_BROWSER is never" in reason
               for _, reason in failures), failures
    scripted = db.execute("SELECT reason FROM failures WHERE stage='attachment' AND reason LIKE '%opened by a script%'"
                          ).fetchall()
    assert scripted and "NIANBAO_BROWSER is never" in scripted[0][0]      # not followed, and said so
    incomplete = db.execute("SELECT count(*) FROM listings WHERE checked_at IS NOT NULL AND complete=0").fetchone()[0]
    assert incomplete == len(failures)
    assert f", {incomplete} incomplete," in proc.stderr.decode()
    report = tmp_path / "report.html"
    assert run_nianbao("report", "--store", str(store), "--out", str(report)).returncode == 0
    assert 'id="columns"' in report.read_text("utf-8") and "NO" in report.read_text("utf-8")


class _NoColumn(Site):
    """A portal home page whose links lead to no annual-report column at all."""

    name = "nocolumn"

    def __init__(self):
        super().__init__()
        self.route("/", lambda ctx: html_reply(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>某县人民政府</title></head><body>"
            "<div class='nav'><a href='/xwzx/'>新闻中心</a><a href='/zwfw/'>政务服务</a></div>"
            "<ul class='list'><li><a href='/xwzx/t20240101_1.html'>县长主持召开常务会议研究春耕工作</a>"
            "<span>2024-01-01</span></li></ul></body></html>"))
        self.route("/xwzx/", lambda ctx: html_reply("<html><body><p>新闻中心</p></body></html>"))
        self.route("/zwfw/", lambda ctx: html_reply("<html><body><p>政务服务</p></body></html>"))


def test_a_start_url_leading_to_no_column_is_a_recorded_discovery_failure(tmp_path):
    ctx, servers = serve([_NoColumn()], base="127.0.9")
    try:
        store = tmp_path / "store"
        proc = run_nianbao("crawl", ctx.bases["nocolumn"], "--store", str(store), *FAST, "--browser", "never")
        assert proc.returncode == 0, proc.stderr[-2000:]
    finally:
        stop(ctx, servers)
    db = sqlite3.connect(store / "nianbao.sqlite")
    rows = db.execute("SELECT url, reason FROM failures WHERE stage='discovery'").fetchall()
    assert rows and rows[0][0] == ctx.bases["nocolumn"], rows
    assert "no report column found" in rows[0][1] and "NIANBAO_BROWSER is never" in rows[0][1]
    assert "0 reports fed" in proc.stderr.decode() and "1 failure recorded" in proc.stderr.decode()


class _MovedHome(Site):
    """A portal whose old address redirects its home page to a new host (a new domain, a www. prefix)."""

    name = "moved"

    def dynamic(self, ctx, path, query):
        from replica.server import redirect

        return redirect(ctx.bases["tongyu"] + path.lstrip("/"), status=301)


def test_a_start_url_that_redirects_to_another_host_is_crawled_there(tmp_path):
    from replica.tongyu import Tongyu

    moved_to = Tongyu(1)
    ctx, servers = serve([_MovedHome(), moved_to], base="127.0.9")
    try:
        store = tmp_path / "store"
        proc = run_nianbao("crawl", ctx.bases["moved"], "--store", str(store), *FAST, "--browser", "never")
        assert proc.returncode == 0, proc.stderr[-2000:]
    finally:
        stop(ctx, servers)
    fed = {urlsplit(r["url"]).path + (f"?{urlsplit(r['url']).query}" if urlsplit(r["url"]).query else "")
           for r in read_feed(store / "feed")}
    want = {e["paths"][0] for e in moved_to.truth if e["kind"] == "report"}
    assert want and want <= fed, sorted(want - fed)
    db = sqlite3.connect(store / "nianbao.sqlite")
    assert db.execute("SELECT count(*) FROM failures WHERE stage='discovery'").fetchone()[0] == 0
    assert db.execute("SELECT detail FROM hosts WHERE need='redirect'").fetchone()[0].startswith("start page moved to")
