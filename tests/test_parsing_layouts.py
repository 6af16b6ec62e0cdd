"""The table reader on the layouts of real published reports, from short hand-made texts: a PDF's text
layer (one line per row, figures separated by spaces, vertical group labels, wrapped labels, page
numbers), digits run together (split only where exactly one split fits, marked inferred), the
single-row （六）其他处理, a 表四 whose totals were left 0, a text tool's column-by-column dump, the
pre-2019 statistics table, and `nianbao parse -` on such text."""

from __future__ import annotations

import json
import subprocess

import jsonschema
import pytest

from crawler.parsing.checks import cross_year_checks
from crawler.parsing.report import parse_text
from crawler.parsing.schema import parsed_schema
from crawler.parsing.tables import applicant_splits, read_tables, review_splits
from crawler.parsing.template import APPLICATION_ROWS, APPLICANT_COLUMNS
from tests.conftest import NIANBAO, REPO

COLUMNS = [c for c, _ in APPLICANT_COLUMNS]
LABELS = {r.key: r.label for r in APPLICATION_ROWS["2021"]}
HEAD_2021 = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容 本年制发件数 本年废止件数 现行有效件数",
             "规章 0 0 0", "行政规范性文件 3 0 8", "第二十条第（八）项", "信息内容 本年收费金额（单位：万元）",
             "行政事业性收费 96.35", "三、收到和处理政府信息公开申请情况",
             "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况",
             "自然人 法人或其他组织 总 计", "商业 科研 社会 法律 其他", "企业 机构 公益 服务"]
TAIL = ["五、存在的主要问题及改进情况", "依申请公开工作规范性还有待提高。"]


def _row(*parts: int) -> list[int]:
    """Six applicant columns and their total."""
    return list(parts) + [sum(parts)]


def figures_2021() -> dict[str, list[int]]:
    """A consistent 2021 表三 (every rule holds)."""
    rows = {key: _row(0, 0, 0, 0, 0, 0) for key in LABELS}
    rows["disclosed"] = _row(27, 1, 0, 0, 1, 0)
    rows["partially_disclosed"] = _row(5, 0, 0, 0, 0, 0)
    rows["withheld.state_secret"] = _row(1, 0, 0, 0, 0, 0)
    rows["unable.not_held"] = _row(10, 0, 0, 0, 0, 0)
    rows["unable.needs_creation"] = _row(3, 0, 0, 0, 0, 0)
    rows["other_processing.other"] = _row(1, 0, 0, 0, 0, 0)
    results = [k for k in LABELS if k not in ("new_received", "carried_over", "total_processed", "carried_forward")]
    total = [sum(rows[k][c] for k in results) for c in range(7)]
    rows["total_processed"] = total
    rows["carried_forward"] = _row(1, 0, 0, 0, 0, 0)
    rows["carried_over"] = _row(2, 0, 0, 0, 0, 0)
    rows["new_received"] = [t + f - o for t, f, o in zip(total, rows["carried_forward"], rows["carried_over"])]
    return rows


def _spaced(values: list[int]) -> str:
    return " ".join(map(str, values))


