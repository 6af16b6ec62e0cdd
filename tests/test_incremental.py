"""Scheduled re-crawls over real HTTP: conditional requests, early stops at known reports, new, revised
and removed reports, robots.txt from the store; the replica's `evolving` site changes between runs."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from crawler.archive.feed import read_feed
from replica.evolving import Evolving
from crawler.archive.storage import open_store
from tests.conftest import FAST, run_nianbao

SITES = ("evolving", "yangcheng", "panshi")


def _epoch(replica, n: int) -> None:
    with urllib.request.urlopen(replica.url("evolving", f"/__replica/epoch?set={n}")) as resp:
        assert json.loads(resp.read())["epoch"] == n


def _crawl(replica, store, *extra):
    proc = run_nianbao("crawl", *[replica.url(s, "/") for s in SITES], "--store", str(store), *FAST, *extra)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    return proc


def _last_run(store) -> dict:
    s = open_store(store)
    try:
        run = s.runs()[-1]
        events = s.run_events(run["id"])
    finally:
        s.close()
    return {"stats": json.loads(run["stats"]), "events": events, "finished": run["finished_at"],
            "started": run["started_at"]}


@pytest.fixture(scope="module")
def history(replica, tmp_path_factory):
    """One store crawled five times: first, unchanged, unchanged --recheck all, then after the site changed."""
    store = tmp_path_factory.mktemp("incremental") / "store"
    site = Evolving(1)
    out = {"store": store, "site": site}
    try:
        _epoch(replica, 0)
        _crawl(replica, store)
        out["first"] = _last_run(store)
        _crawl(replica, store)
        out["second"] = _last_run(store)
        _crawl(replica, store, "--recheck", "all")
        out["sweep"] = _last_run(store)
        _epoch(replica, 1)
        _crawl(replica, store)
        out["changed"] = _last_run(store)
        _crawl(replica, store, "--recheck", "all")
        out["changed_sweep"] = _last_run(store)
        _epoch(replica, 2)
        _crawl(replica, store)
        out["reordered"] = _last_run(store)
    finally:
        _epoch(replica, 0)
    return out


def _requests(run) -> int:
    return run["stats"]["downloader/request_count"]


def _urls(run, event) -> set[str]:
    return {e["url"] for e in run["events"] if e["event"] == event}


def test_an_unchanged_recrawl_costs_at_most_a_tenth(history):
    first, second = _requests(history["first"]), _requests(history["second"])
    assert second <= 0.10 * first, (first, second)
    assert history["second"]["stats"].get("nianbao/feed/reports", 0) == 0
    assert history["second"]["stats"].get("nianbao/robots/cached", 0) == len(SITES)   # no robots.txt asked again


def test_recheck_all_asks_each_known_page_once_conditionally(history, replica):
    store = open_store(history["store"])
    try:
        known = [p for site in SITES for p in store.known_pages(replica.url(site, "/").split("/")[2]).values()
                 if p["first_seen"] < history["sweep"]["started"]]
    finally:
        store.close()
    sweep = history["sweep"]["stats"]
    assert sweep["nianbao/recheck/requests"] == len(known)
    # the evolving site gives validators: every one of its pages answers 304
    evolving = [p for p in known if p["etag"]]
    assert evolving and sweep.get("downloader/response_status_count/304", 0) == len(evolving)
    assert sweep.get("nianbao/feed/reports", 0) == 0 and sweep.get("nianbao/feed/revised", 0) == 0
    assert sweep["nianbao/recheck/unchanged"] == len(known)


def test_new_reports_are_found_on_the_next_default_run(history, replica):
    site = history["site"]
    added = {replica.url("evolving", site.url_of(r)) for r in site.added}
    assert _urls(history["changed"], "new") == added


def test_a_revision_is_fed_as_a_new_version_with_its_diff(history, replica):
    site = history["site"]
    url = replica.url("evolving", site.url_of(site.revised))
    assert _urls(history["changed_sweep"], "revised") == {url}
    feed = read_feed(history["store"] / "feed")
    versions = sorted((r for r in feed if r["url"] == url), key=lambda r: r["revision"])
    assert [r["revision"] for r in versions] == [1, 2]
    assert versions[1]["previous_id"] == versions[0]["id"] and versions[0]["previous_id"] is None
    store = open_store(history["store"])
    try:
        revision = next(r for r in store.revisions() if r["url"] == url)
        raws = {store.get_raw(s) is not None for s in (store.reports_by_id([versions[0]["id"]])[0]["raw_sha256"],
                                                          store.reports_by_id([versions[1]["id"]])[0]["raw_sha256"])}
    finally:
        store.close()
    assert raws == {True}                      # both versions' bytes are kept
    changed = [line for line in revision["diff"].splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert any("行政" in line and "\t" in line for line in changed)     # the table row with the corrected figure
    assert any("更正" in line for line in changed)
    # the view counter moved on every other page: not a revision
    assert len(_urls(history["changed_sweep"], "unchanged")) >= 20


def test_a_removed_report_is_marked_and_its_archive_stays(history, replica):
    site = history["site"]
    url = replica.url("evolving", site.url_of(site.removed))
    assert _urls(history["changed_sweep"], "removed") == {url}
    store = open_store(history["store"])
    try:
        page = store.page(url)
        assert page["removed_at"] and store.get_raw(page["raw_sha256"]) is not None
    finally:
        store.close()


def test_a_reordered_listing_is_walked_through(history, replica):
    site = history["site"]
    late = replica.url("evolving", site.url_of(site.late))
    assert site.listed(2).index(site.late) >= 2 * 8             # on the third page or later
    assert late in _urls(history["reordered"], "new")


# -- the schedule and the listing-order rules, on their own ------------------------------------------------

def test_recent_reports_are_rechecked_more_often_than_old_ones():
    from datetime import datetime, timedelta, timezone

    from crawler.ops.incremental import is_due

    now = datetime(2026, 3, 1, tzinfo=timezone.utc)

    def page(published_days_ago, checked_days_ago):
        return {"published": (now - timedelta(days=published_days_ago)).date().isoformat(),
                "last_checked": (now - timedelta(days=checked_days_ago)).isoformat(), "removed_at": None}

    assert is_due(page(10, 1.5), now) and not is_due(page(10, 0.5), now)          # a fresh report: daily
    assert is_due(page(60, 8), now) and not is_due(page(60, 3), now)              # two months: weekly
    assert is_due(page(200, 31), now) and not is_due(page(200, 20), now)          # this year: monthly
    assert is_due(page(900, 181), now) and not is_due(page(900, 100), now)        # old: twice a year
    assert not is_due({**page(10, 30), "removed_at": "2026-02-01T00:00:00Z"}, now)


def test_listing_order_rules():
    from crawler.ops.incremental import reordered, unordered_page

    assert not unordered_page([False, False, True, True])        # new ones on top: newest first
    assert unordered_page([True, False, True])                   # a new one below a known one
    assert not reordered(["a", "c"], ["a", "b", "c"]) and reordered(["c", "a"], ["a", "b", "c"])


def test_progress_lines_are_plain_text_with_the_figures(replica, tmp_path):
    proc = run_nianbao("crawl", replica.url("tongyu", "/"), "--store", str(tmp_path / "store"), *FAST,
                       "-s", "NIANBAO_PROGRESS_INTERVAL=0.5")
    lines = [line for line in proc.stderr.decode().splitlines() if "nianbao: progress" in line]
    assert lines and "\x1b" not in "".join(lines)
    last = lines[-1]
    for words in ("1/1 sites done", "reports found", "new", "revised", "removed", "failures", "queue 0",
                  "pages/min"):
        assert words in last, last


def test_a_remembered_column_that_is_gone_sends_the_walk_back_to_the_start(replica, tmp_path):
    import sqlite3

    store = tmp_path / "store"
    start = replica.url("tongyu", "/")
    assert run_nianbao("crawl", start, "--store", str(store), *FAST).returncode == 0
    root = start.rstrip("/")
    with sqlite3.connect(store / "nianbao.sqlite") as db:
        columns = [r[0] for r in db.execute("SELECT url FROM listings")]
        gone = [root + "/gone" + c[len(root):] for c in columns]          # the site moved its column
        db.executemany("UPDATE listings SET url = ? WHERE url = ?", list(zip(gone, columns)))
    assert columns
    assert run_nianbao("crawl", start, "--store", str(store), *FAST).returncode == 0
    s = open_store(store)
    try:
        failed = {f["url"] for f in s.failures() if f["run_id"] == s.runs()[-1]["id"]}
        walked_again = set(s.listing_urls(replica.url("tongyu", "/").split("/")[2]))
    finally:
        s.close()
    assert set(gone) <= failed                                 # the remembered columns answered 404
    assert set(columns) <= walked_again                        # found again from the home page


def test_a_repost_rechecked_unchanged_is_not_a_revision(replica, tmp_path):
    store = tmp_path / "store"
    starts = [replica.url("panshi", "/"), replica.url("jilin", "/")]
    assert run_nianbao("crawl", *starts, "--store", str(store), *FAST).returncode == 0
    sweep = run_nianbao("crawl", *starts, "--store", str(store), *FAST, "--recheck", "all")
    assert sweep.returncode == 0
    s = open_store(store)
    try:
        stats = json.loads(s.runs()[-1]["stats"])
        pages = [p for url in starts for p in s.known_pages(url.split("/")[2]).values()]
    finally:
        s.close()
    # whichever copy was fetched first is the report; the other is known as a copy of it
    assert [p for p in pages if p["text_id"] != p["report_id"]]
    assert stats.get("nianbao/feed/revised", 0) == 0 and stats.get("nianbao/feed/reports", 0) == 0


def _fetched(url: str, body: bytes, site: str, headers: list[tuple[str, str]]):
    from crawler.items import FetchedPage
    from crawler.archive.storage import utcnow
    return FetchedPage(url=url, final_url=url, status=200, headers=headers, request_headers=[], body=body,
                       fetched_at=utcnow(), site=site)


def test_a_repost_that_changed_on_its_portal_only_is_a_revision_there(replica, tmp_path):
    """The original (panshi) and its 【转载】 repost (jilin) through the real pipelines into a real store; then the
    repost alone is corrected on jilin: fed as revision 2 at jilin's URL, the original untouched."""
    import asyncio
    import inspect
    import re

    from scrapy.exceptions import DropItem
    from scrapy.utils.misc import build_from_crawler
    from scrapy.utils.test import get_crawler

    from replica import expected
    from spiders.reports import ReportsSpider

    repost = next(e for e in expected(1) if e["kind"] == "report" and e.get("repost_of"))
    site, path = repost["repost_of"]
    pages = {}
    for name, page_path in ((site, path), (repost["site"], repost["paths"][0])):
        url = replica.url(name, page_path)
        with urllib.request.urlopen(url) as resp:
            pages[name] = (url, resp.read(), list(resp.headers.items()))
    import settings.default as defaults
    crawler = get_crawler(ReportsSpider, settings_dict={
        **{k: getattr(defaults, k) for k in dir(defaults) if k.isupper()},
        "NIANBAO_STORE": str(tmp_path / "store"), "NIANBAO_WARC": False, "NIANBAO_PARSE": False})
    chain = [build_from_crawler(load, crawler) for load in (
        __import__("pipelines.archive", fromlist=["x"]).ArchivePipeline,
        __import__("pipelines.extract", fromlist=["x"]).ExtractPipeline,
        __import__("pipelines.classify", fromlist=["x"]).ClassifyPipeline,
        __import__("pipelines.dedupe", fromlist=["x"]).DedupePipeline,
        __import__("pipelines.feed", fromlist=["x"]).FeedPipeline)]

    def run(name, body=None):
        url, raw, headers = pages[name]
        item = _fetched(url, body if body is not None else raw, urllib.parse.urlsplit(url).netloc, headers)
        try:
            for pipeline in chain:
                item = pipeline.process_item(item)
                if inspect.iscoroutine(item):       # ExtractPipeline is async (it awaits threads for files only)
                    item = asyncio.run(item)
        except DropItem as exc:
            return str(exc)
        return item

    original = run(site)
    assert original.revision == 1
    assert "near duplicate" in run(repost["site"])               # the repost is known as a copy
    # jilin corrects a figure of its copy: a number of the report's text that stands once in the page
    url, raw, _ = pages[repost["site"]]
    html = raw.decode("utf-8")
    figure = next(m for number in dict.fromkeys(re.findall(r"\d{2,}", repost["text"]))
                  if not 1900 <= int(number) <= 2100
                  for m in [re.search(rf"(?<!\d){number}(?!\d)", html)]
                  if m and len(re.findall(rf"(?<!\d){number}(?!\d)", html)) == 1)
    corrected = (html[:figure.start()] + str(int(figure.group()) + 1) + html[figure.end():]).encode("utf-8")
    revised = run(repost["site"], corrected)
    assert not isinstance(revised, str), revised
    assert (revised.revision, revised.previous_id, revised.url) == (2, original.report_id, url)
    for pipeline in chain:
        getattr(getattr(pipeline, "writer", None), "close", lambda: None)()
    store = open_store(tmp_path / "store")
    try:
        feed = read_feed(tmp_path / "store" / "feed")
        assert [(r["url"], r["revision"]) for r in feed] == [(original.url, 1), (url, 2)]
        assert store.page(original.url)["revision"] == 1                   # the original is untouched
        assert store.page(url)["revision"] == 2
        (diff,) = [r["diff"] for r in store.revisions() if r["report_id"] == revised.report_id]
        assert figure.group() in diff and str(int(figure.group()) + 1) in diff
    finally:
        store.close()


