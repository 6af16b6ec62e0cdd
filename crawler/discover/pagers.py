"""A listing's other pages: pager anchors and the ranges their numbered URLs imply, pager scripts
(createPageHTML, countPage, totalPage + concatenated URLs, Hanweb plugin inits and their dataproxy windows),
ASP.NET postbacks, and whether a page is a shell whose list a script draws.

Part of the listing analysis (crawler.discover.listing.analyse_listing); no Scrapy in it."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urljoin

from crawler.discover.urls import canonicalize, is_valid_http_url
from crawler.discover.page import _classes, _directory, _norm, _page_key, _split, _text
from crawler.discover.links import _Anchor
from crawler.vocab import (
    APP_ROOT_IDS,
    JPAGE_DEFAULT_GROUP_SIZE,
    JPAGE_DEFAULT_PER_PAGE,
    JPAGE_DEFAULT_PROXY,
    MAX_INFERRED_PAGES,
    MAX_SCRIPT_CHARS,
    PAGER_CONTAINER_RE,
    PAGER_MAX_SIBLINGS,
    PAGER_NUMBER_RE,
    PAGER_SEARCH_LEVELS,
    PAGER_STRONG_WORDS,
    PAGER_WEAK_WORDS,
    TOTAL_PAGES_TEXT_RE,
)

if TYPE_CHECKING:
    from crawler.discover.listing import Listing


@dataclass(frozen=True)
class FormPage:
    """A listing page that is a POST: Hanweb's dataproxy.jsp windows."""

    url: str
    formdata: list[tuple[str, str]]


@dataclass(frozen=True)
class PagingForm:
    """A form that asks for a page of the list by number (a JSP list's hidden pageForm posted by goPage(n), a
    search form with a page field): the list's pages are this form sent with each page number."""

    url: str
    method: str                              # GET or POST
    fields: tuple[tuple[str, str], ...]      # every field as the page sets it
    page_field: str                          # the field that carries the page number

    def page(self, number: int) -> list[tuple[str, str]]:
        return [(k, str(number) if k == self.page_field else v) for k, v in self.fields]


@dataclass(frozen=True)
class Postback:
    """An ASP.NET pager link: post the page's form back with __EVENTTARGET/__EVENTARGUMENT set."""

    target: str
    argument: str
    label: str


_POSTBACK_RE = re.compile(r"__doPostBack\(\s*['\"]([^'\"]+)['\"]\s*,\s*['\"]([^'\"]*)['\"]\s*\)")


_POSTBACK_PAGE_ARG_RE = re.compile(r"^(?:Page\$)?(?:\d+|Next|Last|First|Prev)$", re.I)


_FETCH_CALL_RE = re.compile(r"\bfetch\s*\(|XMLHttpRequest|\$\.(?:ajax|get|post|getJSON)\s*\(|axios\.|\.ajax\s*\(")


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


