"""crawler.discover.challenges: challenge and block pages are recognised by their markers, real pages are not."""

from pathlib import Path

import pytest

from crawler.discover.challenges import detect_challenge

DATA = Path(__file__).parent / "data" / "pages"

JSL_1 = (b"<html><script>document.cookie=('_')+('_')+('j')+('sl_clearance_s=')+(+!+[]+'6'+(1+[0]-(1))+"
         b"'|0|')+('pD2b%2F')+(';max-age=3600;path=/');location.href=location.pathname+location.search"
         b"</script></html>")
JSL_2 = (b'<html><head><meta charset="utf-8"></head><body><script>var _0x3e1c=["chars"];function go(_0x1){...}'
         b'go({"bts":["1700000000.123|0|abc","%3D"],"chars":"AbCdEfGhIjKlMnOpQrStUvWxYz","ct":"9f1c2e",'
         b'"ha":"sha1","is":true,"tn":"__jsl_clearance_s","vt":"3600","wt":"1500"})</script></body></html>')
RUISHU = (b"<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
          b"<meta id=\"9DhefwqGPrzGxEp9hPaoag\" content=\"" + b"x" * 300 + b"\" r='m'>"
          b"<script type=\"text/javascript\" r='m'>$_ts=window['$_ts'];if(!$_ts)$_ts=window['$_ts']={};"
          b"$_ts.nsd=84512;$_ts.cd=\"qhxcrrAlEq\";</script><script type=\"text/javascript\" charset=\"utf-8\" "
          b"src=\"/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js\" r='m'></script></head><body></body></html>")
SHIELD = ("<html><head><title>安全检测中</title><script>var t=Date.now();document.cookie='sec_verify='+t.toString(36)+"
          "';path=/';setTimeout(function(){location.reload()},300);</script></head><body>"
          "<p>正在进行安全检测，请稍候……</p></body></html>").encode()
WAF = ("<html><head><title>访问被拦截</title></head><body><h1>您的访问被拦截</h1><p>网站防火墙检测到您的请求存在异常，"
       "已被拦截。事件ID：8a3f21c0</p></body></html>").encode()


@pytest.mark.parametrize("status, body, kind", [
    (521, JSL_1, "jsl"), (521, JSL_2, "jsl"), (412, RUISHU, "ruishu"), (202, RUISHU, "ruishu"),
    (200, RUISHU, "ruishu"), (200, SHIELD, "shield"), (403, WAF, "waf"), (200, WAF, "waf"),
])
def test_challenges_are_recognised_by_body_whatever_the_status(status, body, kind):
    found = detect_challenge(status, body, "text/html; charset=utf-8")
    assert found is not None and found.kind == kind
    assert found.solvable == (kind != "waf")


def test_real_pages_are_not_challenges():
    # every stored report and listing page, including ones with inline scripts that set cookies
    pages = sorted(DATA.glob("*.html"))
    assert pages
    for path in pages:
        assert detect_challenge(200, path.read_bytes(), "text/html") is None, path.name


def test_a_report_that_quotes_a_waf_name_is_still_a_report():
    body = ("<html><body><div class='content'>" + "本机关网站部署了网站防火墙，全年拦截攻击三万次。" * 40
            + "</div></body></html>").encode()
    assert detect_challenge(200, body, "text/html") is None


def test_files_and_plain_errors_are_not_challenges():
    assert detect_challenge(200, b"%PDF-1.7 document.cookie=1; location.reload()", "application/pdf") is None
    assert detect_challenge(404, b"<html><body><h1>404</h1><p>\xe9\xa1\xb5\xe9\x9d\xa2\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8"
                                 b"</p></body></html>", "text/html") is None
    assert detect_challenge(521, b"<html><script>x=1</script></html>", "text/html").kind == "jsl"
    assert detect_challenge(412, b"<html><script>x=1</script></html>", "text/html").kind == "shield"


def test_a_viewstate_that_spells_a_marker_is_not_a_waf():
    # ASP.NET list pages are small and their base64 state may spell "WaF" or "waf": only visible text counts
    body = ('<html><body><form><input type="hidden" name="__VIEWSTATE" value="/wEPDwUKLTWaFk5ODc2NTQzMg9k">'
            '<ul><li><a href="Show.aspx?id=1">某县2023年政府信息公开工作年度报告</a></li></ul></form></body></html>').encode()
    assert detect_challenge(200, body, "text/html") is None