def text_layer(rows: dict[str, list[int]]) -> list[str]:
    """表三 as pdfplumber's or poppler's text of a real PDF has it (the 洪泽区 2023 layout)."""
    label = {k: v.split("、", 1)[1] if k in ("new_received", "carried_over", "carried_forward") else v
             for k, v in LABELS.items()}
    lines = [f"一、{label['new_received']} {_spaced(rows['new_received'])}",
             f"二、{label['carried_over']} {_spaced(rows['carried_over'])}",
             f"三 （一）予以公开 {_spaced(rows['disclosed'])}",
             "（二）部分公开（区分处理的，只计这一情 形，不",                 # wrapped: figures between the lines
             _spaced(rows["partially_disclosed"]), "计其他情形）",
             _spaced(rows["withheld.state_secret"]), "1.属于国家秘密",       # figures on the line before
             f"、 2.其他法律行政止公开 {_spaced(rows['withheld.prohibited_by_law'])}",     # a damaged label
             f"本 3.危及“三安全一稳定” {_spaced(rows['withheld.security_stability'])}",
             f"年 4.保护第三方合法权益 {_spaced(rows['withheld.third_party'])}",
             "度 （三）不予公开",                                           # the group label beside its 5th row
             f"办 5.属于三类内部事务信息 {_spaced(rows['withheld.internal_affairs'])}",
             f"理 6.属于四类过程性信息 {_spaced(rows['withheld.process_info'])}",
             f"结 7.属于行政执法案卷 {_spaced(rows['withheld.enforcement_file'])}",
             f"果 8.属于行政查询事项 {_spaced(rows['withheld.admin_query'])}",
             _spaced(rows["unable.not_held"]), "1.本机关不掌握相关政府信息", "（四）无法提供",
             _spaced(rows["unable.needs_creation"]), "2.没有现成信息需要另行制作",
             "- 3 -",                                                      # the page break
             f"3.补正后申请内容仍不明确 {_spaced(rows['unable.still_unclear'])}",
             f"1.信访举报投诉类申请 {_spaced(rows['not_processed.petition_complaint'])}",
             f"2.重复申请 {_spaced(rows['not_processed.repeated'])}",
             f"3.要求提供公开出版物 {_spaced(rows['not_processed.publication'])}",
             "（五）不予处理", _spaced(rows["not_processed.massive_repeated"]), "4.无正当理由大量反复 申请",
             "5.要求行政机关确认或重 新出具", _spaced(rows["not_processed.confirm_reissue"]), "已获取信息",
             "1.申请人无正当理由逾期不补", f"正、行政机关不再处理其政府信 {_spaced(rows['other_processing.overdue_correction'])}",
             "息公开申请", "（六）其", "他处理",
             "2.申请人逾期未按收费通知要", f"求缴纳费用、行政机关不再处理 {_spaced(rows['other_processing.overdue_fee'])}",
             "其政府信息公开申请", f"3.其他 {_spaced(rows['other_processing.other'])}",
             f"（七）总计 {_spaced(rows['total_processed'])}",
             f"四、结转下年度继续办理 {_spaced(rows['carried_forward'])}"]
    return lines


def _table(read_or_parsed, name="applications"):
    tables = read_or_parsed["tables"] if isinstance(read_or_parsed, dict) else read_or_parsed.tables
    return {row: [cells[c] for c in COLUMNS] for row, cells in tables[name].items()}


def test_a_pdf_text_layer_with_vertical_wrapped_and_displaced_labels_is_read_cell_for_cell():
    rows = figures_2021()
    parsed = parse_text("\n".join(["某区人民政府2023年政府信息公开工作年度报告"] + HEAD_2021 + text_layer(rows) + TAIL))
    jsonschema.validate(parsed, parsed_schema())
    assert parsed["format"] == "2021" and parsed["warnings"] == []
    assert _table(parsed) == rows
    assert parsed["tables"]["active"]["fees"] == {"amount_10k_yuan": 96.35}
    assert parsed["inferred"] == {}       # figures printed apart are read, not inferred
    assert {c["status"] for c in parsed["checks"] if c["rule"] != "prose_vs_table"} == {"ok"}


def test_figures_printed_apart_from_their_labels_are_never_paired_by_position():
    """A text tool that read the table column by column: labels in one block, figures in another."""
    rows = figures_2021()
    labels = [LABELS[k] for k in LABELS]
    figures = [str(v) for k in LABELS for v in rows[k]]
    read = read_tables(HEAD_2021 + labels + figures + TAIL)
    assert not any(v is not None for row in read.tables.get("applications", {}).values() for v in row.values())
    assert any("apart from their row labels" in w for w in read.warnings)


# -- digits run together ----------------------------------------------------------------------------------

def _flattened(rows: dict[str, list[int]], glue=lambda key, values: "".join(map(str, values))) -> list[str]:
    return [f"{LABELS[key]}{glue(key, rows[key])}" for key in LABELS]


