"""The WARC half of the archive on S3: copy a store's finished WARCs up, fetch them back, package them as WACZ.

Layout under s3://BUCKET/PREFIX, beside crawler.archive.s3archive's raw/ and feed/:

  PREFIX/warc/<name>.warc.gz          a finished WARC, byte for byte as crawler.archive.warc wrote it
  PREFIX/warc/cdxj/<name>.cdxj        its CDXJ index (for readers that want one without the WARC)

A crawler writes WARCs locally (crawler.archive.warc) and ships them once finished: a `.open` file is still
growing, so only renamed files go up. Uploads are idempotent (S3Archive.put_file skips an identical
object), so shipping the whole directory again after a crash or on a schedule costs HEADs only.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from crawler.archive.s3archive import ArchiveIntegrityError, S3Archive
from crawler.archive.warc import WARC_DIR, WaczError, _index_path, _index_warc, export_wacz, warc_files

__all__ = ["upload_warcs", "download_warcs", "export_wacz_from_archive"]

log = logging.getLogger(__name__)

WARC_SUFFIX = ".warc.gz"


def upload_warcs(root: str | os.PathLike, archive: S3Archive) -> list[str]:
    """Put every finished WARC under ROOT/warc, and its CDXJ, in the archive; return the keys written or confirmed."""
    keys: list[str] = []
    for warc in warc_files(root):
        index = _index_path(warc)
        # same staleness rule as write_cdxj: a WARC whose writer died before indexing has no (or an old) index
        if not index.exists() or index.stat().st_mtime < warc.stat().st_mtime:
            _index_warc(warc)
        keys.append(archive.put_file(f"{WARC_DIR}/{warc.name}", warc))
        keys.append(archive.put_file(f"{WARC_DIR}/cdxj/{index.name}", index))
    return keys


def download_warcs(archive: S3Archive, dest_root: str | os.PathLike) -> list[Path]:
    """Fetch every PREFIX/warc/*.warc.gz into DEST_ROOT/warc/ under its own name; return the local paths.

    The CDXJ objects are not fetched: export and replay index the WARCs locally anyway.
    """
    warc_dir = Path(dest_root) / WARC_DIR
    warc_dir.mkdir(parents=True, exist_ok=True)
    base = archive._key(f"{WARC_DIR}/")
    out: list[Path] = []
    for key in archive.list_keys(f"{WARC_DIR}/"):
        name = key[len(base):]
        # only direct children: cdxj/ lies below, and a name with "/" must not reach outside warc_dir
        if "/" in name or not name.endswith(WARC_SUFFIX):
            continue
        body = archive.get_object_bytes(f"{WARC_DIR}/{name}")
        if body is None:                # deleted between the listing and the read
            log.warning("s3://%s/%s vanished before it could be downloaded", archive.bucket, key)
            continue
        if not body:
            # a WARC always starts with its warcinfo record: an empty object is a broken upload
            raise ArchiveIntegrityError(f"s3://{archive.bucket}/{key}: empty WARC")
        path = warc_dir / name
        tmp = path.with_name(path.name + ".part")    # not *.warc.gz: a torn download is never taken for a WARC
        tmp.write_bytes(body)
        os.replace(tmp, path)
        out.append(path)
    return out


def export_wacz_from_archive(archive: S3Archive, out_path: str | os.PathLike, *, title: str | None = None) -> Path:
    """A validated WACZ of every WARC in the archive, its pages the reports of the archive's feed.

    Raises WaczError when the archive holds no WARC or py-wacz fails.
    """
    # the same entry points export_wacz takes from a local feed; without any, it lists the archived HTML pages
    pages = [{"url": r["url"], "title": r.get("title") or r["url"], "ts": r["fetched_at"]}
             for r in archive.read_feed() if isinstance(r, dict) and r.get("url") and r.get("fetched_at")]
    with tempfile.TemporaryDirectory(prefix="nianbao-wacz-") as tmp:
        if not download_warcs(archive, tmp):
            raise WaczError(f"no WARC files under s3://{archive.bucket}/{archive._key(WARC_DIR + '/')}")
        return export_wacz(tmp, out_path, pages=pages or None, title=title)
