"""`nianbao report`: one self-contained HTML file describing the crawls of a store, with plots.

The page needs nothing but itself: the plots are PNG images drawn by matplotlib (Agg, no display) and
inlined as base64 `data:` URLs, the style sheet is inline, and a Content-Security-Policy forbids loading
anything else, so it opens offline and can be mailed or archived as is. Its figures are those of
`nianbao status` (crawler.ops.status.gather) plus the archive's reports per year and site.

Plots (each only when there is something to draw):
  1. reports per year per site — rows of `reports` (year reported on × site), stacked bars;
  2. new, revised (and removed) reports per run — run events;
  3. failures by stage — stacked by last run / earlier runs / before runs were recorded;
  4. crawl time per site in the last run — per site a bar from its first to its last recorded activity
     (run event or failure), placed at its offset from the run's start. Sites are crawled concurrently,
     so bars overlap and do not add up to the run; walking listing pages before a site's first report
     leaves no record, which shows as the gap before its bar; timestamps have one-second resolution;
  5. the same active span per site across runs, with each run's whole duration for scale (two runs or more).

Labels may be Chinese: a CJK font is looked up through matplotlib's font manager (Noto Sans CJK from
Debian's fonts-noto-cjk, or another common one); without one, labels are drawn in ASCII (hosts as
punycode, other characters as '?') instead of as missing-glyph boxes.
"""

from __future__ import annotations

import base64
import html
import io
import sqlite3
import sys
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from crawler.ops.status import (EVENTS, INTERRUPTED, KILLED, PRE_RUNS, gather, human_duration, open_existing,
                                site_label, stages_text)
from crawler.archive.storage import StoreError

__all__ = ["Plot", "build_report", "cmd_report", "find_cjk_font", "load"]

EXIT_OK, EXIT_WRITE, EXIT_STORE = 0, 1, 3
TOP_SITES = 12          # more sites than this share one "other sites" colour
MAX_RUNS = 30           # per-run plots show the newest runs only
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans SC",
                "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei",
                "PingFang SC", "Droid Sans Fallback", "AR PL UMing CN")
DPI = 100


@dataclass
class Plot:
    key: str
    title: str
    caption: str
    png: bytes


# -- data ----------------------------------------------------------------------------------------------

def load(location: str) -> tuple[dict, Counter]:
    """The status figures and the archive's report counts by (year or None, site). Sites are shown by name
    and host ("磐石市人民政府 (127.0.0.2:8080)": crawler.ops.status.site_label) wherever the page names them."""
    store = open_existing(location)
    try:
        status = gather(store)
        names = {s["site"]: site_label(s) for s in status["sites"]}
        by_year_site = Counter((r["year"], names.get(r["site"], r["site"]) if r["site"] else "(no site)")
                               for r in store.reports())
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read store at {location}: {exc}") from exc
    finally:
        store.close()
    return status, by_year_site


def _labelled(status: dict) -> dict:
    """A copy of `status` whose site entries carry their display label as `site` (for the plots' labels)."""
    import copy

    out = copy.deepcopy(status)
    for entry in out["sites"] + [s for run in out["runs"] for s in run["sites"]]:
        entry["site"] = site_label(entry)
    return out


# -- fonts and labels ----------------------------------------------------------------------------------

