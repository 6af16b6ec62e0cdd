"""Downloader middlewares nianbao adds to Scrapy's own."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from crawler.discover.urls import canonicalize


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


class RobotsCacheMiddleware:
    """Answer robots.txt requests from the store while the last answer is younger than
    NIANBAO_ROBOTS_CACHE_HOURS (RFC 9309 §2.4 allows caching up to 24 hours), so that a run soon after
    another does not ask every host again.  2xx and 4xx answers are kept; a 5xx (robots unreachable,
    "complete disallow" per the RFC) is asked again next time."""

    def __init__(self, store, hours: float, stats):
        self.store = store
        self.max_age = timedelta(hours=hours)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        from crawler.ops.resources import store_from_crawler

        hours = crawler.settings.getfloat("NIANBAO_ROBOTS_CACHE_HOURS")
        if hours <= 0 or not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        return cls(store_from_crawler(crawler), hours, crawler.stats)

    @staticmethod
    def _is_robots(request) -> bool:
        return request.meta.get("dont_obey_robotstxt") and urlsplit(request.url).path == "/robots.txt"

    def process_request(self, request, spider=None):
        if not self._is_robots(request):
            return None
        cached = self.store.cached_robots(urlsplit(request.url).netloc)
        if cached is None:
            return None
        fetched = datetime.fromisoformat(cached["fetched_at"].replace("Z", "+00:00"))
        if datetime.now(timezone.utc) - fetched > self.max_age:
            return None
        self.stats.inc_value("nianbao/robots/cached")
        return Response(request.url, status=cached["status"], body=cached["body"] or b"", request=request,
                        flags=["nianbao-robots-cache"])

    def process_response(self, request, response, spider=None):
        if self._is_robots(request) and "nianbao-robots-cache" not in response.flags and response.status < 500:
            self.store.save_robots(urlsplit(request.url).netloc, response.status, response.body)
        return response
