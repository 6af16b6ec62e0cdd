"""Export parsed reports for analysis: one row per report, one column per canonical cell.

Columns: the report's identity and metadata, the check counts, then every cell of both national
formats as dotted canonical paths (`applications.new_received.total`); a cell the report's format
does not have, or that the report leaves blank, is null.  CSV (UTF-8, empty = null), Parquet (typed:
integers as nullable int64, money as float64) and JSON Lines carry the same rows.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from .store import parse_store, read_cross_year, read_parsed
from .template import MONEY_CELLS, all_cell_paths, cell_at, split_path

FORMATS = ("csv", "parquet", "jsonl")
META_COLUMNS = ("id", "url", "title", "agency", "year", "published", "format", "parser_version",
                "checks_ok", "checks_fail", "checks_not_assessable", "failed_rules", "warnings")


def _is_money(path: str) -> bool:
    table, row, col = split_path(path)
    return table == "active" and (row, col) in MONEY_CELLS


def rows(parsed: dict[str, dict], cross: dict[str, dict]) -> list[dict]:
    out = []
    cells = all_cell_paths()
    for rid, record in parsed.items():
        checks = list(record.get("checks", [])) + list(cross.get(rid, {}).get("checks", []))
        failed = sorted({c["rule"] + (f"[{c.get('column') or c.get('row') or c.get('figure')}]") for c in checks
                         if c["status"] == "fail"})
        row = {"id": rid, "url": record.get("url"), "title": record.get("title"), "agency": record.get("agency"),
               "year": record.get("year"), "published": record.get("published"), "format": record.get("format"),
               "parser_version": record.get("parser_version"),
               "checks_ok": sum(c["status"] == "ok" for c in checks),
               "checks_fail": sum(c["status"] == "fail" for c in checks),
               "checks_not_assessable": sum(c["status"] == "not_assessable" for c in checks),
               "failed_rules": ";".join(failed), "warnings": len(record.get("warnings", []))}
        tables = record.get("tables", {})
        for path in cells:
            value = cell_at(tables, path)
            row[path] = float(value) if value is not None and _is_money(path) else value
        out.append(row)
    return out


def _write_csv(table: list[dict], columns: list[str], out: Path) -> None:
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in table:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})


def _has_fraction(table: list[dict], name: str) -> bool:
    return any(isinstance(row.get(name), float) and not row[name].is_integer() for row in table)


def _write_parquet(table: list[dict], columns: list[str], out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = {"id", "url", "title", "agency", "published", "format", "failed_rules"}
    fields = []
    for name in columns:
        if name in text:
            kind = pa.string()
        elif name in META_COLUMNS or not (_is_money(name) or _has_fraction(table, name)):
            kind = pa.int64()
        else:
            kind = pa.float64()
        fields.append(pa.field(name, kind))
    schema = pa.schema(fields)
    data = {name: [row.get(name) for row in table] for name in columns}
    pq.write_table(pa.table(data, schema=schema), out)


def _write_jsonl(table: list[dict], columns: list[str], out: Path) -> None:
    with open(out, "w", encoding="utf-8") as fh:
        for row in table:
            fh.write(json.dumps({k: row[k] for k in columns}, ensure_ascii=False) + "\n")


def export(root: str | os.PathLike, fmt: str, out: str | os.PathLike) -> int:
    """Write every parsed report of the store to `out`; reports not yet parsed by this parser version are
    parsed first, so an export is never stale.  Returns the number of rows written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    parse_store(root)
    table = rows(read_parsed(root), read_cross_year(root))
    columns = list(META_COLUMNS) + all_cell_paths()
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    {"csv": _write_csv, "parquet": _write_parquet, "jsonl": _write_jsonl}[fmt](table, columns, target)
    return len(table)
