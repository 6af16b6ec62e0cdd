"""Turn a Twisted/Scrapy download failure into the (stage, reason) pair recorded in the store."""

from __future__ import annotations

from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.web._newclient import ResponseFailed

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

try:  # twisted names it differently across versions
    from twisted.internet.defer import CancelledError
except ImportError:  # pragma: no cover
    CancelledError = ()


def describe_failure(failure) -> tuple[str, str]:
    """A short stage name and a one-line human reason for a failed request."""
    exc = failure.value
    if failure.check(HttpError):
        status = exc.response.status
        return "fetch", f"HTTP {status}"
    if failure.check(TimeoutError, TCPTimedOutError):
        return "fetch", "timed out (no complete response within DOWNLOAD_TIMEOUT)"
    if failure.check(DNSLookupError):
        return "fetch", "DNS lookup failed"
    if failure.check(ConnectionRefusedError):
        return "fetch", "connection refused"
    if failure.check(ResponseFailed):
        inner = "; ".join(type(r.value).__name__ for r in getattr(exc, "reasons", []))
        if "_DataLoss" in inner or "PotentialDataLoss" in inner:
            return "fetch", "truncated body (shorter than Content-Length)"
        return "fetch", f"response failed ({inner or exc})"
    if failure.check(IgnoreRequest):
        msg = str(exc) or type(exc).__name__
        if "robots.txt" in msg:
            return "robots", "forbidden by robots.txt"
        return "fetch", msg
    if failure.check(CancelledError):
        return "fetch", f"download cancelled ({exc or 'body larger than DOWNLOAD_MAXSIZE'})"
    return "fetch", f"{type(exc).__name__}: {exc}"
