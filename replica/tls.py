"""TLS as government portals really serve it, for the replica: certificates made at run time, server contexts.

Nothing here is committed key material: every certificate and key is generated when asked for
(`self_signed`, `issued_by_unknown_ca`, `CertificateAuthority().issue`).

Server contexts (pass them as ``serve(sites, tls={site_name: context})``):
  modern_context(creds)        TLS 1.2+, the library defaults; with a self-signed certificate it is the
                               commonest broken portal: fine for a crawler that does not verify
  legacy_context(creds)        TLS 1.0 only, one RSA-key-exchange cipher (AES128-SHA) at @SECLEVEL=0:
                               a default OpenSSL 3 client (and Scrapy's default, minimum TLS 1.2) refuses it
  client_certificate_context   demands a client certificate: no crawler gets through, over https or http

A server needing *unsafe legacy renegotiation* (no RFC 5746 renegotiation_info in its ServerHello) cannot be
made with Python's ssl: OpenSSL always answers the client's renegotiation_info/SCSV and has no option to stop.
`LegacyRenegotiationServer` is one, made with tlslite-ng (a pure-Python TLS stack, test dependency only).

``HttpsLinks(site)`` serves a site over plain http while its pages link to https:// URLs of its own host
and port: every https request to it meets a plain HTTP server (which answers a TLS hello with a 400), as
on portals where nothing speaks TLS.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import socket
import ssl
import tempfile
import threading
import warnings
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from .server import Context, Reply
from .site import Site

# The one old cipher both the local OpenSSL builds still ship (3DES and RC4 are compiled out): RSA key
# exchange, CBC, SHA-1 MAC, as on portals configured around 2010.
LEGACY_CIPHER = "AES128-SHA"


@dataclass(frozen=True)
class Credentials:
    """A certificate chain as served (leaf first) and the leaf's private key, PEM."""

    chain_pem: bytes
    key_pem: bytes


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "nianbao replica"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _alt_names(names: list[str]) -> x509.SubjectAlternativeName:
    out = []
    for name in names:
        try:
            out.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            out.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(out)


