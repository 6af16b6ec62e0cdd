"""Extraction on saved portal pages: the body found by each stage, inline text kept, tables as rows, no chrome."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from crawler.read.encoding import decode_html
from crawler.read.extract import Page, drop_chrome_lines, extract_page, split_html_title

PAGES = Path(__file__).parent / "data" / "pages"


def page_of(name: str, url: str = "") -> Page:
    return extract_page(decode_html((PAGES / name).read_bytes()).text, url)


@pytest.fixture(scope="module")
def songshan() -> Page:
    return page_of("trs_article_songshan_2018.html",
                   "http://www.panshi.gov.cn/zwgk/zfxxgknb/201902/t20190227_391745.html")


@pytest.fixture(scope="module")
def henghe() -> Page:
    return page_of("trs_ueditor_tables_henghe_2020.html")


@pytest.fixture(scope="module")
def tongyu() -> Page:
    return page_of("gbk_layout_tables_tongyu_2016.html")


@pytest.fixture(scope="module")
def shexi() -> Page:
    return page_of("hanweb_zoom_shexi_2019.html")


# ----------------------------------------------------------------------------- TRS article

def test_trs_body_found_by_selector_with_title_first(songshan):
    assert songshan.found_by == "selector:div.TRS_Editor"
    assert songshan.title == "松山镇2018年政府信息公开工作年度报告"
    lines = songshan.text.split("\n")
    assert lines[0] == songshan.title
    assert lines[1].startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert songshan.text.count(songshan.title) == 1


def test_trs_inline_date_parts_are_kept(songshan):
    assert "统计期限从2018年1月1日起至2018年12月31日为止" in songshan.text
    assert songshan.text.endswith("松山镇人民政府\n2019年2月21日")
    assert "我镇成立了政府信息公开领导小组" in songshan.text


@pytest.mark.parametrize("chrome", [
    "登录", "注册", "点击数", "发布日期", "字号", "当前位置", "分享到", "打印本页", "关闭窗口", "上一篇", "下一篇",
    "烟筒山镇", "相关链接", "松山镇2017年", "版权所有", "网站标识码", "ICP备", "网站地图", "TRS_Editor", "font-family",
    "document.write", "_trs_uv", "繁體", "无障碍",
])
def test_trs_chrome_is_gone(songshan, chrome):
    assert chrome not in songshan.text


def test_trs_meta_byline_and_html_title(songshan):
    assert songshan.meta["articletitle"] == "松山镇2018年政府信息公开工作年度报告"
    assert songshan.meta["pubdate"] == "2019-02-27 09:12"
    assert songshan.meta["sitename"] == "磐石市人民政府"
    assert songshan.meta["columnname"] == "政府信息公开年报"
    assert songshan.byline["发布日期"] == "2019-02-27"
    assert "点击数" not in songshan.byline          # the counter is filled by a script: no value
    assert songshan.html_title == "松山镇2018年政府信息公开工作年度报告_磐石市人民政府"


def test_trs_paragraphs_are_lines(songshan):
    lines = songshan.text.split("\n")
    assert "一、基本工作情况" in lines
    assert "八、存在问题及工作打算" in lines
    assert all(line == line.strip() and line for line in lines)


# ----------------------------------------------------------------------------- tables (seed 004)

def test_official_table_rows(henghe):
    lines = henghe.text.split("\n")
    for row in ["信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
                "规章\t0\t0\t0", "规范性文件\t0\t0\t0",
                "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
                "其他对外管理服务事项\t112\t0\t236",
                "行政处罚\t5\t0\t0", "行政强制\t6\t0\t0",
                "行政事业性收费\t0\t0",
                "政府集中采购\t2\t167900",
                "第二十条第（一）项",
                "一、本年新收政府信息公开申请数量" + "\t0" * 7,
                "三、本年度办理结果\t（一）予以公开" + "\t0" * 7,
                "（三）不予公开\t1．属于国家秘密" + "\t0" * 7,
                "3．危及“三安全一稳定”" + "\t0" * 7,
                "（七）总计" + "\t0" * 7,
                "四、结转下年度继续办理" + "\t0" * 7,
                "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2),
                "\t".join(["0"] * 15)]:
        assert row in lines, row


def test_table_header_cells_with_line_breaks_are_joined(henghe):
    assert "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他" in henghe.text.split("\n")


def test_henghe_inline_town_and_title_not_repeated(henghe):
    assert henghe.found_by == "selector:.TRS_UEDITOR"
    assert "在镇党委、政府的正确领导" in henghe.text
    assert "我镇规范性文件底数0" in henghe.text
    assert henghe.text.split("\n")[:2] == ["横河镇人民政府2020年政府信息公开工作年度报告", "一、总体情况"]
    assert henghe.text.count("横河镇人民政府2020年政府信息公开工作年度报告") == 1
    for chrome in ("发布时间", "浏览次数", "分享到", "上一篇", "长者版", "网站标识码", "建议使用", "【打印】"):
        assert chrome not in henghe.text
    assert henghe.byline == {"发布时间": "2021-01-20", "来源": "阳城县横河镇人民政府", "浏览次数": "0"}


# ----------------------------------------------------------------------------- old GBK layout-table site

def test_layout_tables_fall_to_density_and_emit_no_rows(tongyu):
    assert tongyu.found_by == "density"
    assert "\t" not in tongyu.text
    assert tongyu.title == "通榆县人民政府关于2016年度政府信息公开工作年度报告"
    assert tongyu.text.split("\n")[1].startswith("本年度报告是按照")


def test_layout_page_text_and_chrome(tongyu):
    assert "统计期限自2016年1月1日起至2016年12月31日止" in tongyu.text
    assert "（二)公开形式" in tongyu.text
    assert "编发“县长热线情况反映”12期" in tongyu.text
    assert tongyu.text.endswith("通榆县人民政府办公室\n2017年2月17日")
    for chrome in ("网站首页", "走进通榆", "政府信息公开年报", "今天是", "登录", "您现在的位置", "点击数",
                   "打印本页", "上一篇", "版权所有", "网站标识码"):
        assert chrome not in tongyu.text
    assert tongyu.byline == {"发布日期": "2017-02-21", "作者": "县政府办"}


# ----------------------------------------------------------------------------- Hanweb

def test_hanweb_markers_and_split_title(shexi):
    assert shexi.found_by == "hanweb-markers"
    assert shexi.title == "社溪镇政府2019年度信息公开年度报告"
    assert shexi.text.startswith("社溪镇政府2019年度信息公开年度报告\n一、概述\n政务信息公开是转变政府职能")
    assert shexi.text.endswith("为全县政府信息公开工作再上一个新台阶提供保障。")
    for chrome in ("Produced By", "大汉", "索引号", "发布机构", "浏览次数", "打印本页", "滇ICP备", "当前位置"):
        assert chrome not in shexi.text
    assert shexi.byline == {"发布日期": "2020-03-16", "来源": "社溪镇"}
    assert shexi.meta["generator"] == "大汉版通"


# ----------------------------------------------------------------------------- rules on small pages

def wrap(body: str, head: str = "") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def test_inline_elements_never_break_nor_lose_text():
    html = wrap('<div class="TRS_Editor"><p>自2018<span>年</span>1<span>月</span>1<span>日</span>起，'
                '我<b>镇</b>党委<font color="red">高度</font>重视<a href="#">政务</a>公开。</p>'
                '<p>第二段&nbsp;&nbsp;有\u3000空格<br>换行后</p></div>')
    assert extract_page(html).text.split("\n") == [
        "自2018年1月1日起，我镇党委高度重视政务公开。", "第二段 有 空格", "换行后"]


def test_report_prose_mentioning_chrome_words_is_kept():
    prose = ["（三）政府信息公开的收费及减免情况。本年度未收取任何费用，信息来源：本机关门户网站统计。",
             "二是关闭了3个长期不更新的栏目。",
             "来源于群众的申请2件，均已按时答复。",
             "分享到微信公众号的政策解读12篇，点击数累计超过3000次，群众反响良好，下一步将继续加强解读工作。"]
    html = wrap('<div class="TRS_Editor">' + "".join(f"<p>{p}</p>" for p in prose) +
                "<p>发布时间：2020-01-05 来源：本站</p><p>【打印】【关闭】</p><p>上一篇：某某通知</p></div>")
    assert extract_page(html).text.split("\n") == prose


def test_empty_cells_keep_columns_and_nested_layout_table_is_not_data():
    html = wrap('<div class="TRS_Editor"><table><tr><td><p>一、总体情况</p><p>正文第一段。</p>'
                '<table border="1"><tr><th>指标</th><th>数量</th><th>备注</th></tr>'
                '<tr><td>主动公开</td><td></td><td>无</td></tr><tr><td></td><td></td><td></td></tr></table>'
                '</td></tr></table></div>')
    # the outer one-cell table is layout: its paragraphs are lines; the inner one is data
    assert extract_page(html).text.split("\n") == ["一、总体情况", "正文第一段。", "指标\t数量\t备注", "主动公开\t\t无"]


def test_tiny_selector_match_loses_to_density():
    body = "".join(f"<p>第{i}段：本机关2019年主动公开政府信息共计{i * 10}条，依申请公开办理{i}件，均按时答复。</p>"
                   for i in range(1, 9))
    html = wrap('<div class="content"><a href="/">友情链接</a></div>'
                f'<div class="nav"><a href="/">首页</a><a href="/a">政务公开</a></div><div class="wenzhang">{body}</div>'
                '<div class="foot">版权所有 网站标识码 ICP备</div>')
    page = extract_page(html)
    assert page.found_by == "density"
    assert page.text.split("\n")[0].startswith("第1段") and len(page.text.split("\n")) == 8


def test_title_falls_back_to_html_title_without_site_suffix():
    html = wrap('<div id="zoom"><p>本报告根据条例编制。</p></div>',
                "<title>2019年舒兰市政务信息公开年度报告 - 舒兰市人民政府</title>")
    page = extract_page(html)
    assert page.title == "2019年舒兰市政务信息公开年度报告"
    assert page.text.split("\n") == ["2019年舒兰市政务信息公开年度报告", "本报告根据条例编制。"]


def test_split_html_title():
    assert split_html_title("松山镇2018年政府信息公开工作年度报告_磐石市人民政府") == (
        "松山镇2018年政府信息公开工作年度报告", "磐石市人民政府")
    assert split_html_title("社溪镇政府2019年度信息公开年度报告 剑川县人民政府") == (
        "社溪镇政府2019年度信息公开年度报告", "剑川县人民政府")
    assert split_html_title("高岭镇_2017年_政府信息公开工作年度报告") == ("高岭镇_2017年_政府信息公开工作年度报告", None)


def test_empty_and_broken_input():
    assert extract_page("").text == ""
    assert extract_page("<html></html>").text == ""
    assert extract_page("<?xml version='1.0' encoding='gbk'?><html><body><p>正文</p></body></html>").text == "正文"


def test_extraction_is_fast():
    texts = [decode_html(p.read_bytes()).text for p in sorted(PAGES.glob("*.html"))]
    start = time.perf_counter()
    for _ in range(5):
        for text in texts:
            extract_page(text)
    per_page = (time.perf_counter() - start) / (5 * len(texts))
    assert per_page < 0.05, f"{per_page * 1000:.1f} ms per page"


@pytest.mark.parametrize("line", [
    "登录 | 注册", "登录     注册", "当前位置：首页 > 政务公开 > 政府信息公开年报", "您现在的位置：首页 >> 信息公开",
    "首页 > 政务公开 > 年报", "发布日期:2019-02-27    点击数:", "发布时间：2021-01-20 来源：阳城县横河镇人民政府 浏览次数：0",
    "字号：大 中 小", "【打印本页】【关闭窗口】", "【打印】 【关闭】", "分享到：", "上一篇：烟筒山镇2018年政府信息公开工作年度报告",
    "下一篇", "扫一扫在手机打开当前页", "版权所有：磐石市人民政府 吉ICP备05002187号 网站标识码：2202840001",
])
def test_chrome_lines_are_dropped(line):
    assert drop_chrome_lines([(line, 0.0)]) == []


@pytest.mark.parametrize("line", [
    "（三）政府信息公开的收费及减免情况", "二是关闭了3个长期不更新的栏目。", "分享经验做法3篇。", "首页栏目调整2次。",
    "2018年度我镇未收到政府信息公开申请。", "来源于群众的申请2件，均已答复。", "松山镇人民政府", "2019年2月21日",
])
def test_report_lines_are_kept(line):
    assert drop_chrome_lines([(line, 0.0)]) == [line]


def test_related_block_drops_its_link_lines_only():
    lines = [("正文最后一段。", 0.0), ("相关链接", 0.0), ("松山镇2017年政府信息公开工作年度报告", 1.0),
             ("2019-02-26", 0.0), ("磐石市政府信息公开指南", 1.0), ("松山镇人民政府", 0.0)]
    assert drop_chrome_lines(lines) == ["正文最后一段。", "松山镇人民政府"]


def test_a_further_page_of_an_article_keeps_only_what_the_first_page_does_not_show():
    from crawler.read.extract import body_lines, extract_continuation

    def page(n: int, body: str) -> str:
        return (f"<html><head><title>某县2023年政府信息公开工作年度报告_某县人民政府</title></head><body>"
                f"<div class='nav'><a href='/'>首页</a> <a href='/zwgk/'>政务公开</a></div>"
                f"<h1>某县2023年政府信息公开工作年度报告</h1><div class='info'>发布时间：2024-01-20</div>"
                f"<div class='content'>{body}</div><div class='pager'>第{n}页 共2页</div>"
                f"<div class='foot'>主办：某县人民政府办公室 网站标识码：1234567890</div></body></html>")

    first = page(1, "<p>一、总体情况</p><p>2023年，某县主动公开政府信息1200条。</p>")
    second = page(2, "<table><tr><td>行政许可</td><td>12</td><td>3</td></tr>"
                     "<tr><td>行政处罚</td><td>4</td><td>0</td></tr></table>")
    further = extract_continuation(second, set(body_lines(first)))
    assert further.title == "某县2023年政府信息公开工作年度报告"
    lines = further.text.split("\n")
    assert lines[0] == further.title
    assert "行政许可\t12\t3" in lines and "行政处罚\t4\t0" in lines       # a page of bare tables keeps them all
    assert not any("主动公开" in line or "网站标识码" in line or "政务公开" in line for line in lines[1:])
