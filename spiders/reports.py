"""The `reports` spider: walk portals to their annual-report columns and yield every candidate report page.

Spider arguments (`-a NAME=VALUE`, or keyword arguments from `nianbao crawl/backfill`):
  start_urls      comma-separated portal home pages or report column pages to crawl
  backfill_urls   comma-separated report page URLs fetched directly (no listing walk)
  force           "1" to feed backfilled pages even when the classifier rejects them

Request meta keys:
  nianbao_site    host of the start URL the request descends from (per-site caps, the feed's `site`)
  nianbao_role    start | hub | column | article
  nianbao_hop     hub pages walked so far on the way to a column
  nianbao_force   feed this page whatever the classifier says (backfill --force)

All page analysis lives in crawler.listing / crawler.encoding; this module only unpacks responses.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from crawler.encoding import DecodeError, decode_html
from crawler.items import FetchedPage, FetchFailure
from crawler.listing import analyse_listing
from crawler.storage import utcnow
from crawler.urls import canonicalize, is_valid_http_url
from spiders.failures import describe_failure

logger = logging.getLogger(__name__)


def _split_arg(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [v.strip() for v in value if v and v.strip()]


def _headers(headers) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in headers.items() for v in vs]


class ReportsSpider(scrapy.Spider):
    name = "reports"

    def __init__(self, start_urls=None, backfill_urls=None, force=False, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [canonicalize(u) for u in _split_arg(start_urls)]
        self.backfill_urls = [canonicalize(u) for u in _split_arg(backfill_urls)]
        self.force = str(force).lower() in ("1", "true", "yes")
        self._listing_pages = defaultdict(int)     # site -> listing pages requested
        self._seen_reports = defaultdict(set)      # site -> report URLs already scheduled

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.max_listing_pages = s.getint("NIANBAO_MAX_LISTING_PAGES")
        spider.discovery_hops = s.getint("NIANBAO_DISCOVERY_HOPS")
        return spider

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        # An honest User-Agent with a contact URL, unless the user chose one (cmdline/project priority).
        if (settings.getpriority("USER_AGENT") or 0) < 20:
            agent = settings.get("NIANBAO_USER_AGENT").format(contact_url=settings.get("NIANBAO_CONTACT_URL"))
            settings.set("USER_AGENT", agent, priority="spider")

    async def start(self):
        for url in self.start_urls + self.backfill_urls:
            if not is_valid_http_url(url):
                yield FetchFailure(url=url, stage="argument", reason="not an http(s) URL", site=None)
        for url in self.start_urls:
            if is_valid_http_url(url):
                yield self._request(url, "start", site=urlsplit(url).netloc, hop=0)
        for url in self.backfill_urls:
            if is_valid_http_url(url):
                yield self._request(url, "article", site=urlsplit(url).netloc, force=self.force)

    # -- requests -------------------------------------------------------------------------------
    def _request(self, url, role, *, site, hop=0, force=False, referer=None):
        callback = self.parse_article if role == "article" else self.parse_listing
        meta = {"nianbao_site": site, "nianbao_role": role, "nianbao_hop": hop, "nianbao_force": force}
        headers = {"Referer": referer} if referer else None
        # Articles first: a report found is worth more than the next listing page.
        return scrapy.Request(url, callback=callback, errback=self.on_error, meta=meta, headers=headers,
                              priority=10 if role == "article" else 0)

    def _on_site(self, url: str, site: str) -> bool:
        return urlsplit(url).netloc == site

    # -- callbacks ------------------------------------------------------------------------------
    def parse_listing(self, response):
        site = response.meta["nianbao_site"]
        role = response.meta["nianbao_role"]
        hop = response.meta["nianbao_hop"]
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
        listing = analyse_listing(decoded.text, response.url, encoding=decoded.encoding)
        in_column = role == "column" or listing.is_report_column

        for link in listing.column_links:
            if self._on_site(link.url, site) and self._count_listing(site):
                yield self._request(link.url, "column", site=site, hop=hop, referer=response.url)
        if not listing.column_links and not in_column and hop < self.discovery_hops:
            for link in listing.hub_links:
                if self._on_site(link.url, site) and self._count_listing(site):
                    yield self._request(link.url, "hub", site=site, hop=hop + 1, referer=response.url)

        new = 0
        for link in listing.report_links:
            if not self._on_site(link.url, site):
                continue
            if link.url in self._seen_reports[site]:
                continue
            self._seen_reports[site].add(link.url)
            new += 1
            yield self._request(link.url, "article", site=site, referer=response.url)

        # A page that brings no new report is the end of the column or a pagination trap: stop there.
        if in_column and new:
            for url in listing.page_links:
                if self._on_site(url, site) and self._count_listing(site):
                    yield self._request(url, "column", site=site, hop=hop, referer=response.url)
        elif in_column and listing.page_links and not new:
            logger.info("nianbao: %s brought no new report links; not following its %d page links",
                        response.url, len(listing.page_links))
            self.crawler.stats.inc_value("nianbao/listing/stale_page")

    def _count_listing(self, site: str) -> bool:
        if self._listing_pages[site] >= self.max_listing_pages:
            self.crawler.stats.inc_value("nianbao/listing/cap_reached")
            return False
        self._listing_pages[site] += 1
        return True

    def parse_article(self, response):
        meta = response.meta
        yield FetchedPage(
            url=canonicalize(response.request.meta.get("redirect_urls", [response.request.url])[0]),
            final_url=response.url,
            status=response.status,
            headers=_headers(response.headers),
            request_headers=_headers(response.request.headers),
            body=response.body,
            fetched_at=utcnow(),
            site=meta["nianbao_site"],
            method=response.request.method,
            referer=(response.request.headers.get("Referer") or b"").decode("latin-1") or None,
            force=meta.get("nianbao_force", False),
        )

    def on_error(self, failure):
        request = failure.request
        stage, reason = describe_failure(failure)
        # the URL as it was linked, not the hop of a redirect chain where it failed
        url = request.meta.get("redirect_urls", [request.url])[0]
        yield FetchFailure(url=url, stage=stage, reason=reason, site=request.meta.get("nianbao_site"))
