"""Tests for crawler.discover.urls: canonical URL spelling and the http(s) validity check."""

import pytest

from crawler.discover.urls import canonicalize, is_valid_http_url


@pytest.mark.parametrize("url, expected", [
    # scheme/host case, default port, fragment, empty path
    ("HTTP://WWW.Lsz.GOV.CN:80/zwgk/index.html#top", "http://www.lsz.gov.cn/zwgk/index.html"),
    ("https://www.gov.cn:443", "https://www.gov.cn/"),
    ("http://www.gov.cn:8080/a", "http://www.gov.cn:8080/a"),
    # per-visitor session ids in path parameters and in the query, any case
    ("http://czj.km.gov.cn/xxgknb/t20190214_1.htm;jsessionid=8A1F0B2C3D4E5F60", "http://czj.km.gov.cn/xxgknb/t20190214_1.htm"),
    ("http://x.gov.cn/list.jsp;JSESSIONID=abc?cat_id=5", "http://x.gov.cn/list.jsp?cat_id=5"),
    ("http://x.gov.cn/a.jsp?JSESSIONID=0A1B&id=3", "http://x.gov.cn/a.jsp?id=3"),
    ("http://x.gov.cn/a.php?PHPSESSID=9s8d7f6g5h4j3k2l&page=2", "http://x.gov.cn/a.php?page=2"),
    ("http://x.gov.cn/list.asp?ASPSESSIONIDQSRTABCD=KLMNOPQR&classid=23", "http://x.gov.cn/list.asp?classid=23"),
    ("http://x.gov.cn/a.jsp?sid=ab12cd34ef56gh78ij90&id=3", "http://x.gov.cn/a.jsp?id=3"),
    # 瑞数 rewrites URLs with a per-visitor MmEwMD token
    ("http://x.gov.cn/list.html?MmEwMD=4dF8.xyz&page=2", "http://x.gov.cn/list.html?page=2"),
    # tracking dropped; content-selecting keys kept, in their order, repeated keys too
    ("http://x.gov.cn/a.htm?utm_source=wechat&columnid=7&utm_medium=share&spm=a2c4g.1&page=3",
     "http://x.gov.cn/a.htm?columnid=7&page=3"),
    ("http://x.gov.cn/s.jsp?page=2&id=9&channelid=3&from=1", "http://x.gov.cn/s.jsp?page=2&id=9&channelid=3&from=1"),
    ("http://x.gov.cn/s.jsp?b=2&a=1&b=3", "http://x.gov.cn/s.jsp?b=2&a=1&b=3"),
    ("http://x.gov.cn/a.htm?utm_source=x", "http://x.gov.cn/a.htm"),
    ("http://x.gov.cn/a.htm?", "http://x.gov.cn/a.htm"),
    # dot segments, non-ASCII as UTF-8 escapes, escapes upper-cased, surrounding whitespace
    ("http://x.gov.cn/zwgk/./nb/../zfxxgknb/index.html", "http://x.gov.cn/zwgk/zfxxgknb/index.html"),
    ("http://x.gov.cn/政府/信息公开?q=年报", "http://x.gov.cn/%E6%94%BF%E5%BA%9C/%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80?q=%E5%B9%B4%E6%8A%A5"),
    ("http://x.gov.cn/a%2fb?x=%e5%b9", "http://x.gov.cn/a%2Fb?x=%E5%B9"),
    ("  http://x.gov.cn/a.html\n", "http://x.gov.cn/a.html"),
])
def test_canonicalize(url, expected):
    assert canonicalize(url) == expected


def test_sid_that_is_a_site_id_is_kept():
    # Guangdong gkmlpt's list API selects the site with a short numeric sid.
    url = "http://www.gd.gov.cn/gkmlpt/api/all/5?page=1&sid=2"
    assert canonicalize(url) == url


def test_gbk_escapes_in_query_are_kept_as_bytes():
    # 市长信箱 in GBK (portals.md §4) must not be re-encoded as UTF-8.
    url = "http://x.gov.cn/mailbox.asp?MailBox=%CA%D0%B3%A4%D0%C5%CF%E4"
    assert canonicalize(url) == url


def test_session_and_tracking_variants_collapse_to_one_url():
    variants = [
        "http://czj.example.gov.cn/xxgknb/201902/t20190214_3062489.htm",
        "HTTP://CZJ.Example.GOV.cn:80/xxgknb/201902/t20190214_3062489.htm#content",
        "http://czj.example.gov.cn/xxgknb/201902/t20190214_3062489.htm;jsessionid=8A1F0B2C3D4E",
        "http://czj.example.gov.cn/xxgknb/201902/t20190214_3062489.htm?utm_source=wechat&utm_medium=share",
        "http://czj.example.gov.cn/xxgknb/./201902/t20190214_3062489.htm?JSESSIONID=1&spm=a.b",
    ]
    assert len({canonicalize(v) for v in variants}) == 1


@pytest.mark.parametrize("url", [
    "http://WWW.X.gov.cn:80/a/../b;jsessionid=1?utm_source=1&id=2#f",
    "https://x.gov.cn/政府?q=公开",
    "http://x.gov.cn/list.asp?classid=23&page=2",
])
def test_canonicalize_is_idempotent(url):
    once = canonicalize(url)
    assert canonicalize(once) == once


@pytest.mark.parametrize("garbage", [
    "", "   ", "javascript:void(0)", "JavaScript:openArticle(1)", "mailto:xxgk@example.gov.cn",
    "tel:0871-12345678", "./201902/t20190214_1.htm", "/zwgk/", "http://", "http://[::1",
    "http://x.gov.cn:99999/", "ftp://x.gov.cn/a.pdf", "data:text/html,<a>",
])
def test_garbage_is_returned_unchanged_and_invalid(garbage):
    assert canonicalize(garbage) == garbage
    assert not is_valid_http_url(garbage)


def test_non_string_input_does_not_raise():
    assert canonicalize(None) is None
    assert not is_valid_http_url(None)
    assert not is_valid_http_url(b"http://x.gov.cn/")


@pytest.mark.parametrize("url", [
    "http://x.gov.cn/", "https://www.gov.cn/zhengce/content/202401/content_6924731.htm",
    "http://122.137.242.24:8080/pub/slsxxgkw/", "http://[::1]:8080/a", "HTTP://X.GOV.CN",
])
def test_valid_http_urls(url):
    assert is_valid_http_url(url)
