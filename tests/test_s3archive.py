"""crawler.archive.s3archive against a real S3 endpoint: moto's server mode on 127.0.0.1, as a subprocess.

The outage tests pause the server with SIGSTOP (TCP still accepted, nothing answered: timeouts) or kill it
(connection refused), so the archive's retry loop runs against real sockets, not mocks.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError, ReadTimeoutError, SSLError

from crawler.archive.s3archive import (
    ArchiveIntegrityError,
    ArchiveUnavailable,
    S3Archive,
    _is_outage,
    make_client,
    parse_archive_url,
)
from crawler.archive.storage import StoreError
from tests.servers import MotoServer

LOGGER = "crawler.archive.s3archive"
OUTAGE_LINE = "S3 endpoint unreachable, retrying for up to"

# Real-world shapes: a GBK page (bytes that are not UTF-8) and a PDF-like binary with NULs and CRLFs.
GBK_HTML = ("<html><head><meta charset=\"gbk\"><title>2023年政府信息公开工作年度报告</title></head>"
            "<body>松山镇人民政府 主动公开政府信息情况</body></html>").encode("gbk")
PDF_LIKE = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\r\n" + bytes(range(256)) * 40 + b"\r\nstartxref\n0\n%%EOF\n"


def b64sha(body: bytes) -> str:
    return base64.b64encode(hashlib.sha256(body).digest()).decode()


@pytest.fixture(scope="module", autouse=True)
def aws_env() -> Iterator[None]:
    """Fake credentials for this test process (and the moto subprocess) only; never a real profile or IMDS."""
    with pytest.MonkeyPatch.context() as mp:
        for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
                    "AWS_RETRY_MODE", "AWS_CA_BUNDLE"):
            mp.delenv(var, raising=False)
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        mp.setenv("AWS_DEFAULT_REGION", "us-east-1")
        mp.setenv("AWS_CONFIG_FILE", os.devnull)
        mp.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
        # two botocore attempts per call (default 3): a paused endpoint reaches the outer loop within the
        # ~3 s pause below; also proves the attempt count is botocore's, tunable from the environment
        mp.setenv("AWS_MAX_ATTEMPTS", "2")
        yield


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[MotoServer]:
    """One server for the tests that do not break it; each test gets its own bucket."""
    srv = MotoServer(tmp_path_factory.mktemp("moto") / "moto.log")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def own_server(tmp_path) -> Iterator[MotoServer]:
    """A server of the test's own, to pause or kill."""
    srv = MotoServer(tmp_path / "moto.log")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def s3(server) -> Any:
    """A plain client, for what the tests do behind the archive's back (its hooks do not see these calls)."""
    return make_client(server.url)


_buckets = iter(range(10_000))


@pytest.fixture
def bucket(s3) -> str:
    name = f"nianbao-test-{next(_buckets)}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def archive(server, bucket) -> S3Archive:
    return S3Archive(f"s3://{bucket}/archive/v1", endpoint_url=server.url, connect_timeout=1, read_timeout=2,
                     max_outage=5)


def count_calls(archive: S3Archive, operation: str) -> list[dict]:
    """Parameters of every `operation` API call the archive's client makes from now on."""
    seen: list[dict] = []
    archive.client.meta.events.register(f"before-call.s3.{operation}",
                                        lambda params, **_: seen.append(params))
    return seen


def all_keys(client: Any, bucket: str) -> list[str]:
    resp = client.list_objects_v2(Bucket=bucket)
    return sorted(o["Key"] for o in resp.get("Contents", ()))


def outage_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == LOGGER and r.levelno == logging.WARNING and OUTAGE_LINE in r.getMessage()]


# -- URL and configuration --------------------------------------------------------------------------

