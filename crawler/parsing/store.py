"""The parsing stage over a store: DIR/parsed/v<N>.jsonl, one line per fed report per parser version.

A feed record is parsed from the text the crawler extracted (never re-crawled, never re-read from
the raw bytes), so re-parsing after a parser upgrade costs only the parsing.  Lines are appended and
flushed one by one; a line repeated by a run that was killed before it noted its progress is
harmless, since readers keep the last line of each report id.  The cross-year rule needs every year
of an agency, so it is recomputed over the whole store into DIR/parsed/cross_year.jsonl.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from crawler.archive.feed import read_feed

from .audit import audit_store
from .checks import cross_year_checks, prose_checks
from .report import PARSER_VERSION, parse_text
from .tables import read_tables

CROSS_YEAR_FILE = "cross_year.jsonl"


def parsed_path(root: str | os.PathLike, version: int = PARSER_VERSION) -> Path:
    return Path(root) / "parsed" / f"v{version}.jsonl"


def read_parsed(root: str | os.PathLike, version: int = PARSER_VERSION) -> dict[str, dict]:
    """Report id -> its parsed line (the last one written), in first-written order."""
    path = parsed_path(root, version)
    out: dict[str, dict] = {}
    if not path.exists():
        return out
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue        # the torn last line of a killed run: that report is parsed again
            out[record["id"]] = record
    return out


class ParsedWriter:
    """Appends parsed lines to DIR/parsed/v<N>.jsonl (one flushed line per report)."""

    def __init__(self, root: str | os.PathLike, version: int = PARSER_VERSION):
        self.path = parsed_path(root, version)
        self._fh = None

    def append(self, record: dict) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "a", encoding="utf-8")
        self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def parse_record(record: dict) -> dict:
    """The parsed line of one feed record.

    A report page whose own text has no standard tables but whose attachment has them (the 统计表
    published as an XLS beside the page) takes its tables from that attachment.
    """
    parsed = parse_text(record.get("text") or "", title=record.get("title"), agency=record.get("agency"),
                        year=record.get("year"), published=record.get("published"))
    if not parsed["tables"]:
        for attachment in record.get("attachments") or []:
            text = attachment.get("text") or ""
            if text and read_tables(text.split("\n")).tables:
                from_file = parse_text(text, title=record.get("title"), agency=record.get("agency"),
                                       year=record.get("year"), published=record.get("published"))
                for key in ("format", "tables", "printed", "warnings"):
                    parsed[key] = from_file[key]
                parsed["checks"] = [c for c in from_file["checks"] if c["rule"] != "prose_vs_table"]
                parsed["checks"] += prose_checks(parsed["tables"], parsed["prose_figures"])
                parsed["tables_from"] = attachment.get("url")
                break
    return {"id": record["id"], "url": record.get("url"), **parsed}


def parse_store(root: str | os.PathLike, *, force: bool = False, version: int = PARSER_VERSION) -> dict:
    """Parse every fed report not yet parsed by this parser version; recompute the cross-year checks.

    Returns counts: {"fed", "parsed", "already"}.
    """
    done = {} if force else read_parsed(root, version)
    records = read_feed(Path(root) / "feed")
    writer = ParsedWriter(root, version)
    counts = {"fed": 0, "parsed": 0, "already": 0}
    seen: set[str] = set()
    try:
        for record in records:
            rid = record.get("id")
            if not rid or rid in seen:
                continue
            seen.add(rid)
            counts["fed"] += 1
            if rid in done:
                counts["already"] += 1
                continue
            writer.append(parse_record(record))
            counts["parsed"] += 1
    finally:
        writer.close()
    write_cross_year(root, version)
    audit_store(root, version)
    return counts


_AGENCY_FOLD_RE = re.compile(r"\s+")


def _agency_key(agency: str | None) -> str | None:
    return _AGENCY_FOLD_RE.sub("", agency) if agency else None


def cross_year(parsed: dict[str, dict]) -> list[dict]:
    """Rule 6 for every report whose agency also has a parsed report of the year before."""
    by_agency_year: dict[tuple[str, int], dict] = {}
    for record in parsed.values():
        agency, year = _agency_key(record.get("agency")), record.get("year")
        if agency and year and record.get("tables", {}).get("applications"):
            by_agency_year[(agency, year)] = record     # the last parsed (newest fetch) wins
    out = []
    for (agency, year), record in sorted(by_agency_year.items()):
        last = by_agency_year.get((agency, year - 1))
        if last is None:
            continue
        out.append({"id": record["id"], "previous_id": last["id"], "agency": record["agency"], "year": year,
                    "checks": cross_year_checks(record["tables"], last["tables"])})
    return out


def write_cross_year(root: str | os.PathLike, version: int = PARSER_VERSION) -> Path:
    """DIR/parsed/cross_year.jsonl, replaced atomically (it is derived from the whole store)."""
    path = Path(root) / "parsed" / CROSS_YEAR_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        for line in cross_year(read_parsed(root, version)):
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path


def read_cross_year(root: str | os.PathLike) -> dict[str, dict]:
    path = Path(root) / "parsed" / CROSS_YEAR_FILE
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        return {line["id"]: line for line in map(json.loads, filter(str.strip, fh))}
