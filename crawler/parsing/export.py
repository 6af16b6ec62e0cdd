"""Export parsed reports for analysis: one row per report, one column per canonical cell.

Columns: the report's identity and metadata (its site and the site's name, whether the classifier took it
for a report and whether it was fed by force), the check counts and the parser's warnings (as text), then
the cells of the national formats the exported reports use (`report_format`: one format's reports with its
cells only) as dotted canonical paths (`applications.new_received.total`), or with `labels="zh"` as the
reports' own Chinese labels (表三·自然人·（二）部分公开…); a cell the report's format does not have, or that
the report leaves blank, is null.  CSV (UTF-8, empty = null, counts written as integers: read them with
pandas' `dtype_backend="numpy_nullable"` to keep them integers), Parquet (typed: counts as nullable int64,
money as float64, flags as bool) and JSON Lines carry the same rows.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from crawler.archive.feed import read_feed

from .audit import audit_figures
from .store import cross_year, parse_record, parse_store, read_cross_year, read_parsed
from .template import (ACTIVE_ROWS, APPLICANT_COLUMNS, APPLICATION_ROWS, MONEY_CELLS, OUTCOME_COLUMNS, REVIEW_ROWS,
                       all_cell_paths, cell_at, cell_paths, split_path)

FORMATS = ("csv", "parquet", "jsonl")
TABLE_FORMATS = ("2019", "2021")
META_COLUMNS = ("id", "url", "site", "site_name", "title", "agency", "year", "published", "format", "is_report",
                "forced", "parser_version", "checks_ok", "checks_fail", "checks_not_assessable", "failed_rules",
                "warnings")
META_ZH = {"id": "报告编号", "url": "网址", "site": "站点", "site_name": "站点名称", "title": "标题", "agency": "机关",
           "year": "报告年度", "published": "发布日期", "format": "格式", "is_report": "是否年报", "forced": "强制收录",
           "parser_version": "解析器版本", "checks_ok": "校验通过", "checks_fail": "校验不符",
           "checks_not_assessable": "无法校验", "failed_rules": "不符的规则", "warnings": "解析提示"}
# The audit figures (crawler/parsing/audit.py), after the metadata: a list is written `;`-separated.
AUDIT_COLUMNS = ("level", "deadline", "on_time", "days_late", "published_source", "reuse_of_previous",
                 "sections_missing")
AUDIT_ZH = {"level": "机关层级", "deadline": "法定公布期限", "on_time": "按期公布", "days_late": "逾期天数",
            "published_source": "发布日期来源", "reuse_of_previous": "与上年重复率", "sections_missing": "缺少的必备章节"}
_TEXT = {"id", "url", "site", "site_name", "title", "agency", "published", "format", "failed_rules", "warnings",
         "level", "deadline", "published_source", "sections_missing"}
_FLAGS = {"is_report", "forced", "on_time"}
_FRACTIONS = {"reuse_of_previous"}


def zh_labels(columns: list[str]) -> list[str]:
    """Each column's Chinese label: the metadata's, or 表·行·列 of a cell as the reports print them (the
    2021 format's label where the formats share a key but print it differently); unique."""
    cells: dict[str, str] = {}
    for fmt in reversed(TABLE_FORMATS):
        for row in ACTIVE_ROWS[fmt]:
            for col, label in row.columns:
                cells.setdefault(f"active.{row.key}.{col}", f"表二·{row.label}·{label}")
        for row in APPLICATION_ROWS[fmt]:
            for col, label in APPLICANT_COLUMNS:
                cells.setdefault(f"applications.{row.key}.{col}", f"表三·{row.label}·{label}")
    for row, row_label in REVIEW_ROWS:
        for col, label in OUTCOME_COLUMNS:
            cells[f"review_litigation.{row}.{col}"] = f"表四·{row_label}·{label}"
    out, seen = [], set()
    for name in columns:
        label = META_ZH.get(name) or AUDIT_ZH.get(name) or cells.get(name, name)
        if label in seen:
            label = f"{label}（{name}）"     # two keys one printed label: the key tells them apart
        seen.add(label)
        out.append(label)
    return out


def _is_money(path: str) -> bool:
    table, row, col = split_path(path)
    return table == "active" and (row, col) in MONEY_CELLS


def rows(parsed: dict[str, dict], cross: dict[str, dict], feed: dict[str, dict] | None = None,
         site_names: dict[str, str] | None = None, audit: dict[str, dict] | None = None) -> list[dict]:
    """One row per parsed report; `feed` (id -> feed record) gives the site and classification columns,
    `site_names` (site -> name, e.g. from a sites file) names sites before the portal's own name does."""
    out = []
    cells = all_cell_paths()
    feed, site_names = feed or {}, site_names or {}
    for rid, record in parsed.items():
        fed = feed.get(rid, {})
        verdict = fed.get("classification") or {}
        checks = list(record.get("checks", [])) + list(cross.get(rid, {}).get("checks", []))
        failed = sorted({c["rule"] + (f"[{c.get('column') or c.get('row') or c.get('figure')}]") for c in checks
                         if c["status"] == "fail"})
        site = fed.get("site")
        row = {"id": rid, "url": record.get("url"), "site": site,
               "site_name": site_names.get(site) or fed.get("site_name"), "title": record.get("title"),
               "agency": record.get("agency"), "year": record.get("year"), "published": record.get("published"),
               "format": record.get("format"), "is_report": verdict.get("is_report"), "forced": verdict.get("forced"),
               "parser_version": record.get("parser_version"),
               "checks_ok": sum(c["status"] == "ok" for c in checks),
               "checks_fail": sum(c["status"] == "fail" for c in checks),
               "checks_not_assessable": sum(c["status"] == "not_assessable" for c in checks),
               "failed_rules": ";".join(failed),
               "warnings": "; ".join(str(w) for w in record.get("warnings", [])) or None}
        figures = (audit or {}).get(rid, {})
        for name in AUDIT_COLUMNS:
            value = figures.get(name)
            row[name] = ";".join(value) if isinstance(value, list) else value
        tables = record.get("tables", {})
        for path in cells:
            value = cell_at(tables, path)
            row[path] = float(value) if value is not None and _is_money(path) else value
        out.append(row)
    return out


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)          # money of whole yuan: 251000, not 251000.0
    return value


