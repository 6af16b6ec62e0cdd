"""The parsing stage through the real CLI: after a crawl, `nianbao parse FILE|URL|-`, `parse --store`, `export`."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess

import jsonschema
import pytest

from crawler.archive.feed import read_feed
from crawler.parsing.report import PARSER_VERSION
from crawler.parsing.schema import parsed_schema
from crawler.parsing.store import read_cross_year, read_parsed
from crawler.parsing.template import all_cell_paths
from replica.corpus import cases, paths, truth
from replica.sites import build_sites, table_reports
from tests.conftest import NIANBAO, REPO, run_nianbao

CASES = {c.name: c for c in cases()}


def _table_reports(replica) -> dict[str, object]:
    """URL -> replica Report of every original report that prints the standard tables."""
    return {replica.url(site, path): report for (site, path), report in table_reports(1).items()}


@pytest.fixture(scope="module")
def fed(crawled):
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    return read_feed(crawled.store / "feed")


def test_the_crawl_parses_every_fed_report_once(crawled, fed):
    parsed = read_parsed(crawled.store)
    assert set(parsed) == {r["id"] for r in fed}
    validator = jsonschema.Draft202012Validator(parsed_schema())
    for line in parsed.values():
        validator.validate(line)
    lines = (crawled.store / "parsed" / f"v{PARSER_VERSION}.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == len(fed)


def test_crawled_reports_tables_are_their_published_figures(crawled, fed, replica):
    """Every table report on the replica sites (HTML of every CMS family, PDF, DOCX, XLS, WPS, GBK pages),
    read from what the crawl fed: every cell right, every rule checked."""
    parsed = read_parsed(crawled.store)
    reports = _table_reports(replica)
    compared, wrong = 0, {}
    for record in fed:
        report = reports.get(record["url"])
        if report is None:
            continue
        got = parsed[record["id"]]
        want, _ = truth(report.figures)
        if record["ocr"]:
            continue      # OCR may misread a digit: the OCR test of the crawl measures its text instead
        compared += 1
        bad = {p: (paths(got["tables"]).get(p), v) for p, v in paths(want).items() if paths(got["tables"]).get(p) != v}
        if bad or got["format"] != str(report.figures.fmt):
            wrong[record["url"]] = (got["format"], list(bad.items())[:3])
    assert compared >= 60
    assert not wrong, f"{len(wrong)} of {compared} reports misread: {list(wrong.items())[:3]}"


def test_cross_year_checks_cover_consecutive_reports_of_one_agency(crawled, fed, replica):
    cross = read_cross_year(crawled.store)
    parsed = read_parsed(crawled.store)
    assert cross, "the replica has agencies with reports of consecutive years"
    for rid, line in cross.items():
        this, last = parsed[rid], parsed[line["previous_id"]]
        assert this["agency"] == last["agency"] and this["year"] == last["year"] + 1
        for check in line["checks"]:
            if check["rule"] == "in_force_vs_last_year":      # the 2021 表二's documents in force
                row = check["row"]
                now, before = this["tables"]["active"][row], last["tables"]["active"][row]
                holds = before["in_force"] + now["issued"] == now["in_force"] + now["repealed"]
                assert check["status"] == ("ok" if holds else "fail")
                continue
            col = check["column"]
            before = last["tables"]["applications"]["carried_forward"][col]
            now = this["tables"]["applications"]["carried_over"][col]
            assert check["status"] == ("ok" if before == now else "fail")


def _write_case(tmp_path, name):
    case = CASES[name]
    path = tmp_path / case.filename
    path.write_bytes(case.body)
    return case, path


@pytest.mark.parametrize("name", ["004-flat", "2021-docx", "money-2019-pdf", "004-xlsx", "blanks-html"])
def test_parse_a_file_prints_its_json(tmp_path, name):
    case, path = _write_case(tmp_path, name)
    proc = run_nianbao("parse", str(path))
    assert proc.returncode == 0, proc.stderr.decode()
    parsed = json.loads(proc.stdout)
    assert parsed["format"] == case.format
    assert paths(parsed["tables"]) == paths(case.tables)
    compact = run_nianbao("parse", str(path), "--json")
    assert compact.stdout.decode().count("\n") == 1 and json.loads(compact.stdout) == parsed


def test_parse_reads_stdin(tmp_path):
    case = CASES["2021-pdf"]
    proc = subprocess.run([NIANBAO, "parse", "-"], input=case.body, capture_output=True, timeout=120, cwd=REPO)
    assert proc.returncode == 0, proc.stderr.decode()
    assert paths(json.loads(proc.stdout)["tables"]) == paths(case.tables)


def test_parse_a_url(replica):
    site = next(s for s in build_sites(1) if s.name == "yangcheng")
    entry = next(e for e in site.truth if e.get("_report") is not None and e["_report"].figures is not None
                 and e["_report"].is_report and not e.get("repost_of"))
    url, report = replica.url("yangcheng", entry["paths"][0]), entry["_report"]
    proc = run_nianbao("parse", url, "--json")
    assert proc.returncode == 0, proc.stderr.decode()
    parsed = json.loads(proc.stdout)
    assert paths(parsed["tables"]) == paths(truth(report.figures)[0])
    assert parsed["year"] == report.year


@pytest.mark.parametrize("body, words", [(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "PDF"),
                                          (b"", "empty"), (b"PK\x03\x04broken", "")])
def test_unreadable_documents_exit_1_with_one_line(tmp_path, body, words):
    path = tmp_path / ("broken.pdf" if body.startswith(b"%PDF") else "broken.docx")
    path.write_bytes(body)
    proc = run_nianbao("parse", str(path))
    err = proc.stderr.decode().strip()
    assert proc.returncode == 1 and proc.stdout == b""
    assert err.count("\n") == 0 and err.startswith("nianbao: cannot parse") and words in err


def test_parse_arguments_are_checked(tmp_path):
    assert run_nianbao("parse").returncode == 2
    assert run_nianbao("parse", "x.pdf", "--store", str(tmp_path)).returncode == 2
    assert run_nianbao("parse", str(tmp_path / "missing.pdf")).returncode == 1


@pytest.fixture()
def store_copy(crawled, tmp_path):
    target = tmp_path / "store"
    shutil.copytree(crawled.store, target)
    shutil.rmtree(target / "parsed")
    return target


def _fetches(store) -> int:
    with sqlite3.connect(store / "nianbao.sqlite") as db:
        return db.execute("SELECT count(*) FROM fetches").fetchone()[0]


def test_parse_store_parses_what_is_not_parsed_and_never_recrawls(store_copy, crawled):
    before = _fetches(store_copy)
    fed = len({r["id"] for r in read_feed(store_copy / "feed")})
    proc = run_nianbao("parse", "--store", str(store_copy))
    assert proc.returncode == 0, proc.stderr.decode()
    assert f"{fed} reports parsed, 0 already" in proc.stderr.decode()
    assert read_parsed(store_copy) == read_parsed(crawled.store)     # the same as the crawl's own parsing
    again = run_nianbao("parse", "--store", str(store_copy))
    assert f"0 reports parsed, {fed} already" in again.stderr.decode()
    forced = run_nianbao("parse", "--store", str(store_copy), "--force")
    assert f"{fed} reports parsed" in forced.stderr.decode()
    assert _fetches(store_copy) == before
    assert run_nianbao("parse", "--store", "/proc/nianbao-no-store").returncode == 3


def test_a_new_parser_version_reparses_from_the_feed(store_copy):
    run_nianbao("parse", "--store", str(store_copy))
    now, new = PARSER_VERSION, PARSER_VERSION + 1
    script = (f"import sys, crawler.parsing.report as r, crawler.parsing.store as s; r.PARSER_VERSION = {new}; "
              f"s.PARSER_VERSION = {new}; print(s.parse_store(sys.argv[1], version={new}))")
    proc = subprocess.run([str(REPO / ".venv" / "bin" / "python"), "-c", script, str(store_copy)],
                          capture_output=True, timeout=300, cwd=REPO)
    assert proc.returncode == 0, proc.stderr.decode()
    assert (store_copy / "parsed" / f"v{new}.jsonl").exists() and (store_copy / "parsed" / f"v{now}.jsonl").exists()
    later = read_parsed(store_copy, version=new)
    assert later and all(r["parser_version"] == new for r in later.values())


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_export_loads_in_pandas_and_polars_with_one_column_per_cell(crawled, fed, tmp_path, fmt):
    import pandas as pd
    import polars as pl

    out = tmp_path / f"reports.{fmt}"
    proc = run_nianbao("export", "--store", str(crawled.store), "--format", fmt, "--out", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    frame = {"csv": pd.read_csv, "parquet": pd.read_parquet, "jsonl": lambda p: pd.read_json(p, lines=True)}[fmt](out)
    assert len(frame) == len(fed)
    assert set(all_cell_paths()) <= set(frame.columns)
    plf = {"csv": pl.read_csv, "parquet": pl.read_parquet,
           "jsonl": lambda p: pl.read_ndjson(p, infer_schema_length=None)}[fmt](out)
    assert plf.height == len(fed)
    parsed = read_parsed(crawled.store)
    some = next(r for r in parsed.values() if r["tables"].get("applications")
                and r["tables"]["applications"]["new_received"]["total"])
    row = frame[frame["id"] == some["id"]].iloc[0]
    assert row["applications.new_received.total"] == some["tables"]["applications"]["new_received"]["total"]
    assert row["format"] == some["format"]
    prose_only = next(r for r in parsed.values() if r["format"] == "pre-2019")
    blank = frame[frame["id"] == prose_only["id"]].iloc[0]
    assert pd.isna(blank["applications.new_received.total"])      # no table: null, never 0
    if fmt == "parquet":
        types = dict(plf.schema)
        assert types["applications.new_received.total"] == pl.Int64
        assert types["active.procurement.amount"] == pl.Float64
