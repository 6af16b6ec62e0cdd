"""Issue 4 over real HTTP: listings plain HTML does not show, anti-bot challenges, Chromium only where needed.

The shared crawl (tests/conftest.py `crawled`) covers every replica site; these tests check what it
needed to get there, and run the cases a full crawl cannot show (no browser, an unclearable challenge,
an expiring clearance) against their own sites on 127.0.4.x.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from crawler.archive.feed import read_feed
from replica import expected
from replica.challenges import Jsl
from replica.server import Reply, serve, stop
from replica.site import Site
from crawler.archive.storage import open_store
from tests.conftest import FAST, run_nianbao

EXPECTED = expected(scale=1)
JS_LISTINGS = [e for e in EXPECTED if e["kind"] == "js_listing"]
CHALLENGES = [e for e in EXPECTED if e["kind"] == "challenge"]
STATIC_SITES = ("panshi", "tongyu", "jilin", "jianchuan", "yangcheng", "dataproxy", "aspnet")


def _rendered(stderr: str) -> int:
    m = re.search(r"(\d+) pages? rendered in Chromium", stderr)
    assert m, stderr[-2000:]
    return int(m.group(1))


def _host(replica, site):
    return urlsplit(replica.url(site, "/")).netloc


def _reports_of(site):
    return [e for e in EXPECTED if e["kind"] == "report" and e["site"] == site and not e.get("repost_of")]


def test_chromium_renders_exactly_the_pages_that_need_it(crawled):
    # one render per script-drawn listing, one per challenged host (its clearance is then reused)
    assert JS_LISTINGS and CHALLENGES
    assert _rendered(crawled.stderr) == len(JS_LISTINGS) + len(CHALLENGES)


def test_what_each_host_needed_is_recorded(crawled, replica):
    store = open_store(crawled.store)
    needs = {}
    for row in store.host_needs():
        needs.setdefault(row["host"], set()).add(row["need"])
    store.close()
    for entry in CHALLENGES:
        kind = {"status200": "shield"}.get(entry["challenge"], entry["challenge"])
        assert f"challenge:{kind}" in needs.get(_host(replica, entry["site"]), set()), entry
    assert "browser" in needs[_host(replica, "gkmlpt")]
    for site in STATIC_SITES:
        assert not needs.get(_host(replica, site)), (site, needs.get(_host(replica, site)))


def test_plain_html_shells_postbacks_and_dataproxy_give_every_report(crawled, replica):
    fed = {r["url"] for r in read_feed(crawled.store / "feed")}
    for site in ("dataproxy", "aspnet", "gkmlpt", "jsl", "ruishu", "shield", "waf"):
        reports = _reports_of(site)
        assert reports, site
        missing = [e["title"] for e in reports if not {replica.url(site, p) for p in e["paths"]} & fed]
        assert not missing, (site, missing[:3])


def test_browser_never_renders_nothing_and_records_why(replica, tmp_path):
    store = tmp_path / "store"
    starts = [replica.url(s, "/") for s in ("gkmlpt", "jsl", "dataproxy")]
    proc = run_nianbao("crawl", *starts, "--store", str(store), "--browser", "never", *FAST)
    stderr = proc.stderr.decode()
    assert proc.returncode == 0, stderr[-2000:]
    assert _rendered(stderr) == 0
    failures = open_store(store).failures()
    stages = {(f["stage"], urlsplit(f["url"]).netloc) for f in failures}
    assert ("browser", _host(replica, "gkmlpt")) in stages
    jsl = [f for f in failures if urlsplit(f["url"]).netloc == _host(replica, "jsl")]
    assert jsl and all(f["stage"] == "challenge" and "never" in f["reason"] for f in jsl)
    # a static Hanweb site needs no browser: all of it still comes in
    fed = {r["url"] for r in read_feed(store / "feed")}
    assert all({replica.url("dataproxy", p) for p in e["paths"]} & fed for e in _reports_of("dataproxy"))


class Unclearable(Site):
    """A 瑞数-style 412 whose script never produces an accepted cookie: no browser gets past it."""

    name = "unclearable"

    def respond(self, ctx, path, query):
        body = ("<html><head><meta content='" + "q" * 200 + "' r='m'><script r='m'>$_ts=window['$_ts'];"
                "if(!$_ts)$_ts=window['$_ts']={};$_ts.nsd=1;$_ts.cd='x';</script></head><body></body></html>")
        return Reply(412, body.encode(), "text/html; charset=utf-8", [("Set-Cookie", "ABCS=1; path=/")])


@pytest.fixture(scope="module")
def own_sites():
    ctx, servers = serve([Unclearable(), Jsl(1, clearance_ttl=2)], base="127.0.4")
    yield ctx
    stop(ctx, servers)


def test_a_challenge_that_never_clears_is_a_failure_not_a_loop(own_sites, tmp_path):
    url = own_sites.bases["unclearable"]
    proc = run_nianbao("crawl", url, "--store", str(tmp_path / "s"), *FAST, "-s", "NIANBAO_CHALLENGE_WAIT=2",
                       "-s", "NIANBAO_CHALLENGE_MAX_CLEARS=2", "-s", "ROBOTSTXT_OBEY=0", timeout=120)
    stderr = proc.stderr.decode()
    assert proc.returncode == 0, stderr[-2000:]
    assert _rendered(stderr) == 2                     # NIANBAO_CHALLENGE_MAX_CLEARS browser tries, then stop
    store = open_store(tmp_path / "s")
    (failure,) = store.failures()
    assert failure["stage"] == "challenge" and "not cleared after 2 browser tries" in failure["reason"]
    assert any(n["need"] == "challenge_failed" for n in store.host_needs())


def test_an_expired_clearance_is_cleared_again(own_sites, tmp_path):
    # the clearance lasts 2 s; a polite crawl of the site takes longer, so the host challenges again
    url = own_sites.bases["jsl"]
    proc = run_nianbao("crawl", url, "--store", str(tmp_path / "s"), "--delay", "0.4", "-s", "DOWNLOAD_TIMEOUT=5",
                       "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY_JITTER=0", timeout=180)
    stderr = proc.stderr.decode()
    assert proc.returncode == 0, stderr[-2000:]
    assert _rendered(stderr) >= 2
    fed = read_feed(tmp_path / "s" / "feed")
    assert len(fed) == len(_reports_of("jsl"))
    assert open_store(tmp_path / "s").failures() == []


# --- reports published as files ------------------------------------------------------------------------
BAD_FILES = [e for e in EXPECTED if e["kind"] == "bad_file"]
FILE_REPORTS = [e for e in EXPECTED if e["kind"] == "report" and e.get("raw_kind", "html") != "html"]


def test_every_bad_file_is_a_recorded_failure_with_its_bytes_archived(crawled, replica):
    assert len(BAD_FILES) >= 4
    store = open_store(crawled.store)
    failures = store.failures()
    fetched = {f["url"]: f for f in store.fetches()}
    fed = {r["url"] for r in read_feed(crawled.store / "feed")}
    for entry in BAD_FILES:
        url = replica.url(entry["site"], entry["path"])
        mine = [f for f in failures if f["url"] == url]
        assert mine, f"no failure for {entry['path']}"
        assert entry["reason"] in mine[0]["reason"], mine
        assert url not in fed
        if entry.get("page"):          # the article that only pointed at the broken file is not fed either
            assert replica.url(entry["site"], entry["page"]) not in fed
        if entry["reason"] != "empty file":
            assert store.get_raw(fetched[url]["sha256"]) is not None, "received bytes are archived"
    store.close()


def test_file_reports_keep_their_file_as_raw_or_attachment(crawled, replica):
    import hashlib
    import urllib.request

    by_url = {replica.url(e["site"], p): e for e in FILE_REPORTS for p in e["paths"]}
    records = [r for r in read_feed(crawled.store / "feed") if r["url"] in by_url]
    assert len(records) == len(FILE_REPORTS)
    for record in records:
        entry = by_url[record["url"]]
        if record["text_source"] == "file":        # linked directly: the file is the raw
            assert record["raw"]["kind"] == entry["raw_kind"], entry["title"]
            assert record["attachments"] == []
        else:                                       # an article page introduces it: the file is an attachment
            assert record["raw"]["kind"] == "html"
            files = {urlsplit(a["url"]).path + ("?" + urlsplit(a["url"]).query if urlsplit(a["url"]).query else "")
                     for a in record["attachments"]}
            assert set(entry["attachments"]) <= files, (entry["title"], files)
            for att in record["attachments"]:
                body = urllib.request.urlopen(att["url"], timeout=10).read()
                assert hashlib.sha256(body).hexdigest() == att["sha256"], att["url"]
                assert att["text"] and att["error"] is None
        assert record["published"] == entry["published"], entry["title"]