def test_digit_runs_are_split_where_one_split_fits_and_marked_inferred():
    rows = figures_2021()
    read = parse_text("\n".join(HEAD_2021 + _flattened(rows) + TAIL))
    assert read["format"] == "2021"       # not "pre-2019": the labels say which format
    assert _table(read) == rows
    assert set(read["inferred"]) == {f"applications.{k}.{c}" for k in LABELS for c in COLUMNS}
    assert read["warnings"] == []


def test_a_split_the_row_allows_twice_is_decided_by_the_column_rules():
    rows = figures_2021()
    rows["unable.not_held"] = _row(11, 0, 0, 0, 0, 0)          # "110000011": 11|0|…|11 or 1|10|…|11
    rows["total_processed"][0] += 1
    rows["total_processed"][6] += 1
    rows["new_received"][0] += 1
    rows["new_received"][6] += 1
    assert len(applicant_splits("110000011", 7)) == 2
    read = parse_text("\n".join(HEAD_2021 + _flattened(rows) + TAIL))
    assert _table(read)["unable.not_held"] == rows["unable.not_held"]      # only 11|0… keeps 一+二 = （七）+四
    assert read["warnings"] == []


def test_when_several_splits_fit_the_row_is_blank_and_the_warning_names_them():
    rows = figures_2021()
    # two rows with the same ambiguous run: 11|0|…|11 in one and 1|10|…|11 in the other, or the reverse,
    # hold every rule alike
    rows["unable.not_held"] = [11, 0, 0, 0, 0, 0, 11]
    rows["unable.needs_creation"] = [1, 10, 0, 0, 0, 0, 11]
    rows["total_processed"] = [sum(rows[k][c] for k in LABELS if k not in (
        "new_received", "carried_over", "total_processed", "carried_forward")) for c in range(7)]
    rows["new_received"] = [t + f - o for t, f, o in zip(rows["total_processed"], rows["carried_forward"],
                                                          rows["carried_over"])]
    read = parse_text("\n".join(HEAD_2021 + _flattened(rows) + TAIL))
    table = _table(read)
    for key in ("unable.not_held", "unable.needs_creation"):
        assert table[key] == [None] * 7
        warning = next(w for w in read["warnings"] if f"applications.{key}" in w)
        assert "split 2 ways" in warning and "11|0|0|0|0|0|11" in warning and "1|10|0|0|0|0|11" in warning
    assert not any(p.startswith("applications.unable.not_held") for p in read["inferred"])
    # the rules over those rows are not assessable; no figure was guessed
    assert all(c["status"] == "not_assessable" for c in read["checks"]
               if c["rule"] == "results_sum" and c["column"] in ("natural_person", "business", "total"))


def test_stray_spaces_inside_a_run_are_cuts_every_reading_makes():
    assert applicant_splits("23 10 00 0 033", 7) == [(23, 10, 0, 0, 0, 0, 33)]
    assert applicant_splits("2310 000033", 7) == [(23, 10, 0, 0, 0, 0, 33)]
    assert applicant_splits("0 0 0 0 0 00", 7) == [(0,) * 7]
    assert applicant_splits("5320000055", 7) == []          # no reading where 总计 is the sum


def test_table_four_run_together_is_split_by_its_row_sums_or_left_blank():
    assert review_splits("110021000120103") == [(1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3)]
    base = HEAD_2021 + _flattened(figures_2021())
    ok = parse_text("\n".join(base + ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼",
                                      "结果维持结果纠正其他结果尚未审结总计110021000120103"] + TAIL))
    assert ok["tables"]["review_litigation"]["litigation_after_review"] == {
        "upheld": 2, "corrected": 0, "other": 1, "pending": 0, "total": 3}
    assert "review_litigation.review.total" in ok["inferred"]
    # the 洪泽区 2023 figures (totals left 0 beside 10 and 1): no split holds, so nothing is guessed
    bad = parse_text("\n".join(base + ["四、政府信息公开行政复议、行政诉讼情况",
                                       "行政复议行政诉讼1010000000050000"] + TAIL))
    assert all(v is None for row in bad["tables"]["review_litigation"].values() for v in row.values())
    assert any("review_litigation.review" in w and "fit no split" in w for w in bad["warnings"])