def _stem(url: str) -> str:
    return _split(url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _is_sibling_page(url: str, listing_url: str) -> bool:
    """Pager links stay in the listing's directory (index_N.html, ?page=N), or go between a list page and the
    directory named after it (博达 VSB: list.htm's later pages are list/N.htm, which link back to ../list.htm);
    a 首页 that leaves them is the home link."""
    here, there = _directory(listing_url), _directory(url)
    return there == here or there == f"{here}{_stem(listing_url)}/" or here == f"{there}{_stem(url)}/"


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


# A form field that carries the page number, by its name (pageNo, currentPage, page_index, pn …).
_PAGE_FIELD_RE = re.compile(r"^(?:cur(?:rent)?_?)?(?:page|pg)_?(?:no|num|number|index|idx)?$|^pn$|^p$", re.I)
_SEARCH_FIELD_RE = re.compile(r"key|word|search|query|^q$|^wd$|^kw$|title|content", re.I)
# A pager control that is a script call with the page number as its one argument: goPage(3), toPage('3').
_JS_PAGE_CALL_RE = re.compile(r"^\s*(?:javascript:)?\s*[A-Za-z_$][\w$.]*\(\s*['\"]?(\d{1,4})['\"]?\s*\)\s*;?\s*(?:return\s+false;?)?\s*$")


def paging_forms(root, base: str, listing_url: str) -> list[PagingForm]:
    """Forms on the page whose fields include a page number (see PagingForm)."""
    out = []
    for form in root.iter("form"):
        fields, page_field, searching = [], None, False
        for el in form.iter("input", "select", "textarea"):
            name = el.get("name")
            kind = (el.get("type") or "text").lower()
            if not name or kind in ("submit", "button", "image", "reset", "file", "checkbox", "radio"):
                continue
            if el.tag == "select":
                chosen = [o for o in el.iter("option") if o.get("selected") is not None] or list(el.iter("option"))[:1]
                value = (chosen[0].get("value") if chosen and chosen[0].get("value") is not None
                         else (_text(chosen[0]) if chosen else ""))
            else:
                value = el.get("value") or ""
            fields.append((name, value))
            if page_field is None and _PAGE_FIELD_RE.match(name):
                page_field = name
            elif kind in ("text", "search") and _SEARCH_FIELD_RE.search(name):
                searching = True
        if page_field is None or searching:
            continue        # a search box's results are not the list
        url = canonicalize(urljoin(base, form.get("action") or listing_url))
        if not is_valid_http_url(url):
            continue
        out.append(PagingForm(url, (form.get("method") or "GET").upper(), tuple(fields), page_field))
    return out


def js_last_page(root) -> int | None:
    """The highest page number the page's script pager controls name (goPage(3) on 3, 下一页, 尾页 …)."""
    numbers = []
    for el in root.iter("a", "span", "li", "button", "input"):
        call = el.get("onclick") or (el.get("href") if el.tag == "a" else None) or ""
        m = _JS_PAGE_CALL_RE.match(call)
        if not m:
            continue
        word = _norm(_text(el) or el.get("value") or "")
        if word in PAGER_STRONG_WORDS or word in PAGER_WEAK_WORDS or PAGER_NUMBER_RE.match(word) \
                or word in ("尾页", "末页", "最后一页"):
            numbers.append(int(m.group(1)))
    return max(numbers) if numbers else None


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
    if listing.report_links or listing.page_links or listing.form_pages or listing.postbacks or listing.paging_forms:
        return False
    for el in root.iter("div", "main", "section", "ul", "body", "tbody", "td", "li", "p"):
        if el.get("v-cloak") is not None or el.get("ng-app") is not None or el.get("data-v-app") is not None:
            return True
        if (el.get("id") or "").lower() in APP_ROOT_IDS and not _text(el):
            return True
        if _small(el) and _is_placeholder(el, _text(el)):      # a wrapper's whole text is never a placeholder
            return True
    for script in root.iter("script"):
        code = script.text or ""
        if not script.get("src") and _FETCH_CALL_RE.search(code):
            return True
    return False


# -- controls the static walk cannot operate ----------------------------------------------------------------
# A year tab (2023 / 2022年 / 2021年度) and a load-more button that link nowhere: what they show comes by script.
_YEAR_TAB_RE = re.compile(r"^(?:19|20)\d{2}\s*(?:年度?)?$")
_LOAD_MORE_RE = re.compile(r"^(?:点击)?(?:加载|查看|显示|展开)(?:更多|全部)|^load more$|^show more$", re.I)


def _links_nowhere(el) -> bool:
    """No real href on the element or inside it (none, #…, javascript:)."""
    hrefs = [a.get("href") for a in ([el] if el.tag == "a" else []) + list(el.iter("a")) if a.get("href") is not None]
    return all(not h.strip() or h.strip().startswith(("#", "javascript:", "JavaScript:")) for h in hrefs)


def unfollowed_controls(root) -> list[str]:
    """Controls of the list a static walk cannot operate: year tabs and load-more buttons that link nowhere.
    A column that shows them and states no count cannot be judged complete without the browser clicking them."""
    # a tab or a button is a small element (its label, at most a link or a span around it): the text of larger
    # ones, every wrapper of the page, is never read
    out = []
    for parent in root.iter("ul", "ol", "div", "p", "nav", "dl"):
        years = []
        for child in parent:
            label = _text(child) if _small(child) else ""
            if _YEAR_TAB_RE.match(label) and _links_nowhere(child):
                years.append(label)
        if len(years) >= 2:
            out.append(f"year tabs {', '.join(years[:6])}")
            break
    for el in root.iter("a", "button", "span", "div", "li", "p"):
        if not _small(el):
            continue
        text = _norm(_text(el))
        if text and len(text) <= 12 and _LOAD_MORE_RE.match(text) and _links_nowhere(el) \
                and not any(_norm(_text(child)) == text for child in el):
            out.append(f"{text} button")
            break
    return out


def _small(el) -> bool:
    """At most two levels of markup inside: a label, a control, not a block of the page."""
    return all(len(child) <= 1 for child in el) and len(el) <= 2


# What an app root shows until its script has drawn the page (加载中…, 数据加载中, Loading...).
_LOADING_RE = re.compile(r"^(?:数据|页面|内容)?(?:正在)?(?:加载|载入|读取)中?|^loading|^请稍[候等]", re.I)


def _is_placeholder(el, text: str) -> bool:
    """An element that only says the page is loading, whatever its id: where a script will draw the list."""
    return bool(text) and len(text) <= 20 and bool(_LOADING_RE.match(text)) and next(el.iter("a"), None) is None


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


def _select_pages(root, base: str, listing_url: str) -> list[str]:
    """Pages a page-jump <select> names in its options (onchange="location.href=this.value"): every page of
    the list, where the anchors show only a window of them."""
    out = []
    for select in root.iter("select"):
        if "location" not in (select.get("onchange") or "") and "href" not in (select.get("onchange") or ""):
            continue
        for option in select.iter("option"):
            value = (option.get("value") or "").strip()
            if not value or value.startswith(("#", "javascript:")):
                continue
            url = canonicalize(urljoin(base, value))
            if is_valid_http_url(url) and _is_sibling_page(url, listing_url):
                out.append(url)
    return out


def _page_links(root, anchors: list[_Anchor], listing_url: str, base: str, page_keys: frozenset[str],
                has_records: bool) -> tuple[list[str], set[int], list[str]]:
    """Every other page of this listing, the ids of anchors that were pager links, and which of the pages only
    a URL template implies (no anchor or script names them).
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
    linked += _select_pages(root, base, listing_url)
    filled = _fill_templates(linked, listing_url, page_keys, _total_pages_near(pager))
    scripted = [canonicalize(u) for u in _script_pages(root, base, page_keys, has_records)]
    urls = filled + linked + scripted
    # pages only the template implies (the gaps of a windowed pager; a first page numbered by guess): a miss
    # there is the guess's, not the site's
    named = {_page_key(u) for u in linked + scripted}
    guessed = {_page_key(u) for u in filled} - named
    self_key = _page_key(listing_url)
    seen, out = set(), []
    for u in urls:
        key = _page_key(u)
        if key != self_key and key not in seen and is_valid_http_url(u):
            seen.add(key)
            out.append(u)
    return out, pager_ids, [u for u in out if _page_key(u) in guessed]
