"""Read the standard tables (表二, 表三, 表四) out of a report text, whatever carried them.

nianbao's extractors turn every carrier into the same text: an HTML, DOCX, PDF or spreadsheet table
becomes one line per row with its cells joined by tabs (blank cells kept in place), while text that
was copied from a page or a PDF text layer has one cell per line ("flattened").  The reader walks
the cells in order and follows the template: a row label (matched by its number and its key words,
so damaged labels still count) is followed by that row's value cells.  Values are never placed by
counting the whole stream: a row whose value count does not fit the template is left blank and
reported in `warnings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .cells import Cell, normalise, read_cell
from .template import (ACTIVE_ROWS, APPLICANT_COLUMNS, APPLICATION_ROWS, FORMAT_WORDS, GROUPS, MONEY_CELLS,
                       OUTCOME_COLUMNS, REVIEW_ROWS, ActiveRow, Row)

# A label is a short cell; longer ones are sentences of the prose around the tables.
MAX_LABEL_CHARS = 80

_PAREN_RE = re.compile(r"^[(（]([一二三四五六七])[)）]")
_TOP_RE = re.compile(r"^([一二三四五六七八九十])[、.．,，]")
_ITEM_RE = re.compile(r"^(\d{1,2})\s*[.．、,，)）]")


@dataclass
class Token:
    text: str
    norm: str
    line: int
    in_row: bool            # one cell of a tab-joined row (a table carrier kept the row)
    cell: Cell | None       # its reading as a value, if it is one
    values_row: bool = False  # every cell of its line is a value

    @property
    def is_label(self) -> bool:
        return self.cell is None and 0 < len(self.norm) <= MAX_LABEL_CHARS and not self.norm.endswith("。")


@dataclass
class TableRead:
    """What the reader found: canonical tables, printed strings, the format the labels say, warnings."""

    tables: dict = field(default_factory=dict)
    printed: dict = field(default_factory=dict)
    format: str | None = None
    labels_seen: bool = False        # table labels present (a format notice has them, with no figures)
    lines: set[int] = field(default_factory=set)            # lines the tables take
    heading_lines: set[int] = field(default_factory=set)    # section headings among them (二、主动公开…)
    warnings: list[str] = field(default_factory=list)


# Labels only the tables print: a text holding them holds the template (with or without figures).
_STRONG_LABELS = {"信息内容", "申请人情况", "自然人", "商业企业", "法律服务机构", "结果维持", "尚未审结", "复议后起诉",
                  "未经复议直接起诉"}


def tokenize(lines: list[str]) -> list[Token]:
    tokens = []
    for number, line in enumerate(lines):
        cells = line.split("\t")
        if len(cells) == 1:
            if not cells[0].strip():
                continue        # an empty line of flattened text is layout, not a blank cell
            tokens.append(Token(cells[0], normalise(cells[0]), number, False, read_cell(cells[0])))
            continue
        row = [Token(cell, normalise(cell), number, True, read_cell(cell)) for cell in cells]
        only_values = all(t.cell is not None for t in row)
        for t in row:
            t.values_row = only_values
        tokens += row
    return tokens


def row_values(tokens: list[Token], start: int) -> tuple[list[Cell], int]:
    """The value cells that follow the label at `start`, and the index after them.

    In a tab-joined row the values are the row's remaining cells; in flattened text they are the
    value lines that follow, up to the next label.
    """
    label = tokens[start]
    values: list[Cell] = []
    k = start + 1
    if label.in_row:
        while k < len(tokens) and tokens[k].line == label.line and tokens[k].cell is not None:
            values.append(tokens[k].cell)
            k += 1
        if values or (k < len(tokens) and tokens[k].line == label.line):
            return values, k
        # a label alone on its row (a PDF that put labels and figures in separate rows): read on below
    while k < len(tokens) and tokens[k].cell is not None:
        if tokens[k].in_row and not tokens[k].values_row:
            break
        values.append(tokens[k].cell)
        k += 1
    return values, k


def _trim(values: list[Cell], expected: int) -> list[Cell]:
    """Blank cells past the template's count (an empty spacer cell at a row's end) are not values."""
    while len(values) > expected and values[-1].value is None and not values[-1].printed.strip("/-—空无 "):
        values = values[:-1]
    return values


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


# -- regions ----------------------------------------------------------------------------------------

def _is_t2_anchor(t: Token) -> bool:
    return t.is_label and ("第二十条" in t.norm or t.norm == "信息内容" or t.norm.startswith("二、主动公开"))


def _is_t3_anchor(t: Token) -> bool:
    return t.is_label and ("勾稽" in t.norm or t.norm == "申请人情况" or t.norm.startswith("三、收到和处理")
                           or ("本年新收" in t.norm and "申请" in t.norm))


def _is_t4_anchor(t: Token) -> bool:
    return t.is_label and (t.norm in ("行政复议", "行政复议行政诉讼")
                           or (_TOP_RE.match(t.norm) is not None and "复议" in t.norm and "诉讼" in t.norm))


def _is_end(t: Token) -> bool:
    m = _TOP_RE.match(t.norm)
    return t.is_label and m is not None and m.group(1) in "五六七八" and ("问题" in t.norm or "事项" in t.norm
                                                                       or "改进" in t.norm)


def _section_heading(t: Token) -> bool:
    """A region that opens with its section's heading (二、主动公开政府信息情况) rather than a table label."""
    m = _TOP_RE.match(t.norm)
    return m is not None and ("情况" in t.norm or "诉讼" in t.norm) and "数量" not in t.norm


