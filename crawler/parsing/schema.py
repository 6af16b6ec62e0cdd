"""The JSON Schema of a parsed report, generated from the template (every canonical key with its label).

`python -m crawler.parsing.schema > crawler/schema/parsed.schema.json` regenerates the published
file; a test keeps the two equal.
"""

from __future__ import annotations

import json
import sys

from .template import (ACTIVE_ROWS, APPLICANT_COLUMNS, APPLICATION_ROWS, FORMATS, MONEY_CELLS, OUTCOME_COLUMNS,
                       REVIEW_ROWS, SIGNED_CELLS)

_INT_OR_NULL = {"type": ["integer", "null"]}
_NUMBER_OR_NULL = {"type": ["number", "null"]}


def _row_object(columns: list[tuple[str, str, dict]], title: str) -> dict:
    return {"type": "object", "title": title, "additionalProperties": False,
            "properties": {key: {**kind, "title": label} for key, label, kind in columns}}


def _active() -> dict:
    rows: dict[str, dict] = {}
    for fmt in ("2019", "2021"):
        for row in ACTIVE_ROWS[fmt]:
            columns = []
            for col, label in row.columns:
                kind = _NUMBER_OR_NULL if (row.key, col) in MONEY_CELLS else _INT_OR_NULL
                note = "（带符号）" if (row.key, col) in SIGNED_CELLS else ""
                columns.append((col, f"{label}{note}", kind))
            entry = rows.setdefault(row.key, _row_object([], f"{row.label}（{row.caption}）"))
            entry["properties"].update(_row_object(columns, "")["properties"])
            if not entry["title"].startswith(row.label):
                entry["title"] += f"；2021格式：{row.label}"
    return {"type": "object", "title": "表二 主动公开政府信息情况（2019、2021格式各按原样）",
            "additionalProperties": False, "properties": rows}


def _applications() -> dict:
    columns = [(key, label, _INT_OR_NULL) for key, label in APPLICANT_COLUMNS]
    rows = {}
    for fmt in ("2019", "2021"):
        for row in APPLICATION_ROWS[fmt]:
            rows.setdefault(row.key, _row_object(columns, row.label))
    return {"type": "object", "title": "表三 收到和处理政府信息公开申请情况", "additionalProperties": False,
            "properties": rows}


def _review() -> dict:
    columns = [(key, label, _INT_OR_NULL) for key, label in OUTCOME_COLUMNS]
    return {"type": "object", "title": "表四 政府信息公开行政复议、行政诉讼情况", "additionalProperties": False,
            "properties": {key: _row_object(columns, label) for key, label in REVIEW_ROWS}}


_CHECK = {
    "type": "object",
    "required": ["rule", "status", "expected", "actual", "detail"],
    "properties": {
        "rule": {"enum": ["balance", "results_sum", "applicant_sum", "review_litigation_sum", "prose_vs_table",
                          "carried_over_vs_last_year", "active_within_total", "in_force_vs_last_year"]},
        "column": {"type": "string"}, "row": {"type": "string"}, "figure": {"type": "string"},
        "status": {"enum": ["ok", "fail", "not_assessable"]},
        "expected": _NUMBER_OR_NULL, "actual": _NUMBER_OR_NULL, "detail": {"type": "string"},
    },
}


_STRINGS_OR_NULL = {"type": ["array", "null"], "items": {"type": "string"}}
_AUDIT = {
    "type": "object", "title": "审计指标（本报告自身可知的部分；重复率见 parsed/audit.jsonl）",
    "properties": {
        "level": {"enum": ["government", "department", "township", None],
                  "title": "机关层级：县级以上人民政府 / 县级以上人民政府部门 / 乡镇人民政府、街道办事处"},
        "deadline": {"type": ["string", "null"], "title": "法定公布期限（YYYY-MM-DD；乡镇、街道无全国性期限时为 null）"},
        "deadline_basis": {"type": "string", "title": "期限依据"},
        "on_time": {"type": ["boolean", "null"], "title": "是否按期公布"},
        "days_late": {"type": ["integer", "null"], "title": "逾期天数"},
        "sections_present": {**_STRINGS_OR_NULL, "title": "已有的必备章节"},
        "sections_missing": {**_STRINGS_OR_NULL, "title": "缺少的必备章节"},
        "failing": {"type": "array", "items": {"type": "string"}, "title": "未通过的校验（规则[列]）"},
    },
}


def parsed_schema() -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://nianbao.invalid/schema/parsed.schema.json",
        "title": "nianbao parsed report",
        "description": "One report parsed by `nianbao parse`: cells are integers (decimals for money, signed for "
                       "本年增/减) or null when the report leaves them blank or prints /, —, -, 空.",
        "type": "object",
        "required": ["format", "title", "agency", "year", "published", "sections", "tables", "checks",
                     "prose_figures"],
        "properties": {
            "id": {"type": "string", "title": "feed report id (store parsing only)"},
            "url": {"type": ["string", "null"]},
            "parser_version": {"type": "integer"},
            "format": {"enum": list(FORMATS)},
            "title": {"type": ["string", "null"]},
            "agency": {"type": ["string", "null"]},
            "year": {"type": ["integer", "null"]},
            "published": {"type": ["string", "null"]},
            "sections": {"type": "array", "items": {"type": "object", "required": ["heading", "text"],
                                                     "properties": {"heading": {"type": "string"},
                                                                    "text": {"type": "string"}}}},
            "tables": {"type": "object", "additionalProperties": False,
                       "properties": {"active": _active(), "applications": _applications(),
                                      "review_litigation": _review()}},
            "printed": {"type": "object", "title": "dotted cell path -> the string printed where it says more "
                                                    "than the value (\"251000元\", \"+3\", \"/\")",
                        "additionalProperties": {"type": "string"}},
            "inferred": {"type": "object", "title": "dotted cell path -> true: a cell split out of digits the report ran "
                                                     "together (\"…申请数量532000055\"), where the row's column count and "
                                                     "the 勾稽 rules left exactly one split; the rules that chose it hold "
                                                     "on it by construction",
                         "additionalProperties": {"const": True}},
            "variants": {"type": "object", "title": "dotted row path -> what the report printed instead of the "
                                                    "template's rows (applications.other_processing: （六）其他处理 as one "
                                                    "row in a 2021 table, whose three sub-rows are then absent)",
                         "additionalProperties": {"type": "string"}},
            "checks": {"type": "array", "items": _CHECK},
            "prose_figures": {"type": "object", "additionalProperties": {
                "type": "array", "items": {"type": "object", "required": ["value", "text", "sentence"],
                                           "properties": {"value": {"type": "number"},
                                                          "unit": {"type": ["string", "null"]},
                                                          "text": {"type": "string"},
                                                          "sentence": {"type": "string"},
                                                          "negated": {"type": "boolean"},
                                                          "source": {"enum": ["table"], "title": "read from a "
                                                                     "pre-2019 statistics table (指标名称 | 计量单位 | "
                                                                     "本年度 …), not the prose"},
                                                          "inferred": {"const": True, "title": "split out of "
                                                                       "digits the table ran together; the "
                                                                       "one split left"}}}}},
            "warnings": {"type": "array", "items": {"type": "string"}},
            "tables_from": {"type": ["string", "null"]},
            "ocr": {"type": "boolean"},
            "ocr_confidence": {"type": ["number", "null"]},
            "audit": _AUDIT,
        },
    }


def main() -> None:
    json.dump(parsed_schema(), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
