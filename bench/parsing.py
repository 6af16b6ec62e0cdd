"""Parsing-stage figures: time per report and cells correct / cells expected, against a number-stream baseline.

The baseline reads tables the way public parsers do (govnianbao counts the flat number stream): every
number after 表三's first row label, seven per row in template order, and the last fifteen numbers
before 五、 for 表四.  It is run on the same texts in the same process.
"""

from __future__ import annotations

import re
import statistics
import time

from crawler.parsing.cells import read_cell
from crawler.parsing.report import document_text, parse_text
from crawler.parsing.store import read_parsed
from crawler.parsing.template import APPLICANT_COLUMNS, APPLICATION_ROWS, OUTCOME_COLUMNS, REVIEW_ROWS
from replica.corpus import cases, paths, truth

_T3_START = re.compile(r"本年新收")
_T4_START = re.compile(r"^四、.*复议")
_END = re.compile(r"^五、")


def baseline_tables(text: str, fmt: str) -> dict:
    """表三 and 表四 by counting numbers (no labels): what a stream-counting parser gets."""
    cells = []
    state = None
    for line in text.split("\n"):
        for cell in line.split("\t"):
            cell = cell.strip()
            if state is None and _T3_START.search(cell):
                state = "t3"
            elif state == "t3" and _T4_START.search(cell):
                state = "t4"
            elif state == "t4" and _END.search(cell):
                state = "end"
            if state in ("t3", "t4"):
                value = read_cell(cell)
                if value is not None and cell:
                    cells.append((state, value.value))
    t3 = [v for s, v in cells if s == "t3"]
    t4 = [v for s, v in cells if s == "t4"][-15:]
    rows = APPLICATION_ROWS[fmt]
    columns = [c for c, _ in APPLICANT_COLUMNS]
    apps = {r.key: {c: (t3[i * 7 + j] if i * 7 + j < len(t3) else None) for j, c in enumerate(columns)}
            for i, r in enumerate(rows)}
    review = {r: {c: (t4[i * 5 + j] if i * 5 + j < len(t4) else None) for j, (c, _) in enumerate(OUTCOME_COLUMNS)}
              for i, (r, _) in enumerate(REVIEW_ROWS)}
    return {"applications": apps, "review_litigation": review}


def _score(got: dict, want: dict, only: tuple[str, ...] | None = None) -> tuple[int, int]:
    have, expected = paths(got), paths(want)
    keys = [p for p in expected if only is None or p.startswith(only)]
    return sum(have.get(p, "missing") == expected[p] for p in keys), len(keys)


def corpus_figures() -> dict:
    """Over the test set: cells right per carrier, ours and the baseline's (表三+表四), parse ms per report."""
    per_carrier: dict[str, list[int]] = {}
    ours34 = [0, 0]
    base34 = [0, 0]
    parse_ms, read_ms = [], []
    for case in cases():
        started = time.perf_counter()
        text, meta = document_text(case.body, case.filename)
        read_ms.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        parsed = parse_text(text)
        parse_ms.append(1000 * (time.perf_counter() - started))
        right, total = _score(parsed["tables"], case.tables)
        acc = per_carrier.setdefault(case.carrier, [0, 0])
        acc[0] += right
        acc[1] += total
        if case.tables and case.format in ("2019", "2021"):
            r, t = _score(parsed["tables"], case.tables, ("applications.", "review_litigation."))
            ours34[0] += r
            ours34[1] += t
            r, t = _score(baseline_tables(text, case.format), case.tables, ("applications.", "review_litigation."))
            base34[0] += r
            base34[1] += t
    return {"cases": len(parse_ms), "per_carrier": per_carrier, "ours34": ours34, "base34": base34,
            "parse_ms": statistics.mean(parse_ms), "read_ms": statistics.mean(read_ms)}


def crawl_figures(store_dir, table_reports: dict) -> dict:
    """Over a crawl's store: the crawl's own parsed lines against the replica's figures; parse ms per report
    (re-parsing every fed text, as `nianbao parse --store --force` does)."""
    from crawler.archive.feed import read_feed

    feed = read_feed(store_dir / "feed")
    parsed = read_parsed(store_dir)
    right = total = reports = 0
    for record in feed:
        report = table_reports.get(record["url"])
        # a later revision (the evolving site's corrected report) is no longer the figures first published
        if report is None or record["ocr"] or record["id"] not in parsed or record.get("revision", 1) > 1:
            continue
        reports += 1
        r, t = _score(parsed[record["id"]]["tables"], truth(report.figures)[0])
        right += r
        total += t
    started = time.perf_counter()
    for record in feed:
        parse_text(record["text"], title=record["title"], agency=record["agency"], year=record["year"],
                   published=record["published"])
    seconds = time.perf_counter() - started
    return {"fed": len(feed), "reports": reports, "right": right, "total": total,
            "parse_ms": 1000 * seconds / max(len(feed), 1)}