# -- every check on every table ---------------------------------------------------------------------------

def test_table_four_totals_left_zero_beside_their_parts_fail_with_the_figures():
    base = HEAD_2021 + text_layer(figures_2021())
    header = ["四、政府信息公开行政复议、行政诉讼情况", "行政复议\t\t行政诉讼",
              "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉"]
    parsed = parse_text("\n".join(base + header + ["10 1 0 0 0 0 0 0 0 0 5 0 0 0 0"] + TAIL))
    failed = {c["row"]: c for c in parsed["checks"] if c["rule"] == "review_litigation_sum" and c["status"] == "fail"}
    assert set(failed) == {"review", "litigation_after_review"}
    assert (failed["review"]["expected"], failed["review"]["actual"]) == (11, 0)
    assert "10+1+0+0 = 11" in failed["review"]["detail"]
    assert parsed["warnings"] == []         # the header's spacer cell is not a 16th value


def test_single_row_other_processing_of_a_2021_table_is_kept_and_summed():
    rows = figures_2021()
    lines = HEAD_2021 + text_layer(rows)
    start = next(k for k, line in enumerate(lines) if line.startswith("1.申请人无正当理由"))
    end = next(k for k, line in enumerate(lines) if line.startswith("3.其他"))
    single = _row(1, 0, 0, 0, 0, 0)
    lines[start:end + 1] = [f"（六）其他处理\t\t{chr(9).join(map(str, single))}"]     # as the 洪泽区 PDF prints it
    parsed = parse_text("\n".join(lines + TAIL))
    apps = parsed["tables"]["applications"]
    assert [apps["other_processing"][c] for c in COLUMNS] == single
    assert not any(k.startswith("other_processing.") for k in apps)
    assert list(parsed["variants"]) == ["applications.other_processing"]
    assert {c["status"] for c in parsed["checks"] if c["rule"] == "results_sum"} == {"ok"}
    # the single row is counted: a wrong figure in it breaks results_sum in its column
    lines[start] = f"（六）其他处理\t\t{chr(9).join(map(str, _row(2, 0, 0, 0, 0, 0)))}"
    parsed = parse_text("\n".join(lines + TAIL))
    assert {c["column"] for c in parsed["checks"] if c["rule"] == "results_sum" and c["status"] == "fail"} == \
        {"natural_person", "total"}


# -- pre-2019 statistics table ------------------------------------------------------------------------------

STATS = """某县人民政府2016年政府信息公开工作年度报告
一、概述
2016年，我县认真贯彻《条例》，政府信息公开工作有序推进。
二、主动公开政府信息情况
全年主动公开政府信息841条。
三、依申请公开政府信息情况
具体情况见附表。
附表
{header}
一、主动公开情况
（一）主动公开政府信息数{sep}条{sep}841{sep}5620
其中：主动公开规范性文件数{sep}条{sep}12{sep}80
（一）收到申请数{sep}件{sep}23{sep}150
1.当面申请数{sep}件{sep}5{sep}40
（二）申请答复数{sep}件{sep}21{sep}148
三、行政复议数量{sep}件{sep}1{sep}3
四、行政诉讼数量{sep}件{sep}0{sep}1
五、举报投诉数量{sep}件{sep}{blank}{sep}2"""


