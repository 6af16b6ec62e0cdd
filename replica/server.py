"""HTTP serving of the replica sites: one ThreadingHTTPServer per site on its own loopback address."""

from __future__ import annotations

import hashlib
import itertools
import json
import socket
import ssl
import subprocess
import sys
import threading
from functools import partial
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterable
from urllib.parse import parse_qsl, urljoin, urlsplit

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Reply:
    """What a route answers.  Most are a status and a body; the traps use the other fields."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    chunks: Iterable[bytes] | None = None   # streamed body (sent after `body`)
    length: int | None = None               # declared Content-Length when it is not len(body)
    stall: float = 0.0                      # hold the connection this long after the headers


def html_reply(text: str, *, encoding: str = "utf-8", content_type: str | None = None, status: int = 200) -> Reply:
    """An HTML page, encoded as the site encodes (never lossy: unencodable text is a bug, so it raises)."""
    ctype = content_type if content_type is not None else f"text/html; charset={encoding}"
    return Reply(status, text.encode(encoding), ctype)


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", "text/html", [("Location", location)])


@dataclass
class Request:
    """The request being answered, for pages that look past the path (POST forms, cookies, User-Agent)."""

    method: str = "GET"
    path: str = "/"
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)    # lower-cased names
    body: bytes = b""
    client: str = ""

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    def form(self) -> dict[str, str]:
        """POST body fields (application/x-www-form-urlencoded), last value wins."""
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def args(self) -> dict[str, str]:
        return dict(parse_qsl(self.query, keep_blank_values=True))

    def cookies(self) -> dict[str, str]:
        out = {}
        for part in self.header("cookie").split(";"):
            name, sep, value = part.strip().partition("=")
            if sep:
                out[name] = value
        return out


class Context:
    """What a page needs at request time: every site's base URL, the view counter, the stop signal, and
    the request being answered (``ctx.request``, per serving thread)."""

    def __init__(self, bases: dict[str, str]):
        self.bases = bases
        self.stopping = threading.Event()
        self._hits = itertools.count(1)
        self._lock = threading.Lock()
        self._seen: dict[str, int] = {}
        self._local = threading.local()

    @property
    def request(self) -> Request:
        return getattr(self._local, "request", None) or Request()

    @request.setter
    def request(self, value: Request) -> None:
        self._local.request = value

    def url(self, site: str, path: str = "/") -> str:
        return urljoin(self.bases[site], path)

    def hit(self) -> int:
        """A fresh view count: changes on every request, as real counters do."""
        with self._lock:
            return next(self._hits)

    def times_seen(self, key: str) -> int:
        """How many times `key` was requested before (for pages that answer differently at first)."""
        with self._lock:
            n = self._seen.get(key, 0)
            self._seen[key] = n + 1
            return n


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "nginx"

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass

    def do_HEAD(self):
        self._answer(send_body=False)

    def do_GET(self):
        self._answer(send_body=True)

    def do_POST(self):
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        site = self.server.site
        ctx: Context = self.server.ctx
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1 << 20)) if length > 0 else b""
        ctx.request = Request(self.command, parts.path or "/", parts.query,
                              {k.lower(): v for k, v in self.headers.items()}, body, self.client_address[0])
        try:
            reply = site.respond(ctx, parts.path or "/", parts.query)
        except Exception as exc:  # a bug in a page must show, not hang the client
            reply = Reply(500, f"replica error: {exc!r}".encode(), "text/plain; charset=utf-8")
        if getattr(site, "validators", False) and reply.status == 200 and self.command in ("GET", "HEAD"):
            reply = _conditional(reply, site, ctx.request)
        try:
            self._send(reply, send_body, ctx)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send(self, reply: Reply, send_body: bool, ctx: Context) -> None:
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers:
            self.send_header(name, value)
        length = reply.length if reply.length is not None else len(reply.body)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.flush()
        if not send_body:
            return
        if reply.stall:
            ctx.stopping.wait(reply.stall)
            self.close_connection = True
            return
        sent = len(reply.body)
        self.wfile.write(reply.body)
        for chunk in reply.chunks or ():
            if ctx.stopping.is_set():
                break
            self.wfile.write(chunk)
            sent += len(chunk)
        self.wfile.flush()
        if sent != length:
            # a body shorter than its Content-Length: drop the connection as a failing server does
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _conditional(reply: Reply, site, request: Request) -> Reply:
    """ETag and Last-Modified on a static page, and 304 to a request that already has it (RFC 9110 §13:
    If-None-Match decides when present, else If-Modified-Since)."""
    etag = '"' + hashlib.sha1(reply.body).hexdigest()[:16] + '"'
    modified = _MODIFIED + timedelta(days=getattr(site, "epoch", 0))
    headers = [*reply.headers, ("ETag", etag), ("Last-Modified", format_datetime(modified, usegmt=True))]
    inm, ims = request.header("if-none-match"), request.header("if-modified-since")
    if inm:
        fresh = etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    elif ims:
        try:
            fresh = modified <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            fresh = False
    else:
        fresh = False
    if fresh:
        return Reply(304, b"", None, headers)
    return Reply(reply.status, reply.body, reply.content_type, headers, reply.chunks, reply.length, reply.stall)


_MODIFIED = datetime(2024, 3, 18, 8, 0, 0, tzinfo=timezone.utc)


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address, site, ctx: Context, tls: ssl.SSLContext | None = None):
        self.site, self.ctx, self.tls = site, ctx, tls
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address):
        # a client that hangs up mid-request (a cancelled download, a crawl that stopped) is not a server bug
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def finish_request(self, request, client_address):
        # TLS handshakes run here, in the connection's own thread: a client that never finishes one (or
        # speaks plain HTTP to a TLS port) holds only that thread, never the accept loop
        if self.tls is None:
            if _is_tls_hello(request):
                # as nginx does on a plain port: an immediate 400, which the client's TLS stack rejects
                request.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return
            super().finish_request(request, client_address)
            return
        request.settimeout(10)
        try:
            conn = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return                      # a failed handshake is the client's error to see; the raw socket closes
        conn.settimeout(None)
        try:
            super().finish_request(conn, client_address)
        finally:
            self.shutdown_request(conn)     # wrapping detached the raw socket: close the TLS one


def _is_tls_hello(sock: socket.socket) -> bool:
    """Whether the client opened with a TLS handshake record (byte 0x16), without consuming it."""
    try:
        return sock.recv(1, socket.MSG_PEEK) == b"\x16"
    except OSError:
        return False


def serve(sites: list, base: str = "127.0.0", port: int = 0,
          tls: dict[str, ssl.SSLContext] | None = None) -> tuple[Context, list[_SiteServer]]:
    """Bind site i to <base>.<i+2>:port and serve each from a daemon thread; returns the shared context.

    ``tls`` maps a site name to the server context its socket is wrapped with (replica.tls builds
    them); that site's base URL is then https://.
    """
    tls = tls or {}
    ctx = Context({})
    servers = []
    for i, site in enumerate(sites):
        server = _SiteServer((f"{base}.{i + 2}", port), site, ctx, tls.get(site.name))
        host, bound = server.server_address[:2]
        scheme = "https" if site.name in tls else "http"
        ctx.bases[site.name] = f"{scheme}://{host}:{bound}/"
        servers.append(server)
    for server in servers:
        # a short poll keeps shutdown quick when SIGTERM arrives
        threading.Thread(target=partial(server.serve_forever, poll_interval=0.1), name=f"replica-{server.site.name}",
                         daemon=True).start()
    return ctx, servers


def stop(ctx: Context, servers: list[_SiteServer]) -> None:
    """End stalls and streams first, then the accept loops."""
    ctx.stopping.set()
    for server in servers:
        server.shutdown()
        server.server_close()


class ReplicaServer:
    """The replica portals in a subprocess (``python -m replica``), as a context manager.

    ``.sites`` maps site name to base URL; ``.url(site, path)`` joins a path to it.
    """

    def __init__(self, scale: int = 1, base: str = "127.0.0", port: int = 0, startup_timeout: float = 180.0,
                 collection: str = "main", skip: tuple[str, ...] = ()):
        self.scale, self.base, self.port, self.startup_timeout = scale, base, port, startup_timeout
        self.collection = collection
        self.skip = tuple(skip)     # sites not built or served (python -m replica --skip)
        self.sites: dict[str, str] = {}
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "ReplicaServer":
        cmd = [sys.executable, "-m", "replica", "--scale", str(self.scale), "--base", self.base,
               "--port", str(self.port),
               "--collection", self.collection] + (["--skip", ",".join(self.skip)] if self.skip else [])
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=REPO)
        line = self._first_line()
        self.sites = json.loads(line)["sites"]
        return self

    def _first_line(self) -> bytes:
        result: list[bytes] = []
        reader = threading.Thread(target=lambda: result.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.startup_timeout)
        if not result or not result[0].strip():
            self.__exit__(None, None, None)
            raise RuntimeError("replica server did not announce its sites")
        return result[0]

    def __exit__(self, *exc) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.proc = None

    def url(self, site: str, path: str = "/") -> str:
        return urljoin(self.sites[site], path)
