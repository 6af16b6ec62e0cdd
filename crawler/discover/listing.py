"""Listing-page analysis: the report entries, annual-report columns, disclosure hubs and pagination of one page.

The parts live beside this module: page, columns, links, pagers, entries."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.discover.sites import hints_for
from crawler.discover.urls import canonicalize, is_valid_http_url
from crawler.discover.page import _ChromeCache, _base_url, _meta_charset, _page_key, _parse, _query_charset
from crawler.discover.columns import _is_column_name, _is_report_column_page, _labels
from crawler.discover.links import Link, _anchors, _frame_urls, _hinted_columns, _merge
from crawler.discover.pagers import (FormPage, PagingForm, Postback, _form_pages, _is_script_shell, _page_links,
                                     _postbacks, js_last_page, paging_forms, unfollowed_controls)
from crawler.discover.entries import _anchor_counts, _classify, _list_heading, _main_list, _row_date, _row_of
from crawler.vocab import LINK_NAMES_REPORT_RE, PAGE_QUERY_KEYS

__all__ = ["Link", "Listing", "analyse_listing"]


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
    unfollowed: list[str] = field(default_factory=list)   # list controls only a browser operates (year tabs …)
    guessed_pages: list[str] = field(default_factory=list)   # page_links only a URL template implies
    paging_forms: list[PagingForm] = field(default_factory=list)   # forms that ask for a page by number
    js_last_page: int | None = None   # the highest page number its script pager controls name (goPage(n))
    # the page's main list names an annual report: what confirms a page's own label (meta, title,
    # breadcrumb) that it is the report column — a site root's template may carry the column's name
    list_names_reports: bool = False
    base: str = ""                  # the URL relative links resolve against (<base href>, else the page's)


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
       templates load the list itself in a frame; on any other page they are hub links (a frameset's
       menu and list, an iframe'd catalogue), walked like the page's own hubs.

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

    listing.page_links, pager_ids, listing.guessed_pages = _page_links(root, anchors, url, base, page_keys,
                                                                      has_records)
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
    frames = _frame_urls(root, base, url)
    extra = (frames if in_column else []) + _hinted_columns(hints, url)
    for column in extra:
        if _page_key(column) not in taken:
            taken.add(_page_key(column))
            listing.column_links.append(Link(column, "", "", None))
    if not in_column:
        # a page's same-site frames are part of the page (a frameset's menu and list, an iframe'd catalogue):
        # walked like its hubs, so a column reached only through a frame is found
        for frame in frames:
            if _page_key(frame) not in taken:
                taken.add(_page_key(frame))
                listing.hub_links.append(Link(frame, "", "", None))
    listing.form_pages = _form_pages(root, base, has_records)
    listing.postbacks = _postbacks(root)
    if in_column:
        listing.unfollowed = unfollowed_controls(root)
        listing.paging_forms = paging_forms(root, base, url)
        listing.js_last_page = js_last_page(root)
    listing.script_shell = _is_script_shell(root, listing)
    return listing
