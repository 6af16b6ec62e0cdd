"""A test corpus for the report-table parser: real documents whose table cells are known.

Each :class:`Case` is one document as the crawler holds it (an HTML page, copy-pasted text, a DOCX, PDF or
XLSX file), made by the replica's real builders (:mod:`.reports`, :mod:`.documents`: python-docx,
LibreOffice, openpyxl) from a :class:`~.reports.Report` whose :class:`~.tables.Figures` we wrote, with:

- ``tables``: the truth in the parser's canonical keys (``tables[table][row][column]``), produced from the
  Figures through the explicit label→key mapping below, never by reading the documents back: this module
  is a witness independent of the parser;
- ``printed``: what the document prints where that is not the plain value (``"+12"``, ``"251000元"``, a
  blank marker such as ``"/"``); keyed by the dotted path ``table.row.column`` (rows contain dots);
- ``failing``: the consistency checks the truth fails, by the small checker :func:`failing_checks`.

Conventions the parser is held to:

- a blank cell ("") or a blank marker ("/", "—", "-", "空") is ``None``; only a marker is in ``printed``
  (an empty cell prints nothing, so there is nothing to keep);
- printed texts are compared stripped: a leading space or U+2002 (as seed 004 has) is not a difference;
- a rule with a ``None`` among its inputs is not assessable and never in ``failing``.

Flattened text (:func:`flatten`) is what copy-paste of a report page gives: one table cell per line, a
blank line between cells and paragraphs, a header's line break kept as a plain newline inside its cell.
With ``lossy=True`` it also does what the capture of seed 004 did: characters a page puts in an element of
their own (``{x}`` marks, among them the "减" of "本年增/减") are lost, and full-width ASCII punctuation
（，：；） is folded to half-width ((,:;).  Blank cells cannot be flattened (an empty line is a separator).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import html
import json
import random
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from .documents import grid, make_docx, make_pdf, make_xlsx
from .fillers import JIANCHUAN, JILIN, PANSHI, TONGYU, YANGCHENG, County, agencies, table_report
from .reports import DATA, Report, body_html, load_blocks, parse_blocks, plain
from .tables import TABLE_ROWS, Cell, Figures, blank_figures, figures_from_json

# The seeds as captured, beside the repository when it is checked out in the project tree (cases from
# them are added only when present; the bundled clean copies in data/ always are).
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# -- canonical keys ------------------------------------------------------------------------------
# Written out label by label (not derived from tables.py) so a label the builders print differently
# from the template shows up as a KeyError here instead of silently moving a row.

APPLICANT_COLUMNS = ("natural_person", "business", "research", "public_interest", "legal_service", "other_org", "total")
OUTCOME_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
REVIEW_ROWS = ("review", "litigation_direct", "litigation_after_review")

_HEAD = (
    ("一、本年新收政府信息公开申请数量", "new_received"),
    ("二、上年结转政府信息公开申请数量", "carried_over"),
    ("（一）予以公开", "disclosed"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_disclosed"),
    ("1.属于国家秘密", "withheld.state_secret"),
    ("2.其他法律行政法规禁止公开", "withheld.prohibited_by_law"),
    ("3.危及“三安全一稳定”", "withheld.security_stability"),
    ("4.保护第三方合法权益", "withheld.third_party"),
    ("5.属于三类内部事务信息", "withheld.internal_affairs"),
    ("6.属于四类过程性信息", "withheld.process_info"),
    ("7.属于行政执法案卷", "withheld.enforcement_file"),
    ("8.属于行政查询事项", "withheld.admin_query"),
    ("1.本机关不掌握相关政府信息", "unable.not_held"),
    ("2.没有现成信息需要另行制作", "unable.needs_creation"),
    ("3.补正后申请内容仍不明确", "unable.still_unclear"),
    ("1.信访举报投诉类申请", "not_processed.petition_complaint"),
    ("2.重复申请", "not_processed.repeated"),
    ("3.要求提供公开出版物", "not_processed.publication"),
    ("4.无正当理由大量反复申请", "not_processed.massive_repeated"),
    ("5.要求行政机关确认或重新出具已获取信息", "not_processed.confirm_reissue"),
)
_TAIL = (("（七）总计", "total_processed"), ("四、结转下年度继续办理", "carried_forward"))
# 表三 rows per format, (label as the template prints it, canonical row key), in table order.
APPLICATION_ROWS: dict[str, tuple[tuple[str, str], ...]] = {
    "2019": _HEAD + (("（六）其他处理", "other_processing"),) + _TAIL,
    "2021": _HEAD + (
        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_processing.overdue_correction"),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_processing.overdue_fee"),
        ("3.其他", "other_processing.other"),
    ) + _TAIL,
}
# Rows that are not results of processing: the balance rule's four terms.
EDGE_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")

_MADE_2019 = ("new_made", "new_published", "total_published")
_ITEMS_2019 = ("prev_year", "change", "decisions")
_DOCS_2021 = ("issued", "repealed", "in_force")
# 表二 rows per format: (label, canonical row key, column keys in printed order).
ACTIVE_ROWS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "2019": (
        ("规章", "rules", _MADE_2019),
        ("规范性文件", "normative_docs", _MADE_2019),
        ("行政许可", "licensing", _ITEMS_2019),
        ("其他对外管理服务事项", "other_services", _ITEMS_2019),
        ("行政处罚", "penalty", _ITEMS_2019),
        ("行政强制", "enforcement", _ITEMS_2019),
        ("行政事业性收费", "fees", ("prev_year", "change")),
        ("政府集中采购", "procurement", ("projects", "amount")),
    ),
    "2021": (
        ("规章", "rules", _DOCS_2021),
        ("行政规范性文件", "normative_docs", _DOCS_2021),
        ("行政许可", "licensing", ("decisions",)),
        ("行政处罚", "penalty", ("decisions",)),
        ("行政强制", "enforcement", ("decisions",)),
        ("行政事业性收费", "fees", ("amount_10k_yuan",)),
    ),
}

# What real reports print in a cell that has no number.
BLANK_MARKERS = ("", "/", "—", "-", "空")
# A printed number: sign, digits, decimals, and the units real cells carry ("251000元").
_PRINTED_NUMBER = re.compile(r"([+-]?\d+(?:\.\d+)?)(?:元|万元|件|个)?")


@dataclass
class Case:
    """One document of the corpus and what a parser must find in it."""

    name: str                 # "004-html", "broken-typo-flat" …
    carrier: str              # "html" | "text" | "docx" | "pdf" | "xlsx"
    body: bytes = field(repr=False)   # the document as served or saved
    filename: str             # its extension tells the carrier
    format: str               # "2019" | "2021" | "pre-2019" | "unknown"
    tables: dict              # tables[table][row][column] -> int | float | None; {} without tables
    printed: dict             # "table.row.column" -> printed text, where it is not the plain value
    failing: set              # {(rule, key)} the truth fails
    year: int | None = None
    agency: str | None = None


# -- truth ---------------------------------------------------------------------------------------

def reading(cell: int | float | str) -> tuple[int | float | None, str | None]:
    """(value, printed text or None) of one Figures cell as the truth records it.

    Figures cells are ours (ints, floats, or the strings this module puts there), so anything else
    is a mistake in the corpus and raises.
    """
    if isinstance(cell, bool):
        raise TypeError(f"bool cell {cell!r}")
    if isinstance(cell, (int, float)):
        return cell, None
    text = str(cell).strip()
    if text in BLANK_MARKERS:
        return None, text or None
    match = _PRINTED_NUMBER.fullmatch(text)
    if not match:
        raise ValueError(f"unexpected cell text {cell!r}")
    number = match.group(1)
    value = float(number) if "." in number else int(number)
    return value, None if text == str(value) else text


def truth(fig: Figures) -> tuple[dict, dict[str, str]]:
    """The canonical tables and printed texts of a report's Figures."""
    fmt = str(fig.fmt)
    tables: dict[str, dict] = {"applications": {}, "review_litigation": {}, "active": {}}
    printed: dict[str, str] = {}

    def put(table: str, row: str, column: str, cell) -> None:
        value, shown = reading(cell)
        tables[table].setdefault(row, {})[column] = value
        if shown is not None:
            printed[f"{table}.{row}.{column}"] = shown

    rows = APPLICATION_ROWS[fmt]
    if set(fig.table3) != {label for label, _ in rows}:
        raise KeyError(f"table3 labels differ from the mapping: {set(fig.table3) ^ {label for label, _ in rows}}")
    for label, key in rows:
        cells = fig.table3[label]
        if len(cells) != len(APPLICANT_COLUMNS):
            raise ValueError(f"{label}: {len(cells)} cells")
        for column, cell in zip(APPLICANT_COLUMNS, cells):
            put("applications", key, column, cell)

    if len(fig.table4) != len(REVIEW_ROWS) * len(OUTCOME_COLUMNS):
        raise ValueError(f"table4: {len(fig.table4)} cells")
    for k, row in enumerate(REVIEW_ROWS):
        for j, column in enumerate(OUTCOME_COLUMNS):
            put("review_litigation", row, column, fig.table4[k * len(OUTCOME_COLUMNS) + j])

    active = ACTIVE_ROWS[fmt]
    if set(fig.table2) != {label for label, _, _ in active}:
        raise KeyError(f"table2 labels differ from the mapping: {sorted(fig.table2)}")
    for label, key, columns in active:
        cells = fig.table2[label]
        if len(cells) != len(columns):
            raise ValueError(f"{label}: {len(cells)} cells for {columns}")
        for column, cell in zip(columns, cells):
            put("active", key, column, cell)
    return tables, printed


