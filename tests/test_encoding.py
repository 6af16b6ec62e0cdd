"""Decoding portal pages: declared, lying and missing charsets; GBK-only characters; garbage refused."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from crawler.read.encoding import DecodeError, decode_html, decode_text

PAGES = Path(__file__).parent / "data" / "pages"


def read(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def test_gb2312_meta_is_read_as_gb18030_and_keeps_gbk_only_characters():
    body = read("gbk_layout_tables_tongyu_2016.html")
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")            # the declaration alone would lose 喆 and 堃
    decoded = decode_html(body)
    assert (decoded.encoding, decoded.source) == ("gb18030", "meta")
    assert "联系人：王喆、李堃" in decoded.text
    assert "通榆县人民政府关于2016年度政府信息公开工作年度报告" in decoded.text


def test_header_charset_wins_over_meta():
    body = read("gbk_layout_tables_tongyu_2016.html")
    decoded = decode_html(body, "text/html; charset=GBK")
    assert (decoded.encoding, decoded.source) == ("gb18030", "header")


def test_lying_meta_utf8_declared_over_gbk_bytes_is_overridden():
    body = read("meta_lies_utf8_declared_gbk_bytes.html")
    decoded = decode_html(body)
    assert (decoded.encoding, decoded.source) == ("gb18030", "detected")
    assert "社溪镇政府2019年度信息公开年度" in decoded.text
    assert "杨琍" in decoded.text        # GBK-only


def test_lying_header_and_meta_both_overridden():
    decoded = decode_html(read("meta_lies_utf8_declared_gbk_bytes.html"), "text/html; charset=utf-8")
    assert decoded.encoding == "gb18030"
    assert "\ufffd" not in decoded.text


def test_latin1_header_over_gbk_bytes_is_mojibake_and_overridden():
    # Tomcat-style default charset: cp1252 decodes the GBK bytes strictly, but into mojibake
    body = read("gbk_layout_tables_tongyu_2016.html")
    decoded = decode_html(body, "text/html; charset=ISO-8859-1")
    assert decoded.encoding == "gb18030"
    assert "政府信息公开" in decoded.text


def test_utf8_page_declaring_gb2312_is_read_as_utf8():
    text = '<html><head><meta charset="gb2312"></head><body><p>横河镇人民政府2020年政府信息公开工作年度报告</p></body></html>'
    decoded = decode_html(text.encode("utf-8"))
    assert decoded.encoding == "utf-8"
    assert "横河镇人民政府" in decoded.text


def test_bom_wins():
    text = "<p>社溪镇</p>"
    decoded = decode_html(b"\xef\xbb\xbf" + text.encode("utf-8"), "text/html; charset=gbk")
    assert (decoded.text, decoded.encoding, decoded.source) == (text, "utf-8", "bom")


def test_utf8_pages_decode_as_declared():
    decoded = decode_html(read("trs_article_songshan_2018.html"))
    assert (decoded.encoding, decoded.source) == ("utf-8", "meta")


def test_random_bytes_raise_decode_error():
    garbage = random.Random(20190227).randbytes(4096)
    with pytest.raises(DecodeError):
        decode_html(garbage, "text/html; charset=utf-8")


def test_replacement_characters_are_refused():
    # a page already mangled upstream: strict utf-8 succeeds, but the text is lossy
    lossy = "<p>2018\ufffd\ufffd1\ufffd\ufffd1\ufffd\ufffd起</p>".encode("utf-8")
    with pytest.raises(DecodeError):
        decode_html(lossy)


def test_truncated_multibyte_in_gbk_page_is_not_silently_dropped():
    body = read("gbk_layout_tables_tongyu_2016.html")
    broken = body[:3001] + b"\xff" + body[3001:]
    # one stray byte: a decoder that skips or replaces it would hand on a page that lost a character; the
    # page is refused instead (the crawl records the failure and keeps the bytes)
    with pytest.raises(DecodeError):
        decode_html(broken)
    with pytest.raises(DecodeError):
        decode_html(broken, "text/html; charset=gbk")


def test_decode_text_ignores_html_meta():
    body = '<meta charset="utf-8">统计期限自2016年1月1日起'.encode("gbk")
    decoded = decode_text(body)
    assert decoded.encoding == "gb18030"
    assert decoded.text.endswith("2016年1月1日起")


def test_plain_ascii_without_declaration():
    assert decode_html(b"<html><body>ok</body></html>").text == "<html><body>ok</body></html>"
