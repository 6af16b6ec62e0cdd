"""The national report tables (2019 and 2021 formats): labels, plausible figures, and their cell layout."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# Section headings shared by both formats (国办公开办函〔2019〕60号 and 〔2021〕30号).
HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")

# Table 2, per format: (caption, header cells after 信息内容, row labels).  "<br>" marks the line
# break the official template prints inside a header; "{减}" is the character the capture tool lost.
TABLE2 = {
    2019: (
        ("第二十条第（一）项", ("本年新<br>制作数量", "本年新<br>公开数量", "对外公开总数量"), ("规章", "规范性文件")),
        ("第二十条第（五）项", ("上一年项目数量", "本年增/{减}", "处理决定数量"), ("行政许可", "其他对外管理服务事项")),
        ("第二十条第（六）项", ("上一年项目数量", "本年增/{减}", "处理决定数量"), ("行政处罚", "行政强制")),
        ("第二十条第（八）项", ("上一年项目数量", "本年增/{减}"), ("行政事业性收费",)),
        ("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("政府集中采购",)),
    ),
    2021: (
        ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
        ("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
        ("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
        ("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
    ),
}

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

# Table 3 result rows: (group label or None, item label).  A group with one item and no own
# sub-label is a single row (（一）予以公开); a group of several spans them with rowspan.
_DENIED = ("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
           "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项")
_UNABLE = ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
_UNHANDLED = ("1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
              "5.要求行政机关确认或重新出具已获取信息")
_OTHER_2021 = ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
               "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他")
RESULT_GROUPS = {
    2019: (("（一）予以公开", ()), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
           ("（三）不予公开", _DENIED), ("（四）无法提供", _UNABLE), ("（五）不予处理", _UNHANDLED),
           ("（六）其他处理", ())),
    2021: (("（一）予以公开", ()), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
           ("（三）不予公开", _DENIED), ("（四）无法提供", _UNABLE), ("（五）不予处理", _UNHANDLED),
           ("（六）其他处理", _OTHER_2021)),
}
NEW, CARRIED, TOTAL, FORWARD = ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
                                "（七）总计", "四、结转下年度继续办理")

TABLE4_TOP = ("行政复议", "行政诉讼")
OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def format_of(year: int) -> int | None:
    """Which national format a report on `year` uses (None: free prose, before 2019)."""
    if year >= 2021:
        return 2021
    return 2019 if year >= 2019 else None


def result_rows(fmt: int) -> list[tuple[str, str]]:
    """(group, item) of every data row under 三、本年度办理结果, in order; item '' for a one-row group."""
    rows = []
    for group, items in RESULT_GROUPS[fmt]:
        rows.extend((group, item) for item in items) if items else rows.append((group, ""))
    return rows


@dataclass
class Figures:
    """The numbers of one table report, kept per row so sums hold by construction."""

    fmt: int
    table2: dict[str, list] = field(default_factory=dict)        # row label -> cells
    table3: dict[str, list[int]] = field(default_factory=dict)   # row label (item or group) -> 7 cells
    table4: list[int] = field(default_factory=list)              # 15 cells

    @property
    def received(self) -> int:
        return self.table3[NEW][-1]

    @property
    def carried_forward(self) -> int:
        return self.table3[FORWARD][-1]

    @property
    def reviews(self) -> int:
        return self.table4[4]

    @property
    def lawsuits(self) -> int:
        return self.table4[9] + self.table4[14]


def _row_key(group: str, item: str) -> str:
    return item or group


def random_figures(rng: random.Random, fmt: int, busy: float = 1.0) -> Figures:
    """Plausible figures satisfying the template's sum rules; `busy` scales caseloads (county > town)."""
    fig = Figures(fmt)
    if fmt == 2019:
        made = rng.randint(0, int(12 * busy))
        fig.table2 = {"规章": [0, 0, 0], "规范性文件": [made, made, made + rng.randint(0, int(60 * busy))]}
        for label in ("行政许可", "其他对外管理服务事项", "行政处罚", "行政强制"):
            prev = rng.randint(0, int(150 * busy))
            fig.table2[label] = [prev, rng.randint(-prev // 5, 20) if prev else 0, rng.randint(0, int(400 * busy))]
        fees = rng.randint(0, 12)
        fig.table2["行政事业性收费"] = [fees, rng.choice([0, 0, 1, -1]) if fees else 0]
        count = rng.randint(0, 6)
        fig.table2["政府集中采购"] = [count, count * rng.randint(8, 400) * 100]
    else:
        made, repealed = rng.randint(0, int(10 * busy)), rng.randint(0, 3)
        fig.table2 = {"规章": [0, 0, 0], "行政规范性文件": [made, repealed, made + rng.randint(0, int(50 * busy))]}
        for label in ("行政许可", "行政处罚", "行政强制"):
            fig.table2[label] = [rng.randint(0, int(500 * busy))]
        fig.table2["行政事业性收费"] = [round(rng.choice([0, 0, rng.uniform(0.5, 300 * busy)]), 2)]

    rows = result_rows(fmt)
    per_column: list[dict[str, int]] = []
    for col in range(len(APPLICANTS)):
        # natural persons file most requests; organisations rarely do
        cap = int((25 if col == 0 else 3) * busy)
        new, carried = rng.randint(0, cap), rng.choice([0, 0, 0, 1]) if col == 0 else 0
        cells = {_row_key(g, i): 0 for g, i in rows}
        pending = new + carried
        forward = rng.randint(0, min(pending, 2)) if pending else 0
        weights = [6, 1] + [0.3] * 8 + [2, 0.5, 0.5] + [0.2] * 5 + [0.3] * (len(rows) - 18)
        for _ in range(pending - forward):
            g, i = rng.choices(rows, weights=weights)[0]
            cells[_row_key(g, i)] += 1
        cells.update({NEW: new, CARRIED: carried, TOTAL: pending - forward, FORWARD: forward})
        per_column.append(cells)
    for key in [NEW, CARRIED] + [_row_key(g, i) for g, i in rows] + [TOTAL, FORWARD]:
        values = [c[key] for c in per_column]
        fig.table3[key] = values + [sum(values)]

    for _ in range(3):
        block = [rng.choice([0, 0, 0, 1]) for _ in range(4)]
        fig.table4 += block + [sum(block)]
    return fig


def figures_from_json(data: dict) -> Figures:
    """Figures stored beside a seed text (the numbers its page printed)."""
    return Figures(data["fmt"], data["table2"], data["table3"], data["table4"])


@dataclass
class Cell:
    text: str
    header: bool = False
    rowspan: int = 1
    colspan: int = 1


def _num(value) -> str:
    return str(value)


def table2_rows(fig: Figures) -> list[list[Cell]]:
    """The cells of table 二, official layout: per block a caption row, a header row, data rows."""
    out = []
    for caption, heads, labels in TABLE2[fig.fmt]:
        out.append([Cell(caption, True, colspan=4)])
        # fewer value columns than 3: the last one spans the rest, as the template prints it
        span = 4 - len(heads)
        out.append([Cell("信息内容", True)] + [Cell(h, True, colspan=span if k == len(heads) - 1 else 1)
                                              for k, h in enumerate(heads)])
        for label in labels:
            values = fig.table2[label]
            out.append([Cell(label)] + [Cell(_num(v), colspan=span if k == len(values) - 1 else 1)
                                        for k, v in enumerate(values)])
    return out


def table3_rows(fig: Figures) -> list[list[Cell]]:
    """The cells of table 三 with the official 3-row header and rowspan'd result groups."""
    rows = result_rows(fig.fmt)
    out = [
        [Cell(BALANCE_NOTE, True, rowspan=3, colspan=3), Cell("申请人情况", True, colspan=7)],
        [Cell("自然人", True, rowspan=2), Cell("法人或其他组织", True, colspan=5), Cell("总计", True, rowspan=2)],
        [Cell(a, True) for a in APPLICANTS[1:]],
    ]

    def values(key):
        return [Cell(_num(v)) for v in fig.table3[key]]

    out.append([Cell(NEW, colspan=3)] + values(NEW))
    out.append([Cell(CARRIED, colspan=3)] + values(CARRIED))
    first = True
    for group, items in RESULT_GROUPS[fig.fmt]:
        lead = [Cell("三、本年度办理结果", rowspan=len(rows) + 1)] if first else []
        first = False
        if not items:
            out.append(lead + [Cell(group, colspan=2)] + values(group))
            continue
        for k, item in enumerate(items):
            head = [Cell(group, rowspan=len(items))] if k == 0 else []
            out.append((lead if k == 0 else []) + head + [Cell(item)] + values(item))
    out.append([Cell(TOTAL, colspan=2)] + values(TOTAL))
    out.append([Cell(FORWARD, colspan=3)] + values(FORWARD))
    return out


def table4_rows(fig: Figures) -> list[list[Cell]]:
    """The cells of table 四: 行政复议 and two 行政诉讼 blocks, 4 header rows, 15 numbers."""
    return [
        [Cell("行政复议", True, colspan=5), Cell("行政诉讼", True, colspan=10)],
        [Cell(o, True, rowspan=2) for o in OUTCOMES] + [Cell("未经复议直接起诉", True, colspan=5),
                                                         Cell("复议后起诉", True, colspan=5)],
        [Cell(o, True) for o in OUTCOMES] * 2,
        [Cell(_num(v)) for v in fig.table4],
    ]


TABLE_ROWS = {"table2": table2_rows, "table3": table3_rows, "table4": table4_rows}


def row_fragments(fig: Figures) -> list[str]:
    """Tab-joined row texts a faithful extractor yields for this report's tables (for must_contain)."""
    t2 = "行政处罚"   # present in both formats
    return [
        "\t".join([t2] + [_num(v) for v in fig.table2[t2]]),
        "\t".join([NEW] + [_num(v) for v in fig.table3[NEW]]),
        "\t".join([TOTAL] + [_num(v) for v in fig.table3[TOTAL]]),
        "\t".join([FORWARD] + [_num(v) for v in fig.table3[FORWARD]]),
        "\t".join(_num(v) for v in fig.table4),
    ]


def blank_figures(fmt: int) -> Figures:
    """Empty cells in every position: the tables as the format notice itself prints them."""
    fig = Figures(fmt)
    for _, heads, labels in TABLE2[fmt]:
        for label in labels:
            fig.table2[label] = [""] * len(heads)
    for key in [NEW, CARRIED] + [_row_key(g, i) for g, i in result_rows(fmt)] + [TOTAL, FORWARD]:
        fig.table3[key] = [""] * 7
    fig.table4 = [""] * 15
    return fig
