"""Get past anti-bot challenges: clear once in Chromium, then reuse the clearance for plain requests.

A response that crawler.discover.challenges recognises as a challenge (加速乐 521, 瑞数 412, a 200 shield page) or a
WAF block is not passed on. Instead the same URL is rendered in Chromium (scrapy-playwright), which runs
the challenge script; once the page no longer shows a challenge, the browser's cookies and User-Agent
become that host's clearance and the original request is sent again over plain HTTP, carrying them, so
that the archived bytes are the server's own, not a DOM serialisation. Later requests to the host carry
the clearance until the host challenges again (expired cookie), which starts one more clearing.

Never a loop: NIANBAO_CHALLENGE_MAX_CLEARS browser clearings per host that do not lead to a plain page
mark the host as failed; its requests then fail at once with the reason (one failure row each).
Requests that meet a challenge while the host is being cleared wait for that clearing instead of
starting their own. With NIANBAO_BROWSER = "never" a challenge is a recorded failure.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from crawler.discover.challenges import detect_challenge
from crawler.ops.resources import store_from_crawler
from spiders.browser import RENDER_META

logger = logging.getLogger(__name__)


class ChallengeFailed(IgnoreRequest):
    """A challenge that could not be cleared (or may not be: --browser never)."""


@dataclass
class Clearance:
    cookies: dict[str, str]
    user_agent: str
    cleared_at: float = field(default_factory=time.monotonic)


def _host(url: str) -> str:
    return urlsplit(url).netloc


def _merge_cookie_header(existing: bytes | None, cookies: dict[str, str]) -> str:
    pairs: dict[str, str] = {}
    for part in (existing or b"").decode("latin-1").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep:
            pairs[name] = value
    pairs.update(cookies)   # the browser's values win over stale ones from Scrapy's jar
    return "; ".join(f"{k}={v}" for k, v in pairs.items())


class ChallengeMiddleware:
    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.mode = s.get("NIANBAO_BROWSER")
        self.max_clears = s.getint("NIANBAO_CHALLENGE_MAX_CLEARS")
        self.wait = s.getfloat("NIANBAO_CHALLENGE_WAIT")
        self.store = store_from_crawler(crawler)
        self.clearances: dict[str, Clearance] = {}
        self.failed_clears: dict[str, int] = {}
        self.dead: dict[str, str] = {}                  # host -> why it cannot be cleared
        self.clearing: dict[str, asyncio.Event] = {}    # host -> set when its clearing ends
        self.noted: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def spider_closed(self, spider=None):
        for event in self.clearing.values():
            event.set()

    # -- requests ---------------------------------------------------------------------------------
    def process_request(self, request, spider=None):
        if request.meta.get("playwright"):
            return None
        host = _host(request.url)
        if host in self.dead:
            raise ChallengeFailed(self.dead[host])
        clearance = self.clearances.get(host)
        if clearance is not None:
            request.headers["User-Agent"] = clearance.user_agent
            if clearance.cookies:
                request.headers["Cookie"] = _merge_cookie_header(request.headers.get("Cookie"), clearance.cookies)
        return None

    # -- responses --------------------------------------------------------------------------------
    async def process_response(self, request, response, spider=None):
        host = _host(request.url)
        kind = request.meta.get(RENDER_META, "")
        if kind.startswith("challenge:"):
            return await self._browser_answer(request, response, host, kind.partition(":")[2])
        challenge = detect_challenge(response.status, response.body,
                                     response.headers.get("Content-Type", b"").decode("latin-1"))
        if challenge is None:
            if request.meta.get("playwright") or host not in self.failed_clears:
                return response
            self.failed_clears.pop(host, None)    # a plain page after a clearing: the clearing worked
            return response
        self.stats.inc_value(f"nianbao/challenge/{challenge.kind}")
        if request.meta.get("playwright"):
            return response       # a rendered listing still challenged: the render's own check handles it
        logger.info("nianbao: %s challenge at %s (%s)", challenge.kind, request.url, challenge.detail)
        if self.mode == "never":
            raise ChallengeFailed(f"{challenge.kind} challenge ({challenge.detail}); needs a browser, but "
                                  f"NIANBAO_BROWSER is never")
        if host in self.clearing:            # another request is clearing this host: wait, then retry
            await self.clearing[host].wait()
            return self._retry(request)
        attempts = self.failed_clears.get(host, 0)
        if attempts >= self.max_clears:
            reason = f"{challenge.kind} challenge not cleared after {attempts} browser tries ({challenge.detail})"
            self.dead[host] = reason
            self.store.note_host(host, "challenge_failed", reason)
            raise ChallengeFailed(reason)
        self.failed_clears[host] = attempts + 1
        self.clearing[host] = asyncio.Event()
        self.clearances.pop(host, None)
        return request.replace(dont_filter=True, meta={
            **request.meta, "playwright": True, "playwright_include_page": True,
            RENDER_META: f"challenge:{challenge.kind}", "nianbao_plain_meta": dict(request.meta)})

    def process_exception(self, request, exception, spider=None):
        # a clearing whose browser request failed must not leave other requests waiting for it
        if request.meta.get(RENDER_META, "").startswith("challenge:"):
            event = self.clearing.pop(_host(request.url), None)
            if event is not None:
                event.set()
        return None

    async def _browser_answer(self, request, response, host: str, kind: str):
        page = request.meta.get("playwright_page")
        try:
            cleared, cookies, agent = await self._wait_cleared(page)
        finally:
            if page is not None and not page.is_closed():
                await page.close()
            event = self.clearing.pop(host, None)
        if cleared:
            self.clearances[host] = Clearance(cookies, agent)
            self.stats.inc_value("nianbao/challenge/cleared")
            self._note(host, f"challenge:{kind}", f"cleared in Chromium; {len(cookies)} cookies reused")
            logger.info("nianbao: %s challenge at %s cleared in Chromium", kind, host)
        else:
            logger.warning("nianbao: %s challenge at %s did not clear in Chromium within %.0f s", kind, host,
                           self.wait)
        if event is not None:
            event.set()
        return self._retry(request, plain_meta=request.meta.get("nianbao_plain_meta"))

    async def _wait_cleared(self, page) -> tuple[bool, dict[str, str], str]:
        """Poll the rendered page until it shows no challenge (the script sets its cookie and reloads,
        sometimes twice) or NIANBAO_CHALLENGE_WAIT passes."""
        if page is None:
            return False, {}, ""
        deadline = time.monotonic() + self.wait
        while True:
            try:
                await page.wait_for_load_state("load", timeout=max(100, int(self.wait * 1000)))
                html = await page.content()
            except Exception:      # navigation in flight: the execution context was replaced; look again
                html = None
            if html is not None and detect_challenge(200, html.encode("utf-8", "replace"), "text/html") is None:
                cookies = {c["name"]: c["value"] for c in await page.context.cookies(page.url)}
                agent = await page.evaluate("navigator.userAgent")
                return True, cookies, agent
            if time.monotonic() >= deadline:
                return False, {}, ""
            await asyncio.sleep(0.25)

    def _retry(self, request, plain_meta=None):
        meta = dict(plain_meta if plain_meta is not None else request.meta)
        for key in ("playwright", "playwright_include_page", "playwright_page", RENDER_META, "nianbao_plain_meta"):
            meta.pop(key, None)
        return request.replace(dont_filter=True, meta=meta)

    def _note(self, host: str, need: str, detail: str) -> None:
        if (host, need) not in self.noted:
            self.noted.add((host, need))
            self.store.note_host(host, need, detail)
