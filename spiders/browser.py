"""Chromium through scrapy-playwright, started only when a request first needs it.

scrapy-playwright starts its Playwright driver when the engine starts, for every crawl. nianbao needs a
browser only for the few hosts whose lists are drawn by script or that sit behind a challenge, so this
handler defers the driver (and the browser) to the first request with `meta["playwright"]`. Requests
without it go through Scrapy's own HTTP/1.1 handler, unchanged. Chromium itself is Debian's, named by
PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"] (settings/default.py): nothing is downloaded.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from time import monotonic

from scrapy.core.downloader.contextfactory import _openssl_methods
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy_playwright.handler import _SCRAPY_ASYNC_API, ScrapyPlaywrightDownloadHandler

logger = logging.getLogger(__name__)

# Browser requests carry these meta keys (besides scrapy-playwright's own `playwright*` keys):
#   nianbao_render   why the page is rendered: "challenge:<kind>", "script_listing" or "always"
RENDER_META = "nianbao_render"


_HEAVY = frozenset({"image", "font", "media"})


def skip_heavy_resources(request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: abort sub-resources that only cost time."""
    return request.resource_type in _HEAVY


class LazyPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """ScrapyPlaywrightDownloadHandler whose driver and browser start on the first browser request."""

    def __init__(self, crawler):
        super().__init__(crawler)
        # Plain requests' TLS policy (NIANBAO_TLS_CONTEXT_FACTORY): set on the handler, the way Scrapy 2.19
        # means it, instead of the deprecated DOWNLOADER_CLIENTCONTEXTFACTORY setting.
        factory = crawler.settings.get("NIANBAO_TLS_CONTEXT_FACTORY")
        if factory:
            self._contextFactory = build_from_crawler(load_object(factory), crawler, method=_openssl_methods["TLS"])
        self._started = False
        self._start_lock = asyncio.Lock()
        self._share = HostShare(crawler)

    async def _maybe_launch_in_thread(self) -> None:
        return None          # not at engine start: see _download_request

    def _engine_started(self):   # the pre-2.14 signal hook
        return None

    if _SCRAPY_ASYNC_API:
        async def download_request(self, request):
            if request.meta.get("playwright"):
                return await super().download_request(request)      # its requests take places one by one
            place = await self._share.acquire(request)
            try:
                return await super().download_request(request)
            finally:
                self._share.release(place)

    async def _download_request(self, request, spider=None):
        if not self._started:
            async with self._start_lock:
                if not self._started:
                    missing = self._missing_browser()
                    if missing:
                        # one recorded failure per page that needed it, naming what to install, not
                        # Playwright's multi-line launch error
                        raise IgnoreRequest(missing)
                    logger.info("nianbao: starting Chromium for %s (%s)", request.url,
                                request.meta.get(RENDER_META, "playwright"))
                    await self._launch()
                    self._started = True
        self.stats.inc_value("nianbao/browser/pages")
        return await super()._download_request(request, spider)

    def _missing_browser(self) -> str | None:
        """Why Chromium cannot start here (not installed), or None."""
        options = self.config.launch_options if hasattr(self, "config") else {}
        path = (options or {}).get("executable_path") or "chromium"
        found = path if os.path.isabs(path) else shutil.which(path)
        if found and os.access(found, os.X_OK):
            return None
        return (f"needs Chromium, which is not installed ({path} not found; Debian package chromium; "
                f"`nianbao doctor` lists the tools)")

    def _make_request_handler(self, context_name, method, url, headers, body, encoding, spider,
                              initial_request_done):
        handler = super()._make_request_handler(context_name, method, url, headers, body, encoding, spider,
                                                initial_request_done)

        async def polite_handler(route, playwright_request):
            if self.abort_request and await _maybe_await(self.abort_request(playwright_request)):
                return await handler(route, playwright_request)       # aborted: never reaches the host
            url = playwright_request.url
            if not url.startswith(("http:", "https:")):
                return await handler(route, playwright_request)
            place = await self._share.acquire(Request(url), playwright_request.resource_type)
            try:
                await handler(route, playwright_request)
            except BaseException:
                self._share.forget(place)
                raise
            self._share.hold_until_done(place, playwright_request)

        return polite_handler

    async def _close(self) -> None:
        if self._started:
            await super()._close()


async def _maybe_await(value):
    return await value if asyncio.iscoroutine(value) else value


# Browser request types that are a page of their own or a data call (paced like the crawl's own requests);
# a page's scripts and styles load with it, as in any visitor's browser, and only share its concurrency.
_PACED = frozenset({"document", "xhr", "fetch", "eventsource", "websocket", "other"})
# How long a browser request holds its host's place at most, should its response never finish.
_HOLD_LIMIT = 60.0
_WAKE_LIMIT = 0.5