def _first(tokens: list[Token], test, start: int = 0, stop: int | None = None) -> int | None:
    for k in range(start, len(tokens) if stop is None else stop):
        if test(tokens[k]):
            return k
    return None


def regions(tokens: list[Token]) -> dict[str, tuple[int, int]]:
    """Token ranges of 表二, 表三 and 表四 (a table with no anchor is absent)."""
    out: dict[str, tuple[int, int]] = {}
    t3 = _first(tokens, _is_t3_anchor)
    t2 = _first(tokens, _is_t2_anchor, 0, t3)
    after = t3 if t3 is not None else (t2 if t2 is not None else 0)
    t4 = _first(tokens, _is_t4_anchor, after)
    end = _first(tokens, _is_end, t4 if t4 is not None else after)
    end = len(tokens) if end is None else end
    if t2 is not None:
        out["active"] = (t2, t3 if t3 is not None else (t4 if t4 is not None else end))
    if t3 is not None:
        out["applications"] = (t3, t4 if t4 is not None else end)
    if t4 is not None:
        out["review_litigation"] = (t4, end)
    return out


# -- format -------------------------------------------------------------------------------------------

def detect_format(tokens: list[Token], spans: dict[str, tuple[int, int]]) -> str | None:
    """2019 or 2021 by the labels the tables print (never by the year), None without table labels."""
    score = {"2019": 0, "2021": 0}
    for name in ("active", "applications"):
        if name not in spans:
            continue
        a, b = spans[name]
        for t in tokens[a:b]:
            if not t.is_label:
                continue
            for fmt, words in FORMAT_WORDS.items():
                score[fmt] += any(w in t.norm for w in words)
    if other_processing_has_items(tokens, spans):
        score["2021"] += 2
    if not any(score.values()):
        return "2019" if spans.get("applications") else None
    return "2021" if score["2021"] > score["2019"] else "2019"


def other_processing_has_items(tokens: list[Token], spans: dict[str, tuple[int, int]]) -> bool:
    """Whether （六）其他处理 is a group with numbered sub-rows (2021) rather than one row (2019)."""
    if "applications" not in spans:
        return False
    a, b = spans["applications"]
    for k in range(a, b):
        m = _PAREN_RE.match(tokens[k].norm)
        if m and m.group(1) == "六":
            nxt = next((t for t in tokens[k + 1:b] if t.norm), None)
            return nxt is not None and nxt.cell is None and _ITEM_RE.match(nxt.norm) is not None
    return False


# -- 表三 ------------------------------------------------------------------------------------------------

