"""SIGKILL a real crawl at the worst moments of its writes, run the same command again, check the store:
every report fed exactly once, nothing archived lost or half-written, no torn line taken for a record."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from collections import Counter

import pytest

from crawler.archive.feed import read_feed
from crawler.archive.storage import open_store
from tests.conftest import FAST, NIANBAO, REPO

SITES = ("yangcheng", "panshi", "tongyu")


def _args(replica, store):
    return ["crawl", *[replica.url(s, "/") for s in SITES], "--store", str(store), *FAST]


def _run(replica, store, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NIANBAO_CRASH_AT": crash_at} if crash_at else {**os.environ}
    env.pop("NIANBAO_CRASH_AT", None) if crash_at is None else None
    return subprocess.run([NIANBAO, *_args(replica, store)], capture_output=True, timeout=300, cwd=REPO, env=env)


def _ids(store) -> list[str]:
    return [r["id"] for r in read_feed(store / "feed")]


@pytest.fixture(scope="module")
def reference(replica, tmp_path_factory):
    """The same crawl, never interrupted: what every crashed-and-resumed store must end up with."""
    store = tmp_path_factory.mktemp("reference") / "store"
    assert _run(replica, store).returncode == 0
    ids = _ids(store)
    assert ids and len(ids) == len(set(ids))
    return set(ids)


def _check(store, reference) -> None:
    ids = _ids(store)
    twice = [i for i, n in Counter(ids).items() if n > 1]
    assert not twice, f"fed twice: {twice[:3]}"
    assert set(ids) == reference
    s = open_store(store)
    try:
        for report in s.reports():
            assert report["fed_at"], report["url"]
            body = s.get_raw(report["raw_sha256"])
            assert body is not None and hashlib.sha256(body).hexdigest() == report["raw_sha256"]
        for fetch in s.fetches():
            body = s.get_raw(fetch["sha256"])
            assert body is not None and hashlib.sha256(body).hexdigest() == fetch["sha256"]
    finally:
        s.close()
    for path in (store / "raw").rglob("*"):
        if path.is_file() and not path.name.startswith(".tmp-"):
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name      # never half-written


@pytest.mark.parametrize("point", ["download:12", "download:24", "archive:7", "claim:5", "feed:4", "feed:1", "claim:1"])
def test_sigkill_at_a_write_then_rerun_loses_and_duplicates_nothing(replica, reference, tmp_path, point):
    store = tmp_path / "store"
    killed = _run(replica, store, crash_at=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    resumed = _run(replica, store)
    assert resumed.returncode == 0, resumed.stderr.decode()[-2000:]
    _check(store, reference)
    s = open_store(store)
    try:
        runs = s.runs()
    finally:
        s.close()
    assert len(runs) == 2 and runs[0]["finished_at"] is None and runs[1]["finished_at"]


def _feed_lines(store) -> int:
    return sum(part.read_bytes().count(b"\n") for part in (store / "feed").rglob("*.jsonl*") if part.is_file())


def _raw_files(store) -> int:
    return sum(1 for path in (store / "raw").rglob("*") if path.is_file()) if (store / "raw").exists() else 0


@pytest.mark.parametrize("moment, reached", [
    ("first archived bytes", lambda store: _raw_files(store) >= 1),
    ("mid-crawl, some reports fed", lambda store: _feed_lines(store) >= 5),
], ids=["early", "mid"])
def test_sigkill_from_outside_at_any_moment(replica, reference, tmp_path, moment, reached):
    store = tmp_path / "store"
    proc = subprocess.Popen([NIANBAO, *_args(replica, store)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=REPO)
    deadline = time.monotonic() + 120
    while not reached(store):
        assert proc.poll() is None, f"the crawl ended before the moment to kill it ({moment})"
        assert time.monotonic() < deadline, f"never reached: {moment}"
        time.sleep(0.02)
    assert proc.poll() is None              # killed while running, not after it ended
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    s = open_store(store)
    try:
        assert [r["finished_at"] for r in s.runs()] == [None]        # the killed run never finished
    finally:
        s.close()
    assert len(set(_ids(store))) < len(reference)                     # it was killed before the end
    assert _run(replica, store).returncode == 0
    _check(store, reference)


def test_after_a_killed_run_listings_are_walked_through(replica, tmp_path):
    """A run killed mid-walk leaves the first listing pages known and the last ones not: the next run must
    walk every page (no early stop, every page link followed, 首页 aliases of page 1 not taken for new pages)."""
    import json
    import sqlite3
    import urllib.request

    from crawler.discover.listing import analyse_listing

    store = tmp_path / "store"
    start = replica.url("panshi", "/")
    assert run_nianbao_quiet(start, store).returncode == 0
    last_page = replica.url("panshi", "/zwgk/zfxxgknb/index_2.html")
    with urllib.request.urlopen(last_page) as resp:
        html = resp.read().decode("utf-8")
    urls = {link.url for link in analyse_listing(html, last_page).report_links}
    assert urls
    # as if the run had been killed before it reached the last page: those reports unknown, the run unfinished
    with sqlite3.connect(store / "nianbao.sqlite") as db:
        ids = {r[0] for r in db.execute(f"SELECT id FROM reports WHERE url IN ({','.join('?' * len(urls))})",
                                        tuple(urls))}
        marks = ",".join("?" * len(urls))
        db.execute(f"DELETE FROM pages WHERE url IN ({marks})", tuple(urls))
        db.execute(f"DELETE FROM reports WHERE url IN ({marks})", tuple(urls))
        db.execute("UPDATE runs SET finished_at = NULL")
    assert ids
    for part in (store / "feed").glob("*.jsonl"):
        kept = [line for line in part.read_text("utf-8").splitlines() if json.loads(line)["id"] not in ids]
        part.write_text("".join(line + "\n" for line in kept), "utf-8")
    assert run_nianbao_quiet(start, store).returncode == 0
    fed = Counter(_ids(store))
    assert all(fed[i] == 1 for i in ids), {i: fed[i] for i in ids}


def run_nianbao_quiet(start, store):
    return subprocess.run([NIANBAO, "crawl", start, "--store", str(store), *FAST], capture_output=True, timeout=300,
                          cwd=REPO)