# -- a back-dated report inserted below known ones, with no re-sort (the evolving site's epoch 3) -----------

def _evolving_crawl(replica, store, *extra):
    # a run of 4 known reports stops a walk: the first page (8 known) ends it before the page the report is on
    proc = run_nianbao("crawl", replica.url("evolving", "/"), "--store", str(store), *FAST,
                       "-s", "NIANBAO_KNOWN_RUN=4", *extra)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    return proc.stderr.decode()


def _fed_urls(store) -> set[str]:
    return {r["url"] for r in read_feed(store / "feed")}


def _as_if(store, **columns) -> None:
    """Set the stored record of the evolving column's walk (the figures or the date of its last full walk)."""
    import sqlite3

    with sqlite3.connect(store / "nianbao.sqlite") as db:
        for name, value in columns.items():
            db.execute(f"UPDATE listings SET {name} = ? WHERE checked_at IS NOT NULL", (value,))


@pytest.fixture(scope="module")
def backdated(replica, tmp_path_factory):
    """Stores crawled at epoch 0, then the column changed to epoch 3: one report inserted at its date position
    on a later page, nothing re-sorted, the first pages as they were."""
    import shutil

    root = tmp_path_factory.mktemp("backdated")
    site = Evolving(1)
    first = root / "first"
    try:
        _epoch(replica, 0)
        _evolving_crawl(replica, first)
        stores = {}
        for name in ("figures", "quiet", "aged", "sweep"):
            shutil.copytree(first, root / name)
            stores[name] = root / name
        _epoch(replica, 3)
        logs = {}
        # the column's page count grew (its figures say an entry was added): the next run walks it through
        logs["figures"] = _evolving_crawl(replica, stores["figures"])
        # the same, had the page count not grown (the last full walk found as many as the column now states)
        _as_if(stores["quiet"], found=len(site.listed(3)))
        logs["quiet"] = _evolving_crawl(replica, stores["quiet"])
        # ... and that walk was 40 days ago: NIANBAO_WALK_THROUGH_DAYS (30) walks it through
        _as_if(stores["aged"], found=len(site.listed(3)), checked_at="2020-01-01T00:00:00Z")
        logs["aged"] = _evolving_crawl(replica, stores["aged"])
        # ... or a --recheck all sweep, whatever the figures and dates
        _as_if(stores["sweep"], found=len(site.listed(3)))
        logs["sweep"] = _evolving_crawl(replica, stores["sweep"], "--recheck", "all")
    finally:
        _epoch(replica, 0)
    return {"site": site, "stores": stores, "logs": logs, "first": first}