@pytest.mark.parametrize("sep, blank", [("\t", ""), (" ", "/")], ids=["table-rows", "text-layer"])
def test_pre_2019_statistics_table_gives_the_prose_keys_with_the_table_as_source(sep, blank):
    header = sep.join(["指标名称", "计量单位", "本年度", "历年累计"])
    parsed = parse_text(STATS.format(header=header, sep=sep, blank=blank))
    jsonschema.validate(parsed, parsed_schema())
    assert parsed["format"] == "pre-2019" and parsed["tables"] == {}
    table = {k: [s["value"] for s in v if s.get("source") == "table"] for k, v in parsed["prose_figures"].items()}
    # the year's column, never 历年累计; 当面申请数 is a breakdown; a blank 举报投诉数量 is no figure
    assert {k: v for k, v in table.items() if v} == {
        "active_disclosed": [841], "active_normative_docs": [12], "applications_received": [23],
        "applications_answered": [21], "review": [1], "litigation": [0]}
    prose = [s for s in parsed["prose_figures"]["active_disclosed"] if "source" not in s]
    assert [s["value"] for s in prose] == [841]         # the prose's own statement stays beside it


# -- text another tool extracted ----------------------------------------------------------------------------

def test_parse_stdin_takes_another_tools_text_with_the_same_keys_and_warnings():
    rows = figures_2021()
    # a crawler's saved page text (the 平潭 page.txt): labelled header lines, then the body
    text = "\n".join(["标题: 某区人民政府2023年政府信息公开工作年度报告", "发布时间: 2024-01-20 16:34",
                      "=" * 20 + " 正文 " + "=" * 20] + HEAD_2021 + _flattened(rows) + TAIL)
    proc = subprocess.run([NIANBAO, "parse", "-", "--json"], input=text.encode("utf-8"), capture_output=True,
                          timeout=120, cwd=REPO)
    assert proc.returncode == 0, proc.stderr.decode()
    got = json.loads(proc.stdout)
    want = parse_text(text)
    for key in ("format", "tables", "inferred", "variants", "warnings", "checks"):
        assert got[key] == want[key], key
    assert got["format"] == "2021" and _table(got) == rows
    assert (got["title"], got["year"], got["published"]) == ("某区人民政府2023年政府信息公开工作年度报告", 2023, "2024-01-20")


def test_table_two_of_the_2019_format_is_checked_where_the_format_allows():
    lines = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
             "规章\t13\t13\t524", "规范性文件\t60\t60\t{total}"] + TAIL
    ok = parse_text("\n".join(lines).format(total=368))
    assert ok["format"] == "2019"
    assert {c["row"]: c["status"] for c in ok["checks"] if c["rule"] == "active_within_total"} == \
        {"rules": "ok", "normative_docs": "ok"}
    bad = parse_text("\n".join(lines).format(total=30))
    failed = [c for c in bad["checks"] if c["status"] == "fail"]
    assert [(c["rule"], c["row"], c["expected"], c["actual"]) for c in failed] == \
        [("active_within_total", "normative_docs", 30, 60)]
    blank = parse_text("\n".join(lines).format(total="/"))
    assert [c["status"] for c in blank["checks"] if c.get("row") == "normative_docs"] == ["not_assessable"]


def test_documents_in_force_carry_over_from_last_years_table_two():
    """The 洪泽区 reports: 5 行政规范性文件 in force at the end of 2023, 3 issued and 0 repealed in 2024, 8 in force."""
    def report(year: int, docs: str) -> dict:
        lines = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
                 "规章\t0\t0\t0", f"行政规范性文件\t{docs}"] + text_layer(figures_2021()) + TAIL
        return parse_text("\n".join(lines), year=year)["tables"]

    last = report(2023, "0\t5\t5")
    status = {c["row"]: c["status"] for c in cross_year_checks(report(2024, "3\t0\t8"), last)
              if c["rule"] == "in_force_vs_last_year"}
    assert status == {"rules": "ok", "normative_docs": "ok"}
    failed = [c for c in cross_year_checks(report(2024, "3\t0\t9"), last)
              if c["status"] == "fail" and c["rule"] == "in_force_vs_last_year"]
    assert [(c["rule"], c["row"], c["expected"], c["actual"]) for c in failed] == \
        [("in_force_vs_last_year", "normative_docs", 8, 9)]
    # the applicant rule is there as before, per column
    assert [c["column"] for c in cross_year_checks(last, last) if c["rule"] == "carried_over_vs_last_year"] == COLUMNS