def paths(tables: dict) -> dict[str, int | float | None]:
    """The truth as dotted paths ("applications.withheld.state_secret.total" -> value), the keys of `printed`."""
    return {f"{table}.{row}.{column}": value for table, rows in tables.items() for row, cells in rows.items()
            for column, value in cells.items()}


def _assessable(values: Sequence) -> bool:
    return all(v is not None for v in values)


def _differ(a: float, b: float) -> bool:
    return abs(a - b) > 1e-9


def failing_checks(tables: dict) -> set[tuple[str, str]]:
    """The rules (reports.md section 5, rules 1–4) the tables fail; a rule with a blank input is skipped."""
    out: set[tuple[str, str]] = set()
    apps = tables.get("applications") or {}
    if apps:
        results = [row for row in apps if row not in EDGE_ROWS]
        for column in APPLICANT_COLUMNS:
            left = [apps["new_received"][column], apps["carried_over"][column]]
            right = [apps["total_processed"][column], apps["carried_forward"][column]]
            if _assessable(left + right) and _differ(sum(left), sum(right)):
                out.add(("balance", column))
            parts = [apps[row][column] for row in results]
            whole = apps["total_processed"][column]
            if _assessable(parts + [whole]) and _differ(sum(parts), whole):
                out.add(("results_sum", column))
        for row, cells in apps.items():
            parts = [cells[c] for c in APPLICANT_COLUMNS[:-1]]
            if _assessable(parts + [cells["total"]]) and _differ(sum(parts), cells["total"]):
                out.add(("applicant_sum", row))
    for row, cells in (tables.get("review_litigation") or {}).items():
        parts = [cells[c] for c in OUTCOME_COLUMNS[:-1]]
        if _assessable(parts + [cells["total"]]) and _differ(sum(parts), cells["total"]):
            out.add(("review_litigation_sum", row))
    return out


