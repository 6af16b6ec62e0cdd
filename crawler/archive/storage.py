"""The embedded store: content-addressed raw bytes on local disk plus an SQLite catalogue.

Layout under the store directory:
  raw/sha256/ab/cd/<sha256>   exact bytes as served, written atomically, never keyed by URL
  nianbao.sqlite              fetches, decisions, reports, report URLs, failures, host needs, runs and their
                              events, known pages (validators, revisions), listings, robots.txt (WAL mode)
  feed/*.jsonl                the feed (see crawler.archive.feed)

`open_store(location)` picks the backend from the location; only local directories exist for now
(an S3 backend comes with the distributed settings).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from crawler.archive.crashpoints import crashpoint

__all__ = ["LocalStore", "StoreError", "open_store", "FetchRecord", "utcnow"]


class StoreError(RuntimeError):
    """The store cannot be opened or written."""


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class FetchRecord:
    """Everything needed to write a lossless WARC request/response pair later."""

    url: str
    final_url: str
    method: str
    status: int
    request_headers: list[tuple[str, str]]
    response_headers: list[tuple[str, str]]
    fetched_at: str
    sha256: str
    length: int
    content_type: str | None
    site: str | None = None


_SCHEMA = """
CREATE TABLE IF NOT EXISTS fetches (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL, final_url TEXT NOT NULL, method TEXT NOT NULL,
    status INTEGER NOT NULL, request_headers TEXT NOT NULL, response_headers TEXT NOT NULL,
    fetched_at TEXT NOT NULL, sha256 TEXT NOT NULL, length INTEGER NOT NULL, content_type TEXT, site TEXT);
CREATE INDEX IF NOT EXISTS fetches_sha256 ON fetches(sha256);
CREATE INDEX IF NOT EXISTS fetches_url ON fetches(url);
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL, sha256 TEXT, is_report INTEGER NOT NULL, kind TEXT,
    reasons TEXT NOT NULL, title TEXT, forced INTEGER NOT NULL DEFAULT 0, decided_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (
    id TEXT PRIMARY KEY, url TEXT NOT NULL, title TEXT, agency TEXT, year INTEGER, published TEXT,
    site TEXT, raw_sha256 TEXT NOT NULL, signature BLOB, fed_at TEXT);
CREATE INDEX IF NOT EXISTS reports_year ON reports(year);
CREATE TABLE IF NOT EXISTS report_urls (
    report_id TEXT NOT NULL, url TEXT NOT NULL, raw_sha256 TEXT, relation TEXT NOT NULL, seen_at TEXT NOT NULL,
    PRIMARY KEY (report_id, url));
CREATE TABLE IF NOT EXISTS hosts (
    host TEXT NOT NULL, need TEXT NOT NULL, detail TEXT, noted_at TEXT NOT NULL, PRIMARY KEY (host, need));
CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL, stage TEXT NOT NULL, reason TEXT NOT NULL, site TEXT,
    failed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, finish_reason TEXT, pid INTEGER,
    args TEXT, stats TEXT);
CREATE TABLE IF NOT EXISTS run_events (
    id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, site TEXT, event TEXT NOT NULL, url TEXT, report_id TEXT,
    detail TEXT, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS run_events_run ON run_events(run_id, site, event);
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY, site TEXT, report_id TEXT, text_id TEXT, revision INTEGER NOT NULL DEFAULT 1, raw_sha256 TEXT,
    etag TEXT, last_modified TEXT, published TEXT, first_seen TEXT NOT NULL, last_checked TEXT NOT NULL,
    last_changed TEXT NOT NULL, removed_at TEXT);
