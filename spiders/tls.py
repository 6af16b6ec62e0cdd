"""A TLS client context that connects to what government portals serve, and reports what each handshake needed.

Set on the download handler by spiders.browser (setting NIANBAO_TLS_CONTEXT_FACTORY). Compared with
Scrapy's default factory it
  - lets OpenSSL go down to DOWNLOAD_TLS_MIN_VERSION (TLSv1.0 in settings.default) at security level
    NIANBAO_TLS_SECURITY_LEVEL (0: TLS 1.0/1.1, SHA-1 and small keys, all refused by OpenSSL 3 at its
    default level 1), while the best version and cipher the server offers are still negotiated;
  - keeps OP_LEGACY_SERVER_CONNECT (servers without RFC 5746 secure renegotiation, refused by OpenSSL 3 as
    "unsafe legacy renegotiation disabled"; Scrapy sets it too), and tells which servers needed it by
    reading their ServerHello (plaintext) as it enters the connection: pyOpenSSL binds neither
    SSL_get_secure_renegotiation_support nor a message callback;
  - still never fails on a certificate, but verifies each chain during the handshake against the system
    trust store (or NIANBAO_TLS_CA_FILE) and the hostname, and records the result instead of acting on it.

When a handshake completes, the factory sends the `tls_handshake` signal with ``handshake=TLSHandshake(...)``
through the crawler's signal manager; `tls_needs(handshake)` says what it needed beyond a default client.
spiders.fallback.HttpFallbackMiddleware listens and notes the host in the store.

Only HTTP/1.1 is served (the HTTP/2 handler's ALPN is not set up by this factory).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any, Callable

from OpenSSL import SSL
from OpenSSL._util import ffi as _ffi, lib as _lib
from service_identity import CertificateError, VerificationError
from service_identity.hazmat import DNS_ID, IPAddress_ID, verify_service_identity
from service_identity.pyopenssl import extract_patterns
from twisted.internet.abstract import isIPAddress, isIPv6Address
from twisted.internet.interfaces import IOpenSSLClientConnectionCreator
from twisted.internet.ssl import CertificateOptions
from zope.interface import implementer

try:  # Scrapy >= 2.14: the public name is a deprecated alias that warns when subclassed
    from scrapy.core.downloader.contextfactory import _ScrapyClientContextFactory as _ScrapyFactory
except ImportError:  # pragma: no cover - older Scrapy
    from scrapy.core.downloader.contextfactory import ScrapyClientContextFactory as _ScrapyFactory

__all__ = ["NianbaoClientContextFactory", "TLSHandshake", "lacks_secure_renegotiation", "tls_error", "tls_handshake",
           "tls_needs"]

logger = logging.getLogger(__name__)

#: Signal sent with ``handshake=TLSHandshake`` each time a TLS handshake completes.
tls_handshake = object()

# Versions OpenSSL 3 refuses at its default security level, as get_protocol_version_name() spells them.
LEGACY_VERSIONS = ("SSLv3", "TLSv1", "TLSv1.1")

# X509_V_ERR_* codes a portal's certificate commonly fails with, in the words noted in the store.
_VERIFY_ERRORS = {
    2: "unknown issuer or incomplete chain",      # UNABLE_TO_GET_ISSUER_CERT
    9: "not yet valid",
    10: "expired",
    18: "self-signed",                            # DEPTH_ZERO_SELF_SIGNED_CERT
    19: "untrusted root in chain",                # SELF_SIGNED_CERT_IN_CHAIN
    20: "unknown issuer or incomplete chain",     # UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    21: "unknown issuer or incomplete chain",     # UNABLE_TO_VERIFY_LEAF_SIGNATURE
}
HOSTNAME_MISMATCH = "hostname mismatch"
LEGACY_RENEGOTIATION = "unsafe legacy renegotiation"

_HANDSHAKE_RECORD, _SERVER_HELLO = 22, 2
_EXT_SUPPORTED_VERSIONS, _EXT_RENEGOTIATION_INFO = 43, 0xFF01
_SNIFF_LIMIT = 1 << 16          # a ServerHello comes first and is small: stop looking after this many bytes


def lacks_secure_renegotiation(server_hello: bytes) -> bool | None:
    """Whether a ServerHello body (after its 4-byte header) shows no RFC 5746 support; None when it cannot
    tell (truncated) or the question does not arise (TLS 1.3 has no renegotiation)."""
    try:
        pos = 2 + 32                                         # server_version, random
        pos += 1 + server_hello[pos] + 2 + 1                 # session_id, cipher_suite, compression_method
        if pos == len(server_hello):
            return True                                      # no extensions at all
        end = min(len(server_hello), pos + 2 + int.from_bytes(server_hello[pos:pos + 2], "big"))
        pos, types = pos + 2, set()
        while pos + 4 <= end:
            types.add(int.from_bytes(server_hello[pos:pos + 2], "big"))
            pos += 4 + int.from_bytes(server_hello[pos + 2:pos + 4], "big")
    except IndexError:
        return None
    if _EXT_SUPPORTED_VERSIONS in types:
        return None
    return _EXT_RENEGOTIATION_INFO not in types


class _ServerHelloSniffer:
    """Collects the server's first handshake message from the bytes it sends, across records and reads."""

    def __init__(self):
        self.raw = bytearray()
        self.done = False
        self.legacy_renegotiation = False

    def feed(self, data: bytes) -> None:
        self.raw += data
        handshake, pos = bytearray(), 0
        while pos + 5 <= len(self.raw) and self.raw[pos] == _HANDSHAKE_RECORD:
            length = int.from_bytes(self.raw[pos + 3:pos + 5], "big")
            handshake += self.raw[pos + 5:pos + 5 + length]
            pos += 5 + length
        if (pos + 5 <= len(self.raw) or len(self.raw) > _SNIFF_LIMIT) and len(handshake) < 4:
            self.done = True                                 # an alert or garbage first: nothing to learn
        elif len(handshake) >= 4:
            if handshake[0] != _SERVER_HELLO:
                self.done = True
                return
            size = int.from_bytes(handshake[1:4], "big")
            if len(handshake) >= 4 + size:
                self.legacy_renegotiation = bool(lacks_secure_renegotiation(bytes(handshake[4:4 + size])))
                self.done = True
        if self.done:
            self.raw = bytearray()