# -- renderings ----------------------------------------------------------------------------------

_MARK = re.compile(r"\{([^{}]+)\}")
# Full-width ASCII forms (U+FF01–FF5E) and the ideographic space, as the seed's capture folded them.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def _flat(markup: str, lossy: bool) -> str:
    return _MARK.sub("", markup) if lossy else plain(markup)


def flatten(report: Report, *, lossy: bool = True, chrome: bool = False) -> str:
    """The report as copy-paste of its page gives it: one paragraph or table cell per line, blank lines
    between (see the module docstring for `lossy`).  `chrome` adds the page lines above the body
    (source, title, 发布时间) as seed 004 has them."""
    pieces: list[str] = []
    if chrome:
        # the date line ends with an extra newline: the seed has two empty lines before the body
        pieces += [report.source, report.title, f"发布时间: {report.published.isoformat()}\n"]
    for block in report.blocks:
        if block.kind != "table":
            pieces.append(_flat(block.text, lossy))
            continue
        for row in TABLE_ROWS[block.text](report.figures):
            for cell in row:
                text = _flat(cell.text, lossy).replace("<br>", "\n")
                if not text.strip():
                    raise ValueError(f"a blank cell cannot be flattened ({report.title}, {block.text})")
                pieces.append(text)
    text = "\n\n".join(pieces)
    return text.translate(_HALF_WIDTH) if lossy else text


