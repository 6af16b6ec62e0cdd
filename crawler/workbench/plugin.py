"""The Datasette plugin of the workbench: Chinese search, a page per report, the archived bytes and WARC records by
digest, links in table cells, and a guard that keeps every request read-only and small.

Configured through the metadata's ``plugins: {"nianbao-workbench": {"store": DIR, "replay": URL|None}}``.
Nothing here writes: the store is opened read-only and only files named by a validated 64-hex digest are read.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from crawler.parsing.audit import raw_path
from crawler.parsing.template import (ACTIVE_ROWS, APPLICANT_COLUMNS, APPLICATION_ROWS, GROUPS, OUTCOME_COLUMNS,
                                      REVIEW_ROWS, Row)

from .index import query_store
from .metadata import DATABASE
from .tokens import match_query

NAME = "nianbao-workbench"
_OTHER_ROW = Row("other_processing", "（六）其他处理", ("其他处理",))
HEX64 = r"(?P<sha>[0-9a-f]{64})"
MAX_REQUEST_TARGET = 4096          # bytes of path + query string; a longer request is refused (414)
SAFE_METHODS = (b"GET", b"HEAD")
# archived pages are shown as they were served, but never run: no scripts, no forms, no same-origin access
RAW_HEADERS = {"Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'",
               "X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}
_SHOWN_TYPES = re.compile(r"^(text/html|text/plain|application/pdf|image/(png|jpeg|gif))\b", re.I)


def _config(datasette) -> dict:
    return datasette.plugin_config(NAME) or {}


def _store(datasette) -> Path:
    return Path(_config(datasette)["store"])


@hookimpl(trylast=True)
def prepare_connection(conn):
    # Datasette's search runs `MATCH escape_fts(:search)`; registered last, this replaces its escaping with the
    # bigram phrase query (crawler/workbench/tokens.py), so ?_search= and the search box work for Chinese.
    conn.create_function("escape_fts", 1, match_query, deterministic=True)


@hookimpl
def render_cell(value, column, table, database, datasette):
    if database != DATABASE or table != "reports" or not isinstance(value, str):
        return None
    if column == "id" and re.fullmatch(r"[0-9a-f]{64}", value):
        return Markup(f'<a href="{datasette.urls.path("/-/report/" + value)}">{escape(value[:12])}…</a>')
    if column == "raw_sha256" and re.fullmatch(r"[0-9a-f]{64}", value):
        return Markup(f'<a href="{datasette.urls.path("/-/raw/" + value)}">{escape(value[:12])}…</a>')
    if column == "url" and value.startswith(("http://", "https://")):
        return Markup(f'<a href="{escape(value)}" rel="noreferrer noopener" target="_blank">{escape(value)}</a>')
    return None


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def guarded(scope, receive, send):
            if scope["type"] == "http":
                target = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string") or b"")
                status, text = None, ""
                if scope["method"].encode() not in SAFE_METHODS:
                    status, text = 405, "read-only: GET and HEAD only"
                elif target > MAX_REQUEST_TARGET:
                    status, text = 414, f"request target longer than {MAX_REQUEST_TARGET} bytes"
                if status:
                    await send({"type": "http.response.start", "status": status,
                                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"allow", b"GET, HEAD")]})
                    await send({"type": "http.response.body", "body": text.encode()})
                    return

                async def send_with_headers(message):
                    if message["type"] == "http.response.start":
                        headers = list(message.get("headers") or [])
                        names = {k.lower() for k, _ in headers}
                        for key, value in ((b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                                           (b"referrer-policy", b"no-referrer")):
                            if key not in names:
                                headers.append((key, value))
                        message = {**message, "headers": headers}
                    await send(message)

                return await app(scope, receive, send_with_headers)
            return await app(scope, receive, send)

        return guarded

    return wrap


@hookimpl
def register_routes():
    return [(rf"^/-/report/(?P<rid>[0-9a-f]{{64}})$", report_page),
            (rf"^/-/raw/{HEX64}$", raw_bytes),
            (rf"^/-/warc/{HEX64}$", warc_record)]


# -- archived bytes and WARC records --------------------------------------------------------------------

async def raw_bytes(request, datasette):
    sha = request.url_vars["sha"]
    path = raw_path(_store(datasette), sha)
    if path is None or not path.is_file():
        return Response.text("no archived bytes with that digest", status=404)
    body = path.read_bytes()
    if hashlib.sha256(body).hexdigest() != sha:
        return Response.text("archived bytes do not match their digest", status=500)
    rows = query_store(_store(datasette), "SELECT content_type FROM fetches WHERE sha256=? AND content_type IS NOT "
                                           "NULL ORDER BY id LIMIT 1", (sha,))
    content_type = rows[0][0] if rows else "application/octet-stream"
    headers = dict(RAW_HEADERS)
    if not _SHOWN_TYPES.match(content_type or ""):
        headers["Content-Disposition"] = f'attachment; filename="{sha}"'
        content_type = "application/octet-stream"
    return Response(body, status=200, headers=headers, content_type=content_type)


def _warc_location(store: Path, sha: str) -> tuple[Path, str, str, str] | None:
    """(WARC file, record id, URI, WARC-Date) of the first capture of the payload `sha`."""
    digest = "sha256:" + base64.b32encode(bytes.fromhex(sha)).decode("ascii")
    rows = query_store(store, "SELECT filename, record_id, uri, date FROM payloads WHERE digest=?", (digest,),
                       name="warc/payloads.sqlite")
    row = rows[0] if rows else None
    if not row or Path(row[0]).name != row[0]:
        return None          # a file name with a directory part never comes from our writer: not followed
    return store / "warc" / row[0], row[1], row[2], row[3]


async def warc_record(request, datasette):
    from warcio.archiveiterator import ArchiveIterator

    sha = request.url_vars["sha"]
    found = _warc_location(_store(datasette), sha)
    if found is None or not found[0].is_file():
        return Response.text("no WARC record for that digest", status=404)
    path, record_id = found[0], found[1]
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            if record.rec_headers.get_header("WARC-Record-ID") == record_id:
                records.read_to_end(record)
                start, length = records.get_record_offset(), records.get_record_length()
                fh.seek(start)
                body = fh.read(length)
                return Response(body, status=200, content_type="application/warc",
                                headers={"Content-Disposition": f'attachment; filename="{sha}.warc.gz"',
                                         "X-Content-Type-Options": "nosniff"})
    return Response.text("no WARC record for that digest", status=404)


# -- the report page ----------------------------------------------------------------------------------------

_BALANCE_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")


def _failing_cells(checks: list[dict], fmt: str) -> set[tuple[str, str, str]]:
    """(table, row, column) of every cell a failing check adds up, to highlight."""
    results = [r.key for r in APPLICATION_ROWS[fmt] if r.key not in ("new_received", "carried_over",
                                                                     "carried_forward")]
    columns = [key for key, _ in APPLICANT_COLUMNS]
    cells = set()
    for check in checks:
        if check.get("status") != "fail":
            continue
        rule, column, row = check["rule"], check.get("column"), check.get("row")
        if rule == "balance" and column:
            cells |= {("applications", r, column) for r in _BALANCE_ROWS}
        elif rule == "results_sum" and column:
            cells |= {("applications", r, column) for r in results}
        elif rule == "carried_over_vs_last_year" and column:
            cells.add(("applications", "carried_over", column))
        elif rule == "applicant_sum" and row:
            cells |= {("applications", row, c) for c in columns}
        elif rule == "review_litigation_sum" and row:
            cells |= {("review_litigation", row, c) for c, _ in OUTCOME_COLUMNS}
        elif rule in ("in_force_vs_last_year", "active_within_total") and row:
            cells |= {("active", row, c) for c in ("issued", "repealed", "in_force", "new_published",
                                                   "total_published")}
    return cells


def _cell(value, printed: str | None, bad: bool) -> dict:
    shown = printed if printed is not None else ("" if value is None else str(value))
    return {"text": shown, "bad": bad}


def _label_cells(rows) -> list[list[dict]]:
    """The label cells of 表三 as the official form prints them: 一、二、四、 across three columns; 三、本年度办理结果
    down the first column, its （一）…（七） in the second, a group's items (1.属于国家秘密 …) in the third."""
    results = [r for r in rows if r.key not in ("new_received", "carried_over", "carried_forward")]
    out = []
    for row in rows:
        if row not in results:
            out.append([{"text": row.label, "colspan": 3, "rowspan": 1}])
            continue
        cells = []
        if row is results[0]:
            cells.append({"text": "三、本年度办理结果", "colspan": 1, "rowspan": len(results)})
        if row.group:
            members = [r for r in results if r.group == row.group]
            if row is members[0]:
                label = next(label for key, label in GROUPS.values() if key == row.group)
                cells.append({"text": label, "colspan": 1, "rowspan": len(members)})
            cells.append({"text": row.label, "colspan": 1, "rowspan": 1})
        else:
            cells.append({"text": row.label, "colspan": 2, "rowspan": 1})
        out.append(cells)
    return out