TABLE_RULES = {"balance", "results_sum", "applicant_sum", "review_litigation_sum", "active_within_total"}


def real_layout_figures() -> dict:
    """Over the layouts seen in real reports (replica.corpus.real_layout_cases): cells right per layout kind and
    per carrier, cells read as printed against cells inferred from digits run together (and how many of those
    are right), ambiguous rows left blank with their warning; and over every corpus case, the table rules'
    true alarms (a fail the truth has), false alarms (a fail it has not) and misses."""
    from replica.corpus import real_layout_cases

    per_layout: dict[str, list[int]] = {}
    per_carrier: dict[str, list[int]] = {}
    read = [0, 0]            # cells read as printed: right, all
    inferred = [0, 0]        # cells inferred: right, all
    ambiguous = [0, 0]       # ambiguous rows: blank with a warning naming them, all
    stated = [0, 0]          # pre-2019 统计表 figures: right (or left out where the truth has none), all
    alarms = {"true": 0, "false": 0, "missed": 0}
    real = real_layout_cases()
    for case in cases() + real:
        parsed = parse_text(document_text(case.body, case.filename)[0])
        failed = {(c["rule"], c.get("column") or c.get("row")) for c in parsed["checks"]
                  if c["status"] == "fail" and c["rule"] in TABLE_RULES}
        alarms["true"] += len(failed & set(case.failing))
        alarms["false"] += len(failed - set(case.failing))
        alarms["missed"] += len(set(case.failing) - failed)
        if case not in real:
            continue
        have, want = paths(parsed["tables"]), paths(case.tables)
        right = {p for p, v in want.items() if have.get(p, "missing") == v and type(have.get(p)) is type(v)}
        for kind in case.layouts:
            acc = per_layout.setdefault(kind, [0, 0])
            acc[0] += len(right)
            acc[1] += len(want)
        acc = per_carrier.setdefault(case.carrier, [0, 0])
        acc[0] += len(right)
        acc[1] += len(want)
        marked = set(parsed.get("inferred", {}))
        for p, v in want.items():
            if v is None:
                continue
            bucket = inferred if p in marked else read
            bucket[0] += p in right
            bucket[1] += 1
        for key, value in case.stated.items():
            from_table = [st["value"] for st in parsed["prose_figures"].get(key, []) if st.get("source") == "table"]
            stated[1] += 1
            stated[0] += from_table == ([] if value is None else [value])
        for row in case.ambiguous:
            ambiguous[1] += 1
            ambiguous[0] += all(have.get(p) is None for p in want if p.startswith(row + ".")) and \
                any(row in w for w in parsed["warnings"])
    return {"cases": len(real), "per_layout": per_layout, "per_carrier": per_carrier, "read": read,
            "inferred": inferred, "ambiguous": ambiguous, "stated": stated, "alarms": alarms,
            "all_cases": len(cases()) + len(real)}


def real_layout_lines() -> list[str]:
    """`make bench` lines for real_layout_figures."""
    f = real_layout_figures()

    def fmt(d: dict) -> str:
        return ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(d.items()))

    a = f["alarms"]
    return [f"real layouts ({f['cases']} documents): cells right per layout kind: {fmt(f['per_layout'])}",
            f"real layouts: cells right per carrier: {fmt(f['per_carrier'])}",
            f"real layouts: cells read as printed {f['read'][0]}/{f['read'][1]} right, inferred from digits run "
            f"together {f['inferred'][0]}/{f['inferred'][1]} right; ambiguous rows blank with their warning "
            f"{f['ambiguous'][0]}/{f['ambiguous'][1]}; pre-2019 statistics table figures right {f['stated'][0]}/"
            f"{f['stated'][1]}",
            f"checks over all {f['all_cases']} corpus documents: true alarms {a['true']}, false alarms {a['false']}, "
            f"missed {a['missed']}"]
