"""Fault injection for the crash tests: SIGKILL this very process at a named point of a write.

`NIANBAO_CRASH_AT=archive:3` kills the process the 3rd time it reaches crashpoint("archive"), a real
SIGKILL at the worst moment of a write (temp file written, not yet renamed; half a feed line written;
an SQLite transaction open).  Unset (always, outside the tests), a crashpoint costs one comparison.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import Counter

_TARGET = os.environ.get("NIANBAO_CRASH_AT") or None
_counts: Counter[str] = Counter()
_lock = threading.Lock()


def crashpoint(name: str) -> None:
    if _TARGET is None:
        return
    point, _, nth = _TARGET.partition(":")
    if point != name:
        return
    with _lock:
        _counts[name] += 1
        if _counts[name] >= int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)