CREATE INDEX IF NOT EXISTS pages_site ON pages(site);
CREATE TABLE IF NOT EXISTS revisions (
    report_id TEXT PRIMARY KEY, previous_id TEXT NOT NULL, url TEXT NOT NULL, revision INTEGER NOT NULL,
    diff TEXT NOT NULL, noted_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS listings (
    url TEXT PRIMARY KEY, site TEXT, unordered INTEGER NOT NULL DEFAULT 0, first_urls TEXT, last_walked TEXT);
CREATE TABLE IF NOT EXISTS robots (
    host TEXT PRIMARY KEY, status INTEGER NOT NULL, body BLOB, fetched_at TEXT NOT NULL);
"""
# Columns added after a table first shipped: (table, column, declaration), applied to older stores.
_MIGRATIONS = (("failures", "run_id", "TEXT"), ("pages", "text_id", "TEXT"),
               # completeness of a column's last full walk (crawler.discover.completeness)
               ("listings", "expected", "INTEGER"), ("listings", "found", "INTEGER"), ("listings", "method", "TEXT"),
               ("listings", "complete", "INTEGER"), ("listings", "stated", "TEXT"), ("listings", "tried", "TEXT"),
               ("listings", "checked_at", "TEXT"))


class LocalStore:
    """Local files + SQLite. Safe to share between the pipelines of one crawl (one connection, one lock)."""

    def __init__(self, root: str | os.PathLike, fsync: bool = False, read_only: bool = False):
        self.root = Path(root)
        self.fsync = fsync
        self.read_only = read_only
        if read_only:
            self._db = _open_read_only(self.root)
            self._lock = threading.Lock()
            self.run_id = None
            return
        try:
            (self.root / "raw" / "sha256").mkdir(parents=True, exist_ok=True)
            (self.root / "feed").mkdir(exist_ok=True)
            self._db = sqlite3.connect(self.root / "nianbao.sqlite", check_same_thread=False,
                                       isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            for table, column, decl in _MIGRATIONS:
                present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
                if column not in present:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open store at {self.root}: {exc}") from exc
        self._lock = threading.Lock()
        self.run_id: str | None = None      # the crawl run writing through this store (start_run)

    # -- raw bytes -------------------------------------------------------------------------------
    def raw_path(self, sha256: str) -> Path:
        return self.root / "raw" / "sha256" / sha256[:2] / sha256[2:4] / sha256

    def put_raw(self, body: bytes) -> str:
        """Archive `body` under its sha256 (atomic: temp file + rename); return the hex digest.

        A killed process leaves either the whole file or none (rename is atomic); `fsync=True` (setting
        NIANBAO_FSYNC) also survives an operating-system crash, at ~2 ms a file.
        """
        digest = hashlib.sha256(body).hexdigest()
        path = self.raw_path(digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
                if self.fsync:
                    fh.flush()
                    os.fsync(fh.fileno())
            crashpoint("archive")
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return digest

    def get_raw(self, sha256: str) -> bytes | None:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            return None
        try:
            return self.raw_path(sha256).read_bytes()
        except FileNotFoundError:
            return None

    # -- catalogue -------------------------------------------------------------------------------
    def _exec(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, args)

    def record_fetch(self, rec: FetchRecord) -> None:
        self._exec(
            "INSERT INTO fetches (url, final_url, method, status, request_headers, response_headers,"
            " fetched_at, sha256, length, content_type, site) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (rec.url, rec.final_url, rec.method, rec.status, json.dumps(rec.request_headers, ensure_ascii=False),
             json.dumps(rec.response_headers, ensure_ascii=False), rec.fetched_at, rec.sha256, rec.length,
             rec.content_type, rec.site))

    def record_decision(self, url: str, sha256: str | None, is_report: bool, kind: str | None,
                        reasons: list[str], title: str | None, forced: bool = False) -> None:
        self._exec(
            "INSERT INTO decisions (url, sha256, is_report, kind, reasons, title, forced, decided_at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (url, sha256, int(is_report), kind, json.dumps(reasons, ensure_ascii=False), title, int(forced),
             utcnow()))

    def record_failure(self, url: str, stage: str, reason: str, site: str | None = None) -> None:
        self._exec("INSERT INTO failures (url, stage, reason, site, failed_at, run_id) VALUES (?,?,?,?,?,?)",
                   (url, stage, reason, site, utcnow(), self.run_id))

    # -- runs ------------------------------------------------------------------------------------
    def start_run(self, run_id: str, args: dict | None = None) -> None:
        """Open a run: its events and failures are stamped with `run_id` until finish_run."""
        self.run_id = run_id
        self._exec("INSERT OR IGNORE INTO runs (id, started_at, pid, args) VALUES (?,?,?,?)",
                   (run_id, utcnow(), os.getpid(), json.dumps(args or {}, ensure_ascii=False)))

    def finish_run(self, reason: str, stats: dict | None = None) -> None:
        if self.run_id is None:
            return
        self._exec("UPDATE runs SET finished_at=?, finish_reason=?, stats=? WHERE id=?",
                   (utcnow(), reason, json.dumps(stats or {}, ensure_ascii=False, default=str), self.run_id))

    def note_event(self, site: str | None, event: str, url: str | None = None, report_id: str | None = None,
                   detail: str | None = None) -> None:
        """One thing a run learnt about a site: found, new, revised, removed, unchanged (see README)."""
        self._exec("INSERT INTO run_events (run_id, site, event, url, report_id, detail, at) VALUES (?,?,?,?,?,?,?)",
                   (self.run_id, site, event, url, report_id, detail, utcnow()))

    def runs(self) -> list[dict]:
        return self._rows("SELECT id, started_at, finished_at, finish_reason, pid, args, stats FROM runs"
                          " ORDER BY started_at, id")

    def run_events(self, run_id: str | None = None) -> list[dict]:
        sql = "SELECT run_id, site, event, url, report_id, detail, at FROM run_events"
        return self._rows(sql + (" WHERE run_id=? ORDER BY id" if run_id else " ORDER BY id"),
                          (run_id,) if run_id else ())

    def _rows(self, sql: str, args: tuple = ()) -> list[dict]:
        cur = self._exec(sql, args)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def note_host(self, host: str, need: str, detail: str = "") -> None:
        """Remember what a host needed to be crawled (legacy_tls, http_fallback, challenge:<kind>, browser...)."""
        self._exec("INSERT INTO hosts (host, need, detail, noted_at) VALUES (?,?,?,?)"
                   " ON CONFLICT(host, need) DO UPDATE SET detail=excluded.detail, noted_at=excluded.noted_at",
                   (host, need, detail, utcnow()))

    def host_needs(self, host: str | None = None) -> list[dict]:
        sql = "SELECT host, need, detail, noted_at FROM hosts"
        cur = self._exec(sql + (" WHERE host=? ORDER BY need" if host else " ORDER BY host, need"),
                         (host,) if host else ())
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def claim_report(self, report_id: str, url: str, raw_sha256: str, *, title, agency, year, published,
                     site, signature: bytes | None) -> bool:
        """Insert a new report; False when the id is already known (the content was seen before)."""
        with self._lock:
            # one transaction: the claim and its URL land together or not at all
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cur = self._db.execute(
                    "INSERT OR IGNORE INTO reports (id, url, title, agency, year, published, site, raw_sha256,"
                    " signature) VALUES (?,?,?,?,?,?,?,?,?)",
                    (report_id, url, title, agency, year, published, site, raw_sha256, signature))
                claimed = cur.rowcount == 1
                self._db.execute("INSERT OR IGNORE INTO report_urls (report_id, url, raw_sha256, relation, seen_at)"
                                 " VALUES (?,?,?,?,?)",
                                 (report_id, url, raw_sha256, "first" if claimed else "same_content", utcnow()))
                crashpoint("claim")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return claimed

    def has_report(self, report_id: str) -> bool:
        return self._exec("SELECT 1 FROM reports WHERE id=?", (report_id,)).fetchone() is not None

    def add_report_url(self, report_id: str, url: str, raw_sha256: str | None, relation: str) -> None:
        self._exec("INSERT OR IGNORE INTO report_urls (report_id, url, raw_sha256, relation, seen_at)"
                   " VALUES (?,?,?,?,?)", (report_id, url, raw_sha256, relation, utcnow()))

    def mark_fed(self, report_id: str) -> None:
        self._exec("UPDATE reports SET fed_at=? WHERE id=?", (utcnow(), report_id))

    def unfed(self, report_id: str) -> bool:
        """A report claimed by a run that died before its feed line was noted (crash recovery)."""
        row = self._exec("SELECT fed_at FROM reports WHERE id=?", (report_id,)).fetchone()
        return row is not None and row[0] is None

    # -- known pages (incremental re-crawls) --------------------------------------------------------
    def page(self, url: str) -> dict | None:
        rows = self._rows("SELECT * FROM pages WHERE url=?", (url,))
        return rows[0] if rows else None

    def known_pages(self, site: str) -> dict[str, dict]:
        return {row["url"]: row for row in self._rows("SELECT * FROM pages WHERE site=?", (site,))}

    def save_page(self, url: str, site: str | None, report_id: str, raw_sha256: str, *, revision: int,
                  etag: str | None, last_modified: str | None, published: str | None, changed: bool,
                  text_id: str | None = None) -> None:
        """Remember a report page as last seen (a new report, a new version, or the same content again).

        `report_id` is the fed report the URL stands for; `text_id` the content id of the text it showed
        (another one for a repost counted as a copy of a report first seen elsewhere).
        """
        now = utcnow()
        self._exec(
            "INSERT INTO pages (url, site, report_id, text_id, revision, raw_sha256, etag, last_modified, published,"
            " first_seen, last_checked, last_changed) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
            " ON CONFLICT(url) DO UPDATE SET report_id=excluded.report_id, text_id=excluded.text_id,"
            " revision=excluded.revision,"
            " raw_sha256=excluded.raw_sha256, etag=excluded.etag, last_modified=excluded.last_modified,"
            " published=coalesce(excluded.published, pages.published), last_checked=excluded.last_checked,"
            " last_changed=CASE WHEN ? THEN excluded.last_changed ELSE pages.last_changed END, removed_at=NULL",
            (url, site, report_id, text_id or report_id, revision, raw_sha256, etag, last_modified, published, now, now,
             now, int(changed)))

    def touch_page(self, url: str) -> None:
        """A known page re-checked and found unchanged (HTTP 304 or the same content)."""
        self._exec("UPDATE pages SET last_checked=? WHERE url=?", (utcnow(), url))

    def mark_removed(self, url: str) -> None:
        """The page answers 404/410 now: marked with the date; its archive and feed lines stay."""
        now = utcnow()
        self._exec("UPDATE pages SET removed_at=coalesce(removed_at, ?), last_checked=? WHERE url=?", (now, now, url))

    def add_revision(self, report_id: str, previous_id: str, url: str, revision: int, diff: str) -> None:
        self._exec("INSERT OR IGNORE INTO revisions (report_id, previous_id, url, revision, diff, noted_at)"
                   " VALUES (?,?,?,?,?,?)", (report_id, previous_id, url, revision, diff, utcnow()))

    def revisions(self) -> list[dict]:
        return self._rows("SELECT report_id, previous_id, url, revision, diff, noted_at FROM revisions ORDER BY noted_at")

    def listing(self, url: str) -> dict | None:
        rows = self._rows("SELECT url, site, unordered, first_urls, last_walked, expected, found, checked_at"
                          " FROM listings WHERE url=?", (url,))
        return rows[0] if rows else None

    def save_listing(self, url: str, site: str | None, first_urls: list[str], unordered: bool) -> None:
        self._exec("INSERT INTO listings (url, site, unordered, first_urls, last_walked) VALUES (?,?,?,?,?)"
                   " ON CONFLICT(url) DO UPDATE SET unordered=max(listings.unordered, excluded.unordered),"
                   " first_urls=excluded.first_urls, last_walked=excluded.last_walked",
                   (url, site, int(unordered), json.dumps(first_urls), utcnow()))

    def save_completeness(self, url: str, site: str | None, expected: int | None, found: int, method: str,
                          complete: bool, stated: str = "", tried: str = "") -> None:
        """How complete the walk of a report column was: what its pages state (`expected`, None when they state
        nothing), the entries found, the highest means used (static | api | browser) and what was tried."""
        now = utcnow()
        self._exec("INSERT INTO listings (url, site, unordered, first_urls, last_walked, expected, found, method,"
                   " complete, stated, tried, checked_at) VALUES (?,?,0,'[]',?,?,?,?,?,?,?,?)"
                   " ON CONFLICT(url) DO UPDATE SET expected=excluded.expected, found=excluded.found,"
                   " method=excluded.method, complete=excluded.complete, stated=excluded.stated,"
                   " tried=excluded.tried, checked_at=excluded.checked_at",
                   (url, site, now, expected, found, method, int(complete), stated, tried, now))

    def completeness(self, site: str | None = None) -> list[dict]:
        """Every report column whose walk was judged, with its completeness fields."""
        sql = ("SELECT url, site, expected, found, method, complete, stated, tried, checked_at FROM listings"
               " WHERE checked_at IS NOT NULL")
        args: tuple = ()
        if site is not None:
            sql += " AND site=?"
            args = (site,)
        rows = self._rows(sql + " ORDER BY site, url", args)
        for row in rows:
            row["complete"] = bool(row["complete"])
        return rows

    def rejected_urls(self, site: str) -> list[str]:
        """Pages of a site the classifier rejected (look-alikes): not fetched again on a walk."""
        rows = self._exec("SELECT DISTINCT d.url FROM decisions d JOIN fetches f ON f.url = d.url AND f.site = ?"
                          " WHERE d.is_report = 0 AND d.forced = 0", (site,)).fetchall()
        return [r[0] for r in rows]

    def listing_urls(self, site: str) -> list[str]:
        return [r[0] for r in self._exec("SELECT url FROM listings WHERE site=? ORDER BY url", (site,))]

    def last_run_finished(self) -> bool:
        """Whether the run before this one ended normally (a killed run leaves listings half walked)."""
        row = self._exec("SELECT finished_at FROM runs WHERE id != ? ORDER BY started_at DESC LIMIT 1",
                         (self.run_id or "",)).fetchone()
        return row is None or row[0] is not None

    # -- robots.txt cache (RFC 9309 allows caching up to 24 hours) -----------------------------------
    def cached_robots(self, host: str) -> dict | None:
        rows = self._rows("SELECT host, status, body, fetched_at FROM robots WHERE host=?", (host,))
        return rows[0] if rows else None

    def save_robots(self, host: str, status: int, body: bytes) -> None:
        self._exec("INSERT INTO robots (host, status, body, fetched_at) VALUES (?,?,?,?) ON CONFLICT(host) DO UPDATE"
                   " SET status=excluded.status, body=excluded.body, fetched_at=excluded.fetched_at",
                   (host, status, body, utcnow()))

    def near_candidates(self, year: int | None) -> list[tuple[str, str | None, bytes]]:
        """(id, agency, signature) of known reports on `year`, for near-duplicate checks."""
        if year is None:
            return []
        rows = self._exec("SELECT id, agency, signature FROM reports WHERE year=? AND signature IS NOT NULL",
                          (year,)).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def reports_by_id(self, ids: list[str]) -> list[dict]:
        marks = ",".join("?" * len(ids))
        return self._rows(f"SELECT id, url, title, agency, year, published, site, raw_sha256, fed_at FROM reports"
                          f" WHERE id IN ({marks})", tuple(ids))

    def report_urls(self, report_id: str) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self._exec(
            "SELECT url, relation FROM report_urls WHERE report_id=? ORDER BY seen_at, url", (report_id,))]

    def reports(self) -> list[dict]:
        cur = self._exec("SELECT id, url, title, agency, year, published, site, raw_sha256, fed_at FROM reports"
                         " ORDER BY site, url")
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def failures(self) -> list[dict]:
        return self._rows("SELECT url, stage, reason, site, failed_at, run_id FROM failures ORDER BY id")

    def decisions(self) -> list[dict]:
        cur = self._exec("SELECT url, sha256, is_report, kind, reasons, title, forced FROM decisions ORDER BY id")
        cols = [c[0] for c in cur.description]
        out = []
        for row in cur.fetchall():
            d = dict(zip(cols, row))
            d["reasons"] = json.loads(d["reasons"])
            d["is_report"] = bool(d["is_report"])
            out.append(d)
        return out

    def fetches(self, sha256: str | None = None) -> list[dict]:
        sql = "SELECT url, final_url, method, status, request_headers, response_headers, fetched_at, sha256," \
              " length, content_type, site FROM fetches"
        cur = self._exec(sql + (" WHERE sha256=? ORDER BY id" if sha256 else " ORDER BY id"),
                         (sha256,) if sha256 else ())
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _open_read_only(root: Path) -> sqlite3.Connection:
    """The catalogue of an existing store, for reading only: nothing is created, and a store the user may
    not write (another owner's, a read-only mount) still reads. SQLite's read-only mode needs the WAL's
    shared-memory file; where it cannot make one, the file is opened as immutable (a store nobody can
    write here does not change under us)."""
    path = root / "nianbao.sqlite"
    if not path.is_file():
        raise StoreError(f"no store at {root} (no nianbao.sqlite there)")
    for mode in ("mode=ro", "immutable=1"):
        try:
            db = sqlite3.connect(f"{path.absolute().as_uri()}?{mode}", uri=True, check_same_thread=False,
                                 isolation_level=None)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.Error as exc:
            error = exc
    raise StoreError(f"cannot read store at {root}: {error}")


def open_store(location: str | os.PathLike, fsync: bool = False, read_only: bool = False) -> LocalStore:
    """Open the store named by `location` (a local directory for now). `read_only`: an existing store only
    (StoreError when there is none: a mistyped path must not become an empty store), nothing written."""
    loc = os.fspath(location)
    if not loc:
        raise StoreError("no store location given (NIANBAO_STORE / --store)")
    if "://" in loc and not loc.startswith("file://"):
        raise StoreError(f"unsupported store location {loc!r}: only local directories for now")
    return LocalStore(loc.removeprefix("file://"), fsync=fsync, read_only=read_only)