def official_tables(parsed: dict) -> list[dict]:
    """The standard tables laid out as the official format prints them, Chinese labels, failing cells marked."""
    tables = parsed.get("tables") or {}
    fmt = parsed.get("format") if parsed.get("format") in ("2019", "2021") else "2021"
    printed = parsed.get("printed") or {}
    bad = _failing_cells(parsed.get("checks") or [], fmt)
    out = []
    active = tables.get("active") or {}
    if active:
        rows = []
        for row in ACTIVE_ROWS[fmt]:
            values = active.get(row.key) or {}
            rows.append({"labels": [{"text": row.caption, "colspan": 1, "rowspan": 1},
                                    {"text": row.label, "colspan": 1, "rowspan": 1}],
                         "header": " / ".join(label for _, label in row.columns),
                         "cells": [_cell(values.get(col), printed.get(f"active.{row.key}.{col}"),
                                         ("active", row.key, col) in bad) for col, _ in row.columns]})
        out.append({"name": "二、主动公开政府信息情况", "head": [], "rows": rows})
    applications = tables.get("applications") or {}
    if applications:
        template_rows = APPLICATION_ROWS[fmt]
        if fmt == "2021" and "other_processing" in applications:
            # （六）其他处理 printed as one row (a regional variant): shown as printed
            template_rows = tuple(r for r in template_rows if not r.key.startswith("other_processing."))
            template_rows = tuple(list(template_rows[:-2]) + [_OTHER_ROW] + list(template_rows[-2:]))
        rows = []
        for row, labels in zip(template_rows, _label_cells(template_rows)):
            values = applications.get(row.key) or {}
            rows.append({"labels": labels, "header": None,
                         "cells": [_cell(values.get(col), printed.get(f"applications.{row.key}.{col}"),
                                         ("applications", row.key, col) in bad) for col, _ in APPLICANT_COLUMNS]})
        head = [[{"text": "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", "colspan": 3, "rowspan": 3},
                 {"text": "申请人情况", "colspan": 7, "rowspan": 1}],
                [{"text": "自然人", "colspan": 1, "rowspan": 2}, {"text": "法人或其他组织", "colspan": 5, "rowspan": 1},
                 {"text": "总计", "colspan": 1, "rowspan": 2}],
                [{"text": label, "colspan": 1, "rowspan": 1} for _, label in APPLICANT_COLUMNS[1:6]]]
        out.append({"name": "三、收到和处理政府信息公开申请情况", "head": head, "rows": rows})
    review = tables.get("review_litigation") or {}
    if review:
        rows = []
        for key, label in REVIEW_ROWS:
            values = review.get(key) or {}
            rows.append({"labels": [{"text": label, "colspan": 1, "rowspan": 1}], "header": None,
                         "cells": [_cell(values.get(col), printed.get(f"review_litigation.{key}.{col}"),
                                         ("review_litigation", key, col) in bad) for col, _ in OUTCOME_COLUMNS]})
        head = [[{"text": "", "colspan": 1, "rowspan": 1}] +
                [{"text": label, "colspan": 1, "rowspan": 1} for _, label in OUTCOME_COLUMNS]]
        out.append({"name": "四、政府信息公开行政复议、行政诉讼情况", "head": head, "rows": rows})
    return out


