"""A listing page parsed once: data islands and script-carried records spliced in, its text helpers, URL
shapes (article, directory, attachment, report slugs), its charset and base URL, and page chrome.

Part of the listing analysis (crawler.discover.listing.analyse_listing); no Scrapy in it."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree
from w3lib.html import strip_html5_whitespace

from crawler.discover.urls import is_valid_http_url
from crawler.vocab import (
    ARTICLE_PATH_RE,
    ARTICLE_QUERY_KEYS,
    ARTICLE_SCRIPT_RE,
    ATTACHMENT_EXT_RE,
    CHROME_SUBSTRINGS,
    CHROME_TAGS,
    CHROME_TOKENS,
    DIRECTORY_LEAF_RE,
    EDGE_PUNCT,
    MAX_SCRIPT_CHARS,
    REPORT_SLUG_RE,
    YEAR_SLUG_RE,
)


_DATASTORE_SCRIPT_RE = re.compile(r"<script[^>]*text/xml[^>]*>(.*?)</script\s*>", re.I | re.S)


_CDATA_RE = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)


_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


_INLINE_SCRIPT_RE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*text/xml)[^>]*>(.*?)</script\s*>", re.I | re.S)


_JS_STRING_RE = re.compile(r"'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\"")


_JS_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)


_MARKUP_IN_STRING_RE = re.compile(r"<(?:a\s|record\b|datastore\b|nextgroup\b)", re.I)


def _js_unescape(text: str) -> str:
    def one(m: re.Match) -> str:
        code = m.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return {"n": "\n", "t": "\t", "r": ""}.get(code, code)
    return _JS_ESCAPE_RE.sub(one, text)


def _script_markup(html: str) -> str:
    """List markup that a page's own scripts carry in string literals (a datastore assembled in JavaScript,
    an array of record rows handed to a pager plugin): what the browser would draw, without running it."""
    found = []
    for m in _INLINE_SCRIPT_RE.finditer(html):
        code = m.group(1)
        if len(code) > MAX_SCRIPT_CHARS or not _MARKUP_IN_STRING_RE.search(code):
            continue
        # chains of literals joined by +: a chain joined to a variable ("<a href='index_" + i + ".htm'>") is a
        # pager script's, read by the pager rules; an all-literal chain ('<datastore>' + '<record>…') is markup
        pieces, chain, pure = [], [], True
        matches = list(_JS_STRING_RE.finditer(code))
        for i, s in enumerate(matches):
            before = code[matches[i - 1].end():s.start()] if i and chain else code[:s.start()]
            if not chain:
                pure = not before.rstrip().endswith("+")
            chain.append(_js_unescape(s.group(1) if s.group(1) is not None else s.group(2)))
            following = code[s.end():matches[i + 1].start()] if i + 1 < len(matches) else code[s.end():]
            if following.strip() == "+":
                continue                      # the chain goes on with the next literal
            if following.lstrip().startswith("+"):
                pure = False                  # ... + variable
            if pure:
                pieces.extend(c for c in chain if "<" in c or ">" in c)
            chain = []
        joined = "".join(pieces)
        if _MARKUP_IN_STRING_RE.search(joined):
            found.append(joined)
    return "".join(found)


def _unwrap_datastores(html: str) -> str:
    """Hanweb column pages hide their first records in <script type="text/xml"><datastore> CDATA
    (portals.md §2.1), invisible to an HTML parser; splice them into the page so one parse sees them.
    dataproxy.jsp answers are bare <datastore> XML with the same CDATA records. Records a script carries in
    string literals (a JavaScript-built datastore, a record array) are spliced in the same way."""
    carried = _script_markup(html) if "<script" in html.lower() else ""
    if carried:
        carried = '<div data-nianbao="script-markup">' + _CDATA_RE.sub(r"\1", carried) + "</div>"
        at = html.lower().rfind("</body>")
        html = html[:at] + carried + html[at:] if at >= 0 else html + carried
    if not re.search(r"<datastore", html, re.I):
        return html
    html = _DATASTORE_SCRIPT_RE.sub(lambda m: _CDATA_RE.sub(r"\1", m.group(1)), html)
    return _CDATA_RE.sub(r"\1", _XML_DECL_RE.sub("", html))


# Plain etree elements: lxml.html's HtmlElement class lookup costs more than the parse on big pages.
# Bytes with a fixed encoding, so a leftover <meta charset=gbk> or <?xml encoding?> cannot mislead it.
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def _parse(html: str):
    """The page's root element, or None for an empty or unparseable page."""
    if not html or not html.strip():
        return None
    try:
        return etree.fromstring(_unwrap_datastores(html).encode("utf-8", "replace"), _PARSER)
    except (etree.LxmlError, ValueError):
        return None


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _norm(text: str) -> str:
    """Vocabulary form of a label: no whitespace, no bullets/brackets/arrows at the edges."""
    return "".join(text.split()).strip(EDGE_PUNCT)


