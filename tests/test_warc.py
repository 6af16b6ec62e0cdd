"""WARC 1.1 output (crawler.archive.warc, pipelines.warc): records read back with warcio, CDXJ, WACZ, replay in pywb.

Everything real: warcio reads and checks what the writer wrote, cdxj-indexer and py-wacz index and package
it, a real crawl of the replica portals writes it through the pipeline, and a real pywb serves it back.
Only loopback addresses are used.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gzip
import hashlib
import io
import json
import logging
import os
import random
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.archive.feed import read_feed
from crawler.archive.storage import open_store
from crawler.archive.warc import (ORIG_PREFIX, WarcWriter, finish_open_files, payload_digest, payload_headers,
                          warc_files, write_cdxj)
from tests.conftest import BIN, FAST, REPO, run_nianbao

WHEN = "2024-05-01T10:00:00Z"
NAME_RX = re.compile(r"^(?P<prefix>[a-z]+)-(?P<stamp>\d{17})-(?P<serial>\d{5})\.warc\.gz$")

GBK_HTML = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
            "<title>2023年度政府信息公开工作年度报告</title></head>"
            "<body><p>本报告由县人民政府办公室编制，数据统计期限为2023年1月1日至12月31日。</p>"
            "</body></html>").encode("gbk")
GBK_FILENAME = "报告.pdf".encode("gbk").decode("latin-1")     # Content-Disposition bytes as Scrapy hands them over


@functools.cache
def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "2023 annual report"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _read(path: Path) -> list[dict]:
    """Every record of a WARC: type, headers, raw payload, what a reader decodes, and the digest check."""
    out = []
    with open(path, "rb") as fh:
        for rec in ArchiveIterator(fh, check_digests=True):
            raw = rec.raw_stream.read()
            out.append({"type": rec.rec_type, "warc": rec.rec_headers, "http": rec.http_headers, "raw": raw,
                        "id": rec.rec_headers.get_header("WARC-Record-ID"),
                        "digest_ok": rec.digest_checker.passed})
    # a second pass for content_stream(): what a replay tool decodes from the headers (chunked, gzip ...)
    with open(path, "rb") as fh:
        for entry, rec in zip(out, ArchiveIterator(fh)):
            entry["decoded"] = rec.content_stream().read()
    return out


def _warcio_check(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "warcio"), "check", "-v", *map(str, paths)], capture_output=True, text=True,
                          timeout=60)


# -- unit: records --------------------------------------------------------------------------------------
def test_exchanges_read_back_exactly_with_valid_digests(tmp_path):
    pdf = _pdf()
    gz_body = "<html><body>年度报告 gzip</body></html>".encode("utf-8")
    html_headers = [("Server", "nginx"), ("Content-Type", "text/html; charset=gbk"),
                    ("Content-Length", str(len(GBK_HTML))), ("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2")]
    pdf_headers = [("Content-Type", "application/pdf"),
                   ("Content-Disposition", f'attachment; filename="{GBK_FILENAME}"')]
    gz_headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
                  ("Transfer-Encoding", "chunked"), ("Content-Length", str(len(gzip.compress(gz_body)))),
                  ("Vary", "Accept-Encoding")]
    req = [("Accept", "text/html"), ("User-Agent", "nianbao/0.1"), ("Accept-Encoding", "gzip, deflate")]

    with WarcWriter(tmp_path) as writer:
        w_html = writer.write_exchange("http://127.0.0.2/nb/2023.html?id=7", "GET", req, 200, html_headers, GBK_HTML,
                                       WHEN)
        w_pdf = writer.write_exchange("http://127.0.0.2/files/2023.pdf", "GET", req, 200, pdf_headers, pdf,
                                      "2024-05-01T10:00:05+00:00")
        w_dup = writer.write_exchange("http://127.0.0.2/mirror/2023.pdf", "GET", req, 200, pdf_headers, pdf,
                                      "2024-05-01T10:01:00Z")
        w_gz = writer.write_exchange("http://127.0.0.2/gz.html", "GET", req, 200, gz_headers, gz_body, WHEN)
    assert [w.record_type for w in (w_html, w_pdf, w_dup, w_gz)] == ["response", "response", "revisit", "response"]

    (path,) = warc_files(tmp_path)
    assert not list((tmp_path / "warc").glob("*.open"))
    assert NAME_RX.match(path.name).group("prefix") == "nianbao"
    recs = _read(path)
    assert [r["type"] for r in recs] == ["warcinfo", "response", "request", "response", "request",
                                         "revisit", "request", "response", "request"]
    assert all(r["warc"].protocol == "WARC/1.1" for r in recs)
    assert recs[0]["warc"].get_header("WARC-Filename") == path.name

    # every response is followed by its request, linked by WARC-Concurrent-To, same URI and date
    for resp, request in zip(recs[1::2], recs[2::2]):
        assert request["warc"].get_header("WARC-Concurrent-To") == resp["id"]
        for name in ("WARC-Target-URI", "WARC-Date"):
            assert request["warc"].get_header(name) == resp["warc"].get_header(name)

    html, html_req = recs[1], recs[2]
    assert html["warc"].get_header("WARC-Target-URI") == "http://127.0.0.2/nb/2023.html?id=7"
    assert html["warc"].get_header("WARC-Date") == WHEN
    assert html["http"].statusline == "200 OK" and html["http"].protocol == "HTTP/1.1"
    assert html["http"].headers == html_headers                  # order and repeats as received, nothing rewritten
    assert html["raw"] == html["decoded"] == GBK_HTML
    assert html_req["http"].protocol == "GET" and html_req["http"].statusline == "/nb/2023.html?id=7 HTTP/1.1"
    assert html_req["http"].headers == [("Host", "127.0.0.2"), *req]

    pdf_rec = recs[3]
    assert pdf_rec["raw"] == pdf and pdf_rec["http"].get_header("Content-Length") == str(len(pdf))
    assert pdf_rec["warc"].get_header("WARC-Date") == "2024-05-01T10:00:05Z"
    # the GBK filename went into the record as the bytes the server sent, not %-encoded
    assert f'filename="{GBK_FILENAME}"'.encode("latin-1") in gzip.decompress(path.read_bytes())

    for rec, body in ((html, GBK_HTML), (pdf_rec, pdf), (recs[7], gz_body)):
        digest = "sha256:" + base64.b32encode(hashlib.sha256(body).digest()).decode()
        assert rec["warc"].get_header("WARC-Payload-Digest") == digest == payload_digest(body)
        assert rec["warc"].get_header("WARC-Block-Digest").startswith("sha256:")
    assert all(r["digest_ok"] is True for r in recs if r["type"] != "revisit")   # warcio verified block+payload

    revisit = recs[5]
    assert revisit["warc"].get_header("WARC-Target-URI") == "http://127.0.0.2/mirror/2023.pdf"
    assert revisit["warc"].get_header("WARC-Profile") == \
        "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
    assert revisit["warc"].get_header("WARC-Refers-To-Target-URI") == "http://127.0.0.2/files/2023.pdf"
    assert revisit["warc"].get_header("WARC-Refers-To-Date") == "2024-05-01T10:00:05Z"
    assert revisit["warc"].get_header("WARC-Refers-To") == pdf_rec["id"]
    assert revisit["warc"].get_header("WARC-Payload-Digest") == payload_digest(pdf)
    assert revisit["raw"] == b"" and revisit["http"].get_header("Content-Type") == "application/pdf"
    assert (w_dup.refers_to_uri, w_dup.refers_to_date) == ("http://127.0.0.2/files/2023.pdf", "2024-05-01T10:00:05Z")

    # decoded body + encoding headers would be misread: they are kept under X-Archive-Orig-, length made true
    gz = recs[7]
    assert gz["http"].headers == [
        ("Content-Type", "text/html; charset=utf-8"), (ORIG_PREFIX + "Content-Encoding", "gzip"),
        (ORIG_PREFIX + "Transfer-Encoding", "chunked"), (ORIG_PREFIX + "Content-Length", gz_headers[3][1]),
        ("Content-Length", str(len(gz_body))), ("Vary", "Accept-Encoding")]
    assert gz["raw"] == gz["decoded"] == gz_body

    check = _warcio_check(path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("digest pass") == 8 and "revisit" in check.stdout


def test_payload_headers_keep_codings_the_fetcher_could_not_undo():
    # a coding no fetcher decodes stays on the body, so its header stays too; a missing length is added
    assert payload_headers([("Content-Encoding", "x-foo")], 3) == [("Content-Encoding", "x-foo"),
                                                                   ("Content-Length", "3")]
    assert payload_headers([("content-encoding", "br"), ("Content-Length", "3")], 3) == [
        (ORIG_PREFIX + "content-encoding", "br"), ("Content-Length", "3")]


def test_rotation_by_size(tmp_path):
    rnd = random.Random(3)
    bodies = [rnd.randbytes(5000) for _ in range(6)]      # incompressible: each exchange adds > 5000 bytes
    with WarcWriter(tmp_path, max_bytes=8000, prefix="rot") as writer:
        written = [writer.write_exchange(f"http://127.0.0.3/f{i}.pdf", "GET", [], 200,
                                         [("Content-Type", "application/pdf")], body, WHEN)
                   for i, body in enumerate(bodies)]
    files = warc_files(tmp_path)
    assert len(files) == 3 and [w.filename for w in written] == [f.name for f in files for _ in (0, 1)]
    assert [NAME_RX.match(f.name).group("serial") for f in files] == ["00000", "00001", "00002"]
    assert {NAME_RX.match(f.name).group("prefix") for f in files} == {"rot"}
    for n, f in enumerate(files):
        recs = _read(f)
        assert [r["type"] for r in recs] == ["warcinfo", "response", "request", "response", "request"]
        assert recs[0]["warc"].get_header("WARC-Filename") == f.name
        assert [r["raw"] for r in recs if r["type"] == "response"] == bodies[2 * n:2 * n + 2]
        # a file is closed once it passes max_bytes, not before
        assert f.stat().st_size >= 8000 or n == 2
        assert (tmp_path / "warc" / "cdxj" / (f.name + ".cdxj")).exists()
    assert not list((tmp_path / "warc").glob("*.open"))


def test_cdxj_index_points_at_each_capture(tmp_path):
    pdf = _pdf()
    with WarcWriter(tmp_path, max_bytes=1) as writer:      # one exchange a file
        writer.write_exchange("http://127.0.0.4/b/2023.html", "GET", [], 200,
                              [("Content-Type", "text/html; charset=gbk")], GBK_HTML, WHEN)
        writer.write_exchange("http://127.0.0.4/a/2023.pdf", "GET", [], 200, [("Content-Type", "application/pdf")],
                              pdf, "2024-05-02T08:30:00Z")
        writer.write_exchange("http://127.0.0.4/c/copy.pdf", "GET", [], 200, [("Content-Type", "application/pdf")],
                              pdf, "2024-05-03T08:30:00Z")
    # a later run adds a file: the merged index covers both runs
    with WarcWriter(tmp_path) as writer:
        later = writer.write_exchange("http://127.0.0.4/a/2023.pdf", "GET", [], 200,
                                      [("Content-Type", "application/pdf")], pdf, "2025-01-01T00:00:00Z")
    assert later.record_type == "revisit"          # the payload index outlived the first writer
    index = write_cdxj(tmp_path)
    assert index == tmp_path / "warc" / "index.cdxj"
    lines = index.read_text("utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == 4          # responses and revisits; requests are not indexed
    entries = []
    for line in lines:
        key, stamp, blob = line.split(" ", 2)
        entries.append((key, stamp, json.loads(blob)))
    assert [(e[0], e[1], e[2]["mime"]) for e in entries] == [
        ("4,0,0,127)/a/2023.pdf", "20240502083000", "application/pdf"),
        ("4,0,0,127)/a/2023.pdf", "20250101000000", "warc/revisit"),
        ("4,0,0,127)/b/2023.html", "20240501100000", "text/html"),
        ("4,0,0,127)/c/copy.pdf", "20240503083000", "warc/revisit")]
    for _, _, fields in entries:
        assert fields["status"] == "200"
        path = tmp_path / "warc" / fields["filename"]
        with open(path, "rb") as fh:
            fh.seek(int(fields["offset"]))
            member = fh.read(int(fields["length"]))
        rec = next(iter(ArchiveIterator(io.BytesIO(member))))
        assert rec.rec_headers.get_header("WARC-Target-URI") == fields["url"]
        assert rec.rec_headers.get_header("WARC-Payload-Digest") == fields["digest"]
    assert entries[0][2]["digest"] == payload_digest(pdf)
    assert len({e[2]["filename"] for e in entries}) == 4


_KILLED_WRITER = textwrap.dedent("""
    import random, sys
    from crawler.archive.warc import WarcWriter
    rnd = random.Random(7)
    writer = WarcWriter(sys.argv[1])
    for i, size in enumerate([2000, 3000, 300_000]):
        writer.write_exchange(f"http://127.0.0.5/{i}.pdf", "GET", [], 200, [("Content-Type", "application/pdf")],
                              rnd.randbytes(size), "2024-05-01T10:00:00Z")
    print("not killed")
