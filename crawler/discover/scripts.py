"""The data calls a listing page's own scripts make, read from their source: the "api" rung of the ladder.

Script-drawn lists fetch their entries from an endpoint the page's code names: jQuery ``$("#list").load(url)``
of an HTML fragment, ``$.ajax({url: …})``/``$.get``/``$.post``/``$.getJSON``, ``fetch(url)``, ``axios.get``,
``xhr.open("GET", url)``, or a URL literal with a page parameter. Replaying such a call with plain HTTP gives
the list without a browser; its answer (JSON or an HTML fragment with its own pager) is then read like any
other listing page. Only same-site URLs are returned, and never scripts, styles or images.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.discover.urls import canonicalize, is_valid_http_url
from crawler.vocab import MAX_SCRIPT_CHARS, PAGE_QUERY_KEYS

__all__ = ["ScriptCall", "script_calls"]

# A call whose first argument (or url: field) is a string literal: the argument is the endpoint.
_CALL_RE = re.compile(
    r"""(?:\.load|\$\.(?:ajax|get|post|getJSON)|jQuery\.(?:ajax|get|post|getJSON)|\bfetch|axios(?:\.(?:get|post))?"""
    r"""|\.open\s*\(\s*["'](?:GET|POST)["']\s*,)\s*\(?\s*["']([^"'\s]{2,2000})["']""", re.I)
_URL_FIELD_RE = re.compile(r"""\burl\s*:\s*["']([^"'\s]{2,2000})["']""", re.I)
_METHOD_FIELD_RE = re.compile(r"""\b(?:type|method)\s*:\s*["'](POST|GET)["']""", re.I)
# Any other literal that looks like a list endpoint: a dynamic page or data file, or a page parameter.
_LITERAL_RE = re.compile(r"""["']((?:/|\.{1,2}/|https?://)[^"'\s<>]{1,2000})["']""")
_ENDPOINT_PATH_RE = re.compile(r"\.(?:jsp|do|action|php|aspx?|ashx|json|cgi)(?:$|\?)|/(?:api|list|data|query)\b", re.I)
_NOT_DATA_RE = re.compile(r"\.(?:js|css|png|jpe?g|gif|svg|ico|woff2?|ttf|swf|mp4)(?:$|\?)", re.I)
_FRAGMENT_LOAD_RE = re.compile(r"\.load\s*\(", re.I)


@dataclass(frozen=True)
class ScriptCall:
    url: str
    method: str = "GET"
    fragment: bool = False      # jQuery .load(): the answer is an HTML fragment


def _scripts(html: str) -> list[str]:
    try:
        root = etree.fromstring(html.encode("utf-8", "surrogatepass"), etree.HTMLParser(encoding="utf-8"))
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    out = []
    for script in root.iter("script"):
        code = script.text or ""
        if code and not script.get("src") and len(code) <= MAX_SCRIPT_CHARS:
            out.append(code)
    for el in root.iter():
        for name, value in el.attrib.items():       # onclick="loadList('/module/list.jsp?page=2')"
            if name.startswith("on") and value:
                out.append(value)
    return out


def _resolve(literal: str, base: str) -> str | None:
    # a literal cut by string concatenation ("list.jsp?page=" + n) is still the endpoint: the page's own
    # number is appended when nothing follows the =
    url = urljoin(base, literal)
    if not is_valid_http_url(url) or _NOT_DATA_RE.search(urlsplit(url).path):
        return None
    if url.endswith("="):
        key = url.rsplit("?", 1)[-1].rsplit("&", 1)[-1][:-1].lower()
        if key in PAGE_QUERY_KEYS:
            url += "1"
    return canonicalize(url)


def script_calls(html: str, url: str) -> list[ScriptCall]:
    """The same-site data endpoints the page's inline scripts and on* handlers name, most specific first."""
    host = urlsplit(url).netloc
    found: dict[str, ScriptCall] = {}
    for code in _scripts(html):
        for match in _CALL_RE.finditer(code):
            target = _resolve(match.group(1), url)
            if target and urlsplit(target).netloc == host:
                tail = code[match.end():match.end() + 400]
                method = "POST" if re.search(r"\$\.post|\.post\s*\(", match.group(0), re.I) else "GET"
                m = _METHOD_FIELD_RE.search(tail)
                if m:
                    method = m.group(1).upper()
                found.setdefault(target, ScriptCall(target, method, bool(_FRAGMENT_LOAD_RE.match(match.group(0)))))
        for match in _URL_FIELD_RE.finditer(code):
            target = _resolve(match.group(1), url)
            if target and urlsplit(target).netloc == host:
                tail = code[max(0, match.start() - 200):match.end() + 400]
                m = _METHOD_FIELD_RE.search(tail)
                found.setdefault(target, ScriptCall(target, m.group(1).upper() if m else "GET"))
        for match in _LITERAL_RE.finditer(code):
            literal = match.group(1)
            query_keys = {k.split("=")[0].lower() for k in urlsplit(literal).query.split("&") if k}
            if not (_ENDPOINT_PATH_RE.search(literal) or query_keys & PAGE_QUERY_KEYS):
                continue
            target = _resolve(literal, url)
            if target and urlsplit(target).netloc == host:
                found.setdefault(target, ScriptCall(target))
    found.pop(canonicalize(url), None)
    return list(found.values())
