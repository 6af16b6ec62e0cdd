"""Read the JSON list APIs behind JS-rendered report columns, and page through them without a browser.

Shell pages (Guangdong gkmlpt, TRS IGS search lists, `/common/search/...?_isJson=true`, 集约化 label
APIs, Vue/React fronts) fetch their lists as JSON. Field names differ per platform (title/DOCTITLE/name,
url/DOCPUBURL/link ...) and the list sits at different depths (`articles`, `data.results`,
`datas`, `list` ...), so records are found by shape: the largest array of objects that carry a
title-like string and a URL-like string. Paging is found the same way: the request's page-number or
offset parameter, in the query or in the (form or JSON) body, advanced by one page.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

__all__ = ["ApiRecord", "ApiPage", "ApiCall", "LinkTemplate", "read_api_page", "next_api_call", "looks_like_list_api",
           "learn_link_template", "normalise_date"]

_TITLE_KEYS = ("title", "doctitle", "name", "subject", "maintitle", "filename", "art_title", "infotitle", "tit")
_URL_KEYS = ("url", "docpuburl", "link", "href", "detailurl", "linkurl", "pageurl", "art_url", "puburl",
             "visiturl", "path", "jumpurl")
# publish-date fields by name, most telling first (fbrq/fbsj: 发布日期/发布时间 in pinyin initials); a field not named
# here is still read when its value has a date's shape (_record_date)
_DATE_KEYS = ("first_publish_time", "publish_time", "publishtime", "pubdate", "docreltime", "publishdate", "releasedate",
              "docpubtime", "publishedtimestr", "publishedtime", "pubtime", "pubtimestr", "fbrq", "fbsj", "date", "time",
              "createtime")
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
# keys under which a tree keeps its sub-nodes: an array of objects that carry one of these (non-empty) is a tree
# of columns or menus, not a list of documents
_CHILD_KEYS = ("children", "child", "childs", "childlist", "childrenlist", "subnodes", "nodes", "submenu", "submenus",
               "sublist", "subchannels", "subcolumns")
# the path of a column's index page: a folder, or its index/default/list page
_COLUMN_INDEX = re.compile(r"(?:/|/(?:index|default|list|main)(?:_\d+)?(?:\.\w{2,5})?)$", re.I)
# a link that is no document: an in-page anchor, a script call, mail
_NOT_DOC_URL = re.compile(r"^(?:#|javascript:|mailto:|tel:|about:)", re.I)

# ----------------------------------------------------------------------------- dates

BEIJING = dt.timezone(dt.timedelta(hours=8))
_MIN_DAY, _MAX_DAY = dt.date(1980, 1, 1), dt.date(2100, 12, 31)
# "2024-01-20", "2024/1/20 10:00", "2024.01.20", "2024年1月20日 10时" (a time or anything after it is ignored)
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:$|[T\s,;:]|\d{1,2}[:时])")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_DOTNET_DATE = re.compile(r"^/?Date\((-?\d+)(?:[+-]\d{4})?\)/?$", re.I)    # ASP.NET JSON: "/Date(1705900000000)/"
# field names that say date or time (English, pinyin initials rq/sj = 日期/时间, Chinese), names of the publish date,
# and names of dates that come later than publishing (updates, expiry)
_DATE_NAME = re.compile(r"date|time|day|rq|sj|_at$|^(?:pub|fb)|日期|时间", re.I)
_PUBLISH_NAME = re.compile(r"pub|release|fb|fabu|issue|display|show|发布|公开", re.I)
_LATER_NAME = re.compile(r"upd|modif|edit|end|expir|valid|abolish|last|crawl|index|sort|修改|更新|截止|失效|废止", re.I)


def _day(value: dt.date) -> str | None:
    return value.isoformat() if _MIN_DAY <= value <= _MAX_DAY else None


def _from_epoch(number: float) -> str | None:
    """The Beijing calendar day of a Unix time in seconds or in milliseconds (told apart by size)."""
    if abs(number) >= 1e11:          # milliseconds: 1e11 s would be the year 5138
        number /= 1000
    try:
        return _day(dt.datetime.fromtimestamp(number, BEIJING).date())
    except (OverflowError, OSError, ValueError):
        return None


def normalise_date(value, epoch: bool = True) -> str | None:
    """'YYYY-MM-DD' from any common date or timestamp an API writes, or None.

    ISO 8601 with or without time and offset ("2024-01-19T16:20:00.000+0800", "...Z"), "2026-09-01 16:38:00",
    "2024/1/20", "2024年1月20日", "20240120", ASP.NET "/Date(ms)/", and Unix seconds or milliseconds as numbers
    or digit strings. Times with an offset and Unix times are read as the Beijing (UTC+8) day; a time without an
    offset is already local. `epoch=False`: bare numbers are not taken as Unix times (for a field whose name does
    not say it holds a time, where a number is more likely an id or a count).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(value) if epoch else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if _NUMBER.match(text):
        if len(text) == 8 and text.isdigit():          # 20240120
            try:
                return _day(dt.date(int(text[:4]), int(text[4:6]), int(text[6:])))
            except ValueError:
                return None
        return _from_epoch(float(text)) if epoch and len(text.split(".")[0].lstrip("-")) >= 9 else None
    match = _DOTNET_DATE.match(text)
    if match:
        return _from_epoch(int(match.group(1)) / 1000)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is not None:
        if moment.tzinfo is not None:
            moment = moment.astimezone(BEIJING)
        return _day(moment.date())
    match = _YMD.match(text)
    if match:
        try:
            return _day(dt.date(*map(int, match.groups())))
        except ValueError:
            return None
    return None


