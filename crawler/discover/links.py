"""Every link a listing page offers: its anchors (resolved, canonicalised, titled), same-site frames, columns
a sites file names, and each link's kind by name and URL shape (column, report, hub).

Part of the listing analysis (crawler.discover.listing.analyse_listing); no Scrapy in it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

from crawler.discover.urls import canonicalize, is_valid_http_url
from crawler.discover.page import (
    _directory,
    _has_report_slug,
    _has_year_slug,
    _is_article_url,
    _is_directory_url,
    _norm,
    _page_key,
    _path_segments,
    _split,
    _text,
)
from crawler.discover.columns import _is_column_name
from crawler.vocab import (
    DATE_RE,
    FRAME_SKIP_RE,
    HUB_EXCLUDE_WORDS,
    HUB_NAME_RE,
    HUB_SLUGS,
    HUB_SLUG_MAX_TEXT,
    LINK_NAMES_REPORT_RE,
    MORE_WORDS,
    NON_PAGE_SCHEMES,
    SUBCOLUMN_RE,
    TRUNCATION_MARKS,
    YEAR_RE,
)


@dataclass(frozen=True)
class Link:
    url: str            # absolute and canonical
    text: str           # visible anchor text, whitespace collapsed
    title: str          # full title: the title attribute when the text is truncated ("..."/"…"), else the text
    date: str | None    # YYYY-MM-DD found in the link's row, if any
    route: str = ""     # an app route in the href's fragment (#2381, #/list/12): the view a script draws


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
