"""Listing-page analysis: the report entries, annual-report columns, disclosure hubs and pagination of one page."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from crawler.discover.sites import hints_for
from crawler.discover.urls import canonicalize, is_valid_http_url
from crawler.vocab import (
    COLUMN_NAME_MAX_LEN,
    COLUMN_NAME_RE,
    SUBCOLUMN_RE,
    LINK_NAMES_REPORT_RE,
    YEAR_RE,
    YEAR_SPAN_RE,
    NOT_COLUMN_WORDS,
    HUB_NAME_RE,
    HUB_EXCLUDE_WORDS,
    HUB_SLUG_MAX_TEXT,
    REPORT_SLUG_RE,
    YEAR_SLUG_RE,
    HUB_SLUGS,
    ARTICLE_PATH_RE,
    ARTICLE_SCRIPT_RE,
    ARTICLE_QUERY_KEYS,
    ATTACHMENT_EXT_RE,
    DIRECTORY_LEAF_RE,
    PAGER_STRONG_WORDS,
    PAGER_WEAK_WORDS,
    PAGER_NUMBER_RE,
    APP_ROOT_IDS,
    PAGER_CONTAINER_RE,
    PAGE_QUERY_KEYS,
    TOTAL_PAGES_TEXT_RE,
    MAX_INFERRED_PAGES,
    PAGER_SEARCH_LEVELS,
    MAX_SCRIPT_CHARS,
    JPAGE_DEFAULT_PER_PAGE,
    JPAGE_DEFAULT_GROUP_SIZE,
    JPAGE_DEFAULT_PROXY,
    PAGER_MAX_SIBLINGS,
    CHROME_SUBSTRINGS,
    CHROME_TOKENS,
    CHROME_TAGS,
    CRUMB_CLASS_RE,
    CRUMB_LEADS,
    CRUMB_SEPARATORS_RE,
    LISTING_TITLE_SEPARATORS_RE,
    CURRENT_NAV_TOKENS,
    LABEL_MAX_LEN,
    FRAME_SKIP_RE,
    ROW_TAGS,
    HEADING_TAGS,
    HEADING_CLASS_RE,
    LIST_HEADING_LEVELS,
    DATE_RE,
    DATE_CELL_MAX_LEN,
    MORE_WORDS,
    TRUNCATION_MARKS,
    NON_PAGE_SCHEMES,
    EDGE_PUNCT,
    LIST_MIN_TITLE_LEN,
    LIST_DATE_WEIGHT,
    LIST_ARTICLE_WEIGHT,
    LIST_TITLE_WEIGHT,
)

__all__ = ["Link", "Listing", "analyse_listing"]


@dataclass(frozen=True)
class Link:
    url: str            # absolute and canonical
    text: str           # visible anchor text, whitespace collapsed
    title: str          # full title: the title attribute when the text is truncated ("..."/"…"), else the text
    date: str | None    # YYYY-MM-DD found in the link's row, if any
    route: str = ""     # an app route in the href's fragment (#2381, #/list/12): the view a script draws


@dataclass
class Listing:
    report_links: list[Link] = field(default_factory=list)
    column_links: list[Link] = field(default_factory=list)
    hub_links: list[Link] = field(default_factory=list)
    page_links: list[str] = field(default_factory=list)
    form_pages: list["FormPage"] = field(default_factory=list)     # pages fetched by POSTing a form
    postbacks: list["Postback"] = field(default_factory=list)      # ASP.NET pager postbacks
    is_report_column: bool = False
    script_shell: bool = False      # the list is drawn by script: nothing to follow without a browser
    # the page's main list names an annual report: what confirms a page's own label (meta, title,
    # breadcrumb) that it is the report column — a site root's template may carry the column's name
    list_names_reports: bool = False
    base: str = ""                  # the URL relative links resolve against (<base href>, else the page's)


@dataclass(frozen=True)
class FormPage:
    """A listing page that is a POST: Hanweb's dataproxy.jsp windows."""

    url: str
    formdata: list[tuple[str, str]]


@dataclass(frozen=True)
class Postback:
    """An ASP.NET pager link: post the page's form back with __EVENTTARGET/__EVENTARGUMENT set."""

    target: str
    argument: str
    label: str


_POSTBACK_RE = re.compile(r"__doPostBack\(\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]*)['\"]\s*\)")
_POSTBACK_PAGE_ARG_RE = re.compile(r"^(?:Page\$)?(?:\d+|Next|Last|First|Prev)$", re.I)
_FETCH_CALL_RE = re.compile(r"\bfetch\s*\(|XMLHttpRequest|\$\.(?:ajax|get|post|getJSON)\s*\(|axios\.|\.ajax\s*\(")


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


# --- anchors ----------------------------------------------------------------------------------------
@dataclass(eq=False)
class _Anchor:
    el: object
    url: str
    text: str
    title: str
    title_attr: str = ""
    route: str = ""