def test_a_sign_inside_a_run_starts_a_cell_and_is_never_dropped():
    """本年增/减 run together with its neighbours: "行政强制65-177" is 65 | -1 | 77 or 65 | -17 | 7 or
    6 | 5 | -177 — never 1 | 7 | 7 from the digits after the sign."""
    lines = ["二、主动公开政府信息情况", "第二十条第（六）项", "信息内容上一年项目数量本年增/减处理决定数量",
             "行政处罚65-065", "行政强制65-177"] + TAIL
    parsed = parse_text("\n".join(lines))
    # "65-065": no number but 0 starts with 0, so the sign's cell is -0 and the one reading is 65 | 0 | 65
    assert parsed["tables"]["active"]["penalty"] == {"prev_year": 65, "change": 0, "decisions": 65}
    assert parsed["tables"]["active"]["enforcement"] == {"prev_year": None, "change": None, "decisions": None}
    warning = next(w for w in parsed["warnings"] if "active.enforcement" in w)
    assert "split 3 ways" in warning and "65|-1|77" in warning and "65|-17|7" in warning


@pytest.mark.parametrize("name", ["shanghai-html", "2021-docx", "money-2019-pdf", "blanks-html"])
def test_a_corpus_table_with_its_separators_stripped_is_never_misread(name):
    """What another crawler's text extraction leaves of a table (cells with nothing between them, or the
    whole page on one line): cells are read or left blank, never read wrong."""
    from crawler.parsing.report import document_text
    from replica.corpus import case, paths

    doc = case(name)
    want = paths(doc.tables)
    text = document_text(doc.body, doc.filename)[0]
    for flat in (text.replace("\t", ""), text.replace("\t", "").replace("\n", "")):
        have = paths(parse_text(flat)["tables"])
        wrong = {p: (have[p], v) for p, v in want.items() if have.get(p) is not None and have[p] != v}
        assert not wrong
        if not any(v is None for v in want.values()):     # a blank cell leaves no trace once run together
            assert sum(have.get(p) == v for p, v in want.items()) > len(want) // 2


def test_money_run_into_the_cell_before_it_keeps_its_decimals_and_is_never_guessed():
    lines = ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
             "规章\t0\t0\t0", "第二十条第（九）项", "信息内容采购项目数量采购总金额",
             "政府集中采购13575394432.52元"] + TAIL      # 平潭 2019's page text
    parsed = parse_text("\n".join(lines))
    assert parsed["tables"]["active"]["procurement"] == {"projects": None, "amount": None}
    warning = next(w for w in parsed["warnings"] if "active.procurement" in w)
    assert "13|575394432.52" in warning and "1357|5394432.52" in warning


def test_export_keeps_the_single_row_variant_of_a_2021_report(tmp_path):
    import csv

    from crawler.parsing.export import export

    rows = figures_2021()
    lines = HEAD_2021 + text_layer(rows)
    start = next(k for k, line in enumerate(lines) if line.startswith("1.申请人无正当理由"))
    end = next(k for k, line in enumerate(lines) if line.startswith("3.其他"))
    lines[start:end + 1] = ["（六）其他处理\t\t1\t0\t0\t0\t0\t0\t1"]
    text = "\n".join(["某区人民政府2023年政府信息公开工作年度报告"] + lines + TAIL)
    (tmp_path / "feed").mkdir()
    record = {"id": "a" * 64, "url": "http://127.0.0.1/2023.html", "urls": [], "title": "某区人民政府2023年政府信息公开工作年度报告",
              "agency": "某区人民政府", "year": 2023, "published": "2024-01-20", "text": text, "site": "127.0.0.1"}
    (tmp_path / "feed" / "run.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    assert export(tmp_path, "csv", tmp_path / "out.csv", report_format="2021") == 1
    row = next(csv.DictReader(open(tmp_path / "out.csv", encoding="utf-8")))
    assert (row["applications.other_processing.natural_person"], row["applications.other_processing.total"]) == ("1", "1")
    assert row["applications.other_processing.other.total"] == ""      # the sub-rows the report does not have
