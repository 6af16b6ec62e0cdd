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


# -- rules by the nature of the page, each on a variant of no vendor the rules name ------------------------------

def test_a_short_page_telling_the_visitor_their_request_was_blocked_is_a_waf_block_whatever_the_vendor():
    zh = ("<html><head><title>提示</title></head><body><div class='box'><p>抱歉，您的IP因访问频率过高已被临时封禁，"
          "请十分钟后再试。</p><p>编号：c0ffee42</p></div></body></html>").encode()
    en = b"<html><body><h2>Sorry, your request has been blocked by the security policy.</h2><p>ref 9f2c</p></body></html>"
    for status, body in ((406, zh), (200, zh), (403, en)):
        found = detect_challenge(status, body, "text/html")
        assert found is not None and found.kind == "waf" and not found.solvable, (status, body[:40])


def test_a_block_message_filled_in_by_the_pages_script_still_counts():
    body = ("<html><body><div id='msg'></div><script>document.getElementById('msg').innerText="
            "'当前请求存在安全风险，已被防护系统阻断';</script></body></html>").encode()
    assert detect_challenge(403, body, "text/html").kind == "waf"


def test_a_waf_vendors_block_page_furniture_marks_a_block_even_without_words():
    body = b'<html><body><img src="https://errors.aliyun.com/images/TB1Forbidden-440-90.png"><p>Forbidden</p></body></html>'
    assert detect_challenge(405, body, "text/html").kind == "waf"


def test_a_near_empty_page_whose_obfuscated_script_sets_a_cookie_and_reloads_is_a_challenge():
    body = (b"<html><head><noscript>\xe8\xaf\xb7\xe5\x90\xaf\xe7\x94\xa8JavaScript</noscript><script>var _0x1=['cookie','reload'];"
            b"(function(w,d){d[_0x1[0]]='v_tk='+(+new Date()).toString(16)+';path=/';w['location'][_0x1[1]]();})"
            b"(window,document);</script></head><body></body></html>")
    found = detect_challenge(200, body, "text/html")
    assert found is not None and found.kind == "shield" and found.solvable


def test_a_real_page_with_a_cookie_and_reload_button_or_a_firewall_story_is_not_a_challenge():
    night = ("<html><head><title>某县2023年政府信息公开工作年度报告</title><script>function night(){document.cookie='night=1;path=/';"
             "location.reload();}</script></head><body><div class='nav'><a href='/'>首页</a><a href='/zwgk/'>政务公开</a>"
             "<a href='javascript:night()'>夜间模式</a></div><h1>某县2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
             "<p>本年度共主动公开政府信息1200条。</p></body></html>").encode()
    story = ("<html><head><title>网络安全攻防演练情况通报</title></head><body><h1>网络安全攻防演练情况通报</h1><p>本次攻防演练中，"
             "网站防火墙共拦截恶意访问请求1.2万次，其中来自境外的攻击访问已被全部阻断，非法请求均已记录。</p></body></html>").encode()
    shell = (b'<html><head><title>\xe6\x94\xbf\xe5\x8a\xa1\xe5\x85\xac\xe5\xbc\x80</title></head><body><noscript>'
             b'\xe8\xaf\xb7\xe5\xbc\x80\xe5\x90\xafJavaScript</noscript><div id="app"></div>'
             b'<script src="/js/chunk-vendors.js"></script><script src="/js/app.js"></script></body></html>')
    for body in (night, story, shell):
        assert detect_challenge(200, body, "text/html") is None, body[:60]


def test_a_redirect_stub_with_an_analytics_cookie_or_a_frameset_is_not_a_challenge():
    stub = (b"<html><head><script>document.cookie='uv_id='+Math.random()+';path=/';</script></head><body>"
            b"<script>window.location.href='/col/col1229/index.html';</script></body></html>")
    frames = (b"<html><head><script>document.cookie='sid=1;path=/';if(top!==self){top.location=self.location;}</script>"
              b"</head><frameset rows='100%'><frame src='/main/index.html'></frameset></html>")
    for body in (stub, frames):
        assert detect_challenge(200, body, "text/html") is None, body[:60]
