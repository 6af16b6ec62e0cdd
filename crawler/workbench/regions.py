"""Where an agency is: province, city, county, from its name and its portal's, by cpca (a maintained library of
China's administrative divisions, bundled data, works offline) rather than a hand-made list."""

from __future__ import annotations

import logging
from functools import lru_cache

logger = logging.getLogger(__name__)


@lru_cache(maxsize=None)
def _places(name: str) -> tuple[str | None, str | None, str | None]:
    import cpca

    frame = cpca.transform([name])
    row = frame.iloc[0]

    def value(key: str) -> str | None:
        v = row.get(key)
        return v if isinstance(v, str) and v else None

    return value("省"), value("市"), value("区")


def region_of(agency: str | None, portal: str | None = None) -> dict[str, str | None]:
    """{"province", "city", "county"}: the agency's own place names first (吉林市人民政府 -> 吉林省 吉林市), the
    portal's for what the agency's name leaves out (欣山镇人民政府 on 安远县人民政府's portal -> 江西省 赣州市
    安远县); a township's own name is not a division cpca knows, so it takes the portal's county."""
    places = [None, None, None]
    for name in (agency, portal):
        if not name:
            continue
        try:
            found = _places(name)
        except Exception as exc:      # noqa: BLE001  (a region is a facet, never worth failing an index for)
            logger.warning("nianbao: cannot place %r in a region: %s", name, exc)
            continue
        if found[0] is None:
            continue
        if places[0] is None:
            places = list(found)
        elif places[0] == found[0]:
            places = [p or f for p, f in zip(places, found)]
    # cpca names a municipality's districts' city "市辖区"; a region facet wants the municipality itself
    if places[1] in ("市辖区", "县"):
        places[1] = places[0]
    return {"province": places[0], "city": places[1], "county": places[2]}
