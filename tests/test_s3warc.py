"""crawler.archive.s3warc against a real S3 endpoint (moto's server on 127.0.0.1): real WARCs up, back down, into a WACZ."""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path
from typing import Any

import pytest

from crawler.archive.s3archive import S3Archive
from crawler.archive.s3warc import download_warcs, export_wacz_from_archive, upload_warcs
from crawler.archive.warc import WaczError, WarcWriter, warc_files
# the moto server, its plain client and the fake credentials are test_s3archive's fixtures
from tests.test_s3archive import GBK_HTML, PDF_LIKE, all_keys, aws_env, count_calls, s3, server  # noqa: F401

PREFIX = "archive/v1"
WHEN = "2024-03-05T08:09:10Z"
PAGE = "http://127.0.0.9/zwgk/2023ndbg.html"
PDF = "http://127.0.0.9/zwgk/2023ndbg.pdf"
LIST = "http://127.0.0.9/zwgk/index.html"


_buckets = iter(range(10_000))


@pytest.fixture
def archive(server, s3) -> S3Archive:
    bucket = f"nianbao-warc-{next(_buckets)}"
    s3.create_bucket(Bucket=bucket)
    return S3Archive(f"s3://{bucket}/{PREFIX}", endpoint_url=server.url, connect_timeout=1, read_timeout=5,
                     max_outage=5)


@pytest.fixture
def store(tmp_path) -> Path:
    """A local store with three finished WARCs (one exchange each): a GBK page, a PDF-like binary, a listing."""
    root = tmp_path / "store"
    html = [("Content-Type", "text/html; charset=gbk")]
    with WarcWriter(root, max_bytes=1, prefix="t") as writer:     # every exchange closes its file
        writer.write_exchange(PAGE, "GET", [("User-Agent", "nianbao")], 200, html, GBK_HTML, WHEN)
        writer.write_exchange(PDF, "GET", [], 200, [("Content-Type", "application/pdf")], PDF_LIKE, WHEN)
        writer.write_exchange(LIST, "GET", [], 200, html, "<html>年度报告</html>".encode("gbk"), WHEN)
    assert len(warc_files(root)) == 3
    return root


def _expected_keys(root: Path) -> list[str]:
    return [k for w in warc_files(root) for k in (f"{PREFIX}/warc/{w.name}", f"{PREFIX}/warc/cdxj/{w.name}.cdxj")]


def _object(s3: Any, archive: S3Archive, key: str) -> bytes:
    return s3.get_object(Bucket=archive.bucket, Key=key)["Body"].read()


def test_upload_puts_finished_warcs_and_their_indexes_once(store, archive, s3):
    # a live writer's file: never shipped
    (store / "warc" / "t-live-00009.warc.gz.open").write_bytes(warc_files(store)[0].read_bytes())
    # a WARC whose index was lost: made again before the upload
    lost = store / "warc" / "cdxj" / (warc_files(store)[1].name + ".cdxj")
    lost.unlink()

    keys = upload_warcs(store, archive)

    assert keys == _expected_keys(store)
    assert all_keys(s3, archive.bucket) == sorted(keys)
    assert lost.exists() and lost.stat().st_size > 0
    for warc in warc_files(store):
        assert _object(s3, archive, f"{PREFIX}/warc/{warc.name}") == warc.read_bytes()
        cdxj = store / "warc" / "cdxj" / (warc.name + ".cdxj")
        assert _object(s3, archive, f"{PREFIX}/warc/cdxj/{cdxj.name}") == cdxj.read_bytes()

    puts, heads = count_calls(archive, "PutObject"), count_calls(archive, "HeadObject")
    assert upload_warcs(store, archive) == keys
    assert puts == [] and len(heads) == len(keys)


def test_upload_replaces_a_differing_object(store, archive, s3, caplog):
    keys = upload_warcs(store, archive)
    s3.put_object(Bucket=archive.bucket, Key=keys[0], Body=b"not the WARC")     # damaged behind our back
    puts = count_calls(archive, "PutObject")
    with caplog.at_level(logging.WARNING, logger="crawler.archive.s3archive"):
        assert upload_warcs(store, archive) == keys
    assert len(puts) == 1 and puts[0]["url_path"].endswith("/" + keys[0])
    assert "uploading it again" in caplog.text
    assert _object(s3, archive, keys[0]) == warc_files(store)[0].read_bytes()


def test_download_gives_back_identical_warcs(store, archive, tmp_path):
    upload_warcs(store, archive)
    dest = tmp_path / "restored"
    got = download_warcs(archive, dest)
    assert [p.name for p in got] == [w.name for w in warc_files(store)]
    for local, restored in zip(warc_files(store), got):
        assert restored == dest / "warc" / local.name and restored.read_bytes() == local.read_bytes()
    assert sorted(p.name for p in (dest / "warc").iterdir()) == [w.name for w in warc_files(store)]   # no cdxj


def _wacz(path: Path) -> tuple[set[str], list[dict]]:
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        pages = [json.loads(line) for line in z.read("pages/pages.jsonl").splitlines()[1:]]
    return names, pages


def test_export_wacz_from_archive_lists_the_feed_reports(store, archive, tmp_path):
    upload_warcs(store, archive)
    archive.put_feed_part("run-1", [{"url": PAGE, "title": "2023年政府信息公开工作年度报告", "fetched_at": WHEN}])
    archive.put_feed_part("run-1", [{"url": PDF, "title": None, "fetched_at": WHEN}])

    out = export_wacz_from_archive(archive, tmp_path / "out" / "s3.wacz", title="nianbao s3")

    assert out == tmp_path / "out" / "s3.wacz" and out.is_file()
    names, pages = _wacz(out)
    assert {"archive/" + w.name for w in warc_files(store)} | {"datapackage.json"} <= names
    assert [(p["url"], p["title"], p["ts"]) for p in pages] == [
        (PAGE, "2023年政府信息公开工作年度报告", WHEN), (PDF, PDF, WHEN)]


def test_export_leaves_local_indexing_as_it_was(store, archive, tmp_path):
    """py-wacz, once imported, would add warcinfo lines to every index: a remade one must not differ."""
    keys = upload_warcs(store, archive)
    index = store / "warc" / "cdxj" / (warc_files(store)[0].name + ".cdxj")
    before = index.read_bytes()
    export_wacz_from_archive(archive, tmp_path / "a.wacz")
    index.unlink()
    puts = count_calls(archive, "PutObject")
    assert upload_warcs(store, archive) == keys
    assert index.read_bytes() == before and b"warc-fields" not in before and puts == []
    export_wacz_from_archive(archive, tmp_path / "b.wacz")     # a second export in the process packs the same
    with zipfile.ZipFile(tmp_path / "a.wacz") as a, zipfile.ZipFile(tmp_path / "b.wacz") as b:
        assert a.read("indexes/index.cdx.gz") == b.read("indexes/index.cdx.gz")


def test_export_without_feed_lists_archived_html(store, archive, tmp_path):
    upload_warcs(store, archive)
    names, pages = _wacz(export_wacz_from_archive(archive, tmp_path / "plain.wacz"))
    assert {"archive/" + w.name for w in warc_files(store)} <= names
    assert sorted(p["url"] for p in pages) == sorted([PAGE, LIST])


def test_export_of_an_archive_without_warcs_fails(archive, tmp_path):
    archive.put_feed_part("run-1", [{"url": PAGE, "title": "t", "fetched_at": WHEN}])
    with pytest.raises(WaczError, match="no WARC"):
        export_wacz_from_archive(archive, tmp_path / "none.wacz")
    assert not (tmp_path / "none.wacz").exists()
