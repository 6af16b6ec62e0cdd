"""The parser test corpus (replica.corpus) checked on its own, without a parser: every document is
a real file of its carrier, the truth has the canonical keys and agrees with what the documents print,
and the expected failing checks are exactly the ones each broken case was broken for."""

from __future__ import annotations

import io
import re

import docx
import lxml.html
import openpyxl
import pdfplumber
import pytest

from replica import corpus as C
from replica import documents as D
from replica.tables import Figures

FILE_CARRIERS = ("docx", "pdf", "xlsx")
EXTENSIONS = {"html": ".html", "text": ".txt", "docx": ".docx", "pdf": ".pdf", "xlsx": ".xlsx"}
MARKERS = ("", "/", "—", "-", "空")

# The test's own witness of which printed row is which key: a distinctive part of each label, written
# independently of corpus.APPLICATION_ROWS so a row mapped to the wrong key shows up here.
ROW_WORDS = {
    "new_received": "本年新收", "carried_over": "上年结转", "disclosed": "予以公开", "partially_disclosed": "部分公开",
    "withheld.state_secret": "国家秘密", "withheld.prohibited_by_law": "禁止公开",
    "withheld.security_stability": "三安全一稳定", "withheld.third_party": "第三方",
    "withheld.internal_affairs": "内部事务", "withheld.process_info": "过程性", "withheld.enforcement_file": "执法案卷",
    "withheld.admin_query": "查询事项", "unable.not_held": "不掌握", "unable.needs_creation": "另行制作",
    "unable.still_unclear": "仍不明确", "not_processed.petition_complaint": "信访",
    "not_processed.repeated": "2.重复申请", "not_processed.publication": "出版物",
    "not_processed.massive_repeated": "大量反复", "not_processed.confirm_reissue": "重新出具",
    "other_processing": "（六）其他处理", "other_processing.overdue_correction": "逾期不补正",
    "other_processing.overdue_fee": "缴纳费用", "other_processing.other": "3.其他",
    "total_processed": "（七）总计", "carried_forward": "结转下年度",
}
ACTIVE_LABELS = {
    "2019": {"rules": "规章", "normative_docs": "规范性文件", "licensing": "行政许可", "other_services": "其他对外管理服务事项",
             "penalty": "行政处罚", "enforcement": "行政强制", "fees": "行政事业性收费", "procurement": "政府集中采购"},
    "2021": {"rules": "规章", "normative_docs": "行政规范性文件", "licensing": "行政许可", "penalty": "行政处罚",
             "enforcement": "行政强制", "fees": "行政事业性收费"},
}
COLUMNS = ["natural_person", "business", "research", "public_interest", "legal_service", "other_org", "total"]
RESULT_ROWS = {
    "2019": ["disclosed", "partially_disclosed"] + [k for k in ROW_WORDS if k.startswith(("withheld.", "unable.",
             "not_processed."))] + ["other_processing"],
}
RESULT_ROWS["2021"] = RESULT_ROWS["2019"][:-1] + ["other_processing.overdue_correction",
                                                  "other_processing.overdue_fee", "other_processing.other"]
ACTIVE_KEYS = {
    "2019": {("rules", c) for c in ("new_made", "new_published", "total_published")}
    | {("normative_docs", c) for c in ("new_made", "new_published", "total_published")}
    | {(r, c) for r in ("licensing", "other_services", "penalty", "enforcement")
       for c in ("prev_year", "change", "decisions")}
    | {("fees", "prev_year"), ("fees", "change"), ("procurement", "projects"), ("procurement", "amount")},
    "2021": {(r, c) for r in ("rules", "normative_docs") for c in ("issued", "repealed", "in_force")}
    | {(r, "decisions") for r in ("licensing", "penalty", "enforcement")} | {("fees", "amount_10k_yuan")},
}
# What each broken case was broken for (its edit is described in corpus.BROKEN): written here again.
BROKEN = {
    "broken-balance": {("balance", "natural_person"), ("balance", "total")},
    "broken-results": {("results_sum", "natural_person"), ("results_sum", "total")},
    "broken-applicant": {("applicant_sum", "disclosed"), ("applicant_sum", "partially_disclosed")},
    "broken-review": {("review_litigation_sum", "review")},
    "broken-typo": {("results_sum", "natural_person"), ("applicant_sum", "disclosed")},
}


@pytest.fixture(scope="module")
def cases() -> list[C.Case]:
    return C.cases()


@pytest.fixture(scope="module")
def by_name(cases) -> dict[str, C.Case]:
    return {c.name: c for c in cases}


def stem(case: C.Case) -> str:
    return case.name.rsplit("-", 1)[0]


def value_of(text: str):
    """A printed cell as the truth records it (the test's own reading)."""
    text = text.strip()
    if text in MARKERS:
        return None
    match = re.fullmatch(r"([+-]?\d+(?:\.\d+)?)元?", text)
    assert match, f"unexpected cell {text!r}"
    return float(match.group(1)) if "." in match.group(1) else int(match.group(1))


def rule_inputs(tables: dict, rule: str, key: str) -> list:
    """The cells a rule reads (reports.md section 5), by the test's own definition."""
    apps, rl = tables["applications"], tables["review_litigation"]
    if rule == "balance":
        return [apps[r][key] for r in ("new_received", "carried_over", "total_processed", "carried_forward")]
    if rule == "results_sum":
        fmt = "2019" if "other_processing" in apps else "2021"
        return [apps[r][key] for r in RESULT_ROWS[fmt] + ["total_processed"]]
    if rule == "applicant_sum":
        return list(apps[key].values())
    assert rule == "review_litigation_sum"
    return list(rl[key].values())


