"""The national report format (国办公开办函〔2019〕60号, revised by 〔2021〕30号): canonical keys and labels.

Every table cell nianbao reports has a canonical key (`applications.withheld.state_secret.total`…),
named once here with the Chinese label the template prints.  The table reader, the checks, the export
columns and the published JSON Schema are all derived from these definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMATS = ("2019", "2021", "pre-2019", "unknown")

# -- 表三 收到和处理政府信息公开申请情况 ------------------------------------------------------------------

APPLICANT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("public_interest", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other_org", "其他"),
    ("total", "总计"),
)
APPLICANTS = tuple(key for key, _ in APPLICANT_COLUMNS[:-1])


@dataclass(frozen=True)
class Row:
    """One data row of a table: its key, the label the template prints, and the words that identify a
    damaged or reworded label (any one of `words` appearing in the label is enough)."""

    key: str
    label: str
    words: tuple[str, ...]
    group: str | None = None        # the （三）…（六） group an item row belongs to
    item: int | None = None         # its number inside the group (1.属于国家秘密 → 1)


# Groups of 三、本年度办理结果 by their printed number: （三）不予公开 → withheld …
GROUPS = {"三": ("withheld", "（三）不予公开"), "四": ("unable", "（四）无法提供"),
          "五": ("not_processed", "（五）不予处理"), "六": ("other_processing", "（六）其他处理")}

_HEAD_ROWS = (
    Row("new_received", "一、本年新收政府信息公开申请数量", ("本年新收", "新收政府信息")),
    Row("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转",)),
)
_OPEN_ROWS = (
    Row("disclosed", "（一）予以公开", ("予以公开",)),
    Row("partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开", "区分处理")),
)


def _items(group: str, entries: tuple[tuple[str, str, tuple[str, ...]], ...]) -> tuple[Row, ...]:
    return tuple(Row(f"{group}.{key}", label, words, group, n) for n, (key, label, words) in enumerate(entries, 1))


_WITHHELD = _items("withheld", (
    ("state_secret", "1.属于国家秘密", ("国家秘密",)),
    ("prohibited_by_law", "2.其他法律行政法规禁止公开", ("禁止公开", "法律行政法规")),
    ("security_stability", "3.危及“三安全一稳定”", ("三安全", "一稳定")),
    ("third_party", "4.保护第三方合法权益", ("第三方",)),
    ("internal_affairs", "5.属于三类内部事务信息", ("内部事务",)),
    ("process_info", "6.属于四类过程性信息", ("过程性",)),
    ("enforcement_file", "7.属于行政执法案卷", ("执法案卷",)),
    ("admin_query", "8.属于行政查询事项", ("查询事项",)),
))
_UNABLE = _items("unable", (
    ("not_held", "1.本机关不掌握相关政府信息", ("不掌握",)),
    ("needs_creation", "2.没有现成信息需要另行制作", ("另行制作", "没有现成")),
    ("still_unclear", "3.补正后申请内容仍不明确", ("仍不明确", "补正后")),
))
_NOT_PROCESSED = _items("not_processed", (
    ("petition_complaint", "1.信访举报投诉类申请", ("信访", "举报投诉")),
    ("repeated", "2.重复申请", ("重复申请",)),
    ("publication", "3.要求提供公开出版物", ("出版物",)),
    ("massive_repeated", "4.无正当理由大量反复申请", ("大量反复",)),
    ("confirm_reissue", "5.要求行政机关确认或重新出具已获取信息", ("重新出具", "确认或")),
))
_OTHER_2021 = _items("other_processing", (
    ("overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ("逾期不补正", "不补正")),
    ("overdue_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ("收费通知", "缴纳费用")),
    ("other", "3.其他", ("其他",)),
))
_OTHER_2019 = Row("other_processing", "（六）其他处理", ("其他处理",))
_TAIL_ROWS = (
    Row("total_processed", "（七）总计", ("总计",)),
    Row("carried_forward", "四、结转下年度继续办理", ("结转下年度", "下年度继续")),
)

RESULT_ROWS = {
    "2019": _OPEN_ROWS + _WITHHELD + _UNABLE + _NOT_PROCESSED + (_OTHER_2019,),
    "2021": _OPEN_ROWS + _WITHHELD + _UNABLE + _NOT_PROCESSED + _OTHER_2021,
}
APPLICATION_ROWS = {fmt: _HEAD_ROWS + rows + _TAIL_ROWS for fmt, rows in RESULT_ROWS.items()}

# -- 表四 政府信息公开行政复议、行政诉讼情况 ---------------------------------------------------------------

OUTCOME_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计"),
)
REVIEW_ROWS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼·未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼·复议后起诉"),
)

# -- 表二 主动公开政府信息情况 (each format kept as printed) -------------------------------------------------


@dataclass(frozen=True)
class ActiveRow:
    key: str
    label: str
    words: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]     # (key, label) in printed order
    caption: str                              # 第二十条第（X）项


_C2019_DOCS = (("new_made", "本年新制作数量"), ("new_published", "本年新公开数量"), ("total_published", "对外公开总数量"))
_C2019_ITEMS = (("prev_year", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量"))
_C2021_DOCS = (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
_C2021_DECISIONS = (("decisions", "本年处理决定数量"),)

ACTIVE_ROWS = {
    "2019": (
        ActiveRow("rules", "规章", ("规章",), _C2019_DOCS, "第二十条第（一）项"),
        ActiveRow("normative_docs", "规范性文件", ("规范性文件",), _C2019_DOCS, "第二十条第（一）项"),
        ActiveRow("licensing", "行政许可", ("行政许可",), _C2019_ITEMS, "第二十条第（五）项"),
        ActiveRow("other_services", "其他对外管理服务事项", ("对外管理", "管理服务"), _C2019_ITEMS, "第二十条第（五）项"),
        ActiveRow("penalty", "行政处罚", ("行政处罚",), _C2019_ITEMS, "第二十条第（六）项"),
        ActiveRow("enforcement", "行政强制", ("行政强制",), _C2019_ITEMS, "第二十条第（六）项"),
        ActiveRow("fees", "行政事业性收费", ("事业性收费",), _C2019_ITEMS[:2], "第二十条第（八）项"),
        ActiveRow("procurement", "政府集中采购", ("集中采购",), (("projects", "采购项目数量"), ("amount", "采购总金额")),
                  "第二十条第（九）项"),
    ),
    "2021": (
        ActiveRow("rules", "规章", ("规章",), _C2021_DOCS, "第二十条第（一）项"),
        ActiveRow("normative_docs", "行政规范性文件", ("规范性文件",), _C2021_DOCS, "第二十条第（一）项"),
        ActiveRow("licensing", "行政许可", ("行政许可",), _C2021_DECISIONS, "第二十条第（五）项"),
        ActiveRow("penalty", "行政处罚", ("行政处罚",), _C2021_DECISIONS, "第二十条第（六）项"),
        ActiveRow("enforcement", "行政强制", ("行政强制",), _C2021_DECISIONS, "第二十条第（六）项"),
        ActiveRow("fees", "行政事业性收费", ("事业性收费",), (("amount_10k_yuan", "本年收费金额（单位：万元）"),),
                  "第二十条第（八）项"),
    ),
}
# Money cells: read as decimals, never rounded.
MONEY_CELLS = {("procurement", "amount"), ("fees", "amount_10k_yuan")}
# Signed cells (本年增/减).
SIGNED_CELLS = {("licensing", "change"), ("other_services", "change"), ("penalty", "change"),
                ("enforcement", "change"), ("fees", "change")}

# Header words that say which format a table 二 is in (the labels, not the year, decide).
FORMAT_WORDS = {
    "2019": ("新制作", "新公开数量", "对外公开总数", "上一年项目", "本年增", "采购项目", "采购总金额", "其他对外管理"),
    "2021": ("制发件数", "废止件数", "现行有效", "本年处理决定", "本年收费金额", "逾期不补正", "收费通知"),
}


def application_keys(fmt: str) -> list[str]:
    return [row.key for row in APPLICATION_ROWS[fmt]]


def cell_paths(fmt: str) -> list[str]:
    """Every canonical cell of a format, as dotted paths (`applications.new_received.total`), in printed order."""
    paths = [f"active.{row.key}.{col}" for row in ACTIVE_ROWS[fmt] for col, _ in row.columns]
    paths += [f"applications.{row.key}.{col}" for row in APPLICATION_ROWS[fmt] for col, _ in APPLICANT_COLUMNS]
    paths += [f"review_litigation.{row}.{col}" for row, _ in REVIEW_ROWS for col, _ in OUTCOME_COLUMNS]
    return paths


def split_path(path: str) -> tuple[str, str, str]:
    """(table, row, column) of a dotted cell path; row keys may hold dots themselves (withheld.state_secret)."""
    table, rest = path.split(".", 1)
    row, col = rest.rsplit(".", 1)
    return table, row, col


def cell_at(tables: dict, path: str):
    """The value of a dotted cell path in parsed tables (None when the table, row or cell is absent)."""
    table, row, col = split_path(path)
    return tables.get(table, {}).get(row, {}).get(col)


def all_cell_paths() -> list[str]:
    """The union of both formats' cells, 2019 order first, for export columns."""
    seen: dict[str, None] = {}
    for fmt in ("2019", "2021"):
        for path in cell_paths(fmt):
            seen.setdefault(path, None)
    return list(seen)


def cell_labels() -> dict[str, str]:
    """Dotted path -> Chinese label (table · row · column), for the schema and export headers."""
    labels: dict[str, str] = {}
    for fmt in ("2019", "2021"):
        for row in ACTIVE_ROWS[fmt]:
            for col, col_label in row.columns:
                labels.setdefault(f"active.{row.key}.{col}", f"表二·{row.label}·{col_label}")
        for row in APPLICATION_ROWS[fmt]:
            for col, col_label in APPLICANT_COLUMNS:
                labels.setdefault(f"applications.{row.key}.{col}", f"表三·{row.label}·{col_label}")
    for row, row_label in REVIEW_ROWS:
        for col, col_label in OUTCOME_COLUMNS:
            labels[f"review_litigation.{row}.{col}"] = f"表四·{row_label}·{col_label}"
    return labels
