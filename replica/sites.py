"""The replica sites, built together, and the ground truth of what a crawler should make of them."""

from __future__ import annotations

from .aspnet import Aspnet
from .audit_county import AuditCounty
from .challenges import Jsl, Ruishu, Shield, Waf
from .dataproxy import Dataproxy
from .evolving import Evolving
from .fujian import Fujian
from .gkmlpt import Gkmlpt
from .jianchuan import Jianchuan
from .jilin import Jilin
from .panshi import Panshi
from .reports import text_lines
from .server import Context
from .site import Site
from .templates import CHROME_WORDS
from .tongyu import Tongyu
from .traps import Traps
from .wenku import Wenku
from .yangcheng import Yangcheng

SITE_NAMES = ("panshi", "tongyu", "jilin", "jianchuan", "yangcheng", "wenku", "traps",
              "dataproxy", "gkmlpt", "aspnet", "jsl", "ruishu", "shield", "waf", "fujian", "evolving",
              "audit_county")


def build_sites(scale: int = 1) -> list[Site]:
    """Every site in SITE_NAMES order (which fixes their loopback addresses: .2, .3, ...)."""
    if scale < 1:
        raise ValueError(f"scale must be >= 1, got {scale}")
    panshi = Panshi(scale)
    sites = [panshi, Tongyu(scale), Jilin(scale, panshi.songshan_path), Jianchuan(scale), Yangcheng(scale),
             Wenku(scale), Traps(scale), Dataproxy(scale), Gkmlpt(scale), Aspnet(scale), Jsl(scale), Ruishu(scale),
             Shield(scale), Waf(scale), Fujian(scale), Evolving(scale), AuditCounty(scale)]
    assert tuple(s.name for s in sites) == SITE_NAMES
    return sites


COLLECTIONS = ("main", "independent")


def build_collection(collection: str = "main", scale: int = 1) -> list[Site]:
    """The sites of one collection: ``main`` (SITE_NAMES, what the crawler was developed against) or
    ``independent`` (replica.independent: sites written from public evidence by authors who had not read the
    crawler, the measure of how discovery generalises)."""
    if collection == "main":
        return build_sites(scale)
    if collection == "independent":
        from .independent import build_sites as build_independent

        return build_independent(scale)
    raise ValueError(f"unknown replica collection {collection!r} (one of {', '.join(COLLECTIONS)})")


def _chrome_on_page(site: Site, ctx: Context, path: str, text: str) -> list[str]:
    """Chrome words the rendered page shows outside the report text."""
    base, _, query = path.partition("?")
    reply = site.respond(ctx, base, query)
    if "html" not in (reply.content_type or ""):
        return []            # a report published as a file has no page chrome
    page = reply.body.decode(site.encoding)
    return [w for w in CHROME_WORDS if w in page and w not in text]


def expected(scale: int = 1, collection: str = "main") -> list[dict]:
    """Ground truth for a crawl of the replica at `scale`: plain dicts, one per page that matters.

    - report: ``{"site", "kind": "report", "paths", "title", "agency", "year", "published",
      "must_contain", "must_not_contain", "repost_of"}``.  ``paths`` lists every path of the site
      that serves this very report (TRS 引用 copies included); ``repost_of`` is ``[site, path]`` of
      the original when the page republishes another site's report (its own entry, not to be fed).
      ``agency`` is the issuing agency as the title names it.
    - look-alike: ``{"site", "kind": "lookalike", "path", "title"}``.
    - trap: ``{"site", "kind", "path", ...}`` with kind one of redirect_loop, pagination_trap,
      too_big, truncated, stall, flaky, server_error, not_found, binary, undecodable,
      malformed_html, robots_disallowed, bad_href, session_id, tracking_params.  ``path`` is the
      href as listed (for bad_href, not a path at all).
    """
    sites = build_collection(collection, scale)
    ctx = Context({s.name: f"http://{s.name}.replica.invalid/" for s in sites})
    out = []
    for site in sites:
        for entry in site.truth:
            entry = dict(entry)
            report = entry.pop("_report", None)
            if report is not None:
                text = "\n".join(text_lines(report))
                entry["must_not_contain"] = _chrome_on_page(site, ctx, entry["paths"][0], text)
            out.append(entry)
    return out


def table_reports(scale: int = 1, collection: str = "main") -> dict[tuple[str, str], object]:
    """(site, path) -> Report of every original report that prints the standard tables (its figures known)."""
    out = {}
    for site in build_collection(collection, scale):
        for entry in site.truth:
            report = entry.get("_report")
            if report is not None and report.is_report and report.figures is not None and not entry.get("repost_of"):
                for path in entry["paths"]:
                    out[(site.name, path)] = report
    return out