def _record_date(low: dict) -> str | None:
    """The record's publish day: the known date fields first, then any field whose value has a date's shape
    (a date string whatever its name; a number only under a name that says date or time), publish-like names
    before others and update/expiry-like names last."""
    for key in _DATE_KEYS:
        if key in low:
            day = normalise_date(low[key])
            if day:
                return day
    found = []
    for order, (key, value) in enumerate(low.items()):
        if key in _DATE_KEYS or key in _TITLE_KEYS or key in _URL_KEYS or isinstance(value, (dict, list)):
            continue
        named = bool(_DATE_NAME.search(key))
        day = normalise_date(value, epoch=named)
        if day:
            rank = 0 if _PUBLISH_NAME.search(key) else 2 if _LATER_NAME.search(key) else 1
            found.append((rank, 0 if named else 1, order, day))
    return min(found)[3] if found else None


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


def _is_branch(low: dict) -> bool:
    """A node of a column or menu tree: it carries its sub-nodes."""
    return any(isinstance(low.get(key), list) and low[key] and all(isinstance(x, dict) for x in low[key])
               for key in _CHILD_KEYS)


def _record(obj: dict, base_url: str, template: LinkTemplate | None = None) -> ApiRecord | None:
    low = _lower_keys(obj)
    if _is_branch(low):
        return None
    title = _first_str(low, _TITLE_KEYS)
    url = _first_str(low, _URL_KEYS)
    if url is not None and (_NOT_DOC_URL.match(url) or not _URLISH.match(url)):
        url = None
    if url is None:    # an unknown field name: any URL-shaped string value
        url = next((v for v in low.values() if isinstance(v, str) and _URLISH.match(v.strip())
                    and not _NOT_DOC_URL.match(v.strip())), None)
    if url is None and template is not None:   # the page's script builds the link from an id
        url = template.url_of(obj)
    if title is None:  # an unknown field name: the longest string with Chinese in it
        texts = [v for v in low.values() if isinstance(v, str) and _CJK.search(v) and len(v) < 200]
        title = max(texts, key=len) if texts else None
    if not title or not url:
        return None
    title = re.sub(r"<[^>]+>", "", title)   # search APIs wrap hits in <em>/<font>
    return ApiRecord(title=" ".join(title.split()), url=urljoin(base_url, url.strip()), date=_record_date(low))


def _documents(records: list[ApiRecord]) -> list[ApiRecord]:
    """The records that link documents: not anchors into one shared page (a menu's "index#21023", "index#21025"
    are places in the same column page, not documents of their own). A hash route ("/portal/#/detail/123",
    "#!/article/9") is a single-page app's document address, not an anchor."""
    pages: dict[str, set[str]] = {}
    for record in records:
        page, _, anchor = record.url.partition("#")
        if anchor[:1] not in ("/", "!"):
            pages.setdefault(page, set()).add(anchor)
    records = [r for r in records if len(pages.get(r.url.partition("#")[0], ())) < 2]
    # entries that all link column index pages ("/zwgk/ndbg/", ".../index.shtml") and carry no publish date are the
    # entries of a menu, not documents (a document is dated; one at a folder's index.html still has its date)
    if records and not any(r.date for r in records) and all(_is_column_index(r.url) for r in records):
        return []
    return records


def _is_column_index(url: str) -> bool:
    """A column's index page: a folder or its index/default/list page, with no query or hash route naming a document."""
    parts = urlsplit(url)
    return (not parts.query and parts.fragment[:1] not in ("/", "!")
            and bool(_COLUMN_INDEX.search(parts.path or "/")))


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
        records = _documents([r for r in (_record(x, api_url, template) for x in array) if r is not None])
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
