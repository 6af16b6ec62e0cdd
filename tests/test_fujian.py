"""The 永春县 replica, reports published as files: served over HTTP as real servers send them, and read
back through crawler.read.files into the ground-truth text."""

from __future__ import annotations

import difflib
import re
import urllib.error
import urllib.request
from urllib.parse import unquote, urljoin

import lxml.html
import pytest

from crawler.read.extract import extract_page
from crawler.read.files import BadFile, file_kind, read_file
from replica.fujian import COLUMN, CONTENT_TYPES, Fujian
from replica.server import serve, stop

SITE = Fujian()
REPORTS = [e for e in SITE.truth if e["kind"] == "report"]
TRAPS = [e for e in SITE.truth if e["kind"] == "bad_file"]
FILE_REPORTS = [e for e in REPORTS if e["raw_kind"] != "html"]
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
# Measured on these files: OCR scores 0.97-0.99 against the source text (difflib ratio, whitespace removed).
OCR_MIN_RATIO = 0.9


@pytest.fixture(scope="module")
def site_url():
    ctx, servers = serve([SITE], base="127.0.1", port=0)
    try:
        yield lambda path: urljoin(ctx.bases["fujian"], path)
    finally:
        stop(ctx, servers)


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with OPENER.open(url, timeout=20) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def download_name(headers: dict) -> str | None:
    """The file name a Content-Disposition gives (RFC 5987 filename*=UTF-8''...)."""
    match = re.search(r"filename\*=UTF-8''([^;]+)", headers.get("content-disposition", ""))
    return unquote(match.group(1)) if match else None


def similarity(got: str, want: str) -> float:
    squash = lambda text: "".join(text.split())  # noqa: E731
    return difflib.SequenceMatcher(None, squash(want), squash(got), autojunk=False).ratio()


def test_every_publication_style_is_in_the_truth():
    kinds = sorted(e["raw_kind"] for e in REPORTS)
    assert kinds == ["doc", "docx", "html", "html", "html", "image", "pdf", "pdf", "pdf", "pdf", "wps"]
    assert sorted(e["reason"] for e in TRAPS) == sorted([
        "empty file", "truncated or corrupt PDF", "mislabelled file: the .pdf is an HTML page",
        "password-protected PDF", "unknown binary: the .doc matches no known file format"])
    assert [e["raw_kind"] for e in REPORTS if e["ocr"]] == ["pdf", "image"]
    files = [p for p in SITE.routes if re.search(r"\.(pdf|docx?|wps|xls|png)$", p)]
    assert 12 <= len(files) <= 15
    assert any(p.startswith("/module/download/downfile.jsp?classid=0&filename=") for p in files)
    assert any(re.fullmatch(r"/zwgk/zfxxgknb/\d{6}/P0\d{20}\.pdf", p) for p in files)


def test_the_column_lists_every_report_and_bad_file(site_url):
    hrefs = set()
    for page in ("index.html", "index_1.html"):
        status, headers, body = fetch(site_url(COLUMN + page))
        assert status == 200 and headers["content-type"].startswith("text/html")
        root = lxml.html.fromstring(body.decode("utf-8"))
        hrefs |= {urljoin(site_url(COLUMN + page), a.get("href")) for a in root.cssselect("ul.list a")}
    assert "createPageHTML(2, 1," in body.decode("utf-8")
    for entry in REPORTS:
        assert site_url(entry["paths"][0]) in hrefs
    for trap in TRAPS:
        assert site_url(trap.get("page") or trap["path"]) in hrefs


@pytest.mark.parametrize("entry", [e for e in FILE_REPORTS if not e["ocr"]], ids=lambda e: e["raw_kind"])
def test_report_files_are_served_and_read_back_as_the_truth_text(site_url, entry):
    status, headers, body = fetch(site_url(entry["raw_path"]))
    assert status == 200 and int(headers["content-length"]) == len(body) > 1000
    name = download_name(headers)
    if entry["raw_path"].startswith("/module/download/"):
        # Hanweb's download script: octet-stream, the real name only in Content-Disposition
        assert headers["content-type"] == "application/octet-stream"
        assert name.endswith("." + entry["raw_kind"]) and entry["title"] in name
    else:
        assert headers["content-type"] == CONTENT_TYPES[entry["raw_kind"]] and name is None
    assert file_kind(body, headers["content-type"], name or entry["raw_path"]) == entry["raw_kind"]
    result = read_file(body, headers["content-type"], name or entry["raw_path"])
    assert result.text == entry["text"]


def test_the_article_pages_hold_what_the_truth_says(site_url):
    for entry in REPORTS:
        path = entry["paths"][0]
        if not path.endswith(".html"):
            continue
        status, headers, body = fetch(site_url(path))
        assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
        page = body.decode("utf-8")
        root = lxml.html.fromstring(page)
        links = {urljoin(site_url(path), el.get("href") or el.get("src")) for el in root.iter("a", "img")}
        assert {site_url(a) for a in entry["attachments"]} <= links
        if entry["raw_kind"] == "html":
            assert extract_page(page).text == entry["text"]


def test_the_html_report_is_attached_again_as_docx(site_url):
    entry = next(e for e in REPORTS if e["raw_kind"] == "html" and e["attachments"])
    status, headers, body = fetch(site_url(entry["attachments"][0]))
    assert status == 200 and download_name(headers).endswith(".docx")
    assert read_file(body, headers["content-type"], download_name(headers)).text == entry["text"]


def test_the_statistics_tables_come_as_xls(site_url):
    entry = next(e for e in REPORTS if "tables_path" in e)
    status, headers, body = fetch(site_url(entry["tables_path"]))
    assert status == 200 and headers["content-type"] == "application/vnd.ms-excel"
    assert read_file(body, headers["content-type"], entry["tables_path"]).text == entry["tables_text"]
    assert "详见附件2" in entry["text"] and "\t" not in entry["text"]


@pytest.mark.parametrize("entry", [e for e in FILE_REPORTS if e["ocr"]], ids=lambda e: e["raw_kind"])
def test_scans_and_images_are_read_by_ocr(site_url, entry):
    status, headers, body = fetch(site_url(entry["raw_path"]))
    assert status == 200 and headers["content-type"] == CONTENT_TYPES["png" if entry["raw_kind"] == "image" else "pdf"]
    result = read_file(body, headers["content-type"], entry["raw_path"])
    assert result.ocr and result.ocr_confidence >= 0.7
    assert similarity(result.text, entry["text"]) >= OCR_MIN_RATIO
    head = "\n".join(entry["text"].splitlines()[:4])
    assert similarity("\n".join(result.text.splitlines()[:4]), head) >= OCR_MIN_RATIO


@pytest.mark.parametrize("trap", TRAPS, ids=lambda t: t["reason"].split(":")[0].replace(" ", "_"))
def test_bad_files_are_served_and_refused_with_their_reason(site_url, trap):
    status, headers, body = fetch(site_url(trap["path"]))
    assert status == 200
    name = download_name(headers) or trap["path"]
    with pytest.raises(BadFile) as err:
        read_file(body, headers["content-type"], name)
    assert err.value.reason == trap["reason"]
