"""The independent replica: portals written from public evidence (shared/reference/portals.md, public crawlers of
*.gov.cn sites) by authors who had not read the crawler, in families and variants the main replica does not
cover. The crawler must feed every report here with no code and no sites.yaml hint made for these sites.

Each site is a module of this package with one Site subclass; SITE_NAMES fixes their order (and so their
loopback addresses when served on their own: ``python -m replica --collection independent``).
"""

from __future__ import annotations

from ..site import Site

# name -> "module:Class", filled in as sites are written
REGISTRY: dict[str, str] = {
    "hanweb_jsinit": "hanweb_jsinit:HanwebJsinit",
    "vue_loading_shell": "vue_loading_shell:VueLoadingShell",
    "meta_root_hubs": "meta_root_hubs:MetaRootHubs",
    "fragment_lists": "fragment_lists:FragmentLists",
    "multipage_articles": "multipage_articles:MultipageArticles",
    "viewer_documents": "viewer_documents:ViewerDocuments",
    "extensionless_downloads": "extensionless_downloads:ExtensionlessDownloads",
    "same_name_towns": "same_name_towns:SameNameTowns",
    "same_name_towns_lushi": "same_name_towns:Lushi",
    "same_name_towns_mianchi": "same_name_towns:Mianchi",
    "vsb_bodao": "vsb_bodao:VsbBodao",
    "cms_php_county": "cms_php_county:CmsPhpCounty",
    "gkml_platform": "gkml_platform:GkmlPlatform",
    "jeecms_portal": "jeecms_portal:JeecmsPortal",
    "asp_classic_gbk": "asp_classic_gbk:AspClassicGbk",
    "tabbed_years": "tabbed_years:TabbedYears",
    "tabbed_years_city": "tabbed_years:TabbedYearsCity",
}

SITE_NAMES = tuple(REGISTRY)


def build_sites(scale: int = 1) -> list[Site]:
    import importlib

    if scale < 1:
        raise ValueError(f"scale must be >= 1, got {scale}")
    sites = []
    for name, target in REGISTRY.items():
        module, _, cls = target.partition(":")
        site = getattr(importlib.import_module(f"{__name__}.{module}"), cls)(scale)
        assert site.name == name, (site.name, name)
        sites.append(site)
    return sites
