"""Read the standard tables (表二, 表三, 表四) out of a report text, whatever carried them.

nianbao's extractors turn every carrier into the same text: an HTML, DOCX, PDF or spreadsheet table
becomes one line per row with its cells joined by tabs (blank cells kept in place), while text that
was copied from a page or a PDF text layer has one cell per line ("flattened").  The reader walks
the cells in order and follows the template: a row label (matched by its number and its key words,
so damaged labels still count) is followed by that row's value cells.  Values are never placed by
counting the whole stream: a row whose value count does not fit the template is left blank and
reported in `warnings`.

Text that another tool took from a PDF's text layer (pdfplumber's or poppler's plain text) keeps a
row's figures on one line separated by spaces, and its layout: a group label set one character
per line beside the rows (三 / 、 / 本 / 年 …), a wrapped label whose figures sit on the line before
or after it, page numbers between the rows, header cells split over lines.  Such a line is split into
its label and its values, and a row label alone on its line takes the values line next to it (the
one only it can take, else the one after it, else the one before).  Figures printed in one block
apart from their labels (a column-by-column dump) are never paired by position.  A page flattened into
one line is first cut where its rows start.

Numbers run together ("一、本年新收政府信息公开申请数量532000055", cells joined without any separator;
spaces and signs some runs keep are cuts) are split only where the row's column count and the 勾稽
rules leave exactly one way to split them; those cells are listed in `inferred`.  When several splits
fit, the row stays blank and a warning names the row and the candidates; when none fits, too.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .cells import Cell, normalise, read_cell
from .template import (ACTIVE_ROWS, APPLICANT_COLUMNS, APPLICATION_ROWS, FORMAT_WORDS, GROUPS, MONEY_CELLS,
                       OUTCOME_COLUMNS, RESULT_ROWS, REVIEW_ROWS, ActiveRow, Row)

# A label is a short cell; longer ones are sentences of the prose around the tables.
MAX_LABEL_CHARS = 80

_PAREN_RE = re.compile(r"^[(（]([一二三四五六七])[)）]")
_TOP_RE = re.compile(r"^([一二三四五六七八九十])[、.．,，]")
_ITEM_RE = re.compile(r"^(\d{1,2})\s*[.．、,，)）]")


@dataclass
class Token:
    text: str
    norm: str
    line: float             # the line's number (n + k/1000 for the k-th piece of a long flattened line)
    in_row: bool            # one cell of a row (tab-joined, or a text-layer line split at its spaces)
    cell: Cell | None       # its reading as a value, if it is one
    values_row: bool = False  # every cell of its line is a value
    run: str | None = None  # digits run together after a label ("…申请数量5320000055"): cells to recover

    @property
    def is_label(self) -> bool:
        return self.cell is None and 0 < len(self.norm) <= MAX_LABEL_CHARS and not self.norm.endswith("。")


@dataclass
class TableRead:
    """What the reader found: canonical tables, printed strings, the format the labels say, warnings."""

    tables: dict = field(default_factory=dict)
    printed: dict = field(default_factory=dict)
    inferred: dict = field(default_factory=dict)    # dotted cell path -> True: split out of a digit run
    variants: dict = field(default_factory=dict)    # dotted row path -> what the report printed instead
    format: str | None = None
    labels_seen: bool = False        # table labels present (a format notice has them, with no figures)
    lines: set[int] = field(default_factory=set)            # lines the tables take
    heading_lines: set[int] = field(default_factory=set)    # section headings among them (二、主动公开…)
    warnings: list[str] = field(default_factory=list)
    runs_seen: bool = False          # row labels followed by digit runs (figures, even if none was recovered)


# Labels only the tables print: a text holding them holds the template (with or without figures).
_STRONG_LABELS = {"信息内容", "申请人情况", "自然人", "商业企业", "法律服务机构", "结果维持", "尚未审结", "复议后起诉",
                  "未经复议直接起诉"}

# A page number a text layer left between two rows of a table ("- 3 -", "第3页", "3/12").
_PAGE_MARK_RE = re.compile(r"[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[/／，,]?\s*共\s*\d{1,4}\s*页)?"
                           r"|\d{1,4}\s*[/／]\s*\d{1,4}")
# One character of a group label set vertically ("三", "、", "本" …) in front of a row on the same line.
_VERTICAL_CHAR_RE = re.compile(r"^[\u4e00-\u9fff、，]$")
# A label with its row's digits run on to it, no separator: "一、本年新收政府信息公开申请数量5320000055".
_RUN_RE = re.compile(r"^(?P<label>.*[^\d\s.,，、．+\-−－])(?P<run>\d+\.\d+(?:万元|元)?|\d+(?:[+\-−－]\d+)*(?:万元|元)?)$")
# A run of digits, with the signs of 本年增/减 cells inside it ("65-177": 65 | -1 | 77 or …) and the spaces
# some runs keep: each sign and space starts a new cell.
_RUN_TEXT_RE = re.compile(r"[+\-−－]?\d+(?:\s*[+\-−－]?\d+)*")


def _is_run(text: str) -> bool:
    return bool(_RUN_TEXT_RE.fullmatch(text.strip()))


def _label_start(text: str) -> bool:
    n = normalise(text)
    return bool(_PAREN_RE.match(n) or _TOP_RE.match(n) or _ITEM_RE.match(n)) or read_cell(text) is not None


def _layer_line(line: str) -> list[str] | None:
    """A text-layer line as cells: [label, value, value …] or [value …]; None when it is not a row.

    Leading characters of a vertical group label are dropped; the values are the longest run of value
    cells that ends the line."""
    parts = line.split()
    while len(parts) > 1 and _VERTICAL_CHAR_RE.match(parts[0]) and _label_start(parts[1]):
        parts = parts[1:]
    k = len(parts)
    while k > 0 and read_cell(parts[k - 1]) is not None:
        k -= 1
    if k == len(parts) or (k == 0 and len(parts) < 2):
        labels = _sub_labels(parts)
        return labels if len(labels) > 1 or len(parts) < len(line.split()) else None
    return (_sub_labels(parts[:k]) if k else []) + parts[k:]


def _sub_labels(parts: list[str]) -> list[str]:
    """A label part of a text-layer line, cut where a numbered label starts after a space: a group
    label beside its first row ("（四）无法提供 1.本机关不掌握…", "（三）不 4.保护第三方…") is two cells."""
    out = [parts[0]]
    for part in parts[1:]:
        n = normalise(part)
        if _PAREN_RE.match(n) or _ITEM_RE.match(n):
            out.append(part)
        else:
            out[-1] += " " + part
    return out


def _split_run(text: str) -> tuple[str, str] | None:
    m = _RUN_RE.match(text.strip())
    if not m or not re.search(r"[\u4e00-\u9fff]", m.group("label")):
        return None
    return m.group("label"), m.group("run")


# Where a row starts inside a page flattened into one line (a crawler's page text that kept no line
# breaks): a numbered label, a table caption, or a 表二 row label.
_ROW_START_RE = re.compile(
    r"(?=[一二三四五六]、|[（(][一二三四五六七][）)]|\d[.、．](?=[\u4e00-\u9fff“])|第二十条|信息内容|申请人情况|"
    r"行政复议\s*行政诉讼|规章|行政规范性文件|(?<!行政)规范性文件|行政许可|其他对外管理服务事项|行政处罚|行政强制|"
    r"行政事业性收费|政府集中采购)")
LONG_LINE_CHARS = MAX_LABEL_CHARS      # a longer line is no label: where it holds a table, cut it


# A run of digits glued to its label at a line's end, and a line that is only digits: a number the
# printed page wrapped ("行政事业性收费9" / "6.35").
_GLUED_END_RE = re.compile(r"[\u4e00-\u9fff）)”]\d+$")
_DIGITS_LINE_RE = re.compile(r"\d+(?:\.\d+)?")
MIN_ROW_DIGITS = 7


def _pieces(lines: list[str]) -> list[tuple[float, str]]:
    """(line id, text) of every line; a long line holding the tables is cut where its rows start, its pieces
    numbered n + k/1000 so that the line itself is not taken for a table line (its prose stays prose)."""
    out: list[tuple[float, str]] = []
    lines = list(lines)
    for number, line in enumerate(lines):
        nxt = lines[number + 1].strip() if number + 1 < len(lines) else ""
        if _GLUED_END_RE.search(line.rstrip()) and _DIGITS_LINE_RE.fullmatch(nxt) and \
                ("." in nxt or len(nxt) < MIN_ROW_DIGITS):
            # too few digits to be a row of 表三 or 表四 on its own line: the rest of the number above
            lines[number + 1] = line.rstrip() + lines[number + 1].strip()     # the wrapped number, whole again
            continue
        if (len(line) > LONG_LINE_CHARS and "\t" not in line
                and ("申请人情况" in line or "第二十条" in line or "本年新收" in line or "结果维持" in line)):
            cuts = [m.start() for m in _ROW_START_RE.finditer(line)]
            bounds = [0] + [c for c in cuts if c > 0] + [len(line)]
            out += [(number + (k + 1) / 1000, line[a:b]) for k, (a, b) in enumerate(zip(bounds, bounds[1:])) if a < b]
        else:
            out.append((number, line))
    return out


def tokenize(lines: list[str]) -> list[Token]:
    tokens = []
    for number, line in _pieces(lines):
        cells = line.split("\t")
        if len(cells) == 1:
            text = cells[0].strip()
            if not text or _PAGE_MARK_RE.fullmatch(text):
                continue        # an empty line or a page number of flattened text is layout, not a cell
            split = _layer_line(text) if len(text.split()) > 1 else None
            if split is None or len(split) == 1:
                text = split[0] if split else text
                run = _split_run(text)
                if run is not None:
                    tokens.append(Token(run[0], normalise(run[0]), number, True, None))
                    tokens.append(Token(run[1], run[1], number, True, None, run=run[1]))
                    continue
                tokens.append(Token(text, normalise(text), number, False, read_cell(text)))
                continue
            cells = split
        else:
            split = None
        row = []
        for k, cell in enumerate(cells):
            run = _split_run(cell) if read_cell(cell) is None else None
            if run is not None:
                rest = cells[k + 1:]
                if rest and split is not None and all(_is_run(c) for c in rest):
                    # "（六）其他处理0 0 0 0 0 00": digits glued to the label, then more with stray spaces
                    run = (run[0], " ".join([run[1]] + [c.strip() for c in rest]))
                    row.append(Token(run[0], normalise(run[0]), number, True, None))
                    row.append(Token(run[1], run[1], number, True, None, run=run[1]))
                    break
                row.append(Token(run[0], normalise(run[0]), number, True, None))
                row.append(Token(run[1], run[1], number, True, None, run=run[1]))
            else:
                row.append(Token(cell, normalise(cell), number, True, read_cell(cell)))
        only_values = all(t.cell is not None for t in row)
        for t in row:
            t.values_row = only_values
        tokens += row
    return tokens


def _trim(values: list[Cell], expected: int) -> list[Cell]:
    """Blank cells past the template's count are not values: an empty spacer cell at a row's end, or at its
    start where a merged label cell spans two columns ("（六）其他处理 |  | 0 | …")."""
    def spacer(cell: Cell) -> bool:
        return cell.value is None and not cell.printed.strip("/-—空无 ")
    while len(values) > expected and spacer(values[-1]):
        values = values[:-1]
    while len(values) > expected and spacer(values[0]):
        values = values[1:]
    return values


# -- rows and the values beside them ----------------------------------------------------------------

@dataclass
class _Slot:
    """A row label found in a table, and what was found for it."""

    key: str
    label: str
    width: int
    values: list[Cell] | None = None    # values on the label's own line
    run: str | None = None              # a digit run on the label's own line
    variant: str | None = None          # what the report printed instead of the template's row
    paired: bool = False                # its values were found on a line of their own next to it


def _numbered(norm: str) -> bool:
    return bool(_PAREN_RE.match(norm) or _TOP_RE.match(norm) or _ITEM_RE.match(norm))


def _events(tokens: list[Token], span: tuple[int, int], match) -> list:
    """Row slots and runs of loose values in printed order.  `match(token)` -> (key, label, width,
    variant) for a row label, "loose" for a label whose line's figures belong to a row next to it (a group
    label), None for anything else (it may track the group it is in)."""
    a, b = span
    events: list = []
    k = a
    while k < b:
        t = tokens[k]
        if t.is_label:
            found = match(t)
            k += 1
            if found is None or found == "loose":
                if t.in_row and (found == "loose" or not _numbered(t.norm)):
                    # the second line of a wrapped label, carrying its row's figures: loose values
                    cells = []
                    while k < b and tokens[k].line == t.line and tokens[k].cell is not None:
                        cells.append(tokens[k].cell)
                        k += 1
                    if not cells and k < b and tokens[k].line == t.line and (tokens[k].run or "").isdigit():
                        cells = [Cell(int(tokens[k].run), tokens[k].run)]     # its digits, run together
                    elif not cells and k < b and tokens[k].line == t.line and _is_run(tokens[k].run or ""):
                        cells = [Cell(None, tokens[k].run)]                   # digits and signs run together
                        k += 1
                    if cells:
                        events.append(cells)
                continue
            key, label, width, variant = found
            slot = _Slot(key, label, width, variant=variant)
            if t.in_row:
                values = []
                while k < b and tokens[k].line == t.line and tokens[k].cell is not None:
                    values.append(tokens[k].cell)
                    k += 1
                if values:
                    slot.values = values
                elif k < b and tokens[k].line == t.line and tokens[k].run is not None:
                    slot.run = tokens[k].run
                    k += 1
            events.append(slot)
            continue
        if t.cell is None or (t.in_row and not t.values_row):
            k += 1      # a fragment of a label, or a value of a row whose label is not the template's
            continue
        cells = []
        start = k
        while k < b and tokens[k].cell is not None and (tokens[k].values_row or not tokens[k].in_row):
            if k > start and (tokens[k].values_row != tokens[k - 1].values_row
                              or (tokens[k].values_row and tokens[k].line != tokens[k - 1].line)):
                break   # each values line of a text layer is one row
            cells.append(tokens[k].cell)
            k += 1
        events.append(cells)
    return events


def _pair(events: list) -> None:
    """Give each label alone on its line the loose values next to it.

    A text layer puts a wrapped or vertically centred label's figures on the line before or after it.
    A label takes the run of values only it can take (runs next to one label only first), then the run
    after it, then the one before."""
    slots = [i for i, e in enumerate(events) if isinstance(e, _Slot) and e.values is None and e.run is None
             and e.variant != "pending"]
    pending = [i for i, e in enumerate(events) if isinstance(e, _Slot) and e.variant == "pending"]
    taken: set[int] = set()

    def fits(cells: list[Cell], width: int) -> bool:
        if len(_trim(cells, width)) == width:
            return True
        run = _as_run(cells)
        return run is not None and len(run.split()) < width <= len(run.replace(" ", ""))

    def options(i: int) -> list[int]:
        return [j for j in (i + 1, i - 1) if 0 <= j < len(events) and isinstance(events[j], list) and j not in taken
                and fits(events[j], events[i].width)]

    todo = set(slots)
    changed = True
    while changed:
        changed = False
        for i in sorted(todo):
            mine = options(i)
            if len(mine) == 1:
                j = mine[0]
                events[i].values = events[j]
                events[i].paired = True
                taken.add(j)
                todo.discard(i)
                changed = True
    for i in sorted(todo) + pending:
        mine = options(i)
        if mine:
            events[i].values = events[mine[0]]
            events[i].paired = True
            taken.add(mine[0])
        elif i + 1 < len(events) and isinstance(events[i + 1], list) and i + 1 not in taken:
            events[i].values = events[i + 1]        # values that fit no row: reported as not fitting
            taken.add(i + 1)


# -- digits run together -----------------------------------------------------------------------------

MAX_PART_DIGITS = 9
MAX_CANDIDATES = 50


def _compose(run: str, free: int, forced, longest: int = MAX_PART_DIGITS) -> list[tuple[int, ...]]:
    """Every way to cut the digits of `run` into `free` numbers (no leading zeros; no number across a
    space, which some runs keep between a few of their cells) followed by the numbers `forced(parts)`
    says must come next (their digits must be exactly what is left)."""
    digits, cuts = _digits_and_cuts(run)
    out: list[tuple[int, ...]] = []

    def walk(pos: int, parts: list[int]) -> None:
        if len(out) > MAX_CANDIDATES:
            return
        if len(parts) == free:
            tail = forced(parts)
            if tail is not None and _reads_as(digits, cuts, pos, tail):
                out.append(tuple(parts) + tuple(tail))
            return
        for n in range(1, min(longest, len(digits) - pos - (free - len(parts) - 1)) + 1):
            piece = digits[pos:pos + n]
            if (len(piece) > 1 and piece[0] == "0") or _crosses(cuts, pos, pos + n):
                break
            walk(pos + n, parts + [_number(digits, cuts, pos, n)])

    walk(0, [])
    return out


def _digits_and_cuts(run: str) -> tuple[str, set[int]]:
    """The run's digits, and the offsets where a space or a sign stood (a cut every reading must make);
    a minus sign is kept as the offset + 0.5 in the set (the number starting there is negative)."""
    digits, cuts = "", set()
    for m in re.finditer(r"([+\-−－]?)(\d+)", run):
        if digits:
            cuts.add(len(digits))
        if m.group(1) and m.group(1) != "+":
            cuts.add(len(digits) + 0.5)
        digits += m.group(2)
    return digits, cuts


def _crosses(cuts: set, start: int, end: int) -> bool:
    """Whether a number printed from `start` to `end` would run across a cut (a space or a sign)."""
    return any(start < c < end for c in cuts if c == int(c))


def _number(digits: str, cuts: set, pos: int, n: int) -> int:
    return -int(digits[pos:pos + n]) if pos + 0.5 in cuts else int(digits[pos:pos + n])


def _reads_as(digits: str, cuts: set[int], pos: int, numbers) -> bool:
    """Whether digits[pos:] is exactly `numbers` printed one after another, cut wherever a space stood."""
    for number in numbers:
        text = str(abs(number))
        if not digits.startswith(text, pos) or _crosses(cuts, pos, pos + len(text)) or \
                ((pos + 0.5 in cuts) != (number < 0)):
            return False
        pos += len(text)
    return pos == len(digits)


def applicant_splits(digits: str, width: int) -> list[tuple[int, ...]]:
    """Splits of a 表三 row: six applicant columns then 总计 = their sum (with the 法人或其他组织小计
    variant: natural person, five organisations, 小计 = the organisations, 总计 = natural person + 小计)."""
    if width == 8:
        return _compose(digits, 6, lambda p: [sum(p[1:6]), p[0] + sum(p[1:6])])
    return _compose(digits, width - 1, lambda p: [sum(p)])


def review_splits(run: str) -> list[tuple[int, ...]]:
    """Splits of 表四's fifteen cells: in each of its three rows 总计 = the four outcomes."""
    digits, cuts = _digits_and_cuts(run)
    out: list[tuple[int, ...]] = []

    def walk(pos: int, cells: tuple[int, ...]) -> None:
        if len(out) > MAX_CANDIDATES:
            return
        if len(cells) == 15:
            if pos == len(digits):
                out.append(cells)
            return
        for parts, end in _compose_prefix(digits, cuts, pos, 4):
            walk(end, cells + parts)

    walk(0, ())
    return out