def _match_application_row(t: Token, fmt: str, group: str | None) -> tuple[str, Row | None, str | None]:
    """(what, row, group) for a label token of 表三: what is "row", "group", "results" or ""."""
    rows = APPLICATION_ROWS[fmt]
    n = t.norm
    m = _PAREN_RE.match(n)
    if m:
        numeral = m.group(1)
        if numeral == "一":
            return "row", _row(rows, "disclosed"), None
        if numeral == "二":
            return "row", _row(rows, "partially_disclosed"), None
        if numeral == "七":
            return "row", _row(rows, "total_processed"), None
        key, _ = GROUPS[numeral]
        if key == "other_processing" and fmt == "2019":
            return "row", _row(rows, "other_processing"), None
        return "group", None, key
    m = _TOP_RE.match(n)
    if m:
        numeral = m.group(1)
        if numeral == "一" and "结转" not in n:
            return "row", _row(rows, "new_received"), None
        if numeral == "二":
            return "row", _row(rows, "carried_over"), None
        if numeral == "三":
            return "results", None, None
        if numeral == "四" and "复议" not in n:
            return "row", _row(rows, "carried_forward"), None
    m = _ITEM_RE.match(n)
    if m and group is not None:
        items = [r for r in rows if r.group == group]
        number = int(m.group(1))
        by_number = next((r for r in items if r.item == number), None)
        rest = n[m.end():]
        if by_number is not None and (any(w in rest for w in by_number.words) or
                                      _similar(rest, normalise(by_number.label)[m.end():]) >= 0.5):
            return "row", by_number, group
        by_words = [r for r in items if any(w in rest for w in r.words)]
        if len(by_words) == 1:
            return "row", by_words[0], group
        if by_number is not None:
            return "row", by_number, group
    # a label without its numbering (or with it damaged): its key words decide, inside the group first
    pool = [r for r in rows if r.group == group] if group else []
    for candidates in (pool, [r for r in rows if r.key != "total_processed"]):
        hits = [r for r in candidates if any(w in n for w in r.words)]
        if len(hits) == 1 and not (hits[0].key == "other_processing.other" and n not in ("其他", "3.其他")):
            return "row", hits[0], hits[0].group
    if "总计" in n and len(n) > 2:
        return "row", _row(rows, "total_processed"), None
    return "", None, group


def _row(rows: tuple[Row, ...], key: str) -> Row:
    return next(r for r in rows if r.key == key)


def read_applications(tokens: list[Token], span: tuple[int, int], fmt: str, out: TableRead) -> dict:
    a, b = span
    columns = [key for key, _ in APPLICANT_COLUMNS]
    # the 法人或其他组织小计 variant (some reports add it before 总计): 8 value columns
    subtotal = any(t.is_label and "小计" in t.norm for t in tokens[a:b])
    width = 8 if subtotal else 7
    table: dict[str, dict] = {}
    group: str | None = None
    k = a
    while k < b:
        t = tokens[k]
        if not t.is_label:
            k += 1
            continue
        what, row, group = _match_application_row(t, fmt, group)
        if what != "row" or row is None:
            k += 1
            continue
        values, nxt = row_values(tokens, k)
        values = _trim(values, width)
        if not values:
            k = nxt
            continue
        if row.key not in {r.key for r in APPLICATION_ROWS[fmt]}:
            out.warnings.append(f"表三: row {row.label} does not belong to the {fmt} format; ignored")
        elif len(values) != width:
            out.warnings.append(f"表三: {len(values)} values for {width} columns in row {row.label}; cells left blank")
            table.setdefault(row.key, {c: None for c in columns})
        else:
            if subtotal:
                values = values[:6] + values[7:]
            table[row.key] = {}
            for col, cell in zip(columns, values):
                table[row.key][col] = cell.value
                if cell.differs:
                    out.printed[f"applications.{row.key}.{col}"] = cell.printed
        k = nxt
    return table


# -- 表四 ------------------------------------------------------------------------------------------------

def read_review(tokens: list[Token], span: tuple[int, int], out: TableRead) -> dict:
    a, b = span
    cells = _trim([t.cell for t in tokens[a:b] if t.cell is not None], 15)
    if not cells:
        return {}
    if len(cells) != 15:
        out.warnings.append(f"表四: {len(cells)} values for 15 cells; cells left blank")
        return {row: {col: None for col, _ in OUTCOME_COLUMNS} for row, _ in REVIEW_ROWS}
    table: dict[str, dict] = {}
    for r, (row, _) in enumerate(REVIEW_ROWS):
        table[row] = {}
        for c, (col, _) in enumerate(OUTCOME_COLUMNS):
            cell = cells[r * 5 + c]
            table[row][col] = cell.value
            if cell.differs:
                out.printed[f"review_litigation.{row}.{col}"] = cell.printed
    return table


