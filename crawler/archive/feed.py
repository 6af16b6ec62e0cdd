"""The feed: one JSON line per new report in DIR/feed/*.jsonl, each checked against the schema."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jsonschema
from itemadapter import ItemAdapter

from crawler.archive.crashpoints import crashpoint

__all__ = ["FeedWriter", "FeedError", "feed_schema", "validate_record", "read_feed", "build_record"]

SCHEMA_VERSION = 1


class FeedError(ValueError):
    """A record does not match the feed schema (it is not written)."""


@lru_cache(maxsize=1)
def feed_schema() -> dict:
    return json.loads(resources.files("crawler").joinpath("schema/report.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _validator():
    schema = feed_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def validate_record(record: dict) -> None:
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.path) or "(record)"
        raise FeedError(f"feed record invalid at {where}: {first.message}")


class FeedWriter:
    """Appends validated lines to one part file per run: DIR/feed/<run_id>.jsonl."""

    def __init__(self, feed_dir: str | os.PathLike, run_id: str):
        self.path = Path(feed_dir) / f"{run_id}.jsonl"
        self._fh = None

    def append(self, record: dict, *, validated: bool = False) -> None:
        """Write one line; `validated=True` when the caller has just run validate_record on it."""
        if not validated:
            validate_record(record)
        line = json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n"
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "a", encoding="utf-8")
        half = len(line) // 2
        self._fh.write(line[:half])
        self._fh.flush()
        crashpoint("feed")          # a kill here leaves a torn last line: readers skip it, the report is re-fed
        self._fh.write(line[half:])
        self._fh.flush()

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def read_feed(feed_dir: str | os.PathLike) -> list[dict]:
    """Every line of every part file, in file-name order (part names sort by run start time)."""
    out = []
    for part in sorted(Path(feed_dir).glob("*.jsonl")):
        with open(part, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    # the torn last line of a run killed mid-append: that report was not marked fed, so
                    # the next run feeds it again in full
                    continue
    return out


def _attachment(file) -> dict:
    f = ItemAdapter(file)
    return {"url": f["url"], "sha256": f["sha256"], "length": len(f["body"]), "content_type": f["content_type"],
            "kind": f["kind"], "label": f["label"] or None, "text": f["text"], "ocr": bool(f["ocr"]),
            "ocr_confidence": f["ocr_confidence"], "error": f["error"], "role": f["link_kind"]}


def build_record(item, urls: list[str]) -> dict:
    """The feed line of a report item (crawler.items.FetchedPage after the pipelines ran)."""
    a = ItemAdapter(item)
    return {
        "schema_version": SCHEMA_VERSION,
        "id": a["report_id"],
        "url": a["url"],
        "urls": list(urls),
        "title": a["title"],
        "agency": a["agency"],
        "year": a["year"],
        "published": a["published"],
        "text": a["text"],
        "raw": {"sha256": a["sha256"], "length": len(a["body"]), "content_type": a["content_type"],
                "encoding": a["encoding"], "kind": a["raw_kind"]},
        "text_source": a["text_source"],
        "ocr": bool(a["ocr"]),
        "ocr_confidence": a["ocr_confidence"],
        "attachments": [_attachment(f) for f in a["attachments"]],
        "revision": a["revision"],
        "previous_id": a["previous_id"],
        "fetched_at": a["fetched_at"],
        "site": a["site"],
        "site_name": a["site_name"],
        "classification": {"is_report": bool(a["is_report"]), "kind": a["kind"], "reasons": list(a["reasons"]),
                           "forced": bool(a["force"] and not a["is_report"])},
    }
