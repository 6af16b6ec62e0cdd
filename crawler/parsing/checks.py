"""The consistency rules (勾稽关系) of the standard tables, each reported with its status.

1. balance              per column: 一 + 二 = （七）总计 + 四 (the rule printed in the template)
2. results_sum          per column: （七）总计 = the sum of every result row
3. applicant_sum        per row:    总计 = the six applicant columns
4. review_litigation_sum per row of 表四: 总计 = 维持 + 纠正 + 其他 + 尚未审结
5. prose_vs_table       a figure the text states equals the table
6. carried_over_vs_last_year  (store-wide) this year's 二、上年结转 = last year's 四、结转下年度继续办理
7. active_within_total  per 表二 document row of the 2019 format: 本年新公开数量 ≤ 对外公开总数量
8. in_force_vs_last_year (store-wide) per 表二 document row of the 2021 format: last year's 现行有效件数 +
                        本年制发件数 = 本年现行有效件数 + 本年废止件数

A rule with a blank input is `not_assessable`, never `fail`: blanks are not zeros.  Its detail says
whether the rule would hold if the blanks were zeros, which is often what the report meant.
"""

from __future__ import annotations

from .template import APPLICANT_COLUMNS, APPLICANTS, OUTCOME_COLUMNS, RESULT_ROWS, REVIEW_ROWS, cell_at

Number = int | float


def _sum(values: list[Number | None]) -> Number:
    return sum(v for v in values if v is not None)


def _fmt(values: list[Number | None]) -> str:
    return "+".join("空" if v is None else str(v) for v in values)


def check(rule: str, left: list[Number | None], right: list[Number | None], detail: str, **where) -> dict:
    """Compare sum(left) (expected) with sum(right) (actual)."""
    expected, actual = _sum(left), _sum(right)
    blanks = sum(v is None for v in left + right)
    text = f"{detail}: {_fmt(left)} = {expected}; {_fmt(right)} = {actual}"
    if blanks:
        holds = "holds" if expected == actual else "fails"
        status = "not_assessable"
        text += f"; {blanks} blank cell{'s' if blanks > 1 else ''} (the rule {holds} if they are zeros)"
    else:
        status = "ok" if expected == actual else "fail"
    return {"rule": rule, **where, "status": status,
            "expected": expected if not blanks else None, "actual": actual if not blanks else None, "detail": text}


def table_checks(tables: dict, fmt: str) -> list[dict]:
    """Rules 1–4 on the tables of one report."""
    out: list[dict] = []
    apps = tables.get("applications")
    if apps:
        results = [r.key for r in RESULT_ROWS[fmt]]
        if fmt == "2021" and "other_processing" in apps:
            # （六）其他处理 printed as one row (a regional variant): it stands for the group's three sub-rows
            results = [k for k in results if not k.startswith("other_processing.")] + ["other_processing"]
        for col, label in APPLICANT_COLUMNS:
            def cell(row: str) -> Number | None:
                return apps.get(row, {}).get(col)
            out.append(check("balance", [cell("new_received"), cell("carried_over")],
                             [cell("total_processed"), cell("carried_forward")],
                             f"{label}: 一、本年新收 + 二、上年结转 vs （七）总计 + 四、结转下年度", column=col))
            out.append(check("results_sum", [cell(r) for r in results], [cell("total_processed")],
                             f"{label}: 办理结果各项之和 vs （七）总计", column=col))
        for row, cells in apps.items():
            out.append(check("applicant_sum", [cells.get(c) for c in APPLICANTS], [cells.get("total")],
                             f"{row}: 六类申请人之和 vs 总计", row=row))
    out += active_checks(tables.get("active") or {}, fmt)
    review = tables.get("review_litigation")
    if review:
        parts = [c for c, _ in OUTCOME_COLUMNS[:-1]]
        for row, label in REVIEW_ROWS:
            cells = review.get(row, {})
            out.append(check("review_litigation_sum", [cells.get(c) for c in parts], [cells.get("total")],
                             f"{label}: 维持+纠正+其他+尚未审结 vs 总计", row=row))
    return out


