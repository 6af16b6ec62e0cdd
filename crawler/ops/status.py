"""`nianbao status`: what each crawl run found, per run and per site, from the store's catalogue.

The figures come from four tables (see crawler.archive.storage): `runs`, `run_events`, `failures` and `reports`.
Event figures count distinct URLs per (run, site, event) — a page noted twice in one run counts once; events
without a URL count one each. Failures count rows. Rows with no run id (written before runs were recorded)
form one pseudo-run labelled "(before runs were recorded)"; a run whose `finished_at` is empty was killed
or is still running.

`nianbao status --store DIR --json` prints one JSON object:

    {
      "store": "DIR",
      "runs": [                                   # oldest first; the pseudo-run (if any) comes first
        {"id": "…" | null, "label": "…", "state": "finished" | "interrupted" | "killed or running"
                                                 | "before runs were recorded" | "not in the runs table",
         "started_at": ISO | null, "finished_at": ISO | null, "finish_reason": str | null,
         "duration_s": int | null,                 # started -> finished; null unless finished
         "last_activity_at": ISO | null,           # newest event or failure of the run
         "found": int, "new": int, "revised": int, "removed": int, "unchanged": int,
         "failures": int, "failures_by_stage": {"fetch": int, …},
         "sites": [                               # sites it was asked to crawl or has rows for, by name
           {"site": "host[:port]", "name": str | null,  # the sites file's name:, else the portal's own
            "found": …, "new": …, "revised": …, "removed": …, "unchanged": …,
            "failures": int, "failures_by_stage": {…},
            "first_at": ISO | null, "last_at": ISO | null,  # first and last event or failure of the site
            "span_s": int | null,                  # last_at - first_at (1 s resolution)
            "offset_s": int | null}]},             # first_at - the run's started_at
        …],
      "last_run": {same shape as a "runs" entry} | null,   # newest recorded run; null when none
      "sites": [                                  # every site of any run, failure or report, by name
        {"site": "host[:port]", "name": str | null, "reports": int,   # rows in `reports` (the archive holds)
         "runs": int,                            # recorded runs that crawled it
         "last_run": id | null, "last_run_label": str, "last_run_started_at": ISO | null,
         "found": …, "new": …, "revised": …, "removed": …, "unchanged": …,   # sums over runs
         "failures": int, "failures_by_stage": {…}}],
      "failures": [                               # all runs, most frequent stage first
        {"stage": "fetch", "count": int,
         "top_reasons": [{"reason": str, "count": int}, …]}],  # reasons with URLs masked as <url>, trimmed
      "columns": [                                # every report column whose walk was judged (the last one)
        {"site": "host[:port]", "name": str | null, "url": str,
         "expected": int | null,                  # what its pages state or imply (共N条, totalRecord, pages)
         "found": int,                            # distinct entries the walk found
         "method": "static" | "api" | "browser",  # the highest means the walk needed
         "complete": bool, "stated": str,         # the words that stated `expected`
         "tried": str, "checked_at": ISO}],       # the rungs tried, in order
      "columns_incomplete": int
    }
    Each "sites" entry also has "columns" and "columns_incomplete".

Text output is plain aligned tables (no colour) meant to stay readable in a log file; columns are padded
by display width, so CJK text (double-width in terminals) keeps them aligned.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from crawler.archive.storage import LocalStore, StoreError, open_store

__all__ = ["EVENTS", "gather", "render_text", "cmd_status", "open_existing", "trim_reason", "format_table"]

EXIT_OK, EXIT_STORE = 0, 3
EVENTS = ("found", "new", "revised", "removed", "unchanged")
PRE_RUNS = "(before runs were recorded)"
NO_SITE = "(no site)"
KILLED = "killed or running"
INTERRUPTED = "interrupted"      # stopped by Ctrl-C / SIGTERM (Scrapy's finish reason "shutdown")
TOP_REASONS = 5
_URL = re.compile(r"\b(?:https?|ftp|file)://\S+", re.IGNORECASE)


# -- reading the store ---------------------------------------------------------------------------------

def open_existing(location: str) -> LocalStore:
    """open_store for reading: a local directory without a catalogue is an error (opening it would create
    an empty store, and a mistyped --store should say so instead of reporting 'no runs'), and a store this
    user may not write (another owner's, a read-only mount) still reads."""
    return open_store(location, read_only=True)


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def seconds_between(start: str | None, end: str | None) -> int | None:
    a, b = parse_time(start), parse_time(end)
    if a is None or b is None or (a.tzinfo is None) != (b.tzinfo is None):
        return None
    return round((b - a).total_seconds())


def trim_reason(reason: str, limit: int = 100) -> str:
    """One line, URLs masked (so the same error on many pages groups together), at most `limit` chars."""
    text = " ".join(_URL.sub("<url>", reason or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Cell:
    """What one run learnt about one site."""

    urls: dict[str, set[str]] = field(default_factory=lambda: {e: set() for e in EVENTS})
    unnamed: Counter = field(default_factory=Counter)        # events without a URL, by event
    failures: Counter = field(default_factory=Counter)       # by stage
    first: str | None = None
    last: str | None = None

    def count(self, event: str) -> int:
        return len(self.urls[event]) + self.unnamed[event]

    def touch(self, at: str | None) -> None:
        # ISO-8601 UTC strings written by one clock order as text, so min/max need no parsing.
        if at:
            self.first = at if self.first is None else min(self.first, at)
            self.last = at if self.last is None else max(self.last, at)


def tally(events: list[dict], failures: list[dict]) -> dict[tuple[str | None, str], Cell]:
    """Cells keyed by (run id or None, site)."""
    cells: dict[tuple[str | None, str], Cell] = {}
    for ev in events:
        if ev["event"] not in EVENTS:
            continue        # an event kind this report does not know yet: not guessed at
        cell = cells.setdefault((ev["run_id"], ev["site"] or NO_SITE), Cell())
        if ev["url"]:
            cell.urls[ev["event"]].add(ev["url"])
        else:
            cell.unnamed[ev["event"]] += 1
        cell.touch(ev["at"])
    for fail in failures:
        cell = cells.setdefault((fail.get("run_id"), fail["site"] or NO_SITE), Cell())
        cell.failures[fail["stage"]] += 1
        cell.touch(fail["failed_at"])
    return cells


# -- figures -------------------------------------------------------------------------------------------

def _figures(cells: list[Cell]) -> dict:
    stages: Counter = Counter()
    for cell in cells:
        stages.update(cell.failures)
    out = {e: sum(c.count(e) for c in cells) for e in EVENTS}
    out["failures"] = sum(stages.values())
    out["failures_by_stage"] = dict(stages.most_common())
    return out


def _site_entry(site: str, cell: Cell, run_start: str | None) -> dict:
    return {"site": site, **_figures([cell]), "first_at": cell.first, "last_at": cell.last,
            "span_s": seconds_between(cell.first, cell.last), "offset_s": seconds_between(run_start, cell.first)}


def _run_entry(meta: dict, state: str, label: str, cells: dict[str, Cell]) -> dict:
    finished = meta.get("finished_at")
    lasts = [c.last for c in cells.values() if c.last]
    return {
        "id": meta.get("id"), "label": label, "state": state,
        "started_at": meta.get("started_at"), "finished_at": finished, "finish_reason": meta.get("finish_reason"),
        "duration_s": seconds_between(meta.get("started_at"), finished) if finished else None,
        "last_activity_at": max(lasts) if lasts else None,
        **_figures(list(cells.values())),
        "sites": [_site_entry(site, cells[site], meta.get("started_at")) for site in sorted(cells)],
    }


def planned_sites(meta: dict) -> set[str]:
    """Sites a run was asked to crawl, from its recorded start and backfill URLs (canonical, so their
    host[:port] is the `site` its events carry). A site that yields no event still took part in the run."""
    try:
        args = json.loads(meta.get("args") or "{}")
    except ValueError:
        return set()
    if not isinstance(args, dict):
        return set()
    urls = [u for key in ("start_urls", "backfill_urls") for u in (args.get(key) or []) if isinstance(u, str)]
    return {urlsplit(u).netloc for u in urls if urlsplit(u).netloc}


def _runs(recorded: list[dict], cells: dict[tuple[str | None, str], Cell]) -> list[dict]:
    by_run: dict[str | None, dict[str, Cell]] = {}
    for (run_id, site), cell in cells.items():
        by_run.setdefault(run_id, {})[site] = cell
    for meta in recorded:
        for site in planned_sites(meta):
            by_run.setdefault(meta["id"], {}).setdefault(site, Cell())
    out = []
    if None in by_run:
        out.append(_run_entry({}, "before runs were recorded", PRE_RUNS, by_run[None]))
    known = {r["id"] for r in recorded}
    rows = [(r, KILLED if not r["finished_at"] else INTERRUPTED if r["finish_reason"] == "shutdown" else "finished")
            for r in recorded]
    # Events or failures naming a run missing from `runs` (a crash between writes): shown, not dropped.
    for run_id in sorted(k for k in by_run if k is not None and k not in known):
        first = min((c.first for c in by_run[run_id].values() if c.first), default=None)
        rows.append(({"id": run_id, "started_at": first}, "not in the runs table"))
    rows.sort(key=lambda pair: pair[0]["started_at"] or "")
    out += [_run_entry(meta, state, meta["id"], by_run.get(meta["id"], {})) for meta, state in rows]
    return out


def _sites(runs: list[dict], reports: list[dict]) -> list[dict]:
    in_archive = Counter(r["site"] or NO_SITE for r in reports)
    names = set(in_archive) | {s["site"] for run in runs for s in run["sites"]}
    out = []
    for name in sorted(names):
        touched = [(run, s) for run in runs for s in run["sites"] if s["site"] == name]
        recorded = [run for run, _ in touched if run["id"] is not None]
        last = recorded[-1] if recorded else None
        stages: Counter = Counter()
        for _, s in touched:
            stages.update(s["failures_by_stage"])
        out.append({
            "site": name, "reports": in_archive[name], "runs": len(recorded),
            "last_run": last["id"] if last else None,
            "last_run_label": last["label"] if last else (PRE_RUNS if touched else "-"),
            "last_run_started_at": last["started_at"] if last else None,
            **{e: sum(s[e] for _, s in touched) for e in EVENTS},
            "failures": sum(stages.values()), "failures_by_stage": dict(stages.most_common()),
        })
    return out


def _failure_stages(failures: list[dict]) -> list[dict]:
    stages = Counter(f["stage"] for f in failures)
    reasons: dict[str, Counter] = {}
    for f in failures:
        reasons.setdefault(f["stage"], Counter())[trim_reason(f["reason"])] += 1
    return [{"stage": stage, "count": n,
             "top_reasons": [{"reason": r, "count": c} for r, c in reasons[stage].most_common(TOP_REASONS)]}
            for stage, n in stages.most_common()]


def gather(store: LocalStore) -> dict:
    """Every figure of `nianbao status` (the JSON shape in the module docstring)."""
    failures = store.failures()
    cells = tally(store.run_events(), failures)
    runs = _runs(store.runs(), cells)
    recorded = [r for r in runs if r["state"] in ("finished", INTERRUPTED, KILLED)]
    names = site_names(store)
    for entry in [s for run in runs for s in run["sites"]]:
        entry["name"] = names.get(entry["site"])
    sites = _sites(runs, store.reports())
    columns = _columns(store)
    for entry in columns:
        entry["name"] = names.get(entry["site"])
    for entry in sites:
        entry["name"] = names.get(entry["site"])
        own = [c for c in columns if c["site"] == entry["site"]]
        entry["columns"], entry["columns_incomplete"] = len(own), sum(not c["complete"] for c in own)
    return {"store": str(store.root), "runs": runs, "last_run": recorded[-1] if recorded else None,
            "sites": sites, "failures": _failure_stages(failures), "columns": columns,
            "columns_incomplete": sum(not c["complete"] for c in columns)}


def _columns(store: LocalStore) -> list[dict]:
    try:
        return store.completeness()
    except sqlite3.OperationalError:      # a store written before completeness was recorded, opened read-only
        return []


def site_names(store: LocalStore) -> dict[str, str]:
    """host[:port] -> the site's name: the `name:` of the sites file of its latest run that gave one, else the
    portal's own name as its pages state it (the feed's `site_name`, the most frequent)."""
    from crawler.archive.feed import read_feed

    own: dict[str, Counter] = {}
    for record in read_feed(Path(store.root) / "feed"):
        if record.get("site") and record.get("site_name"):
            own.setdefault(record["site"], Counter())[record["site_name"]] += 1
    names = {site: counts.most_common(1)[0][0] for site, counts in own.items()}
    for run in store.runs():
        try:
            given = json.loads(run.get("args") or "{}").get("site_names") or {}
        except (ValueError, AttributeError):
            continue
        names.update({site: name for site, name in given.items() if isinstance(name, str) and name})
    return names


def site_label(entry: dict) -> str:
    """How plots label a site: its name and host, or the host alone."""
    return f"{entry['name']} ({entry['site']})" if entry.get("name") else entry["site"]


# -- text ----------------------------------------------------------------------------------------------

def display_width(text: str) -> int:
    """Terminal columns: wide and fullwidth characters (CJK) take two, combining marks none."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
               for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def format_table(headers: list[str], rows: list[list[str]], numeric: frozenset[int] | set[int] = frozenset()) -> str:
    """Columns padded by display width; columns in `numeric` right-aligned; the last column unpadded."""
    widths = [max(display_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for row in [headers, ["-" * w for w in widths], *rows]:
        cells = [cell if i == len(row) - 1 else _pad(cell, widths[i], i in numeric) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def human_duration(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    h, rest = divmod(max(0, seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s" if m else f"{s}s"


def stages_text(by_stage: dict[str, int]) -> str:
    return ", ".join(f"{stage} {n}" for stage, n in by_stage.items()) or "-"


def _short_time(value: str | None) -> str:
    return value.replace("T", " ") if value else "-"


def _counts(entry: dict) -> list[str]:
    return [str(entry[e]) for e in EVENTS] + [str(entry["failures"])]


_COUNT_HEADERS = [*EVENTS, "failures"]


def runs_table(runs: list[dict]) -> str:
    headers = ["run", "started", "finished", "duration", "sites", *_COUNT_HEADERS, "failures by stage"]
    rows = [[r["label"], _short_time(r["started_at"]),
             KILLED if r["state"] == KILLED else INTERRUPTED if r["state"] == INTERRUPTED else _short_time(r["finished_at"]),
             human_duration(r["duration_s"]), str(len(r["sites"])), *_counts(r), stages_text(r["failures_by_stage"])]
            for r in runs]
    return format_table(headers, rows, numeric=set(range(3, 11)))


def run_sites_table(run: dict) -> str:
    headers = ["site", "name", *_COUNT_HEADERS, "active span", "failures by stage"]
    rows = [[s["site"], s.get("name") or "-", *_counts(s), human_duration(s["span_s"]),
             stages_text(s["failures_by_stage"])] for s in run["sites"]]
    return format_table(headers, rows, numeric=set(range(2, 9)))


def sites_table(sites: list[dict]) -> str:
    headers = ["site", "name", "reports", "runs", *_COUNT_HEADERS, "last run"]
    rows = [[s["site"], s.get("name") or "-", str(s["reports"]), str(s["runs"]), *_counts(s), s["last_run_label"]]
            for s in sites]
    return format_table(headers, rows, numeric=set(range(2, 10)))


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def columns_table(columns: list[dict]) -> str:
    headers = ["site", "column", "stated", "found", "method", "complete", "stated as"]
    rows = [[c.get("name") or c["site"], trim_reason(_path_of(c["url"]), 60),
             "-" if c["expected"] is None else str(c["expected"]), str(c["found"]), c["method"] or "-",
             "yes" if c["complete"] else "NO", trim_reason(c["stated"] or "", 40)] for c in columns]
    return format_table(headers, rows, numeric={2, 3})


def failures_table(stages: list[dict]) -> str:
    rows = []
    for st in stages:
        reasons = st["top_reasons"] or [{"reason": "", "count": 0}]
        for i, r in enumerate(reasons):
            rows.append([st["stage"] if i == 0 else "", str(st["count"]) if i == 0 else "",
                         str(r["count"]), r["reason"]])
    return format_table(["stage", "failures", "n", "top reasons"], rows, numeric={1, 2})


def render_text(status: dict) -> str:
    parts = [f"nianbao status: store {status['store']}"]
    if status["last_run"] is None:
        parts.append("No crawl runs recorded in this store.")
    if status["runs"]:
        parts += ["", "Runs (oldest first)", runs_table(status["runs"])]
    last = status["last_run"]
    if last is not None:
        title = f"Last run {last['label']}{' (INTERRUPTED)' if last['state'] == INTERRUPTED else ''}: per site"
        parts += ["", title, run_sites_table(last) if last["sites"] else "(no events or failures recorded)"]
    if status["sites"]:
        parts += ["", "All runs: per site (totals; reports = rows archived)", sites_table(status["sites"])]
    if status.get("columns"):
        incomplete = status["columns_incomplete"]
        parts += ["", f"Report columns: {len(status['columns'])} walked, {incomplete} incomplete "
                      "(stated = what the column's pages say it holds)", columns_table(status["columns"])]
    if status["failures"]:
        parts += ["", "Failures by stage (all runs)", failures_table(status["failures"])]
    return "\n".join(parts)


# -- command -------------------------------------------------------------------------------------------

def load(location: str) -> dict:
    """gather() over the store at `location` (StoreError when it cannot be opened)."""
    store = open_existing(location)
    try:
        return gather(store)
    except sqlite3.Error as exc:      # a damaged catalogue reads as an unopenable store, not a traceback
        raise StoreError(f"cannot read store at {location}: {exc}") from exc
    finally:
        store.close()


def cmd_status(args) -> int:
    try:
        status = load(args.store)
    except StoreError as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return EXIT_STORE
    text = json.dumps(status, ensure_ascii=False, indent=1) if args.json else render_text(status)
    sys.stdout.write(text + "\n")
    return EXIT_OK