async def report_page(request, datasette):
    rid = request.url_vars["rid"]
    db = datasette.get_database(DATABASE)
    found = await db.execute("SELECT * FROM reports WHERE id = ?", [rid])
    row = found.first()
    if row is None:
        return Response.html("<h1>404</h1><p>没有这份报告。</p>", status=404)
    report = dict(row)
    text = (await db.execute("SELECT text FROM texts WHERE report_id = ?", [rid])).first()
    report["text"] = text["text"] if text else ""
    stored = (await db.execute("SELECT parsed, audit FROM parsed WHERE report_id = ?", [rid])).first()
    parsed = json.loads(stored["parsed"]) if stored else {}
    audit = json.loads(stored["audit"]) if stored else {}
    checks = [dict(r) for r in (await db.execute("SELECT rule, target, status, expected, actual, detail FROM checks "
                                                 "WHERE report_id = ? ORDER BY status != 'fail', rule", [rid])).rows]
    urls = [dict(r) for r in (await db.execute("SELECT url, relation, seen_at FROM urls WHERE report_id = ? "
                                               "ORDER BY seen_at", [rid])).rows]
    revisions = [dict(r) for r in (await db.execute(
        "SELECT report_id, previous_id, url, revision, diff, noted_at FROM revisions WHERE report_id = ? "
        "OR previous_id = ? ORDER BY revision", [rid, rid])).rows]
    previous = None
    if report.get("previous_year_id"):
        previous = (await db.execute("SELECT id, title, year FROM reports WHERE id = ?",
                                     [report["previous_year_id"]])).first()
    replay = _config(datasette).get("replay")
    replay_url = None
    if replay and report.get("url") and report.get("fetched_at"):
        stamp = re.sub(r"\D", "", report["fetched_at"])[:14]
        replay_url = f"{replay.rstrip('/')}/{stamp}/{report['url']}"
    return Response.html(await datasette.render_template(
        "nianbao_report.html",
        {"report": report, "parsed": parsed, "audit": audit, "checks": checks,
         "failing": [c for c in checks if c["status"] == "fail"], "urls": urls, "revisions": revisions,
         "reposts": [u for u in urls if u["relation"] != "first"], "previous": dict(previous) if previous else None,
         "tables": official_tables({**parsed, "checks": (parsed.get("checks") or []) +
                                    [{"rule": c["rule"], "column": c["target"], "status": c["status"]}
                                     for c in checks if c["rule"] == "carried_over_vs_last_year"] +
                                    [{"rule": c["rule"], "row": c["target"], "status": c["status"]}
                                     for c in checks if c["rule"] == "in_force_vs_last_year"]}),
         "sections": parsed.get("sections") or [], "replay_url": replay_url, "database": DATABASE},
        request=request))