# -- the set of cases ----------------------------------------------------------------------------

def test_names_are_unique_and_filenames_tell_the_carrier(cases):
    names = [c.name for c in cases]
    assert len(names) == len(set(names))
    for c in cases:
        assert c.filename.endswith(EXTENSIONS[c.carrier]), c.name
        assert c.format in ("2019", "2021", "pre-2019", "unknown"), c.name
        assert isinstance(c.body, bytes) and len(c.body) > 1000, c.name


def test_the_corpus_has_every_kind_of_case_the_parser_needs(cases, by_name):
    required = {"004-html", "004-flat", "004-docx", "004-pdf", "004-xlsx", "2021-html", "2021-docx", "2021-pdf",
                "2021-flat", "2019-html", "2019-pdf", "broken-typo-flat", "broken-typo-docx", "blanks-html",
                "blanks-docx", "markers-flat", "shanghai-html", "split-html", "money-2019-html", "money-2021-html",
                "notice-2019-html", "notice-2021-html", "000-flat", "002-flat"}
    required |= {f"{name}-html" for name in BROKEN}
    assert required <= set(by_name)
    # every rule has a broken case
    assert {rule for c in cases for rule, _ in c.failing} == {"balance", "results_sum", "applicant_sum",
                                                               "review_litigation_sum"}
    # LibreOffice makes the PDFs: keep the corpus cheap to build cold
    assert sum(c.carrier in FILE_CARRIERS for c in cases) <= 25
    assert {c.format for c in cases} == {"2019", "2021", "pre-2019", "unknown"}


# -- real documents ------------------------------------------------------------------------------

def test_html_cases_are_pages_with_tables(cases):
    for c in (c for c in cases if c.carrier == "html"):
        doc = lxml.html.fromstring(c.body)
        assert doc.xpath("//meta[@charset='utf-8']") and doc.findtext(".//title"), c.name
        tables = doc.xpath("//table")
        # the notices print the three tables empty; the split case has table 三 in two parts
        assert len(tables) == (4 if c.name == "split-html" else 3), c.name
        text = doc.text_content()
        assert "一、总体情况" in text and "六、其他需要报告的事项" in text, c.name


def test_docx_cases_open_with_python_docx(cases):
    for c in (c for c in cases if c.carrier == "docx"):
        document = docx.Document(io.BytesIO(c.body))
        assert len(document.tables) >= 3, c.name
        if c.tables:
            # table 四's number row: the 15 values in the truth's order
            numbers = [value_of(cell.text) for cell in document.tables[2].rows[-1].cells]
            want = [c.tables["review_litigation"][r][k] for r in C.REVIEW_ROWS for k in C.OUTCOME_COLUMNS]
            assert numbers == want, c.name


def test_pdf_cases_have_a_text_layer_with_the_tables(cases):
    pdfs = [c for c in cases if c.carrier == "pdf"]
    assert pdfs
    for c in pdfs:
        with pdfplumber.open(io.BytesIO(c.body)) as pdf:
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        assert "（七）总计" in text, c.name
        for shown in c.printed.values():
            assert shown in text, (c.name, shown)


def test_xlsx_cases_open_with_openpyxl(cases):
    books = [c for c in cases if c.carrier == "xlsx"]
    assert books
    for c in books:
        book = openpyxl.load_workbook(io.BytesIO(c.body))
        assert len(book.sheetnames) == 3, c.name
        last = [cell.value for cell in list(book.worksheets[2].iter_rows())[-1]]
        want = [c.tables["review_litigation"][r][k] for r in C.REVIEW_ROWS for k in C.OUTCOME_COLUMNS]
        assert [None if v in MARKERS else v for v in last] == want, c.name


def test_text_cases_are_flattened_one_cell_a_line(cases):
    texts = [c for c in cases if c.carrier == "text"]
    for c in texts:
        text = c.body.decode("utf-8")
        assert "\t" not in text, c.name
        if not c.tables:
            continue
        lines = text.split("\n")
        # cells are separated by blank lines: a number never shares its line with a label
        assert any(line in ("（七）总计", "(七)总计") for line in lines), c.name
        assert "\n\n\n\n" not in text, c.name
    lossy = [c for c in texts if c.format == "2019"]
    assert lossy and all("本年增/减" not in c.body.decode() and "本年增/\n" in c.body.decode() for c in lossy)
    assert "本年收费金额（单位：万元）" in [c for c in texts if c.name == "2021-flat"][0].body.decode()


def test_flattened_004_is_the_seed_copy(by_name):
    seed = C.seed_file("004")
    # the seed differs only by the U+2002 its capture put before some numbers
    assert by_name["004-flat"].body.decode() == seed.read_text(encoding="utf-8").replace("\u2002", "")
    assert by_name["004-seed"].tables == by_name["004-flat"].tables
    assert {"004-seed", "000-seed", "002-seed"} <= set(by_name)


