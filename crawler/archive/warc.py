"""WARC 1.1 output of the archive: every fetch as request/response (or revisit) records, a CDXJ index, WACZ export.

The store keeps raw bytes content-addressed (crawler.archive.storage); this module writes the same fetches in the
format web archives exchange and replay (pywb, ReplayWeb.page), built with the tools those use:

  DIR/warc/{prefix}-{UTC stamp}-{serial}.warc.gz   gzip-per-record WARC 1.1 (warcio), a warcinfo record first
  DIR/warc/*.warc.gz.open                          the file a live writer is appending to (see below)
  DIR/warc/cdxj/<warc name>.cdxj                   the sorted CDXJ index of one finished WARC (cdxj-indexer)
  DIR/warc/index.cdxj                              all of those merged, sorted (write_cdxj)
  DIR/warc/payloads.sqlite                         payload digest -> first capture, for revisit records

Crash safety: records go to `<name>.warc.gz.open`, flock'ed by its writer, and the file is renamed to
`<name>.warc.gz` on rotation or close. A killed run leaves the `.open` file; the next WarcWriter (or write_cdxj /
export_wacz) finishes it: cuts it back to its last complete gzip member (one member is one record, so that
is the last whole record), renames and indexes it. A `.open` file whose lock is held belongs to a live writer
and is left alone. A payload digest is remembered only after its response record is flushed, so a revisit
never points at a record a crash lost.

HTTP fidelity: the store (and FetchedPage.body) keeps the payload after HTTP content-decoding, while the
response headers may still announce `Content-Encoding: gzip`, `Transfer-Encoding: chunked` and the encoded
`Content-Length`. Such a record would be misread by every replay tool, so those headers are renamed with
pywb's `X-Archive-Orig-` prefix (the value as received is kept) and a true `Content-Length` is set
(`payload_headers`). Header bytes are otherwise written exactly as received (latin-1 round trip) rather than
warcio's %-encoding of non-ASCII values. Payload and block digests are WARC 1.1 labelled digests, sha256 in base32
(`sha256:<BASE32>`, warcio's spelling for any algorithm): `warcio check` verifies them, cdxj-indexer and pywb
carry them verbatim (a revisit is matched to its original by that string).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import heapq
import io
import json
import logging
import os
import sqlite3
import tempfile
import threading
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from crawler.archive.crashpoints import crashpoint

__all__ = ["WarcWriter", "WrittenExchange", "WaczError", "payload_headers", "payload_digest", "finish_open_files",
           "write_cdxj", "export_wacz", "warc_files", "ORIG_PREFIX"]

logger = logging.getLogger(__name__)

WARC_DIR = "warc"
OPEN_SUFFIX = ".open"
INDEX_NAME = "index.cdxj"
PAYLOADS_DB = "payloads.sqlite"
# pywb shows an archived header it had to neutralise under this prefix; the same spelling keeps ours readable
ORIG_PREFIX = "X-Archive-Orig-"
# the content codings Scrapy (and Chromium) decode; any other coding was left on the body, so its header stays
DECODED_CODINGS = frozenset({"gzip", "x-gzip", "deflate", "br", "zstd", "identity"})
SOFTWARE = "nianbao/0.1"


class WaczError(RuntimeError):
    """py-wacz could not create, or would not validate, the WACZ."""


@dataclass(frozen=True)
class WrittenExchange:
    """What write_exchange wrote: the response (or revisit) record's identity and where it went."""

    record_type: str              # response | revisit
    record_id: str
    payload_digest: str           # sha256:<BASE32>
    warc_date: str
    filename: str                 # the finished name (…warc.gz), also while the file is still .open
    refers_to_uri: str | None = None
    refers_to_date: str | None = None


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest of `body`: `sha256:` and the base32 digest (what warcio writes for sha256)."""
    return "sha256:" + base64.b32encode(hashlib.sha256(body).digest()).decode("ascii")


def payload_headers(headers: list[tuple[str, str]], body_length: int) -> list[tuple[str, str]]:
    """Response headers made true of the decoded payload the record carries (order and repeats kept).

    `Transfer-Encoding` (Twisted de-chunks) and a `Content-Encoding` of codings the fetcher decodes become
    `X-Archive-Orig-…`; a `Content-Length` that is not the payload length is kept the same way beside a true
    one, and one is added when the server sent none.
    """
    out: list[tuple[str, str]] = []
    has_length = False
    for name, value in headers:
        low = name.lower()
        if low == "transfer-encoding":
            out.append((ORIG_PREFIX + name, value))
        elif low == "content-encoding":
            codings = {c.strip().lower() for c in value.split(",") if c.strip()}
            out.append((ORIG_PREFIX + name, value) if codings <= DECODED_CODINGS else (name, value))
        elif low == "content-length":
            if not has_length and value.strip() == str(body_length):
                out.append((name, value))
            else:
                out.append((ORIG_PREFIX + name, value))
                if not has_length:
                    out.append(("Content-Length", str(body_length)))
            has_length = True
        else:
            out.append((name, value))
    if not has_length:
        out.append(("Content-Length", str(body_length)))
    return out


class _ExactHeaders(StatusAndHeaders):
    """HTTP headers serialised as the bytes received: Scrapy decoded them as latin-1, so encode them back.

    warcio would %-encode non-ASCII values (a GBK filename in Content-Disposition), changing the record.
    """

    def compute_headers_buffer(self, header_filter=None):
        try:
            self.headers_buff = self.to_bytes(header_filter, encoding="latin-1")
        except UnicodeEncodeError:      # a value beyond latin-1 cannot be bytes as received: warcio's way
            super().compute_headers_buffer(header_filter)


class _FileOut:
    """The `.open` file as warcio writes to it, unbuffered: each compressed piece reaches the OS at once, so a
    killed process leaves exactly what it wrote (the crash tests kill at crashpoint "warc", mid-record) and a
    failed write leaves no buffer behind to spill after the cut-back."""

    def __init__(self, fh: io.FileIO):
        self.fh = fh

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:                         # zlib returns b"" for most small writes: nothing to send
            view = view[self.fh.write(view):]
        if data:
            crashpoint("warc")

    def flush(self) -> None:
        self.fh.flush()


class _Sha256Writer(WARCWriter):
    """warcio's writer with sha256 block and payload digests (its default is sha1)."""

    @staticmethod
    def _create_digester():
        return Digester("sha256")