def html_page(report: Report, flavour: str = "trs", body: str | None = None) -> bytes:
    """A whole article page around the report body, as a CMS serves it (UTF-8)."""
    title = html.escape(report.title)
    body = body_html(report, flavour) if body is None else body
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>' + title + "</title></head><body>\n"
        '<div class="article">\n<h1 class="title">' + title + "</h1>\n"
        f'<div class="info">发布时间：{report.published.isoformat()}　来源：{html.escape(report.source)}</div>\n'
        '<div class="TRS_Editor">\n' + body + "\n</div>\n</div>\n</body></html>\n"
    ).encode("utf-8")


def _table_html(rows: list[list[Cell]]) -> str:
    """A table in the markup reports.table_html uses (same attributes, same header emphasis)."""
    out = []
    for row in rows:
        cells = []
        for c in row:
            attrs = ' align="center" valign="middle"'
            attrs += f' rowspan="{c.rowspan}"' if c.rowspan > 1 else ""
            attrs += f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            inner = html.escape(plain(c.text), quote=False).replace("&lt;br&gt;", "<br>")
            inner = f"<strong>{inner}</strong>" if c.header else inner
            cells.append(f'<td{attrs} style="border:1px solid #000;padding:4px;">{inner}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    return ('<table border="1" cellspacing="0" cellpadding="0" width="100%" '
            'style="border-collapse:collapse;font-size:14px;"><tbody>' + "\n".join(out) + "</tbody></table>")


def split_rows(rows: list[list[Cell]], header: int, split: int) -> tuple[list[list[Cell]], list[list[Cell]]]:
    """A table cut before row `split` into two, each with the `header` first rows, as a table broken
    over two pages and pasted as two.  A merged cell crossing the cut is clipped in the first part and
    repeated (its label again, the remaining rowspan) at the top of the second."""
    placed, _, _ = grid(rows)

    def part(lo: int, hi: int) -> list[list[Cell]]:
        out: list[list[tuple[int, Cell]]] = [[] for _ in range(header + hi - lo)]
        for r, c, cell in placed:
            end = r + cell.rowspan
            if r < header:
                out[r].append((c, cell))
            elif lo <= r < hi:
                out[header + r - lo].append((c, replace(cell, rowspan=min(end, hi) - r)))
            elif r < lo < end:
                out[header].append((c, replace(cell, rowspan=min(end, hi) - lo)))
        return [[cell for _, cell in sorted(row, key=lambda pair: pair[0])] for row in out]

    return part(header, split), part(split, len(rows))


# -- the reports ---------------------------------------------------------------------------------

def henghe_2020() -> Report:
    """Seed 004 (横河镇 2020, the 2019 format) with the figures its page printed."""
    figures = figures_from_json(json.loads((DATA / "004_henghe_2020.json").read_text(encoding="utf-8")))
    return Report(title="横河镇人民政府2020年政府信息公开工作年度报告", agency="横河镇人民政府", year=2020,
                  published=dt.date(2021, 1, 20), source="阳城县横河镇", blocks=load_blocks("004_henghe_2020.txt"),
                  figures=figures)


def _filler(seed: str, county: County, index: int, year: int) -> Report:
    """A template report of one agency of `county` (fillers.table_report), fixed by `seed`."""
    return table_report(random.Random(f"corpus-{seed}"), county, agencies(county)[index], year)


def _with(report: Report, edit: Callable[[Figures], None]) -> Report:
    """The report with its figures edited on a copy."""
    figures = copy.deepcopy(report.figures)
    edit(figures)
    return replace(report, figures=figures)


