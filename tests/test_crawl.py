"""Whole crawls of the replica portals over real HTTP on loopback, through the real `nianbao` CLI."""

from __future__ import annotations

import difflib
import hashlib
import json
import subprocess
import urllib.request
from collections import Counter
from urllib.parse import urlsplit

import pytest

from crawler.judge.dedupe import normalise
from crawler.archive.feed import read_feed, validate_record
from replica import expected
from crawler.archive.storage import open_store
from tests.conftest import FAST, REPO, BIN, run_nianbao

EXPECTED = expected(scale=1)
REPORTS = [e for e in EXPECTED if e.get("kind", "report") == "report"]
LOOKALIKES = [e for e in EXPECTED if e.get("kind") == "lookalike"]
TRAPS = [e for e in EXPECTED if e.get("kind") not in ("report", "lookalike", "column", None)]
ORIGINALS = [e for e in REPORTS if not e.get("repost_of")]


def _group_paths(entry):
    """(site, path) of every page serving the report: its own paths and those of its reposts."""
    own = {(entry["site"], p) for p in entry["paths"]}
    for e in REPORTS:
        if e.get("repost_of") and tuple(e["repost_of"]) in own:
            own |= {(e["site"], p) for p in e["paths"]}
    return own


def _url(replica, site, path):
    return replica.url(site, path)


@pytest.fixture(scope="module")
def feed(crawled):
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    return read_feed(crawled.store / "feed")


@pytest.fixture(scope="module")
def store(crawled):
    s = open_store(crawled.store)
    yield s
    s.close()


def _fed_for(feed, replica, entry):
    """Feed lines of the report; a repost may be the copy fetched first, so it counts too."""
    urls = {_url(replica, site, p) for site, p in _group_paths(entry)}
    return [r for r in feed if r["url"] in urls]


def test_crawl_exits_zero_and_prints_a_summary(crawled):
    assert crawled.returncode == 0
    assert "reports fed" in crawled.stderr


def test_every_report_is_fed_exactly_once(feed, replica):
    assert ORIGINALS, "the replica describes no reports"
    for entry in ORIGINALS:
        fed = _fed_for(feed, replica, entry)
        assert len(fed) == 1, f"{entry['site']} {entry['title']}: fed {len(fed)} times"
    ids = Counter(r["id"] for r in feed)
    assert max(ids.values()) == 1
    assert len(feed) == len(ORIGINALS)


def test_feed_lines_are_schema_valid(feed):
    for record in feed:
        validate_record(record)


def test_metadata_is_the_reports_own(feed, replica):
    by_url = {_url(replica, e["site"], p): e for e in REPORTS for p in e["paths"]}
    for original in ORIGINALS:
        (record,) = _fed_for(feed, replica, original)
        entry = by_url[record["url"]]          # the original, or the repost when that copy came first
        assert record["year"] == entry["year"], entry["title"]
        assert record["published"] == entry["published"], entry["title"]
        assert record["agency"] == entry["agency"], entry["title"]


def test_text_keeps_every_character_and_drops_chrome(feed, replica):
    for entry in (e for e in ORIGINALS if not e.get("ocr")):     # OCR text: test_ocr_text_is_close
        (record,) = _fed_for(feed, replica, entry)
        if record["url"] not in {_url(replica, entry["site"], p) for p in entry["paths"]}:
            continue  # the repost was fed: its own entry below holds its strings
        for needle in entry.get("must_contain", []):
            assert needle in record["text"], f"{entry['title']}: missing {needle!r}"
        for chrome in entry.get("must_not_contain", []):
            assert chrome not in record["text"], f"{entry['title']}: chrome {chrome!r} left in"
        assert "font-family" not in record["text"] and "TRS_Editor" not in record["text"]


