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

from scrapy.core.downloader.contextfactory import _openssl_methods
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

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

    async def _maybe_launch_in_thread(self) -> None:
        return None          # not at engine start: see _download_request

    def _engine_started(self):   # the pre-2.14 signal hook
        return None

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

    async def _close(self) -> None:
        if self._started:
            await super()._close()
