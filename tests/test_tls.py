"""Hosts with broken TLS: real TLS servers on 127.0.3.x, the context factory, the http fallback, whole crawls."""

from __future__ import annotations

import socket
import ssl
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from OpenSSL import SSL
from scrapy import Request
from scrapy.core.downloader.contextfactory import _ScrapyClientContextFactory
from scrapy.exceptions import DownloadConnectionRefusedError, DownloadTimeoutError, ResponseDataLossError
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.archive.feed import read_feed
from replica import expected
from replica.jianchuan import Jianchuan
from replica.server import serve, stop
from replica.site import Site
from replica.tls import (CertificateAuthority, HttpsLinks, LegacyRenegotiationServer,
                                 client_certificate_context, issued_by_unknown_ca, legacy_context, modern_context,
                                 self_signed)
from replica.tongyu import Tongyu
from replica.wenku import Wenku
from replica.yangcheng import Yangcheng
from crawler.archive.storage import open_store
from spiders.fallback import HttpFallbackMiddleware, http_url, https_failure_reason
from spiders.tls import NianbaoClientContextFactory, TLSHandshake, tls_handshake, tls_needs
from tests.conftest import FAST, run_nianbao

BASE = "127.0.3"


class Closed(Site):
    """Nothing to serve: its TLS server demands a client certificate, so no page is ever reached."""

    name = "closed"


@pytest.fixture(scope="module")
def tls_sites(tmp_path_factory):
    """Five hosts on 127.0.3.2-6, each broken as real portals are; plus a port where nothing listens."""
    ca = CertificateAuthority()
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca_file.write_bytes(ca.cert_pem)
    sites = [Yangcheng(1), Jianchuan(1), HttpsLinks(Tongyu(1)), Wenku(1), Closed()]
    tls = {
        "yangcheng": modern_context(self_signed([f"{BASE}.2"])),                        # self-signed, TLS 1.3
        "jianchuan": legacy_context(issued_by_unknown_ca(["legacy.replica.invalid"])),  # TLS 1.0, AES128-SHA
        "wenku": modern_context(ca.issue([f"{BASE}.5"])),                               # trusted with ca_file
        "closed": client_certificate_context(self_signed([f"{BASE}.6"])),              # fails over https and http
    }
    ctx, servers = serve(sites, base=BASE, tls=tls)
    with socket.socket() as s:      # a port of this loopback host where nothing listens
        s.bind((f"{BASE}.9", 0))
        dead = f"https://{BASE}.9:{s.getsockname()[1]}/"
    yield {"bases": dict(ctx.bases), "dead": dead, "ca_file": str(ca_file), "sites": sites}
    stop(ctx, servers)