# --- URL shapes -------------------------------------------------------------------------------------
# Every URL is asked several shape questions (article? directory? slug? page template?); split it once.
_split = lru_cache(maxsize=16384)(urlsplit)


def _path_segments(url: str) -> list[str]:
    return [s for s in _split(url).path.split("/") if s]


def _is_attachment_url(url: str) -> bool:
    parts = _split(url)
    if ATTACHMENT_EXT_RE.search(parts.path):
        return True
    # Hanweb /module/download/downfile.jsp?classid=0&filename=<hex>.pdf and similar download scripts.
    if "down" not in parts.path.lower():
        return False
    return any(ATTACHMENT_EXT_RE.search(p.partition("=")[2]) for p in parts.query.split("&"))


def _is_article_url(url: str) -> bool:
    parts = _split(url)
    if ARTICLE_PATH_RE.search(parts.path) or _is_attachment_url(url):
        return True
    leaf = parts.path.rsplit("/", 1)[-1]
    if parts.query and ARTICLE_SCRIPT_RE.search(leaf):
        keys = {p.partition("=")[0].lower() for p in parts.query.split("&")}
        return bool(keys & ARTICLE_QUERY_KEYS)
    return False


def _is_directory_url(url: str) -> bool:
    path = _split(url).path
    leaf = path.rsplit("/", 1)[-1]
    return path.endswith("/") or "." not in leaf or bool(DIRECTORY_LEAF_RE.match(leaf)) or "/col/col" in path


def _has_report_slug(url: str) -> bool:
    return any(REPORT_SLUG_RE.match(s) for s in _path_segments(url))


def _has_year_slug(url: str) -> bool:
    segs = _path_segments(url)
    if segs and "." in segs[-1]:
        segs = segs[:-1]
    return bool(segs) and bool(YEAR_SLUG_RE.match(segs[-1]))


def _page_key(url: str) -> str:
    """The URL with a trailing index.* removed, so a directory and its index page compare equal."""
    parts = _split(url)
    path = re.sub(r"/(?:index|default)\.\w+$", "/", parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _directory(url: str) -> str:
    parts = _split(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rsplit("/", 1)[0] + "/", "", ""))


# --- page metadata ----------------------------------------------------------------------------------
def _query_charset(charset: str | None) -> str | None:
    """The codec a browser would percent-encode this page's query strings with."""
    if not charset:
        return None
    charset = charset.strip().lower()
    # gb2312 pages carry GBK characters (portals.md §4): encode as the superset.
    return "gb18030" if charset.startswith(("gb", "x-gbk", "cp936")) else charset


def _meta_charset(root) -> str | None:
    for meta in root.iter("meta"):
        charset = meta.get("charset")
        if not charset:
            m = re.search(r"charset\s*=\s*([\w-]+)", meta.get("content") or "", re.I)
            charset = m.group(1) if m else None
        if charset:
            return _query_charset(charset)
    return None


def _base_url(root, url: str) -> str:
    for base in root.iter("base"):
        href = strip_html5_whitespace(base.get("href") or "")
        if href:
            joined = urljoin(url, href)
            if is_valid_http_url(joined):
                return joined
    return url


def _classes(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


def _is_chrome_element(el) -> bool:
    if el.tag in CHROME_TAGS:
        return True
    names = _classes(el)
    if not names.strip():
        return False
    if any(s in names for s in CHROME_SUBSTRINGS):
        return True
    return bool(CHROME_TOKENS & set(re.split(r"[\s_-]+", names)))


class _ChromeCache:
    """Whether an element sits in page chrome, memoised per element (one walk per ancestor chain)."""

    def __init__(self):
        self._known = {}

    def __call__(self, el) -> bool:
        chain = []
        result = False
        while el is not None and not isinstance(el, etree._Comment):
            if el in self._known:
                result = self._known[el]
                break
            chain.append(el)
            if _is_chrome_element(el):
                result = True
                break
            el = el.getparent()
        for e in chain:
            self._known[e] = result
        return result
