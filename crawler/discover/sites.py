"""Per-site hints and sites files.

Two YAML files feed this module:

* the built-in registry ``crawler/discover/sites.yaml`` (host -> hints): what a generic crawl cannot infer for one
  known host; read through importlib.resources so that it is found inside a zipped egg (scrapyd) too;
* a user's sites file (``nianbao crawl --sites FILE``, spider argument ``sites=FILE``): the portals to crawl,
  each with optional hints of the same shape. ``load_crawl_sites`` validates it and registers each site's
  hints for its host in this process, where ``hints_for`` (read by crawler.discover.listing) finds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.discover.urls import is_valid_http_url

__all__ = ["SiteHints", "NO_HINTS", "SITES_FILE", "CrawlSite", "load_sites", "hints_for", "load_crawl_sites",
           "register_hints", "registered_hints"]

SITES_FILE = Path(__file__).with_name("sites.yaml")


@dataclass(frozen=True)
class SiteHints:
    columns: tuple[str, ...] = ()     # extra report-column URLs, absolute or relative to the host root
    page_keys: tuple[str, ...] = ()   # extra query keys that number this host's listing pages


NO_HINTS = SiteHints()
_FIELDS = frozenset(SiteHints.__dataclass_fields__)


@dataclass(frozen=True)
class CrawlSite:
    """One portal of a sites file: its start URL (home page or report column), label and own hints."""

    url: str
    name: str | None = None
    hints: SiteHints = NO_HINTS


# host -> {hint field: values} given by sites files loaded in this process. Only the fields a file names
# are kept, so that a file's `page_keys` for a host leaves the built-in registry's `columns` in force.
_REGISTERED: dict[str, dict[str, tuple[str, ...]]] = {}


# --- built-in registry ----------------------------------------------------------------------------------
def _hints(host: str, entry) -> SiteHints:
    entry = entry or {}
    if not isinstance(entry, dict):
        raise ValueError(f"sites registry: {host}: expected a mapping of hints, got {entry!r}")
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ValueError(f"sites registry: {host}: unknown keys {sorted(unknown)} (allowed: {sorted(_FIELDS)})")
    return SiteHints(**{k: tuple(str(v) for v in (entry.get(k) or ())) for k in _FIELDS})


def _registry_text(path: Path) -> str | None:
    if path == SITES_FILE:
        # The packaged file: a plain path does not exist when the package runs from a zipped egg.
        packaged = resources.files("crawler.discover").joinpath("sites.yaml")
        return packaged.read_text(encoding="utf-8") if packaged.is_file() else None
    return path.read_text(encoding="utf-8") if path.exists() else None


@lru_cache(maxsize=8)
def load_sites(path: str | Path = SITES_FILE) -> dict[str, SiteHints]:
    """host -> hints, read once per path; a missing file is an empty registry, a malformed one raises ValueError."""
    path = Path(path)
    text = _registry_text(path)
    if text is None:
        return {}
    import yaml  # only needed when a registry exists

    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError(f"sites registry {path}: expected a mapping of host -> hints")
    return {str(host).lower(): _hints(str(host), entry) for host, entry in data.items()}


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def hints_for(url: str, path: str | Path = SITES_FILE) -> SiteHints:
    """The hints for the URL's host (exact host, port ignored), or NO_HINTS.

    Those of the registry at `path`, with each field that a sites file loaded in this process gave for the
    host replacing the registry's.
    """
    host = _host(url)
    if not host:
        return NO_HINTS
    hints = load_sites(path).get(host, NO_HINTS)
    override = _REGISTERED.get(host)
    return replace(hints, **override) if override else hints


def register_hints(host: str, **fields: Iterable[str]) -> None:
    """Make `fields` (columns=..., page_keys=...) the host's hints in this process, over the built-in ones."""
    unknown = set(fields) - _FIELDS
    if unknown:
        raise ValueError(f"unknown hint fields {sorted(unknown)} (allowed: {sorted(_FIELDS)})")
    _REGISTERED.setdefault(host.lower(), {}).update({k: tuple(v) for k, v in fields.items()})


def registered_hints() -> dict[str, SiteHints]:
    """host -> the hints sites files registered in this process (fields they did not name left empty)."""
    return {host: SiteHints(**fields) for host, fields in _REGISTERED.items()}


# --- sites files ----------------------------------------------------------------------------------------
_ENTRY_KEYS = ("url", "name", *sorted(_FIELDS))


class _Invalid(Exception):
    """A problem in one entry; load_crawl_sites adds the file and entry to make the ValueError."""


