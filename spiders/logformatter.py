"""What a crawl's log says: one line per fed report and per failure, no banner, tracebacks only at DEBUG.

Items carry whole response bodies, so they are logged by URL and outcome, never by repr. A failure is one
line (the spider records it in the store with its reason); its traceback is logged only at DEBUG, where it is
for the developer. At the default level Scrapy's start-up banner (versions, overridden settings, enabled
components) is dropped too; its closing stats dump stays (the figures behind the run's summary line).
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.logformatter import LogFormatter

__all__ = ["NianbaoLogFormatter", "QuietBanner", "QuietLog", "quiet_banner"]


class NianbaoLogFormatter(LogFormatter):
    def scraped(self, item, response, spider):
        # an item that reaches the end of the pipelines was fed: name it, one line each
        adapter = ItemAdapter(item)
        title = adapter.get("title") or "(untitled)"
        return {"level": logging.INFO, "msg": "nianbao: fed %(title)s <%(url)s>",
                "args": {"title": title, "url": adapter.get("url")}}

    def dropped(self, item, exception, response, spider):
        # DropItem messages are written by the pipelines as one line each; failures are warnings.
        level = getattr(exception, "log_level", None) or logging.INFO
        if isinstance(level, str):
            level = logging.getLevelName(level)
        return {"level": level, "msg": "nianbao: %(reason)s",
                "args": {"reason": str(exception)}}

    def download_error(self, failure, request, spider, errmsg=None):
        # the errback records the failure; this line is what the operator reads
        return {"level": logging.WARNING, "msg": "nianbao: failed %(request)s: %(error)s",
                "args": {"request": request, "error": errmsg or failure.getErrorMessage()}}


# Scrapy's start-up and closing chatter: (logger name, message start)
_BANNER = (
    ("scrapy.utils.log", "Scrapy "), ("scrapy.utils.log", "Versions"), ("scrapy.utils.log", "Using reactor"),
    ("scrapy.utils.log", "Using asyncio event loop"), ("scrapy.crawler", "Overridden settings"),
    ("scrapy.middleware", "Enabled "), ("scrapy.addons", "Enabled addons"), ("scrapy.core.engine", "Spider opened"),
    ("scrapy.core.engine", "Spider closed"), ("scrapy.core.engine", "Closing spider"),
    ("scrapy.extensions.telnet", ""),
    ("scrapy.crawler", "Crawled "), ("scrapy-playwright", ""), ("scrapy.extensions.remote_control", "Remote control"),
)
# Scrapy's own lines about a failure the spider then records and logs as one line of its own (ERROR or WARNING
# level: dropped below DEBUG all the same, the one line that follows says it): (logger, part of the message)
_REPEATS = (("scrapy.downloadermiddlewares.retry", "Gave up retrying"),
            ("scrapy.downloadermiddlewares.robotstxt", "Error downloading"),
            ("scrapy.core.downloader.handlers.http11", "Got data loss"),
            ("scrapy.core.downloader.handlers.http11", "larger than download max size"),
            # offline, tldextract (Scrapy's cookie domains) cannot refresh the public suffix list and uses the
            # snapshot it ships with: nothing the operator can act on
            ("tldextract", "Exception reading Public Suffix List"))


class QuietBanner(logging.Filter):
    """Below DEBUG: drop Scrapy's banner lines, and keep failures' tracebacks out of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if record.levelno < logging.WARNING and any(record.name.startswith(name) and message.startswith(start)
                                                     for name, start in _BANNER):
            return False
        if any(record.name == name and part in message for name, part in _REPEATS):
            return False
        if record.exc_info and record.levelno < logging.CRITICAL:
            # the message already names the failure; the traceback is for --log-level DEBUG
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_banner(level: str | int | None) -> None:
    """Unless the crawl logs at DEBUG: QuietBanner on the loggers of the banner (a logger's filter sees its
    records before any handler exists, so call this before the CrawlerProcess logs its first lines) and on the
    root handlers there are (so tracebacks of any logger stay out; call again once Scrapy installed its own)."""
    if level in ("DEBUG", logging.DEBUG):
        return
    quiet = QuietBanner()
    names = dict.fromkeys(name for name, _ in _BANNER + _REPEATS)
    for target in [logging.getLogger(name) for name in names] + list(logging.root.handlers):
        if not any(isinstance(f, QuietBanner) for f in target.filters):
            target.addFilter(quiet)


class QuietLog:
    """Extension, on with NIANBAO_QUIET_LOG (the nianbao command sets it): quiet_banner once the engine
    starts, when Scrapy has installed the root handler the crawl logs through (it replaces it per crawler)."""

    def __init__(self, level):
        self.level = level
        quiet_banner(level)

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("NIANBAO_QUIET_LOG"):
            raise NotConfigured
        ext = cls(crawler.settings.get("LOG_LEVEL"))
        crawler.signals.connect(ext.opened, signal=signals.engine_started)
        return ext

    def opened(self, *args, **kwargs) -> None:
        quiet_banner(self.level)