def test_seeds_are_bundled_and_the_shared_ones_byte_for_byte():
    bundled = {p.name: p.read_bytes() for p in C.SEEDS.glob("*.txt")}
    assert sorted(name[:3] for name in bundled) == ["000", "001", "002", "003", "004"]
    # in the project tree the bundle must not drift from ../shared/seeds (on a fresh clone there is none)
    shared = D.REPO.parent / "shared" / "seeds"
    if shared.is_dir():
        assert {p.name: p.read_bytes() for p in shared.glob("*.txt")} == bundled
    with pytest.raises(FileNotFoundError):
        C.seed_file("999")


def test_blank_cells_cannot_be_flattened():
    report = C.henghe_2020()
    report.figures.table3["（一）予以公开"][1] = ""
    with pytest.raises(ValueError, match="blank cell"):
        C.flatten(report)


# -- truth ---------------------------------------------------------------------------------------

def test_truth_has_exactly_the_canonical_keys(cases):
    for c in cases:
        if c.format in ("pre-2019", "unknown"):
            assert c.tables == {} and c.failing == set() and c.printed == {}, c.name
            continue
        apps = c.tables["applications"]
        assert set(apps) == set(RESULT_ROWS[c.format]) | {"new_received", "carried_over", "total_processed",
                                                           "carried_forward"}, c.name
        assert len(apps) == {"2019": 23, "2021": 25}[c.format], c.name
        assert all(list(row) == COLUMNS for row in apps.values()), c.name
        rl = c.tables["review_litigation"]
        assert list(rl) == ["review", "litigation_direct", "litigation_after_review"], c.name
        assert all(list(row) == ["upheld", "corrected", "other", "pending", "total"] for row in rl.values()), c.name
        active = {(r, k) for r, row in c.tables["active"].items() for k in row}
        assert active == ACTIVE_KEYS[c.format] and len(active) == {"2019": 22, "2021": 10}[c.format], c.name
        for table in c.tables.values():
            for row in table.values():
                assert all(v is None or type(v) in (int, float) for v in row.values()), c.name
        flat = C.paths(c.tables)
        assert len(flat) == {"2019": 198, "2021": 200}[c.format], c.name
        # every printed text belongs to a truth cell
        assert set(c.printed) <= set(flat), c.name


def test_html_rows_print_the_truth(cases):
    """Read each HTML case's rows by the test's own label words: every truth cell is where it is printed."""
    for c in (c for c in cases if c.carrier == "html" and c.tables):
        doc = lxml.html.fromstring(c.body)
        seen: dict[str, list] = {}
        active: dict[str, list] = {}
        for tr in doc.xpath("//tr"):
            texts = [td.text_content().strip() for td in tr.xpath("./td")]
            labels = [t for t in texts if t and not re.fullmatch(r"[+\-—/空\d.元]*", t)]
            if len(texts) > 7 and labels:
                for key, word in ROW_WORDS.items():
                    if word in labels[-1]:
                        seen[key] = [value_of(t) for t in texts[-7:]]
            if labels and labels[0] in ACTIVE_LABELS[c.format].values() and len(labels) == 1:
                active[labels[0]] = [value_of(t) for t in texts[1:]]
            if len(texts) == 15:
                assert [value_of(t) for t in texts] == [c.tables["review_litigation"][r][k] for r in C.REVIEW_ROWS
                                                        for k in C.OUTCOME_COLUMNS], c.name
        want = {key: list(row.values()) for key, row in c.tables["applications"].items()}
        assert seen == want, c.name
        for key, label in ACTIVE_LABELS[c.format].items():
            assert active[label] == list(c.tables["active"][key].values()), (c.name, key)


def test_failing_is_empty_for_clean_cases_and_exact_for_broken_ones(cases):
    for c in cases:
        want = BROKEN.get(stem(c), set())
        assert c.failing == want, c.name
    assert {stem(c) for c in cases if c.failing} == set(BROKEN)


def test_broken_cases_differ_from_their_clean_base_only_in_the_edited_cells(by_name):
    base = C._filler("broken", C.YANGCHENG, 0, 2020)
    clean, _ = C.truth(base.figures)
    changed = {}
    for name in BROKEN:
        tables = by_name[f"{name}-html"].tables
        changed[name] = {(t, r, k) for t, rows in tables.items() for r, row in rows.items() for k, v in row.items()
                         if clean[t][r][k] != v}
    assert changed["broken-balance"] == {("applications", "new_received", "natural_person"),
                                         ("applications", "new_received", "total")}
    assert changed["broken-typo"] == {("applications", "disclosed", "natural_person")}
    assert changed["broken-review"] == {("review_litigation", "review", "total")}
    assert C.failing_checks(clean) == set()


def test_no_failing_check_reads_a_blank_cell(cases):
    for c in cases:
        for rule, key in c.failing:
            assert None not in rule_inputs(c.tables, rule, key), (c.name, rule, key)


def test_the_checker_skips_blank_inputs_and_finds_each_rule():
    fig = C._filler("broken", C.YANGCHENG, 0, 2020).figures
    tables, _ = C.truth(fig)
    assert C.failing_checks(tables) == set()
    tables["applications"]["carried_forward"]["research"] += 1
    assert C.failing_checks(tables) == {("balance", "research"), ("applicant_sum", "carried_forward")}
    # a blank in the inputs makes the rule not assessable, never failing
    tables["applications"]["carried_forward"]["total"] = None
    assert C.failing_checks(tables) == {("balance", "research")}
    tables["applications"]["new_received"]["research"] = None
    assert C.failing_checks(tables) == set()
    tables["review_litigation"]["litigation_direct"]["pending"] += 2
    assert C.failing_checks(tables) == {("review_litigation_sum", "litigation_direct")}
    tables["applications"]["unable.not_held"]["business"] += 1
    assert C.failing_checks(tables) == {("review_litigation_sum", "litigation_direct"),
                                        ("results_sum", "business"), ("applicant_sum", "unable.not_held")}


