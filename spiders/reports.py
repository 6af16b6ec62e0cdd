"""The `reports` spider: walk portals to their annual-report columns and yield every candidate report page.

Spider arguments (`-a NAME=VALUE`, or keyword arguments from `nianbao crawl/backfill`):
  start_urls      comma-separated portal home pages or report column pages to crawl
  backfill_urls   comma-separated report page URLs fetched directly (no listing walk)
  force           "1" to feed backfilled pages even when the classifier rejects them
  sites           a sites file (YAML, crawler.discover.sites.load_crawl_sites): portals to crawl with their hints

Request meta keys:
  nianbao_site    host of the start URL the request descends from (per-site caps, the feed's `site`)
  nianbao_role    start | hub | column | article | api | attachment
  nianbao_hop     hub pages walked so far on the way to a column
  nianbao_force   feed this page whatever the classifier says (backfill --force)
  nianbao_column  the listing that led here is a report column (api pages: take every record)
  nianbao_api     the list-API call (crawler.discover.jsonapi.ApiCall fields) an api page answers
  nianbao_render  why a request is rendered in Chromium (spiders.browser)
  nianbao_listed  the date the listing showed beside an article's link (the published date of a bare file)
  nianbao_route   the #fragment of the link to a column: the view a script-drawn page shows (#2381)
  nianbao_paged   a listing page reached through a pager (a stale one stops the walk; a first page never does)
  nianbao_listing the first page of the listing a paged request walks (its order is remembered in the store)
  nianbao_known_run  known reports in a row so far in that walk (NIANBAO_KNOWN_RUN of them stop it)
  nianbao_recheck a conditional re-check of a known report page (304, 404/410, same bytes: no pipeline)
  nianbao_start   the start URL behind a remembered column: walked again when the column fails
  nianbao_method  the rung of the completeness ladder that asked for a listing page: static | api | browser

Completeness (crawler.discover.completeness): every report column's walk counts its entries against what its
pages state (共N条, totalRecord, page counts). When the crawl goes idle, a column found short climbs the ladder —
static walk, then replay of the data calls its scripts name (crawler.discover.scripts), then Chromium operating
its controls (crawler.discover.exploration) — and one still short is a recorded failure, stage `listing`, with
the figures. A start URL from which no column with entries was found is explored in Chromium once, then a
recorded failure, stage `discovery`. Each judged column is saved in the store's `listings` table.

Listings that plain HTML does not show: Hanweb dataproxy windows are POSTed (FormRequest), ASP.NET pagers
posted back (form2request, Scrapy's successor to FormRequest.from_response), and a page whose list a script draws is rendered once in
Chromium, which also records the JSON list API the page called; the API's later pages are then fetched
without the browser. Attachments of an article (and the images of a 图片版 page) are fetched one after
the other before the article's item is yielded, so the pipelines see the page and its files together.

All page analysis lives in crawler.discover.listing / crawler.discover.jsonapi / crawler.discover.attachments / crawler.read.encoding;
this module only unpacks responses.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import defaultdict
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import TextResponse
from form2request import form2request
from scrapy_playwright.page import PageMethod

from crawler.discover.attachments import (MAX_ATTACHMENTS, AttachmentLink, attachment_links, continuation_pages,
                                          script_download_anchors)
from crawler.judge.classify import title_verdict
from crawler.read.extract import extract_page
from crawler.discover.challenges import detect_challenge
from crawler.discover.completeness import ColumnLedger, ColumnWalk, Stated, stated_figures
from crawler.discover.exploration import capture_response, explore
from crawler.discover.scripts import script_calls
from crawler.archive.crashpoints import crashpoint
from crawler.read.encoding import DecodeError, decode_html
from crawler.ops.incremental import is_due, reordered, unordered_page
from crawler.items import FetchedFile, FetchedPage, FetchFailure
from crawler.discover.jsonapi import (ApiCall, LinkTemplate, learn_link_template, looks_like_list_api, next_api_call,
                                     read_api_page)
from crawler.discover.listing import analyse_listing
from crawler.discover.pagers import PagingForm
from crawler.discover.sites import hints_for
from crawler.read.metadata import parse_date
from crawler.archive.storage import utcnow
from crawler.discover.urls import canonicalize, is_valid_http_url, site_domain
from crawler.vocab import LINK_NAMES_REPORT_RE
from crawler.ops.resources import record_failure, store_from_crawler
from spiders.browser import RENDER_META
from spiders.failures import describe_failure

logger = logging.getLogger(__name__)


def _split_arg(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [v.strip() for v in value if v and v.strip()]


_WHOLE_DOCUMENT_RE = re.compile(r"<html|<body|<!doctype", re.I)
_INDEX_PAGES = ("index.html", "index.htm", "index.shtml", "default.htm", "default.html")


# A list API answer of this many records, with no total and no known paging, may be one page of several.
_FULL_API_PAGE = 10


def _index_aliases(url: str) -> set[str]:
    """The URL and the other names of the same directory page (col/ and col/index.html are one page on
    nearly every portal): a pager's 首页 link must not pass for a page not walked yet."""
    base, _, query = url.partition("?")
    if query:
        return {url}
    head, _, last = base.rpartition("/")
    if last and last not in _INDEX_PAGES:
        return {url}
    return {head + "/"} | {f"{head}/{name}" for name in _INDEX_PAGES}


def _headers(headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in headers.items() for v in vs]


class XhrRecorder:
    """playwright_page_event_handlers["response"]: the JSON answers to a page's own XHR/fetch calls."""

    def __init__(self):
        self.calls: list[ApiCall] = []

    def __call__(self, response) -> None:
        request = response.request
        if request.resource_type not in ("xhr", "fetch"):
            return
        ctype = (response.headers.get("content-type") or "").lower()
        if "json" not in ctype and "javascript" not in ctype and "text/plain" not in ctype:
            return
        self.calls.append(ApiCall(request.url, request.method, request.post_data,
                                  request.headers.get("content-type")))