def _compose_prefix(digits: str, cuts: set[int], start: int, free: int) -> list[tuple[tuple[int, ...], int]]:
    """Ways to read `free` numbers and then their sum from `start`: (cells, offset after them)."""
    out = []

    def walk(pos: int, parts: list[int]) -> None:
        if len(parts) == free:
            total = str(sum(parts))
            end = pos + len(total)
            if sum(parts) >= 0 and digits.startswith(total, pos) and not _crosses(cuts, pos, end) \
                    and pos + 0.5 not in cuts:
                out.append((tuple(parts) + (sum(parts),), end))
            return
        for n in range(1, min(MAX_PART_DIGITS, len(digits) - pos) + 1):
            piece = digits[pos:pos + n]
            if (len(piece) > 1 and piece[0] == "0") or _crosses(cuts, pos, pos + n):
                break
            walk(pos + n, parts + [_number(digits, cuts, pos, n)])

    walk(start, [])
    return out


def plain_splits(digits: str, width: int, longest: int = MAX_PART_DIGITS) -> list[tuple[int, ...]]:
    """Splits of a row no rule ties together (表二): only the digit count can single one out."""
    return _compose(digits, width, lambda p: [], longest)


_MONEY_RUN_RE = re.compile(r"(?P<int>\d+)(?:\.(?P<frac>\d+))?(?:万元|元)?")


