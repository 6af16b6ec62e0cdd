"""`nianbao parse` over real documents with known figures (replica.corpus): every carrier, both
formats, flattened text, blanks and markers, split tables, broken sums, notices and prose reports."""

from __future__ import annotations

import jsonschema
import pytest

from crawler.parsing.report import parse_document
from crawler.parsing.schema import parsed_schema
from replica.corpus import cases, paths

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
