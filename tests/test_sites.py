"""Tests for sites files (crawler.discover.sites.load_crawl_sites): parsing, validation messages, per-host hint registration,
and crawls of replica portals listed in a sites file through the real `nianbao crawl --sites`.

The built-in registry (crawler/discover/sites.yaml, load_sites, hints_for with a path) is tested in tests/test_listing.py.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.discover import sites as sites_module
from crawler.archive.feed import read_feed
from crawler.discover.listing import analyse_listing
from replica import expected
from crawler.discover.sites import NO_HINTS, CrawlSite, SiteHints, hints_for, load_crawl_sites, registered_hints
from tests.conftest import FAST, REPO, run_nianbao

BEIJING = "https://zfxxgk.beijing.gov.cn/"        # the one host of the built-in registry
BEIJING_COLUMN = "/110016/zfxxgknb/list.shtml"
COLUMN = "/zfxxgk/zfxxgknb/list.shtml"           # the report column of the yangcheng replica


@pytest.fixture(autouse=True)
def no_registered_hints(monkeypatch):
    """Each test starts with only the built-in registry: registration is process-wide."""
    monkeypatch.setattr(sites_module, "_REGISTERED", {})


def _write(tmp_path: Path, text: str, name: str = "sites.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- parsing --------------------------------------------------------------------------------------------------
GOOD = """\
# portals to crawl
sites:
  - url: http://www.yczf.gov.cn/           # home page or report column (required)
    name: 阳城县人民政府                      # optional label
    columns: [/zwgk/zfxxgknb/]              # optional per-site hints (same keys as crawler/discover/sites.yaml)
    page_keys: [pageIndex]
  - http://www.panshi.gov.cn/               # a bare URL is fine too