def _money_splits(run: str, width: int) -> list[tuple]:
    """Splits of a 表二 row whose last cell is money ("政府集中采购13575394432.52元": projects | amount):
    the decimals and the unit belong to the last number."""
    m = _MONEY_RUN_RE.fullmatch(run.strip())
    if not m or (not m.group("frac") and not run.strip().endswith("元")):
        return []
    cands = plain_splits(m.group("int"), width, longest=len(m.group("int")))   # money can run to 10+ digits
    if not m.group("frac"):
        return cands
    return [c[:-1] + (float(f"{c[-1]}.{m.group('frac')}"),) for c in cands]


def _as_run(values: list[Cell]) -> str | None:
    """Value cells that are nothing but digit strings, as one run (spaces where the cells were apart)."""
    printed = [v.printed.strip() for v in values]
    return " ".join(printed) if printed and all(_is_run(p) for p in printed) else None


def _split_needed(run: str, width: int) -> bool:
    """Whether reading the run took cutting digits apart (fewer printed pieces than cells): inferred."""
    return width > 1 and len(run.split()) < width


def _candidates_text(cands: list[tuple[int, ...]]) -> str:
    shown = "; ".join("|".join(str(v) for v in c) for c in cands[:5])
    more = f"; … {len(cands)} in all" if len(cands) > 5 else ""
    return shown + more


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def _label_similarity(text: str, label: str) -> float:
    """How much `text` reads as `label`, or as its first line when the label wrapped."""
    whole = _similar(text, label)
    return max(whole, _similar(text, label[:len(text)])) if len(text) >= 4 else whole


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
    if m:
        items = [r for r in rows if r.group == group] if group else []
        number = int(m.group(1))
        by_number = next((r for r in items if r.item == number), None)
        rest = n[m.end():]
        if by_number is not None and (any(w in rest for w in by_number.words) or
                                      _similar(rest, normalise(by_number.label)[m.end():]) >= 0.5):
            return "row", by_number, group
        by_words = [r for r in items if any(w in rest for w in r.words)]
        if len(by_words) == 1:
            return "row", by_words[0], group
        # a text layer sets a group's label beside the middle of its rows: its first rows come before it
        anywhere = [r for r in rows if r.group and any(w in rest for w in r.words)
                    and (r.key != "other_processing.other" or rest == "其他")]
        if len(anywhere) == 1:
            return "row", anywhere[0], anywhere[0].group
        numbered = sorted(((_label_similarity(rest, normalise(r.label)[len(str(r.item)) + 1:]), r.key) for r in rows
                           if r.item == number), reverse=True)
        if numbered and numbered[0][0] >= 0.6 and (len(numbered) == 1 or numbered[1][0] < numbered[0][0] - 0.2):
            best = _row(rows, numbered[0][1])
            return "row", best, best.group
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
    keys = {r.key for r in APPLICATION_ROWS[fmt]}
    state = {"group": None}

    def match(t: Token):
        what, row, state["group"] = _match_application_row(t, fmt, state["group"])
        if what == "row" and row is not None:
            return row.key, row.label, width, None
        if what == "group" and state["group"] == "other_processing" and fmt == "2021":
            # （六）其他处理 printed as one row of figures (a regional variant of the 2021 table): its
            # values are kept under the 2019 format's row key; the group's sub-rows are then absent
            return "other_processing", "（六）其他处理", width, "single_row"
        if what == "group":
            return "loose"      # figures on a group label's line belong to a row next to it
        return None

    events = _events(tokens, span, match)
    slots = [e for e in events if isinstance(e, _Slot)]
    for slot in slots:
        if slot.variant and slot.values is None and slot.run is None:
            slot.variant = "pending"    # a group label: only a run right after it, and no sub-row, makes it a row
    _pair(events)
    table: dict[str, dict] = {}
    runs: dict[str, tuple[str, str, list]] = {}
    apart = max((len(e) for e in events if isinstance(e, list)), default=0)
    if apart > width + 1:
        # figures of many rows in one block away from their labels (a text tool that read the table column
        # by column): which values sit beside which label says nothing about which row they belong to
        out.warnings.append(f"表三: {apart} figures in one block apart from their row labels; rows whose figures "
                            "are not on their label's line left blank")
        slots = [slot for slot in slots if not slot.paired]
    for slot in slots:
        if slot.variant == "pending":
            if slot.values is None or any(s.key.startswith("other_processing.") and (s.values or s.run) for s in slots):
                continue
            slot.variant = "single_row"
        if slot.key not in keys and not slot.variant:
            if slot.values or slot.run:
                out.warnings.append(f"表三: row {slot.label} does not belong to the {fmt} format; ignored")
            continue
        values = slot.values
        if slot.run is None and values and len(_trim(values, width)) != width:
            run = _as_run(values)      # digits of several cells run together, some apart: one run
            if run is not None and len(run.replace(" ", "")) >= width:
                slot.run = run
        if slot.run is not None:
            cands = applicant_splits(slot.run, width)
            runs[slot.key] = (slot.run, slot.label, cands)
            out.runs_seen = True
            continue
        if not values:
            continue
        values = _trim(values, width)
        if len(values) != width:
            out.warnings.append(f"表三: {len(values)} values for {width} columns in row {slot.label}; cells left blank")
            table.setdefault(slot.key, {c: None for c in columns})
            continue
        if subtotal:
            values = values[:6] + values[7:]
        if slot.key in table and any(v is not None for v in table[slot.key].values()):
            out.warnings.append(f"表三: row {slot.label} printed twice; the second one ignored")
            continue
        table[slot.key] = {}
        for col, cell in zip(columns, values):
            table[slot.key][col] = cell.value
            if cell.differs:
                out.printed[f"applications.{slot.key}.{col}"] = cell.printed
        if slot.variant:
            out.variants[f"applications.{slot.key}"] = ("（六）其他处理 printed as a single row; the 2021 format's "
                                                         "three sub-rows are absent")
    if runs:
        _resolve_runs(runs, table, fmt, subtotal, out)
    return table