def _hostport(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname, parts.port


# -- the context factory against real servers ---------------------------------------------------------

def _handshake(conn: SSL.Connection, url: str) -> str:
    """Drive a memory-BIO client connection (as Twisted does) over a real socket; the negotiated version."""
    conn.set_connect_state()
    with socket.create_connection(_hostport(url), timeout=3) as sock:
        while True:
            try:
                conn.do_handshake()
                return conn.get_protocol_version_name()
            except SSL.WantReadError:
                sock.sendall(conn.bio_read(65536))
                data = sock.recv(65536)
                if not data:
                    raise ConnectionError("server closed the connection during the handshake")
                conn.bio_write(data)


def _factory(**settings):
    crawler = get_crawler(settings_dict={"DOWNLOAD_TLS_MIN_VERSION": "TLSv1.0", "NIANBAO_TLS_SECURITY_LEVEL": 0,
                                         "NIANBAO_TLS_CA_FILE": "", **settings})
    factory = build_from_crawler(NianbaoClientContextFactory, crawler, method=SSL.SSLv23_METHOD)
    seen: list[TLSHandshake] = []
    crawler.signals.connect(lambda handshake: seen.append(handshake), signal=tls_handshake, weak=False)
    return factory, seen


def _ours(factory, url: str) -> str:
    host, port = _hostport(url)
    return _handshake(factory.creatorForNetloc(host.encode(), port).clientConnectionForTLS(None), url)


def _scrapy_default(url: str) -> str:
    default = build_from_crawler(_ScrapyClientContextFactory, get_crawler(), method=SSL.SSLv23_METHOD)
    return _handshake(SSL.Connection(default._get_context(), None), url)


def _urllib_default(url: str) -> bytes:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE      # certificates aside: TLS only
    return urllib.request.urlopen(url, context=context, timeout=3).read()


def test_legacy_server_defeats_default_clients_not_nianbao(tls_sites):
    url = tls_sites["bases"]["jianchuan"]
    with pytest.raises(SSL.Error):
        _scrapy_default(url)
    with pytest.raises(urllib.error.URLError):
        _urllib_default(url)
    factory, seen = _factory()
    assert _ours(factory, url) == "TLSv1"
    (hs,) = seen
    assert (hs.version, hs.cipher) == ("TLSv1", "AES128-SHA")
    assert hs.certificate_problems == ("unknown issuer or incomplete chain", "hostname mismatch")
    assert tls_needs(hs) == [("legacy_tls", "TLSv1 AES128-SHA"),
                             ("untrusted_certificate", "unknown issuer or incomplete chain; hostname mismatch")]


def test_modern_server_still_gets_the_best_protocol(tls_sites):
    url = tls_sites["bases"]["yangcheng"]
    assert _scrapy_default(url) == "TLSv1.3"
    factory, seen = _factory()
    assert _ours(factory, url) == "TLSv1.3"
    assert seen[0].certificate_problems == ("self-signed",)
    assert tls_needs(seen[0]) == [("untrusted_certificate", "self-signed")]


def test_chain_to_a_trusted_root_needs_nothing(tls_sites):
    url = tls_sites["bases"]["wenku"]
    factory, seen = _factory(NIANBAO_TLS_CA_FILE=tls_sites["ca_file"])
    assert _ours(factory, url) == "TLSv1.3"
    assert seen[0].certificate_problems == () and tls_needs(seen[0]) == []
    # the same chain against the system store: its root is unknown there
    factory, seen = _factory()
    _ours(factory, url)
    assert seen[0].certificate_problems == ("unknown issuer or incomplete chain",)


def test_server_without_secure_renegotiation_is_reached_and_noted():
    pytest.importorskip("tlslite", reason="tlslite-ng makes the only server without RFC 5746 at hand")
    with LegacyRenegotiationServer(f"{BASE}.7", self_signed([f"{BASE}.7"])) as server:
        openssl_defaults = SSL.Context(SSL.TLS_METHOD)
        with pytest.raises(SSL.Error, match="unsafe legacy renegotiation disabled"):
            _handshake(SSL.Connection(openssl_defaults, None), server.url)
        with pytest.raises(urllib.error.URLError, match="UNSAFE_LEGACY_RENEGOTIATION_DISABLED"):
            _urllib_default(server.url)
        factory, seen = _factory()
        assert _ours(factory, server.url) == "TLSv1.2"
    assert seen[0].legacy_renegotiation
    assert tls_needs(seen[0]) == [("legacy_tls", "unsafe legacy renegotiation"),
                                  ("untrusted_certificate", "self-signed")]


def test_context_allows_legacy_servers():
    factory, _ = _factory()
    options = factory._get_cert_options()._makeContext().set_options(0)   # set_options returns the options
    assert options & SSL.OP_LEGACY_SERVER_CONNECT
    assert not options & SSL.OP_NO_TLSv1 and not options & SSL.OP_NO_TLSv1_1


def test_plain_http_port_fails_tls_for_every_client(tls_sites):
    url = tls_sites["bases"]["tongyu-https-links"].replace("http://", "https://")
    factory, seen = _factory()
    with pytest.raises(SSL.Error):
        _ours(factory, url)
    assert not seen
    page = urllib.request.urlopen(tls_sites["bases"]["tongyu-https-links"], timeout=3).read()
    assert url.encode() in page            # its pages link https:// URLs of its own host


# -- the middleware, with no crawl running ------------------------------------------------------------

def _refused() -> Exception:
    try:
        raise DownloadConnectionRefusedError("Connection was refused by other side: 111")
    except DownloadConnectionRefusedError as exc:
        return exc


def test_https_failure_reasons():
    assert https_failure_reason(_refused()) == "https failed: connection refused"
    assert https_failure_reason(DownloadTimeoutError("took longer than 3 seconds")) is None
    assert https_failure_reason(ResponseDataLossError("truncated")) is None
    try:
        raise DownloadTimeoutError("x") from SSL.Error([("SSL routines", "", "wrong version number")])
    except DownloadTimeoutError as exc:
        assert https_failure_reason(exc) == "https failed: TLS error (wrong version number)"


def test_http_url_keeps_the_port_except_443():
    assert http_url("https://a.gov.cn/x?y=1") == "http://a.gov.cn/x?y=1"
    assert http_url("https://a.gov.cn:443/x") == "http://a.gov.cn/x"
    assert http_url("https://127.0.3.4:8443/") == "http://127.0.3.4:8443/"


def _middleware(tmp_path, **settings):
    crawler = get_crawler(settings_dict={"NIANBAO_STORE": str(tmp_path / "store"),
                                         "NIANBAO_HTTP_FALLBACK_ENABLED": True, **settings})
    crawler.stats.open_spider()
    return crawler, build_from_crawler(HttpFallbackMiddleware, crawler)


def test_middleware_falls_back_once_and_remembers_the_host(tmp_path):
    crawler, mw = _middleware(tmp_path)
    https = Request("https://a.gov.cn/nb/index.html", meta={"nianbao_site": "a.gov.cn"})
    original = _refused()
    retry = mw.process_exception(https, original)
    assert retry.url == "http://a.gov.cn/nb/index.html" and retry.dont_filter
    assert retry.meta["redirect_urls"] == [https.url] and retry.meta["nianbao_site"] == "a.gov.cn"
    mw.process_response(retry, HtmlResponse(retry.url, body=b"<html></html>", request=retry))
    later = mw.process_request(Request("https://a.gov.cn/nb/2020.html"))
    assert later.url == "http://a.gov.cn/nb/2020.html"
    assert mw.process_request(Request("https://b.gov.cn/")) is None           # another host: untouched
    # a request that was in flight when the host was learnt falls back too: the host is still noted once
    second = mw.process_exception(Request("https://a.gov.cn/nb/2019.html"), _refused())
    mw.process_response(second, HtmlResponse(second.url, body=b"", request=second))
    assert [(n["need"], n["detail"]) for n in mw.store.host_needs("a.gov.cn")] == [
        ("http_fallback", "https failed: connection refused")]
    assert crawler.stats.get_value("nianbao/host_needs/http_fallback") == 1   # once per host, not per request


def test_redirects_keep_working_around_a_fallback(tmp_path):
    _, mw = _middleware(tmp_path)
    retry = mw.process_exception(Request("https://f.gov.cn/a"), _refused())
    moved = HtmlResponse(retry.url, status=302, headers={"Location": "https://f.gov.cn/b"}, request=retry)
    assert mw.process_response(retry, moved) is moved            # RedirectMiddleware (600) follows it next
    follow = retry.replace(url="https://f.gov.cn/b")              # the meta copy RedirectMiddleware makes
    assert "nianbao_http_fallback_token" not in follow.meta
    over_http = mw.process_request(follow)
    assert over_http.url == "http://f.gov.cn/b"
    assert over_http.meta["redirect_urls"] == ["https://f.gov.cn/a", "https://f.gov.cn/b"]   # loop check sees both
    assert mw.process_request(Request("http://g.gov.cn/")) is None        # http (e.g. https->http) untouched
    assert mw.process_request(Request("https://g.gov.cn/")) is None       # https of other hosts untouched


def test_when_http_fails_too_the_https_failure_stands(tmp_path):
    _, mw = _middleware(tmp_path)
    https = Request("https://c.gov.cn/")
    original = _refused()
    retry = mw.process_exception(https, original)
    with pytest.raises(DownloadConnectionRefusedError) as raised:
        mw.process_exception(retry, DownloadConnectionRefusedError("http refused too"))
    assert raised.value is original
    assert retry.meta["redirect_urls"][0] == "https://c.gov.cn/"        # the URL the errback records
    assert mw.store.host_needs("c.gov.cn") == []
    assert mw.process_request(Request("https://c.gov.cn/x")) is None


def test_fallback_can_be_turned_off_and_handshakes_are_still_noted(tmp_path):
    crawler, mw = _middleware(tmp_path, NIANBAO_HTTP_FALLBACK_ENABLED=False)
    assert mw.process_exception(Request("https://d.gov.cn/"), _refused()) is None
    assert mw.process_exception(Request("https://e.gov.cn/", meta={"nianbao_no_http_fallback": True}),
                                _refused()) is None
    hs = TLSHandshake("d.gov.cn", 443, "TLSv1.1", "AES256-SHA", ("self-signed",))
    crawler.signals.send_catch_log(signal=tls_handshake, handshake=hs)
    crawler.signals.send_catch_log(signal=tls_handshake, handshake=hs)
    assert {(n["host"], n["need"], n["detail"]) for n in mw.store.host_needs()} == {
        ("d.gov.cn", "legacy_tls", "TLSv1.1 AES256-SHA"), ("d.gov.cn", "untrusted_certificate", "self-signed")}


# -- a whole crawl through the CLI ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def tls_crawl(tls_sites, tmp_path_factory):
    bases = tls_sites["bases"]
    starts = [bases["yangcheng"], bases["jianchuan"], bases["tongyu-https-links"].replace("http://", "https://"),
              bases["wenku"], bases["closed"], tls_sites["dead"]]
    store = tmp_path_factory.mktemp("tls") / "store"
    proc = run_nianbao("crawl", *starts, "--store", str(store), *FAST, "-s",
                       f"NIANBAO_TLS_CA_FILE={tls_sites['ca_file']}", "--log-level", "INFO", timeout=120)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, stderr[-3000:]
    s = open_store(store)
    yield {"store": s, "feed": read_feed(store / "feed"), "stderr": stderr, "starts": starts}
    s.close()


def _titles(site: str) -> set[str]:
    return {e["title"] for e in expected(1) if e["site"] == site and e.get("kind", "report") == "report"
            and not e.get("repost_of")}


def _fed(tls_crawl, base: str) -> set[str]:
    host = urlsplit(base).netloc
    return {r["title"] for r in tls_crawl["feed"] if r["site"] == host}


def _needs(tls_crawl, base: str) -> dict[str, str]:
    return {n["need"]: n["detail"] for n in tls_crawl["store"].host_needs(urlsplit(base).netloc)}


def test_self_signed_host_is_crawled_and_noted(tls_crawl, tls_sites):
    base = tls_sites["bases"]["yangcheng"]
    assert _fed(tls_crawl, base) == _titles("yangcheng")
    assert _needs(tls_crawl, base) == {"untrusted_certificate": "self-signed"}


def test_legacy_tls_host_is_crawled_and_noted(tls_crawl, tls_sites):
    base = tls_sites["bases"]["jianchuan"]
    assert _fed(tls_crawl, base) == _titles("jianchuan")
    assert _needs(tls_crawl, base) == {
        "legacy_tls": "TLSv1 AES128-SHA",
        "untrusted_certificate": "unknown issuer or incomplete chain; hostname mismatch"}


def test_http_only_host_is_crawled_through_its_https_links(tls_crawl, tls_sites):
    base = tls_sites["bases"]["tongyu-https-links"]
    assert _fed(tls_crawl, base) == _titles("tongyu")
    assert _needs(tls_crawl, base) == {"http_fallback": "https failed: TLS error (wrong version number)"}
    # its https links went straight to http once the host was known
    assert "'nianbao/http_fallback/direct'" in tls_crawl["stderr"]
    assert not [f for f in tls_crawl["store"].failures() if urlsplit(f["url"]).netloc == urlsplit(base).netloc]


def test_trusted_host_needs_nothing(tls_crawl, tls_sites):
    assert _needs(tls_crawl, tls_sites["bases"]["wenku"]) == {}


def test_hosts_failing_both_ways_record_one_failure_each(tls_crawl, tls_sites):
    failures = tls_crawl["store"].failures()
    closed, dead = tls_sites["bases"]["closed"], tls_sites["dead"]
    (f_closed,) = [f for f in failures if f["url"].startswith(closed.rstrip("/"))]
    (f_dead,) = [f for f in failures if f["url"].startswith(dead.rstrip("/"))]
    assert f_closed["url"] == closed and "certificate required" in f_closed["reason"]
    assert f_dead["url"] == dead and f_dead["reason"] == "connection refused"
    assert "http_fallback" not in _needs(tls_crawl, closed) and _needs(tls_crawl, dead) == {}
    assert not [f for f in failures if f["url"].startswith("http://")]
