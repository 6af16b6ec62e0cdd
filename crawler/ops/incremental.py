"""Incremental re-crawls: when a known report page is due for a re-check, whether a listing can stop early,
and the readable diff of a revised report.

A report is most often corrected in the weeks after it is published, so re-checks favour recent pages:
a page younger than a month is re-checked daily, then weekly, monthly, and twice a year once it is
older than a year (`RECHECK_SCHEDULE`).  Listings are newest first, so a walk stops once it meets a run
of reports the store already knows, unless the listing shows it is not in that order.
"""

from __future__ import annotations

import difflib
from datetime import datetime, timedelta, timezone

# (age below, re-check interval), in days; the last age is open-ended.
RECHECK_SCHEDULE: tuple[tuple[float, float], ...] = ((30, 1), (90, 7), (365, 30), (float("inf"), 180))


def _parse(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        value = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def recheck_interval(age: timedelta, schedule=RECHECK_SCHEDULE) -> timedelta:
    days = age.total_seconds() / 86400
    for below, every in schedule:
        if days < below:
            return timedelta(days=every)
    return timedelta(days=schedule[-1][1])


def is_due(page: dict, now: datetime | None = None, schedule=RECHECK_SCHEDULE) -> bool:
    """Whether a known report page (a `pages` row) should be re-checked on this run.

    Its age counts from its published date (else from when nianbao first saw it); a removed page is not
    re-checked (its removal is already recorded).
    """
    if page.get("removed_at"):
        return False
    now = now or datetime.now(timezone.utc)
    born = _parse(page.get("published")) or _parse(page.get("first_seen")) or now
    checked = _parse(page.get("last_checked")) or born
    return now - checked >= recheck_interval(now - born, schedule)


def reordered(known_in_order: list[str], previous_first: list[str]) -> bool:
    """Whether the known links of a listing's first page stand in another order than they did last time."""
    before = {url: k for k, url in enumerate(previous_first)}
    ranks = [before[url] for url in known_in_order if url in before]
    return any(b < a for a, b in zip(ranks, ranks[1:]))


def unordered_page(known: list[bool]) -> bool:
    """A listing page where an unknown report comes after a known one is not newest first."""
    seen_known = False
    for is_known in known:
        if is_known:
            seen_known = True
        elif seen_known:
            return True
    return False


def text_diff(old: str, new: str, old_name: str, new_name: str, context: int = 1) -> str:
    """A unified diff of two versions' texts, line by line (a table row is one line: a changed figure shows
    as its row, before and after)."""
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        fromfile=old_name, tofile=new_name, n=context))