def find_cjk_font() -> str | None:
    """A font family matplotlib knows that draws Chinese, or None."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    preferred = next((name for name in CJK_FAMILIES if name in known), None)
    return preferred or next((name for name in sorted(known) if "CJK" in name), None)


def ascii_label(text: str, host: bool = False) -> str:
    """What a label becomes without a CJK font: a host as punycode (still the same host), other text
    with '?' for each character that cannot be drawn."""
    if text.isascii():
        return text
    if host:
        name, sep, port = text.partition(":")
        try:
            return name.encode("idna").decode("ascii") + sep + port
        except UnicodeError:
            pass
    return text.encode("ascii", "replace").decode("ascii")


class Labeller:
    def __init__(self, cjk_font: str | None):
        self.cjk_font = cjk_font

    def __call__(self, text: str, host: bool = False) -> str:
        return text if self.cjk_font else ascii_label(text, host)

    def rc(self) -> dict:
        # Per-glyph fallback runs over the families named in font.family itself (a generic "sans-serif"
        # resolves to one font); DejaVu first keeps Latin text and digits in matplotlib's usual face.
        families = ["DejaVu Sans", self.cjk_font] if self.cjk_font else ["DejaVu Sans"]
        return {"font.family": families, "axes.unicode_minus": False}


# -- plots ---------------------------------------------------------------------------------------------

def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _colours(n: int) -> list:
    from matplotlib import colormaps

    cmap = colormaps["tab20" if n > 10 else "tab10"]
    return [cmap(i % cmap.N) for i in range(n)]


def _top(counts: Counter, limit: int) -> list[str]:
    return [name for name, _ in counts.most_common(limit)]


def plot_years(by_year_site: Counter, label: Labeller) -> Plot | None:
    if not by_year_site:
        return None
    per_site = Counter()
    for (_, site), n in by_year_site.items():
        per_site[site] += n
    # An "other sites" group only when it would hold two sites or more.
    shown = _top(per_site, TOP_SITES if len(per_site) > TOP_SITES + 1 else len(per_site))
    groups = shown + (["other sites"] if len(per_site) > len(shown) else [])
    years = sorted({y for y, _ in by_year_site if y is not None})
    keys: list[int | None] = years + ([None] if any(y is None for y, _ in by_year_site) else [])
    xs = ["unknown" if y is None else str(y) for y in keys]
    counts = {g: [0] * len(keys) for g in groups}
    for (year, site), n in by_year_site.items():
        counts[site if site in shown else "other sites"][keys.index(year)] += n
    fig, ax = _figure(max(7.0, 0.55 * len(xs) + 4), 4.5)     # the legend takes ~3 inches
    bottom = [0] * len(keys)
    for group, colour in zip(groups, _colours(len(groups))):
        ax.bar(xs, counts[group], bottom=bottom, label=label(group, host=True), color=colour)
        bottom = [b + c for b, c in zip(bottom, counts[group])]
    ax.set_xlabel("year reported on")
    ax.set_ylabel("reports archived")
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.tick_params(axis="x", labelrotation=45 if len(xs) > 12 else 0)
    return Plot("years", "Reports per year and site", f"{sum(by_year_site.values())} reports in the archive, "
                "by the year they report on; 'unknown' when no year was read.", _png(fig))


def _numbered_runs(status: dict) -> list[tuple[int, dict]]:
    """The newest MAX_RUNS recorded runs with their number in the runs table (1 = oldest)."""
    recorded = [r for r in status["runs"] if r["id"] is not None]
    return list(enumerate(recorded, start=1))[-MAX_RUNS:]


def _run_ticks(numbered: list[tuple[int, dict]]) -> list[str]:
    return [f"#{n}\n{(r['started_at'] or '')[5:16].replace('T', ' ')}" for n, r in numbered]


def _span(run: dict, site: str) -> float:
    """The site's active span in the run; NaN (a gap in the line) when the run has none for it."""
    span = next((s["span_s"] for s in run["sites"] if s["site"] == site), None)
    return float("nan") if span is None else span


def plot_runs(status: dict, label: Labeller) -> Plot | None:
    numbered = _numbered_runs(status)
    runs = [r for _, r in numbered]
    if not runs:
        return None
    series = ["new", "revised"] + (["removed"] if any(r["removed"] for r in runs) else [])
    fig, ax = _figure(max(6.0, 0.6 * len(runs) + 3), 4.0)
    width = 0.8 / len(series)
    for k, (event, colour) in enumerate(zip(series, ("tab:green", "tab:orange", "tab:red"))):
        xs = [i + (k - (len(series) - 1) / 2) * width for i in range(len(runs))]
        bars = ax.bar(xs, [r[event] for r in runs], width=width, label=event, color=colour)
        ax.bar_label(bars, fontsize="x-small")
    ax.set_xticks(range(len(runs)), _run_ticks(numbered), fontsize="small")
    ax.set_ylabel("reports")
    ax.legend(fontsize="small")
    more = numbered[0][0] - 1
    note = f" (the newest {len(runs)}; {more} older runs not drawn)" if more > 0 else ""
    return Plot("runs", "New and revised reports per run", f"Reports fed as new, and new versions of known "
                f"reports, per run{note}; runs are numbered as in the runs table.", _png(fig))


