"""Turn a Twisted/Scrapy download failure into the (stage, reason) pair recorded in the store."""

from __future__ import annotations

from scrapy import exceptions as sx
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx
from twisted.web._newclient import ResponseFailed

from spiders.challenges import ChallengeFailed
from spiders.tls import tls_error

# (exception classes, reason) in the order they are checked; Scrapy 2.13+ wraps Twisted's errors in its own.
_FETCH_REASONS = (
    ((sx.DownloadTimeoutError, tx.TimeoutError, tx.TCPTimedOutError),
     "timed out (no complete response within DOWNLOAD_TIMEOUT)"),
    ((sx.ResponseDataLossError,), "truncated body (shorter than its Content-Length)"),
    ((sx.CannotResolveHostError, tx.DNSLookupError), "DNS lookup failed"),
    ((sx.DownloadConnectionRefusedError, tx.ConnectionRefusedError), "connection refused"),
    ((sx.UnsupportedURLSchemeError,), "unsupported URL scheme"),
)


def describe_failure(failure) -> tuple[str, str]:
    """A short stage name and a one-line human reason for a failed request."""
    exc = failure.value
    if failure.check(HttpError):
        return "fetch", f"HTTP {exc.response.status}"
    for classes, reason in _FETCH_REASONS:
        if failure.check(*classes):
            return "fetch", reason
    tls = tls_error(exc)
    if tls:
        return "fetch", tls
    if failure.check(sx.DownloadCancelledError):
        return "fetch", f"body too large: {exc}"
    if failure.check(ResponseFailed):
        inner = "; ".join(type(r.value).__name__ for r in getattr(exc, "reasons", []))
        if "DataLoss" in inner:
            return "fetch", "truncated body (shorter than its Content-Length)"
        return "fetch", f"response failed ({inner or exc})"
    if failure.check(ChallengeFailed):
        return "challenge", str(exc)
    if failure.check(sx.IgnoreRequest):
        msg = str(exc) or type(exc).__name__
        if "robots.txt" in msg:
            return "robots", "forbidden by robots.txt"
        return "fetch", msg
    return "fetch", f"{type(exc).__name__}: {exc}"
