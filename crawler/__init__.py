"""nianbao's plain library: everything the Scrapy shells (spiders/, pipelines/) call, usable without a crawl.

Public API (import from the submodules named):
  crawler.listing.analyse_listing(html, url) -> Listing        report links, columns, hubs, pagination
  crawler.urls.canonicalize(url) -> str
  crawler.encoding.decode_html(body, content_type) -> Decoded  strict, never lossy
  crawler.extract.extract_page(html, url) -> Page              title + text without chrome
  crawler.metadata.extract_metadata(page, url) -> Metadata     agency, year reported on, published
  crawler.classify.classify(page, meta) -> Decision            report or look-alike, with reasons
  crawler.document.read_document(body, content_type, url) -> Document
  crawler.dedupe.content_id(text), signature(text), find_near_duplicate(...)
  crawler.storage.open_store(location) -> LocalStore
  crawler.feed.FeedWriter, read_feed, validate_record
"""

import logging

__all__ = ["__version__"]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