def _key() -> rsa.RSAPrivateKey:
    # RSA: the legacy cipher uses RSA key exchange, so an EC key would leave it nothing to negotiate
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _certificate(subject: x509.Name, issuer: x509.Name, public_key, signing_key, *, ca: bool,
                 names: list[str] | None = None) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if names:
        builder = builder.add_extension(_alt_names(names), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def self_signed(names: list[str]) -> Credentials:
    """A self-signed certificate for `names` (IP addresses or DNS names): valid names, untrusted issuer."""
    key = _key()
    cert = _certificate(_name(names[0]), _name(names[0]), key.public_key(), key, ca=False, names=names)
    return Credentials(cert.public_bytes(serialization.Encoding.PEM), _pem(key))


class CertificateAuthority:
    """A throwaway CA: trust it (its `cert_pem` in a client's CA file) or leave it unknown."""

    def __init__(self, common_name: str = "nianbao replica CA"):
        self._key, self._name = _key(), _name(common_name)
        cert = _certificate(self._name, self._name, self._key.public_key(), self._key, ca=True)
        self.cert_pem = cert.public_bytes(serialization.Encoding.PEM)

    def issue(self, names: list[str]) -> Credentials:
        """A leaf for `names`, served without the CA (the CA is a root: a complete chain for who trusts it)."""
        key = _key()
        leaf = _certificate(_name(names[0]), self._name, key.public_key(), self._key, ca=False, names=names)
        return Credentials(leaf.public_bytes(serialization.Encoding.PEM), _pem(key))


def issued_by_unknown_ca(names: list[str]) -> Credentials:
    """A leaf whose issuer is neither served nor trusted: what an incomplete chain looks like to a client."""
    return CertificateAuthority("nianbao replica intermediate CA").issue(names)


def _load(context: ssl.SSLContext, creds: Credentials) -> ssl.SSLContext:
    # load_cert_chain reads files only: write them for the call and remove them at once
    with tempfile.TemporaryDirectory(prefix="nianbao-tls-") as tmp:
        cert, key = os.path.join(tmp, "chain.pem"), os.path.join(tmp, "key.pem")
        with open(cert, "wb") as fh:
            fh.write(creds.chain_pem)
        with open(os.open(key, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as fh:
            fh.write(creds.key_pem)
        context.load_cert_chain(cert, key)
    return context


def modern_context(creds: Credentials) -> ssl.SSLContext:
    """TLS 1.2 and 1.3 with the library's default ciphers."""
    return _load(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER), creds)


def legacy_context(creds: Credentials) -> ssl.SSLContext:
    """TLS 1.0 only, LEGACY_CIPHER only: refused by any client that keeps OpenSSL 3's defaults."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)     # ssl.TLSVersion.TLSv1 is deprecated: the point
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.maximum_version = ssl.TLSVersion.TLSv1
    context.set_ciphers(f"{LEGACY_CIPHER}:@SECLEVEL=0")
    return _load(context, creds)


def client_certificate_context(creds: Credentials) -> ssl.SSLContext:
    """Demands a client certificate from an unknown CA: every crawler's handshake fails."""
    context = modern_context(creds)
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cadata=self_signed(["client-ca.replica.invalid"]).chain_pem.decode())
    return context


class HttpsLinks(Site):
    """`site` served as it is, except that its root-relative links become https:// links to its own host
    and port, where only plain http answers."""

    _HREF = re.compile(rb'(href\s*=\s*["\'])/(?!/)', re.I)

    def __init__(self, site: Site, name: str | None = None):
        super().__init__()
        self.inner = site
        self.name = name or f"{site.name}-https-links"
        self.title, self.encoding, self.truth = site.title, site.encoding, site.truth

    def respond(self, ctx: Context, path: str, query: str) -> Reply:
        reply = self.inner.respond(ctx, path, query)
        if not (reply.content_type or "").startswith("text/html"):
            return reply
        netloc = urlsplit(ctx.bases[self.name]).netloc.encode("ascii")
        return replace(reply, body=self._HREF.sub(rb"\1https://" + netloc + b"/", reply.body))


class LegacyRenegotiationServer:
    """A TLS 1.2 server that predates RFC 5746, answering every request with one small HTTP page.

    It ignores the client's renegotiation_info extension and SCSV, so its ServerHello carries none, and an
    OpenSSL 3 client refuses it ("unsafe legacy renegotiation disabled") unless OP_LEGACY_SERVER_CONNECT.
    A context manager; ``url`` is its https:// base. Needs tlslite-ng (imported here, not at module load).
    """

    def __init__(self, host: str, creds: Credentials, body: bytes = b"<html><body>ok</body></html>"):
        from tlslite import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey
        from tlslite.constants import CipherSuite, ExtensionType
        from tlslite.messages import ClientHello

        class _NoRFC5746(TLSConnection):
            def _getMsg(self, *args, **kwargs):
                for result in super()._getMsg(*args, **kwargs):
                    if isinstance(result, ClientHello):   # forget what the client offered, before answering
                        result.extensions = [e for e in result.extensions or []
                                             if e.extType != ExtensionType.renegotiation_info] or None
                        result.cipher_suites = [c for c in result.cipher_suites
                                                if c != CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV]
                    yield result

        self._connection_class, self._settings = _NoRFC5746, HandshakeSettings()
        self._settings.maxVersion = (3, 3)             # TLS 1.2: TLS 1.3 has no renegotiation to secure
        self._chain = X509CertChain()
        self._chain.parsePemList(creds.chain_pem.decode("ascii"))
        self._key = parsePEMKey(creds.key_pem.decode("ascii"), private=True)
        self._body = body
        self._sock = socket.create_server((host, 0))
        self.url = f"https://{host}:{self._sock.getsockname()[1]}/"

    def __enter__(self) -> "LegacyRenegotiationServer":
        threading.Thread(target=self._accept, name="replica-legacy-renegotiation", daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return                                  # closed by __exit__
            threading.Thread(target=self._answer, args=(client,), daemon=True).start()

    def _answer(self, client: socket.socket) -> None:
        client.settimeout(10)
        try:
            conn = self._connection_class(client)
            conn.handshakeServer(certChain=self._chain, privateKey=self._key, settings=self._settings)
            conn.read(max=65536)
            conn.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: "
                       + str(len(self._body)).encode() + b"\r\n\r\n" + self._body)
            conn.close()
        except Exception:
            pass                                        # a refused handshake is the client's error to see
        finally:
            client.close()
