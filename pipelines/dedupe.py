"""Drop reports whose content is already known (same normalised text, or a near-duplicate repost),
recording the new URL against the known report."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.judge.dedupe import content_id, find_near_duplicate, signature
from crawler.items import FetchedPage
from crawler.ops.resources import store_from_crawler


class DedupePipeline:
    def __init__(self, store, stats, threshold: float):
        self.store = store
        self.stats = stats
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler):
        return cls(store_from_crawler(crawler), crawler.stats,
                   crawler.settings.getfloat("NIANBAO_NEAR_DUPLICATE_THRESHOLD"))

    def process_item(self, item, spider=None):
        if not isinstance(item, FetchedPage):
            return item
        adapter = ItemAdapter(item)
        adapter["report_id"] = content_id(adapter["text"])
        self.store.note_event(adapter["site"], "found", adapter["url"], adapter["report_id"])
        page = self.store.page(adapter["url"])
        if page is not None and (page["text_id"] or page["report_id"]) == adapter["report_id"]:
            # a known page with the same normalised text (another view count, a new banner): unchanged
            self.store.touch_page(adapter["url"])
            self.store.note_event(adapter["site"], "unchanged", adapter["url"], adapter["report_id"], "same text")
            self.stats.inc_value("nianbao/recheck/unchanged")
            raise DropItem(f"unchanged: {adapter['url']} (report {adapter['report_id'][:12]})", log_level="DEBUG")
        if page is not None and not self.store.has_report(adapter["report_id"]):
            # the text at a known URL changed: a new version of that report, fed whatever it resembles
            adapter["revision"] = page["revision"] + 1
            adapter["previous_id"] = page["report_id"]
            adapter["signature"] = signature(adapter["text"])
            return item
        if self.store.unfed(adapter["report_id"]):
            return item         # claimed by a run killed before its feed line: the feed pipeline recovers it
        if self.store.has_report(adapter["report_id"]):
            relation, known_id, sim = "same_content", adapter["report_id"], 1.0
        else:
            # the MinHash is only worth its cost for a text not seen before
            adapter["signature"] = signature(adapter["text"])
            near = find_near_duplicate(self.store, adapter["signature"], adapter["year"], adapter["agency"],
                                       self.threshold)
            if near is None:
                return item
            relation, (known_id, sim) = "near_duplicate", near
        self.store.add_report_url(known_id, adapter["url"], adapter["sha256"], relation)
        if page is None:
            # a repost or copy is a known page too: re-checked like the original, a revision there if it changes
            headers = {name.lower(): value for name, value in adapter["headers"]}
            self.store.save_page(adapter["url"], adapter["site"], known_id, adapter["sha256"], revision=1,
                                 etag=headers.get("etag"), last_modified=headers.get("last-modified"),
                                 published=adapter["published"], changed=True, text_id=adapter["report_id"])
        self.stats.inc_value(f"nianbao/dedupe/{relation}")
        raise DropItem(f"duplicate: {adapter['url']} is {relation.replace('_', ' ')} of report {known_id[:12]}"
                       f" (similarity {sim:.2f})")