def test_blanks_and_markers_are_none_and_markers_are_kept(by_name):
    for name in ("blanks-html", "blanks-docx", "markers-flat", "markers-pdf", "markers-xlsx"):
        c = by_name[name]
        blank = [(t, r, k) for t, rows in c.tables.items() for r, row in rows.items()
                 for k, v in row.items() if v is None]
        assert len(blank) > 20, name
        assert c.tables["applications"]["carried_over"]["natural_person"] is None
        assert c.printed["applications.carried_over.natural_person"] == "-"
        assert all(f"{t}.{r}.{k}" in c.printed or name.startswith("blanks") for t, r, k in blank), name
        assert c.failing == set(), name
    blanks, markers = by_name["blanks-html"], by_name["markers-flat"]
    # an empty cell has no printed text; a marker keeps its own
    assert blanks.tables["review_litigation"]["litigation_after_review"]["total"] is None
    assert "review_litigation.litigation_after_review.total" not in blanks.printed
    assert set(blanks.printed.values()) == {"-", "/", "—", "空"}
    assert set(markers.printed.values()) == {"-", "/", "—", "空"}
    assert markers.printed["review_litigation.litigation_after_review.total"] == "—"
    assert markers.printed["active.rules.new_made"] == "空"
    for c in (blanks, markers):
        # the blanked balance term makes the natural-person balance not assessable, not failing
        assert None in rule_inputs(c.tables, "balance", "natural_person")


def test_shanghai_case_leaves_the_total_column_blank_but_the_grand_total(by_name):
    for name in ("shanghai-html", "shanghai-docx"):
        c = by_name[name]
        apps = c.tables["applications"]
        assert all(apps[r]["total"] is None for r in RESULT_ROWS["2019"]), name
        assert isinstance(apps["total_processed"]["total"], int) and apps["total_processed"]["total"] > 0
        assert None in rule_inputs(c.tables, "results_sum", "total")
        assert c.failing == set() and c.printed == {}
    page = lxml.html.fromstring(by_name["shanghai-html"].body)
    row = [tr for tr in page.xpath("//tr") if "（一）予以公开" in tr.text_content()][0]
    assert row.xpath("./td")[-1].text_content() == ""


def test_split_table_repeats_its_header_and_keeps_every_row(by_name):
    c = by_name["split-html"]
    tables = lxml.html.fromstring(c.body).xpath("//table")
    first, second = tables[1], tables[2]
    assert "申请人情况" in first.text_content() and "申请人情况" in second.text_content()
    assert "4.保护第三方合法权益" in first.text_content() and "5.属于三类内部事务信息" not in first.text_content()
    assert "5.属于三类内部事务信息" in second.text_content() and "（七）总计" in second.text_content()
    # the continued group label and its rowspan: 5.–8. under （三）不予公开 again
    group = [td for td in second.xpath(".//td") if td.text_content() == "（三）不予公开"]
    assert len(group) == 1 and group[0].get("rowspan") == "4"
    assert c.failing == set()


def test_money_and_signs_keep_their_printed_text(by_name):
    for name in ("money-2019-html", "money-2019-docx", "money-2019-pdf"):
        c = by_name[name]
        assert c.tables["active"]["procurement"] == {"projects": 3, "amount": 251000}
        assert c.tables["active"]["other_services"]["change"] == 12
        assert c.tables["active"]["penalty"]["change"] == -3
        # "-3" prints as its value; "+12" and "251000元" do not
        assert c.printed == {"active.other_services.change": "+12", "active.procurement.amount": "251000元"}
    body = by_name["money-2019-html"].body.decode()
    assert ">+12<" in body and ">-3<" in body and ">251000元<" in body
    fee = by_name["money-2021-html"]
    assert fee.tables["active"]["fees"] == {"amount_10k_yuan": 12.35} and fee.printed == {}
    assert ">12.35<" in fee.body.decode()


def test_notices_and_prose_reports_have_no_tables(by_name):
    for name in ("notice-2019-html", "notice-2021-html", "notice-2021-docx"):
        assert by_name[name].format == "unknown" and by_name[name].tables == {}
    notice = lxml.html.fromstring(by_name["notice-2021-html"].body)
    # every label, no figure: all value cells of table 三 are empty
    assert "（七）总计" in notice.text_content() and "逾期不补正" in notice.text_content()
    assert not re.search(r">\d+<", by_name["notice-2019-html"].body.decode().split("<table", 1)[1])
    for name in ("000-flat", "002-flat"):
        c = by_name[name]
        assert c.format == "pre-2019" and c.tables == {} and c.year in (2016, 2018)
        assert "（七）总计" not in c.body.decode() and "<" not in c.body.decode()


def test_reports_carry_year_and_agency(cases):
    for c in cases:
        if c.format == "2019":
            assert c.year in (2019, 2020) and c.agency, c.name
        elif c.format == "2021":
            assert c.year >= 2021 and c.agency, c.name
        elif c.format == "unknown":
            assert c.year is None and c.agency is None, c.name
        if c.carrier == "html" and c.year:
            assert f"{c.year}年" in c.body.decode(), c.name