def _strings(key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Invalid(f"{key} must be a list of strings, got {type(value).__name__} {value!r}")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise _Invalid(f"{key} must be a list of non-empty strings, got item {item!r}")
    return tuple(item.strip() for item in value)


def _check_url(value: Any) -> str:
    if value is None:
        raise _Invalid("url is required")
    if not isinstance(value, str) or not is_valid_http_url(value):
        raise _Invalid(f"not an absolute http(s) URL: {value!r}")
    return value.strip()


def _check_columns(columns: tuple[str, ...], url: str) -> None:
    host = _host(url)
    for column in columns:
        if any(c.isspace() for c in column):
            raise _Invalid(f"columns: {column!r} contains whitespace")
        if "://" in column or column.startswith("//"):
            # An absolute column elsewhere would be crawled under this site's name and caps.
            if not is_valid_http_url(column if "://" in column else "http:" + column):
                raise _Invalid(f"columns: not an http(s) URL or path: {column!r}")
            if _host(column if "://" in column else "http:" + column) != host:
                raise _Invalid(f"columns: {column!r} is not on the site's host {host}")


def _check_page_keys(keys: tuple[str, ...]) -> None:
    for key in keys:
        if any(c in key for c in "=&?#/") or any(c.isspace() for c in key):
            raise _Invalid(f"page_keys: {key!r} is not a query key name")


def _site(entry: Any) -> tuple[CrawlSite, dict[str, tuple[str, ...]]]:
    """The site of one entry, and the hint fields it names."""
    if isinstance(entry, str):
        return CrawlSite(_check_url(entry)), {}
    if not isinstance(entry, dict):
        raise _Invalid(f"expected a URL or a mapping with url:, got {type(entry).__name__} {entry!r}")
    unknown = [str(k) for k in entry if k not in _ENTRY_KEYS]
    if unknown:
        raise _Invalid(f"unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))} "
                       f"(allowed: {', '.join(_ENTRY_KEYS)})")
    url = _check_url(entry.get("url"))
    name = entry.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise _Invalid(f"name must be a non-empty string, got {name!r}")
    given = {k: _strings(k, entry[k]) for k in sorted(_FIELDS) if k in entry}
    _check_columns(given.get("columns", ()), url)
    _check_page_keys(given.get("page_keys", ()))
    return CrawlSite(url, name.strip() if name else None, SiteHints(**given)), given


def _parse(text: str, where: str) -> tuple[Any, list[int]]:
    """The YAML document and the line number of each item of its `sites` list (for messages)."""
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValueError(f"{where}: not valid YAML{at}: {problem}") from None
    finally:
        loader.dispose()
    lines: list[int] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "sites" and isinstance(value, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in value.value]
    return data, lines


def load_crawl_sites(path: str | Path) -> list[CrawlSite]:
    """The portals listed in a sites file, in file order; registers each site's hints for its host.

    The file is a mapping with one key, ``sites``: a list whose items are either a URL or a mapping with
    ``url`` (required), ``name``, ``columns`` and ``page_keys`` (lists, as in crawler/discover/sites.yaml). A relative
    path is taken from the current directory. Any problem raises one ValueError naming the file and entry.
    """
    path = Path(path).expanduser().absolute()
    where = f"sites file {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{where}: no such file") from None
    except UnicodeDecodeError:
        raise ValueError(f"{where}: not UTF-8 text") from None
    except OSError as exc:
        raise ValueError(f"{where}: cannot read: {exc.strerror or exc}") from None
    data, lines = _parse(text, where)
    if not isinstance(data, dict) or "sites" not in data:
        raise ValueError(f"{where}: expected a mapping with a 'sites' list at the top")
    extra = [str(k) for k in data if k != "sites"]
    if extra:
        raise ValueError(f"{where}: unknown top-level key{'s' if len(extra) > 1 else ''} "
                         f"{', '.join(map(repr, extra))} (only 'sites' is allowed)")
    entries = data["sites"]
    if not isinstance(entries, list):
        raise ValueError(f"{where}: 'sites' must be a list, got {type(entries).__name__}")
    if not entries:
        raise ValueError(f"{where}: 'sites' lists no sites")

    sites: list[CrawlSite] = []
    hints: dict[str, dict[str, tuple[str, ...]]] = {}
    first: dict[str, int] = {}
    for number, entry in enumerate(entries, 1):
        at = f"{where}, entry {number}" + (f" (line {lines[number - 1]})" if len(lines) == len(entries) else "")
        try:
            site, given = _site(entry)
        except _Invalid as exc:
            raise ValueError(f"{at}: {exc}") from None
        if site.url in first:
            raise ValueError(f"{at}: {site.url} is listed already (entry {first[site.url]})")
        first[site.url] = number
        sites.append(site)
        # Two entries on one host (a home page and a column) add up their hints.
        fields = hints.setdefault(_host(site.url), {})
        for key, values in given.items():
            fields[key] = tuple(dict.fromkeys(fields.get(key, ()) + values))
    # Registered only once the whole file is valid: a rejected file leaves the process as it was.
    for host, fields in hints.items():
        if fields:
            register_hints(host, **fields)
    return sites