def application_equations(fmt: str, single_row: bool) -> list[tuple[list[str], list[str]]]:
    """The 勾稽 rules of 表三 as row sums that must be equal in every column (`single_row`: （六）其他处理
    printed as one row in a 2021 table)."""
    results = [r.key for r in RESULT_ROWS[fmt]]
    if single_row or fmt == "2019":
        results = [k for k in results if not k.startswith("other_processing.")]
        results.append("other_processing")
    return [(["new_received", "carried_over"], ["total_processed", "carried_forward"]),
            (results, ["total_processed"])]


MAX_COMBINATIONS = 200_000


def _equations_hold(equations: list, rows: dict, width: int) -> bool:
    return all(sum(rows[r][c] for r in left) == sum(rows[r][c] for r in right)
               for left, right in equations for c in range(width))


def _resolve_runs(runs: dict, table: dict, fmt: str, subtotal: bool, out: TableRead) -> None:
    """Keep the splits of each digit run that its row's rule allows, then those that take part in some
    combination of the open rows' splits on which the column rules (一+二 = （七）+四, results = （七）)
    hold; a row with exactly one split left is read (its cells marked inferred where digits had to be cut
    apart); the others stay blank with a warning naming the candidates."""
    columns = [key for key, _ in APPLICANT_COLUMNS]

    def vector(cand: tuple[int, ...]) -> tuple[int, ...]:
        return cand[:6] + cand[7:] if subtotal else cand

    cands = {key: [vector(c) for c in found] for key, (_, _, found) in runs.items()}
    equations = application_equations(fmt, "other_processing" in table or "other_processing" in runs)
    known = {key: tuple(row[c] for c in columns) for key, row in table.items()
             if all(row.get(c) is not None for c in columns)}
    known.update({key: c[0] for key, c in cands.items() if len(c) == 1})
    open_rows = [key for key, c in cands.items() if len(c) > 1]
    usable = [(left, right) for left, right in equations
              if all(r in known or r in open_rows for r in left + right) and any(r in open_rows for r in left + right)]
    combos = 1
    for key in open_rows:
        combos *= len(cands[key])
    if open_rows and usable and combos <= MAX_COMBINATIONS:
        # every combination of the open rows' splits, kept when the column rules hold on it
        survivors = [choice for choice in itertools.product(*(cands[key] for key in open_rows))
                     if _equations_hold(usable, {**known, **dict(zip(open_rows, choice))}, len(columns))]
        for k, key in enumerate(open_rows):
            cands[key] = sorted({choice[k] for choice in survivors})
            if len(cands[key]) == 1:
                known[key] = cands[key][0]
    for key, (run, label, found) in runs.items():
        if key in known and key not in table:
            table[key] = dict(zip(columns, known[key]))
            if _split_needed(run, len(columns) + subtotal):
                for col in columns:
                    out.inferred[f"applications.{key}.{col}"] = True
            if key == "other_processing" and fmt == "2021":
                out.variants["applications.other_processing"] = ("（六）其他处理 printed as a single row; the 2021 "
                                                                 "format's three sub-rows are absent")
            continue
        left = cands.get(key, [])
        table.setdefault(key, {c: None for c in columns})
        if not left:
            out.warnings.append(f"表三: digits {run} in row {label} (applications.{key}) fit no split into "
                                f"{len(columns)} columns "
                                f"(总计 = the applicants){'' if not found else ' agreeing with the other rows'}; "
                                "cells left blank")
        else:
            out.warnings.append(f"表三: digits {run} in row {label} (applications.{key}) split {len(left)} ways "
                                f"({_candidates_text(left)}); cells left blank")