# 国办公开办函〔2019〕60号 in outline (no data file holds it): the notice's points, then the format (试行) with
# the three tables left empty, as the 2021 notice data file has them.
_NOTICE_2019 = """各省、自治区、直辖市人民政府办公厅，国务院各部委、各直属机构办公厅（室）：
新修订的《中华人民共和国政府信息公开条例》（以下简称《条例》）已于2019年5月15日起施行。《条例》第四十九条、第五十条对政府信息公开工作年度报告的发布时间和内容作出了规定，发布时间较修订前提前了两个月。为进一步规范年度报告的编制和发布，我办制定了《中华人民共和国政府信息公开工作年度报告格式（试行）》（以下简称《格式》），现印发给你们，并就有关事项通知如下：
一、各地区各部门要严格按照《条例》规定的时限和《格式》的要求，认真做好政府信息公开工作年度报告的编制和发布工作。
二、2019年政府信息公开工作年度报告鼓励按照《格式》发布，确实存在现实困难的，可参照《格式》发布。
三、各级行政机关要确保年度报告数据真实准确、内容全面完整，不得照搬照抄往年报告。
附件：中华人民共和国政府信息公开工作年度报告格式（试行）
>> 国务院办公厅政府信息与政务公开办公室
>> 2019年11月27日
附件
中华人民共和国政府信息公开工作年度报告格式（试行）
一、总体情况
（对本行政机关政府信息公开工作的总体情况进行概述。）
二、主动公开政府信息情况
[[table2]]
三、收到和处理政府信息公开申请情况
[[table3]]
四、政府信息公开行政复议、行政诉讼情况
[[table4]]
五、存在的主要问题及改进情况
六、其他需要报告的事项"""


def notices() -> tuple[Report, Report]:
    """The two national format notices: every table label, no figures (look-alikes of a report)."""
    n2019 = Report(title="国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知",
                   agency=None, year=None, published=dt.date(2019, 11, 29), source="中国政府网",
                   blocks=parse_blocks(_NOTICE_2019), figures=blank_figures(2019), kind="lookalike")
    n2021 = Report(title="国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知",
                   agency=None, year=None, published=dt.date(2021, 10, 8), source="中国政府网",
                   blocks=load_blocks("notice_format_2021.txt"), figures=blank_figures(2021), kind="lookalike")
    return n2019, n2021


def prose_seeds() -> tuple[Report, Report]:
    """Seeds 000 (松山镇 2018) and 002 (通榆县 2016): free prose, no tables."""
    songshan = Report(title="松山镇2018年政府信息公开工作年度报告", agency="松山镇人民政府", year=2018,
                      published=dt.date(2019, 2, 27), source="松山镇人民政府", blocks=load_blocks("000_songshan_2018.txt"))
    tongyu = Report(title="通榆县人民政府关于2016年度政府信息公开工作年度报告", agency="通榆县人民政府", year=2016,
                    published=dt.date(2017, 2, 21), source="通榆县人民政府办公室", blocks=load_blocks("002_tongyu_2016.txt"))
    return songshan, tongyu


# -- figure edits --------------------------------------------------------------------------------
# Labels used below (the builders' keys, the printed labels).
NEW, CARRIED = "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"
DISCLOSED, PARTIAL = "（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
_ORG = slice(1, 6)     # the five organisation columns of 表三


def _result_labels(fmt: int) -> list[str]:
    return [label for label, key in APPLICATION_ROWS[str(fmt)] if key not in EDGE_ROWS]


def _group_labels(fmt: int, prefix: str) -> list[str]:
    return [label for label, key in APPLICATION_ROWS[str(fmt)] if key.startswith(prefix)]


def _add(fig: Figures, label: str, column: int, delta: int) -> None:
    fig.table3[label][column] += delta


# Broken sums: (name, edit, the checks that edit must fail).  Each edit is a slip a clerk makes.
BROKEN: tuple[tuple[str, Callable[[Figures], None], set[tuple[str, str]]], ...] = (
    # 本年新收 raised in 自然人 and in its row total: only the balance of those two columns breaks
    ("broken-balance", lambda f: (_add(f, NEW, 0, 2), _add(f, NEW, 6, 2)),
     {("balance", "natural_person"), ("balance", "total")}),
    # one more 予以公开 for 自然人, row total kept in step, （七）总计 not: the column sums break
    ("broken-results", lambda f: (_add(f, DISCLOSED, 0, 1), _add(f, DISCLOSED, 6, 1)),
     {("results_sum", "natural_person"), ("results_sum", "total")}),
    # a case moved from 予以公开 to 部分公开 in the 总计 column only: both row totals break, nothing else
    ("broken-applicant", lambda f: (_add(f, DISCLOSED, 6, -1), _add(f, PARTIAL, 6, 1)),
     {("applicant_sum", "disclosed"), ("applicant_sum", "partially_disclosed")}),
    # 行政复议 总计 one too many
    ("broken-review", lambda f: f.table4.__setitem__(4, f.table4[4] + 1),
     {("review_litigation_sum", "review")}),
    # one typo in one cell breaks a column rule and a row rule at once
    ("broken-typo", lambda f: _add(f, DISCLOSED, 0, 1),
     {("results_sum", "natural_person"), ("applicant_sum", "disclosed")}),
)