def test_text_is_exactly_the_published_text(feed, replica):
    """Normalised, every fed text equals the text the page was rendered from: nothing lost, no chrome."""
    by_url = {_url(replica, e["site"], p): e for e in REPORTS for p in e["paths"]}
    for record in feed:
        entry = by_url[record["url"]]
        if entry.get("ocr"):
            continue          # OCR is not exact: test_ocr_text_is_close_and_marked
        assert normalise(record["text"]) == normalise(entry["text"]), entry["title"]
        assert not record["ocr"]


def test_ocr_text_is_close_and_marked(feed, replica):
    """Scanned PDFs and 图片版 pages are read by Tesseract: marked, with a confidence, and close to the text."""
    by_url = {_url(replica, e["site"], p): e for e in REPORTS for p in e["paths"]}
    ocr = [(r, by_url[r["url"]]) for r in feed if by_url[r["url"]].get("ocr")]
    assert len(ocr) >= 2
    for record, entry in ocr:
        assert record["ocr"] and 0.5 < record["ocr_confidence"] <= 1, entry["title"]
        assert record["text_source"] == "attachment"
        got, want = "".join(normalise(record["text"]).split()), "".join(normalise(entry["text"]).split())
        assert difflib.SequenceMatcher(None, got, want, autojunk=False).ratio() >= 0.9, entry["title"]


def test_restored_characters_of_the_seeds_are_kept(feed):
    texts = "\n".join(r["text"] for r in feed)
    assert "2018年1月1日" in texts and "2018年12月31日" in texts
    assert "2019年2月21日" in texts
    assert "我镇党委" in texts or "镇党委、政府" in texts


def test_every_url_of_a_report_is_recorded(feed, replica, store):
    for entry in ORIGINALS:
        urls = {_url(replica, site, p) for site, p in _group_paths(entry)}
        known = None
        for r in store.reports():
            if urls & {u for u, _ in store.report_urls(r["id"])}:
                known = r
        assert known is not None, f"{entry['site']} {entry['title']}: no report holds its URLs"
        recorded = {u for u, _ in store.report_urls(known["id"])}
        assert urls <= recorded, f"{entry['title']}: {urls - recorded} not recorded"


def test_repost_is_one_report_with_both_urls(feed, replica, store):
    reposts = [e for e in REPORTS if e.get("repost_of")]
    assert reposts
    for entry in reposts:
        (original,) = [e for e in ORIGINALS if (e["site"], e["paths"][0]) in _group_paths(entry) or
                       tuple(entry["repost_of"]) in {(e["site"], p) for p in e["paths"]}]
        (record,) = _fed_for(feed, replica, original)          # one line for original + repost
        relations = dict(store.report_urls(record["id"]))
        repost_urls = {_url(replica, entry["site"], p) for p in entry["paths"]}
        original_urls = {_url(replica, original["site"], p) for p in original["paths"]}
        # whichever copy came first was fed; the other portal's copy is its near duplicate
        other = original_urls if record["url"] in repost_urls else repost_urls
        assert any(relations.get(u) == "near_duplicate" for u in other), relations


def test_consecutive_year_reports_of_one_agency_are_both_fed(feed):
    by_agency = {}
    for r in feed:
        by_agency.setdefault(r["agency"], set()).add(r["year"])
    assert any({y, y + 1} <= years for years in by_agency.values() for y in years)


def test_lookalikes_are_rejected_with_reasons(feed, replica, store):
    fed_urls = {r["url"] for r in feed}
    decisions = {d["url"]: d for d in store.decisions()}
    for entry in LOOKALIKES:
        url = _url(replica, entry["site"], entry["path"])
        assert url not in fed_urls, entry["title"]
        if not entry["in_report_column"]:
            continue  # a guide in its own column is never a candidate
        assert url in decisions, f"no decision recorded for {entry['title']}"
        assert decisions[url]["is_report"] is False and decisions[url]["reasons"]


