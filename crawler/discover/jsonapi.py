"""Read the JSON list APIs behind JS-rendered report columns, and page through them without a browser.

Shell pages (Guangdong gkmlpt, TRS IGS search lists, `/common/search/...?_isJson=true`, 集约化 label
APIs, Vue/React fronts) fetch their lists as JSON. Field names differ per platform (title/DOCTITLE/name,
url/DOCPUBURL/link ...) and the list sits at different depths (`articles`, `data.results`,
`datas`, `list` ...), so records are found by shape: the largest array of objects that carry a
title-like string and a URL-like string. Paging is found the same way: the request's page-number or
offset parameter, in the query or in the (form or JSON) body, advanced by one page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

__all__ = ["ApiRecord", "ApiPage", "ApiCall", "LinkTemplate", "read_api_page", "next_api_call", "looks_like_list_api",
           "learn_link_template"]

_TITLE_KEYS = ("title", "doctitle", "name", "subject", "maintitle", "filename", "art_title", "infotitle", "tit")
_URL_KEYS = ("url", "docpuburl", "link", "href", "detailurl", "linkurl", "pageurl", "art_url", "puburl",
             "visiturl", "path", "jumpurl")
_DATE_KEYS = ("first_publish_time", "publish_time", "pubdate", "docreltime", "publishdate", "releasedate",
              "docpubtime", "date", "time", "createtime", "publishedtimestr", "pubtime")
_TOTAL_KEYS = ("total", "totalcount", "total_count", "totalrecord", "totalrecords", "totalelements", "totalnum",
               "recordcount", "count", "totalsize", "rowcount")
_PAGE_KEYS = ("page", "pageno", "pagenum", "pageindex", "currentpage", "curpage", "current", "pn", "p", "_page",
              "page_no", "page_index", "pagenumber")
_OFFSET_KEYS = ("start", "startrecord", "offset", "from", "begin")
_SIZE_KEYS = ("pagesize", "_pagesize", "page_size", "size", "limit", "rows", "perpage", "per_page", "ps")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_URLISH = re.compile(r"^(?:https?://|/|\./|\.\./)\S+$|^[\w./-]+\.(?:s?html?|jsp|aspx?|php|pdf|docx?|wps)(?:[?#]\S*)?$",
                     re.I)
MAX_DEPTH = 6


@dataclass
class ApiRecord:
    title: str
    url: str             # absolute
    date: str | None = None


@dataclass
class ApiPage:
    records: list[ApiRecord] = field(default_factory=list)
    total: int | None = None      # total records the API says it has, when it says


@dataclass
class ApiCall:
    """One request to a list API, as the page made it (replayed without the browser)."""

    url: str
    method: str = "GET"
    body: str | None = None
    content_type: str | None = None


def _lower_keys(obj: dict) -> dict:
    return {str(k).lower(): v for k, v in obj.items()}


def _first_str(obj: dict, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


@dataclass(frozen=True)
class LinkTemplate:
    """How a page's script turns a record into its link when the record carries no URL (only an id):
    prefix + the record's `key` value + suffix, learned from the links the page rendered."""

    key: str
    prefix: str
    suffix: str

    def url_of(self, obj: dict) -> str | None:
        value = obj.get(self.key)
        if isinstance(value, bool) or not isinstance(value, (int, str)) or str(value) == "":
            return None
        return f"{self.prefix}{value}{self.suffix}"


def learn_link_template(data, links) -> LinkTemplate | None:
    """The template that turns this answer's records into links the page rendered: a scalar field whose value
    appears, as a whole token, in a rendered link for at least two records, always with the same text around it."""
    links = [link for link in links if isinstance(link, str)]
    for array in _arrays(data):
        keys = {k for obj in array[:5] for k, v in obj.items()
                if isinstance(v, (int, str)) and not isinstance(v, bool) and len(str(v)) >= 3}
        for key in sorted(keys):
            found: dict[tuple[str, str], int] = {}
            for obj in array[:30]:
                value = str(obj.get(key, ""))
                if len(value) < 3:
                    continue
                for link in links:
                    at = link.find(value)
                    while at >= 0:
                        before, after = link[:at], link[at + len(value):]
                        if not (before[-1:].isalnum() or after[:1].isalnum()):
                            found[(before, after)] = found.get((before, after), 0) + 1
                            break
                        at = link.find(value, at + 1)
            if found:
                (prefix, suffix), hits = max(found.items(), key=lambda kv: kv[1])
                if hits >= 2:
                    return LinkTemplate(key, prefix, suffix)
    return None