def _blanks(fig: Figures) -> None:
    """Blank and marked cells as clerks leave them: zeros of the organisation columns left empty or
    marked, one marked cell in a balance term, an empty 复议后起诉 block, 规章 not applicable."""
    markers = {"withheld.": "", "unable.": "/", "not_processed.": "—", "other_processing": "空"}
    for prefix, marker in markers.items():
        for label in _group_labels(fig.fmt, prefix):
            cells = fig.table3[label]
            cells[_ORG] = [marker if v == 0 else v for v in cells[_ORG]]
    fig.table3[CARRIED][0] = "-"
    fig.table4[10:15] = [""] * 5
    fig.table2["规章"] = ["/"] * 3
    fig.table2["行政事业性收费"] = ["—", "—"]


def _markers(fig: Figures) -> None:
    """Markers only (flattened text cannot carry an empty cell): zeros of the organisation columns of
    the result rows as "/", 复议后起诉 as "—", 规章 as "空", one "-" in a balance term."""
    for label in _result_labels(fig.fmt):
        cells = fig.table3[label]
        cells[_ORG] = ["/" if v == 0 else v for v in cells[_ORG]]
    fig.table3[CARRIED][0] = "-"
    fig.table4[10:15] = ["—"] * 5
    fig.table2["规章"] = ["空"] * 3


def _shanghai(fig: Figures) -> None:
    """As 上海 2019 printed it: the 总计 column blank in every result row, （七）总计 filled."""
    for label in _result_labels(fig.fmt):
        fig.table3[label][6] = ""


def _money_2019(fig: Figures) -> None:
    """Signed 本年增/减 and a unit in 采购总金额, as pages print them."""
    fig.table2["其他对外管理服务事项"][1] = "+12"
    fig.table2["行政处罚"][1] = "-3"
    fig.table2["政府集中采购"] = [3, "251000元"]


def _money_2021(fig: Figures) -> None:
    fig.table2["行政事业性收费"] = [12.35]


# -- cases ---------------------------------------------------------------------------------------

_EXT = {"html": "html", "text": "txt", "docx": "docx", "pdf": "pdf", "xlsx": "xlsx"}
_SUFFIX = {"html": "html", "text": "flat", "docx": "docx", "pdf": "pdf", "xlsx": "xlsx"}


def _body(report: Report, carrier: str, flavour: str, lossy: bool) -> bytes:
    if carrier == "html":
        return html_page(report, flavour)
    if carrier == "text":
        # with the page lines above the body, as a copy of the whole page has them (seed 004)
        return flatten(report, lossy=lossy, chrome=True).encode("utf-8")
    return {"docx": make_docx, "pdf": make_pdf, "xlsx": make_xlsx}[carrier](report)


def _table_cases(stem: str, report: Report, carriers: Sequence[str], *, flavour: str = "trs", lossy: bool = True,
                 expect: set[tuple[str, str]] = frozenset()) -> list[Case]:
    """The report in each carrier, with its truth; the checker must find exactly `expect` failing."""
    tables, printed = truth(report.figures)
    failing = failing_checks(tables)
    if failing != set(expect):
        raise AssertionError(f"{stem}: checker finds {sorted(failing)}, the edit meant {sorted(expect)}")
    return [Case(f"{stem}-{_SUFFIX[c]}", c, _body(report, c, flavour, lossy), f"{stem}.{_EXT[c]}",
                 str(report.figures.fmt), copy.deepcopy(tables), dict(printed), set(failing), report.year,
                 report.agency)
            for c in carriers]


def _plain_case(name: str, carrier: str, body: bytes, filename: str, fmt: str, report: Report) -> Case:
    return Case(name, carrier, body, filename, fmt, {}, {}, set(), report.year, report.agency)