def test_parse_archive_url():
    assert parse_archive_url("s3://nianbao") == ("nianbao", "")
    assert parse_archive_url("s3://nianbao/") == ("nianbao", "")
    assert parse_archive_url("s3://nianbao/archive/v1/") == ("nianbao", "archive/v1")
    for bad in ("", "nianbao/archive", "http://nianbao/archive", "s3://", "s3:///archive", "s3://ab/x",
                "s3://key:secret@nianbao/x", "s3://nianbao:9000/x", "s3://nianbao/a//b", "s3://nianbao/../x",
                "s3://nianbao/x?versionId=1", "s3://nian bao/x"):
        with pytest.raises(ValueError, match="s3://"):
            parse_archive_url(bad)
    with pytest.raises(ValueError):
        S3Archive("file:///tmp/store")


def test_client_has_short_timeouts_and_standard_retries():
    archive = S3Archive("s3://nianbao/a", endpoint_url="http://127.0.0.1:9")     # no request at construction
    config = archive.client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (3.0, 10.0)
    assert config.retries == {"mode": "standard", "total_max_attempts": 2}        # AWS_MAX_ATTEMPTS honoured
    assert archive.raw_key("ab" + "c" * 62) == "a/raw/sha256/ab/cc/ab" + "c" * 62
    with pytest.raises(ValueError):
        S3Archive("s3://nianbao/a", endpoint_url="http://127.0.0.1:9", client=archive.client)