class ReportsSpider(scrapy.Spider):
    name = "reports"

    def __init__(self, start_urls=None, backfill_urls=None, force=False, sites=None, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [canonicalize(u) for u in _split_arg(start_urls)]
        if sites:
            from crawler.discover.sites import load_crawl_sites   # registers the file's per-site hints too
            self.start_urls += [canonicalize(site.url) for site in load_crawl_sites(sites)
                                if canonicalize(site.url) not in self.start_urls]
        self.backfill_urls = [canonicalize(u) for u in _split_arg(backfill_urls)]
        self.force = str(force).lower() in ("1", "true", "yes")
        self._listing_pages = defaultdict(int)     # site -> listing pages requested
        self._seen_reports = defaultdict(set)      # site -> report URLs already scheduled
        self._renders = defaultdict(int)           # site -> listing pages rendered in Chromium
        self._seen_forms = defaultdict(set)        # site -> POSTed listing pages (dataproxy, postbacks, APIs)
        self._counted = defaultdict(set)           # site -> GET listing pages counted against the page cap
        self._known: dict[str, dict[str, dict]] = {}  # site -> report pages the store knows (url -> pages row)
        self._walked = defaultdict(set)             # site -> listing pages requested this run
        self._early_stop: bool | None = None        # listings may stop at known reports (set on first use)
        self.shared = None     # spiders.frontier.SharedWalk in a distributed crawl (from_crawler)
        self.columns = ColumnLedger()               # every report column's walk, for its completeness
        self._starts: dict[str, str] = {}           # site -> its start URL (discovery is judged per start)
        self._explored: set[str] = set()            # start URLs explored in Chromium for want of a column
        self._failed_starts: set[str] = set()       # sites whose start page itself failed (already recorded)
        self._judged_starts: set[str] = set()       # start URLs whose discovery failure is recorded
        self._aliases = defaultdict(set)            # site -> hosts its start page redirected to

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.max_listing_pages = s.getint("NIANBAO_MAX_LISTING_PAGES")
        spider.discovery_hops = s.getint("NIANBAO_DISCOVERY_HOPS")
        spider.browser = s.get("NIANBAO_BROWSER")
        spider.max_renders = s.getint("NIANBAO_MAX_RENDERS_PER_SITE")
        spider.recheck = s.get("NIANBAO_RECHECK")
        spider.known_run = s.getint("NIANBAO_KNOWN_RUN")
        spider.walk_through_days = s.getfloat("NIANBAO_WALK_THROUGH_DAYS")
        spider.completeness = s.getbool("NIANBAO_COMPLETENESS", True)
        spider.explore_actions = s.getint("NIANBAO_EXPLORE_MAX_ACTIONS", 40)
        spider.shared = None
        if str(s.get("SCHEDULER", "")).endswith("FrontierScheduler"):
            from crawler.distributed.frontier import worker_from_crawler
            from spiders.frontier import SharedWalk
            spider.shared = SharedWalk(worker_from_crawler(crawler))
            # a column's pages are walked by many workers: none of them sees the whole walk
            spider.completeness = False
        if spider.completeness:
            crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        if spider.recheck not in ("due", "all"):
            raise ValueError(f"NIANBAO_RECHECK must be due or all, not {spider.recheck!r}")
        if spider.browser not in ("never", "auto", "always"):
            raise ValueError(f"NIANBAO_BROWSER must be never, auto or always, not {spider.browser!r}")
        return spider

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        # An honest User-Agent with a contact URL, unless the user chose one (cmdline/project priority).
        if (settings.getpriority("USER_AGENT") or 0) < 20:
            agent = settings.get("NIANBAO_USER_AGENT").format(contact_url=settings.get("NIANBAO_CONTACT_URL"))
            settings.set("USER_AGENT", agent, priority="spider")
        if not settings.getdict("PLAYWRIGHT_CONTEXTS"):
            browser_agent = settings.get("NIANBAO_BROWSER_USER_AGENT").format(
                contact_url=settings.get("NIANBAO_CONTACT_URL"))
            # government HTTPS is often self-signed (portals.md §6): the browser must not refuse it either
            settings.set("PLAYWRIGHT_CONTEXTS", {"default": {"user_agent": browser_agent, "ignore_https_errors": True,
                                                             "locale": "zh-CN"}}, priority="spider")

    async def start(self):
        for url in self.start_urls + self.backfill_urls:
            if not is_valid_http_url(url):
                yield FetchFailure(url=url, stage="argument", reason="not an http(s) URL", site=None)
        for url in self.start_urls:
            if is_valid_http_url(url):
                site = urlsplit(url).netloc
                columns = self._known_columns(site)
                for column in columns:
                    request = self._request(column, "column", site=site, hop=0)
                    request.meta["nianbao_start"] = url      # if the column is gone, walk from the start again
                    yield request
                if not columns:
                    self._starts.setdefault(site, url)
                    yield self._request(url, "start", site=site, hop=0)
        for url in self.backfill_urls:
            if is_valid_http_url(url):
                yield self._request(url, "article", site=urlsplit(url).netloc, force=self.force)
        # known report pages due for a re-check (all of them with --recheck all): conditional requests
        now = datetime.now(timezone.utc)
        for site in dict.fromkeys(urlsplit(u).netloc for u in self.start_urls if is_valid_http_url(u)):
            for url, page in self._known_pages(site).items():
                if page.get("rejected") or page["removed_at"] or not (self.recheck == "all" or is_due(page, now)):
                    continue
                self._seen_reports[site].add(url)
                yield self._recheck_request(url, page, site)

    # -- incremental ------------------------------------------------------------------------------
    def _store(self):
        return store_from_crawler(self.crawler)

    def _known_pages(self, site: str) -> dict[str, dict]:
        """Report pages the store knows on this site, and the look-alikes it rejected there (never re-asked
        on a walk; reports are re-checked when due)."""
        if site not in self._known:
            store = self._store()
            known = store.known_pages(site)
            for url in store.rejected_urls(site):
                known.setdefault(url, {"url": url, "rejected": True, "removed_at": None})
            self._known[site] = known
        return self._known[site]

    def _known_columns(self, site: str) -> list[str]:
        """The report columns of a site the store has walked, to start from on a re-crawl (the home page and
        hubs are walked again by a --recheck all sweep, or when the last run did not finish)."""
        if self.recheck == "all" or not self._may_stop_early():
            return []
        return self._store().listing_urls(site)

    def _may_stop_early(self) -> bool:
        """Listings stop at known reports only after a run that ended normally (a killed run leaves listings half
        walked, and the next run must walk them through), and never in a --recheck all sweep (which walks every
        listing through: a back-dated report below known ones is found there)."""
        if self._early_stop is None:
            self._early_stop = self.recheck != "all" and self._store().last_run_finished()
        return self._early_stop

    def _recheck_request(self, url: str, page: dict, site: str):
        headers = {}
        if page.get("etag"):
            headers["If-None-Match"] = page["etag"]
        if page.get("last_modified"):
            headers["If-Modified-Since"] = page["last_modified"]
        meta = self._meta("article", site, nianbao_recheck=True, handle_httpstatus_list=[304, 404, 410])
        self.crawler.stats.inc_value("nianbao/recheck/requests")
        return scrapy.Request(url, callback=self.parse_article, errback=self.on_error, meta=meta, headers=headers,
                              priority=10, dont_filter=True)

    def _rechecked(self, response) -> bool:
        """Handle the answer to a re-check that needs no pipeline: 304, 404/410, or the very same bytes.
        True when handled."""
        url = canonicalize(response.request.url)
        site = response.meta["nianbao_site"]
        page = self._known_pages(site).get(url)
        store = self._store()
        if response.status in (404, 410):
            store.mark_removed(url)
            store.note_event(site, "removed", url, page and page["report_id"], f"HTTP {response.status}")
            self.crawler.stats.inc_value("nianbao/recheck/removed")
            logger.info("nianbao: %s is gone (HTTP %s): marked removed; its archive stays", url, response.status)
            return True
        same = page is not None and hashlib.sha256(response.body).hexdigest() == page["raw_sha256"]
        if response.status == 304 or same:
            store.note_event(site, "found", url, page and page["report_id"])
            store.touch_page(url)
            store.note_event(site, "unchanged", url, page and page["report_id"],
                             "HTTP 304" if response.status == 304 else "same bytes")
            self.crawler.stats.inc_value("nianbao/recheck/unchanged")
            return True
        return False

    # -- requests -------------------------------------------------------------------------------
    @staticmethod
    def _meta(role, site, hop=0, force=False, **extra):
        return {"nianbao_site": site, "nianbao_role": role, "nianbao_hop": hop, "nianbao_force": force, **extra}

    @classmethod
    def seed_request(cls, url: str, *, backfill: bool = False, force: bool = False) -> dict:
        """A start (or backfill) request as a dict for request_from_dict: what `nianbao enqueue` pushes to the
        shared frontier, the same request start() makes."""
        role = "article" if backfill else "start"
        meta = cls._meta(role, urlsplit(url).netloc, 0, force, nianbao_paged=False, nianbao_route="",
                         nianbao_listed=None)
        data = scrapy.Request(url, meta=meta, priority=10 if backfill else 0, dont_filter=True).to_dict()
        data.update(callback="parse_article" if backfill else "parse_listing", errback="on_error")
        return data

    def _request(self, url, role, *, site, hop=0, force=False, referer=None, paged=False, route="", listed=None):
        callback = self.parse_article if role == "article" else self.parse_listing
        if role != "article":
            self._walked[site] |= _index_aliases(url)
        meta = self._meta(role, site, hop, force, nianbao_paged=paged, nianbao_route=route, nianbao_listed=listed)
        headers = {"Referer": referer} if referer else None
        if role != "article" and self.browser == "always" and self._count_render(site):
            return self._render_request(url, role, site=site, hop=hop, reason="always", referer=referer)
        # Articles first: a report found is worth more than the next listing page.
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, headers=headers,
                              priority=10 if role == "article" else 0)

    def _render_request(self, url, role, *, site, hop, reason, referer=None, listing=None):
        recorder = XhrRecorder()
        meta = self._meta(role, site, hop, playwright=True, playwright_include_page=True, nianbao_listing=listing,
                          playwright_page_event_handlers={"response": recorder},
                          # the list is drawn once its data calls have answered
                          playwright_page_methods=[PageMethod("wait_for_load_state", "networkidle")],
                          nianbao_xhr=recorder, **{RENDER_META: reason})
        headers = {"Referer": referer} if referer else None
        return scrapy.Request(url, callback=self.parse_rendered, errback=self.on_error, meta=meta,
                              headers=headers, dont_filter=True)

    def _count_render(self, site: str) -> bool:
        if self._take_render(site):
            self.crawler.stats.inc_value(f"nianbao/browser/site/{site}")     # renders per site (make bench)
            return True
        return False

    def _take_render(self, site: str) -> bool:
        if self.shared is not None:
            if self.shared.take(site, "render", self.max_renders):
                return True
            self.crawler.stats.inc_value("nianbao/browser/cap_reached")
            return False
        if self._renders[site] >= self.max_renders:
            self.crawler.stats.inc_value("nianbao/browser/cap_reached")
            return False
        self._renders[site] += 1
        return True

    def _api_request(self, call: ApiCall, *, site, hop, in_column, seen=0, referer=None):
        meta = self._meta("api", site, hop, nianbao_api=asdict(call), nianbao_column=in_column,
                          nianbao_api_seen=seen)
        headers = {"Accept": "application/json, text/javascript, */*; q=0.01", "X-Requested-With": "XMLHttpRequest"}
        if referer:
            headers["Referer"] = referer
        if call.content_type:
            headers["Content-Type"] = call.content_type
        return scrapy.Request(call.url, method=call.method, body=call.body or None, headers=headers,
                              callback=self.parse_api, errback=self.on_error, meta=meta)

    def _on_site(self, url: str, site: str) -> bool:
        """The start URL's host, a host its start page redirected to, or a sibling subdomain of the same
        registrable domain (xxgk.x.gov.cn beside www.x.gov.cn); never another portal."""
        host = urlsplit(url).netloc
        if host == site or host in self._aliases[site]:
            return True
        domain = site_domain(host)
        return domain is not None and domain == site_domain(site)

    # -- callbacks ------------------------------------------------------------------------------
    def parse_listing(self, response):
        site = response.meta["nianbao_site"]
        role = response.meta["nianbao_role"]
        hop = response.meta["nianbao_hop"]
        moved = urlsplit(response.url).netloc
        if role == "start" and moved != site and moved not in self._aliases[site]:
            # the start URL redirected to another host (a new domain, https://www. …): that host is the site now
            self._aliases[site].add(moved)
            self._store().note_host(site, "redirect", f"start page moved to {moved}")
        if response.meta.get("nianbao_api") and looks_like_list_api(response.body):
            # a data call a column's script names, replayed (the "api" rung): its answer is JSON
            yield from self.parse_api(response)
            return
        if not isinstance(response, TextResponse):
            content_type = response.headers.get("Content-Type", b"?").decode("latin-1")
            yield FetchFailure(url=response.url, stage="fetch", site=site,
                               reason=f"listing is not text ({content_type})")
            return
        try:
            decoded = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
        except DecodeError as exc:
            yield FetchFailure(url=response.url, stage="decode", site=site, reason=str(exc))
            return
        # Off a report column, analyse_listing returns only links that name an annual report.
        # a fragment or data answer (no document around it) lands in the DOM of the page that asked for it
        base = None if _WHOLE_DOCUMENT_RE.search(decoded.text[:4000]) else response.meta.get("nianbao_base")
        listing = analyse_listing(decoded.text, response.url, encoding=decoded.encoding, column=role == "column",
                                  base=base)
        yield from self._follow(response, listing, site, role, hop, text=decoded.text)
        # a shell that is a report column, or a page with nothing else to follow, is worth one render
        in_column = self._in_column(role, listing)
        if listing.script_shell and (in_column or not (listing.column_links or listing.hub_links)):
            if self.browser == "never":
                self.crawler.stats.inc_value("nianbao/browser/not_rendered")
                yield FetchFailure(url=response.url, stage="browser", site=site,
                                   reason="list drawn by script; not rendered (NIANBAO_BROWSER is never)")
            elif self._count_render(site):
                # the server never saw the link's #route, but the page's script draws the view it names
                route = response.meta.get("nianbao_route", "")
                yield self._render_request(response.url + route, role, site=site, hop=hop, reason="script_listing",
                                           referer=response.url,
                                           listing=(response.meta.get("nianbao_listing") or response.url)
                                           if in_column else None)
            else:
                yield FetchFailure(url=response.url, stage="browser", site=site,
                                   reason=f"list drawn by script; not rendered: render cap reached "
                                          f"(NIANBAO_MAX_RENDERS_PER_SITE = {self.max_renders})")

    @staticmethod
    def _still_challenged(response, site: str, note: str = "") -> FetchFailure | None:
        """The failure of a page Chromium drew that still shows a challenge or block page, else None."""
        challenge = detect_challenge(response.status, response.body, "text/html; charset=utf-8")
        if challenge is None:
            return None
        return FetchFailure(url=response.url, stage="challenge", site=site,
                            reason=f"the page in Chromium still shows a {challenge.kind} challenge "
                                   f"({challenge.detail}){note}")

    async def parse_rendered(self, response):
        """A listing as Chromium drew it; also replays the JSON list calls the page made, without the browser."""
        page = response.meta.get("playwright_page")
        if page is not None:
            await page.close()
        site = response.meta["nianbao_site"]
        role = response.meta["nianbao_role"]
        hop = response.meta["nianbao_hop"]
        blocked = self._still_challenged(response, site)
        if blocked is not None:
            yield blocked
            return
        listing = analyse_listing(response.text, response.url, column=role == "column")
        calls = response.meta["nianbao_xhr"].calls
        self.crawler.stats.inc_value("nianbao/browser/listings")
        store_from_crawler(self.crawler).note_host(
            urlsplit(response.url).netloc, "browser", f"list drawn by script at {response.url}; "
            f"{len(listing.report_links)} report links rendered, {len(calls)} JSON calls seen")
        for out in self._follow(response, listing, site, role, hop):
            yield out
        in_column = self._in_column(role, listing)
        if in_column:
            self._note_column(response, site, listing, response.text, method="browser")
        for call in calls:
            key = (call.method, call.url, call.body)
            if not self._on_site(call.url, site):
                # another site's service (a statistics beacon, a provincial search): its answers are not this list
                logger.info("nianbao: %s called %s on another host; not replayed", response.url, call.url)
                self.crawler.stats.inc_value("nianbao/listing/offsite_calls")
                continue
            if self._first_time(site, key) and self._count_listing(site):
                request = self._api_request(call, site=site, hop=hop, in_column=in_column, referer=response.url)
                request.meta["nianbao_listing"] = response.meta.get("nianbao_listing") or response.url
                yield request

    def parse_api(self, response):
        """One page of a JSON list API: its records are report links; the next page is the same call advanced."""
        site = response.meta["nianbao_site"]
        hop = response.meta["nianbao_hop"]
        in_column = response.meta.get("nianbao_column", False)
        try:
            data = json.loads(response.body)
        except (ValueError, UnicodeDecodeError) as exc:
            yield FetchFailure(url=response.url, stage="decode", site=site, reason=f"list API answer is not JSON: {exc}")
            return
        template = response.meta.get("nianbao_link_template")
        page = read_api_page(data, response.url, LinkTemplate(**template) if template else None)
        seen = response.meta.get("nianbao_api_seen", 0) + len(page.records)
        walk = self.columns.get(response.meta.get("nianbao_listing")) if in_column and self.completeness else None
        if walk is not None:
            walk.note_page([r.url for r in page.records], Stated(total=page.total, source=f"total {page.total} in the "
                           f"list API's answer") if page.total else None, method="api")
        urls = [r.url for r in page.records]
        # the chain goes on while pages bring records the previous page did not (an API that answers any
        # page number with the same records is a pagination trap); the first call replays what the browser
        # already showed, so "new" is judged within the chain, not against links already scheduled
        fresh = set(urls) - set(response.meta.get("nianbao_api_previous", ()))
        known = self._known_pages(site)
        all_known = bool(page.records) and all(r.url in known for r in page.records)
        yield from self._api_articles(page, in_column, site, response.url)
        call = ApiCall(**response.meta["nianbao_api"])
        following = next_api_call(call, page, seen)
        listing_url = response.meta.get("nianbao_listing") or response.url
        if all_known and len(page.records) >= self.known_run and self._may_stop_early() \
                and not self._walk_through(self._store().listing(listing_url), page.total):
            self.crawler.stats.inc_value("nianbao/listing/stopped_at_known")
        elif fresh and following is not None:
            key = (following.method, following.url, following.body)
            if self._first_time(site, key) and self._count_listing(site):
                request = self._api_request(following, site=site, hop=hop, in_column=in_column, seen=seen,
                                            referer=response.request.headers.get("Referer", b"").decode("latin-1")
                                            or None)
                request.meta["nianbao_api_previous"] = urls
                request.meta["nianbao_listing"] = response.meta.get("nianbao_listing")
                request.meta["nianbao_link_template"] = template
                yield request
        elif following is not None:
            logger.info("nianbao: list API %s repeated its previous page; not paging further", response.url)
            self.crawler.stats.inc_value("nianbao/listing/stale_page")
        elif page.total is None and len(page.records) >= _FULL_API_PAGE and walk is not None \
                and walk.method != "browser":
            # a full page, no total, and no paging parameter this reader knows: more may follow that only the
            # page's own controls reach (the browser rung clicks them)
            logger.info("nianbao: list API %s gave a full page of %d and no total; its paging is unknown",
                        response.url, len(page.records))
            walk.skip(f"list API {urlsplit(response.url).path} paged by an unknown parameter")

    def _in_column(self, role: str, listing) -> bool:
        """Whether a page is walked as a report column: reached as one, or naming itself one (meta, title,
        breadcrumb) with a main list that names a report. A label alone only proposes: a site root's template
        may carry the column's name over a news list."""
        return role == "column" or (listing.is_report_column and listing.list_names_reports)

    def _note_column(self, response, site: str, listing, text: str, method: str = "static") -> ColumnWalk | None:
        """Count a column page's entries and stated figures into its walk (keyed by the column's first page)."""
        if not self.completeness:
            return None
        listing_url = response.meta.get("nianbao_listing") or response.url
        walk = self.columns.walk(listing_url, site)
        if not walk.first_html and text and not response.meta.get("nianbao_paged"):
            walk.first_html, walk.base = text, listing.base
        walk.children |= {link.url for link in listing.column_links}
        if listing.unfollowed and (response.meta.get("nianbao_method") or method) == "static" \
                and not any(u in walk.skipped for u in listing.unfollowed):
            for control in listing.unfollowed:       # what they show comes by script: the browser clicks them
                walk.skip(control)
        walk.note_page([link.url for link in listing.report_links], stated_figures(text) if text else None,
                       method=response.meta.get("nianbao_method") or method)
        return walk

    def _columns_and_hubs(self, listing, site, in_column: bool, hop: int, referer: str, walk=None):
        """Requests for the column links a page offers, and for its disclosure hubs. Hubs are followed from any
        page that is not itself a column, column links or not: a home page's column link may be a news box's,
        while the disclosure hub leads to the real one. A site whose columns its hints name (sites file,
        sites.yaml) is taken at its word."""
        for link in listing.column_links:
            if self._on_site(link.url, site) and self._count_listing(site, walk, link.url):
                yield self._request(link.url, "column", site=site, hop=hop, referer=referer, route=link.route)
        if not in_column and hop < self.discovery_hops and not hints_for(referer).columns:
            for link in listing.hub_links:
                if self._on_site(link.url, site) and self._count_listing(site, url=link.url):
                    yield self._request(link.url, "hub", site=site, hop=hop + 1, referer=referer)

    def _follow(self, response, listing, site, role, hop, text: str = ""):
        in_column = self._in_column(role, listing)
        walk = self._note_column(response, site, listing, text) if in_column else None
        yield from self._columns_and_hubs(listing, site, in_column, hop, response.url, walk)

        fresh = 0                        # links this run had not met yet (a page of none is stale: a trap)
        known = self._known_pages(site)
        flags: list[bool] = []           # per report link in listing order: already known to the store
        run = best = response.meta.get("nianbao_known_run", 0)
        for link in listing.report_links:
            if not self._may_fetch_report(link.url, site, in_column):
                continue
            is_known = link.url in known
            flags.append(is_known)
            run = run + 1 if is_known else 0
            best = max(best, run)
            if link.url in self._seen_reports[site]:
                continue
            self._seen_reports[site].add(link.url)
            fresh += 1
            if is_known:
                continue        # re-checked when due (start), not on every walk
            yield self._request(link.url, "article", site=site, referer=response.url, listed=link.date)

        # A later page that brings no new report is the end of the column or a pagination trap: stop there.
        # A column's first page always counts: a home page may already have listed its latest reports.
        paged = response.meta.get("nianbao_paged", False)
        listing_url = response.meta.get("nianbao_listing") or response.url
        stop, may_stop = (self._stop_at_known(response, site, listing_url, listing, flags, best, paged, walk)
                          if in_column else (False, False))
        if stop and walk is not None:
            walk.stopped_early = True    # a deliberate stop of a re-crawl: its completeness is the last full walk's
        # a fragment's own pages are fragments too: their links resolve against the page that loads them
        meta = {"nianbao_listing": listing_url, "nianbao_method": response.meta.get("nianbao_method"),
                "nianbao_base": response.meta.get("nianbao_base") or listing.base}
        # stale is judged within the column's own walk where there is one: a page whose entries a home page's
        # latest box already showed still brings the column new entries
        if walk is not None:
            fresh = walk.last_new
        if in_column and (fresh or not paged) and not stop:
            # a listing that may stop at known reports is walked one page at a time, so that a run of them can
            # stop it before the later pages are asked for; any other listing has all its pages asked at once
            page_links = listing.page_links
            if any(flags) and may_stop:
                page_links = [u for u in page_links if not _index_aliases(u) & self._walked[site]][:1]
            guessed = set(listing.guessed_pages)
            for url in page_links:
                if self._on_site(url, site) and self._count_listing(site, walk, url):
                    request = self._request(url, "column", site=site, hop=hop, referer=response.url, paged=True)
                    request.meta.update(nianbao_known_run=run, nianbao_guessed=url in guessed, **meta)
                    yield request
            for form in listing.form_pages:
                key = ("POST", form.url, tuple(form.formdata))
                if self._on_site(form.url, site) and self._first_time(site, key) and self._count_listing(site, walk):
                    yield self._listing_form(form.url, "POST", form.formdata, site, hop, response.url,
                                             {**meta, "nianbao_base": listing.base})
            yield from self._postback_requests(response, listing, site, hop, walk)
            yield from self._paging_form_requests(response, listing, site, hop, walk, text, meta)
        elif in_column and (listing.page_links or listing.form_pages or listing.postbacks):
            logger.info("nianbao: %s brought no new report links; not following its pages", response.url)
            self.crawler.stats.inc_value("nianbao/listing/stale_page")

    def _listing_form(self, url, method, formdata, site, hop, referer, meta):
        """A later page of a column asked for by a form, as the page's own script sends it."""
        return scrapy.FormRequest(url, method=method, formdata=formdata, callback=self.parse_listing,
                                  errback=self.on_error,
                                  meta=self._meta("column", site, hop, nianbao_paged=True, **meta),
                                  headers={"Referer": referer, "X-Requested-With": "XMLHttpRequest"})

    def _paging_form_requests(self, response, listing, site, hop, walk, text, meta):
        """A list paged by a form (PagingForm): from the page that carries the form, the form sent for page 1 when
        the page shows no entries of its own (a script loads them), else for pages 2 … N; from the answer to
        such a form, pages 2 … N by the same form. N: the pages the page states, or its total over this page's
        entries, or the highest page its script pager names."""
        template = response.meta.get("nianbao_paging_form")
        forms = [(f, bool(listing.report_links)) for f in listing.paging_forms]
        if template and not forms:
            forms = [(PagingForm(template["url"], template["method"], tuple(map(tuple, template["fields"])),
                                 template["page_field"]), True)]
        if not forms:
            return
        stated = stated_figures(text) if text else Stated()
        last = max(filter(None, [stated.pages, listing.js_last_page,
                                 -(-stated.total // len(listing.report_links)) if stated.total and listing.report_links
                                 else None]), default=1)
        last = min(last, self.max_listing_pages)
        for form, has_page in forms:
            for number in (range(2, last + 1) if has_page else [1]):
                formdata = form.page(number)
                key = (form.method, form.url, tuple(formdata))
                if not (self._on_site(form.url, site) and self._first_time(site, key)
                        and self._count_listing(site, walk)):
                    continue
                form_meta = {**meta, "nianbao_paging_form": {"url": form.url, "method": form.method,
                                                              "fields": [list(f) for f in form.fields],
                                                              "page_field": form.page_field}}
                if form.method == "POST":
                    form_meta["nianbao_base"] = response.meta.get("nianbao_base") or listing.base
                yield self._listing_form(form.url, form.method, formdata, site, hop, response.url, form_meta)

    def _stop_at_known(self, response, site, listing_url, listing, flags, best, paged, walk=None) -> tuple[bool, bool]:
        """(stop here, may stop at all): a walk stops at a run of NIANBAO_KNOWN_RUN reports the store knows,
        in a listing that is newest first (not re-ordered since the last walk, no new report below a known
        one, no more entries stated than the last full walk found), after a run that ended normally."""
        store = self._store()
        record = store.listing(listing_url)
        # only a page with known reports could stop the walk: only there is walking through a decision
        why = self._walk_through(record, walk.expected if walk is not None else None) \
            if self._may_stop_early() and any(flags) else None
        if why:
            logger.info("nianbao: %s %s: walking it through", response.url, why)
            self.crawler.stats.inc_value("nianbao/listing/walked_through")
            return False, False
        # in a column every report link is followed, on the site or not (_may_fetch_report): flags match them all
        on_page = [link.url for link in listing.report_links]
        unordered = unordered_page(flags)
        if not paged:
            previous = json.loads(record["first_urls"]) if record and record["first_urls"] else []
            known_urls = [u for u, k in zip(on_page, flags) if k]
            unordered = unordered or reordered(known_urls, previous)
            store.save_listing(listing_url, site, on_page, unordered)
        elif unordered:
            store.save_listing(listing_url, site, json.loads(record["first_urls"] or "[]") if record else [], True)
        if unordered or (record and record["unordered"]) or not self._may_stop_early():
            return False, False
        if best >= self.known_run:
            logger.info("nianbao: %s: %d known reports in a row; not walking further", response.url, best)
            self.crawler.stats.inc_value("nianbao/listing/stopped_at_known")
            return True, True
        return False, True

    def _walk_through(self, record: dict | None, expected: int | None) -> str | None:
        """Why a re-crawl must walk a column through although its first pages are known, or None.

        A back-dated report inserted below known ones without a re-sort changes nothing on the first pages.
        The column may say so in its figures (more entries stated, or implied by its page count, than its last
        full walk found); when its figures say nothing, a column not walked through for
        NIANBAO_WALK_THROUGH_DAYS is walked through anyway, so such a report waits that long at most."""
        if record is None:
            return None
        if expected and record.get("found") is not None and expected > record["found"]:
            return f"states {expected} entries, {record['found']} at its last full walk"
        checked = record.get("checked_at")
        if checked is None:
            # completeness is judged by a single process only (a distributed worker never sees a whole walk)
            return "was never walked through to its end" if self.completeness else None
        age = datetime.now(timezone.utc) - datetime.fromisoformat(checked.replace("Z", "+00:00"))
        if age >= timedelta(days=self.walk_through_days):
            return f"was last walked through {age.days} days ago"
        return None

    def _postback_requests(self, response, listing, site, hop, walk=None):
        for postback in listing.postbacks:
            # a numbered page is the same page from wherever it is posted; "Next" depends on where it is
            absolute = postback.argument.removeprefix("Page$").isdigit()
            key = ("postback", response.url, postback.target, postback.argument,
                   None if absolute else hashlib.sha1(response.body).hexdigest())
            if not self._first_time(site, key) or not self._count_listing(site, walk):
                continue
            # the form that carries the page state (ASP.NET wraps the whole page in it); form2request is
            # what Scrapy 2.19 recommends over the deprecated FormRequest.from_response
            form = response.xpath('//form[.//input[@name="__VIEWSTATE"]]') or response.xpath("//form")
            if not form:
                # the walk knows it left pages out: the completeness check sends the column to the browser, and
                # records it short if that does not find them either
                logger.info("nianbao: cannot post back %s on %s: no <form>", postback.argument, response.url)
                if walk is not None:
                    walk.skip(f"postback page {postback.argument} without a <form>")
                continue
            data = form2request(form[0], {"__EVENTTARGET": postback.target, "__EVENTARGUMENT": postback.argument},
                                click=False)
            yield scrapy.Request(data.url, method=data.method, body=data.body,
                                 headers={**dict(data.headers), "Referer": response.url},
                                 callback=self.parse_listing, errback=self.on_error,
                                 meta=self._meta("column", site, hop, nianbao_paged=True,
                                                 nianbao_listing=response.meta.get("nianbao_listing") or response.url))

    def _first_time(self, site: str, key: tuple) -> bool:
        """Whether a POSTed listing page (dataproxy window, postback, list-API call) is new to the crawl: the
        dupefilter cannot tell, as their bodies carry per-response state (__VIEWSTATE ...). Shared by every
        worker of a distributed crawl."""
        if key in self._seen_forms[site]:
            return False
        self._seen_forms[site].add(key)
        return self.shared is None or self.shared.first_time(site, key)

    def _count_listing(self, site: str, walk: ColumnWalk | None = None, url: str | None = None) -> bool:
        """Whether one more listing page of the site may be asked for (NIANBAO_MAX_LISTING_PAGES); a column
        whose walk the cap cuts is marked so, and reported incomplete. `url`: a GET page, counted once however
        many pages link it (every page of a 60-page column names the other 59; the dupefilter drops the rest)."""
        if url is not None:
            if url in self._counted[site]:
                return True
            self._counted[site].add(url)
        if self._take_listing(site):
            return True
        if walk is not None:
            walk.capped = True
        return False

    def _take_listing(self, site: str) -> bool:
        if self.shared is not None:
            # the per-site caps hold for the whole crawl, not per worker
            if self.shared.take(site, "listing", self.max_listing_pages):
                return True
            self.crawler.stats.inc_value("nianbao/listing/cap_reached")
            return False
        if self._listing_pages[site] >= self.max_listing_pages:
            self.crawler.stats.inc_value("nianbao/listing/cap_reached")
            return False
        self._listing_pages[site] += 1
        return True

    @staticmethod
    def _fetch_fields(response) -> dict:
        """What FetchedPage and FetchedFile record of any fetch: the URL as linked, the exchange as it was."""
        return {"url": canonicalize(response.request.meta.get("redirect_urls", [response.request.url])[0]),
                "final_url": response.url, "status": response.status, "headers": _headers(response.headers),
                "request_headers": _headers(response.request.headers), "body": response.body,
                "fetched_at": utcnow()}

    def parse_article(self, response):
        crashpoint("download")
        meta = response.meta
        if meta.get("nianbao_recheck") and self._rechecked(response):
            return
        item = FetchedPage(
            **self._fetch_fields(response),
            site=meta["nianbao_site"],
            method=response.request.method,
            referer=(response.request.headers.get("Referer") or b"").decode("latin-1") or None,
            force=meta.get("nianbao_force", False),
            listed_date=meta.get("nianbao_listed"),
        )
        links = []
        if isinstance(response, TextResponse):
            try:
                decoded = decode_html(response.body, response.headers.get("Content-Type", b"").decode("latin-1"))
                links = attachment_links(decoded.text, response.url)
                if len(links) > MAX_ATTACHMENTS:
                    links = links[:MAX_ATTACHMENTS]
                    yield FetchFailure(url=response.url, stage="attachment", site=meta["nianbao_site"],
                                       reason=f"more than {MAX_ATTACHMENTS} files or page images; only the first "
                                              f"{MAX_ATTACHMENTS} fetched")
                # the article's own further pages come first: the report's text is all of them, in order
                links = [AttachmentLink(url, f"page {n}", "page")
                         for n, url in enumerate(continuation_pages(decoded.text, response.url), start=2)] + links
                # file links only a script opens (onclick="downloadFile('…')"): a browser clicks them
                scripted = script_download_anchors(decoded.text)
                # the title alone rejects the page (a look-alike): its files are not fetched; the classify
                # pipeline records the decision as for any page (read once, and only for a page with files)
                if (links or scripted) and title_verdict(extract_page(decoded.text, response.url).title) is not None:
                    self.crawler.stats.inc_value("nianbao/attachment/skipped_lookalike", len(links))
                    links, scripted = [], []
                if scripted:
                    if self.browser != "never" and self._count_render(meta["nianbao_site"]):
                        yield self._script_download_request(response, item, links, scripted)
                        return
                    yield FetchFailure(url=response.url, stage="attachment", site=meta["nianbao_site"],
                                       reason=f"{len(scripted)} file link(s) opened by a script not followed "
                                              f"({'NIANBAO_BROWSER is never' if self.browser == 'never' else 'render cap reached'})")
            except DecodeError:
                pass      # the extract pipeline records the page's decode failure
        yield self._next_attachment(item, links)

    def _script_download_request(self, response, item, links, scripted):
        """The article again, in Chromium, to click the file links its scripts open (parse_script_downloads)."""
        meta = self._meta("article", item.site, playwright=True, playwright_include_page=True,
                          nianbao_item=item, nianbao_links=links, nianbao_scripted=scripted,
                          **{RENDER_META: "script_download"})
        return scrapy.Request(response.url, callback=self.parse_script_downloads, errback=self.on_script_download_error,
                              meta=meta, dont_filter=True, priority=20)

    async def parse_script_downloads(self, response):
        """Click each script-opened file link and keep the URL the click asks for; then fetch the article's files."""
        page = response.meta.get("playwright_page")
        item, links = response.meta["nianbao_item"], list(response.meta["nianbao_links"])
        found = []
        if page is not None:
            asked: list = []
            page.on("request", lambda request: asked.append(request))
            try:
                anchors = page.locator("a[onclick]")
                for index, label in response.meta["nianbao_scripted"]:
                    before = len(asked)
                    try:
                        await anchors.nth(index).click(timeout=3000)
                        await page.wait_for_timeout(300)
                    except Exception as exc:       # the click itself failed: said below, with the others
                        logger.debug("nianbao: clicking %r on %s: %s", label, response.url, exc)
                    urls = [r.url for r in asked[before:] if r.resource_type in ("document", "other", "xhr", "fetch")
                            and is_valid_http_url(r.url) and canonicalize(r.url) != canonicalize(response.url)]
                    if urls:
                        found.append(AttachmentLink(canonicalize(urls[0]), label, "maybe"))
                    else:
                        yield FetchFailure(url=response.url, stage="attachment", site=item.site,
                                           reason=f"clicking the file link {label!r} asked for no file")
            finally:
                await page.close()
        self.crawler.stats.inc_value("nianbao/attachment/script_download", len(found))
        yield self._next_attachment(item, links + [f for f in found if f.url not in {link.url for link in links}])

    def on_script_download_error(self, failure):
        meta = failure.request.meta
        stage, reason = describe_failure(failure)
        yield FetchFailure(url=failure.request.url, stage="attachment", site=meta.get("nianbao_site"),
                           reason=f"script-opened file links not followed: {reason}")
        yield self._next_attachment(meta["nianbao_item"], meta["nianbao_links"])

    def _next_attachment(self, item: FetchedPage, links):
        """The request for the next attachment of `item`, or the item itself when all were fetched."""
        if not links:
            return item
        link, rest = links[0], links[1:]
        meta = {"nianbao_site": item.site, "nianbao_role": "attachment", "nianbao_item": item,
                "nianbao_rest": rest, "nianbao_link": link}
        # dont_filter: two reports may attach the same file, and each must get it
        return scrapy.Request(link.url, callback=self.parse_attachment, errback=self.attachment_error, meta=meta,
                              headers={"Referer": item.final_url}, dont_filter=True, priority=20)

    def parse_attachment(self, response):
        meta = response.meta
        link = meta["nianbao_link"]
        item = meta["nianbao_item"]
        item.attachments.append(FetchedFile(**self._fetch_fields(response), label=link.label, link_kind=link.kind))
        yield self._next_attachment(item, meta["nianbao_rest"])

    def attachment_error(self, failure):
        meta = failure.request.meta
        stage, reason = describe_failure(failure)
        url = meta.get("redirect_urls", [failure.request.url])[0]
        yield FetchFailure(url=url, stage="attachment", reason=reason, site=meta.get("nianbao_site"))
        yield self._next_attachment(meta["nianbao_item"], meta["nianbao_rest"])

    def on_error(self, failure):
        request = failure.request
        stage, reason = describe_failure(failure)
        # the URL as it was linked, not the hop of a redirect chain where it failed
        url = request.meta.get("redirect_urls", [request.url])[0]
        status = getattr(getattr(failure.value, "response", None), "status", None)
        if request.meta.get("nianbao_guessed") and status in (404, 410):
            # a page only the list's URL template implied (index_1 where the site numbers from 2): the guess
            # missed, nothing of the site's is lost; the column's count still judges the walk
            logger.info("nianbao: %s (a page guessed from the pager's URL template) does not exist", url)
            self.crawler.stats.inc_value("nianbao/listing/guess_missed")
            return
        yield FetchFailure(url=url, stage=stage, reason=reason, site=request.meta.get("nianbao_site"))
        if request.meta.get("nianbao_role") == "start":
            self._failed_starts.add(request.meta.get("nianbao_site"))   # its failure says why nothing was found
        start = request.meta.get("nianbao_start")
        if start and start not in self._walked[request.meta["nianbao_site"]]:
            # a remembered column failed (moved, removed): discover the site's columns from its start URL
            self._starts.setdefault(request.meta["nianbao_site"], start)
            yield self._request(start, "start", site=request.meta["nianbao_site"], hop=0)

    # -- completeness: the ladder a short column climbs when the crawl goes idle -----------------------------
    def on_idle(self, spider=None):
        """spider_idle: judge every column walked; escalate the short ones one rung, record the rest."""
        scheduled = []
        for walk in self.columns:
            if walk.finished:
                continue
            if walk.stopped_early or self.columns.is_parent(walk):
                walk.finished = True
                continue
            if walk.complete or walk.capped:
                # a walk the user's page cap stopped is not climbed further: it is recorded as cut short
                self._finish_column(walk)
                continue
            while not walk.finished:
                rung = walk.next_rung()
                if rung is None:
                    self._finish_column(walk)
                    break
                requests, why_not = self._escalate(walk, rung)
                walk.tried.append(rung if requests else f"{rung} ({why_not})")
                if requests:
                    logger.info("nianbao: column %s: found %d%s; trying %s", walk.url, len(walk.found),
                                f" of {walk.expected}" if walk.expected is not None else "", rung)
                    self.crawler.stats.inc_value(f"nianbao/listing/escalated/{rung}")
                    scheduled += requests
                    break
        if not scheduled:
            scheduled = self._discovery_checks()
        for request in scheduled:
            self.crawler.engine.crawl(request)
        if scheduled:
            raise DontCloseSpider

    def _escalate(self, walk: ColumnWalk, rung: str) -> tuple[list, str]:
        """The requests of one rung for a short column, or none and why not."""
        if rung == "api":
            requests = []
            for call in script_calls(walk.first_html, walk.url):
                key = (call.method, call.url, None)
                if not self._first_time(walk.site, key) or not self._count_listing(walk.site, walk):
                    continue
                meta = self._meta("column", walk.site, 0, nianbao_paged=True, nianbao_listing=walk.url,
                                  nianbao_method="api", nianbao_column=True, nianbao_base=walk.base or None,
                                  nianbao_api=asdict(ApiCall(call.url, call.method, None, None)))
                requests.append(scrapy.Request(call.url, method=call.method, callback=self.parse_listing,
                                               errback=self.on_error, meta=meta,
                                               headers={"Referer": walk.url, "X-Requested-With": "XMLHttpRequest"}))
            return requests, "no data call in the page's scripts"
        if self.browser == "never":
            return [], "NIANBAO_BROWSER is never"
        if not self._count_render(walk.site):
            return [], "render cap reached"
        return [self._explore_request(walk.url, "column", site=walk.site, hop=0, listing=walk.url)], ""

    def _finish_column(self, walk: ColumnWalk) -> None:
        walk.finished = True
        self.crawler.stats.inc_value("nianbao/listing/columns")
        self._store().save_completeness(walk.url, walk.site, **walk.record())
        if walk.complete:
            return
        self.crawler.stats.inc_value("nianbao/listing/incomplete")
        record_failure(self.crawler, walk.url, "listing", walk.shortfall(), walk.site)

    def _discovery_checks(self) -> list:
        """A start URL that led to no column with entries (whatever report links it met elsewhere): explored in
        Chromium once, then a recorded failure naming what was tried."""
        out = []
        for site, start in self._starts.items():
            if site in self._failed_starts or start in self._judged_starts:
                continue
            # reports met outside any column (a home page's latest box) are not the site's list of them
            if any(w.found for w in self.columns.of_site(site)):
                continue
            loose = len(self._seen_reports[site])
            if start not in self._explored and self.browser != "never" and self._count_render(site):
                self._explored.add(start)
                logger.info("nianbao: no report column found from %s; exploring it in Chromium", start)
                self.crawler.stats.inc_value("nianbao/discovery/explored")
                out.append(self._explore_request(start, "start", site=site, hop=0))
                continue
            self._judged_starts.add(start)
            tried = "static walk" + (", Chromium exploration" if start in self._explored else
                                     " (no browser: " + ("NIANBAO_BROWSER is never" if self.browser == "never"
                                                         else "render cap reached") + ")")
            found = f" ({loose} report links met outside any column)" if loose else ""
            record_failure(self.crawler, start, "discovery",
                           f"no report column found{found}: walked {self._listing_pages[site]} listing pages, "
                           f"rendered {self._renders[site]}; tried {tried}", site)
        return out

    def _explore_request(self, url, role, *, site, hop, listing=None):
        captures: list = []

        async def on_response(response):
            await capture_response(response, captures)

        meta = self._meta(role, site, hop, playwright=True, playwright_include_page=True, nianbao_listing=listing,
                          nianbao_method="browser", nianbao_captures=captures,
                          playwright_page_event_handlers={"response": on_response},
                          playwright_page_methods=[PageMethod("wait_for_load_state", "networkidle")],
                          **{RENDER_META: "explore"})
        return scrapy.Request(url, callback=self.parse_explored, errback=self.on_error, meta=meta, dont_filter=True)

    async def parse_explored(self, response):
        """A page operated in Chromium (crawler.discover.exploration): every state it showed is read as a
        listing; the data calls it made are read too, and replayed without the browser for later pages."""
        page = response.meta.get("playwright_page")
        site, role, hop = response.meta["nianbao_site"], response.meta["nianbao_role"], response.meta["nianbao_hop"]
        walk = self.columns.get(response.meta.get("nianbao_listing"))
        snapshots, captures = [(response.url, response.text)], response.meta.get("nianbao_captures", [])
        rendered_links: set[str] = set()
        blocked = self._still_challenged(response, site, "; not explored")
        if blocked is not None:
            if page is not None:
                await page.close()
            yield blocked
            return
        if page is not None:
            try:
                result = await explore(page, captures, max_actions=self.explore_actions)
                snapshots, captures = result.snapshots or snapshots, result.captures
                rendered_links = result.links
                self.crawler.stats.inc_value("nianbao/browser/actions", len(result.actions))
            except Exception as exc:        # the page crashed or closed under us: what loaded still counts
                logger.warning("nianbao: exploring %s stopped: %s", response.url, exc)
            finally:
                await page.close()
        self.crawler.stats.inc_value("nianbao/browser/explored")
        page_base = None        # the answers of the page's calls land in its DOM: their links resolve against it
        for url, html in snapshots:
            listing = analyse_listing(html, url, column=walk is not None)
            page_base = page_base or listing.base
            for out in self._read_explored(listing, html, site, role, hop, walk, response.url):
                yield out
        for capture in captures:
            if "json" in capture.content_type or capture.text.lstrip()[:1] in "[{":
                try:
                    data = json.loads(capture.text)
                except ValueError:
                    continue
                template = None
                api_page = read_api_page(data, capture.url)
                if not api_page.records:
                    # records with only an id: the links the page drew from them show how they are linked
                    template = learn_link_template(data, rendered_links)
                    api_page = read_api_page(data, capture.url, template) if template else api_page
                if not api_page.records:
                    continue
                in_column = walk is not None
                if walk is not None:
                    walk.note_page([r.url for r in api_page.records],
                                   Stated(total=api_page.total, source=f"total {api_page.total} in the list API's answer")
                                   if api_page.total else None, method="api")
                for out in self._api_articles(api_page, in_column, site, response.url):
                    yield out
                call = ApiCall(capture.url, capture.method, capture.body, capture.request_content_type)
                following = next_api_call(call, api_page, len(api_page.records))
                if following is not None and self._first_time(site, (following.method, following.url, following.body)):
                    request = self._api_request(following, site=site, hop=hop, in_column=in_column,
                                                seen=len(api_page.records), referer=response.url)
                    request.meta.update(nianbao_api_previous=[r.url for r in api_page.records],
                                        nianbao_listing=walk.url if walk is not None else None,
                                        nianbao_link_template=asdict(template) if template else None)
                    yield request
            elif "html" in capture.content_type or capture.text.lstrip().startswith("<"):
                listing = analyse_listing(capture.text, capture.url, column=walk is not None,
                                          base=None if _WHOLE_DOCUMENT_RE.search(capture.text[:4000]) else page_base)
                for out in self._read_explored(listing, capture.text, site, role, hop, walk, response.url):
                    yield out

    def _read_explored(self, listing, html, site, role, hop, walk, referer):
        """Follow what one rendered state (or fragment) of an explored page offers."""
        if walk is not None:
            walk.note_page([link.url for link in listing.report_links], stated_figures(html), method="browser")
            yield from self._articles([(link.url, link.date) for link in listing.report_links], site, referer)
            yield from self._columns_and_hubs(listing, site, True, hop, referer)   # sub-columns drawn by script
            return
        in_column = self._in_column(role, listing)
        yield from self._columns_and_hubs(listing, site, in_column, hop, referer)
        links = listing.report_links if in_column else [
            link for link in listing.report_links if LINK_NAMES_REPORT_RE.search(f"{link.text} {link.title}")]
        yield from self._articles([(link.url, link.date) for link in links], site, referer)

    def _api_articles(self, page, in_column: bool, site: str, referer: str):
        """Article requests for a list API page's records: all of them in a column, else those naming a report."""
        records = [r for r in page.records if in_column or LINK_NAMES_REPORT_RE.search(r.title)]
        yield from self._articles([(r.url, parse_date(r.date) if r.date else None) for r in records], site, referer,
                                  in_column)

    def _may_fetch_report(self, url: str, site: str, in_column: bool) -> bool:
        """A report link is fetched when it is on the site, or when the site's own report column lists it on
        another host (a county's column linking its reports on the city's disclosure platform or file server):
        the column is the agency's list of its reports. Another portal's report named on a home page or a hub
        is that portal's, and is only counted here."""
        if self._on_site(url, site):
            return True
        if in_column:
            self.crawler.stats.inc_value("nianbao/listing/offsite_reports")
            return True
        self.crawler.stats.inc_value("nianbao/listing/offsite_links")
        return False

    def _articles(self, links, site, referer, in_column: bool = False):
        """Article requests for (url, listed date) pairs not scheduled yet and not known to the store."""
        known = self._known_pages(site)
        for url, listed in links:
            if not self._may_fetch_report(url, site, in_column) or url in self._seen_reports[site]:
                continue
            self._seen_reports[site].add(url)
            if url not in known:
                yield self._request(url, "article", site=site, referer=referer, listed=listed)