""")


def test_killed_writer_leaves_open_file_the_next_writer_finishes(tmp_path):
    # a real SIGKILL in the middle of the third (300 kB) response record, through crawler.archive.crashpoints
    proc = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(tmp_path)], cwd=REPO, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "NIANBAO_CRASH_AT": "warc:20"})
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr
    (left,) = (tmp_path / "warc").glob("*.warc.gz.open")
    assert warc_files(tmp_path) == []                          # readers see no WARC yet
    torn_size = left.stat().st_size

    rnd = random.Random(7)
    bodies = [rnd.randbytes(n) for n in (2000, 3000, 300_000)]
    with WarcWriter(tmp_path) as writer:                       # the next run finishes it first
        (done,) = warc_files(tmp_path)
        assert done.name == left.name.removesuffix(".open") and not left.exists()
        assert done.stat().st_size < torn_size                 # the torn record was cut away
        recs = _read(done)
        assert [r["type"] for r in recs] == ["warcinfo", "response", "request", "response", "request"]
        assert [r["raw"] for r in recs if r["type"] == "response"] == bodies[:2]
        assert _warcio_check(done).returncode == 0
        assert (tmp_path / "warc" / "cdxj" / (done.name + ".cdxj")).exists()

        # what was whole before the kill dedupes; the torn payload was never remembered
        again = writer.write_exchange("http://127.0.0.5/again.pdf", "GET", [], 200, [], bodies[0], WHEN)
        torn = writer.write_exchange("http://127.0.0.5/2.pdf", "GET", [], 200, [], bodies[2], WHEN)
        assert (again.record_type, again.refers_to_uri) == ("revisit", "http://127.0.0.5/0.pdf")
        assert torn.record_type == "response"

        # a live writer's file is locked: finishing leaves it alone
        live = writer.current
        assert finish_open_files(tmp_path) == [] and live.exists()
    assert not live.exists() and len(warc_files(tmp_path)) == 2


_FULL_DISK_WRITER = textwrap.dedent("""
    import random, resource, signal, sys
    from crawler.archive.warc import WarcWriter
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)          # past the limit write() fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
    rnd = random.Random(5)
    with WarcWriter(sys.argv[1]) as writer:
        writer.write_exchange("http://127.0.0.5/a.pdf", "GET", [], 200, [], rnd.randbytes(2000), "2024-05-01T10:00:00Z")
        try:
            writer.write_exchange("http://127.0.0.5/big.pdf", "GET", [], 200, [], rnd.randbytes(300_000),
                                  "2024-05-01T10:00:00Z")
        except OSError as exc:
            print("refused", exc.errno)
        writer.write_exchange("http://127.0.0.5/c.pdf", "GET", [], 200, [], rnd.randbytes(3000), "2024-05-01T10:00:00Z")