# 表二 rows of documents whose 2019-format columns are bounded: what was newly published this year is part
# of everything published (本年新公开数量 ≤ 对外公开总数量).  The 2021 columns (制发, 废止, 现行有效) have no
# rule inside one report.
_BOUNDED_ROWS = (("rules", "规章"), ("normative_docs", "规范性文件"))


def active_checks(active: dict, fmt: str) -> list[dict]:
    """Rule 7, 表二 of the 2019 format: active_within_total per document row."""
    out = []
    if fmt != "2019":
        return out
    for row, label in _BOUNDED_ROWS:
        cells = active.get(row) or {}
        new, total = cells.get("new_published"), cells.get("total_published")
        if "new_published" not in cells:
            continue
        detail = f"{label}: 本年新公开数量 {'空' if new is None else new} ≤ 对外公开总数量 {'空' if total is None else total}"
        if new is None or total is None:
            status = "not_assessable"
        else:
            status = "ok" if new <= total else "fail"
        out.append({"rule": "active_within_total", "row": row, "status": status,
                    "expected": total if status != "not_assessable" else None,
                    "actual": new if status != "not_assessable" else None, "detail": detail})
    return out


# prose figure -> the table cells it states (alternatives: any one matching is agreement)
PROSE_TABLE = {
    "applications_received": [["applications.new_received.total"],
                              ["applications.new_received.total", "applications.carried_over.total"]],
    "applications_answered": [["applications.total_processed.total"]],
    "carried_forward": [["applications.carried_forward.total"]],
    "carried_over": [["applications.carried_over.total"]],
    "review": [["review_litigation.review.total"]],
    "litigation": [["review_litigation.litigation_direct.total", "review_litigation.litigation_after_review.total"]],
}


def prose_checks(tables: dict, figures: dict[str, list[dict]]) -> list[dict]:
    """Rule 5: every statement of a figure the tables also hold."""
    out = []
    for key, alternatives in PROSE_TABLE.items():
        if not any(p.split(".", 1)[0] in tables for paths in alternatives for p in paths):
            continue        # the report has no such table: nothing to compare with
        for statement in figures.get(key, []):
            stated = statement["value"]
            sums = [sum(cells) for cells in ([cell_at(tables, p) for p in paths] for paths in alternatives)
                    if None not in cells]
            if not sums:
                status, actual = "not_assessable", None
            else:
                status = "ok" if stated in sums else "fail"
                actual = stated if status == "ok" else sums[0]
            out.append({"rule": "prose_vs_table", "figure": key, "status": status, "expected": stated,
                        "actual": actual, "detail": f"the text says “{statement['text']}”; the table says "
                        + ("blank" if not sums else " or ".join(str(v) for v in sums))})
    return out


def cross_year_checks(this: dict, last: dict) -> list[dict]:
    """Rule 6: this year's 二、上年结转 against last year's 四、结转下年度继续办理, per column; rule 8 where
    both reports print the 2021 表二: last year's 现行有效件数 + 本年制发 = 本年现行有效 + 本年废止."""
    now = this.get("applications", {}).get("carried_over", {})
    before = last.get("applications", {}).get("carried_forward", {})
    out = [check("carried_over_vs_last_year", [before.get(col)], [now.get(col)],
                 f"{label}: 上年 四、结转下年度 vs 本年 二、上年结转", column=col)
           for col, label in APPLICANT_COLUMNS]
    for row, label in _BOUNDED_ROWS:
        cells, previous = this.get("active", {}).get(row) or {}, last.get("active", {}).get(row) or {}
        if "in_force" in cells and "in_force" in previous:
            out.append(check("in_force_vs_last_year", [previous.get("in_force"), cells.get("issued")],
                             [cells.get("in_force"), cells.get("repealed")],
                             f"{label}: 上年现行有效件数 + 本年制发件数 vs 本年现行有效件数 + 本年废止件数", row=row))
    return out