"""


def test_good_file_gives_its_sites_in_order(tmp_path):
    assert load_crawl_sites(_write(tmp_path, GOOD)) == [
        CrawlSite("http://www.yczf.gov.cn/", "阳城县人民政府", SiteHints(("/zwgk/zfxxgknb/",), ("pageIndex",))),
        CrawlSite("http://www.panshi.gov.cn/"),
    ]


def test_bare_urls_and_partial_entries(tmp_path):
    path = _write(tmp_path, "sites:\n- https://www.a.gov.cn/xxgk/nb/index.html\n- url: http://b.gov.cn:8080\n"
                            "- {url: 'http://c.gov.cn/', page_keys: [pg]}\n- url: http://d.gov.cn/\n  columns: []\n")
    assert load_crawl_sites(path) == [
        CrawlSite("https://www.a.gov.cn/xxgk/nb/index.html"),
        CrawlSite("http://b.gov.cn:8080"),
        CrawlSite("http://c.gov.cn/", hints=SiteHints(page_keys=("pg",))),
        CrawlSite("http://d.gov.cn/"),
    ]


def test_relative_path_is_read_from_the_current_directory(tmp_path, monkeypatch):
    _write(tmp_path, "sites: [http://a.gov.cn/]\n", "mine.yaml")
    monkeypatch.chdir(tmp_path)
    assert load_crawl_sites("mine.yaml") == [CrawlSite("http://a.gov.cn/")]
    with pytest.raises(ValueError, match=f"^sites file {tmp_path / 'missing.yaml'}: no such file$"):
        load_crawl_sites("missing.yaml")


ERRORS = [
    # (file text, expected message after "sites file PATH")
    ("", ": expected a mapping with a 'sites' list at the top"),
    ("- http://a.gov.cn/\n", ": expected a mapping with a 'sites' list at the top"),
    ("site:\n  - http://a.gov.cn/\n", ": expected a mapping with a 'sites' list at the top"),
    ("sites: [http://a.gov.cn/]\nhints: {}\n", ": unknown top-level key 'hints' (only 'sites' is allowed)"),
    ("sites: http://a.gov.cn/\n", ": 'sites' must be a list, got str"),
    ("sites:\n  url: http://a.gov.cn/\n", ": 'sites' must be a list, got dict"),
    ("sites: []\n", ": 'sites' lists no sites"),
    ("sites:\n", ": 'sites' must be a list, got NoneType"),
    ("sites:\n  - [http://a.gov.cn/\n", ": not valid YAML (line 3, column 1): expected ',' or ']', but got '<stream end>'"),
    ("sites:\n  - http://a.gov.cn/\n  - www.b.gov.cn\n", ", entry 2 (line 3): not an absolute http(s) URL: 'www.b.gov.cn'"),
    ("sites:\n  - ftp://a.gov.cn/\n", ", entry 1 (line 2): not an absolute http(s) URL: 'ftp://a.gov.cn/'"),
    ("sites:\n  - 42\n", ", entry 1 (line 2): expected a URL or a mapping with url:, got int 42"),
    ("sites:\n  - [http://a.gov.cn/]\n", ", entry 1 (line 2): expected a URL or a mapping with url:, "
                                         "got list ['http://a.gov.cn/']"),
    ("sites:\n  - name: 阳城\n", ", entry 1 (line 2): url is required"),
    ("sites:\n  - url:\n", ", entry 1 (line 2): url is required"),
    ("sites:\n  - url: /zwgk/\n", ", entry 1 (line 2): not an absolute http(s) URL: '/zwgk/'"),
    ("sites:\n  - url: http://a.gov.cn/\n    colums: [/x/]\n",
     ", entry 1 (line 2): unknown key 'colums' (allowed: url, name, columns, page_keys)"),
    ("sites:\n  - url: http://a.gov.cn/\n    hint: 1\n    pages: 2\n",
     ", entry 1 (line 2): unknown keys 'hint', 'pages' (allowed: url, name, columns, page_keys)"),
    ("sites:\n  - url: http://a.gov.cn/\n    columns: /zwgk/nb/\n",
     ", entry 1 (line 2): columns must be a list of strings, got str '/zwgk/nb/'"),
    ("sites:\n  - url: http://a.gov.cn/\n    columns: [/a/, 3]\n",
     ", entry 1 (line 2): columns must be a list of non-empty strings, got item 3"),
    ("sites:\n  - url: http://a.gov.cn/\n    page_keys: {pg: 1}\n",
     ", entry 1 (line 2): page_keys must be a list of strings, got dict {'pg': 1}"),
    ("sites:\n  - url: http://a.gov.cn/\n    page_keys: [page=2]\n",
     ", entry 1 (line 2): page_keys: 'page=2' is not a query key name"),
    ("sites:\n  - url: http://a.gov.cn/\n    columns: ['http://b.gov.cn/nb/']\n",
     ", entry 1 (line 2): columns: 'http://b.gov.cn/nb/' is not on the site's host a.gov.cn"),
    ("sites:\n  - url: http://a.gov.cn/\n    columns: ['/nb/ list/']\n",
     ", entry 1 (line 2): columns: '/nb/ list/' contains whitespace"),
    ("sites:\n  - url: http://a.gov.cn/\n    name: 2024\n", ", entry 1 (line 2): name must be a non-empty string, got 2024"),
    ("sites:\n  - http://a.gov.cn/\n  - url: http://b.gov.cn/\n  - url: http://a.gov.cn/\n",
     ", entry 3 (line 4): http://a.gov.cn/ is listed already (entry 1)"),
]


@pytest.mark.parametrize("text, message", ERRORS, ids=[m.lstrip(",: ")[:40] for _, m in ERRORS])
def test_malformed_file_is_one_value_error_naming_file_entry_and_problem(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ValueError) as raised:
        load_crawl_sites(path)
    assert str(raised.value) == f"sites file {path}{message}"
    assert "\n" not in str(raised.value)
    assert raised.value.__cause__ is None       # no chained traceback (YAML's own error) behind it


def test_unreadable_files_are_value_errors_too(tmp_path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("sites: [http://a.gov.cn/]  # é\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin\.yaml: not UTF-8 text$"):
        load_crawl_sites(latin)
    with pytest.raises(ValueError, match=r": cannot read: Is a directory$"):
        load_crawl_sites(tmp_path)


# --- hints ----------------------------------------------------------------------------------------------------
def test_site_hints_are_registered_for_their_host_only(tmp_path):
    assert hints_for("http://www.yczf.gov.cn/") is NO_HINTS
    load_crawl_sites(_write(tmp_path, GOOD))
    expected_hints = SiteHints(("/zwgk/zfxxgknb/",), ("pageIndex",))
    assert hints_for("http://www.yczf.gov.cn/") == expected_hints
    assert hints_for("https://WWW.YCZF.gov.cn:8443/zwgk/list.html?a=1") == expected_hints   # host only, port ignored
    assert hints_for("http://yczf.gov.cn/") is NO_HINTS                                      # not another host
    assert hints_for("http://www.panshi.gov.cn/") is NO_HINTS                                # a bare URL: none
    assert registered_hints() == {"www.yczf.gov.cn": expected_hints}


def test_a_file_field_replaces_the_built_in_one_and_leaves_the_others(tmp_path):
    load_crawl_sites(_write(tmp_path, f"sites:\n  - url: {BEIJING}\n    page_keys: [pg]\n"))
    assert hints_for(BEIJING) == SiteHints((BEIJING_COLUMN,), ("pg",))
    load_crawl_sites(_write(tmp_path, f"sites:\n  - url: {BEIJING}\n    columns: []\n", "second.yaml"))
    assert hints_for(BEIJING) == SiteHints((), ("pg",))        # an empty list switches a built-in hint off


def test_entries_on_one_host_add_up_their_hints(tmp_path):
    load_crawl_sites(_write(tmp_path, "sites:\n  - url: http://a.gov.cn/\n    columns: [/x/]\n"
                                      "  - url: http://a.gov.cn/xxgk/\n    columns: [/y/, /x/]\n    page_keys: [p]\n"))
    assert hints_for("http://a.gov.cn/") == SiteHints(("/x/", "/y/"), ("p",))


def test_a_rejected_file_registers_nothing(tmp_path):
    with pytest.raises(ValueError, match="entry 2"):
        load_crawl_sites(_write(tmp_path, "sites:\n  - {url: 'http://a.gov.cn/', columns: [/x/]}\n  - nonsense\n"))
    assert hints_for("http://a.gov.cn/") is NO_HINTS and registered_hints() == {}


def test_registered_column_reaches_the_listing_analysis_of_its_host_only(tmp_path):
    load_crawl_sites(_write(tmp_path, "sites:\n  - url: http://a.gov.cn/\n    columns: [/zwgk/nb/]\n"))
    home = "<html><head><title>首页</title></head><body><a href='/news/'>新闻</a></body></html>"
    offered = {link.url for link in analyse_listing(home, "http://a.gov.cn/").column_links}
    assert "http://a.gov.cn/zwgk/nb/" in offered
    other = {link.url for link in analyse_listing(home, "http://b.gov.cn/").column_links}
    assert not any(u.endswith("/zwgk/nb/") for u in other)


def test_built_in_registry_is_read_from_a_zipped_package(tmp_path):
    """As in a scrapyd egg: crawler/discover/sites.yaml is not a file on disk there."""
    archive = tmp_path / "crawler.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in (REPO / "crawler").rglob("*.py"):
            zf.write(path, f"crawler/{path.relative_to(REPO / 'crawler')}")
        zf.write(REPO / "crawler" / "discover" / "sites.yaml", "crawler/discover/sites.yaml")
    code = (f"import sys; sys.path.insert(0, {str(archive)!r}); import crawler.discover.sites as s; "
            f"assert s.__file__.startswith({str(archive)!r}), s.__file__; "
            f"print(s.hints_for({BEIJING!r}).columns)")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == repr((BEIJING_COLUMN,))


# --- the CLI --------------------------------------------------------------------------------------------------
def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_crawl_of_a_sites_file_feeds_every_listed_site(replica, tmp_path):
    yangcheng, tongyu = replica.url("yangcheng", "/"), replica.url("tongyu", "/")
    # Yangcheng's home page reaches its report column through a hub (/zfxxgk/); the hint goes there directly.
    path = _write(tmp_path, f"# two replica portals\nsites:\n  - url: {yangcheng}\n    name: 阳城县人民政府\n"
                            f"    columns: [{COLUMN}]\n  - {tongyu}\n")
    store = tmp_path / "store"
    proc = run_nianbao("crawl", "--sites", str(path), "--store", str(store), *FAST, "--log-level", "DEBUG")
    log = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, log[-3000:]
    feed = read_feed(store / "feed")
    netlocs = {"yangcheng": urlsplit(yangcheng).netloc, "tongyu": urlsplit(tongyu).netloc}
    assert {r["site"] for r in feed} == set(netlocs.values())
    for name, netloc in netlocs.items():
        fed = {_path_of(r["url"]) for r in feed if r["site"] == netloc}
        originals = [set(e["paths"]) for e in expected(scale=1)
                     if e["site"] == name and e.get("kind", "report") == "report" and not e.get("repost_of")]
        assert originals and all(paths & fed for paths in originals), f"{name}: fed {sorted(fed)}"
    # The hint reached the crawl: the column was asked straight from the home page, its hub never; only there.
    assert f"<GET {yangcheng}{COLUMN[1:]}> (referer: {yangcheng})" in log
    assert f"<GET {yangcheng}zfxxgk/>" not in log
    assert f"<GET {tongyu}{COLUMN[1:]}>" not in log


def test_crawl_needs_urls_or_a_sites_file(tmp_path):
    proc = run_nianbao("crawl", "--store", str(tmp_path / "store"), timeout=60)
    assert proc.returncode == 2
    assert b"crawl needs URLs or --sites FILE" in proc.stderr


def test_malformed_sites_file_is_one_line_on_stderr(tmp_path):
    path = _write(tmp_path, "sites:\n  - url: http://a.gov.cn/\n    colums: [/x/]\n")
    proc = run_nianbao("crawl", "--sites", str(path), "--store", str(tmp_path / "store"), *FAST, timeout=60)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert stderr.strip() == (f"nianbao: sites file {path}, entry 1 (line 2): unknown key 'colums' "
                              f"(allowed: url, name, columns, page_keys)")
    assert not (tmp_path / "store").exists()      # nothing started
