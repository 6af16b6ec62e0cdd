"""The statistics table of pre-2019 reports (《政府信息公开情况统计表》: 指标名称 | 计量单位 | 本年度 | 历年累计).

Reports of 2008–2018 have no standard tables, but many append the statistics table the State Council's
office set in 2014 (国办发〔2014〕32号) or a province's variant of it: one row per indicator, its unit,
and its figure for the year (本年度, 统计数, 数量, 本年累计 where the table also has 本期实际), sometimes
with 历年累计 beside it.  The figures that the prose of such a report states (主动公开政府信息数, 收到申请数,
行政复议数 …) are read from the table into the same keys as `prose.prose_figures`, each marked
`"source": "table"`; the year's column is taken, never the cumulative one.  A table a crawler flattened
into one line ("主动公开文件数条18659903") is split as the standard tables are: only where one split is
left, the figure then marked `"inferred": true`.

Rows are read from the extractor's text: tab-joined cells, or a text layer's line of label, unit and
figures separated by spaces.  An indicator is named by its words; the sub-rows that split a figure
(其中：当面申请数, 维持具体行政行为数 …) are not the figure and are left out.
"""

from __future__ import annotations

import re

from .cells import normalise, read_cell

# Header words: the table, its year column, and the columns that are not the year's figure.
_HEADER_WORDS = ("指标名称", "统计指标", "指标")
_YEAR_COLUMNS = ("本年度", "统计数", "数量", "本年累计", "本年", "数据", "数值")
_OTHER_COLUMNS = ("历年累计", "累计", "本期", "上年", "代码", "同比")
_YEAR_RE = re.compile(r"(?:19|20)\d{2}年度?(?:数据|数量|统计数)?")
_UNITS = ("条", "件", "个", "人", "人次", "次", "万元", "元", "项", "期", "场", "%")

# Leading numbering of an indicator: 一、 （一） 1. (1) 其中：
_NUMBERING_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|其中[:：]?)+")

# key -> (words one of which names the indicator, words that make it a sub-row or another figure)
INDICATORS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "active_normative_docs": (("主动公开规范性文件", "规范性文件数"), ("制发", "新增")),
    "active_disclosed": (("主动公开政府信息数", "主动公开信息数", "主动公开政府信息条数", "主动公开文件数", "主动公开信息"),
                         ("规范性文件", "全文电子化", "其中", "网站", "公报", "微博", "微信", "新闻发布")),
    "applications_received": (("收到申请数", "申请总数", "受理申请", "收到政府信息公开申请", "依申请公开申请数",
                               "依申请公开总数", "受理政府信息公开申请"),
                              ("当面", "传真", "网络", "网上", "信函", "电子邮件", "其他形式")),
    "applications_answered": (("申请答复数", "答复总数", "申请办结数", "办结申请"),
                              ("同意", "部分公开", "不予公开", "不存在", "不属于", "非本", "按时", "延期", "告知")),
    "review": (("行政复议数", "行政复议数量", "行政复议案件"), ("维持", "纠错", "纠正", "其他")),
    "litigation": (("行政诉讼数", "行政诉讼数量", "行政诉讼案件"), ("维持", "纠错", "纠正", "其他")),
    "complaints": (("举报投诉数", "举报投诉数量", "申诉数", "投诉数"), ("首次处理",)),
    "fees": (("收取的费用", "收费金额", "收取费用", "信息处理费"), ("减免",)),
    "reading_points": (("查阅点数", "查询点数", "查阅场所"), ("人次",)),
    "reading_point_visits": (("接待", "查阅人次"), ()),
    "institutions": (("专门机构数", "工作机构数"), ()),
    "staff_full_time": (("专职人员数", "专职"), ()),
    "staff_part_time": (("兼职人员数", "兼职"), ()),
    "staff": (("工作人员数", "从事政府信息公开工作人员"), ("专职", "兼职")),
    "meetings": (("会议数", "专题会议", "工作会议"), ()),
    "training_sessions": (("培训班数", "培训班", "培训次数"), ("人员", "人次")),
    "trainees": (("接受培训人员数", "接受培训人数", "培训人员", "培训人次"), ()),
}


def _indicator(label: str) -> str | None:
    name = _NUMBERING_RE.sub("", normalise(label))
    for key, (words, excluded) in INDICATORS.items():
        if any(w in name for w in words) and not any(w in name for w in excluded):
            return key
    return None


def _header(cells: list[str]) -> tuple[int, int] | None:
    """(position of the year's figure among the columns after the unit, number of those columns) for a
    header row; None when the row is no such header."""
    norm = [normalise(c) for c in cells]
    unit = next((k for k, c in enumerate(norm) if "单位" in c), None)
    if unit is None or not any(w in norm[0] for w in _HEADER_WORDS):
        return None
    figures = norm[unit + 1:]
    for k, c in enumerate(figures):
        if _YEAR_RE.fullmatch(c):
            return k, len(figures)      # "2017年度": the report's year
    for words in _YEAR_COLUMNS:
        for k, c in enumerate(figures):
            if words in c and not any(o in c for o in _OTHER_COLUMNS if o not in words):
                return k, len(figures)
    return None


