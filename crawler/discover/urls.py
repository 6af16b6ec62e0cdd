"""URL canonicalisation: one spelling per page, so the crawl, the dedupe and the archive agree on identity."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string, url_query_cleaner

__all__ = ["site_domain", "canonicalize", "is_valid_http_url"]

HTTP_SCHEMES = frozenset({"http", "https"})
# Listing pages repeat the same nav and footer links on every page of a site, and one page asks
# about the same URL several times; memoising the pure string functions makes those free.
# 64k entries is a few MB of short strings.
CACHE_SIZE = 65536
DEFAULT_PORTS = {"http": 80, "https": 443}

# Query keys that carry a per-visitor session and never select content, matched case-insensitively
# (J2EE `JSESSIONID`, PHP `PHPSESSID`, classic ASP `ASPSESSIONIDxxxxxxxx` with its random suffix,
# 瑞数's per-visitor URL rewrite `MmEwMD`, portals.md §5.2).
SESSION_PARAMS = frozenset({"jsessionid", "phpsessid", "sessionid", "session_id", "cfid", "cftoken", "mmewmd"})
SESSION_PARAM_PREFIXES = ("aspsessionid",)
# `sid` is a session token on some JSP/PHP sites but a *site id* on others (Guangdong gkmlpt
# `/gkmlpt/api/all/5?page=1&sid=2`, portals.md §3): drop it only when its value looks like a token.
AMBIGUOUS_SESSION_PARAMS = frozenset({"sid"})
SESSION_TOKEN_MIN_LEN = 16        # real session tokens are 24-40 characters; site ids are short numbers

# Click-tracking and share-attribution keys: analytics (utm_*, Google/Microsoft/Facebook/Yandex ad
# click ids), Alibaba's spm/scm, WeChat share markers, Baidu ad ids. None of them changes the page a
# server returns. Keys that select content (id, page, columnid, from-less channel ids...) are never listed here.
TRACKING_PARAMS = frozenset({
    "spm", "scm", "gclid", "dclid", "fbclid", "msclkid", "yclid", "bd_vid", "mc_cid", "mc_eid",
    "_hsenc", "_hsmi", "isappinstalled", "share_token", "sharer_shareid", "sharer_sharetime",
})
TRACKING_PARAM_PREFIXES = ("utm_",)

# `;jsessionid=…` path parameter (Tomcat/WebLogic URL rewriting), anywhere in the path.
_PATH_SESSION_RE = re.compile(r";(?:jsessionid|phpsessid|sid|aspsessionid\w*)=[^/;?#]*", re.IGNORECASE)
_PERCENT_ESCAPE_RE = re.compile(r"%[0-9a-fA-F]{2}")


def is_valid_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host (and a parseable port); never raises."""
    return isinstance(url, str) and _is_valid(url)


@lru_cache(maxsize=CACHE_SIZE)
def _is_valid(url: str) -> bool:
    if not url.strip():
        return False
    try:
        parts = urlsplit(url.strip())
        parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError:
        return False
    host = parts.hostname or ""
    return parts.scheme.lower() in HTTP_SCHEMES and bool(host) and not any(c.isspace() for c in host)


def _is_dropped_param(key: str, value: str) -> bool:
    k = key.lower()
    if k in SESSION_PARAMS or k in TRACKING_PARAMS:
        return True
    if k.startswith(SESSION_PARAM_PREFIXES) or k.startswith(TRACKING_PARAM_PREFIXES):
        return True
    return k in AMBIGUOUS_SESSION_PARAMS and (len(value) >= SESSION_TOKEN_MIN_LEN or not value.isdigit())


def _dropped_keys(query: str) -> list[str]:
    keys = []
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key and _is_dropped_param(key, value):
            keys.append(key)
    return keys


def _normal_path(path: str) -> str:
    path = _PATH_SESSION_RE.sub("", path) or "/"
    if "/." in path:  # resolve ./ and ../ segments (RFC 3986 remove_dot_segments, via urljoin)
        path = urlsplit(urljoin("http://h/", path)).path or "/"
    return _PERCENT_ESCAPE_RE.sub(lambda m: m.group(0).upper(), path)


def canonicalize(url: str) -> str:
    """The canonical spelling of an absolute http(s) URL.

    Lower-case scheme and host, default port dropped, empty path -> "/", dot segments resolved,
    percent-escapes upper-cased, non-ASCII percent-encoded as UTF-8 (w3lib.safe_url_string), the
    fragment dropped, session ids (path `;jsessionid=`, query SESSION_PARAMS) and TRACKING_PARAMS
    dropped. The remaining query keeps its order and spelling: unlike w3lib's canonicalize_url we do
    not sort it, because the URL we request and archive should be one a browser on the site would
    have fetched, and a few JSP/ASP list pages read their parameters positionally.

    Never raises: anything that is not an absolute http(s) URL (javascript:, mailto:, relative,
    unparseable such as "http://[::1") is returned unchanged; callers filter with is_valid_http_url.
    """
    return _canonical(url) if isinstance(url, str) else url


@lru_cache(maxsize=CACHE_SIZE)
def _canonical(url: str) -> str:
    if not _is_valid(url):
        return url
    try:
        safe = safe_url_string(url.strip())
        parts = urlsplit(safe)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{netloc}"
    query = parts.query
    if query:
        query = _PERCENT_ESCAPE_RE.sub(lambda m: m.group(0).upper(), query)
        query = url_query_cleaner("?" + query, _dropped_keys(query), remove=True, unique=False)[1:]
    return urlunsplit((scheme, netloc, _normal_path(parts.path), query, ""))


@lru_cache(maxsize=4096)
def site_domain(host: str) -> str | None:
    """The registrable domain of a host (xxgk.x.gov.cn -> x.gov.cn: gov.cn is a public suffix), from the public
    suffix list tldextract ships (no download); None for an IP address or a bare name. A portal's disclosure
    column often lives on a sibling subdomain of its home page."""
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    result = _EXTRACT(name)
    domain = getattr(result, "top_domain_under_public_suffix", None) or result.registered_domain
    return domain or None


def _extractor():
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


_EXTRACT = _extractor()
