"""The parsing stage on its own: cells, the table reader, the checks, sections, format detection, schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from crawler.parsing.cells import read_cell
from crawler.parsing.checks import cross_year_checks, table_checks
from crawler.parsing.report import parse_text
from crawler.parsing.schema import parsed_schema
from crawler.parsing.tables import read_tables
from crawler.parsing.template import APPLICATION_ROWS, all_cell_paths, cell_labels, cell_paths
from replica.corpus import seed_file

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "replica" / "data"
def _seed(prefix: str) -> str:
    """A seed text as captured, from the copies bundled with the replica (replica.corpus.seed_file):
    a missing seed is an error, never a skip."""
    return seed_file(prefix).read_text("utf-8")


# -- cells -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("printed, value", [
    ("0", 0), (" 12 ", 12), ("１２", 12), ("1,256", 1256), ("+1036", 1036), ("-3", -3), ("－3", -3),
    ("251000元", 251000), ("12.35", 12.35), ("0.5万元", 0.5), ("3件", 3),
])
def test_numbers_are_read_with_their_sign_and_unit(printed, value):
    cell = read_cell(printed)
    assert cell is not None and cell.value == value and type(cell.value) is type(value)
    assert cell.printed == printed.strip()


@pytest.mark.parametrize("printed", ["/", "／", "—", "——", "-", "－", "空", "", "无"])
def test_blank_marks_are_null_never_zero(printed):
    cell = read_cell(printed)
    assert cell is not None and cell.value is None and cell.differs


@pytest.mark.parametrize("text", ["自然人", "（一）予以公开", "2020年", "12%", "第二十条第（一）项", "1.属于国家秘密"])
def test_labels_and_other_text_are_not_cells(text):
    assert read_cell(text) is None


# -- template ----------------------------------------------------------------------------------------------

def test_template_cell_counts_match_the_national_formats():
    # 表二 22 cells (2019) / 10 (2021); 表三 23 rows (2019) / 25 (2021) x 7; 表四 15
    assert len(cell_paths("2019")) == 22 + 23 * 7 + 15
    assert len(cell_paths("2021")) == 10 + 25 * 7 + 15
    assert len(APPLICATION_ROWS["2019"]) == 23 and len(APPLICATION_ROWS["2021"]) == 25
    labels = cell_labels()
    assert set(labels) == set(all_cell_paths())
    assert labels["applications.withheld.security_stability.natural_person"] == "表三·3.危及“三安全一稳定”·自然人"
    assert labels["active.fees.amount_10k_yuan"].endswith("本年收费金额（单位：万元）")


def test_published_schema_is_the_generated_one():
    published = json.loads((REPO / "crawler" / "schema" / "parsed.schema.json").read_text("utf-8"))
    assert published == parsed_schema(), "run: python -m crawler.parsing.schema > crawler/schema/parsed.schema.json"
    jsonschema.Draft202012Validator.check_schema(published)


# -- seed 004: the flattened table as copy-paste gives it ----------------------------------------------------

def test_flattened_seed_004_is_read_by_the_template():
    parsed = parse_text(_seed("004"))
    jsonschema.validate(parsed, parsed_schema())
    assert parsed["format"] == "2019"
    assert parsed["title"] == "横河镇人民政府2020年政府信息公开工作年度报告"
    assert parsed["year"] == 2020 and parsed["published"] == "2021-01-20"
    active = parsed["tables"]["active"]
    assert active["other_services"] == {"prev_year": 112, "change": 0, "decisions": 236}
    assert active["penalty"] == {"prev_year": 5, "change": 0, "decisions": 0}
    assert active["enforcement"] == {"prev_year": 6, "change": 0, "decisions": 0}
    assert active["fees"] == {"prev_year": 0, "change": 0}          # its header lost the 减 of 本年增/减
    assert active["procurement"] == {"projects": 2, "amount": 167900}
    apps = parsed["tables"]["applications"]
    assert list(apps) == [r.key for r in APPLICATION_ROWS["2019"]]
    assert all(v == 0 for row in apps.values() for v in row.values())
    review = parsed["tables"]["review_litigation"]
    assert all(v == 0 for row in review.values() for v in row.values()) and len(review) == 3
    assert parsed["warnings"] == []
    assert {c["status"] for c in parsed["checks"]} == {"ok"}
    rules = {c["rule"] for c in parsed["checks"]}
    assert {"balance", "results_sum", "applicant_sum", "review_litigation_sum", "prose_vs_table"} <= rules
    headings = [s["heading"] for s in parsed["sections"] if s["heading"]]
    assert headings == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    # the tables are not repeated inside the sections' prose
    assert not any("属于国家秘密" in s["text"] for s in parsed["sections"])


def _flat(labels_values: list) -> str:
    return "\n\n".join(str(x) for x in labels_values)


def test_damaged_labels_still_find_their_rows():
    text = _flat(["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "总计",
                  "一、本年新收政府信息公开申请", 3, 0, 0, 0, 0, 0, 3,       # 数量 lost
                  "二、上年结转政府信息公开申请数", 1, 0, 0, 0, 0, 0, 1,
                  "三、本年度办理结果", "(一)予以公", 2, 0, 0, 0, 0, 0, 2,      # 开 lost
                  "(三)不予公开", "1.属于国家秘", 1, 0, 0, 0, 0, 0, 1,
                  "(七)总", 3, 0, 0, 0, 0, 0, 3,
                  "四、结转下年度继续办", 1, 0, 0, 0, 0, 0, 1])
    apps = read_tables(text.split("\n")).tables["applications"]
    assert apps["new_received"]["total"] == 3 and apps["carried_over"]["natural_person"] == 1
    assert apps["disclosed"]["total"] == 2 and apps["withheld.state_secret"]["total"] == 1
    assert apps["total_processed"]["total"] == 3 and apps["carried_forward"]["total"] == 1
    assert apps["partially_disclosed"]["total"] is None           # a row the text does not have stays blank


def test_a_row_with_too_few_values_is_left_blank_and_reported():
    text = _flat(["申请人情况", "一、本年新收政府信息公开申请数量", 3, 0, 0, 3,
                  "二、上年结转政府信息公开申请数量", 0, 0, 0, 0, 0, 0, 0])
    read = read_tables(text.split("\n"))
    apps = read.tables["applications"]
    assert set(apps["new_received"].values()) == {None}
    assert apps["carried_over"]["total"] == 0
    assert any("4 values for 7 columns" in w for w in read.warnings)


def test_html_table_rows_keep_blank_cells_in_place():
    rows = ["申请人情况", "\t".join(["一、本年新收政府信息公开申请数量", "5", "", "/", "0", "0", "0", "5"]),
            "\t".join(["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"])]
    read = read_tables(rows)
    apps = read.tables["applications"]
    assert apps["new_received"] == {"natural_person": 5, "business": None, "research": None, "public_interest": 0,
                                    "legal_service": 0, "other_org": 0, "total": 5}
    assert read.printed == {"applications.new_received.business": "", "applications.new_received.research": "/"}


def test_subtotal_variant_of_table_three_is_read():
    rows = ["申请人情况", "自然人\t法人或其他组织\t小计\t总计",
            "\t".join(["一、本年新收政府信息公开申请数量", "5", "1", "0", "0", "0", "1", "2", "7"])]
    apps = read_tables(rows).tables["applications"]
    assert apps["new_received"]["other_org"] == 1 and apps["new_received"]["total"] == 7


# -- checks --------------------------------------------------------------------------------------------------

def _apps(fmt: str, fill: int = 0) -> dict:
    return {r.key: {c: fill for c in ("natural_person", "business", "research", "public_interest", "legal_service",
                                      "other_org", "total")} for r in APPLICATION_ROWS[fmt]}


def test_each_rule_fails_in_the_right_place_and_blanks_are_not_assessable():
    apps = _apps("2021")
    for row in ("new_received", "disclosed", "total_processed"):
        apps[row]["natural_person"] = apps[row]["total"] = 4
    apps["disclosed"]["natural_person"] = 3               # results no longer sum; the row no longer adds up
    apps["unable.not_held"]["research"] = None            # a blank: its rules cannot be assessed
    review = {r: {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
              for r in ("review", "litigation_direct", "litigation_after_review")}
    review["litigation_direct"]["total"] = 2
    checks = table_checks({"applications": apps, "review_litigation": review}, "2021")
    failed = {(c["rule"], c.get("column") or c.get("row")) for c in checks if c["status"] == "fail"}
    assert failed == {("results_sum", "natural_person"), ("applicant_sum", "disclosed"),
                      ("review_litigation_sum", "litigation_direct")}
    blank = {(c["rule"], c.get("column") or c.get("row")) for c in checks if c["status"] == "not_assessable"}
    assert blank == {("results_sum", "research"), ("applicant_sum", "unable.not_held")}
    fail = next(c for c in checks if c["rule"] == "results_sum" and c.get("column") == "natural_person")
    assert (fail["expected"], fail["actual"]) == (3, 4)
    na = next(c for c in checks if c["rule"] == "applicant_sum" and c.get("row") == "unable.not_held")
    assert na["expected"] is None and "holds if they are zeros" in na["detail"]


def test_balance_rule_is_per_column():
    apps = _apps("2019")
    apps["new_received"]["business"] = apps["new_received"]["total"] = 2
    apps["carried_forward"]["business"] = apps["carried_forward"]["total"] = 1     # 2 + 0 != 0 + 1
    failed = {(c["rule"], c.get("column")) for c in table_checks({"applications": apps}, "2019")
              if c["status"] == "fail" and c["rule"] == "balance"}
    assert failed == {("balance", "business"), ("balance", "total")}


def test_cross_year_rule_compares_carried_over_with_last_years_carried_forward():
    last, this = _apps("2019"), _apps("2021")
    last["carried_forward"]["natural_person"] = 2
    this["carried_over"]["natural_person"] = 1
    this["carried_over"]["business"] = None
    checks = cross_year_checks({"applications": this}, {"applications": last})
    status = {c["column"]: c["status"] for c in checks}
    assert status["natural_person"] == "fail" and status["business"] == "not_assessable"
    assert status["total"] == "ok"


def test_prose_figure_disagreeing_with_the_table_fails():
    text = _seed("004").replace("共接到依申请公开办件0件", "共接到依申请公开办件3件")
    checks = [c for c in parse_text(text)["checks"] if c["rule"] == "prose_vs_table"]
    assert checks and checks[0]["figure"] == "applications_received"
    assert checks[0]["status"] == "fail" and checks[0]["expected"] == 3 and checks[0]["actual"] == 0


# -- formats ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["000", "002"])
def test_pre_2019_prose_reports_have_no_tables_but_figures(prefix):
    parsed = parse_text(_seed(prefix))
    assert parsed["format"] == "pre-2019"
    assert parsed["tables"] == {} and parsed["checks"] == []
    assert parsed["prose_figures"]["active_disclosed"]
    assert len([s for s in parsed["sections"] if s["heading"]]) >= 6


def test_seed_003_a_2019_report_that_ignores_the_template_is_prose():
    parsed = parse_text(_seed("003"))
    assert parsed["format"] == "pre-2019" and parsed["year"] == 2019 and parsed["tables"] == {}


@pytest.mark.parametrize("flattened", [False, True])
def test_a_format_notice_has_every_label_but_no_tables(flattened):
    import datetime as dt

    from replica.reports import Report, load_blocks, text_lines
    from replica.tables import blank_figures

    notice = Report(title="国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知",
                    agency=None, year=None, published=dt.date(2021, 9, 29), source="", kind="lookalike",
                    blocks=load_blocks("notice_format_2021.txt"), figures=blank_figures(2021))
    lines = text_lines(notice)
    if flattened:
        lines = [cell for line in lines for cell in line.split("\t") if cell]
    parsed = parse_text("\n".join(lines))
    assert (sum("\t" in line for line in lines) > 30) != flattened
    assert parsed["format"] == "unknown" and parsed["tables"] == {} and parsed["checks"] == []
    assert parsed["printed"] == {}