def _write_csv(table: list[dict], columns: list[str], out: Path, header: list[str]) -> None:
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in table:
            writer.writerow([_csv_value(row.get(k)) for k in columns])


def _has_fraction(table: list[dict], name: str) -> bool:
    return any(isinstance(row.get(name), float) and not row[name].is_integer() for row in table)


def _write_parquet(table: list[dict], columns: list[str], out: Path, header: list[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    fields = []
    for name, label in zip(columns, header):
        if name in _TEXT:
            kind = pa.string()
        elif name in _FRACTIONS:
            kind = pa.float64()
        elif name in _FLAGS:
            kind = pa.bool_()
        elif name in META_COLUMNS or name in AUDIT_COLUMNS or not (_is_money(name) or _has_fraction(table, name)):
            kind = pa.int64()
        else:
            kind = pa.float64()
        fields.append(pa.field(label, kind))
    schema = pa.schema(fields)
    data = {label: [row.get(name) for row in table] for name, label in zip(columns, header)}
    pq.write_table(pa.table(data, schema=schema), out)


def _write_jsonl(table: list[dict], columns: list[str], out: Path, header: list[str]) -> None:
    with open(out, "w", encoding="utf-8") as fh:
        for row in table:
            fh.write(json.dumps({label: row.get(k) for k, label in zip(columns, header)}, ensure_ascii=False) + "\n")


def _parsed(root: str | os.PathLike) -> tuple[dict[str, dict], dict[str, dict]]:
    """Every report parsed by this parser version, and the cross-year checks. A store this user may write is
    brought up to date on disk (parse_store); a read-only one is parsed in memory, nothing written."""
    if os.access(root, os.W_OK) and os.access(Path(root) / "feed", os.W_OK):
        parse_store(root)
        return read_parsed(root), read_cross_year(root)
    parsed = read_parsed(root)
    for record in read_feed(Path(root) / "feed"):
        if record.get("id") and record["id"] not in parsed:
            parsed[record["id"]] = parse_record(record)
    return parsed, {line["id"]: line for line in cross_year(parsed)}


def cell_columns(formats: set[str]) -> list[str]:
    """The cells of the table formats given (2019's order first), or of both when none of them is."""
    wanted = [fmt for fmt in TABLE_FORMATS if fmt in formats] or list(TABLE_FORMATS)
    return list(dict.fromkeys(path for fmt in wanted for path in cell_paths(fmt)))


def export(root: str | os.PathLike, fmt: str, out: str | os.PathLike, *, labels: str = "keys",
           report_format: str | None = None, site_names: dict[str, str] | None = None) -> int:
    """Write every parsed report of the store to `out`; reports not yet parsed by this parser version are
    parsed first, so an export is never stale.  Returns the number of rows written.

    `report_format` ("2019" or "2021"): only that format's reports, with its cells only; otherwise the cells
    of the formats the reports use. `labels`: "keys" (canonical dotted keys) or "zh" (Chinese labels)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    parsed, cross = _parsed(root)
    feed = {r["id"]: r for r in read_feed(Path(root) / "feed") if r.get("id")}
    table = rows(parsed, cross, feed, site_names, audit_figures(root, parsed, feed, cross))
    if report_format:
        table = [row for row in table if row["format"] == report_format]
    cells = cell_columns({report_format} if report_format else {r["format"] for r in table})
    # a variant row (a 2021 table's single-row （六）其他处理, kept under the 2019 key) is a column wherever
    # a report has it, so no figure is lost to the format's column set
    cells += [p for p in all_cell_paths() if p not in cells and any(r.get(p) is not None for r in table)]
    columns = list(META_COLUMNS) + list(AUDIT_COLUMNS) + cells
    header = zh_labels(columns) if labels == "zh" else columns
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    {"csv": _write_csv, "parquet": _write_parquet, "jsonl": _write_jsonl}[fmt](table, columns, target, header)
    return len(table)