def test_backdated_report_sits_below_known_ones_without_a_resort(backdated):
    site = backdated["site"]
    position = site.insert_position(3)
    assert position is not None and position >= 8          # below the first page, which ends the early walk
    # above it, the column is exactly what the first crawl saw; no re-sort anywhere
    assert site.listed(3)[:position] == site.listed(0)[:position]
    assert site.listed(3)[position + 1:] == site.listed(0)[position:]


@pytest.mark.parametrize("case, why", [
    ("figures", "entries, 24 at its last full walk"),
    ("aged", "was last walked through"),
    ("sweep", None),
])
def test_a_backdated_report_is_fed_by_the_next_run(backdated, replica, case, why):
    url = replica.url("evolving", backdated["site"].url_of(backdated["site"].backdated))
    assert url not in _fed_urls(backdated["first"])
    assert url in _fed_urls(backdated["stores"][case])
    if why:
        assert why in backdated["logs"][case]


def test_a_quiet_column_walked_through_recently_stops_at_known_reports(backdated, replica):
    """The price of the early stop, stated: with no figure grown and a full walk within
    NIANBAO_WALK_THROUGH_DAYS, the run stops at known reports (the report waits for the next walk-through)."""
    url = replica.url("evolving", backdated["site"].url_of(backdated["site"].backdated))
    assert "known reports in a row; not walking further" in backdated["logs"]["quiet"]
    assert url not in _fed_urls(backdated["stores"]["quiet"])