def plot_failures(status: dict, label: Labeller) -> Plot | None:
    if not status["failures"]:
        return None
    last = status["last_run"]
    parts = {"last run": Counter(), "earlier runs": Counter(), PRE_RUNS: Counter()}
    for run in status["runs"]:
        part = PRE_RUNS if run["id"] is None else "last run" if last and run["id"] == last["id"] else "earlier runs"
        parts[part].update(run["failures_by_stage"])
    stages = [s["stage"] for s in status["failures"]][::-1]        # most frequent on top
    fig, ax = _figure(8.0, max(2.5, 0.4 * len(stages) + 1.5))
    left = [0] * len(stages)
    for (part, counts), colour in zip(parts.items(), ("tab:red", "tab:gray", "tab:olive")):
        if not counts:
            continue
        values = [counts[s] for s in stages]
        ax.barh([label(s) for s in stages], values, left=left, label=part, color=colour)
        left = [a + b for a, b in zip(left, values)]
    for y, total in enumerate(left):
        ax.annotate(str(total), (total, y), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize="small")
    ax.set_xlabel("failures recorded")
    ax.set_xlim(0, max(left) * 1.1 + 1)         # room for the totals
    ax.legend(fontsize="small", loc="best")
    return Plot("failures", "Failures by stage", "Recorded failures by the stage that failed (fetch, robots, "
                "decode, …); the top reasons of each stage are in the failures table.", _png(fig))


def plot_last_run_timeline(status: dict, label: Labeller) -> Plot | None:
    run = status["last_run"]
    sites = [s for s in (run["sites"] if run else []) if s["offset_s"] is not None]
    if not sites:
        return None
    sites.sort(key=lambda s: (s["offset_s"], s["site"]), reverse=True)      # earliest start on top
    end = max([s["offset_s"] + s["span_s"] for s in sites] + [run["duration_s"] or 0])
    fig, ax = _figure(8.5, max(2.5, 0.35 * len(sites) + 1.5))
    ys = [label(s["site"], host=True) for s in sites]
    # A site active within one second still gets a visible sliver: zero is a resolution limit, not a fact.
    widths = [max(s["span_s"], end * 0.004, 0.2) for s in sites]
    ax.barh(ys, widths, left=[s["offset_s"] for s in sites], color="tab:blue")
    for y, s in enumerate(sites):
        ax.annotate(human_duration(s["span_s"]), (s["offset_s"] + widths[y], y), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize="x-small")
    if run["duration_s"] is not None:
        ax.axvline(run["duration_s"], color="black", linestyle="--", linewidth=1,
                   label=f"run finished ({human_duration(run['duration_s'])})")
        ax.legend(fontsize="small", loc="lower right")
    ax.set_xlabel("seconds since the run started")
    ax.set_xlim(0, end * 1.15 + 1)
    state = "killed or still running" if run["state"] == KILLED else "finished"
    return Plot("timeline", f"Crawl time per site, last run ({label(run['label'])})",
                f"Each bar runs from the site's first to its last recorded activity (run event or failure) "
                f"in the last run ({state}). Sites are crawled concurrently, so bars overlap; the walk of "
                "listing pages before a site's first report leaves no record and shows as the gap before "
                "its bar. Timestamps have one-second resolution.", _png(fig))


def plot_spans_per_run(status: dict, label: Labeller) -> Plot | None:
    numbered = [(n, r) for n, r in _numbered_runs(status) if r["sites"]]
    runs = [r for _, r in numbered]
    if len(runs) < 2:
        return None
    totals = Counter()
    for run in runs:
        for s in run["sites"]:
            totals[s["site"]] += s["span_s"] or 0
    shown = _top(totals, TOP_SITES)
    fig, ax = _figure(max(6.0, 0.6 * len(runs) + 4), 4.5)
    xs = list(range(len(runs)))
    for site, colour in zip(shown, _colours(len(shown))):
        ax.plot(xs, [_span(r, site) for r in runs], marker="o", label=label(site, host=True), color=colour)
    ax.plot(xs, [r["duration_s"] if r["duration_s"] is not None else float("nan") for r in runs],
            color="black", linestyle="--", marker="s", label="whole run")
    ax.set_xticks(xs, _run_ticks(numbered), fontsize="small")
    ax.set_ylabel("seconds")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return Plot("spans", "Crawl time per site, per run", "Per run, each site's span from first to last recorded "
                "activity (gaps: the run did not touch the site), and the run's whole duration (missing when "
                f"it was killed or is running). Top {TOP_SITES} sites by total span.", _png(fig))


PLOTTERS = (plot_years, plot_runs, plot_failures, plot_last_run_timeline, plot_spans_per_run)