# -- determinism ---------------------------------------------------------------------------------

def test_building_again_gives_the_same_documents(cases):
    again = C.build()
    assert [c.name for c in again] == [c.name for c in cases]
    for a, b in zip(cases, again):
        assert a.body == b.body, a.name
        assert (a.tables, a.printed, a.failing) == (b.tables, b.printed, b.failing), a.name


def test_files_are_cached_and_docx_is_reproducible(cases, by_name):
    folder = D.CACHE / D._SOURCE_HASH
    stored = {path.read_bytes() for path in folder.iterdir() if path.is_file()}
    for c in (c for c in cases if c.carrier in FILE_CARRIERS):
        assert c.body in stored, c.name
    # python-docx output does not depend on the cache: made anew, the same bytes
    assert D._docx_bytes(C.henghe_2020()) == by_name["004-docx"].body


def test_figures_are_not_shared_between_cases():
    # editing one case's report must not leak into another: the cases are built from copies
    report = C.henghe_2020()
    assert isinstance(report.figures, Figures)
    edited = C._with(report, lambda f: f.table4.__setitem__(0, 9))
    assert report.figures.table4[0] == 0 and edited.figures.table4[0] == 9


# -- real layouts (corpus.real_layout_cases) -------------------------------------------------------

RENDERED = {"vertical_label", "wrapped_label", "page_break"}


@pytest.fixture(scope="module")
def real() -> dict[str, C.Case]:
    return {c.name: c for c in C.real_layout_cases() + C.pending_layout_cases()}


def test_pending_cases_are_apart_from_the_adopted_ones():
    adopted, pending = C.real_layout_cases(), C.pending_layout_cases()
    assert {c.name for c in pending} == set(C.PENDING)
    assert not {c.name for c in adopted} & set(C.PENDING)
    assert sorted(c.name for c in adopted + pending) == sorted(c.name for c in C.build_real_layouts())
    assert len(adopted + pending) == 20


def _numbers_line(values) -> str:
    return " ".join("" if v is None else str(v) for v in values)


def test_real_layouts_are_registered_apart_and_each_has_a_source(cases, real):
    assert not set(real) & {c.name for c in cases}
    assert all(not c.layouts and c.source is None for c in cases)
    for c in real.values():
        assert c.layouts and c.layouts <= set(C.LAYOUTS), c.name
        assert c.source in C.REAL_SOURCES.values(), c.name
        assert c.filename.endswith(EXTENSIONS[c.carrier]) and len(c.body) > 1000, c.name
    # every layout kind: in a PDF and in at least one other carrier
    for kind in C.LAYOUTS:
        carriers = {c.carrier for c in real.values() if kind in c.layouts}
        assert "pdf" in carriers and len(carriers) >= 2, (kind, carriers)


def test_real_documents_open_with_their_readers(real):
    for c in real.values():
        if c.carrier == "docx":
            assert len(docx.Document(io.BytesIO(c.body)).tables) == (1 if c.stated else 3), c.name
        elif c.carrier == "pdf":
            with pdfplumber.open(io.BytesIO(c.body)) as pdf:
                assert len(pdf.pages) >= 2 and (pdf.pages[0].extract_text() or "").strip(), c.name
        elif c.carrier == "html":
            assert lxml.html.fromstring(c.body).xpath("//table"), c.name
        else:
            assert c.body.decode("utf-8").strip(), c.name


def test_word_printed_pdfs_set_the_labels_vertically_and_wrapped_and_break_the_table(real):
    for stem in ("real-hongze-2023", "real-huaian-2024"):
        pdf_case, text_case = real[f"{stem}-pdf"], real[f"{stem}-text"]
        assert text_case.body.decode() == D.pdf_text_layer(pdf_case.body)
        lines = text_case.body.decode().split("\n")
        # 三、本年度办理结果: one character a line (each line's first token), in order; other wrapped
        # labels' last characters may come between, as in the real text layers
        column = iter(line.split()[0] for line in lines if line.split() and len(line.split()[0]) == 1)
        assert all(char in column for char in "三、本年度办理结果"), stem
        assert not any("三、本年度办理结果" in line for line in lines), stem
        # the table crosses a page: the page number falls between （一）予以公开 and （七）总计
        first = next(k for k, line in enumerate(lines) if "（一）予以公开" in line)
        last = next(k for k, line in enumerate(lines) if line.startswith("（七）总计"))
        assert any(re.fullmatch(r"- \d+ -", line) for line in lines[first:last]), stem
        with pdfplumber.open(io.BytesIO(pdf_case.body)) as pdf:
            pages = [page.extract_text() for page in pdf.pages]
        assert [k for k, p in enumerate(pages) if "（一）予以公开" in p] != [k for k, p in enumerate(pages) if "（七）总计" in p]
        # a wrapped label: huaian's numbers on a line of their own between its two parts, hongze's (numbers
        # at the top of their cells) at the end of its first line
        k = next(k for k, line in enumerate(lines) if line.startswith("5.要求行政机关确认或重"))
        apps = text_case.tables["applications"]
        numbers = _numbers_line(apps["not_processed.confirm_reissue"].values())
        if stem == "real-huaian-2024":
            assert lines[k + 1] == numbers and "已获取信息" in lines[k + 2], stem
        else:
            assert lines[k].endswith(" " + numbers) and "已获取信息" in lines[k + 1], stem
            # and a single-line label below its numbers, on the line after them
            j = lines.index("1.属于国家秘密")
            assert lines[j - 1] == _numbers_line(apps["withheld.state_secret"].values()), stem
            assert "values_before_label" in text_case.layouts
        assert "已获取信息" not in lines[k], stem
        # every row's seven figures, in column order, as the truth has them
        text = text_case.body.decode()
        for row, cells in apps.items():
            assert _numbers_line(cells.values()) in text, (stem, row)
        rl = text_case.tables["review_litigation"]
        assert _numbers_line(v for row in rl.values() for v in row.values()) in lines, stem