class HostShare:
    """One count of the requests on the wire to each host, for Scrapy's and the browser's requests alike.

    Chromium loads a rendered page's frames, scripts and data calls itself, outside Scrapy's downloader, so a
    host limited to CONCURRENT_REQUESTS_PER_DOMAIN saw that many requests from Scrapy and as many again from
    the browser; and Scrapy's own downloader, with no download delay, starts every queued request of a slot
    before any of them counts as transferring. Here every request waits for a place on its host (Scrapy's
    download slot: its concurrency, per-slot settings included) before it goes out. A render request holds no
    place itself (it only keeps its page open); its document and sub-requests each take one. Browser pages
    and data calls also wait out the slot's download delay and move its `lastseen`, so Scrapy's next request
    keeps the delay after them; while a browser request waits or runs it stands in the slot's `transferring`
    set, so Scrapy starts no request of its own in its place.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.on_wire: dict[str, int] = {}
        self._waiters: dict[str, list[asyncio.Future]] = {}      # host -> requests waiting for a place, in order
        self._pending: dict = {}          # page -> {browser request: its place}, until the request is done

    def _slot(self, request: Request):
        downloader = getattr(getattr(self.crawler, "engine", None), "downloader", None)
        if downloader is None:
            return None, None, None
        key, slot = downloader._get_slot(request)
        return downloader, key, slot

    async def acquire(self, request: Request, browser_type: str | None = None) -> "_Place | None":
        """Wait for a place on the request's host; `browser_type`: the resource type of a browser request."""
        downloader, key, slot = self._slot(request)
        if slot is None:
            return None
        place = _Place(key, slot, downloader, browser_type is not None)
        if place.browser:
            slot.transferring.add(place)      # Scrapy sees the place taken from now on
        delay = slot.download_delay() if browser_type in _PACED else 0.0
        while True:
            if self.on_wire.get(key, 0) >= slot.concurrency:
                # woken by the release of a place on this host (the timeout only guards a wake-up missed
                # when the slot's concurrency changed under us)
                waiter = asyncio.get_running_loop().create_future()
                self._waiters.setdefault(key, []).append(waiter)
                try:
                    await asyncio.wait_for(waiter, _WAKE_LIMIT)
                except asyncio.TimeoutError:
                    pass
                finally:
                    if waiter in self._waiters.get(key, ()):
                        self._waiters[key].remove(waiter)
                continue
            wait = max(0.0, slot.lastseen + delay - monotonic()) if delay else 0.0
            if not wait:
                break
            await asyncio.sleep(min(wait, _WAKE_LIMIT))
        self.on_wire[key] = self.on_wire.get(key, 0) + 1
        place.held = True
        if place.browser:
            slot.lastseen = monotonic()
            self.crawler.stats.inc_value("nianbao/browser/requests")
        return place

    def release(self, place: "_Place | None") -> None:
        if place is None or not place.held:
            return
        place.held = False
        self.on_wire[place.key] -= 1
        for waiter in self._waiters.get(place.key, ()):
            if not waiter.done():
                waiter.set_result(None)       # the next in line takes the place
                break
        if place.browser:
            place.slot.transferring.discard(place)
            # Scrapy may have queued requests for this host while the browser held its place: let them go
            process = getattr(place.downloader, "_process_queue", None)
            if process is not None:
                process(place.slot)

    def forget(self, place: "_Place | None") -> None:
        """A browser request that never went out (its route failed): its reservation goes."""
        if place is not None:
            if place.held:
                self.release(place)
            else:
                place.slot.transferring.discard(place)

    def hold_until_done(self, place: "_Place | None", playwright_request) -> None:
        """Keep the place until the browser is done with the request: its page says it finished or failed, or
        the page closed; _HOLD_LIMIT at most, should neither ever be said."""
        if place is None:
            return
        try:
            page = playwright_request.frame.page
        except Exception:  # noqa: BLE001 - a service worker's request has no frame: held for the limit only
            page = None
        if page is not None:
            pending = self._pending.get(page)
            if pending is None:
                pending = self._pending[page] = {}
                page.on("requestfinished", lambda request: self.release(pending.pop(request, None)))
                page.on("requestfailed", lambda request: self.release(pending.pop(request, None)))
                page.on("close", lambda _page: self._page_closed(_page))
            pending[playwright_request] = place
        asyncio.get_running_loop().call_later(_HOLD_LIMIT, self.release, place)

    def _page_closed(self, page) -> None:
        for place in (self._pending.pop(page, None) or {}).values():
            self.release(place)


class _Place:
    """A request's place on its host."""

    __slots__ = ("key", "slot", "downloader", "browser", "held")

    def __init__(self, key, slot, downloader, browser: bool):
        self.key, self.slot, self.downloader, self.browser = key, slot, downloader, browser
        self.held = False
