"""Independent fixtures for three recognisers: challenge pages, JSON list APIs, report classification.

The fixtures under ``tests/data/independent/`` were written from public evidence of real pages
(public crawlers and anti-bot solvers of *.gov.cn sites, WAF fingerprint test pages, the shared
references ``portals.md`` / ``reports.md`` and the real report texts in ``shared/seeds``) WITHOUT
reading the recognisers (``crawler/discover/challenges.py``, ``crawler/discover/jsonapi.py``,
``crawler/judge/classify.py``, ``crawler/vocab.py``) or their existing tests. Each manifest entry
names its evidence. Only the public contract of each function is relied on:

* ``detect_challenge(status, body, content_type) -> Challenge | None`` (``kind``, ``solvable``);
* ``read_api_page(data, api_url) -> ApiPage`` (``records`` of ``url``/``title``/``date``, ``total``)
  and ``next_api_call(call, page, seen) -> ApiCall | None``;
* ``classify(extract_page(decode_html(bytes).text), extract_metadata(page, url))`` (``is_report``, ``kind``).

Failures here are findings about the recognisers, not about the fixtures: do not weaken a fixture
to make it pass.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

DATA = Path(__file__).resolve().parent / "data" / "independent"


def _manifest(name: str) -> list[dict]:
    return json.loads((DATA / name / "manifest.json").read_text(encoding="utf-8"))


def _ids(entries: list[dict]) -> list[str]:
    return [e["file"].rsplit(".", 1)[0] for e in entries]


CHALLENGES = _manifest("challenges")
APIS = _manifest("apis")
CLASSIFY = _manifest("classify")


# --------------------------------------------------------------------------- challenges


@pytest.mark.parametrize("entry", CHALLENGES, ids=_ids(CHALLENGES))
def test_challenge_fixture(entry):
    from crawler.discover.challenges import detect_challenge

    body = (DATA / "challenges" / entry["file"]).read_bytes()
    got = detect_challenge(entry["status"], body, entry["content_type"])
    expected = entry["expected"]
    if expected is None:
        assert got is None, f"real page taken for a challenge ({got!r}); evidence: {entry['evidence']}"
        return
    assert got is not None, f"challenge page not recognised (expected {expected}); evidence: {entry['evidence']}"
    assert got.kind in {"jsl", "ruishu", "shield", "waf"}, got.kind
    if expected != "any":
        assert got.kind == expected, f"kind {got.kind!r}, expected {expected!r}; evidence: {entry['evidence']}"
    assert got.solvable is (got.kind != "waf")


# --------------------------------------------------------------------------- JSON list APIs


def _params(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def _body_dict(body) -> dict:
    if body is None:
        return {}
    if isinstance(body, dict):
        return body
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    body = str(body)
    try:
        value = json.loads(body)
        if isinstance(value, dict):
            return value
    except ValueError:
        pass
    return dict(parse_qsl(body, keep_blank_values=True))


def _read(entry):
    from crawler.discover.jsonapi import read_api_page

    data = json.loads((DATA / "apis" / entry["file"]).read_text(encoding="utf-8"))
    return read_api_page(data, entry["api_url"])


@pytest.mark.parametrize("entry", APIS, ids=_ids(APIS))
def test_api_records(entry):
    page = _read(entry)
    if "count" in entry:
        assert len(page.records) == entry["count"], [r.url for r in page.records]
    if "records" in entry:
        got = [(r.url, r.title) for r in page.records]
        want = [(r["url"], r["title"]) for r in entry["records"]]
        assert got == want, f"evidence: {entry['evidence']}"
        for record, exp in zip(page.records, entry["records"]):
            if "date" in exp:
                assert record.date == exp["date"], f"{record.url}: date {record.date!r}, expected {exp['date']!r}"


@pytest.mark.parametrize("entry", [e for e in APIS if e["total"] != "skip"], ids=_ids([e for e in APIS if e["total"] != "skip"]))
def test_api_total(entry):
    assert _read(entry).total == entry["total"], f"evidence: {entry['evidence']}"


NEXT = [e for e in APIS if "next" in e]


@pytest.mark.parametrize("entry", NEXT, ids=_ids(NEXT))
def test_api_next_call(entry):
    from crawler.discover.jsonapi import ApiCall, next_api_call

    spec = entry["next"]
    call_spec = dict(spec["call"])
    body = call_spec.pop("body", None)
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False)
    call = ApiCall(call_spec["url"], method=call_spec.get("method", "GET"), body=body,
                   content_type=call_spec.get("content_type"))
    got = next_api_call(call, _read(entry), spec["seen"])
    expected = spec["expected"]
    if expected is None:
        assert got is None, f"expected no further call, got {got!r}"
        return
    assert got is not None, f"no next call; evidence: {entry['evidence']}"
    assert got.method.upper() == expected["method"]
    before, after = _params(call.url), _params(got.url)
    if "params" in expected:
        for key, value in expected["params"].items():
            assert after.get(key) == value, f"{key}={after.get(key)!r} in {got.url}"
        unchanged = {k: v for k, v in before.items() if k not in expected["params"]}
        assert {k: after.get(k) for k in unchanged} == unchanged, got.url
    if "json_body" in expected:
        assert _body_dict(got.body) == expected["json_body"], got.body


# --------------------------------------------------------------------------- classification


@pytest.mark.parametrize("entry", CLASSIFY, ids=_ids(CLASSIFY))
def test_classify_fixture(entry):
    from crawler.judge.classify import classify
    from crawler.read.encoding import decode_html
    from crawler.read.extract import extract_page
    from crawler.read.metadata import extract_metadata

    raw = (DATA / "classify" / entry["file"]).read_bytes()
    page = extract_page(decode_html(raw).text)
    decision = classify(page, extract_metadata(page, entry["url"]))
    assert decision.is_report is entry["is_report"], (
        f"is_report={decision.is_report} kind={decision.kind!r} reasons={decision.reasons!r}; evidence: {entry['evidence']}")
    if entry["is_report"]:
        assert decision.kind == "report"
    else:
        assert decision.kind != "report"


def test_fixture_counts():
    assert len(CHALLENGES) >= 15 and len(APIS) >= 12 and len(CLASSIFY) >= 30
    reports = sum(e["is_report"] for e in CLASSIFY)
    assert abs(reports - (len(CLASSIFY) - reports)) <= 5
