"""One crawl per store at a time: an advisory lock on DIR/crawl.lock, held for the crawl's whole life.

Two crawls writing one store would both fetch everything and race for every report's claim (one run's summary
then says "0 reports fed"). The lock is `flock(2)` on the file, so the kernel releases it when its process ends,
however it ends (a SIGKILLed crawl leaves no stale lock to clean up); the file itself keeps the holder's pid,
start time and command line for the one-line refusal of the next crawl.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["StoreBusy", "lock_store"]

LOCK_FILE = "crawl.lock"
_held: dict[str, int] = {}      # store path -> fd of the lock this process holds (kept open: closing releases)


class StoreBusy(RuntimeError):
    """Another process holds the store's crawl lock."""


def lock_store(root: str | os.PathLike) -> None:
    """Take the store's crawl lock for the rest of this process, or raise StoreBusy naming the holder."""
    path = Path(root) / LOCK_FILE
    key = str(path.resolve())
    if key in _held:
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _holder(fd)
        os.close(fd)
        raise StoreBusy(f"store {root} is in use by another crawl ({holder}); wait for it to end or use "
                        f"another --store") from None
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps({"pid": os.getpid(), "started_at": datetime.now(timezone.utc).isoformat(
        timespec="seconds").replace("+00:00", "Z"), "command": " ".join(sys.argv)}).encode() + b"\n")
    _held[key] = fd


def _holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return f"pid {info['pid']}, started {info['started_at']}: {info['command']}"
    except (ValueError, KeyError, OSError):
        return "holder unknown"
