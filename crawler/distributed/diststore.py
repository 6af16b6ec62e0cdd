"""The store of one worker in a distributed crawl: the shared parts on S3 and Redis, the rest on local disk.

  raw bytes and attachments   S3 (crawler.archive.s3archive), content-addressed, checksum-verified
  the feed                    S3 feed parts PREFIX/feed/<run>-<seq>.jsonl (and, optionally, a Redis Stream)
  claims, near-dup signatures Redis (crawler.distributed.frontier.SharedIndex): one report is fed once, whichever worker
  the catalogue               the worker's own SQLite under its work directory (fetches, decisions, failures,
                              runs): what LocalStore keeps, for this worker's `nianbao status`

A feed part is written in three steps, so that a kill between any two loses nothing and feeds nothing twice:
note the part's key on each report's claim, PUT the part (never overwriting a key), mark the reports fed. A
worker taking over the claim of a dead one finds the noted part in the bucket (fed after all) or not (feed it).
"""

from __future__ import annotations

import json
import logging
import os

from crawler.archive.crashpoints import crashpoint
from crawler.distributed.frontier import SharedIndex
from crawler.archive.s3archive import S3Archive
from crawler.archive.storage import LocalStore

__all__ = ["DistributedStore"]

log = logging.getLogger(__name__)


class DistributedStore(LocalStore):
    remote = True

    def __init__(self, root: str | os.PathLike, archive: S3Archive, index: SharedIndex, *, fsync: bool = False,
                 stream: str | None = None):
        super().__init__(root, fsync=fsync)
        self.archive = archive
        self.index = index
        self.stream = stream or None
        self._in_flight: set[str] = set()      # claimed by this worker, feed part not written yet

    # -- raw bytes: S3 ------------------------------------------------------------------------------------
    def put_raw(self, body: bytes) -> str:
        return self.archive.put_raw(body)

    def get_raw(self, sha256: str) -> bytes | None:
        return self.archive.get_raw(sha256)

    # -- claims: Redis --------------------------------------------------------------------------------------
    def claim_report(self, report_id: str, url: str, raw_sha256: str, *, title, agency, year, published,
                     site, signature: bytes | None) -> bool:
        status, part = self.index.claim(report_id, {"url": url, "raw": raw_sha256, "site": site or "",
                                                    "year": year if year is not None else ""})
        if status == 3 and report_id in self._in_flight:
            status = 0                  # another URL of a report this worker is feeding right now
        if status in (2, 3) and part and self.archive.object_exists(part):
            # the dead worker's part made it to the bucket; only its "fed" mark was missing
            self.index.mark_fed([report_id])
            log.info("feed: report %s was fed by a worker that died before noting it", report_id[:12])
            status = 0
        if status == 0:
            self.index.add_url(report_id, url, "same_content")
            super().add_report_url(report_id, url, raw_sha256, "same_content")
            return False
        if status == 2:
            log.info("feed: report %s claimed by a dead worker and never fed: feeding it now", report_id[:12])
        elif status == 3:
            log.info("feed: report %s: its feed part failed earlier; feeding it now", report_id[:12])
        self._in_flight.add(report_id)
        self.index.add_url(report_id, url, "first")
        self.index.add_signature(report_id, year, agency, signature)
        super().claim_report(report_id, url, raw_sha256, title=title, agency=agency, year=year, published=published,
                             site=site, signature=signature)
        return True

    def has_report(self, report_id: str) -> bool:
        return self.index.exists(report_id)

    def unfed(self, report_id: str) -> bool:
        """Claimed and never fed by a dead worker, or by this one when its feed part failed."""
        return report_id not in self._in_flight and self.index.recoverable(report_id)

    def add_report_url(self, report_id: str, url: str, raw_sha256: str | None, relation: str) -> None:
        self.index.add_url(report_id, url, relation)
        super().add_report_url(report_id, url, raw_sha256, relation)

    def near_candidates(self, year: int | None) -> list[tuple[str, str | None, bytes]]:
        return self.index.near_candidates(year)

    # -- the feed: S3 parts ---------------------------------------------------------------------------------
    def write_feed_part(self, records: list[dict]) -> str:
        """Write validated records as one part; returns its key. Blocking (S3 and Redis outages waited out)."""
        ids = all_ids = [r["id"] for r in records]
        try:
            lost = [rid for rid, mine in zip(ids, self.index.owned(ids)) if not mine]
            if lost:
                # this worker stalled past its heartbeat and another took these over: theirs to feed
                log.warning("feed: %d reports were taken over by another worker while this one stalled; "
                            "not feeding them here", len(lost))
                records = [r for r in records if r["id"] not in lost]
                ids = [r["id"] for r in records]
                if not records:
                    return ""
            key = self.archive.reserve_feed_part(self.run_id)
            self.index.note_part(ids, key)
            self.archive.write_feed_part(key, records)
            crashpoint("feedpart")      # a kill here: the part is in the bucket, its reports not marked fed
        finally:
            # written or failed, these are no longer in flight: a failed one is claimed again (status 3)
            self._in_flight.difference_update(all_ids)
        if self.stream:
            # a mirror for consumers with consumer groups; the S3 parts are the feed of record
            def mirror():
                pipe = self.index.server.pipeline()
                for r in records:
                    pipe.xadd(self.stream, {"id": r["id"], "part": key, "record": json.dumps(r, ensure_ascii=False)})
                pipe.execute()
            self.index.outage.call(mirror)
        self.index.mark_fed(ids)
        for rid in ids:
            super().mark_fed(rid)
        return key

    def mark_fed(self, report_id: str) -> None:
        """Nothing here: a report is marked fed when its part is written (write_feed_part)."""