# -- 表四 ------------------------------------------------------------------------------------------------

def read_review(tokens: list[Token], span: tuple[int, int], out: TableRead) -> dict:
    a, b = span
    # a blank cell in a row of header labels is a merged header's spacer, not a blank figure
    cells = _trim([t.cell for t in tokens[a:b] if t.cell is not None
                   and not (t.in_row and not t.values_row and t.cell.value is None)], 15)
    runs = [t.run for t in tokens[a:b] if t.run is not None]
    if not cells and not runs:
        return {}
    blank = {row: {col: None for col, _ in OUTCOME_COLUMNS} for row, _ in REVIEW_ROWS}
    loose = _as_run(cells) if cells and len(cells) != 15 else None
    if len(cells) != 15 and (runs or (loose and len(loose.split()) < 15 <= len(loose.replace(" ", "")))):
        run = runs[0] if len(runs) == 1 and not cells else loose if not runs else None
        if run is None:
            out.warnings.append(f"表四: {len(cells)} values and {len(runs)} digit runs for 15 cells; cells left blank")
            return blank
        out.runs_seen = True
        cands = review_splits(run)
        if len(cands) != 1:
            out.warnings.append(f"表四: digits {run} (review_litigation.review, .litigation_direct, "
                                ".litigation_after_review) " + (f"split {len(cands)} ways ({_candidates_text(cands)})"
                                                          if cands else "fit no split into 15 cells (总计 = the "
                                                          "four outcomes in each row)") + "; cells left blank")
            return blank
        table = {}
        for r, (row, _) in enumerate(REVIEW_ROWS):
            table[row] = {col: cands[0][r * 5 + c] for c, (col, _) in enumerate(OUTCOME_COLUMNS)}
            if _split_needed(run, 15):
                for col, _ in OUTCOME_COLUMNS:
                    out.inferred[f"review_litigation.{row}.{col}"] = True
        return table
    if len(cells) != 15:
        out.warnings.append(f"表四: {len(cells)} values for 15 cells; cells left blank")
        return blank
    groups = _value_groups(tokens[a:b])
    if any(n % 5 for n in groups):
        # figures interleaved with header labels (a text tool that read the table column by column)
        out.warnings.append(f"表四: figures in groups of {'+'.join(map(str, groups))} between header labels; "
                            "cells left blank")
        return blank
    table: dict[str, dict] = {}
    for r, (row, _) in enumerate(REVIEW_ROWS):
        table[row] = {}
        for c, (col, _) in enumerate(OUTCOME_COLUMNS):
            cell = cells[r * 5 + c]
            table[row][col] = cell.value
            if cell.differs:
                out.printed[f"review_litigation.{row}.{col}"] = cell.printed
    return table