def test_split_header_cells_in_every_carrier(real):
    hongze = real["real-hongze-2023-text"].body.decode().split("\n")
    assert any(line.split()[-1:] == ["总"] for line in hongze) and any(line.split()[-1:] == ["计"] for line in hongze)
    for stem, head in (("real-hongze-2023", "总\n计"), ("real-huaian-2024", "商业企\n业")):
        table = docx.Document(io.BytesIO(real[f"{stem}-docx"].body)).tables[1]
        assert head in {cell.text for row in table.rows for cell in row.cells}, stem
        assert "split_header" in real[f"{stem}-docx"].layouts and not RENDERED & real[f"{stem}-docx"].layouts


def test_single_row_other_processing_in_a_2021_format_report(real):
    for carrier in ("docx", "pdf", "text"):
        c = real[f"real-hongze-2023-{carrier}"]
        apps = c.tables["applications"]
        assert c.format == "2021" and "single_row_other" in c.layouts
        assert "other_processing" in apps and not [r for r in apps if r.startswith("other_processing.")]
        assert set(c.tables["active"]) == {"rules", "normative_docs", "licensing", "penalty", "enforcement", "fees"}
        # the one row counts in the results sum: the truth holds it
        results = [r for r in apps if r not in C.EDGE_ROWS]
        assert sum(apps[r]["total"] for r in results) == apps["total_processed"]["total"]
    document = docx.Document(io.BytesIO(real["real-hongze-2023-docx"].body))
    labels = {cell.text for row in document.tables[1].rows for cell in row.cells}
    assert "（六）其他处理" in labels and not any("逾期不补正" in label for label in labels)
    assert "本年制发件数" in {cell.text for row in document.tables[0].rows for cell in row.cells}
    # huaian numbers the 2021 sub-rows "1、"; the truth keys stay the template's
    huaian = real["real-huaian-2024-text"]
    assert "1、申请人无正当理由逾期不" in huaian.body.decode()
    assert "other_processing.overdue_correction" in huaian.tables["applications"]


def test_the_real_style_inconsistency_is_in_the_truth(real):
    for carrier in ("docx", "pdf", "text"):
        c = real[f"real-hongze-2023-{carrier}"]
        rl = c.tables["review_litigation"]
        assert rl["review"]["total"] == 0 and rl["review"]["upheld"] + rl["review"]["corrected"] > 0
        assert rl["litigation_after_review"]["total"] == 0 and rl["litigation_after_review"]["upheld"] > 0
        assert c.failing == {("review_litigation_sum", "review"), ("review_litigation_sum", "litigation_after_review")}
        assert "inconsistent_totals" in c.layouts
    assert all(not real[f"real-huaian-2024-{k}"].failing for k in ("docx", "pdf", "text"))


def test_digit_runs_read_as_the_real_rows_do():
    # 平潭 2021's rows: one reading fits the row rule; 表四's 17 digits split into three blocks one way
    rows = [r for r in C.digit_run_readings("640020470", 7) if sum(r[:6]) == r[6]]
    assert rows == [(64, 0, 0, 2, 0, 4, 70)]
    blocks = [r for r in C.digit_run_readings("10203120001200000", 15)
              if all(sum(r[k:k + 4]) == r[k + 4] for k in (0, 5, 10))]
    assert blocks == [(1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)]
    # a stray space is a separator; no number but 0 starts with 0
    assert sorted(C.digit_run_readings("230 000023", 7)) == [(2, 30, 0, 0, 0, 0, 23), (23, 0, 0, 0, 0, 0, 23),
                                                             (230, 0, 0, 0, 0, 2, 3)]
    assert [r for r in C.digit_run_readings("230 000023", 7) if sum(r[:6]) == r[6]] == [(23, 0, 0, 0, 0, 0, 23)]
    # 表二 rows have no rule: 7364 in three cells stays three readings (the truth leaves it blank)
    assert sorted(C.digit_run_readings("7364", 3)) == [(7, 3, 64), (7, 36, 4), (73, 6, 4)]
    assert C.digit_run_readings("0123", 2) == [(0, 123)]


