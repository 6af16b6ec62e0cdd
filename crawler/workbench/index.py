"""A store, read without writing to it, as one SQLite file for the workbench: reports with their audit figures
and regions, their texts, checks, URLs and revisions, the parsed JSON, and a Chinese full-text index.

The store is only read: the feed's JSON lines (a torn last line skipped), `parsed/` (reports not parsed yet, or
parsed by another parser version, are parsed in memory), the archived bytes, and `nianbao.sqlite` opened with
``mode=ro`` (a crawl may be writing to it: WAL readers see the last committed state).  The index is written to
a file of its own, beside nothing of the store's, and swapped in with a rename.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from crawler.archive.feed import read_feed
from crawler.parsing.audit import HIGH_REUSE, failing_rules, raw_path, read_audit, store_audit
from crawler.parsing.report import PARSER_VERSION
from crawler.parsing.store import cross_year, parse_record, read_parsed

from .regions import places_of, region_of
from .tokens import index_text

logger = logging.getLogger(__name__)

STORE_WIDE_RULES = {"carried_over_vs_last_year": "上年 四、结转下年度继续办理 vs 本年 二、上年结转",
                    "in_force_vs_last_year": "上年现行有效件数 + 本年制发件数 vs 本年现行有效件数 + 本年废止件数"}


def timeliness(audit: dict) -> str:
    """按期 / 逾期 / 无期限 (no deadline applies) / 未知 (a deadline, but no published date to hold against it)."""
    if audit.get("on_time") is not None:
        return "按期" if audit["on_time"] else "逾期"
    return "无期限" if audit.get("deadline") is None else "未知"

SCHEMA = """
CREATE TABLE reports (
    rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, title TEXT, agency TEXT, province TEXT, city TEXT,
    county TEXT, year INTEGER, published TEXT, published_source TEXT, level TEXT, deadline TEXT, timeliness TEXT,
    days_late INTEGER, reuse_of_previous REAL, high_reuse INTEGER, failing_checks INTEGER, failing TEXT,
    sections_missing TEXT, format TEXT, site TEXT, site_name TEXT, url TEXT, kind TEXT, text_source TEXT,
    ocr INTEGER, revision INTEGER, previous_id TEXT, previous_year_id TEXT, raw_sha256 TEXT, fetched_at TEXT);
CREATE INDEX reports_agency_year ON reports(agency, year);
CREATE INDEX reports_year ON reports(year);
CREATE TABLE checks (
    report_id TEXT NOT NULL, rule TEXT NOT NULL, target TEXT, status TEXT NOT NULL, expected REAL, actual REAL,
    detail TEXT);
CREATE INDEX checks_report ON checks(report_id);
CREATE TABLE urls (report_id TEXT NOT NULL, url TEXT NOT NULL, relation TEXT, seen_at TEXT);
CREATE INDEX urls_report ON urls(report_id);
CREATE TABLE revisions (report_id TEXT NOT NULL, previous_id TEXT, url TEXT, revision INTEGER, diff TEXT,
    noted_at TEXT);
CREATE TABLE parsed (report_id TEXT PRIMARY KEY, parsed TEXT NOT NULL, audit TEXT NOT NULL);
-- the texts apart: a reports row stays small, so facets and counts over thousands of reports read few pages
CREATE TABLE texts (report_id TEXT PRIMARY KEY, text TEXT);
CREATE VIRTUAL TABLE reports_fts USING fts5(title, text, content='', tokenize='unicode61');
"""


@dataclass
class Snapshot:
    """What the store holds right now, with every report's parsed line and audit figures."""

    root: Path
    feed: dict[str, dict]
    parsed: dict[str, dict]
    audit: dict[str, dict]
    regions: dict[str, dict] = field(default_factory=dict)


def load_deadlines(path: str | os.PathLike | None) -> dict:
    """Local deadline rules: YAML {province: {township|department|government: "MM-DD", basis: "…"}}."""
    if not path:
        return {}
    import yaml

    with open(path, encoding="utf-8") as fh:
        rules = yaml.safe_load(fh) or {}
    if not isinstance(rules, dict):
        raise ValueError(f"{path}: a deadlines file maps a province to its rules")
    for province, rule in rules.items():
        if not isinstance(rule, dict):
            raise ValueError(f"{path}: {province}: expected level: MM-DD pairs")
        for level, value in rule.items():
            if level in ("government", "department", "township"):
                month, _, day = str(value).partition("-")
                if not (month.isdigit() and day.isdigit() and 1 <= int(month) <= 12 and 1 <= int(day) <= 31):
                    raise ValueError(f"{path}: {province}.{level}: expected MM-DD, got {value!r}")
    return rules


def read_store(root: str | os.PathLike, deadlines: dict | None = None) -> Snapshot:
    """The store's reports as the workbench and the audit see them; nothing is written to the store."""
    root = Path(root)
    if not (root / "nianbao.sqlite").exists() and not (root / "feed").is_dir():
        raise FileNotFoundError(f"no nianbao store at {root}")
    feed: dict[str, dict] = {}
    for record in read_feed(root / "feed"):
        if record.get("id"):
            feed[record["id"]] = record
    done = read_parsed(root, PARSER_VERSION)
    parsed = {rid: done.get(rid) or parse_record(record) for rid, record in feed.items()}
    cross = {line["id"]: line for line in cross_year(parsed)}
    places_of(name for r in feed.values() for name in (r.get("agency"), r.get("site_name")))
    regions = {rid: region_of(r.get("agency"), r.get("site_name")) for rid, r in feed.items()}

    def raw_of(sha: str) -> bytes | None:
        path = raw_path(root, sha)
        try:
            return path.read_bytes() if path else None
        except OSError:
            return None

    rules = deadlines or {}
    local_of = (lambda rec: rules.get(regions.get(rec["id"], {}).get("province"))) if rules else None
    lines = store_audit(parsed, feed, cross, raw_of, known=read_audit(root), local_of=local_of)
    return Snapshot(root, feed, parsed, {line["id"]: line for line in lines}, regions)