def _verify_error(code: int) -> str:
    if code in _VERIFY_ERRORS:
        return _VERIFY_ERRORS[code]
    try:  # OpenSSL's own words for the rarer ones, through pyOpenSSL's (private) binding
        return _ffi.string(_lib.X509_verify_cert_error_string(code)).decode("ascii", "replace")
    except Exception:
        return f"certificate error {code}"


def tls_error(exc: BaseException) -> str | None:
    """A one-line reason when `exc` is, or wraps, an OpenSSL error: "TLS error (wrong version number)"."""
    seen, todo = set(), [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, SSL.Error):
            errors = e.args[0] if e.args and isinstance(e.args[0], list) else []
            detail = "; ".join(str(err[2]) for err in errors if len(err) > 2 and err[2])
            return f"TLS error ({detail or e})"
        # Scrapy wraps Twisted's ResponseFailed (its .reasons hold Failures) in its own exceptions
        todo += [e.__cause__, e.__context__, *(getattr(f, "value", None) for f in getattr(e, "reasons", None) or [])]
    return None


@dataclass(frozen=True)
class TLSHandshake:
    """What one completed handshake negotiated and what verifying its certificate found."""

    host: str
    port: int
    version: str                                   # "TLSv1", "TLSv1.2", "TLSv1.3"
    cipher: str                                    # OpenSSL name, e.g. "AES128-SHA"
    certificate_problems: tuple[str, ...] = ()     # ("self-signed", "hostname mismatch") or () when trusted
    certificate_checked: bool = True               # False when no certificate was seen (nothing to judge)
    legacy_renegotiation: bool = False             # a TLS <= 1.2 ServerHello without renegotiation_info

    @property
    def netloc(self) -> str:
        """host[:port] as the host's https URLs spell it (no port when it is 443)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == 443 else f"{host}:{self.port}"


def tls_needs(handshake: TLSHandshake) -> list[tuple[str, str]]:
    """What this handshake needed beyond a default client, as (need, detail) pairs for store.note_host.

    legacy_tls: a protocol version below TLS 1.2 (OpenSSL 3 refuses those at its default level), or a server
    without RFC 5746 secure renegotiation (refused unless OP_LEGACY_SERVER_CONNECT);
    untrusted_certificate: the chain did not verify against the trust store, or the name did not match.
    """
    needs = []
    legacy = [f"{handshake.version} {handshake.cipher}"] if handshake.version in LEGACY_VERSIONS else []
    if handshake.legacy_renegotiation:
        legacy.append(LEGACY_RENEGOTIATION)
    if legacy:
        needs.append(("legacy_tls", "; ".join(legacy)))
    if handshake.certificate_problems:
        needs.append(("untrusted_certificate", "; ".join(handshake.certificate_problems)))
    return needs


@dataclass
class _Probe:
    """Watches one connection's handshake: collects verification results, reports once it completes."""

    host: str
    port: int
    report: Callable[[TLSHandshake], None]
    problems: list[str] = field(default_factory=list)
    saw_leaf: bool = False
    done: bool = False
    hello: _ServerHelloSniffer = field(default_factory=_ServerHelloSniffer)

    def verify(self, conn: SSL.Connection, cert, errno: int, depth: int, ok: int) -> bool:
        """OpenSSL's verify callback: note every failure, never fail (a public document is still public)."""
        try:
            if not ok:
                self._add(_verify_error(errno))
            if depth == 0 and not self.saw_leaf:
                self.saw_leaf = True
                ident = IPAddress_ID(self.host) if _is_ip(self.host) else DNS_ID(self.host)
                try:
                    verify_service_identity(extract_patterns(cert), [ident], [])
                except (CertificateError, VerificationError):
                    self._add(HOSTNAME_MISMATCH)
        except Exception:  # an exception must not escape into OpenSSL
            logger.exception("nianbao: TLS certificate check of %s:%s failed", self.host, self.port)
        return True

    def info(self, conn: SSL.Connection, where: int, ret: int) -> None:
        # TLS 1.3 signals HANDSHAKE_DONE again for each session ticket: report the first only
        if not where & SSL.SSL_CB_HANDSHAKE_DONE or self.done:
            return
        self.done = True
        try:
            self.report(TLSHandshake(self.host, self.port, conn.get_protocol_version_name(),
                                     conn.get_cipher_name() or "", tuple(self.problems), self.saw_leaf,
                                     self.hello.legacy_renegotiation))
        except Exception:
            logger.exception("nianbao: reporting the TLS handshake with %s:%s failed", self.host, self.port)

    def _add(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


def _is_ip(host: str) -> bool:
    return isIPAddress(host) or isIPv6Address(host)


@implementer(IOpenSSLClientConnectionCreator)
class _ProbingConnectionCreator:
    """Makes the client connection for one host:port: SNI, the recording verify callback, the probe."""

    def __init__(self, context: SSL.Context, host: str, port: int, report: Callable[[TLSHandshake], None]):
        self.context, self.host, self.port, self.report = context, host, port, report

    def clientConnectionForTLS(self, tlsProtocol) -> SSL.Connection:
        conn = SSL.Connection(self.context, None)
        if not _is_ip(self.host):  # SNI carries names only (RFC 6066)
            conn.set_tlsext_host_name(self.host.encode("ascii"))
        probe = _Probe(self.host, self.port, self.report)
        conn.set_verify(SSL.VERIFY_PEER, probe.verify)
        conn.set_info_callback(probe.info)
        # Twisted feeds what the server sends through bio_write: read the ServerHello on its way in
        bio_write = conn.bio_write

        def sniffing_bio_write(data: bytes) -> int:
            if not probe.hello.done:
                try:
                    probe.hello.feed(data)
                except Exception:  # never let the sniffing break the connection
                    probe.hello.done = True
            return bio_write(data)

        conn.bio_write = sniffing_bio_write
        return conn


class _LenientCertificateOptions(CertificateOptions):
    """CertificateOptions whose context also accepts legacy servers and can verify (without enforcing)."""

    def __init__(self, *, security_level: int, ca_file: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.security_level, self.ca_file = security_level, ca_file

    def _makeContext(self, *args: Any) -> SSL.Context:
        ctx = super()._makeContext(*args)
        # no RFC 5746 renegotiation_info in the ServerHello: OpenSSL 3 refuses such servers by default
        ctx.set_options(SSL.OP_LEGACY_SERVER_CONNECT)
        # the cipher names Twisted chose from DOWNLOADER_CLIENT_TLS_CIPHERS (its private _cipherString: the
        # same list Scrapy's own context gets), at the lowered security level
        ctx.set_cipher_list(f"{self._cipherString}:@SECLEVEL={self.security_level}".encode("ascii"))
        if self.ca_file:
            ctx.load_verify_locations(self.ca_file)
        else:
            ctx.set_default_verify_paths()
        return ctx


class NianbaoClientContextFactory(_ScrapyFactory):
    """Scrapy's non-verifying client context factory, lenient to legacy servers, reporting each handshake.

    Settings: DOWNLOAD_TLS_MIN_VERSION / DOWNLOAD_TLS_MAX_VERSION and DOWNLOADER_CLIENT_TLS_CIPHERS (Scrapy's),
    NIANBAO_TLS_SECURITY_LEVEL, NIANBAO_TLS_CA_FILE. With DOWNLOAD_VERIFY_CERTIFICATES on, Scrapy's
    verifying behaviour is used unchanged and nothing is reported.
    """

    security_level: int = 0
    ca_file: str = ""
    signals = None

    @classmethod
    def from_crawler(cls, crawler, method: int | None = SSL.SSLv23_METHOD, *args: Any, **kwargs: Any):
        factory = super().from_crawler(crawler, method, *args, **kwargs)
        s = crawler.settings
        factory.security_level = s.getint("NIANBAO_TLS_SECURITY_LEVEL")
        if not 0 <= factory.security_level <= 5:
            raise ValueError(f"NIANBAO_TLS_SECURITY_LEVEL must be 0..5, got {factory.security_level}")
        factory.ca_file = s.get("NIANBAO_TLS_CA_FILE") or ""
        if factory.ca_file and not os.path.isfile(factory.ca_file):
            raise ValueError(f"NIANBAO_TLS_CA_FILE {factory.ca_file!r} is not a file")
        factory.signals = crawler.signals
        return factory

    def _get_cert_options(self) -> CertificateOptions:
        return _LenientCertificateOptions(security_level=self.security_level, ca_file=self.ca_file,
                                          **self._get_cert_options_kwargs())

    def _shared_context(self) -> SSL.Context:
        # one context for every connection: loading the trust store per connection would cost milliseconds
        if getattr(self, "_context_cache", None) is None:
            self._context_cache = self._get_cert_options().getContext()
        return self._context_cache

    def creatorForNetloc(self, hostname: bytes, port: int):
        if getattr(self, "_verify_certificates", False):
            return super().creatorForNetloc(hostname, port)
        return _ProbingConnectionCreator(self._shared_context(), hostname.decode("ascii"), port, self.report)

    def report(self, handshake: TLSHandshake) -> None:
        """Announce a completed handshake (overridable: tests and tools may collect them directly)."""
        logger.debug("nianbao: TLS %s %s with %s, certificate: %s", handshake.version, handshake.cipher,
                     handshake.netloc, ", ".join(handshake.certificate_problems) or "trusted")
        if self.signals is not None:
            self.signals.send_catch_log(signal=tls_handshake, handshake=handshake)