@pytest.mark.parametrize("kind,stage,words", [
    ("redirect_loop", "fetch", "redirect loop"),
    ("too_big", "fetch", "body too large"),
    ("truncated", "fetch", "truncated"),
    ("stall", "fetch", "timed out"),
    ("server_error", "fetch", "HTTP 500"),
    ("not_found", "fetch", "HTTP 404"),
    ("binary", "file", "corrupt"),          # OLE2 header then garbage: a broken Word file
    ("undecodable", "decode", "no clean decode"),
    ("robots_disallowed", "robots", "robots.txt"),
])
def test_traps_are_recorded_failures(store, replica, kind, stage, words):
    traps = [t for t in TRAPS if t["kind"] == kind]
    assert traps, f"replica has no {kind} trap"
    failures = store.failures()
    for trap in traps:
        url = _url(replica, trap["site"], trap["path"])
        mine = [f for f in failures if f["url"].startswith(url.split(";")[0])]
        assert mine, f"{kind}: no failure recorded for {url}"
        assert mine[0]["stage"] == stage, mine
        assert words and words.lower() in mine[0]["reason"].lower(), mine      # every trap names its cause


def test_flaky_page_is_retried_and_fed(feed, replica):
    flaky = [t for t in TRAPS if t["kind"] == "flaky"] + [e for e in REPORTS if "/flaky/" in e["paths"][0]]
    assert flaky
    urls = {_url(replica, t["site"], p) for t in flaky for p in t.get("paths", [t.get("path")]) if p}
    assert urls & {r["url"] for r in feed}