# -- 表二 ------------------------------------------------------------------------------------------------

def _match_active_row(t: Token, fmt: str) -> ActiveRow | None:
    if "第二十条" in t.norm or len(t.norm) > 16:
        return None
    for row in ACTIVE_ROWS[fmt]:
        label = normalise(row.label)
        if t.norm == label or (any(w in t.norm for w in row.words) and len(t.norm) <= len(label) + 4):
            # 规范性文件 must not take 行政规范性文件's place in 2021 or the reverse: exact first
            exact = [r for r in ACTIVE_ROWS[fmt] if normalise(r.label) == t.norm]
            return exact[0] if exact else row
    return None


def read_active(tokens: list[Token], span: tuple[int, int], fmt: str, out: TableRead) -> dict:
    a, b = span
    table: dict[str, dict] = {}
    k = a
    while k < b:
        t = tokens[k]
        row = _match_active_row(t, fmt) if t.is_label else None
        if row is None:
            k += 1
            continue
        values, nxt = row_values(tokens, k)
        values = _trim(values, len(row.columns))
        if values and len(values) != len(row.columns):
            out.warnings.append(f"表二: {len(values)} values for {len(row.columns)} columns in row {row.label}; "
                                "cells left blank")
            table.setdefault(row.key, {col: None for col, _ in row.columns})
        elif values:
            table[row.key] = {}
            for (col, _), cell in zip(row.columns, values):
                value = cell.value
                if isinstance(value, float) and (row.key, col) not in MONEY_CELLS and value.is_integer():
                    value = int(value)
                table[row.key][col] = value
                if cell.differs or value != cell.value:
                    out.printed[f"active.{row.key}.{col}"] = cell.printed
        k = nxt
    return table


# -- the whole ---------------------------------------------------------------------------------------

def _complete(table: dict, rows: list[tuple[str, list[str]]]) -> dict:
    """Every row and column of the template, in printed order; what was not read is None."""
    return {row: {col: table.get(row, {}).get(col) for col in cols} for row, cols in rows}


def _has_figures(table: dict) -> bool:
    return any(v is not None for row in table.values() for v in row.values())


def read_tables(lines: list[str]) -> TableRead:
    tokens = tokenize(lines)
    spans = regions(tokens)
    out = TableRead()
    if not spans:
        return out
    out.labels_seen = any(t.is_label and (t.norm in _STRONG_LABELS or "第二十条第" in t.norm or "勾稽" in t.norm)
                          for t in tokens)
    fmt = detect_format(tokens, spans) or "2019"
    found: dict[str, dict] = {}
    if "active" in spans:
        found["active"] = _complete(read_active(tokens, spans["active"], fmt, out),
                                    [(r.key, [c for c, _ in r.columns]) for r in ACTIVE_ROWS[fmt]])
    if "applications" in spans:
        found["applications"] = _complete(read_applications(tokens, spans["applications"], fmt, out),
                                          [(r.key, [c for c, _ in APPLICANT_COLUMNS]) for r in APPLICATION_ROWS[fmt]])
    if "review_litigation" in spans:
        found["review_litigation"] = _complete(read_review(tokens, spans["review_litigation"], out),
                                               [(r, [c for c, _ in OUTCOME_COLUMNS]) for r, _ in REVIEW_ROWS])
    # a table with no figure at all is the template itself (a format notice), not data
    out.tables = {name: table for name, table in found.items() if _has_figures(table)}
    if out.tables:
        out.format = fmt
        for name, (a, b) in spans.items():
            if name in out.tables:
                out.lines.update(t.line for t in tokens[a:b])
                if _section_heading(tokens[a]):
                    out.heading_lines.add(tokens[a].line)
    else:
        out.printed.clear()
        out.warnings = [w for w in out.warnings if "values for" not in w]
    out.printed = {p: s for p, s in out.printed.items() if p.split(".", 1)[0] in out.tables}
    return out


__all__ = ["read_tables", "TableRead", "tokenize", "regions"]
