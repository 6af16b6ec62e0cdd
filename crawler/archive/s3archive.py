"""The archive and the feed on S3-compatible object storage (AWS S3, MinIO, Ceph RGW, OSS...), through boto3.

The scale-out counterpart of the raw-bytes half of `crawler.archive.storage.LocalStore` and of `crawler.archive.feed`; the
Scrapy wiring comes later. Layout under s3://BUCKET/PREFIX:

  PREFIX/raw/sha256/ab/cd/<sha256>       exact bytes as served, keyed by content only (never by URL)
  PREFIX/feed/<run_id>-<seq:06d>.jsonl   feed parts: S3 has no append, so the caller buffers lines and
                                         writes one whole part every N records / T seconds

Credentials come from boto3's standard chain (environment, profile, instance role...). The endpoint is
`endpoint_url` or, when that is None, botocore's own AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL / profile setting.

Integrity: every PUT carries the SHA-256 of its body (x-amz-checksum-sha256), so a server that verifies
checksums rejects a corrupted upload, and the checksum (or, from servers without flexible checksums, the
MD5 ETag) it answers with must match ours. Reads are checked by botocore (stored checksum) and against the
content address.

Outages: botocore's standard retry mode absorbs blips (AWS_MAX_ATTEMPTS tunes it); while the endpoint stays
unreachable or answers 5xx, an outer loop backs off (exponential, capped, jittered) and logs one line per
outage, then gives up after `max_outage` seconds with ArchiveUnavailable. Retries never duplicate: raw keys
are content-addressed, and a feed part keeps its key (and content) across retries.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError as BotoConnectionError,
    FlexibleChecksumError,
    HTTPClientError,
    IncompleteReadError,
    SSLError,
)

from crawler.archive.storage import StoreError

__all__ = ["S3Archive", "ArchiveUnavailable", "ArchiveIntegrityError", "parse_archive_url", "make_client"]

log = logging.getLogger(__name__)
T = TypeVar("T")

# An unresponsive endpoint must show within seconds, not botocore's 60 s defaults. The read timeout also
# bounds each socket send, so a slow upload link is fine as long as it keeps moving.
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 10.0
_BACKOFF_FIRST = 0.5
_BACKOFF_CAP = 30.0
# Answers that are not 5xx but mean "come back later", as botocore's standard mode treats them; plus the
# 409 S3 gives a conditional PUT racing another on the same key (our own stale attempt): retry that key.
_TRANSIENT_CODES = frozenset({"SlowDown", "Throttling", "ThrottlingException", "RequestTimeout",
                              "RequestTimeoutException", "ServiceUnavailable", "InternalError",
                              "ConditionalRequestConflict"})
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MD5_ETAG = re.compile(r"[0-9a-f]{32}")
_BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,254}")
_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class ArchiveUnavailable(StoreError):
    """The S3 endpoint stayed unreachable (or kept answering 5xx) for longer than `max_outage`."""


class ArchiveIntegrityError(StoreError):
    """The endpoint stored or served bytes other than the ones sent (checksum mismatch)."""


class FeedPartTaken(ArchiveIntegrityError):
    """A feed part's key already holds other bytes (another writer's part): never overwritten."""


def parse_archive_url(url: str) -> tuple[str, str]:
    """`s3://BUCKET[/PREFIX]` -> (bucket, prefix without leading/trailing slashes; "" for the bucket root)."""
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"archive URL must look like s3://BUCKET/PREFIX, got {url!r}")
    if "@" in parts.netloc or ":" in parts.netloc:
        # credentials belong in the standard chain, the endpoint in endpoint_url: never in the archive URL
        raise ValueError(f"archive URL {url!r}: no credentials or port here (use the AWS credential chain "
                         "and endpoint_url)")
    if parts.query or parts.fragment:
        raise ValueError(f"archive URL {url!r}: no query or fragment allowed")
    if not _BUCKET.fullmatch(parts.netloc):
        raise ValueError(f"archive URL {url!r}: {parts.netloc!r} is not a valid bucket name")
    prefix = parts.path.strip("/")
    if prefix and any(seg in ("", ".", "..") for seg in prefix.split("/")):
        raise ValueError(f"archive URL {url!r}: empty, '.' or '..' path segment in the prefix")
    return parts.netloc, prefix


def make_client(endpoint_url: str | None = None, *, connect_timeout: float = CONNECT_TIMEOUT,
                read_timeout: float = READ_TIMEOUT, addressing_style: str | None = None) -> Any:
    """An S3 client with short timeouts and botocore's standard retry mode.

    The attempt count is left to botocore (3 by default, AWS_MAX_ATTEMPTS or the profile's max_attempts).
    `addressing_style="path"` suits MinIO/Ceph behind a plain host name; AWS and OSS want the default.
    """
    config = Config(connect_timeout=connect_timeout, read_timeout=read_timeout, retries={"mode": "standard"},
                    s3={"addressing_style": addressing_style} if addressing_style else None)
    # a session of its own: boto3's default session is not safe to create clients from in several threads
    return boto3.session.Session().client("s3", endpoint_url=endpoint_url, config=config)


def _is_outage(exc: BaseException) -> bool:
    """Whether `exc` means "the endpoint is not answering properly now" (worth waiting for)."""
    if isinstance(exc, SSLError):
        return False                    # a certificate problem does not heal by waiting
    if isinstance(exc, (BotoConnectionError, HTTPClientError, IncompleteReadError)):
        return True                     # refused, timed out, reset, truncated body
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        code = exc.response.get("Error", {}).get("Code", "")
        # 501 Not Implemented: a feature this server lacks, waiting will not bring it
        return (status >= 500 and status != 501) or status == 429 or code in _TRANSIENT_CODES
    return False


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())


class S3Archive:
    """Content-addressed raw bytes and feed parts under s3://BUCKET/PREFIX. Safe to share between threads."""

    #: keys per ListObjectsV2 page (S3's maximum; smaller only to exercise pagination)
    list_page_size = 1000

    def __init__(self, url: str, *, endpoint_url: str | None = None, max_outage: float = 600.0, client=None,
                 connect_timeout: float = CONNECT_TIMEOUT, read_timeout: float = READ_TIMEOUT,
                 addressing_style: str | None = None):
        self.bucket, self.prefix = parse_archive_url(url)
        if max_outage < 0:
            raise ValueError(f"max_outage must be >= 0, got {max_outage!r}")
        if client is not None and endpoint_url is not None:
            raise ValueError("pass either client or endpoint_url, not both")
        self.max_outage = float(max_outage)
        self.client = client if client is not None else make_client(
            endpoint_url, connect_timeout=connect_timeout, read_timeout=read_timeout,
            addressing_style=addressing_style)
        self.endpoint = self.client.meta.endpoint_url
        self._outage_lock = threading.Lock()
        self._outage_since: float | None = None     # monotonic start of the current outage, shared by threads
        self._seq_lock = threading.Lock()
        self._next_seq: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"S3Archive(s3://{self.bucket}/{self.prefix} at {self.endpoint})"

    # -- keys --------------------------------------------------------------------------------------
    def _key(self, rest: str) -> str:
        return f"{self.prefix}/{rest}" if self.prefix else rest

    def raw_key(self, sha256: str) -> str:
        return self._key(f"raw/sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}")

    @property
    def feed_prefix(self) -> str:
        return self._key("feed/")

    def feed_part_key(self, run_id: str, seq: int) -> str:
        return f"{self.feed_prefix}{run_id}-{seq:06d}.jsonl"

    # -- raw bytes ---------------------------------------------------------------------------------
    def put_raw(self, body: bytes) -> str:
        """Archive `body` under its sha256 and return the hex digest; an intact copy is not uploaded again.

        Empty bodies are archived like any other (an empty 200 is still what the server sent).
        """
        body = bytes(body)
        digest = hashlib.sha256(body)
        hexdigest = digest.hexdigest()
        key = self.raw_key(hexdigest)
        want = _Fingerprint(body, digest)

        def attempt() -> None:
            # HEAD and PUT retry together: after a lost answer the HEAD finds the PUT that did land
            head = self._head(key)
            if head is not None:
                if want.matches(head):
                    return
                log.warning("s3://%s/%s does not match its content address: uploading it again", self.bucket, key)
            resp = self.client.put_object(Bucket=self.bucket, Key=key, Body=body,
                                          ContentType="application/octet-stream", **want.put_args())
            want.confirm(resp, f"s3://{self.bucket}/{key}")

        self._call("PutObject", key, attempt)
        return hexdigest

    def get_raw(self, sha256: str) -> bytes | None:
        """The archived bytes, or None when absent or `sha256` is not a lowercase hex digest."""
        if not isinstance(sha256, str) or not _HEX64.fullmatch(sha256):
            return None
        key = self.raw_key(sha256)
        body = self._get(key)
        if body is not None and hashlib.sha256(body).hexdigest() != sha256:
            # an object written by some other tool without a checksum, then damaged
            raise ArchiveIntegrityError(f"s3://{self.bucket}/{key}: content does not match its sha256")
        return body

    # -- files and plain objects -------------------------------------------------------------------
    def put_file(self, rest: str, path: str | os.PathLike) -> str:
        """Upload the bytes of the local file `path` to PREFIX/`rest` and return the key.

        Checked as put_raw is: an intact identical object is left alone (HEAD, no PUT), a differing one is
        replaced with a warning, the upload carries its SHA-256. The whole file is read into memory (WARCs
        rotate at ~1 GB, which a single PUT, limit 5 GB, still takes); multipart streaming would lift that.
        """
        body = Path(path).read_bytes()
        key = self._key(rest)
        want = _Fingerprint(body, hashlib.sha256(body))

        def attempt() -> None:
            head = self._head(key)
            if head is not None:
                if want.matches(head):
                    return
                log.warning("s3://%s/%s differs from %s: uploading it again", self.bucket, key, path)
            resp = self.client.put_object(Bucket=self.bucket, Key=key, Body=body,
                                          ContentType="application/octet-stream", **want.put_args())
            want.confirm(resp, f"s3://{self.bucket}/{key}")

        self._call("PutObject", key, attempt)
        return key

    def list_keys(self, rest_prefix: str) -> list[str]:
        """Every key under PREFIX/`rest_prefix`, sorted (full keys, prefix included)."""
        return self._list(self._key(rest_prefix))

    def get_object_bytes(self, rest: str) -> bytes | None:
        """The bytes at PREFIX/`rest` (stored checksum checked by botocore), or None when absent."""
        return self._get(self._key(rest))

    # -- feed --------------------------------------------------------------------------------------
    def put_feed_part(self, run_id: str, records: list[dict]) -> str:
        """Write `records` as one JSONL part of run `run_id` and return its key.

        Records are validated by the caller (crawler.archive.feed.validate_record). Parts are numbered per run,
        continuing after the parts already in the bucket; a retry rewrites the same key with the same bytes.
        """
        if not records:
            raise ValueError("put_feed_part needs at least one record")
        while True:
            key = self.reserve_feed_part(run_id)
            try:
                self.write_feed_part(key, records)
            except FeedPartTaken:
                log.warning("s3://%s/%s already holds another part: writing the next number", self.bucket, key)
                continue
            return key

    def reserve_feed_part(self, run_id: str) -> str:
        """The key of run `run_id`'s next part, before it is written (a caller notes it, then write_feed_part)."""
        if not isinstance(run_id, str) or not _RUN_ID.fullmatch(run_id):
            raise ValueError(f"run_id must match {_RUN_ID.pattern}, got {run_id!r}")
        return self.feed_part_key(run_id, self._take_seq(run_id))

    def write_feed_part(self, key: str, records: list[dict]) -> None:
        """Write `records` as one JSONL part at `key` (from reserve_feed_part), never overwriting another part:
        a retry whose first attempt landed finds its own bytes there; anything else there is an error."""
        if not records:
            raise ValueError("write_feed_part needs at least one record")
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
        want = _Fingerprint(body, hashlib.sha256(body))

        def attempt() -> None:
            try:
                resp = self.client.put_object(Bucket=self.bucket, Key=key, Body=body, IfNoneMatch="*",
                                              ContentType="application/x-ndjson; charset=utf-8", **want.put_args())
            except ClientError as exc:
                if _error_code(exc) != "PreconditionFailed":
                    raise
                head = self._head(key)
                if head is not None and want.matches(head):
                    return
                raise FeedPartTaken(f"s3://{self.bucket}/{key} already holds another part") from exc
            want.confirm(resp, f"s3://{self.bucket}/{key}")

        self._call("PutObject", key, attempt)

    def object_exists(self, key: str) -> bool:
        """Whether the full key `key` (as reserve_feed_part gives it) is in the bucket."""
        return bool(self._call("HeadObject", key, lambda: self._head(key) is not None))

    def read_feed(self) -> list[dict]:
        """Every line of every part, parts in key order; an unparsable line (a torn copy) is skipped."""
        out: list[Any] = []
        for key in self._list(self.feed_prefix):
            if not key.endswith(".jsonl"):
                continue
            body = self._get(key)
            if body is None:            # deleted between the listing and the read
                continue
            for line in body.split(b"\n"):
                if not line.strip():
                    continue
                try:
                    out.append(json.loads(line.decode("utf-8")))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    continue
        return out

    def _take_seq(self, run_id: str) -> int:
        with self._seq_lock:
            if run_id not in self._next_seq:
                # a writer restarted under the same run id continues after the parts already written
                start = f"{self.feed_prefix}{run_id}-"
                seqs = [int(m.group(1)) for key in self._list(start)
                        if (m := re.fullmatch(r"(\d{6,})\.jsonl", key[len(start):]))]
                self._next_seq[run_id] = max(seqs, default=-1) + 1
            seq = self._next_seq[run_id]
            self._next_seq[run_id] = seq + 1
            return seq

    # -- S3 calls ----------------------------------------------------------------------------------
    def _head(self, key: str) -> dict | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
        except ClientError as exc:
            if _error_code(exc) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def _get(self, key: str) -> bytes | None:
        def attempt() -> bytes | None:
            try:
                # ChecksumMode: botocore checks the body against the stored checksum while reading it
                resp = self.client.get_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
            except ClientError as exc:
                if _error_code(exc) in ("NoSuchKey", "404"):
                    return None
                raise
            body = resp["Body"]
            try:
                # read() itself, not `with body as stream`: StreamingBody.__enter__ hands out the raw
                # urllib3 stream, which skips the checksum and Content-Length checks
                return body.read()
            finally:
                body.close()

        return self._call("GetObject", key, attempt)

    def _list(self, prefix: str) -> list[str]:
        def attempt() -> list[str]:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix, PaginationConfig={"PageSize": self.list_page_size})
            return sorted(obj["Key"] for page in pages for obj in page.get("Contents", ()))

        return self._call("ListObjectsV2", prefix, attempt)

    def _call(self, op: str, key: str, attempt: Callable[[], T]) -> T:
        """Run `attempt` (botocore calls, each already retried by botocore) until the endpoint answers.

        All threads share one outage: its first failure logs the one line and starts the clock, and once
        `max_outage` has passed every call gives up after a single attempt, until one succeeds again.
        """
        delay = _BACKOFF_FIRST
        while True:
            try:
                result = attempt()
            except (BotoCoreError, ClientError) as exc:
                if not _is_outage(exc):
                    if isinstance(exc, FlexibleChecksumError):
                        raise ArchiveIntegrityError(f"s3://{self.bucket}/{key}: {_one_line(exc)}") from exc
                    raise StoreError(f"S3 {op} s3://{self.bucket}/{key} failed: {_one_line(exc)}") from exc
                now = time.monotonic()
                with self._outage_lock:
                    if self._outage_since is None:
                        self._outage_since = now
                        log.warning("S3 endpoint unreachable, retrying for up to %g s (%s: %s)",
                                    self.max_outage, self.endpoint, _one_line(exc))
                    remaining = self._outage_since + self.max_outage - now
                if remaining <= 0:
                    raise ArchiveUnavailable(
                        f"S3 endpoint {self.endpoint} unreachable for {self.max_outage:g} s, gave up on {op}"
                        f" s3://{self.bucket}/{key}: {_one_line(exc)}") from exc
                # jittered over the upper half of the step: threads of one crawl do not retry in lockstep
                time.sleep(min(remaining, random.uniform(delay / 2, delay)))
                delay = min(delay * 2, _BACKOFF_CAP)
            else:
                if self._outage_since is not None:
                    with self._outage_lock:
                        if self._outage_since is not None:
                            log.info("S3 endpoint %s answering again after %.1f s", self.endpoint,
                                     time.monotonic() - self._outage_since)
                            self._outage_since = None
                return result


