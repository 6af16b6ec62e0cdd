"""Feed lines are checked against the JSON Schema kept in the repo; a broken record is never written."""

import json

import pytest

from crawler.archive.feed import FeedError, FeedWriter, feed_schema, read_feed, validate_record


def _record(**over):
    rec = {
        "schema_version": 1, "id": "a" * 64, "url": "http://127.0.0.2/zwgk/zfxxgknb/201902/t20190227_1.html",
        "urls": ["http://127.0.0.2/zwgk/zfxxgknb/201902/t20190227_1.html"],
        "title": "松山镇2018年政府信息公开工作年度报告", "agency": "松山镇人民政府", "year": 2018,
        "published": "2019-02-27", "text": "松山镇2018年政府信息公开工作年度报告\n行政处罚\t5\t0\t0",
        "raw": {"sha256": "b" * 64, "length": 10, "content_type": "text/html", "encoding": "utf-8"},
        "attachments": [], "fetched_at": "2026-11-24T10:00:00Z", "site": "127.0.0.2:8000",
    }
    rec.update(over)
    return rec


def test_schema_lists_the_contract_fields():
    required = set(feed_schema()["required"])
    assert {"id", "url", "urls", "title", "agency", "year", "published", "text", "raw", "attachments",
            "fetched_at", "site"} <= required


@pytest.mark.parametrize("field,value", [("id", "not-a-hash"), ("published", "2019/02/27"), ("year", "2018"),
                                         ("urls", []), ("text", ""), ("raw", {"sha256": "b" * 64})])
def test_invalid_records_are_refused(field, value):
    with pytest.raises(FeedError) as err:
        validate_record(_record(**{field: value}))
    assert field in str(err.value) or "required" in str(err.value) or "short" in str(err.value)


def test_writer_appends_valid_lines_and_refuses_broken_ones(tmp_path):
    writer = FeedWriter(tmp_path / "feed", "run1")
    writer.append(_record())
    with pytest.raises(FeedError):
        writer.append(_record(published="yesterday"))
    writer.append(_record(id="c" * 64, year=None, agency=None))
    writer.close()
    lines = (tmp_path / "feed" / "run1.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["text"].endswith("行政处罚\t5\t0\t0")
    assert [r["id"] for r in read_feed(tmp_path / "feed")] == ["a" * 64, "c" * 64]
