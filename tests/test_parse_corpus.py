"""`nianbao parse` over real documents with known figures (replica.corpus): every carrier, both
formats, flattened text, blanks and markers, split tables, broken sums, notices and prose reports."""

from __future__ import annotations

import jsonschema
import pytest

from crawler.parsing.report import parse_document
from crawler.parsing.schema import parsed_schema
from replica.corpus import cases, paths, real_layout_cases

CASES = cases()
TABLE_RULES = {"balance", "results_sum", "applicant_sum", "review_litigation_sum"}


@pytest.fixture(scope="module")
def parsed():
    return {case.name: parse_document(case.body, case.filename) for case in CASES}


def _cells(tables: dict) -> dict:
    return paths(tables)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_cell_is_right(case, parsed):
    got = parsed[case.name]
    jsonschema.validate(got, parsed_schema())
    assert got["format"] == case.format
    want = _cells(case.tables)
    have = _cells(got["tables"])
    wrong = {p: (have.get(p, "missing"), v) for p, v in want.items() if have.get(p, "missing") != v
             or type(have.get(p)) is not type(v)}
    assert not wrong, f"{len(wrong)} of {len(want)} cells wrong, e.g. {list(wrong.items())[:5]}"
    assert set(have) == set(want)          # no cell invented (notices and prose: no tables at all)
    assert got["warnings"] == []


@pytest.mark.parametrize("case", [c for c in CASES if c.printed], ids=[c.name for c in CASES if c.printed])
def test_printed_strings_are_kept_beside_the_values(case, parsed):
    printed = {p: s.strip() for p, s in parsed[case.name]["printed"].items()}
    assert {p: s.strip() for p, s in case.printed.items()}.items() <= printed.items()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_rules_are_caught_in_the_right_place_and_nothing_else(case, parsed):
    checks = parsed[case.name]["checks"]
    failed = {(c["rule"], c.get("column") or c.get("row")) for c in checks
              if c["status"] == "fail" and c["rule"] in TABLE_RULES}
    assert failed == set(case.failing)
    if not case.failing:
        assert not [c for c in checks if c["status"] == "fail"]     # no false alarm, prose included
    # a blank cell of 表三 or 表四 makes its rules not assessable; blanks in 表二 feed no rule
    unassessable = [c for c in checks if c["status"] == "not_assessable" and c["rule"] in TABLE_RULES]
    blanks = [p for p, v in _cells(case.tables).items() if v is None and not p.startswith("active.")]
    assert bool(unassessable) == bool(blanks)


# -- layouts seen in real published reports (replica.corpus.real_layout_cases) ---------------------------

REAL = real_layout_cases()


@pytest.fixture(scope="module")
def parsed_real():
    return {case.name: parse_document(case.body, case.filename) for case in REAL}


@pytest.mark.parametrize("case", REAL, ids=[c.name for c in REAL])
def test_real_layouts_every_cell_is_read_or_blank_with_its_candidates(case, parsed_real):
    got = parsed_real[case.name]
    jsonschema.validate(got, parsed_schema())
    assert got["format"] == case.format
    want, have = _cells(case.tables), _cells(got["tables"])
    wrong = {p: (have.get(p, "missing"), v) for p, v in want.items() if have.get(p, "missing") != v
             or type(have.get(p)) is not type(v)}
    assert not wrong, f"{len(wrong)} of {len(want)} cells wrong, e.g. {list(wrong.items())[:5]}"
    assert set(have) == set(want)
    # cells cut out of digits run together are marked, and only those (a statistics table's figures: on
    # their statement, named stated.<key> by the corpus)
    stated = {f"stated.{key}" for key, statements in got["prose_figures"].items()
              if any(s.get("inferred") for s in statements)}
    assert set(got["inferred"]) | stated == set(case.inferred)
    # an ambiguous run: its row blank (above) and one warning naming the row and how many splits fit
    for row, count in case.ambiguous.items():
        assert [w for w in got["warnings"] if row in w and f"split {count} ways" in w], (row, got["warnings"])
    assert len(got["warnings"]) == len({w for row in case.ambiguous for w in got["warnings"] if row in w})


@pytest.mark.parametrize("case", REAL, ids=[c.name for c in REAL])
def test_real_layouts_inconsistencies_fail_with_their_figures_and_nothing_else(case, parsed_real):
    checks = parsed_real[case.name]["checks"]
    failed = [c for c in checks if c["status"] == "fail" and c["rule"] in TABLE_RULES]
    assert {(c["rule"], c.get("column") or c.get("row")) for c in failed} == set(case.failing)
    for c in failed:    # the figures are in the check: 10+1+0+0 = 11 against a printed 总计 of 0
        assert c["expected"] != c["actual"] and str(c["expected"]) in c["detail"] and str(c["actual"]) in c["detail"]


@pytest.mark.parametrize("case", [c for c in REAL if "single_row_other" in c.layouts],
                         ids=[c.name for c in REAL if "single_row_other" in c.layouts])
def test_single_row_other_processing_is_kept_and_counted(case, parsed_real):
    got = parsed_real[case.name]
    apps = got["tables"]["applications"]
    assert "other_processing" in apps and not any(k.startswith("other_processing.") for k in apps)
    assert "applications.other_processing" in got["variants"]
    sums = [c for c in got["checks"] if c["rule"] == "results_sum"]
    assert len(sums) == 7 and all(c["status"] == "ok" for c in sums)    # assessed, with the single row counted


@pytest.mark.parametrize("case", [c for c in REAL if c.stated], ids=[c.name for c in REAL if c.stated])
def test_pre_2019_statistics_table_figures_are_read_with_the_table_as_source(case, parsed_real):
    figures = parsed_real[case.name]["prose_figures"]
    from_table = {key: [s["value"] for s in statements if s.get("source") == "table"]
                  for key, statements in figures.items()}
    # a figure whose digits split more than one way is left out (and named in a warning, tested above)
    assert {key: values for key, values in from_table.items() if values} == \
        {k: [v] for k, v in case.stated.items() if v is not None}