def test_flattened_pages_run_the_cells_together_and_the_truth_says_what_is_ambiguous(real):
    for stem in ("real-flat-2021", "real-flat-2019", "real-flat-2022"):
        text_case, pdf_case = real[f"{stem}-text"], real[f"{stem}-pdf"]
        assert text_case.tables == pdf_case.tables and text_case.ambiguous == pdf_case.ambiguous
        body = text_case.body.decode()
        page = body.split(" 正文 ", 1)[1]
        assert page.count("\n") == 2, stem                  # the whole body on one line, as page.txt has it
        apps = text_case.tables["applications"]
        new = "".join(str(v) for v in apps["new_received"].values())
        assert re.search("一、本年新收政府信息公开申请数量" + r"\s?" + r"\s?".join(new), page), stem
        # an ambiguous row is blank, with how many readings fit; everything else is read, the run rows inferred
        assert text_case.ambiguous and all(n >= 2 for n in text_case.ambiguous.values()), stem
        for path, n in text_case.ambiguous.items():
            table, row = path.split(".", 1)
            assert all(v is None for v in text_case.tables[table][row].values()), path
        flat = C.paths(text_case.tables)
        assert text_case.inferred <= set(flat) and all(flat[p] is not None for p in text_case.inferred)
        assert {p for p, v in flat.items() if p.startswith("applications.") and v is not None} <= text_case.inferred
        assert not text_case.failing
        with pdfplumber.open(io.BytesIO(pdf_case.body)) as pdf:
            pdf_text = "\n".join(p.extract_text() for p in pdf.pages)
        # the 文字版: a line per row, the cells still run together
        assert any(line.startswith("一、本年新收政府信息公开申请数量") and line.replace(" ", "").endswith(new)
                   for line in pdf_text.split("\n")), stem
    flat21 = real["real-flat-2021-text"]
    assert "行政规范性文件7364" in flat21.body.decode() and set(flat21.ambiguous) == {"active.normative_docs"}
    assert flat21.tables["review_litigation"]["litigation_direct"] == {"upheld": 12, "corrected": 0, "other": 0,
                                                                        "pending": 0, "total": 12}
    assert flat21.tables["active"]["licensing"]["decisions"] == 2293 and "active.licensing.decisions" not in flat21.inferred
    # "110000011": its own rule allows 1|10 and 11|0; the column sums single out 1|10 in 2021 …
    assert "1.本机关不掌握相关政府信息1100000112.没有" in flat21.body.decode()
    assert flat21.tables["applications"]["unable.not_held"]["business"] == 10
    assert "applications.unable.not_held.business" in flat21.inferred
    # … but not in 2019, where two rows print it and swapping them keeps every sum: both blank
    case19 = real["real-flat-2019-text"]
    assert {k: v for k, v in case19.ambiguous.items() if k.startswith("applications.")} == {
        "applications.unable.not_held": 2, "applications.unable.still_unclear": 2}
    assert None in rule_inputs(case19.tables, "results_sum", "business")
    flat19 = case19.body.decode()
    assert "数量2310 000033" in flat19 and "（六）其他处理0 0 0 0 0 00" in flat19
    assert flat19.count("三、本年度办理结果") == 2


def test_pre_2019_statistics_table_in_every_carrier(real):
    want = {"active_disclosed": 1865, "applications_received": 12, "applications_answered": 12, "review": 1,
            "litigation": 0}
    for carrier in ("html", "docx", "pdf"):
        c = real[f"real-stats-2017-{carrier}"]
        assert c.format == "pre-2019" and c.tables == {} and c.stated == want, c.name
    page = lxml.html.fromstring(real["real-stats-2017-html"].body)
    rows = [[td.text_content().strip() for td in tr.xpath("./td")] for tr in page.xpath("//table//tr")]
    assert rows[0] == ["指标名称", "计量单位", "2017年度", "历年累计"]
    assert ["主动公开文件数", "条", "1865", "9903"] in rows and ["行政复议数", "件", "1", "2"] in rows
    table = docx.Document(io.BytesIO(real["real-stats-2017-docx"].body)).tables[0]
    assert [cell.text for cell in table.rows[4].cells] == ["受理政府信息依申请公开总数", "条", "12", "57"]
    with pdfplumber.open(io.BytesIO(real["real-stats-2017-pdf"].body)) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "主动公开文件数 条 1865 9903" in text and "对申请的答复总数 条 12 57" in text


def test_real_layouts_build_the_same_again(real):
    again = {c.name: c for c in C.build_real_layouts()}
    assert set(again) == set(real)
    for name, c in real.items():
        assert again[name].body == c.body, name
        assert (again[name].tables, again[name].inferred, again[name].ambiguous) == (c.tables, c.inferred, c.ambiguous)


def test_word_files_and_flattened_pages_print_the_truth(real):
    for stem in ("real-hongze-2023", "real-huaian-2024"):
        c = real[f"{stem}-docx"]
        table = docx.Document(io.BytesIO(c.body)).tables[1]
        seen = {}
        for row in table.rows:
            texts = [cell.text for cell in row.cells]
            label = re.sub(r"^(\d)、", r"\1.", texts[2])      # huaian numbers its （六） sub-rows "1、"
            label = label.replace(" ", "").replace("行政止公开", "行政法规禁止公开")   # hongze's damaged labels
            for key, word in ROW_WORDS.items():
                if word in label:
                    seen[key] = [value_of(t) for t in texts[-7:]]
        assert seen == {key: list(cells.values()) for key, cells in c.tables["applications"].items()}, stem
    for stem in ("real-flat-2021", "real-flat-2019", "real-flat-2022"):
        c = real[f"{stem}-text"]
        page = c.body.decode()
        labels = dict((key, label) for label, key in C.APPLICATION_ROWS[c.format])
        for key, cells in c.tables["applications"].items():
            if f"applications.{key}" in c.ambiguous:
                continue
            digits = "".join(str(v) for v in cells.values())
            # the run ends where a non-digit or the next label's number ("2.") starts, as in the real pages
            assert re.search(re.escape(labels[key]) + r"\s?" + r"\s?".join(digits) + r"(?=\D|\d[.、])", page), (stem, key)


