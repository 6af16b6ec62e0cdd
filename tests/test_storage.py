"""The embedded store: byte-exact content-addressed archive, catalogue, unusable locations."""

import hashlib
import os

import pytest

from crawler.archive.storage import FetchRecord, StoreError, open_store


def test_raw_bytes_come_back_exactly_and_are_keyed_by_content(tmp_path):
    store = open_store(tmp_path / "s")
    body = "点击数：17\n".encode("gb18030") + bytes(range(256))
    digest = store.put_raw(body)
    assert digest == hashlib.sha256(body).hexdigest()
    assert store.get_raw(digest) == body
    path = store.raw_path(digest)
    assert path.relative_to(tmp_path / "s").parts[:4] == ("raw", "sha256", digest[:2], digest[2:4])
    assert store.put_raw(body) == digest                      # idempotent
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]
    assert store.get_raw("0" * 64) is None
    assert store.get_raw("../../etc/passwd") is None


def test_claim_is_once_per_id_and_urls_accumulate(tmp_path):
    store = open_store(tmp_path / "s")
    kw = dict(title="t", agency="松山镇人民政府", year=2018, published="2019-02-27", site="h", signature=b"x")
    assert store.claim_report("a" * 64, "http://h/1", "b" * 64, **kw) is True
    assert store.claim_report("a" * 64, "http://h/2", "c" * 64, **kw) is False
    store.add_report_url("a" * 64, "http://other/1", "d" * 64, "near_duplicate")
    urls = dict(store.report_urls("a" * 64))
    assert urls == {"http://h/1": "first", "http://h/2": "same_content", "http://other/1": "near_duplicate"}
    assert [r["id"] for r in store.reports()] == ["a" * 64]


def test_fetch_records_keep_headers_in_order_with_repeats(tmp_path):
    store = open_store(tmp_path / "s")
    headers = [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("Content-Type", "text/html; charset=gbk")]
    store.record_fetch(FetchRecord(url="http://h/x", final_url="http://h/y", method="GET", status=200,
                                   request_headers=[("User-Agent", "nianbao")], response_headers=headers,
                                   fetched_at="2026-01-01T00:00:00Z", sha256="e" * 64, length=3,
                                   content_type="text/html; charset=gbk"))
    (row,) = store.fetches("e" * 64)
    import json
    assert [tuple(h) for h in json.loads(row["response_headers"])] == headers
    assert row["final_url"] == "http://h/y"


def test_store_that_cannot_be_created_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError):
        open_store(blocker / "store")
    with pytest.raises(StoreError):
        open_store("")
    with pytest.raises(StoreError):
        open_store("s3://bucket/prefix")


def test_catalogue_uses_wal(tmp_path):
    store = open_store(tmp_path / "s")
    mode = store._exec("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    store.close()
    assert os.path.exists(tmp_path / "s" / "nianbao.sqlite")