def statistics_figures(lines: list[str], warnings: list[str] | None = None) -> dict[str, list[dict]]:
    """key -> the statistics table's statement of it ({"value", "unit", "text", "sentence", "negated",
    "source": "table"}, and "inferred": true where its digits ran into the next column's); {} when the
    text has no statistics table.  Figures run together past recovery are left out, with a warning."""
    flat = next((line for line in lines if "指标名称" in line and "\t" not in line and
                 (m := _FLAT_HEADER_RE.search(normalise(line))) and _FLAT_ROW_RE.match(normalise(line), m.end())),
                None)
    if flat is not None:
        return _flattened(normalise(flat), warnings if warnings is not None else [])
    found: dict[str, list[dict]] = {}
    header: tuple[int, int] | None = None
    for line in lines:
        tabbed = "\t" in line
        cells = [c.strip() for c in line.split("\t")] if tabbed else line.split()
        if not any(cells):
            continue
        at = _header(cells)
        if at is not None:
            header = at
            continue
        if header is None:
            continue
        key = _indicator(cells[0])
        if key is None:
            continue
        rest = cells[1:]
        unit = rest[0] if rest and normalise(rest[0]) in _UNITS else None
        figures = rest[1:] if unit is not None else rest
        year, count = header
        if not tabbed:
            figures = [f for f in figures if f]
        if len(figures) == count:
            printed = figures[year]
        elif len(figures) == 1 and year == 0:
            printed = figures[0]        # a row that leaves the later columns (历年累计) out
        else:
            continue
        cell = read_cell(printed)
        if cell is None or cell.value is None or key in found:
            continue        # a blank, or a later row naming the same figure (a breakdown of it)
        found[key] = [{"value": cell.value, "unit": unit, "text": " ".join(c for c in cells if c),
                       "sentence": line.strip(), "negated": False, "source": "table"}]
    return found


# -- a statistics table flattened into one line (a crawler's page text) ------------------------------------
#
# "指标名称计量单位2017年度历年累计主动公开文件数条18659903其中：1、政府网站公开数条18659877…": every
# row is its label, its unit and its figures run together.  A row's digits are split into the header's
# columns only where one split is left: 本年度 ≤ 历年累计, and where a row lists two or more parts
# (其中：1、… 2、…) they add up to it in every column.

_COLUMN_WORDS = r"(?:19|20)\d{2}年度?|本年度|历年累计|本期实际|本年累计|统计数|数量"
_FLAT_HEADER_RE = re.compile(rf"指标名称(?:计量)?单位(?P<cols>(?:{_COLUMN_WORDS})+)")
_FLAT_ROW_RE = re.compile(r"(?P<label>(?:[^\d]|\d[、.])+?)(?P<unit>人次|万元|条|件|个|人|次|元|项)"
                          r"(?P<run>\d+?)(?=\d[、.][\u4e00-\u9fff]|[^\d]|$)")
_PART_RE = re.compile(r"^(?:其中:?)?\d[、.]|^其中")


def _flattened(line: str, warnings: list[str]) -> dict[str, list[dict]]:
    from itertools import product

    from .tables import MAX_COMBINATIONS, _candidates_text, plain_splits

    header = _FLAT_HEADER_RE.search(line)
    columns = re.findall(_COLUMN_WORDS, header.group("cols"))
    at = _header(["指标名称", "计量单位"] + columns)
    if at is None:
        return {}
    year = at[0]
    cumulative = next((k for k, c in enumerate(columns) if "累计" in c and k != year), None)
    rows = []
    for m in _FLAT_ROW_RE.finditer(line, header.end()):
        label = m.group("label")
        cands = [c for c in plain_splits(m.group("run"), len(columns))
                 if cumulative is None or c[year] <= c[cumulative]]
        rows.append({"label": label, "unit": m.group("unit"), "run": m.group("run"), "cands": cands,
                     "part": bool(_PART_RE.match(label)), "text": m.group(0)})
    # a row and the parts listed under it: where two or more, they add up to it in every column
    groups, current = [], None
    for row in rows:
        if row["part"] and current is not None:
            current.append(row)
        else:
            current = [row]
            groups.append(current)
    for group in groups:
        total, parts = group[0], group[1:]
        if len(parts) < 2 or not all(r["cands"] for r in group):
            continue
        combos = 1
        for r in group:
            combos *= len(r["cands"])
        if combos > MAX_COMBINATIONS:
            continue
        kept = [choice for choice in product(*(r["cands"] for r in group))
                if all(choice[0][c] == sum(p[c] for p in choice[1:]) for c in range(len(columns)))]
        for k, r in enumerate(group):
            r["cands"] = sorted({choice[k] for choice in kept})
    found: dict[str, list[dict]] = {}
    for row in rows:
        key = None if row["part"] else _indicator(row["label"])
        if key is None or key in found:
            continue
        if len(row["cands"]) != 1:
            how = (f"split {len(row['cands'])} ways ({_candidates_text(row['cands'])})" if row["cands"]
                   else f"fit no split into {len(columns)} columns")
            warnings.append(f"统计表: digits {row['run']} in row {row['label']} (stated.{key}) {how}; figure left out")
            continue
        value = row["cands"][0][year]
        found[key] = [{"value": value, "unit": row["unit"], "text": row["text"], "sentence": row["text"],
                       "negated": False, "source": "table", "inferred": True}]
    return found


__all__ = ["statistics_figures", "INDICATORS"]