def test_damaged_labels_as_the_clerk_left_them(real):
    document = docx.Document(io.BytesIO(real["real-hongze-2023-docx"].body))
    labels = {cell.text for row in document.tables[1].rows for cell in row.cells}
    assert {"2.其他法律行政止公开", "4.无正当理由大量反复 申请", "5.要求行政机关确认或重 新出具已获取信息"} <= labels
    assert "2.其他法律行政法规禁止公开" not in labels
    for carrier in ("docx", "pdf", "text"):
        c = real[f"real-hongze-2023-{carrier}"]
        assert "damaged_label" in c.layouts and "withheld.prohibited_by_law" in c.tables["applications"]
    assert "2.其他法律行政止公开" in real["real-hongze-2023-text"].body.decode()


def test_flattened_statistics_table_states_only_what_the_rules_single_out(real):
    c = real["real-stats-2017-text"]
    body = c.body.decode()
    # as 平潭 2017's page.txt: the cells run together, the next row's number glued on ("…98772、政府公报…")
    assert "主动公开文件数条18659903其中：1、政府网站公开数条186598772、政府公报公开数条026" in body
    assert body.split(" 正文 ", 1)[1].count("\n") == 2
    # 1865|9903 and 186|59903 … both add up with their breakdown: not stated, and said so
    assert c.stated["active_disclosed"] is None and c.ambiguous == {"stated.active_disclosed": 4}
    # 受理 1257 is 12|57 only, as its three parts (5|21, 6|30, 1|6) add up to no other reading
    assert {k: v for k, v in c.stated.items() if v is not None} == {
        "applications_received": 12, "applications_answered": 12, "review": 1, "litigation": 0}
    assert c.inferred == {f"stated.{k}" for k, v in c.stated.items() if v is not None}
    readings = C.stats_readings(["18659903", "18659877", "026", "1257", "521", "630", "16", "1257", "735", "29",
                                 "16", "27", "12", "01"])
    assert readings[3] == [(12, 57)] and len(readings[0]) == 4 and readings[2] == [(0, 26)]


def test_poppler_layout_text_spreads_the_vertical_label_over_the_rows(real):
    for stem in ("real-hongze-2023", "real-huaian-2024"):
        c = real[f"{stem}-poppler"]
        assert c.carrier == "text" and c.filename == f"{stem}-poppler.txt"
        text = c.body.decode()
        assert text == D.pdf_layout_text(real[f"{stem}-pdf"].body)
        # the label's characters start lines of their own, in order, with the rows' text beside them
        starts = iter(line.strip()[0] for line in text.split("\n") if line.strip() and line[0] != " ")
        assert all(char in starts for char in "三、本年度办理结果"), stem
        # every row's seven figures, column-aligned with runs of spaces between
        for row, cells in c.tables["applications"].items():
            assert re.search(r"\s+".join(str(v) for v in cells.values()) + r"\s*$", text, re.M), (stem, row)
        assert c.tables == real[f"{stem}-pdf"].tables and c.failing == real[f"{stem}-pdf"].failing


def test_flattened_2022_spaces_labels_and_table_four_as_the_real_page(real):
    c = real["real-flat-2022-text"]
    page = c.body.decode()
    assert "一、本年新收政府信息公开申请数量 713000074二、上年结转" in page
    assert "四、政府信息公开行政法复议、行政诉讼情况" in page and "四、政府信息公开行政复议" not in page
    assert "商业企业 科研机构 社会公益组织" in page
    assert "尚未审结 总计0 1 1 0 2 1 0 0 0 1 0 0 0 0 0五、" in page
    # 表四's numbers are separated: read, not inferred; 表三's runs are inferred
    rl = c.tables["review_litigation"]
    assert [v for row in rl.values() for v in row.values()] == [0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert not [p for p in c.inferred if p.startswith("review_litigation.")]
    assert "applications.new_received.natural_person" in c.inferred
    assert set(c.ambiguous) == {"active.normative_docs"}
    assert {x.name for x in C.pending_layout_cases()} >= {"real-flat-2022-text", "real-flat-2022-pdf"}


def test_a_run_ending_in_a_unit_keeps_it_with_the_last_number(real):
    c = real["real-flat-2019-unit-text"]
    assert "政府集中采购13575394432.52元三、" in c.body.decode()
    readings = C.digit_run_readings("13575394432.52元", 2)
    assert (13, 575394432.52) in readings and (13575394432.5, 2) in readings     # the 元 stays out of them
    assert c.ambiguous["active.procurement"] == len(readings) == 11
    assert c.tables["active"]["procurement"] == {"projects": None, "amount": None} and not c.printed
    # otherwise the same report as real-flat-2019
    base = real["real-flat-2019-text"]
    assert {k: v for k, v in c.ambiguous.items()} == base.ambiguous | {"active.procurement": 11}
    assert c.tables == base.tables and c.inferred == base.inferred


def test_the_wenziban_pdf_never_cuts_a_number(real):
    for name, line in (("real-flat-2021-pdf", "行政事业性收费96.35"), ("real-flat-2019-unit-pdf", "政府集中采购13575394432.52元")):
        with pdfplumber.open(io.BytesIO(real[name].body)) as pdf:
            lines = "\n".join(p.extract_text() for p in pdf.pages).split("\n")
        assert line in lines, name
