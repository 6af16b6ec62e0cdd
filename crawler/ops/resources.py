"""The crawl's shared resources, one per Scrapy crawler: the store its components write to.

Opened from NIANBAO_STORE on first use and closed when the engine stops. With NIANBAO_ARCHIVE
(s3://BUCKET/PREFIX) set, it is a crawler.distributed.diststore.DistributedStore: raw bytes and the feed on S3,
claims in the Redis of REDIS_URL, NIANBAO_STORE holding only this worker's catalogue. Spiders, middlewares and
pipelines all take it from here, so none of them imports another shell.
"""

from __future__ import annotations

import logging
import os
import re
from datetime import datetime, timezone

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.archive.storage import LocalStore, open_store

__all__ = ["store_from_crawler", "record_failure"]

logger = logging.getLogger(__name__)


def store_from_crawler(crawler) -> LocalStore:
    store = getattr(crawler, "nianbao_store", None)
    if store is None:
        location = crawler.settings.get("NIANBAO_STORE")
        if not location:
            raise NotConfigured("NIANBAO_STORE is empty: nianbao needs a store directory")
        archive = crawler.settings.get("NIANBAO_ARCHIVE")
        if archive:
            store = _distributed_store(crawler, location, archive)
        else:
            store = open_store(location, fsync=crawler.settings.getbool("NIANBAO_FSYNC"))
        # one id per run, shared by the feed part, the runs table and every event and failure of the run
        store.run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
        if archive:
            # feed part keys are <run id>-<seq>: unique across the workers of every host
            store.run_id += "-" + re.sub(r"[^A-Za-z0-9._-]", "_", store.index.worker.id)
        crawler.nianbao_store = store
        crawler.signals.connect(store.close, signal=signals.engine_stopped, weak=False)
    return store


def _distributed_store(crawler, location: str, archive_url: str):
    from crawler.distributed.diststore import DistributedStore
    from crawler.distributed.frontier import SharedIndex, worker_from_crawler
    from crawler.archive.s3archive import S3Archive

    s = crawler.settings
    archive = S3Archive(archive_url, endpoint_url=s.get("NIANBAO_S3_ENDPOINT") or None,
                        max_outage=s.getfloat("NIANBAO_S3_MAX_OUTAGE", 600.0))
    index = SharedIndex(worker_from_crawler(crawler), prefix=s.get("NIANBAO_INDEX_KEY", "nianbao:index"))
    return DistributedStore(location, archive, index, fsync=s.getbool("NIANBAO_FSYNC"),
                            stream=s.get("NIANBAO_FEED_STREAM") or None)


def record_failure(crawler, url: str, stage: str, reason: str, site: str | None) -> None:
    """One failure: a row in the store's `failures`, a stats counter (nianbao/failure/<stage>) and one warning
    line. The failure pipeline records the FetchFailure items callbacks yield; the spider calls this directly
    for what it finds outside a callback (a column still short when the crawl goes idle)."""
    store_from_crawler(crawler).record_failure(url, stage, reason, site)
    crawler.stats.inc_value(f"nianbao/failure/{stage}")
    logger.warning("failed %s [%s]: %s", url, stage, reason)
