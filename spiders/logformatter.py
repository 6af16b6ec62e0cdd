"""Log items by URL and outcome, never by repr: items carry whole response bodies."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy.logformatter import LogFormatter


class NianbaoLogFormatter(LogFormatter):
    def scraped(self, item, response, spider):
        return {"level": logging.DEBUG, "msg": "nianbao: fed %(url)s",
                "args": {"url": ItemAdapter(item).get("url")}}

    def dropped(self, item, exception, response, spider):
        # DropItem messages are written by the pipelines as one line each; failures are warnings.
        level = getattr(exception, "log_level", None) or logging.INFO
        if isinstance(level, str):
            level = logging.getLevelName(level)
        return {"level": level, "msg": "nianbao: %(reason)s",
                "args": {"reason": str(exception)}}
