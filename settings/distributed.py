"""Distributed crawls: settings.default plus a shared Redis frontier (scrapy-redis) and an S3 archive and feed.

Used by `nianbao worker` and by `SCRAPY_PROJECT=distributed scrapy crawl reports` (scrapy.cfg). Each value
below can also come from the environment (read here) or from `-s NAME=VALUE`:

  NIANBAO_REDIS        REDIS_URL         redis://HOST:PORT/DB of the shared frontier and content-hash index
  NIANBAO_ARCHIVE      NIANBAO_ARCHIVE   s3://BUCKET/PREFIX of the raw archive, the WARCs and the feed parts
  NIANBAO_S3_ENDPOINT  NIANBAO_S3_ENDPOINT  endpoint URL of an S3-compatible store (MinIO, Ceph, OSS...);
                                         empty = AWS (or botocore's AWS_ENDPOINT_URL_S3)
  NIANBAO_IDLE_EXIT    NIANBAO_IDLE_EXIT seconds the frontier must stay empty before a worker stops (empty = never)

Credentials for S3 come from boto3's standard chain (AWS_ACCESS_KEY_ID/…, profiles, instance roles).
Redis must persist (appendonly yes) for a Redis restart to lose nothing.
"""

import os

from settings.default import *  # noqa: F401,F403 - the embedded default, then what distribution changes
from settings.default import EXTENSIONS, ITEM_PIPELINES

REDIS_URL = os.environ.get("NIANBAO_REDIS", "redis://127.0.0.1:6379/0")
NIANBAO_ARCHIVE = os.environ.get("NIANBAO_ARCHIVE", "")
NIANBAO_S3_ENDPOINT = os.environ.get("NIANBAO_S3_ENDPOINT", "")
NIANBAO_IDLE_EXIT = os.environ.get("NIANBAO_IDLE_EXIT", "")

# The worker's own catalogue (SQLite: fetches, decisions, failures) and WARC files before upload; `nianbao
# worker` gives each process a directory of its own under --work-dir.
NIANBAO_STORE = os.environ.get("NIANBAO_WORK_DIR", "nianbao-worker")

# --- the shared frontier (scrapy-redis, spiders.frontier) -------------------------------------------------
SCHEDULER = "spiders.frontier.FrontierScheduler"
SCHEDULER_QUEUE_CLASS = "spiders.frontier.LeasedQueue"
SCHEDULER_QUEUE_KEY = "nianbao:%(spider)s:requests"
SCHEDULER_DUPEFILTER_KEY = "nianbao:%(spider)s:dupefilter"
DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
SCHEDULER_PERSIST = True
# Seconds a worker's heartbeat lives: a worker silent that long is dead and its leased requests go back.
NIANBAO_WORKER_TTL = 30.0
# Seconds an unreachable Redis is waited out (buffering, backoff) before items fail and go back to the queue.
NIANBAO_REDIS_MAX_OUTAGE = 600.0
# Prefix of the shared content-hash index's keys (crawler.distributed.frontier.SharedIndex).
NIANBAO_INDEX_KEY = "nianbao:index"

# --- the S3 archive and feed (crawler.archive.s3archive, crawler.distributed.diststore) ---------------------------------------------
# Seconds an unreachable S3 endpoint is waited out before an item fails (its request then goes back).
NIANBAO_S3_MAX_OUTAGE = 600.0
# A feed part is written every N records or T seconds (S3 has no append); an item is acknowledged on the
# frontier only once its part is in the bucket.
NIANBAO_FEED_PART_RECORDS = 100
NIANBAO_FEED_PART_SECONDS = 2.0
# Also XADD each fed record to this Redis Stream (consumer groups downstream); empty = no stream.
NIANBAO_FEED_STREAM = os.environ.get("NIANBAO_FEED_STREAM", "")
# Items wait for their feed part: let more response bytes wait in the scraper before downloads back off.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 50_000_000

# Parsing runs downstream of the S3 feed (`nianbao parse`), not in each worker.
NIANBAO_PARSE = False
ITEM_PIPELINES = {k: v for k, v in ITEM_PIPELINES.items() if k != "pipelines.parse.ParsePipeline"}
EXTENSIONS = {**EXTENSIONS, "spiders.frontier.IdleExit": 0}
