"""nianbao's plain library: everything the Scrapy shells (spiders/, pipelines/) call, usable without a crawl.

The rooms, by what each part does:
  discover/   where reports are: URLs, listing analysis, list APIs, anti-bot pages, attachments, site hints
  read/       bytes to text: encodings, file readers (PDF, Office, OCR), the report document, main text, metadata
  judge/      report or look-alike, new or already known (content ids, near-duplicates)
  archive/    what is kept and where: the local store, the feed, WARCs, the S3 archive
  distributed/  the Redis frontier and a worker's store (S3 + Redis + SQLite)
  parsing/    text to tables, figures and checks
  ops/        runs and re-crawls, `nianbao status`, the HTML crawl report, `make demo`
  cli.py (the `nianbao` command), vocab.py (the words of the trade), items.py (the Scrapy item fields)

The names in ``__all__`` are the public API; ``from crawler import analyse_listing`` imports its module on
first use, so ``import crawler`` itself stays cheap.
"""

from __future__ import annotations

import importlib
import logging

__version__ = "0.1.0"

_PUBLIC = {
    "analyse_listing": "crawler.discover.listing",      # report links, columns, hubs, pagination
    "canonicalize": "crawler.discover.urls",
    "decode_html": "crawler.read.encoding",              # strict, never lossy
    "read_document": "crawler.read.document",            # page, file or page + attachments -> Document
    "extract_page": "crawler.read.extract",              # title + text without chrome
    "extract_metadata": "crawler.read.metadata",         # agency, year reported on, published
    "classify": "crawler.judge.classify",                # report or look-alike, with reasons
    "content_id": "crawler.judge.dedupe",
    "signature": "crawler.judge.dedupe",
    "open_store": "crawler.archive.storage",             # local store: files + SQLite
    "FeedWriter": "crawler.archive.feed",
    "read_feed": "crawler.archive.feed",
    "validate_record": "crawler.archive.feed",
    "parse_document": "crawler.parsing.report",          # text -> tables, figures, checks
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'crawler' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


logging.getLogger(__name__).addHandler(logging.NullHandler())
