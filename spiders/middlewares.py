"""Downloader middlewares nianbao adds to Scrapy's own."""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest

from crawler.urls import canonicalize


class RedirectLoopMiddleware:
    """Refuse a redirect whose target is already in the request's redirect chain.

    Scrapy's RedirectMiddleware would send the repeat back to the scheduler, whose dupefilter drops it
    silently: the loop would vanish without a failure on record. Raising here reaches the errback.
    """

    def process_response(self, request, response, spider=None):
        if response.status not in (301, 302, 303, 307, 308) or b"Location" not in response.headers:
            return response
        target = canonicalize(urljoin(request.url, response.headers["Location"].decode("latin-1")))
        chain = [canonicalize(u) for u in request.meta.get("redirect_urls", [])] + [canonicalize(request.url)]
        if target in chain:
            raise IgnoreRequest(f"redirect loop: {' -> '.join(chain + [target])}")
        return response