# Fragments that select a view of a script-drawn page (gkmlpt's #<column id>, hash routers' #/… and #!…),
# unlike in-page anchors (#top, #content): kept beside the canonical URL for rendering.
_ROUTE_RE = re.compile(r"^#(?:\d+|[/!].*)$")

_TRAILING_DATE_RE = re.compile(r"[\s\[(（【]*" + DATE_RE.pattern + r"\s*日?[\])）】]*\s*$")


def _full_title(text: str, title_attr: str) -> str:
    if not title_attr:
        return text
    if text.endswith(TRUNCATION_MARKS):
        return title_attr
    # A longer title attribute that contains the text is the untruncated name; an unrelated one
    # (portals.md §6: a 年报 title on an unrelated headline) is ignored.
    if not text or (len(title_attr) > len(text) and _norm(text) in _norm(title_attr)):
        return title_attr
    return text


def _href_url(href: str, base: str, charset: str | None) -> str | None:
    # markup carried inside a script string or JSON keeps its escapes: href=\"art/1.html\"
    href = strip_html5_whitespace(href).replace("\\/", "/").strip("\\\"'")
    if not href or href.startswith("#") or href[:11].lower().startswith(NON_PAGE_SCHEMES):
        return None
    try:
        url = urljoin(base, href)
        if charset and not url.isascii():
            # Browsers percent-encode a query in the page's charset (portals.md §4: GBK %CA%D0…).
            url = safe_url_string(url, encoding=charset)
    except (ValueError, LookupError):
        return None
    url = canonicalize(url)
    return url if is_valid_http_url(url) else None


def _anchors(root, base: str, charset: str | None) -> list[_Anchor]:
    out = []
    for a in root.iter("a"):
        href = a.get("href")
        if not href:
            continue
        url = _href_url(href, base, charset)
        if url is None:
            continue
        text = _text(a)
        title_attr = " ".join((a.get("title") or "").split())
        if not text and not title_attr:
            img = next(a.iter("img"), None)
            title_attr = " ".join((img.get("alt") or "").split()) if img is not None else ""
        # A date inside the anchor (<a><span>title</span><span>2014-02-14</span></a>) is not part of the title.
        bare = _TRAILING_DATE_RE.sub("", text) or text
        fragment = href.strip().partition("#")[2]
        route = f"#{fragment}" if fragment and _ROUTE_RE.match(f"#{fragment}") else ""
        out.append(_Anchor(a, url, text, _full_title(bare, title_attr), title_attr, route))
    return out


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


def _labels(root, url: str) -> list[str]:
    """Names the page gives itself: ColumnName meta, <title> pieces, breadcrumb pieces, the current nav item."""
    labels = []
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() in ("columnname", "columntype"):
            labels.append(meta.get("content") or "")
    for title in root.iter("title"):
        labels.extend(LISTING_TITLE_SEPARATORS_RE.split(_text(title)))
    crumbs = [el for el in root.iter("div", "span", "p", "td", "ul", "ol") if CRUMB_CLASS_RE.search(_classes(el))]
    crumbs += [t.getparent() for t in root.xpath("//text()[contains(., '位置')]")
               if t.getparent() is not None and any(lead in t for lead in CRUMB_LEADS)]
    for el in crumbs:
        labels.extend(CRUMB_SEPARATORS_RE.split(_text(el)))
    for el in root.iter("a", "li", "span"):
        cls = el.get("class")
        if cls and (el.tag == "a" and "CurrChnlCls" in cls or CURRENT_NAV_TOKENS & set(cls.lower().split())):
            labels.append(_text(el))
    return [n for n in (_norm(label) for label in labels) if 0 < len(n) <= LABEL_MAX_LEN]


def _is_column_name(text: str) -> bool:
    if any(w in text for w in NOT_COLUMN_WORDS):
        return False
    if COLUMN_NAME_RE.match(text):
        return True
    # the other names portals give the column: short, naming the report, no single year (a title has one)
    bare = YEAR_SPAN_RE.sub("", text)
    return len(bare) <= COLUMN_NAME_MAX_LEN and bool(LINK_NAMES_REPORT_RE.search(bare)) and not YEAR_RE.search(bare)


def _is_report_column_page(labels: list[str], url: str) -> bool:
    # "当前位置：首页 > 政府信息公开年报" leaves the lead-in glued to the first piece; check suffixes too.
    for label in labels:
        for lead in CRUMB_LEADS:
            label = label.removeprefix(lead).strip(EDGE_PUNCT)
        if _is_column_name(label):
            return True
    return _has_report_slug(url)


# --- pagination -------------------------------------------------------------------------------------
_NUMBERED_LEAF_RE = re.compile(r"^(?P<prefix>.*?)(?P<sep>[_-])(?P<n>\d{1,5})(?P<ext>\.\w+)$")
_BARE_NUMBER_LEAF_RE = re.compile(r"^(?P<n>\d{1,3})(?P<ext>\.s?html?)$")