def open_read_only(path: Path) -> sqlite3.Connection:
    """A SQLite file of the store, opened so that nothing of the store is written: while a crawl has it open (its
    write-ahead log is there) as a WAL reader (``mode=ro``: the crawl's own -shm is shared); otherwise
    ``immutable=1``, since a plain read-only open of a WAL database would create its -wal and -shm files."""
    uri = path.resolve().as_uri()
    live = Path(f"{path}-wal").exists()
    return sqlite3.connect(f"{uri}?mode=ro" if live else f"{uri}?immutable=1", uri=True, timeout=30)


def query_store(root: Path, sql: str, params: tuple = (), name: str = "nianbao.sqlite") -> list[tuple]:
    """Rows of one of the store's SQLite files, read-only; none when there is no such file (a feed copied
    alone) or it cannot be read right now (one log line)."""
    path = root / name
    if not path.exists():
        return []
    try:
        db = open_read_only(path)
    except sqlite3.Error as exc:
        logger.warning("nianbao: cannot read %s: %s", path, exc)
        return []
    try:
        return db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        logger.warning("nianbao: cannot read %s: %s", path, exc)
        return []
    finally:
        db.close()


def build_index(snapshot: Snapshot, out: str | os.PathLike) -> dict:
    """Write the workbench database to `out` (a temp file renamed over it).  Returns counts and timings."""
    started = time.perf_counter()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".index-", suffix=".sqlite")
    os.close(fd)
    db = sqlite3.connect(tmp)
    try:
        db.executescript(SCHEMA)
        for rowid, (rid, record) in enumerate(snapshot.feed.items(), start=1):
            parsed = snapshot.parsed.get(rid, {})
            audit = snapshot.audit.get(rid, {})
            region = snapshot.regions.get(rid, {})
            raw = record.get("raw") or {}
            reuse = audit.get("reuse_of_previous")
            db.execute(
                "INSERT INTO reports VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (rowid, rid, record.get("title"), record.get("agency"), region.get("province"), region.get("city"),
                 region.get("county"), record.get("year"), record.get("published"), audit.get("published_source"),
                 audit.get("level"), audit.get("deadline"), timeliness(audit), audit.get("days_late"),
                 reuse, None if reuse is None else int(reuse > HIGH_REUSE), len(audit.get("failing") or []),
                 json.dumps(audit.get("failing") or [], ensure_ascii=False),
                 json.dumps(audit.get("sections_missing"), ensure_ascii=False), parsed.get("format"),
                 record.get("site"), record.get("site_name"), record.get("url"), raw.get("kind"),
                 record.get("text_source"), int(bool(record.get("ocr"))), record.get("revision"),
                 record.get("previous_id"), audit.get("previous_id"), raw.get("sha256"), record.get("fetched_at")))
            db.execute("INSERT INTO texts VALUES (?,?)", (rid, record.get("text")))
            db.execute("INSERT INTO reports_fts (rowid, title, text) VALUES (?,?,?)",
                       (rowid, index_text(record.get("title")), index_text(record.get("text"))))
            for check in list(parsed.get("checks") or []):
                db.execute("INSERT INTO checks VALUES (?,?,?,?,?,?,?)",
                           (rid, check["rule"], check.get("column") or check.get("row") or check.get("figure"),
                            check["status"], check.get("expected"), check.get("actual"), check.get("detail")))
            db.execute("INSERT INTO parsed VALUES (?,?,?)", (rid, json.dumps(parsed, ensure_ascii=False),
                                                               json.dumps(audit, ensure_ascii=False)))
        for line in snapshot.audit.values():
            # the store-wide rules (a report against the agency's report of the year before) fail in the audit's
            # list only: their failures join the report's own checks here
            own = set(failing_rules(snapshot.parsed.get(line["id"], {}).get("checks") or []))
            for name in line.get("failing") or []:
                if name not in own:
                    rule, _, target = name.partition("[")
                    db.execute("INSERT INTO checks VALUES (?,?,?,?,?,?,?)",
                               (line["id"], rule, target.rstrip("]"), "fail", None, None,
                                STORE_WIDE_RULES.get(rule, "store-wide rule")))
        known = set(snapshot.feed)
        db.executemany("INSERT INTO urls VALUES (?,?,?,?)",
                       [r for r in query_store(snapshot.root, "SELECT report_id, url, relation, seen_at FROM report_urls")
                        if r[0] in known])
        db.executemany("INSERT INTO revisions VALUES (?,?,?,?,?,?)",
                       [r for r in query_store(snapshot.root, "SELECT report_id, previous_id, url, revision, diff, "
                                                              "noted_at FROM revisions") if r[0] in known])
        db.commit()
        db.execute("INSERT INTO reports_fts(reports_fts) VALUES ('optimize')")
        db.commit()
    finally:
        db.close()
    os.replace(tmp, out)
    return {"reports": len(snapshot.feed), "seconds": round(time.perf_counter() - started, 3)}