def _warc_date(fetched_at: str) -> str:
    when = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    when = when.astimezone(timezone.utc).replace(tzinfo=None)
    return datetime_to_iso_date(when, use_micros=bool(when.microsecond))


def _has(headers: list[tuple[str, str]], name: str) -> bool:
    return any(k.lower() == name for k, _ in headers)


class _PayloadIndex:
    """Payload digest -> its first full capture (URI, WARC-Date, record id): one indexed SQLite lookup per
    fetch, nothing loaded at start, however many years of WARCs lie beside it."""

    def __init__(self, path: Path):
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS payloads (digest TEXT PRIMARY KEY, uri TEXT NOT NULL,"
                         " date TEXT NOT NULL, record_id TEXT NOT NULL, filename TEXT NOT NULL)")

    def get(self, digest: str) -> tuple[str, str, str] | None:
        row = self._db.execute("SELECT uri, date, record_id FROM payloads WHERE digest=?", (digest,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def add(self, digest: str, uri: str, date: str, record_id: str, filename: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO payloads (digest, uri, date, record_id, filename) VALUES (?,?,?,?,?)",
                         (digest, uri, date, record_id, filename))

    def close(self) -> None:
        self._db.close()


class WarcWriter:
    """Appends exchanges to rotating gzip WARC 1.1 files under ROOT/warc (see the module docstring).

    One writer per process; several processes may write into the same directory (names never collide,
    files are locked, the payload index is shared SQLite).
    """

    def __init__(self, root: str | os.PathLike, *, max_bytes: int = 1_000_000_000, prefix: str = "nianbao",
                 fsync: bool = False):
        self.root = Path(root)
        self.dir = self.root / WARC_DIR
        self.dir.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.prefix = prefix
        self.fsync = fsync
        self.finished: list[Path] = []       # WARCs this writer completed (renamed and indexed)
        self._serial = 0
        self._fh: io.FileIO | None = None
        self._path: Path | None = None       # the .open file
        self._writer: _Sha256Writer | None = None
        self._lock = threading.Lock()
        finish_open_files(self.root)        # what a killed run left, before this run adds to the payload index
        self._payloads = _PayloadIndex(self.dir / PAYLOADS_DB)

    # -- files -----------------------------------------------------------------------------------
    @property
    def current(self) -> Path | None:
        """The `.open` file being written, if any."""
        return self._path

    def _open(self) -> None:
        while True:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:17]
            name = f"{self.prefix}-{stamp}-{self._serial:05d}.warc.gz"
            self._serial += 1
            path = self.dir / (name + OPEN_SUFFIX)
            if (self.dir / name).exists():
                continue
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:         # another process, same millisecond and serial
                continue
            break
        fcntl.flock(fd, fcntl.LOCK_EX)      # tells finish_open_files this file has a live writer
        self._fh = os.fdopen(fd, "wb", buffering=0)
        self._path = path
        self._writer = _Sha256Writer(_FileOut(self._fh), gzip=True, warc_version="1.1")
        info = {"software": f"{SOFTWARE} (warcio)", "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                "isPartOf": self.prefix, "robots": "obey"}
        try:
            self._writer.write_record(self._writer.create_warcinfo_record(name, info))
        except BaseException:
            # a file without its whole warcinfo is no use: unlock it for finish_open_files, start afresh next time
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = self._path = self._writer = None
            raise

    def _finish(self) -> None:
        if self._fh is None:
            return
        fh, path = self._fh, self._path
        self._fh = self._path = self._writer = None
        if self.fsync:
            os.fsync(fh.fileno())
        final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
        os.replace(path, final)             # renamed while still locked: no reader sees it half done
        fh.close()
        self.finished.append(final)
        try:
            _index_warc(final)
        except Exception as exc:  # noqa: BLE001 - the WARC is whole; write_cdxj indexes what lacks an index
            logger.warning("warc: could not index %s: %s: %s", final.name, type(exc).__name__, exc)

    def _cut_back(self, start: int) -> None:
        """Drop a half-written exchange so the next one does not follow a torn record."""
        try:
            self._fh.truncate(start)
            self._fh.seek(start)
        except OSError:
            # cannot repair in place: leave the .open file for finish_open_files, write on in a new one
            with contextlib.suppress(OSError):
                self._fh.close()
            self._fh = self._path = self._writer = None

    def close(self) -> None:
        """Finish the current file (rename, index) and release the payload index."""
        with self._lock:
            self._finish()
            self._payloads.close()

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- records ---------------------------------------------------------------------------------
    def write_exchange(self, url: str, method: str, request_headers: list[tuple[str, str]], status: int,
                       response_headers: list[tuple[str, str]], body: bytes, fetched_at: str, *,
                       dedupe: bool = True) -> WrittenExchange:
        """Write one fetch of `url` (the URL the response came from) as a response + request pair.

        When the payload was archived before (same sha256, non-empty) and `dedupe`, the response is a
        revisit record (identical-payload-digest profile) referring to the first capture instead.
        """
        digest = payload_digest(body)
        date = _warc_date(fetched_at)
        with self._lock:
            if self._fh is None:
                self._open()
            writer = self._writer
            original = self._payloads.get(digest) if dedupe and body else None
            resp_headers = _ExactHeaders(f"{status} {_reason(status)}".strip(),
                                         payload_headers(response_headers, len(body)), protocol="HTTP/1.1")
            warc_headers = {"WARC-Date": date}
            if original is None:
                warc_headers["WARC-Payload-Digest"] = digest
                resp = writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                 http_headers=resp_headers, warc_headers_dict=warc_headers)
            else:
                resp = writer.create_revisit_record(url, digest, original[0], original[1],
                                                    http_headers=resp_headers, warc_headers_dict=warc_headers)
                resp.rec_headers.add_header("WARC-Refers-To", original[2])
            req = writer.create_warc_record(url, "request", http_headers=self._request_headers(url, method,
                                                                                            request_headers),
                                            warc_headers_dict={"WARC-Date": date})
            start = self._fh.tell()
            try:
                writer.write_request_response_pair(req, resp)   # response first, then its request
            except BaseException:
                self._cut_back(start)
                raise
            record_id = resp.rec_headers.get_header("WARC-Record-ID")
            filename = self._path.name.removesuffix(OPEN_SUFFIX)
            if original is None and body:
                try:
                    self._payloads.add(digest, url, date, record_id, filename)
                except sqlite3.Error as exc:    # the exchange is written; only a later revisit is lost
                    logger.warning("warc: payload index not updated for %s: %s", url, exc)
            written = WrittenExchange("response" if original is None else "revisit", record_id, digest, date,
                                      filename, *(original[:2] if original else (None, None)))
            if self._fh.tell() >= self.max_bytes:
                self._finish()
            return written

    @staticmethod
    def _request_headers(url: str, method: str, headers: list[tuple[str, str]]) -> StatusAndHeaders:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = list(headers)
        if not _has(headers, "host"):
            # Scrapy's request headers leave Host to Twisted, which sends it first
            headers.insert(0, ("Host", parts.netloc))
        return _ExactHeaders(f"{method.upper()} {target} HTTP/1.1", headers, is_http_request=True)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


# -- finishing, indexing, packaging ----------------------------------------------------------------------
def warc_files(root: str | os.PathLike) -> list[Path]:
    """The finished WARCs under ROOT/warc, in name (= creation) order; `.open` files are never listed."""
    return sorted((Path(root) / WARC_DIR).glob("*.warc.gz"))


def _complete_length(fh) -> int:
    """Bytes of `fh` up to the end of its last complete gzip member (CRC checked by zlib)."""
    end = pos = 0
    fh.seek(0)
    pending = b""
    decomp = None
    while True:
        chunk = fh.read(1 << 20)
        if not chunk and not pending:
            return end
        data = pending + chunk
        pending = b""
        while data:
            if decomp is None:
                decomp = zlib.decompressobj(wbits=31)
            try:
                decomp.decompress(data)
            except zlib.error:
                return end
            if decomp.eof:
                used = len(data) - len(decomp.unused_data)
                pos += used
                end = pos
                data = decomp.unused_data
                decomp = None
            else:
                pos += len(data)
                data = b""
        if not chunk:
            return end


def finish_open_files(root: str | os.PathLike) -> list[Path]:
    """Finish the `.open` WARCs no live writer holds: cut a torn last record, rename, index. Returns them."""
    done = []
    for path in sorted((Path(root) / WARC_DIR).glob("*.warc.gz" + OPEN_SUFFIX)):
        try:
            fh = open(path, "r+b")
        except FileNotFoundError:           # its writer renamed it meanwhile
            continue
        with fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue                    # a running crawl is writing it
            if not path.exists():
                continue
            keep = _complete_length(fh)
            if keep == 0:
                path.unlink()
                logger.warning("warc: removed %s, no complete record in it", path.name)
                continue
            if keep < os.fstat(fh.fileno()).st_size:
                logger.warning("warc: %s ended in a torn record; cut back to %d bytes", path.name, keep)
                fh.truncate(keep)
            final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
            os.replace(path, final)
        _index_warc(final)
        done.append(final)
    return done


def _index_path(warc: Path) -> Path:
    return warc.parent / "cdxj" / (warc.name + ".cdxj")


def _index_warc(warc: Path) -> Path:
    """The sorted CDXJ of one WARC (cdxj-indexer, as pywb and py-wacz run it), written atomically."""
    from cdxj_indexer.main import write_cdx_index

    out = _index_path(warc)
    out.parent.mkdir(exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    # post_append: a POST capture gets its method and body in the key, as pywb looks it up; the record types
    # are named because importing py-wacz appends "warcinfo" to cdxj-indexer's defaults for the whole process
    write_cdx_index(str(tmp), [str(warc)], {"sort": True, "post_append": True,
                                            "records": "response,revisit,resource,metadata"})
    os.replace(tmp, out)
    return out


def write_cdxj(root: str | os.PathLike) -> Path:
    """ROOT/warc/index.cdxj: the per-WARC indexes merged in sorted order (indexing any WARC that lacks one).

    Streams: memory stays flat however large the archive; the old index is replaced atomically.
    """
    warc_dir = Path(root) / WARC_DIR
    warc_dir.mkdir(parents=True, exist_ok=True)
    finish_open_files(root)
    parts = []
    for warc in warc_files(root):
        idx = _index_path(warc)
        if not idx.exists() or idx.stat().st_mtime < warc.stat().st_mtime:
            _index_warc(warc)
        parts.append(idx)
    out = warc_dir / INDEX_NAME
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(open(p, encoding="utf-8")) for p in parts]
        fd, tmp = tempfile.mkstemp(dir=warc_dir, prefix=".index-", suffix=".cdxj")
        with os.fdopen(fd, "w", encoding="utf-8") as dst:
            last = None
            for line in heapq.merge(*files):
                if line != last:
                    dst.write(line)
                last = line
    os.chmod(tmp, 0o644)                    # mkstemp's 0600 would hide the index from a replay server's user
    os.replace(tmp, out)
    return out


def _default_pages(root: Path) -> list[dict]:
    """The WACZ's entry points: the reports in the feed (title, capture time), else every archived HTML page.

    (py-wacz's own --detect-pages keeps only pages other captures name as referrer: a browser crawl's
    notion, which would list none of ours.)
    """
    from crawler.archive.feed import read_feed

    pages = [{"url": r["url"], "title": r.get("title") or r["url"], "ts": r["fetched_at"]}
             for r in read_feed(root / "feed") if r.get("url") and r.get("fetched_at")]
    if pages:
        return pages
    index = write_cdxj(root)
    with open(index, encoding="utf-8") as fh:
        for line in fh:
            _, stamp, blob = line.split(" ", 2)
            fields = json.loads(blob)
            if fields.get("mime") in ("text/html", "application/xhtml+xml") and fields.get("status") == "200":
                when = datetime.strptime(stamp, "%Y%m%d%H%M%S").strftime("%Y-%m-%dT%H:%M:%SZ")
                pages.append({"url": fields["url"], "title": fields["url"], "ts": when})
    return pages


def export_wacz(root: str | os.PathLike, out_path: str | os.PathLike, *, pages: list[dict] | None = None,
                title: str | None = None) -> Path:
    """Package ROOT's finished WARCs into a WACZ with py-wacz, then validate it (py-wacz's validator).

    `pages`: the entry points to list ({"url", "title", "ts": ISO date}); by default the feed's reports.
    Raises WaczError when py-wacz fails or the result does not validate.
    """
    from wacz.main import main as wacz_main

    root = Path(root)
    finish_open_files(root)
    warcs = warc_files(root)
    if not warcs:
        raise WaczError(f"no WARC files under {root / WARC_DIR}")
    if pages is None:
        pages = _default_pages(root)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp.wacz")
    with tempfile.TemporaryDirectory() as work:
        args = ["create", "-o", str(tmp), "--hash-type", "sha256"]
        if title:
            args += ["--title", title]
        if pages:
            pages_file = Path(work) / "pages.jsonl"
            lines = [{"format": "json-pages-1.0", "id": "pages", "title": title or "Pages"}, *pages]
            pages_file.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in lines), "utf-8")
            args += ["-p", str(pages_file)]
        for step in (args + [str(w) for w in warcs], ["validate", "-f", str(tmp)]):
            said = io.StringIO()
            with contextlib.redirect_stdout(said):
                rc = wacz_main(step)
            if rc:
                tmp.unlink(missing_ok=True)
                raise WaczError(f"wacz {step[0]} failed: {said.getvalue().strip()[-500:]}")
    os.replace(tmp, out)
    return out