@dataclass(frozen=True)
class _Template:
    """A numbered page URL with its number taken out: page n is head + n + tail; base is the unnumbered first page."""
    head: str
    tail: str
    base: str | None
    zero_based: bool   # TRS index.html, index_1.html …: the bare name is page 0

    def url(self, n: int) -> str:
        return canonicalize(f"{self.head}{n}{self.tail}")


def _numbered(url: str, page_keys: frozenset[str]) -> tuple[_Template, int] | None:
    """The page template a URL follows and its page number: ?page=N (any PAGE_QUERY_KEYS key),
    name_N.ext / name-N.ext, or a bare N.html leaf; None for a URL with no page number."""
    parts = _split(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if parts.query:
        pairs = parts.query.split("&")
        for i, pair in enumerate(pairs):
            key, eq, value = pair.partition("=")
            if eq and key.lower() in page_keys and value.isdigit():
                before, after = "&".join(pairs[:i] + [key + "="]), "&".join([""] + pairs[i + 1:])
                rest = "&".join(pairs[:i] + pairs[i + 1:])
                base = f"{origin}{parts.path}" + (f"?{rest}" if rest else "")
                return _Template(f"{origin}{parts.path}?{before}", after, base, False), int(value)
    head, _, leaf = parts.path.rpartition("/")
    query = f"?{parts.query}" if parts.query else ""
    m = _NUMBERED_LEAF_RE.match(leaf)
    # A 6+ digit run is a document id (t20190214_3062489.html), not a page name.
    if m and not m.group("prefix").isdigit() and not re.search(r"\d{6,}", m.group("prefix")):
        name, ext = m.group("prefix"), m.group("ext")
        base = f"{origin}{head}/{name}{ext}{query}"
        # TRS numbers index_1 as the *second* page (portals.md §1.1); Chengdu's column-index-N is 1-based.
        return (_Template(f"{origin}{head}/{name}{m.group('sep')}", f"{ext}{query}", base, m.group("sep") == "_"),
                int(m.group("n")))
    m = _BARE_NUMBER_LEAF_RE.match(leaf)
    if m:
        return _Template(f"{origin}{head}/", f"{m.group('ext')}{query}", None, False), int(m.group("n"))
    return None


def _fill_templates(urls: list[str], self_url: str, page_keys: frozenset[str], total: int | None) -> list[str]:
    """All pages between the lowest and highest numbers seen per URL template (尾页 gives the highest);
    `total` (共N页) extends the range when the pager shows only a window."""
    numbers: dict[_Template, set[int]] = defaultdict(set)
    known = {canonicalize(u) for u in urls} | {self_url}
    known_keys = {_page_key(u) for u in known}
    for u in known:
        found = _numbered(u, page_keys)
        if found:
            numbers[found[0]].add(found[1])
    out = []
    for tpl, nums in numbers.items():
        lo, hi = min(nums), max(nums)
        base_known = tpl.base is not None and _page_key(canonicalize(tpl.base)) in known_keys
        if base_known:  # the pager links the bare first page: every numbered page from the first one on
            out.append(canonicalize(tpl.base))
            lo = min(lo, 1 if tpl.zero_based else 2)
        if total and len(numbers) == 1:
            hi = max(hi, total - 1 if tpl.zero_based else total)
        hi = min(hi, lo + MAX_INFERRED_PAGES)
        out.extend(tpl.url(n) for n in range(lo, hi + 1))
    return out


def _pager_container(a) -> object | None:
    el = a.getparent()
    for _ in range(PAGER_SEARCH_LEVELS):
        if el is None:
            return None
        if PAGER_CONTAINER_RE.search(_classes(el)):
            return el
        el = el.getparent()
    return None


def _pager_word(anchor: _Anchor) -> str:
    """The anchor text as a pager word: "[下一页]" -> 下一页, " >> " -> >>, "【3】" -> 3."""
    bare = "".join(anchor.text.split()).lower()
    inner = bare.strip("[]【】()（）")
    return inner or bare


def _is_pager_anchor(anchor: _Anchor) -> bool:
    word = _pager_word(anchor)
    if word in PAGER_STRONG_WORDS:
        return True
    if not (word in PAGER_WEAK_WORDS or PAGER_NUMBER_RE.match(word)):
        return False
    if _pager_container(anchor.el) is not None:
        return True
    # Unclassed GBK-era pagers: the weak link shares a small parent with a strong pager word.
    parent = anchor.el.getparent()
    if parent is None or len(parent) > PAGER_MAX_SIBLINGS:
        return False
    text = _text(parent)
    return any(w in text for w in PAGER_STRONG_WORDS)


def _is_sibling_page(url: str, listing_url: str) -> bool:
    """Pager links stay in the listing's directory (index_N.html, ?page=N); a 首页 that leaves it is the home link."""
    return _directory(url) == _directory(listing_url)


def _total_pages_near(anchors: list[_Anchor]) -> int | None:
    for anchor in anchors:
        el = anchor.el.getparent()
        for _ in range(2):
            if el is None:
                break
            m = TOTAL_PAGES_TEXT_RE.search(_text(el))
            if m:
                return int(m.group(1))
            el = el.getparent()
    return None


_CREATE_PAGE_RE = re.compile(r"createPageHTML\s*\(([^()]*)\)")
_JS_ARG_RE = re.compile(r"""\s*("[^"]*"|'[^']*'|[^,]+?)\s*(?:,|$)""")
_COUNT_PAGE_RE = re.compile(r"\bcountPage\s*=\s*(\d+)")
_WRITTEN_FIRST_PAGE_RE = re.compile(r"""href=\\?["']\.?/?([\w-]+)\.(s?html?)\\?["']""")
_WRITTEN_PREFIX_RE = re.compile(r"""["']([\w-]+)["']\s*\+\s*["']_["']|["']([\w-]+)_["']\s*\+""")
_TOTAL_PAGE_RE = re.compile(
    r"\b(?:totalPages?|pageCount|pageTotal|totalPageCount|pagecount|total_page)\s*[=:]\s*['\"]?(\d{1,5})")
# A page URL assembled in script: "list.jsp?cat_id=3&cur_page=" + n (+ ".html"), "index_" + i + ".shtml".
_JS_URL_CONCAT_RE = re.compile(
    r"""(["'])([^"'<>\s]*?(?:=|_|-|/))\1\s*\+\s*\(?\s*[\w.]+(?:\s*[-+]\s*1)?\s*\)?(?:\s*\+\s*(["'])([^"'<>\s]*)\3)?""")
# Hanweb's pager plugins (jpage, and the pagination/unitbuild variants other templates start it with): any
# jQuery-style init whose options carry totalRecord and the proxy's ajaxParam.
_JPAGE_RE = re.compile(r"\.\w+\s*\(\s*\{(.*?)\}\s*\)", re.S)
_JS_PAIR_RE = re.compile(r"""(\w+)\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,{}\s]+))""")


def _js_args(arglist: str) -> list[str]:
    return [m.group(1).strip("'\"") for m in _JS_ARG_RE.finditer(arglist.strip()) if m.group(1)]


def _trs_pages(listing_url: str, count: int, name: str, ext: str) -> list[str]:
    """TRS pages: name.ext is page 0, name_i.ext page i, up to count-1 (portals.md §1.1)."""
    ext = ext.lstrip(".")
    count = min(count, MAX_INFERRED_PAGES)
    names = [f"{name}.{ext}"] + [f"{name}_{i}.{ext}" for i in range(1, count)]
    return [urljoin(listing_url, n) for n in names] if count > 1 else []


def _create_page_html_pages(script: str, listing_url: str) -> list[str]:
    out = []
    for m in _CREATE_PAGE_RE.finditer(script):
        args = _js_args(m.group(1))
        # (countPage, currentPage, prefix, suffix), or the customised (divName, count, cur, name, ext, sum).
        if len(args) >= 4 and args[0].isdigit():
            count, name, ext = int(args[0]), args[2], args[3]
        elif len(args) >= 5 and args[1].isdigit() and not args[0].isdigit():
            count, name, ext = int(args[1]), args[3], args[4]
        else:
            continue  # the function's own definition, or an unpublished ${PAGE_COUNT} template
        if re.fullmatch(r"[\w.-]+", name) and re.fullmatch(r"\.?\w+", ext):
            out.extend(_trs_pages(listing_url, count, name, ext))
    return out


def _count_page_pages(script: str, listing_url: str) -> list[str]:
    """Older TRS templates: var countPage = N and document.write'd links (portals.md §1.1)."""
    m = _COUNT_PAGE_RE.search(script)
    if not m or "createPageHTML" in script:
        return []
    first = _WRITTEN_FIRST_PAGE_RE.search(script)
    if first:
        name, ext = first.group(1), first.group(2)
    else:
        prefix = _WRITTEN_PREFIX_RE.search(script)
        leaf = _split(listing_url).path.rsplit("/", 1)[-1]
        leaf_m = re.match(r"^([\w-]+?)(?:_\d+)?\.(\w+)$", leaf)
        name = (prefix.group(1) or prefix.group(2)) if prefix else (leaf_m.group(1) if leaf_m else "index")
        ext = leaf_m.group(2) if leaf_m else "html"
    return _trs_pages(listing_url, int(m.group(1)), name, ext)


def _total_page_pages(script: str, listing_url: str, page_keys: frozenset[str]) -> list[str]:
    """totalPage/pageCount vars next to a page URL built by concatenation in the same script."""
    m = _TOTAL_PAGE_RE.search(script)
    if not m or "createPageHTML" in script or _COUNT_PAGE_RE.search(script):
        return []
    total = min(int(m.group(1)), MAX_INFERRED_PAGES)
    for concat in _JS_URL_CONCAT_RE.finditer(script):
        prefix, suffix = concat.group(2), concat.group(4) or ""
        if _split(urljoin(listing_url, prefix)).netloc != _split(listing_url).netloc:
            continue
        if prefix.endswith("="):
            key = re.split(r"[?&]", prefix[:-1])[-1].lower()
            if key not in page_keys:
                continue
            return [urljoin(listing_url, f"{prefix}{n}{suffix}") for n in range(1, total + 1)]
        if "." not in suffix:
            continue
        if prefix.endswith("_"):
            return _trs_pages(listing_url, total, prefix[:-1], suffix)
        return [urljoin(listing_url, f"{prefix}{n}{suffix}") for n in range(1, total + 1)]
    return []


def _jpage_pages(script: str, listing_url: str, has_records: bool) -> list[FormPage]:
    """Hanweb jpage columns: the later record windows of dataproxy.jsp (portals.md §2.1-2.2), posted as the
    jpage script posts them: startrecord/endrecord/perpage in the query, the ajaxParam keys as form fields.
    The first window is skipped when the page embeds its records."""
    out = []
    for m in _JPAGE_RE.finditer(script):
        body = m.group(1)
        conf = {k.lower(): next((v for v in vals if v), "") for k, *vals in _JS_PAIR_RE.findall(body)}
        params_m = re.search(r"ajaxParam\s*:\s*\{(.*?)\}", body, re.S)
        if not params_m or not conf.get("totalrecord", "").isdigit():
            continue
        params = [(k, next((v for v in vals if v), "")) for k, *vals in _JS_PAIR_RE.findall(params_m.group(1))]
        per_page = int(conf["perpage"]) if conf.get("perpage", "").isdigit() else JPAGE_DEFAULT_PER_PAGE
        group = int(conf["groupsize"]) if conf.get("groupsize", "").isdigit() else JPAGE_DEFAULT_GROUP_SIZE
        proxy = conf.get("proxyurl") or JPAGE_DEFAULT_PROXY
        window = per_page * group
        total = int(conf["totalrecord"])
        starts = range(1 + (window if has_records else 0), total + 1, window)
        for start in list(starts)[:MAX_INFERRED_PAGES]:
            query = urlencode([("startrecord", start), ("endrecord", min(start + window - 1, total)),
                               ("perpage", per_page)])
            out.append(FormPage(canonicalize(urljoin(listing_url, f"{proxy}?{query}")), params))
    return out


def _form_pages(root, listing_url: str, has_records: bool) -> list[FormPage]:
    out = []
    for script in root.iter("script"):
        code = script.text or ""
        if not script.get("src") and "totalrecord" in code.lower() and "ajaxparam" in code.lower() \
                and len(code) <= MAX_SCRIPT_CHARS:
            out.extend(_jpage_pages(code, listing_url, has_records))
    return out


def _postbacks(root) -> list[Postback]:
    """ASP.NET WebForms pager links: javascript:__doPostBack('target','argument') on a pager word or number
    (portals.md §4). The crawler posts the page's form back with these two fields."""
    out, seen = [], set()
    for a in root.iter("a"):
        m = _POSTBACK_RE.search(a.get("href") or "")
        if not m:
            continue
        target, argument = m.group(1), m.group(2)
        word = _norm(_text(a))
        if not (word in PAGER_STRONG_WORDS or word in PAGER_WEAK_WORDS or PAGER_NUMBER_RE.match(word)
                or _POSTBACK_PAGE_ARG_RE.match(argument)):
            continue
        if (target, argument) not in seen:
            seen.add((target, argument))
            out.append(Postback(target, argument, word))
    return out


def _is_script_shell(root, listing: "Listing") -> bool:
    """A page whose list a script draws (an app root, or inline code that fetches data) and which gave
    no links to follow: worth rendering in a browser."""
    if listing.report_links or listing.page_links or listing.form_pages or listing.postbacks:
        return False
    for el in root.iter("div", "main", "section", "ul", "body"):
        if el.get("v-cloak") is not None or el.get("ng-app") is not None or el.get("data-v-app") is not None:
            return True
        if (el.get("id") or "").lower() in APP_ROOT_IDS and not _text(el):
            return True
    for script in root.iter("script"):
        code = script.text or ""
        if not script.get("src") and _FETCH_CALL_RE.search(code):
            return True
    return False


def _script_pages(root, listing_url: str, page_keys: frozenset[str], has_records: bool) -> list[str]:
    out = []
    for script in root.iter("script"):
        code = script.text or ""
        if script.get("src") or not code or len(code) > MAX_SCRIPT_CHARS:
            continue
        if "createPageHTML" in code:
            out.extend(_create_page_html_pages(code, listing_url))
        if "countPage" in code:
            out.extend(_count_page_pages(code, listing_url))
        if re.search(r"total_?page|pagecount|pagetotal", code, re.I):
            out.extend(_total_page_pages(code, listing_url, page_keys))
    return out


def _pager_links(pager: list[_Anchor], listing_url: str, page_keys: frozenset[str]) -> list[str]:
    """URLs of pager anchors that are pages of this listing: strong words and numbers first; weak words
    (首页, >>) only when they hit a page template those revealed, its bare first page, or this path."""
    own = _numbered(listing_url, page_keys)
    templates = {own[0]} if own else set()
    same_path = _split(listing_url).path
    linked, weak = [], []
    for a in pager:
        if not _is_sibling_page(a.url, listing_url):
            continue
        found = _numbered(a.url, page_keys)
        if _pager_word(a) in PAGER_STRONG_WORDS or (PAGER_NUMBER_RE.match(_pager_word(a)) and found):
            linked.append(a.url)
            if found:
                templates.add(found[0])
        else:
            weak.append((a.url, found))
    bases = {canonicalize(t.base) for t in templates if t.base}
    for url, found in weak:
        if (found and found[0] in templates) or url in bases or _split(url).path == same_path:
            linked.append(url)
    return linked


def _page_links(root, anchors: list[_Anchor], listing_url: str, base: str, page_keys: frozenset[str],
                has_records: bool) -> tuple[list[str], set[int]]:
    """Every other page of this listing, and the ids of anchors that were pager links.
    Script pagers write relative links, which the browser resolves against <base> like any other."""
    pager = [a for a in anchors if _is_pager_anchor(a)]
    pager_ids = {id(a) for a in pager}
    linked = _pager_links(pager, listing_url, page_keys)
    # Numbered anchors outside any recognisable pager still count when they fit the page's own template.
    own = _numbered(listing_url, page_keys)
    if own:
        for a in anchors:
            found = _numbered(a.url, page_keys)
            if found and found[0] == own[0] and PAGER_NUMBER_RE.match(_pager_word(a)):
                linked.append(a.url)
                pager_ids.add(id(a))
    urls = _fill_templates(linked, listing_url, page_keys, _total_pages_near(pager)) + linked
    urls += [canonicalize(u) for u in _script_pages(root, base, page_keys, has_records)]
    self_key = _page_key(listing_url)
    seen, out = set(), []
    for u in urls:
        key = _page_key(u)
        if key != self_key and key not in seen and is_valid_http_url(u):
            seen.add(key)
            out.append(u)
    return out, pager_ids


# --- list entries ------------------------------------------------------------------------------------
def _date_in(text: str) -> str | None:
    for m in DATE_RE.finditer(text):
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _anchor_counts(anchors: list[_Anchor]) -> dict:
    counts: dict = defaultdict(int)
    for anchor in anchors:
        for el in anchor.el.iterancestors():
            counts[el] += 1
    return counts


def _row_of(anchor: _Anchor, counts: dict):
    """The entry's row: the highest ancestor holding this link alone, or the nearest li/tr/dd with a few links
    (a title plus an attachment icon or a [栏目] tag)."""
    row = anchor.el
    for el in anchor.el.iterancestors():
        if el.tag in ("body", "html"):
            break
        n = counts.get(el, 0)
        if n <= 1:
            row = el
            continue
        if el.tag in ROW_TAGS and n <= 3:
            row = el
        break
    return row


def _row_date(row, anchor: _Anchor) -> str | None:
    """The date in the link's row; failing that, in the next sibling when it is a bare date cell
    (<dt>title</dt><dd>date</dd>)."""
    date = _date_in(_text(row).replace(anchor.text, " ", 1)) or _date_in(anchor.text)
    if date is None:
        sib = row.getnext()
        if sib is not None and isinstance(sib.tag, str) and next(sib.iter("a"), None) is None:
            text = _text(sib)
            date = _date_in(text) if len(text) <= DATE_CELL_MAX_LEN else None
    return date


def _group_key(row) -> tuple:
    parent = row.getparent()
    grand = parent.getparent() if parent is not None else None
    return (row.tag, row.get("class"), getattr(parent, "tag", None),
            parent.get("class") if parent is not None else None, grand if grand is not None else parent)


def _row_entry(anchors: list[tuple[_Anchor, str | None]]) -> tuple[_Anchor, str | None]:
    """The one entry of a row with several links ([区教育局] tag, title, [PDF] icon): the article link with the longest title."""
    return max(anchors, key=lambda ad: (_is_article_url(ad[0].url), len(ad[0].title)))


def _main_list(entries: list[tuple[_Anchor, object, str | None]]) -> tuple[set[int], object | None]:
    """Ids of the anchors in the page's main list (the best-scoring group of repeated rows) and its first row."""
    by_row: dict[object, list] = defaultdict(list)
    for anchor, row, date in entries:
        by_row[row].append((anchor, date))
    groups: dict[tuple, list] = defaultdict(list)
    first_rows = {}
    for row, anchors in by_row.items():
        key = _group_key(row)
        groups[key].append(_row_entry(anchors))
        first_rows.setdefault(key, row)
    best, best_score = None, 0.0
    for key, rows in groups.items():
        n = len(rows)
        dated = sum(1 for _, d in rows if d)
        article = sum(1 for a, _ in rows if _is_article_url(a.url))
        long_titles = sum(1 for a, _ in rows if len(a.title) >= LIST_MIN_TITLE_LEN)
        if n >= 2:
            listish = 2 * dated >= n or 2 * article >= n or (n >= 3 and 2 * long_titles >= n)
        else:
            listish = bool(dated or article)
        if not listish:
            continue
        score = n + LIST_DATE_WEIGHT * dated + LIST_ARTICLE_WEIGHT * article + LIST_TITLE_WEIGHT * long_titles
        if score > best_score:
            best, best_score = key, score
    if best is None:
        return set(), None
    return {id(a) for a, _ in groups[best]}, first_rows[best]


def _list_heading(row) -> str:
    """The heading just before a list (<h2>政府信息公开年报</h2>, div.lm-title), up to three levels out."""
    el = row.getparent()
    for _ in range(LIST_HEADING_LEVELS):
        if el is None:
            return ""
        for sib in el.itersiblings(preceding=True):
            if not isinstance(sib.tag, str):
                continue
            if (sib.tag in HEADING_TAGS or HEADING_CLASS_RE.search(_classes(sib))
                    or next(sib.iter(*HEADING_TAGS), None) is not None):
                return _norm(_text(sib))
        el = el.getparent()
    return ""


def _classify(candidates: list[_Anchor], in_column: bool, listing_url: str, counts: dict,
              chrome) -> tuple[dict[int, str], list]:
    """Kinds of the named links, and (anchor, row, date) for every link outside page chrome that may be a
    list entry (named reports included: they compete with a row's tag links for being its entry)."""
    kinds, entries = {}, []
    for anchor in candidates:
        kind = _kind(anchor, in_column, listing_url)
        if kind:
            kinds[id(anchor)] = kind
        if kind in (None, "report") and not chrome(anchor.el):
            row = _row_of(anchor, counts)
            entries.append((anchor, row, _row_date(row, anchor)))
    return kinds, entries


# --- top level --------------------------------------------------------------------------------------
def analyse_listing(html: str, url: str, encoding: str | None = None, column: bool = False,
                    base: str | None = None) -> Listing:
    """What a listing page offers the crawler. Stages:

    1. parse once (Hanweb datastore records spliced in first) and collect every usable <a href>,
       resolved against <base>, canonicalised, invalid hrefs dropped;
    2. pagination: pager anchors (下一页/尾页/numbers inside a pager) in this listing's directory,
       the ranges their numbered URLs imply, and script pagers (createPageHTML, countPage,
       totalPage + URL concatenation, Hanweb jpage);
    3. does the page name itself an annual-report column (ColumnName, <title>, breadcrumb, current
       nav item, URL slug)?
    4. each remaining anchor by its name and URL shape: column (年报 column names, per-year
       sub-columns, report slugs), report (names an annual report), hub (信息公开, 政务公开 …), or a
       candidate entry;
    5. candidate entries grouped by repeated row structure; the best group (dates, article URLs,
       long titles) is the main list. On a report column it joins the report links; elsewhere (a
       home page, a hub) it is news, and only links naming an annual report are report links;
    6. on a report column, same-site (i)frames other than counters are column links: old
       templates load the list itself in a frame.

    `encoding` is the charset the page was decoded with (the HTTP header's); non-ASCII query text
    in hrefs is percent-encoded with it as a browser would (default: the <meta> charset, else UTF-8).
    `column`: the page is known to be (a page of) a report column, whatever it calls itself — a list
    fragment a column's script loads, a column's later page without labels — so its main list is the column's.
    `base`: the base URL of the page whose script fetched this answer (a fragment or data-proxy answer lands
    in that page's DOM, so its relative links resolve against that page).
    A URL lands in one list only (pages, then columns, reports, hubs); the page itself in none.
    Never raises on bad markup: an unparseable page gives an empty Listing.
    """
    listing = Listing()
    root = _parse(html)
    if root is None or not is_valid_http_url(url):
        return listing
    url = canonicalize(url)
    hints = hints_for(url)
    page_keys = PAGE_QUERY_KEYS | frozenset(k.lower() for k in hints.page_keys)
    base = base or _base_url(root, url)
    listing.base = base
    anchors = _anchors(root, base, _query_charset(encoding) or _meta_charset(root))
    has_records = next(root.iter("record"), None) is not None

    listing.page_links, pager_ids = _page_links(root, anchors, url, base, page_keys, has_records)
    taken = {_page_key(u) for u in listing.page_links} | {_page_key(url)}
    candidates = [a for a in anchors if id(a) not in pager_ids and _page_key(a.url) not in taken]
    counts = _anchor_counts(anchors)
    chrome = _ChromeCache()

    in_column = column or _is_report_column_page(_labels(root, url), url)
    kinds, entries = _classify(candidates, in_column, url, counts, chrome)
    main, main_row = _main_list(entries)
    if in_column and not main:
        # a column whose rows sit in chrome-looking markup (class="xxgk_navli"): the rows' own shape decides
        kinds, entries = _classify(candidates, in_column, url, counts, lambda el: False)
        main, main_row = _main_list(entries)
    if not in_column and main_row is not None and _is_column_name(_list_heading(main_row)):
        # Only the list's own heading names the column: sub-column links ("2019年") now count.
        in_column = True
        kinds, entries = _classify(candidates, in_column, url, counts, chrome)
        main, _ = _main_list(entries)
    listing.is_report_column = in_column
    listing.list_names_reports = any(
        LINK_NAMES_REPORT_RE.search(f"{a.text} {a.title} {a.title_attr}") for a in candidates if id(a) in main)

    # Off a report column the main list is news or other disclosures: only named reports count.
    for anchor in candidates:
        if in_column and id(anchor) in main:
            kinds.setdefault(id(anchor), "report")
    dates = {id(a): d for a, _, d in entries}
    lists = {"column": listing.column_links, "report": listing.report_links, "hub": listing.hub_links}
    placed: dict[str, tuple[str, int]] = {}
    for kind in ("column", "report", "hub"):  # a URL named both ways is a column before a report before a hub
        for anchor in (a for a in candidates if kinds.get(id(a)) == kind):
            key = _page_key(anchor.url)
            date = dates.get(id(anchor)) or _row_date(_row_of(anchor, counts), anchor)
            link = Link(anchor.url, anchor.text, anchor.title or anchor.text, date, anchor.route)
            if key in placed:
                _merge(lists[placed[key][0]], placed[key][1], link)
            else:
                placed[key] = (kind, len(lists[kind]))
                lists[kind].append(link)
    taken |= set(placed)
    extra = (_frame_urls(root, base, url) if in_column else []) + _hinted_columns(hints, url)
    for column in extra:
        if _page_key(column) not in taken:
            taken.add(_page_key(column))
            listing.column_links.append(Link(column, "", "", None))
    listing.form_pages = _form_pages(root, base, has_records)
    listing.postbacks = _postbacks(root)
    listing.script_shell = _is_script_shell(root, listing)
    return listing


def _hinted_columns(hints, url: str) -> list[str]:
    """Registered columns of the site (crawler/discover/sites.yaml), offered from its root page only."""
    if not _is_site_root(url):
        return []
    columns = [canonicalize(urljoin(url, c)) for c in hints.columns]
    return [c for c in columns if is_valid_http_url(c)]


def _frame_urls(root, base: str, listing_url: str) -> list[str]:
    """Same-site frame and iframe pages, less view counters and widgets (portals.md §2.3, §6)."""
    host = _split(listing_url).netloc
    out = []
    for frame in root.iter("iframe", "frame"):
        url = _href_url(frame.get("src") or "", base, None)
        if url and _split(url).netloc == host and not FRAME_SKIP_RE.search(url):
            out.append(url)
    return out


def _merge(links: list[Link], index: int, other: Link) -> None:
    """A second anchor to the same URL fills in what the first lacked (an image link then its text link)."""
    first = links[index]
    title = first.title if len(first.title) >= len(other.title) else other.title
    text = other.text if not first.text or _norm(first.text).lower() in MORE_WORDS else first.text
    links[index] = Link(first.url, text, title, first.date or other.date, first.route or other.route)


def _is_site_root(url: str) -> bool:
    return _page_key(url).endswith("/") and _split(url).path.count("/") <= 1


def _kind(anchor: _Anchor, in_column: bool, listing_url: str) -> str | None:
    """column, report or hub by name and URL shape; None for an ordinary link."""
    names = {_norm(anchor.text), _norm(anchor.title)} - {""}
    url = anchor.url
    article = _is_article_url(url)
    if any(_is_column_name(n) for n in names):
        return "report" if article else "column"
    # "2019年" -> ./2019n/ is a sub-column inside a report column, or anywhere when the URL says so.
    if any(SUBCOLUMN_RE.match(n) for n in names) and not article:
        if _has_report_slug(url) or (in_column and (_is_directory_url(url) or _has_year_slug(url))):
            return "column"
    # The title attribute counts even when it disagrees with the text (portals.md §6: a report title on
    # an unrelated headline); the article itself will tell which was right.
    label = f"{anchor.text} {anchor.title} {anchor.title_attr}"
    if LINK_NAMES_REPORT_RE.search(label):
        if not article and _is_directory_url(url):
            if _has_report_slug(url) or _has_year_slug(url):
                return "column"
            if not YEAR_RE.search(label):
                return None  # 企业年报, 统计年报 … columns: neither a report nor our column
        return "report"
    # "更多>>" to …/zfxxgknb/: the slug names the column whatever the text; but not this column's own pages.
    if (not article and _is_directory_url(url) and _has_report_slug(url)
            and _directory(url) != _directory(listing_url)):
        return "column"
    if article:
        return None
    if any(HUB_NAME_RE.match(n) and not any(w in n for w in HUB_EXCLUDE_WORDS) for n in names):
        return "hub"
    segs = _path_segments(url)
    leaf_dir = segs[-1] if segs and "." not in segs[-1] else (segs[-2] if len(segs) >= 2 else "")
    if (leaf_dir.lower() in HUB_SLUGS and _is_directory_url(url) and len(_norm(anchor.text)) <= HUB_SLUG_MAX_TEXT
            and not any(w in anchor.text for w in HUB_EXCLUDE_WORDS)):
        return "hub"
    return None