def _record(obj: dict, base_url: str, template: LinkTemplate | None = None) -> ApiRecord | None:
    low = _lower_keys(obj)
    title = _first_str(low, _TITLE_KEYS)
    url = _first_str(low, _URL_KEYS)
    if url is not None and not _URLISH.match(url):
        url = None
    if url is None:    # an unknown field name: any URL-shaped string value
        url = next((v for v in low.values() if isinstance(v, str) and _URLISH.match(v.strip())), None)
    if url is None and template is not None:   # the page's script builds the link from an id
        url = template.url_of(obj)
    if title is None:  # an unknown field name: the longest string with Chinese in it
        texts = [v for v in low.values() if isinstance(v, str) and _CJK.search(v) and len(v) < 200]
        title = max(texts, key=len) if texts else None
    if not title or not url:
        return None
    title = re.sub(r"<[^>]+>", "", title)   # search APIs wrap hits in <em>/<font>
    date = None
    for key in _DATE_KEYS:
        if key in low and low[key] not in (None, ""):
            date = str(low[key])
            break
    return ApiRecord(title=" ".join(title.split()), url=urljoin(base_url, url.strip()), date=date)


def _arrays(node, depth: int = 0):
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        if node and all(isinstance(x, dict) for x in node):
            yield node
        for x in node:
            yield from _arrays(x, depth + 1)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _arrays(value, depth + 1)


def _total(node, depth: int = 0) -> int | None:
    if depth > 3 or not isinstance(node, dict):
        return None
    low = _lower_keys(node)
    for key in _TOTAL_KEYS:
        value = low.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.isdigit():
            return int(value)
    for value in node.values():
        found = _total(value, depth + 1)
        if found is not None:
            return found
    return None


def read_api_page(data, api_url: str, template: LinkTemplate | None = None) -> ApiPage:
    """The records of one API answer (already JSON-decoded): the best array of title+URL objects. `template`:
    how the page links a record that carries no URL (learn_link_template)."""
    best: list[ApiRecord] = []
    for array in _arrays(data):
        records = [r for r in (_record(x, api_url, template) for x in array) if r is not None]
        # an array counts when most of its objects are records (not a list of facets or menus)
        if len(records) * 2 >= len(array) and len(records) > len(best):
            best = records
    return ApiPage(records=best, total=_total(data))


def looks_like_list_api(body: bytes) -> bool:
    """A JSON answer holding at least one title+URL record array."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return bool(read_api_page(data, "http://x.invalid/").records)


def _advance(pairs: list[tuple[str, str]], step_records: int) -> list[tuple[str, str]] | None:
    """The same parameters one page further, or None when no paging parameter is there."""
    low = [k.lower() for k, _ in pairs]
    size = next((int(v) for (k, v) in pairs if k.lower() in _SIZE_KEYS and str(v).isdigit()), None)
    for i, key in enumerate(low):
        value = pairs[i][1]
        if key in _PAGE_KEYS and str(value).lstrip("-").isdigit():
            return pairs[:i] + [(pairs[i][0], str(int(value) + 1))] + pairs[i + 1:]
    for i, key in enumerate(low):
        value = pairs[i][1]
        if key in _OFFSET_KEYS and str(value).isdigit():
            return pairs[:i] + [(pairs[i][0], str(int(value) + (size or step_records)))] + pairs[i + 1:]
    return None


def next_api_call(call: ApiCall, page: ApiPage, seen: int) -> ApiCall | None:
    """The call for the page after `page`; None when the API says there is no more or paging is unknown.

    `seen`: records read from this API so far (this page included), checked against its total.
    """
    if not page.records or (page.total is not None and seen >= page.total):
        return None
    parts = urlsplit(call.url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    moved = _advance(query, len(page.records))
    if moved is not None:
        return ApiCall(urlunsplit(parts._replace(query=urlencode(moved))), call.method, call.body, call.content_type)
    if not call.body:
        return None
    ctype = (call.content_type or "").lower()
    if "json" in ctype or call.body.lstrip().startswith("{"):
        try:
            body = json.loads(call.body)
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        moved = _advance([(k, str(v)) for k, v in body.items() if isinstance(v, (int, str))], len(page.records))
        if moved is None:
            return None
        new = dict(body)
        for key, value in moved:
            new[key] = int(value) if isinstance(body[key], int) else value
        return ApiCall(call.url, call.method, json.dumps(new, ensure_ascii=False), call.content_type)
    form = parse_qsl(call.body, keep_blank_values=True)
    moved = _advance(form, len(page.records))
    if moved is None:
        return None
    return ApiCall(call.url, call.method, urlencode(moved), call.content_type)
