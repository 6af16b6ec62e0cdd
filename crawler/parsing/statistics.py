"""The statistics table of pre-2019 reports (《政府信息公开情况统计表》: 指标名称 | 计量单位 | 本年度 | 历年累计).

Reports of 2008–2018 have no standard tables, but many append the statistics table the State Council's
office set in 2014 (国办发〔2014〕32号) or a province's variant of it: one row per indicator, its unit,
and its figure for the year (本年度, 统计数, 数量, 本年累计 where the table also has 本期实际), sometimes
with 历年累计 beside it.  The figures that the prose of such a report states (主动公开政府信息数, 收到申请数,
行政复议数 …) are read from the table into the same keys as `prose.prose_figures`, each marked
`"source": "table"`; the year's column is taken, never the cumulative one.

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


def statistics_figures(lines: list[str]) -> dict[str, list[dict]]:
    """key -> the statistics table's statement of it ({"value", "unit", "text", "sentence", "negated",
    "source": "table"}); {} when the text has no statistics table."""
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


__all__ = ["statistics_figures", "INDICATORS"]