def make_plots(status: dict, by_year_site: Counter, cjk_font: str | None) -> list[Plot]:
    from matplotlib import rc_context

    label = Labeller(cjk_font)
    plots = []
    with rc_context(label.rc()):
        for plotter in PLOTTERS:
            args = (by_year_site,) if plotter is plot_years else (status,)
            plot = plotter(*args, label)
            if plot is not None:
                plots.append(plot)
    return plots


# -- HTML ----------------------------------------------------------------------------------------------

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 2em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; vertical-align: top; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f2f2f2; }
figure { margin: 1em 0 2.5em; }
figcaption { color: #555; max-width: 60em; font-size: 0.9em; }
img { max-width: 100%; height: auto; }
"""
_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def _cell(value, numeric: bool = False) -> str:
    text = html.escape("-" if value is None else str(value))
    return f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>"


def _table(table_id: str, headers: list[str], rows: list[list[tuple[object, bool]]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(v, n) for v, n in row) + "</tr>" for row in rows)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _counts(entry: dict) -> list[tuple[object, bool]]:
    return [(entry[e], True) for e in EVENTS] + [(entry["failures"], True)]


def runs_html(status: dict) -> str:
    headers = ["#", "run", "started", "finished", "duration", "sites", *EVENTS, "failures", "failures by stage"]
    rows, number = [], 0
    for r in status["runs"]:
        number += r["id"] is not None
        rows.append([(number if r["id"] is not None else "", True), (r["label"], False), (r["started_at"], False),
                     (r["state"] if r["state"] in (KILLED, INTERRUPTED) else r["finished_at"], False),
                     (human_duration(r["duration_s"]), True), (len(r["sites"]), True), *_counts(r),
                     (stages_text(r["failures_by_stage"]), False)])
    return _table("runs", headers, rows)


def last_run_html(run: dict) -> str:
    headers = ["site", "name", *EVENTS, "failures", "first activity", "last activity", "active span",
               "failures by stage"]
    rows = [[(s["site"], False), (s.get("name") or "", False), *_counts(s), (s["first_at"], False), (s["last_at"], False),
             (human_duration(s["span_s"]), True), (stages_text(s["failures_by_stage"]), False)]
            for s in run["sites"]]
    return _table("last-run-sites", headers, rows)


def sites_html(status: dict) -> str:
    headers = ["site", "name", "reports", "runs", *EVENTS, "failures", "last run", "failures by stage"]
    rows = [[(s["site"], False), (s.get("name") or "", False), (s["reports"], True), (s["runs"], True), *_counts(s), (s["last_run_label"], False),
             (stages_text(s["failures_by_stage"]), False)] for s in status["sites"]]
    return _table("sites", headers, rows)


def columns_html(status: dict) -> str:
    headers = ["site", "name", "column", "stated", "found", "method", "complete", "stated as", "tried"]
    rows = [[(c["site"], False), (c.get("name") or "", False), (c["url"], False), (c["expected"], True),
             (c["found"], True), (c["method"], False), ("yes" if c["complete"] else "NO", False),
             (c["stated"] or "", False), (c["tried"] or "", False)] for c in status.get("columns", [])]
    return _table("columns", headers, rows)


def failures_html(status: dict) -> str:
    rows = [[(st["stage"], False), (st["count"], True), (r["count"], True), (r["reason"], False)]
            for st in status["failures"] for r in st["top_reasons"]]
    return _table("failures", ["stage", "failures", "with this reason", "reason"], rows)


def _figure_html(plot: Plot) -> str:
    data = base64.b64encode(plot.png).decode("ascii")
    return (f'<figure id="plot-{plot.key}"><h3>{html.escape(plot.title)}</h3>'
            f'<img class="plot" alt="{html.escape(plot.title)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{html.escape(plot.caption)}</figcaption></figure>")


def last_run_reports(location: str, run_id: str | None, limit: int = 1000) -> list[dict]:
    """The reports the run fed (new) or fed again (revised): event, id, title, agency, year, URL."""
    if run_id is None:
        return []
    store = open_existing(location)
    try:
        events = [e for e in store.run_events(run_id) if e["event"] in ("new", "revised") and e["report_id"]][:limit]
        known = {r["id"]: r for r in store.reports_by_id([e["report_id"] for e in events])} if events else {}
    except sqlite3.Error as exc:
        raise StoreError(f"cannot read store at {location}: {exc}") from exc
    finally:
        store.close()
    return [{"event": e["event"], "id": e["report_id"], "url": e["url"], **{k: known.get(e["report_id"], {}).get(k)
             for k in ("title", "agency", "year")}} for e in events]


def named_reports_html(named: list[dict], workbench: str | None) -> str:
    """A table naming the run's reports; each title links to its page in `nianbao serve` (at `workbench`), or to
    the report's own URL when no workbench is given."""
    rows = []
    for r in named:
        href = f"{workbench.rstrip('/')}/-/report/{r['id']}" if workbench else r["url"]
        title = html.escape(r["title"] or r["url"] or r["id"])
        link = f'<a href="{html.escape(href or "", quote=True)}">{title}</a>' if href else title
        rows.append(f"<tr><td>{html.escape(r['event'])}</td><td>{link}</td><td>{html.escape(r['agency'] or '-')}</td>"
                    f"<td class=\"num\">{html.escape(str(r['year'] or '-'))}</td></tr>")
    return ('<table id="named-reports"><thead><tr><th>event</th><th>report</th><th>agency</th><th>year</th></tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def render_html(status: dict, plots: list[Plot], named: list[dict] | None = None, workbench: str | None = None) -> str:
    last = status["last_run"]
    sections = [f"<h1>nianbao crawl report</h1><p>Store <code>{html.escape(status['store'])}</code>: "
                f"{sum(1 for r in status['runs'] if r['id'] is not None)} runs recorded, "
                f"{sum(s['reports'] for s in status['sites'])} reports archived.</p>"]
    if last is None:
        sections.append("<p id=\"no-runs\">No crawl runs recorded in this store.</p>")
    sections.append("<h2>Plots</h2>" + ("".join(_figure_html(p) for p in plots) or "<p>Nothing to plot.</p>"))
    if status["runs"]:
        sections.append("<h2>Runs (oldest first)</h2>" + runs_html(status))
    if last is not None:
        sections.append(f"<h2>Last run {html.escape(last['label'])}: per site</h2>" + last_run_html(last))
    if named:
        where = " (links: the workbench's report pages)" if workbench else ""
        sections.append(f"<h2>Last run: reports fed, new and revised{html.escape(where)}</h2>"
                        + named_reports_html(named, workbench))
    if status["sites"]:
        sections.append("<h2>All runs: per site (totals; reports = rows archived)</h2>" + sites_html(status))
    if status.get("columns"):
        sections.append(f"<h2>Report columns: {len(status['columns'])} walked, {status['columns_incomplete']} "
                        "incomplete (stated = what the column's pages say it holds)</h2>" + columns_html(status))
    if status["failures"]:
        sections.append("<h2>Failures by stage and top reasons (all runs)</h2>" + failures_html(status))
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">"
            "<title>nianbao crawl report</title>"
            f"<style>{_STYLE}</style></head><body>{''.join(sections)}</body></html>\n")


def build_report(status: dict, by_year_site: Counter, cjk_font: str | None, named: list[dict] | None = None,
                 workbench: str | None = None) -> tuple[str, int]:
    """The HTML page and its number of plots."""
    plots = make_plots(_labelled(status), by_year_site, cjk_font)
    return render_html(status, plots, named, workbench), len(plots)


# -- command -------------------------------------------------------------------------------------------

def _write(path: Path, text: str) -> None:
    # Written beside the target then renamed: a report being read is never half-written, and a failed write
    # leaves no temp file behind.
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def cmd_report(args) -> int:
    import matplotlib
    matplotlib.use("Agg")       # never a display, whatever MPLBACKEND says

    try:
        status, by_year_site = load(args.store)
        last = status["last_run"]
        named = last_run_reports(args.store, last["id"] if last else None)
    except StoreError as exc:
        print(f"nianbao: {exc}", file=sys.stderr)
        return EXIT_STORE
    with warnings.catch_warnings():
        # Labels are ASCII when no CJK font exists, so a glyph warning here would only be noise.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        page, count = build_report(status, by_year_site, find_cjk_font(), named, getattr(args, "workbench", None))
    out = Path(args.out)
    if out.is_dir():
        out = out / "report.html"       # a folder given: the report goes in it, not beside it
    try:
        out.parent.mkdir(parents=True, exist_ok=True)     # as `export` does
        _write(out, page)
    except OSError as exc:
        print(f"nianbao: cannot write {out}: {exc}", file=sys.stderr)
        return EXIT_WRITE
    print(f"nianbao: report written to {out} ({count} plots)", file=sys.stderr)
    return EXIT_OK