""")


def test_failed_write_is_cut_back_before_the_next_exchange(tmp_path):
    # a real EFBIG from the OS in the middle of a record (the file size limit plays a full disk)
    proc = subprocess.run([sys.executable, "-c", _FULL_DISK_WRITER, str(tmp_path)], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and "refused 27" in proc.stdout, proc.stdout + proc.stderr
    (path,) = warc_files(tmp_path)
    recs = _read(path)
    assert [(r["type"], r["warc"].get_header("WARC-Target-URI")) for r in recs[1:]] == [
        ("response", "http://127.0.0.5/a.pdf"), ("request", "http://127.0.0.5/a.pdf"),
        ("response", "http://127.0.0.5/c.pdf"), ("request", "http://127.0.0.5/c.pdf")]
    assert _warcio_check(path).returncode == 0


# -- unit: the pipeline ----------------------------------------------------------------------------------
def _page(url: str, body: bytes, **kw):
    from crawler.items import FetchedFile, FetchedPage

    attachments = [FetchedFile(url=url + ".pdf", final_url=url + ".pdf", status=200,
                               headers=[("Content-Type", "application/pdf")], request_headers=[], body=_pdf(),
                               fetched_at=WHEN)]
    return FetchedPage(url=url, final_url=url, status=200, headers=[("Content-Type", "text/html; charset=gbk")],
                       request_headers=[("Accept", "*/*")], body=body, fetched_at=kw.pop("fetched_at", WHEN),
                       site="127.0.0.6", attachments=attachments, **kw)


def test_pipeline_writes_pages_and_attachments_and_never_drops_on_failure(tmp_path, caplog):
    from scrapy import signals
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.misc import build_from_crawler
    from scrapy.utils.test import get_crawler

    from pipelines.warc import WarcPipeline

    off = get_crawler(settings_dict={"NIANBAO_STORE": str(tmp_path / "off"), "NIANBAO_WARC": False})
    with pytest.raises(NotConfigured):
        build_from_crawler(WarcPipeline, off)

    crawler = get_crawler(settings_dict={"NIANBAO_STORE": str(tmp_path / "store")})
    pipeline = build_from_crawler(WarcPipeline, crawler)
    good = _page("http://127.0.0.6/nb/1.html", GBK_HTML)
    bad = _page("http://127.0.0.6/nb/2.html", b"<html>2</html>", fetched_at="yesterday")   # unparseable date
    with caplog.at_level(logging.WARNING, logger="pipelines.warc"):
        assert pipeline.process_item(good) is good
        assert pipeline.process_item(bad) is bad
    (failure,) = [f for f in crawler.nianbao_store.failures() if f["stage"] == "warc"]
    assert (failure["url"], failure["site"]) == ("http://127.0.0.6/nb/2.html", "127.0.0.6")
    assert "ValueError" in failure["reason"]
    (warning,) = [r for r in caplog.records if r.name == "pipelines.warc"]
    assert "nb/2.html" in warning.getMessage() and "\n" not in warning.getMessage()
    assert crawler.stats.get_value("nianbao/warc/failures") == 1
    assert crawler.stats.get_value("nianbao/warc/response") == 2            # the page and its PDF
    assert crawler.stats.get_value("nianbao/warc/revisit") == 1             # the bad page's PDF: same bytes

    crawler.signals.send_catch_log(signal=signals.spider_closed, spider=None, reason="finished")
    root = tmp_path / "store"
    (path,) = warc_files(root)
    assert not list((root / "warc").glob("*.open"))
    urls = [r["warc"].get_header("WARC-Target-URI") for r in _read(path) if r["type"] in ("response", "revisit")]
    assert urls == ["http://127.0.0.6/nb/1.html", "http://127.0.0.6/nb/1.html.pdf", "http://127.0.0.6/nb/2.html.pdf"]
    assert len((root / "warc" / "index.cdxj").read_text().splitlines()) == 3


# -- through a real crawl -----------------------------------------------------------------------------------
SITES = ("yangcheng", "tongyu", "fujian")


@pytest.fixture(scope="module")
def warc_crawl(replica, tmp_path_factory) -> Path:
    """One crawl of three replica portals through the CLI (the WARC pipeline is in the default settings)."""
    store = tmp_path_factory.mktemp("warc-crawl") / "store"
    proc = run_nianbao("crawl", *(replica.url(site, "/") for site in SITES), "--store", str(store), *FAST,
                       timeout=240)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-3000:]
    return store


def _captures(root: Path) -> list[dict]:
    out = []
    for path in warc_files(root):
        out += [dict(r, file=path) for r in _read(path) if r["type"] in ("response", "revisit")]
    return out


def test_crawl_writes_every_archived_fetch_as_warc(warc_crawl):
    store = open_store(warc_crawl)
    captures = _captures(warc_crawl)
    assert not list((warc_crawl / "warc").glob("*.open"))
    by_digest = {c["warc"].get_header("WARC-Payload-Digest"): c for c in captures if c["type"] == "response"}

    fetches = store.fetches()
    fetched_uris = {f["final_url"] for f in fetches}
    # one response or revisit per archived fetch, at the URL the bytes came from, with those bytes' digest
    assert Counter((c["warc"].get_header("WARC-Target-URI"), c["warc"].get_header("WARC-Payload-Digest"))
                   for c in captures if c["warc"].get_header("WARC-Target-URI") in fetched_uris) == \
        Counter((f["final_url"], payload_digest(store.get_raw(f["sha256"]))) for f in fetches)
    assert len(fetches) > 0
    # ... and every listing page the walk fetched: each site's home page and report column pages
    listings = {c["warc"].get_header("WARC-Target-URI") for c in captures
                if c["warc"].get_header("WARC-Target-URI") not in fetched_uris}
    columns = [u for host in {urllib.parse.urlsplit(f["url"]).netloc for f in fetches} for u in store.listing_urls(host)]
    assert columns and set(columns) <= listings
    assert {urllib.parse.urlsplit(u).netloc for u in listings} >= {urllib.parse.urlsplit(c).netloc for c in columns}
    for capture in captures:
        if capture["warc"].get_header("WARC-Target-URI") in listings and capture["type"] == "response":
            assert capture["http"].get_statuscode() == "200"
            assert b"<" in capture["raw"][:2000]                   # the listing's HTML (or the API's JSON)
    for fetch in fetches:
        digest = payload_digest(store.get_raw(fetch["sha256"]))
        assert digest == "sha256:" + base64.b32encode(bytes.fromhex(fetch["sha256"])).decode()
        assert digest in by_digest                              # a revisit's original is in the WARCs too
    for capture in captures:
        if capture["type"] == "revisit":
            original = by_digest[capture["warc"].get_header("WARC-Payload-Digest")]
            assert capture["warc"].get_header("WARC-Refers-To-Target-URI") == \
                original["warc"].get_header("WARC-Target-URI")
    for digest, capture in by_digest.items():
        if capture["warc"].get_header("WARC-Target-URI") in listings:
            continue                                            # listing pages are in the WARCs only
        hex_digest = base64.b32decode(digest.removeprefix("sha256:")).hex()
        assert capture["raw"] == store.get_raw(hex_digest)     # the exact stored bytes

    feed = read_feed(warc_crawl / "feed")
    assert len({r["site"] for r in feed}) == len(SITES)
    wanted = {r["raw"]["sha256"] for r in feed} | {a["sha256"] for r in feed for a in r["attachments"]}
    have = {base64.b32decode(d.removeprefix("sha256:")).hex() for d in by_digest}
    assert wanted <= have

    check = _warcio_check(*warc_files(warc_crawl))
    assert check.returncode == 0 and "failed" not in check.stdout, check.stdout
    lines = (warc_crawl / "warc" / "index.cdxj").read_text("utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(captures)


@pytest.fixture(scope="module")
def crawl_wacz(warc_crawl, tmp_path_factory) -> Path:
    """`nianbao export wacz`, the CLI contract."""
    out = tmp_path_factory.mktemp("wacz") / "nianbao.wacz"
    proc = run_nianbao("export", "wacz", "--store", str(warc_crawl), "--out", str(out), "--title", "nianbao test crawl")
    assert proc.returncode == 0 and b"validated" in proc.stderr, proc.stderr.decode()
    return out


def test_crawl_exports_a_valid_wacz(warc_crawl, crawl_wacz):
    proc = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(crawl_wacz)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0 and "the passed WACZ is valid" in proc.stdout, proc.stdout + proc.stderr
    with zipfile.ZipFile(crawl_wacz) as wacz:
        names = set(wacz.namelist())
        assert {"archive/" + p.name for p in warc_files(warc_crawl)} <= names
        assert {"indexes/index.cdx.gz", "indexes/index.idx", "pages/pages.jsonl", "datapackage.json"} <= names
        package = json.loads(wacz.read("datapackage.json"))
        for resource in package["resources"]:                   # every member is there under its sha256
            assert resource["hash"] == "sha256:" + hashlib.sha256(wacz.read(resource["path"])).hexdigest()
        listed = [json.loads(line) for line in wacz.read("pages/pages.jsonl").splitlines()[1:]]
    # the entry points are the fed reports, each at its capture time, under its title
    assert {(p["url"], p["title"], p["ts"]) for p in listed} == \
        {(r["url"], r["title"] or r["url"], r["fetched_at"]) for r in read_feed(warc_crawl / "feed")}


# -- replay in pywb ----------------------------------------------------------------------------------------
# pywb lives in a virtualenv of its own: it pins old pyOpenSSL/werkzeug/redis and brings brotlipy, whose
# `brotli` package shadows Brotli's module in a shared environment and breaks Scrapy's br decoding.
PYWB_VERSION = "2.10.0"
PYWB_HOME = REPO / ".cache" / "pywb"


def _pywb_bin() -> Path:
    """The bin/ of pywb's virtualenv: NIANBAO_PYWB_BIN, else .cache/pywb, made once (about 30 s) if absent."""
    given = os.environ.get("NIANBAO_PYWB_BIN")
    if given:
        return Path(given)
    bin_dir = PYWB_HOME / "bin"
    if not (bin_dir / "wayback").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PYWB_HOME)], check=True, timeout=120)
        subprocess.run([str(bin_dir / "pip"), "install", "--quiet", f"pywb=={PYWB_VERSION}"], check=True,
                       timeout=900, capture_output=True)
    return bin_dir


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(url: str) -> tuple[int, bytes]:
    try:
        with _OPENER.open(url, timeout=20) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def pywb(warc_crawl, crawl_wacz, tmp_path_factory):
    """pywb on loopback with three collections: the crawl's WACZ (unpacked by wb-manager), the store's own
    WARC directory with its index.cdxj, and a small WARC whose capture is a revisit of another URL."""
    pywb_bin = _pywb_bin()
    home = tmp_path_factory.mktemp("pywb")
    dedup = home / "dedup-root"
    with WarcWriter(dedup) as writer:
        writer.write_exchange("http://127.0.0.7/a.pdf", "GET", [], 200, [("Content-Type", "application/pdf")],
                              _pdf(), WHEN)
        assert writer.write_exchange("http://127.0.0.7/b.pdf", "GET", [], 200, [("Content-Type", "application/pdf")],
                                     _pdf(), "2024-05-02T10:00:00Z").record_type == "revisit"
    write_cdxj(dedup)
    for args in (["init", "wacz"], ["add", "--unpack-wacz", "wacz", str(crawl_wacz)]):
        proc = subprocess.run([str(pywb_bin / "wb-manager"), *args], cwd=home, capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 0, proc.stderr
    (home / "config.yaml").write_text(json.dumps({"collections": {   # JSON is YAML
        "direct": {"index_paths": str(warc_crawl / "warc" / "index.cdxj"),
                   "archive_paths": str(warc_crawl / "warc") + "/"},
        "dedup": {"index_paths": str(dedup / "warc" / "index.cdxj"), "archive_paths": str(dedup / "warc") + "/"},
    }}))
    with serve_wayback(pywb_bin, home) as base:
        yield base


@contextlib.contextmanager
def serve_wayback(pywb_bin: Path, home: Path):
    """pywb's `wayback` on a free loopback port, serving the collections under `home`; yields its base URL."""
    port = _free_port()
    with open(home / "pywb.log", "wb") as log:
        server = subprocess.Popen([str(pywb_bin / "wayback"), "--bind", "127.0.0.1", "--port", str(port)], cwd=home,
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if _get(base + "/")[0] == 200:
                        break
                except OSError:
                    pass
                assert server.poll() is None and time.monotonic() < deadline, (home / "pywb.log").read_text()
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(10)


def _stamp(fetched_at: str) -> str:
    return re.sub(r"\D", "", fetched_at)[:14]


def test_pywb_replays_archived_bytes_exactly(warc_crawl, pywb, replica):
    store = open_store(warc_crawl)
    fetches = store.fetches()
    feed = read_feed(warc_crawl / "feed")

    def report_page(site: str) -> dict:
        host = urllib.parse.urlsplit(replica.url(site, "/")).hostname
        url = next(r["url"] for r in feed if urllib.parse.urlsplit(r["url"]).hostname == host
                   and r["raw"]["kind"] == "html")
        return next(f for f in fetches if f["url"] == url)

    yangcheng, tongyu = report_page("yangcheng"), report_page("tongyu")
    assert _not_utf8(store.get_raw(tongyu["sha256"]))          # the GBK portal's page is really not UTF-8
    fujian_host = urllib.parse.urlsplit(replica.url("fujian", "/")).hostname
    pdf = next(f for f in fetches if urllib.parse.urlsplit(f["url"]).hostname == fujian_host
               and (f["content_type"] or "").startswith("application/pdf")
               and store.get_raw(f["sha256"]).startswith(b"%PDF"))

    for fetch in (yangcheng, tongyu, pdf):
        raw = store.get_raw(fetch["sha256"])
        for coll in ("wacz", "direct"):
            status, body = _get(f"{pywb}/{coll}/{_stamp(fetch['fetched_at'])}id_/{fetch['final_url']}")
            assert status == 200, (coll, fetch["final_url"], body[:300])
            assert body == raw, (coll, fetch["final_url"])

    # a report column's listing page replays too (the walk's own fetches are in the WARCs)
    columns = set(store.listing_urls(urllib.parse.urlsplit(yangcheng["url"]).netloc))
    listing = next(c for c in _captures(warc_crawl)
                   if c["type"] == "response" and c["warc"].get_header("WARC-Target-URI") in columns)
    uri, when = listing["warc"].get_header("WARC-Target-URI"), listing["warc"].get_header("WARC-Date")
    for coll in ("wacz", "direct"):
        status, body = _get(f"{pywb}/{coll}/{_stamp(when)}id_/{uri}")
        assert status == 200 and body == listing["raw"], (coll, uri)

    # a revisit replays with its original's payload, fetched from the other URL's record
    status, body = _get(f"{pywb}/dedup/20240502100000id_/http://127.0.0.7/b.pdf")
    assert status == 200 and body == _pdf()
    assert _get(f"{pywb}/direct/20240101000000id_/http://127.0.0.1:1/never-archived.html")[0] == 404


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False