def test_what_counts_as_an_outage():
    # moto cannot be made to answer 5xx on demand: the classification is checked on botocore's own errors
    def answer(status: int, code: str) -> ClientError:
        return ClientError({"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "PutObject")

    for waitable in (answer(503, "SlowDown"), answer(500, "InternalError"), answer(502, ""), answer(429, ""),
                     answer(400, "RequestTimeout"), EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
                     ReadTimeoutError(endpoint_url="http://127.0.0.1:9")):
        assert _is_outage(waitable), waitable
    for fatal in (answer(404, "NoSuchBucket"), answer(403, "AccessDenied"), answer(501, "NotImplemented"),
                  answer(412, "PreconditionFailed"), SSLError(endpoint_url="https://x", error="bad cert"),
                  NoCredentialsError()):
        assert not _is_outage(fatal), fatal


# -- raw bytes --------------------------------------------------------------------------------------

def test_put_get_byte_exact_with_content_addressed_keys(server, s3, bucket, archive):
    bodies = [GBK_HTML, PDF_LIKE, b""]              # empty bodies are archived too (LocalStore does the same)
    digests = [archive.put_raw(body) for body in bodies]
    assert digests == [hashlib.sha256(b).hexdigest() for b in bodies]
    for body, digest in zip(bodies, digests):
        got = archive.get_raw(digest)
        assert got == body and type(got) is bytes
    assert all_keys(s3, bucket) == sorted(f"archive/v1/raw/sha256/{d[:2]}/{d[2:4]}/{d}" for d in digests)
    root = S3Archive(f"s3://{bucket}", endpoint_url=server.url)
    root_digest = root.put_raw(b"at the bucket root")
    assert f"raw/sha256/{root_digest[:2]}/{root_digest[2:4]}/{root_digest}" in all_keys(s3, bucket)


def test_get_raw_absent_or_invalid_digest(archive):
    gets = count_calls(archive, "GetObject")
    assert archive.get_raw("0" * 64) is None
    assert len(gets) == 1
    for bad in ("../../etc/passwd", "A" * 64, "0" * 63, "g" * 64):
        assert archive.get_raw(bad) is None
    assert len(gets) == 1                           # invalid digests never reach the endpoint


def test_second_put_of_same_body_does_no_put(archive):
    puts = count_calls(archive, "PutObject")
    heads = count_calls(archive, "HeadObject")
    first = archive.put_raw(PDF_LIKE)
    again = S3Archive(f"s3://{archive.bucket}/{archive.prefix}", client=archive.client).put_raw(PDF_LIKE)
    assert first == again
    assert len(puts) == 1 and len(heads) == 2


def test_put_raw_sends_the_sha256_checksum_header(archive):
    sent: list[dict[str, str]] = []

    def capture(request, **_: Any) -> None:
        sent.append({k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()})

    archive.client.meta.events.register("before-send.s3.PutObject", capture)
    archive.put_raw(GBK_HTML)
    (headers,) = sent
    assert headers["x-amz-checksum-sha256"] == b64sha(GBK_HTML)
    assert headers["x-amz-sdk-checksum-algorithm"] == "SHA256"
    # a plain header, not botocore's default CRC32 nor an aws-chunked trailer
    assert "x-amz-checksum-crc32" not in headers and "aws-chunked" not in headers.get("content-encoding", "")
    head = archive.client.head_object(Bucket=archive.bucket, Key=archive.raw_key(hashlib.sha256(GBK_HTML).hexdigest()),
                                      ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == b64sha(GBK_HTML)


@pytest.mark.xfail(strict=True, reason="moto 5.2.5 stores x-amz-checksum-sha256 (and Content-MD5) without "
                                       "verifying it; AWS S3 answers 400 BadDigest")
def test_server_rejects_an_upload_whose_checksum_does_not_match(s3, archive):
    key = archive.raw_key(hashlib.sha256(GBK_HTML).hexdigest())
    with pytest.raises(ClientError) as info:
        s3.put_object(Bucket=archive.bucket, Key=key, Body=GBK_HTML, ChecksumAlgorithm="SHA256",
                                  ChecksumSHA256=b64sha(b"something else"))
    assert info.value.response["Error"]["Code"] in ("BadDigest", "InvalidRequest", "XAmzContentChecksumMismatch")


def test_object_stored_with_wrong_checksum_is_refused_then_repaired(s3, archive, caplog):
    """What a server that does not verify (moto) lets through: reads refuse it, the next put replaces it."""
    digest = hashlib.sha256(GBK_HTML).hexdigest()
    s3.put_object(Bucket=archive.bucket, Key=archive.raw_key(digest), Body=GBK_HTML,
                              ChecksumAlgorithm="SHA256", ChecksumSHA256=b64sha(b"something else"))
    with pytest.raises(ArchiveIntegrityError, match=digest):
        archive.get_raw(digest)
    puts = count_calls(archive, "PutObject")
    assert archive.put_raw(GBK_HTML) == digest
    assert len(puts) == 1                           # not taken for an intact copy
    assert any("does not match its content address" in r.getMessage() for r in caplog.records)
    assert archive.get_raw(digest) == GBK_HTML

    # same length, other bytes, stored without any SHA-256 (another tool): caught by the MD5 ETag and the
    # content address
    good, bad = b"original-bytes", b"ORIGINAL-BYTES"
    key = archive.raw_key(hashlib.sha256(good).hexdigest())
    s3.put_object(Bucket=archive.bucket, Key=key, Body=bad)
    with pytest.raises(ArchiveIntegrityError):
        archive.get_raw(hashlib.sha256(good).hexdigest())
    archive.put_raw(good)
    assert len(puts) == 2 and archive.get_raw(hashlib.sha256(good).hexdigest()) == good


def test_put_raw_checks_what_the_server_acknowledges(archive):
    """Servers that answer with another checksum, or none (older S3-compatibles: the ETag is the MD5)."""
    mode: dict[str, str] = {}

    def doctor(parsed, **_: Any) -> None:
        if mode.get("checksum") == "wrong":
            parsed["ChecksumSHA256"] = b64sha(b"something else")
        if mode.get("checksum") == "none":
            parsed.pop("ChecksumSHA256", None)
        if mode.get("etag") == "wrong":
            parsed["ETag"] = '"0123456789abcdef0123456789abcdef"'

    archive.client.meta.events.register("after-call.s3.PutObject", doctor)
    mode.update(checksum="wrong")
    with pytest.raises(ArchiveIntegrityError, match="server stored SHA-256"):
        archive.put_raw(b"one")
    mode.update(checksum="none")
    assert archive.get_raw(archive.put_raw(b"two")) == b"two"        # MD5 ETag confirms it
    mode.update(checksum="none", etag="wrong")
    with pytest.raises(ArchiveIntegrityError, match="confirmed neither"):
        archive.put_raw(b"three")


def test_missing_bucket_is_an_error_not_an_outage(server, caplog):
    archive = S3Archive("s3://nianbao-no-such-bucket/a", endpoint_url=server.url, max_outage=30)
    started = time.monotonic()
    with pytest.raises(StoreError, match="NoSuchBucket") as info:
        archive.put_raw(b"x")
    assert not isinstance(info.value, ArchiveUnavailable)
    assert time.monotonic() - started < 5 and not outage_lines(caplog)


# -- feed -------------------------------------------------------------------------------------------

def test_feed_parts_read_back_in_key_order(archive):
    first, second = "20250101T000000-11", "20250102T000000-22"
    # written out of key order: the later run flushes first
    k3 = archive.put_feed_part(second, [{"id": "c", "title": "第三"}])
    k1 = archive.put_feed_part(first, [{"id": "a1", "title": "年度报告"}, {"id": "a2", "title": None}])
    k2 = archive.put_feed_part(first, [{"id": "b", "agency": "松山镇人民政府"}])
    assert (k1, k2, k3) == (f"archive/v1/feed/{first}-000000.jsonl", f"archive/v1/feed/{first}-000001.jsonl",
                            f"archive/v1/feed/{second}-000000.jsonl")
    archive.list_page_size = 2                      # three parts: two ListObjectsV2 pages
    lists = count_calls(archive, "ListObjectsV2")
    assert [r["id"] for r in archive.read_feed()] == ["a1", "a2", "b", "c"]
    assert len(lists) == 2
    assert archive.read_feed()[2]["agency"] == "松山镇人民政府"
    with pytest.raises(ValueError):
        archive.put_feed_part("../evil", [{"id": "x"}])
    with pytest.raises(ValueError):
        archive.put_feed_part(first, [])


def test_feed_part_with_torn_last_line_skips_that_line(s3, archive):
    archive.put_feed_part("20250101T000000-1", [{"id": "before"}])
    torn = b'{"id": "t1"}\n\n{"id": "t2"}\n{"id": "t3", "title": "\xe5\xb9\xb4\xe5'   # cut inside a UTF-8 char
    s3.put_object(Bucket=archive.bucket, Key=archive.feed_part_key("20250101T000000-1", 1), Body=torn)
    archive.put_feed_part("20250101T000000-2", [{"id": "after"}])
    assert [r["id"] for r in archive.read_feed()] == ["before", "t1", "t2", "after"]


def test_feed_numbering_never_overwrites_a_part(server, s3, archive):
    run = "20250101T000000-7"
    assert archive.put_feed_part(run, [{"id": 0}]).endswith(f"{run}-000000.jsonl")
    # a writer restarted under the same run id continues after the parts already there
    restarted = S3Archive(f"s3://{archive.bucket}/{archive.prefix}", endpoint_url=server.url)
    assert restarted.put_feed_part(run, [{"id": 1}]).endswith(f"{run}-000001.jsonl")
    # another writer's part sits where the next one would go: kept, and ours takes the following number
    s3.put_object(Bucket=archive.bucket, Key=archive.feed_part_key(run, 2), Body=b'{"id": "other"}\n')
    assert restarted.put_feed_part(run, [{"id": 3}]).endswith(f"{run}-000003.jsonl")
    # a retry of a part whose first PUT landed but whose answer was lost: same key, no second part
    restarted._next_seq[run] = 3
    assert restarted.put_feed_part(run, [{"id": 3}]).endswith(f"{run}-000003.jsonl")
    assert [r["id"] for r in archive.read_feed()] == [0, 1, "other", 3]


# -- outages, for real --------------------------------------------------------------------------------

def test_paused_endpoint_put_completes_exactly_once(own_server, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    s3 = make_client(own_server.url)
    s3.create_bucket(Bucket="nianbao-outage")
    archive = S3Archive("s3://nianbao-outage/a", endpoint_url=own_server.url, max_outage=30,
                        connect_timeout=0.5, read_timeout=0.5)
    before = archive.put_raw(b"before the outage")
    records = [{"id": "r1", "title": "2023年度报告"}, {"id": "r2"}]
    results: dict[str, Any] = {}

    def run(name: str, call) -> None:
        try:
            results[name] = call()
        except BaseException as exc:        # reported by the assertions below
            results[name] = exc

    own_server.pause()
    threads = [threading.Thread(target=run, args=("raw", lambda: archive.put_raw(PDF_LIKE))),
               threading.Thread(target=run, args=("feed", lambda: archive.put_feed_part("run-1", records)))]
    try:
        for t in threads:
            t.start()
        time.sleep(3)
        assert all(t.is_alive() for t in threads) and not results      # waiting, not failing
    finally:
        own_server.resume()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)
    digest = hashlib.sha256(PDF_LIKE).hexdigest()
    assert results == {"raw": digest, "feed": "a/feed/run-1-000000.jsonl"}
    assert archive.get_raw(digest) == PDF_LIKE
    assert all_keys(s3, "nianbao-outage") == sorted(
        [archive.raw_key(before), archive.raw_key(digest), "a/feed/run-1-000000.jsonl"])
    assert archive.read_feed() == records
    assert outage_lines(caplog) == [outage_lines(caplog)[0]] and "up to 30 s" in outage_lines(caplog)[0]
    assert any("answering again" in r.getMessage() for r in caplog.records)


def test_endpoint_gone_gives_up_after_max_outage(own_server, caplog):
    make_client(own_server.url).create_bucket(Bucket="nianbao-gone")
    archive = S3Archive("s3://nianbao-gone/a", endpoint_url=own_server.url, max_outage=1.5,
                        connect_timeout=0.5, read_timeout=0.5)
    archive.put_raw(b"kept")
    own_server.stop()
    started = time.monotonic()
    with pytest.raises(ArchiveUnavailable) as info:
        archive.put_raw(b"never written")
    elapsed = time.monotonic() - started
    assert 1.5 <= elapsed < 8
    message = str(info.value)
    assert "\n" not in message and own_server.url in message and "1.5 s" in message
    assert isinstance(info.value, StoreError)
    assert len(outage_lines(caplog)) == 1 and "up to 1.5 s" in outage_lines(caplog)[0]
    # the same outage, already given up on: the next call tries once, fails fast, logs nothing new
    started = time.monotonic()
    with pytest.raises(ArchiveUnavailable):
        archive.get_raw(hashlib.sha256(b"kept").hexdigest())
    assert time.monotonic() - started < 3 and len(outage_lines(caplog)) == 1


def test_restarted_endpoint_serves_the_next_put(own_server, caplog):
    s3 = make_client(own_server.url)
    s3.create_bucket(Bucket="nianbao-restart")
    archive = S3Archive("s3://nianbao-restart/a", endpoint_url=own_server.url, max_outage=0.2,
                        connect_timeout=0.5, read_timeout=0.5)
    lost = archive.put_raw(b"held only by the old in-memory server")
    own_server.stop()
    with pytest.raises(ArchiveUnavailable):
        archive.put_raw(b"after restart")
    own_server.start()                              # same port, empty: the bucket has to be made again
    s3.create_bucket(Bucket="nianbao-restart")
    digest = archive.put_raw(b"after restart")
    assert archive.get_raw(digest) == b"after restart"
    assert archive.get_raw(lost) is None            # really a fresh server
    assert all_keys(s3, "nianbao-restart") == [archive.raw_key(digest)]
    # that success closed the outage: the next one is logged again
    own_server.stop()
    with pytest.raises(ArchiveUnavailable):
        archive.put_feed_part("run-2", [{"id": "x"}])
    assert len(outage_lines(caplog)) == 2