def _value_groups(tokens: list[Token]) -> list[int]:
    """Sizes of the runs of figures between labels."""
    groups, n = [], 0
    for t in tokens:
        if t.cell is not None and not (t.in_row and not t.values_row and t.cell.value is None):
            n += 1
        elif t.is_label and n:
            groups.append(n)
            n = 0
    return groups + ([n] if n else [])


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
    by_key = {row.key: row for row in ACTIVE_ROWS[fmt]}

    def match(t: Token):
        row = _match_active_row(t, fmt)
        return None if row is None else (row.key, row.label, len(row.columns), None)

    events = _events(tokens, span, match)
    _pair(events)
    table: dict[str, dict] = {}
    for slot in (e for e in events if isinstance(e, _Slot)):
        row = by_key[slot.key]
        width = len(row.columns)
        values = slot.values
        if slot.run is None and values and len(_trim(values, width)) != width:
            run = _as_run(values)
            if run is not None and len(run.split()) < width <= len(run.replace(" ", "")):
                slot.run = run
        if slot.run is not None:
            if width == 1 and " " not in slot.run:
                values = [read_cell(slot.run)]      # one cell: the digits after the label are its figure
            else:
                cands = plain_splits(slot.run, width) if _is_run(slot.run) else _money_splits(slot.run, width)
                out.runs_seen = True
                table.setdefault(row.key, {col: None for col, _ in row.columns})
                if len(cands) != 1:
                    out.warnings.append(f"表二: digits {slot.run} in row {row.label} (active.{row.key}) " + (
                        f"split {len(cands)} ways ({_candidates_text(cands)})" if cands else
                        f"fit no split into {width} columns") + "; cells left blank")
                    continue
                table[row.key] = dict(zip((col for col, _ in row.columns), cands[0]))
                if _split_needed(slot.run, width):
                    for col, _ in row.columns:
                        out.inferred[f"active.{row.key}.{col}"] = True
                continue
        if not values:
            continue
        values = _trim(values, width)
        if len(values) != width:
            out.warnings.append(f"表二: {len(values)} values for {width} columns in row {row.label}; "
                                "cells left blank")
            table.setdefault(row.key, {col: None for col, _ in row.columns})
            continue
        table[row.key] = {}
        for (col, _), cell in zip(row.columns, values):
            value = cell.value
            if isinstance(value, float) and (row.key, col) not in MONEY_CELLS and value.is_integer():
                value = int(value)
            table[row.key][col] = value
            if cell.differs or value != cell.value:
                out.printed[f"active.{row.key}.{col}"] = cell.printed
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
        apps = read_applications(tokens, spans["applications"], fmt, out)
        rows = [r.key for r in APPLICATION_ROWS[fmt]]
        if fmt == "2021" and "other_processing" in apps:
            # the single-row variant stands where the group's sub-rows would, which the report does not have
            at = rows.index("other_processing.overdue_correction")
            rows = rows[:at] + ["other_processing"] + [r for r in rows[at:] if not r.startswith("other_processing.")]
        found["applications"] = _complete(apps, [(r, [c for c, _ in APPLICANT_COLUMNS]) for r in rows])
    unread: set[str] = set()        # tables whose printed figures could not be read (a warning says why)
    if "review_litigation" in spans:
        before = len(out.warnings)
        found["review_litigation"] = _complete(read_review(tokens, spans["review_litigation"], out),
                                               [(r, [c for c, _ in OUTCOME_COLUMNS]) for r, _ in REVIEW_ROWS])
        if len(out.warnings) > before:
            unread.add("review_litigation")
    # a table with no figure at all is the template itself (a format notice), not data; one whose figures
    # were printed but not read stays, blank, beside the tables that were read (its rules not assessable)
    out.tables = {name: table for name, table in found.items() if _has_figures(table)}
    if out.tables:
        out.tables.update({name: found[name] for name in unread if name not in out.tables})
        out.tables = {name: out.tables[name] for name in found if name in out.tables}
    if out.tables:
        out.format = fmt
        for name, (a, b) in spans.items():
            if name in out.tables:
                out.lines.update(t.line for t in tokens[a:b] if isinstance(t.line, int))
                if _section_heading(tokens[a]) and isinstance(tokens[a].line, int):
                    out.heading_lines.add(tokens[a].line)
    else:
        out.printed.clear()
        out.warnings = [w for w in out.warnings if "values for" not in w]
    out.printed = {p: s for p, s in out.printed.items() if p.split(".", 1)[0] in out.tables}
    out.inferred = {p: True for p in out.inferred if p.split(".", 1)[0] in out.tables}
    out.variants = {p: s for p, s in out.variants.items() if p.split(".", 1)[0] in out.tables}
    if not out.tables and out.runs_seen:
        out.format = fmt        # figures were printed, run together past recovery: the format is still known
    return out


__all__ = ["read_tables", "TableRead", "tokenize", "regions", "applicant_splits", "review_splits", "plain_splits",
           "application_equations"]