def build() -> list[Case]:
    """Every case, built now (HTML and text anew; files from the documents cache when there)."""
    out: list[Case] = []

    # 1. seed 004 in every carrier, and the seed's own text
    henghe = henghe_2020()
    out += _table_cases("004", henghe, ("html", "text", "docx", "pdf", "xlsx"))
    seed = sorted(SEEDS.glob("004_*.txt")) if SEEDS.is_dir() else []
    if seed:
        out += [replace(c, name="004-seed", body=seed[0].read_bytes(), filename=seed[0].name)
                for c in _table_cases("004", henghe, ("text",))]

    # 2./3. random template reports of both formats
    r2021 = _filler("2021", JILIN, 0, 2022)
    out += _table_cases("2021", r2021, ("html", "docx", "pdf"), flavour="hanweb")
    # full-width text kept here: the other flattened cases are lossy like the seed
    out += _table_cases("2021", r2021, ("text",), lossy=False)
    r2019 = _filler("2019", TONGYU, 0, 2020)
    out += _table_cases("2019", r2019, ("html", "pdf"), flavour="trs_word")

    # 4. broken sums
    base = _filler("broken", YANGCHENG, 0, 2020)
    for stem, edit, expect in BROKEN:
        carriers = ("html", "text", "docx") if stem == "broken-typo" else ("html",)
        out += _table_cases(stem, _with(base, edit), carriers, flavour="old", expect=expect)

    # 5. blank cells and markers
    out += _table_cases("blanks", _with(_filler("blanks", PANSHI, 0, 2019), _blanks), ("html", "docx"))
    out += _table_cases("markers", _with(_filler("markers", JIANCHUAN, 0, 2020), _markers), ("text", "pdf", "xlsx"))
    out += _table_cases("shanghai", _with(_filler("shanghai", JILIN, 1, 2019), _shanghai), ("html", "docx"),
                        flavour="trs_word")

    # 6. table 三 split in two after （三）不予公开 4., the header repeated
    split = _filler("split", YANGCHENG, 1, 2020)
    rows = TABLE_ROWS["table3"](split.figures)
    cut = next(k for k, row in enumerate(rows) if any(c.text == "4.保护第三方合法权益" for c in row)) + 1
    first, second = split_rows(rows, 3, cut)
    whole = _table_html(rows)
    page = body_html(split)
    if page.count(whole) != 1:
        raise AssertionError("table 三 of the split report is not where body_html puts it")
    split_page = page.replace(whole, _table_html(first) + "\n<p>&nbsp;</p>\n" + _table_html(second))
    [case] = _table_cases("split", split, ("html",))
    out.append(replace(case, body=html_page(split, body=split_page)))

    # 7. signed changes, units, decimals
    out += _table_cases("money-2019", _with(_filler("money-2019", TONGYU, 1, 2020), _money_2019),
                        ("html", "docx", "pdf"))
    out += _table_cases("money-2021", _with(_filler("money-2021", PANSHI, 1, 2021), _money_2021), ("html",),
                        flavour="hanweb")

    # 8. the format notices: every label, no figures
    n2019, n2021 = notices()
    out.append(_plain_case("notice-2019-html", "html", html_page(n2019), "notice-2019.html", "unknown", n2019))
    out.append(_plain_case("notice-2021-html", "html", html_page(n2021), "notice-2021.html", "unknown", n2021))
    out.append(_plain_case("notice-2021-docx", "docx", make_docx(n2021), "notice-2021.docx", "unknown", n2021))

    # 9. prose reports before the format
    for stem, report in zip(("000", "002"), prose_seeds()):
        out.append(_plain_case(f"{stem}-flat", "text", flatten(report, lossy=False, chrome=True).encode("utf-8"),
                               f"{stem}.txt", "pre-2019", report))
        raw = sorted(SEEDS.glob(f"{stem}_*.txt")) if SEEDS.is_dir() else []
        if raw:
            out.append(_plain_case(f"{stem}-seed", "text", raw[0].read_bytes(), raw[0].name, "pre-2019", report))
    return out


@functools.lru_cache(maxsize=1)
def _cached_cases() -> tuple[Case, ...]:
    return tuple(build())


def cases() -> list[Case]:
    """Every case of the corpus (built once per process; copies, so a caller may change them)."""
    return [copy.deepcopy(c) for c in _cached_cases()]


def case(name: str) -> Case:
    """One case by name."""
    for c in cases():
        if c.name == name:
            return c
    raise KeyError(name)
