"""Where an agency is: province, city, county, from its name and its portal's, by cpca (a maintained library of
China's administrative divisions, bundled data, works offline) rather than a hand-made list."""

from __future__ import annotations

import logging
logger = logging.getLogger(__name__)


_known: dict[str, tuple[str | None, str | None, str | None]] = {}


def _places(name: str) -> tuple[str | None, str | None, str | None]:
    if name not in _known:
        places_of([name])
    return _known.get(name, (None, None, None))


def places_of(names) -> None:
    """Look up many names in one cpca call (its per-call overhead dwarfs a lookup), filling the cache."""
    import cpca

    todo = sorted({n for n in names if n} - set(_known))
    if not todo:
        return
    try:
        frame = cpca.transform(todo)
    except Exception as exc:      # noqa: BLE001  (a region is a facet, never worth failing an index for)
        logger.warning("nianbao: cannot place %d names in regions: %s", len(todo), exc)
        return
    for name, (_, row) in zip(todo, frame.iterrows()):
        _known[name] = tuple(v if isinstance(v, str) and v else None for v in (row.get("省"), row.get("市"), row.get("区")))


def region_of(agency: str | None, portal: str | None = None) -> dict[str, str | None]:
    """{"province", "city", "county"} of an agency whose report a portal publishes.  The portal's own place comes
    first (a county portal's agencies are that county's: 欣山镇人民政府 on 安远县人民政府's portal -> 江西省 赣州市 安远县;
    a township's name alone is ambiguous across China, and cpca would guess); the agency's name refines it where
    it agrees (吉林市昌邑区人民政府 on 吉林市人民政府's portal -> its district), and stands alone when the portal
    names no place."""
    own = _places(agency) if agency else (None, None, None)
    site = _places(portal) if portal else (None, None, None)
    if site[0] is None:
        places = list(own)
    elif own[0] != site[0]:
        places = list(site)
    elif site[1] is not None and own[1] not in (None, site[1]):
        places = list(site)            # another city of the same province: a guess of cpca's, not the agency's
    else:
        places = [site[0], site[1] or own[1], site[2] or own[2]]
    # cpca names a municipality's districts' city "市辖区"; a region facet wants the municipality itself
    if places[1] in ("市辖区", "县"):
        places[1] = places[0]
    return {"province": places[0], "city": places[1], "county": places[2]}