class _Fingerprint:
    """What an upload of `body` must look like on the server: its length, SHA-256 and (no SSE) MD5 ETag."""

    def __init__(self, body: bytes, sha256: Any):
        self.length = len(body)
        self.sha256_b64 = base64.b64encode(sha256.digest()).decode("ascii")
        self.md5 = hashlib.md5(body, usedforsecurity=False).hexdigest()

    def put_args(self) -> dict:
        # given explicitly, the checksum goes in a header: botocore then neither computes its default
        # CRC32 nor switches to aws-chunked trailers (which several S3-compatible servers reject)
        return {"ChecksumAlgorithm": "SHA256", "ChecksumSHA256": self.sha256_b64}

    def matches(self, head: dict) -> bool:
        """Whether a stored object (HeadObject answer) holds these bytes, as far as the server tells."""
        if head.get("ContentLength") != self.length:
            return False
        if head.get("ChecksumSHA256"):
            return head["ChecksumSHA256"] == self.sha256_b64
        etag = str(head.get("ETag", "")).strip('"')
        return etag == self.md5 if _MD5_ETAG.fullmatch(etag) else True

    def confirm(self, resp: dict, where: str) -> None:
        """The PutObject answer must acknowledge our checksum (or, lacking one, our MD5 as ETag)."""
        returned = resp.get("ChecksumSHA256")
        if returned:
            if returned != self.sha256_b64:
                raise ArchiveIntegrityError(f"{where}: server stored SHA-256 {returned}, sent {self.sha256_b64}")
            return
        etag = str(resp.get("ETag", "")).strip('"')
        if etag != self.md5:
            raise ArchiveIntegrityError(f"{where}: server confirmed neither the SHA-256 nor the MD5 of the upload"
                                        f" (ETag {etag or 'missing'})")