def test_raw_is_byte_exact(feed, crawled, replica):
    # a page without a view counter comes back identical to a direct fetch
    store = open_store(crawled.store)
    for record in feed:
        body = store.get_raw(record["raw"]["sha256"])
        assert hashlib.sha256(body).hexdigest() == record["raw"]["sha256"]
        assert len(body) == record["raw"]["length"]
    store.close()
    for record in feed[:: max(1, len(feed) // 8)]:       # the CLI gives the same bytes (a sample: one process each)
        out = run_nianbao("raw", record["raw"]["sha256"], "--store", str(crawled.store))
        assert out.returncode == 0 and hashlib.sha256(out.stdout).hexdigest() == record["raw"]["sha256"]
    # tongyu's GBK pages carry no view counter (aspnet's ASP.NET pages, GBK too, count every view)
    tongyu = urlsplit(replica.url("tongyu", "/")).netloc
    gbk = [r for r in feed if (r["raw"].get("encoding") or "").lower() in ("gb18030", "gbk")
           and urlsplit(r["url"]).netloc == tongyu]
    assert gbk, "no GBK report was fed"
    direct = urllib.request.urlopen(gbk[0]["url"], timeout=10).read()
    out = run_nianbao("raw", gbk[0]["raw"]["sha256"], "--store", str(crawled.store))
    assert out.stdout == direct


def test_each_site_is_its_own_loopback_host(feed, replica):
    hosts = {urlsplit(u).hostname for u in replica.sites.values()}
    assert len(hosts) == len(replica.sites)
    assert all(h.startswith("127.") for h in hosts)
    assert len({r["site"] for r in feed}) >= 4


def test_failures_did_not_stop_the_crawl(store, feed):
    assert store.failures() and feed


def test_bad_arguments_and_unusable_store_exit_nonzero(tmp_path):
    assert run_nianbao("crawl").returncode == 2
    assert run_nianbao("crawl", "http://127.0.0.1:9/", "--store", str(tmp_path), "--delay", "-1").returncode == 2
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_nianbao("crawl", "http://127.0.0.1:9/", "--store", str(blocker / "store"))
    assert proc.returncode == 3
    assert b"cannot open store" in proc.stderr
    open_store(tmp_path / "empty").close()      # a store, empty: `raw` reads no missing store (exit 3)
    assert run_nianbao("raw", "0" * 64, "--store", str(tmp_path / "empty")).returncode == 1


def test_backfill_feeds_a_report_and_force_feeds_a_lookalike(replica, tmp_path):
    report = ORIGINALS[0]
    look = LOOKALIKES[0]
    store_dir = tmp_path / "bf"
    proc = run_nianbao("backfill", _url(replica, report["site"], report["paths"][0]),
                       _url(replica, look["site"], look["path"]), "--store", str(store_dir), *FAST)
    assert proc.returncode == 0, proc.stderr[-2000:]
    fed = read_feed(store_dir / "feed")
    assert [r["title"] for r in fed] == [report["title"]]
    proc = run_nianbao("backfill", _url(replica, look["site"], look["path"]), "--force", "--store",
                       str(store_dir), *FAST)
    assert proc.returncode == 0
    forced = [r for r in read_feed(store_dir / "feed") if r["classification"]["forced"]]
    assert len(forced) == 1 and forced[0]["classification"]["is_report"] is False
    assert forced[0]["classification"]["reasons"]


def test_scrapy_crawl_reports_runs_the_same_crawl(replica, tmp_path):
    site = "yangcheng"
    store_dir = tmp_path / "scrapy"
    proc = subprocess.run([str(BIN / "scrapy"), "crawl", "reports", "-a", f"start_urls={replica.url(site, '/')}",
                           "-s", f"NIANBAO_STORE={store_dir}", "-s", "DOWNLOAD_DELAY=0",
                           "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_TIMEOUT=3"],
                          capture_output=True, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    fed = read_feed(store_dir / "feed")
    want = [e for e in ORIGINALS if e["site"] == site]
    assert sorted(r["title"] for r in fed) == sorted(e["title"] for e in want)


def test_pagination_trap_stops_at_the_first_page_without_new_reports(crawled, replica):
    trap = next(t for t in TRAPS if t["kind"] == "pagination_trap")
    trap_prefix = _url(replica, trap["site"], trap["path"]).split("?")[0]
    stale = [line for line in crawled.stderr.splitlines() if "brought no new report links" in line]
    assert any(trap_prefix in line for line in stale), stale
    # what was fetched, not what was logged: the WARC index holds every listing page the walk asked for
    index = (crawled.store / "warc" / "index.cdxj").read_text("utf-8")
    fetched = {line.split('"url": "', 1)[1].split('"', 1)[0] for line in index.splitlines()
               if f'"url": "{trap_prefix}?' in line}
    assert 1 <= len(fetched) <= 3, sorted(fetched)      # the endless pager is left after its first stale page


def test_a_column_url_works_as_start_and_max_pages_caps_the_walk(replica, tmp_path):
    site = "panshi"
    column = replica.url(site, "/zwgk/zfxxgknb/index.html")
    want = {e["title"] for e in ORIGINALS if e["site"] == site}
    full = tmp_path / "full"
    assert run_nianbao("crawl", column, "--store", str(full), *FAST).returncode == 0
    assert {r["title"] for r in read_feed(full / "feed")} == want
    capped = tmp_path / "capped"
    assert run_nianbao("crawl", column, "--store", str(capped), "--max-pages", "1", *FAST).returncode == 0
    got = {r["title"] for r in read_feed(capped / "feed")}
    assert got and got < want          # only what the first listing page links
    # ... and the column cut short by the cap says so: a listing failure with what was found
    store = open_store(capped)
    try:
        cut = [f for f in store.failures() if f["stage"] == "listing"]
    finally:
        store.close()
    assert cut and all("before the listing-page cap" in f["reason"] for f in cut), cut
    assert column in {f["url"] for f in cut}


def test_defaults_are_polite():
    import settings.default as defaults

    assert defaults.ROBOTSTXT_OBEY is True
    assert defaults.DOWNLOAD_DELAY >= 1 and defaults.CONCURRENT_REQUESTS_PER_DOMAIN <= 2
    assert defaults.AUTOTHROTTLE_ENABLED is True
    assert "{contact_url}" in defaults.NIANBAO_USER_AGENT and defaults.NIANBAO_CONTACT_URL.startswith("https://")
    assert defaults.DOWNLOAD_MAXSIZE == 20 * 1024 * 1024 and defaults.RETRY_TIMES >= 1
