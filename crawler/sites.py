"""Optional per-site hints (crawler/sites.yaml): what a generic crawl cannot infer for one registered host."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["SiteHints", "NO_HINTS", "SITES_FILE", "load_sites", "hints_for"]

SITES_FILE = Path(__file__).with_name("sites.yaml")


@dataclass(frozen=True)
class SiteHints:
    columns: tuple[str, ...] = ()     # extra report-column URLs, absolute or relative to the host root
    page_keys: tuple[str, ...] = ()   # extra query keys that number this host's listing pages


NO_HINTS = SiteHints()
_FIELDS = frozenset(SiteHints.__dataclass_fields__)


def _hints(host: str, entry) -> SiteHints:
    entry = entry or {}
    if not isinstance(entry, dict):
        raise ValueError(f"sites registry: {host}: expected a mapping of hints, got {entry!r}")
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ValueError(f"sites registry: {host}: unknown keys {sorted(unknown)} (allowed: {sorted(_FIELDS)})")
    return SiteHints(**{k: tuple(str(v) for v in (entry.get(k) or ())) for k in _FIELDS})


@lru_cache(maxsize=8)
def load_sites(path: str | Path = SITES_FILE) -> dict[str, SiteHints]:
    """host -> hints, read once per path; a missing file is an empty registry, a malformed one raises ValueError."""
    path = Path(path)
    if not path.exists():
        return {}
    import yaml  # only needed when a registry exists

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"sites registry {path}: expected a mapping of host -> hints")
    return {str(host).lower(): _hints(str(host), entry) for host, entry in data.items()}


def hints_for(url: str, path: str | Path = SITES_FILE) -> SiteHints:
    """The hints registered for the URL's host (exact host, port ignored), or NO_HINTS."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return NO_HINTS
    return load_sites(path).get(host, NO_HINTS) if host else NO_HINTS
