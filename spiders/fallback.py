"""Reach hosts whose https is broken over http, and note in the store what each host needed.

HttpFallbackMiddleware:
  - an https request that fails to connect or to complete TLS (`https_failure_reason` says which failures
    count) is tried once more as the same URL over http://; when http answers, the host is remembered
    and its later https URLs go straight to http (so relative links of its pages are http too), and the
    store notes ``http_fallback`` for the host with the https failure as detail;
  - when http fails too, the original https failure is raised again, so the spider's errback records the
    https URL (the fallback is a hop in ``redirect_urls``, whose first URL is the one linked) and its reason;
  - every TLS handshake reported by spiders.tls.NianbaoClientContextFactory that needed something beyond
    a default client is noted (``legacy_tls``, ``untrusted_certificate``).
A host (``host[:port]`` as in its URLs) is noted once per need and run.

Timeouts are not fallback reasons: within DOWNLOAD_TIMEOUT a black-holed port 443 cannot be told from a
stalled server, and RetryMiddleware handles those.

Settings: NIANBAO_HTTP_FALLBACK_ENABLED. Request meta: ``nianbao_no_http_fallback`` (True: never fall
back for this request); set on fallback requests: ``nianbao_http_fallback`` (the https URL replaced).
"""

from __future__ import annotations

import itertools
import logging
from urllib.parse import urlsplit, urlunsplit

from scrapy import exceptions as sx
from twisted.internet import error as tx
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.ops.resources import store_from_crawler
from spiders.tls import TLSHandshake, tls_error, tls_handshake, tls_needs

logger = logging.getLogger(__name__)

_CONNECT_ERRORS = (sx.DownloadConnectionRefusedError, tx.ConnectionRefusedError, tx.NoRouteError,
                   tx.TCPTimedOutError, tx.ConnectError)
# a connection closed before any response: over https, what a server that drops the TLS hello does
_CLOSED = (tx.ConnectionDone, tx.ConnectionLost)


def _causes(exc: BaseException):
    """The exception, what it wraps (__cause__/__context__) and the failures a ResponseFailed carries."""
    seen, todo = set(), [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [e.__cause__, e.__context__]
        if isinstance(e, ResponseFailed):
            todo += [getattr(f, "value", None) for f in e.reasons]


def https_failure_reason(exc: BaseException) -> str | None:
    """Why an https request failed, when http might still work (TLS or connection failures); else None."""
    tls = tls_error(exc)
    if tls:
        return f"https failed: {tls}"
    causes = list(_causes(exc))
    for e in causes:
        if isinstance(e, (sx.DownloadConnectionRefusedError, tx.ConnectionRefusedError)):
            return "https failed: connection refused"
        if isinstance(e, _CONNECT_ERRORS):
            return f"https failed: cannot connect ({type(e).__name__})"
    never = any(isinstance(e, ResponseNeverReceived) for e in causes)
    if never and any(isinstance(e, _CLOSED) for e in causes):
        return "https failed: connection closed before any response"
    return None


def http_url(url: str) -> str:
    """The same URL over http:// (an explicit :443 goes: http has its own default port)."""
    parts = urlsplit(url)
    netloc = parts.netloc[:-4] if parts.netloc.endswith(":443") else parts.netloc
    return urlunsplit(("http", netloc, parts.path, parts.query, parts.fragment))


class HttpFallbackMiddleware:
    """http:// when https cannot be reached; notes each host's needs in the store (see the module doc)."""

    def __init__(self, store, stats, fallback: bool = True):
        self.store, self.stats, self.fallback = store, stats, fallback
        self._http_hosts: set[str] = set()           # https failed and http answered: go straight to http
        self._noted: set[tuple[str, str]] = set()
        self._pending: dict[int, Exception] = {}     # fallback token -> the https failure, until http answers
        self._tokens = itertools.count(1)

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(store_from_crawler(crawler), crawler.stats, crawler.settings.getbool("NIANBAO_HTTP_FALLBACK_ENABLED"))
        crawler.signals.connect(mw.handshake_done, signal=tls_handshake)
        return mw

    # -- host notes -------------------------------------------------------------------------------
    def note(self, host: str, need: str, detail: str) -> None:
        if (host, need) in self._noted:
            return
        self._noted.add((host, need))
        self.store.note_host(host, need, detail)
        self.stats.inc_value(f"nianbao/host_needs/{need}")
        logger.info("nianbao: %s needs %s (%s)", host, need, detail)

    def handshake_done(self, handshake: TLSHandshake) -> None:
        for need, detail in tls_needs(handshake):
            self.note(handshake.netloc, need, detail)

    # -- fallback ---------------------------------------------------------------------------------
    def _eligible(self, request) -> bool:
        return (self.fallback and urlsplit(request.url).scheme == "https"
                and not request.meta.get("nianbao_no_http_fallback"))

    def _over_http(self, request):
        meta = dict(request.meta)
        # a hop of the request's chain, as a redirect is: the spider records the first URL, the one linked
        meta["redirect_urls"] = [*request.meta.get("redirect_urls", []), request.url]
        meta["nianbao_http_fallback"] = request.url
        meta.pop("nianbao_http_fallback_token", None)
        return request.replace(url=http_url(request.url), meta=meta)

    def process_request(self, request, spider=None):
        if self._eligible(request) and urlsplit(request.url).netloc in self._http_hosts:
            self.stats.inc_value("nianbao/http_fallback/direct")
            return self._over_http(request)
        return None

    def process_response(self, request, response, spider=None):
        # popped: a redirect followed from here copies the meta, and is no fallback of its own
        token = request.meta.pop("nianbao_http_fallback_token", None)
        if token is not None:
            # http answered (whatever the status): this host is reached over http from now on
            self._pending.pop(token, None)
            https = request.meta["nianbao_http_fallback"]
            host = urlsplit(https).netloc
            self._http_hosts.add(host)
            self.note(host, "http_fallback", request.meta.get("nianbao_http_fallback_reason", ""))
        return response

    def process_exception(self, request, exception, spider=None):
        token = request.meta.pop("nianbao_http_fallback_token", None)
        if token is not None:
            original = self._pending.pop(token, None)
            if original is not None:
                self.stats.inc_value("nianbao/http_fallback/failed")
                raise original          # http failed too: the https failure is the one to record
            return None
        if not self._eligible(request):
            return None
        reason = https_failure_reason(exception)
        if reason is None:
            return None
        token = next(self._tokens)
        self._pending[token] = exception
        # dont_filter: the outcome (page or recorded failure) must not vanish in the dupefilter
        retry = self._over_http(request).replace(dont_filter=True)
        retry.meta["nianbao_http_fallback_token"] = token
        retry.meta["nianbao_http_fallback_reason"] = reason
        self.stats.inc_value("nianbao/http_fallback/tried")
        logger.info("nianbao: %s (%s); trying %s", request.url, reason, retry.url)
        return retry
