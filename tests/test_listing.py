"""Tests for crawler.discover.listing (report entries, columns, hubs, pagination) and crawler.discover.sites, on saved-shape listing pages."""

from pathlib import Path

import pytest

from crawler.discover.listing import Link, Listing, analyse_listing
from crawler.discover.sites import NO_HINTS, hints_for, load_sites
from crawler.discover.urls import canonicalize, is_valid_http_url

DATA = Path(__file__).parent / "data" / "listings"


def page(name: str, encoding: str = "utf-8") -> str:
    return (DATA / name).read_bytes().decode(encoding)


def analyse(name: str, url: str, encoding: str = "utf-8") -> Listing:
    return analyse_listing(page(name, encoding), url)


def urls(links: list[Link]) -> list[str]:
    return [link.url for link in links]


# --- TRS createPageHTML ---------------------------------------------------------------------------
TRS_URL = "http://www.lsz.gov.cn/zwgk/zfxxgk/zfxxgknb/index.html"


def test_trs_column_pages_from_create_page_html():
    listing = analyse("trs_column_createpagehtml_index.html", TRS_URL)
    base = "http://www.lsz.gov.cn/zwgk/zfxxgk/zfxxgknb/"
    # createPageHTML(5, 0, "index", "html"): pages 1..4 are index_1..index_4; index.html is this page.
    assert listing.page_links == [f"{base}index_{i}.html" for i in range(1, 5)]


def test_trs_column_main_list_is_the_report_links():
    listing = analyse("trs_column_createpagehtml_index.html", TRS_URL)
    assert listing.is_report_column
    reports = listing.report_links
    # Ten rows in two ul.list chunks, the P0….pdf attachment included; no nav, sidebar or footer links.
    assert len(reports) == 10
    assert reports[0] == Link(
        "http://www.lsz.gov.cn/zwgk/zfxxgk/zfxxgknb/202401/t20240125_2619851.html",
        "凉山彝族自治州人民政府2023年政府信息公开工作年度报告",
        "凉山彝族自治州人民政府2023年政府信息公开工作年度报告", "2024-01-25")
    assert "http://www.lsz.gov.cn/zwgk/zfxxgk/zfxxgknb/P020200330571364289742.pdf" in urls(reports)
    assert all(link.date for link in reports)
    assert not any("/zwgk/zfxxgk/zfxxgkzn/" in u or "beian" in u for u in urls(reports))


def test_trs_column_does_not_list_itself_and_finds_hubs():
    listing = analyse("trs_column_createpagehtml_index.html", TRS_URL)
    # The breadcrumb and left-menu links to ./ are this very column.
    assert listing.column_links == []
    assert urls(listing.hub_links) == ["http://www.lsz.gov.cn/zwgk/", "http://www.lsz.gov.cn/zwgk/zfxxgk/",
                                       "http://www.lsz.gov.cn/zwgk/zfxxgk/fdzdgknr/"]


def test_truncated_title_takes_the_title_attribute():
    listing = analyse("trs_column_createpagehtml_index.html", TRS_URL)
    by_url = {link.url: link for link in listing.report_links}
    dots = by_url["http://www.lsz.gov.cn/zwgk/zfxxgk/zfxxgknb/202203/t20220325_2175503.html"]
    assert dots.text.endswith("...")
    assert dots.title == "凉山州生态环境局2021年政府信息公开工作年度报告（图片版）"
    ellipsis = by_url["http://www.lsz.gov.cn/zwgk/zfxxgk/zfxxgknb/202003/t20200330_1522107.html"]
    assert ellipsis.text.endswith("…")
    assert ellipsis.title == "凉山州人民政府办公室关于2019年度政府信息公开工作年度报告"


def test_trs_list_shtml_prefix_on_page_three():
    url = "http://jyj.yanan.gov.cn/zfxxgk/zfxxgknb/list_2.shtml"
    listing = analyse("trs_column_createpagehtml_list_shtml_page3.html", url)
    base = "http://jyj.yanan.gov.cn/zfxxgk/zfxxgknb/"
    expected = [f"{base}list.shtml", f"{base}list_1.shtml"] + [f"{base}list_{i}.shtml" for i in range(3, 7)]
    assert sorted(listing.page_links) == sorted(expected)
    assert url not in listing.page_links
    # Rows link up a directory (../YYYYMM/…): resolved against the page, not the site root.
    assert urls(listing.report_links)[0] == "http://jyj.yanan.gov.cn/zfxxgk/201803/t20180312_1012446.shtml"
    assert len(listing.report_links) == 3


def test_one_page_trs_column_has_no_pages():
    listing = analyse("trs_column_single_page_no_pager.html", "https://www.mva.gov.cn/gongkai/zfxxgkpt/xxgknb/")
    assert listing.page_links == []
    assert listing.is_report_column
    assert [l.date for l in listing.report_links] == ["2024-01-30", "2023-01-31"]


def test_customised_six_argument_create_page_html():
    url = "http://www.shulan.gov.cn/pub/slsxxgkw/xxgkml/ndbg/index.htm"
    listing = analyse("trs_custom_createpagehtml_6args.html", url)
    base = "http://www.shulan.gov.cn/pub/slsxxgkw/xxgkml/ndbg/"
    # ('page_div', 4, 1, 'index', 'htm', 37): four pages, this one (current index 1, 1-based) is index.htm.
    assert listing.page_links == [f"{base}index_{i}.htm" for i in range(1, 4)]
    # <dt>title</dt><dd>date</dd>: the date sits in the next sibling.
    assert [l.date for l in listing.report_links] == ["2017-08-09", "2016-03-18", "2015-03-27"]
    assert listing.report_links[0].title == "舒兰市2016年政务信息公开年度报告"


def test_old_trs_count_page_template():
    url = "http://www.nea.gov.cn/xxgk/ndbg/index_1.htm"
    listing = analyse("trs_old_countpage_template.html", url, "gb18030")
    # var countPage = 3, on page index 1: the other two pages are index.htm and index_2.htm (.htm from the written links).
    assert sorted(listing.page_links) == ["http://www.nea.gov.cn/xxgk/ndbg/index.htm",
                                          "http://www.nea.gov.cn/xxgk/ndbg/index_2.htm"]
    assert listing.is_report_column  # ColumnName 年度报告 and the ndbg slug
    assert urls(listing.report_links) == [
        "http://www.nea.gov.cn/xxgk/ndbg/201203/t20120316_1455.htm",
        "http://www.nea.gov.cn/xxgk/ndbg/201103/t20110328_1211.htm",
        "http://www.nea.gov.cn/xxgk/ndbg/201003/t20100326_1032.htm"]


def test_rendered_pager_infers_pages_between_first_and_last():
    url = "http://rsj.km.gov.cn/zfxxgk/zfxxgknb/index_3.shtml"
    listing = analyse("trs_rendered_pager_index_n_shtml.html", url)
    base = "http://rsj.km.gov.cn/zfxxgk/zfxxgknb/"
    # 尾页 = index_11 and 首页 = index.shtml: all 12 pages but this one, though only 2…6 are linked.
    expected = {f"{base}index.shtml"} | {f"{base}index_{i}.shtml" for i in range(1, 12)} - {url}
    assert set(listing.page_links) == expected
    assert len(listing.page_links) == len(expected)
    # The nav's 首页 (the site home) is not a page of this listing.
    assert "http://rsj.km.gov.cn/" not in listing.page_links


# --- GBK, tables, ?page=N --------------------------------------------------------------------------
GBK_URL = "http://www.longhai.gov.cn/news/list.asp?classid=23&page=2"


def test_gbk_layout_table_query_pager():
    listing = analyse("gbk_layout_table_page_query.html", GBK_URL, "gb18030")
    expected = [f"http://www.longhai.gov.cn/news/list.asp?classid=23&page={n}" for n in (1, *range(3, 10))]
    assert listing.page_links == expected


def test_gbk_news_list_keeps_only_the_named_report():
    listing = analyse("gbk_layout_table_page_query.html", GBK_URL, "gb18030")
    assert not listing.is_report_column
    assert listing.report_links == [Link("http://www.longhai.gov.cn/news/show.asp?id=5821",
                                         "龙海市2018年政府信息公开工作年度报告",
                                         "龙海市2018年政府信息公开工作年度报告", "2019-03-28")]


def test_gbk_text_in_hrefs_is_percent_encoded_as_gbk():
    listing = analyse("gbk_layout_table_page_query.html", GBK_URL, "gb18030")
    # 政务公开 in GBK is D5FE CEF1 B9AB BFAA; a UTF-8 encoding would reach a different (empty) list.
    assert "http://www.longhai.gov.cn/news/list.asp?classid=23&lm=%D5%FE%CE%F1%B9%AB%BF%AA" in urls(listing.hub_links)


# --- discovery: home page, hub, sub-columns ---------------------------------------------------------
def test_home_page_finds_column_hub_and_the_latest_box_report():
    listing = analyse("home_page_nav_news_latest_box.html", "http://www.songyang.gov.cn/")
    assert not listing.is_report_column
    assert urls(listing.column_links) == ["http://www.songyang.gov.cn/zfxxgk/zfxxgknb/"]
    assert [(l.url, l.text) for l in listing.hub_links] == [("http://www.songyang.gov.cn/zwgk/", "政务公开"),
                                                            ("http://www.songyang.gov.cn/zfxxgk/", "政府信息公开")]
    # The 最新公开 box's report title is a report link; the news list and the other disclosures are not.
    assert urls(listing.report_links) == ["http://www.songyang.gov.cn/art/2024/1/29/art_1229361_59021834.html"]
    assert listing.report_links[0].date == "2024-01-29"
    assert listing.page_links == []
    # 指南 and 依申请公开 are articles/forms, not hubs.
    assert not any(u.endswith(("/zfxxgkzn/", "/ysqgk/")) for u in urls(listing.hub_links))


def test_hub_page_leads_to_the_column():
    listing = analyse("hub_page_xxgk_to_nianbao.html", "http://www.hh.gov.cn/zfxxgk/")
    assert not listing.is_report_column
    assert urls(listing.column_links) == ["http://www.hh.gov.cn/zfxxgk/zfxxgknb/"]
    assert "http://www.hh.gov.cn/zfxxgk/fdzdgknr/" in urls(listing.hub_links)
    # Only the link naming 年度报告 is a candidate (the format notice: the classifier rejects it later).
    assert urls(listing.report_links) == ["http://www.hh.gov.cn/zfxxgk/zfxxgkzd/202111/t20211108_523120.html"]


def test_year_sub_columns_are_column_links_not_reports():
    listing = analyse("column_with_year_subcolumns.html", "http://www.bjdch.gov.cn/zfxxgk/zfxxgknb/")
    base = "http://www.bjdch.gov.cn/zfxxgk/zfxxgknb/"
    assert listing.is_report_column
    assert urls(listing.column_links) == [f"{base}nb_2023n/", f"{base}nb_2022n/", f"{base}gknb2021/",
                                          f"{base}2020n/", f"{base}2019n/index.html"]
    assert [l.text for l in listing.column_links] == ["2023年", "2022年", "2021年度", "2020年", "2019年"]
    assert urls(listing.report_links) == [f"{base}nb_2023n/202401/t20240131_3551234.html",
                                          f"{base}nb_2023n/202401/t20240130_3550871.html",
                                          f"{base}nb_2023n/202401/P020240130512334128754.docx"]


def test_year_link_outside_a_report_column_is_not_a_column():
    html = """<html><head><title>统计数据_某县人民政府</title></head><body><ul>
      <li><a href="/tjsj/2019n/">2019年</a></li><li><a href="/tjsj/2020n/">2020年</a></li></ul></body></html>"""
    listing = analyse_listing(html, "http://www.example.gov.cn/tjsj/")
    assert listing.column_links == [] and not listing.is_report_column


# --- titles, dates, URLs -----------------------------------------------------------------------------
def test_truncated_titles_and_row_date_formats():
    listing = analyse("truncated_titles_and_row_dates.html", "http://www.fenfa.gov.cn/zwgk/nb/")
    assert listing.is_report_column  # <title> piece and ColumnName 年报
    got = [(l.title, l.date) for l in listing.report_links]
    assert got == [
        ("奋发镇人民政府2020年政府信息公开工作年度报告", "2021-02-05"),    # "年..." + title attr, 2021年02月05日
        ("奋发镇人民政府2019年政府信息公开工作年度报告", "2020-02-18"),    # "…" + title attr, 2020/2/18
        ("奋发镇人民政府2018年政府信息公开工作年度报告", "2019-01-30"),    # shorter title attr ignored, [2019.01.30]
        ("全镇春节期间安全生产大检查工作部署会召开", "2015-02-11"),        # unrelated title attr does not replace the text
        ("奋发镇2013年政府信息公开工作年度报告", "2014-02-14"),            # date inside the anchor is not title
    ]


def test_session_ids_and_tracking_collapse_and_bad_hrefs_are_ignored():
    listing = analyse("bad_hrefs_and_session_ids.html", "http://czj.example.gov.cn/xxgknb/index.htm")
    assert urls(listing.report_links) == ["http://czj.example.gov.cn/xxgknb/201902/t20190214_3062489.htm",
                                          "http://czj.example.gov.cn/xxgknb/201802/t20180226_2811745.htm"]
    all_urls = urls(listing.report_links + listing.column_links + listing.hub_links) + listing.page_links
    assert all(is_valid_http_url(u) and u.startswith("http://czj.example.gov.cn/") for u in all_urls)


@pytest.mark.parametrize("html", ["", "   ", "<", "<?xml version='1.0' encoding='gbk'?><html><body><a href='x'>年报</a></body></html>",
                                  "\x00\x01garbage", "<html><body><a href='http://[::1'>x</a><a href=' '>y</a></body></html>",
                                  "<script>createPageHTML(${PAGE_COUNT}, ${PAGE_INDEX}, \"index\", \"html\")</script>"])
def test_garbage_pages_never_raise(html):
    listing = analyse_listing(html, "http://www.example.gov.cn/xxgk/")
    assert listing.page_links == [] or all(is_valid_http_url(u) for u in listing.page_links)


def test_garbage_listing_url_gives_an_empty_listing():
    assert analyse_listing(page("trs_column_single_page_no_pager.html"), "javascript:void(0)") == Listing()


# --- script pagers beyond TRS ---------------------------------------------------------------------------
def test_total_page_var_with_concatenated_url():
    url = "http://www.jlcity.gov.cn/zwgk/iList.jsp?node_id=2150&cat_id=10431&cur_page=1"
    listing = analyse("jsp_totalpage_script_pager.html", url)
    assert listing.page_links == [
        f"http://www.jlcity.gov.cn/zwgk/iList.jsp?node_id=2150&cat_id=10431&cur_page={n}" for n in range(2, 7)]
    assert [l.date for l in listing.report_links] == ["2024-01-30", "2023-01-31"]


def test_hanweb_datastore_records_and_jpage_windows():
    url = "http://www.haimen.gov.cn/col/col49468/index.html"
    listing = analyse("hanweb_column_datastore_jpage.html", url)
    # Records hidden in <script type="text/xml"> CDATA are the list.
    assert urls(listing.report_links) == ["http://www.haimen.gov.cn/art/2024/1/26/art_49468_11828204.html",
                                          "http://www.haimen.gov.cn/art/2024/1/22/art_49468_11826633.html",
                                          "http://www.haimen.gov.cn/art/2023/1/30/art_49468_11610027.html"]
    assert listing.report_links[1].title == "海门区三厂街道办事处2023年政府信息公开工作年度报告"
    # totalRecord 160 in windows of perPage 20 × groupSize 3; the first window is embedded in the page.
    # Windows are POSTs: record range in the query, the ajaxParam keys as form fields (as jpage sends them).
    assert listing.page_links == []
    assert [p.url.split("?")[1] for p in listing.form_pages] == [
        "startrecord=61&endrecord=120&perpage=20", "startrecord=121&endrecord=160&perpage=20"]
    assert all(p.url.startswith("http://www.haimen.gov.cn/module/web/jpage/dataproxy.jsp?") for p in listing.form_pages)
    form = dict(listing.form_pages[0].formdata)
    assert form["columnid"] == "49468" and form["unitid"] == "212860" and form["webid"] == "60"
    assert not listing.script_shell
    # The hidden visit-counter iframe and the hanweb.com credit are not links to follow.
    assert not any("visit.jsp" in u or "hanweb.com" in u for u in urls(listing.report_links + listing.hub_links))


def test_hanweb_dataproxy_answer_is_read_as_a_list():
    url = ("http://www.haimen.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=61&endrecord=120&perpage=20"
           "&col=1&appid=1&webid=60&path=%2F&columnid=49468&unitid=212860&permissiontype=0")
    listing = analyse("hanweb_dataproxy_response.xml", url)
    assert [(l.url, l.date) for l in listing.report_links] == [
        ("http://www.haimen.gov.cn/art/2020/3/27/art_49468_9786101.html", "2020-03-27"),
        ("http://www.haimen.gov.cn/art/2019/3/29/art_49468_9101255.html", "2019-03-29")]


# --- invariants over every fixture -----------------------------------------------------------------------
FIXTURES = [
    ("trs_column_createpagehtml_index.html", TRS_URL, "utf-8"),
    ("trs_column_createpagehtml_list_shtml_page3.html", "http://jyj.yanan.gov.cn/zfxxgk/zfxxgknb/list_2.shtml", "utf-8"),
    ("trs_column_single_page_no_pager.html", "https://www.mva.gov.cn/gongkai/zfxxgkpt/xxgknb/", "utf-8"),
    ("trs_old_countpage_template.html", "http://www.nea.gov.cn/xxgk/ndbg/index_1.htm", "gb18030"),
    ("trs_custom_createpagehtml_6args.html", "http://www.shulan.gov.cn/pub/slsxxgkw/xxgkml/ndbg/index.htm", "utf-8"),
    ("trs_rendered_pager_index_n_shtml.html", "http://rsj.km.gov.cn/zfxxgk/zfxxgknb/index_3.shtml", "utf-8"),
    ("gbk_layout_table_page_query.html", GBK_URL, "gb18030"),
    ("home_page_nav_news_latest_box.html", "http://www.songyang.gov.cn/", "utf-8"),
    ("hub_page_xxgk_to_nianbao.html", "http://www.hh.gov.cn/zfxxgk/", "utf-8"),
    ("column_with_year_subcolumns.html", "http://www.bjdch.gov.cn/zfxxgk/zfxxgknb/", "utf-8"),
    ("truncated_titles_and_row_dates.html", "http://www.fenfa.gov.cn/zwgk/nb/", "utf-8"),
    ("bad_hrefs_and_session_ids.html", "http://czj.example.gov.cn/xxgknb/index.htm", "utf-8"),
    ("hanweb_column_datastore_jpage.html", "http://www.haimen.gov.cn/col/col49468/index.html", "utf-8"),
    ("jsp_totalpage_script_pager.html",
     "http://www.jlcity.gov.cn/zwgk/iList.jsp?node_id=2150&cat_id=10431&cur_page=1", "utf-8"),
]


@pytest.mark.parametrize("name, url, encoding", FIXTURES)
def test_every_url_is_canonical_in_one_list_and_not_the_page_itself(name, url, encoding):
    listing = analyse(name, url, encoding)
    found = urls(listing.report_links) + urls(listing.column_links) + urls(listing.hub_links) + listing.page_links
    assert len(found) == len(set(found))
    assert canonicalize(url) not in found
    assert all(canonicalize(u) == u and is_valid_http_url(u) for u in found)


def test_every_fixture_is_described_in_the_readme():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert all(f"`{p.name}`" in readme for p in DATA.iterdir() if p.name != "README.md")


# --- sites registry -----------------------------------------------------------------------------------------
def test_unregistered_host_has_no_hints():
    assert hints_for("http://www.songyang.gov.cn/") is NO_HINTS


def test_registered_column_is_offered_from_the_site_root():
    listing = analyse("home_page_nav_news_latest_box.html", "https://zfxxgk.beijing.gov.cn/")
    assert "https://zfxxgk.beijing.gov.cn/110016/zfxxgknb/list.shtml" in urls(listing.column_links)


def test_registry_page_keys_extend_the_pager_vocabulary(tmp_path):
    registry = tmp_path / "sites.yaml"
    registry.write_text("www.example.gov.cn:\n  page_keys: [pg]\n  columns: [/xxgk/nb/]\n", encoding="utf-8")
    hints = hints_for("http://www.example.gov.cn:8080/a", registry)
    assert hints.page_keys == ("pg",) and hints.columns == ("/xxgk/nb/",)
    assert hints_for("http://other.gov.cn/", registry) is NO_HINTS


def test_malformed_registry_raises_value_error_naming_the_key(tmp_path):
    registry = tmp_path / "sites.yaml"
    registry.write_text("www.example.gov.cn:\n  pagekeys: [pg]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="pagekeys"):
        load_sites(registry)
    assert load_sites(tmp_path / "missing.yaml") == {}


def test_list_heading_alone_makes_a_report_column():
    # No ColumnName, a generic <title>, no slug: only the <h2> over the list names the column.
    html = """<html><head><title>奋发镇人民政府</title></head><body>
      <div class="nav"><a href="/">首页</a></div>
      <div class="main"><div class="lm-tit"><h2>政府信息公开年报</h2></div>
        <ul class="sub"><li><a href="./2020n/">2020年</a></li><li><a href="./2019n/">2019年</a></li></ul>
        <ul class="list">
          <li><a href="./202102/t20210205_104417.html">奋发镇人民政府2020年政府信息公开工作年度报告</a><span>2021-02-05</span></li>
          <li><a href="./202102/t20210201_104301.html">奋发镇财政所2020年度信息公开情况</a><span>2021-02-01</span></li>
        </ul></div></body></html>"""
    listing = analyse_listing(html, "http://www.fenfa.gov.cn/col/col123/")
    assert listing.is_report_column
    assert urls(listing.column_links) == ["http://www.fenfa.gov.cn/col/col123/2020n/", "http://www.fenfa.gov.cn/col/col123/2019n/"]
    # In a report column every row is a candidate, named 年度报告 or not.
    assert len(listing.report_links) == 2


def test_year_titled_link_to_an_article_is_a_report_not_a_sub_column():
    html = """<html><head><meta name="ColumnName" content="政府信息公开年报"></head><body><ul>
      <li><a href="./202001/t20200120_1.html">2019年度报告</a><span>2020-01-20</span></li>
      <li><a href="./2018n/">2018年度报告</a></li></ul></body></html>"""
    listing = analyse_listing(html, "http://www.example.gov.cn/zfxxgknb/")
    assert urls(listing.report_links) == ["http://www.example.gov.cn/zfxxgknb/202001/t20200120_1.html"]
    assert urls(listing.column_links) == ["http://www.example.gov.cn/zfxxgknb/2018n/"]


def test_gbk_pager_ignores_the_site_home_link():
    listing = analyse("gbk_layout_table_page_query.html", GBK_URL, "gb18030")
    assert "http://www.longhai.gov.cn/index.asp" not in listing.page_links
    # The nav's bare list.asp?classid=23 (page 1 without a page key) is a hub link, not also a page.
    assert "http://www.longhai.gov.cn/news/list.asp?classid=23" not in listing.page_links


def test_row_with_a_category_tag_yields_only_its_article_link():
    # County columns tag each row with the publishing agency ([县教育局] → that agency's column).
    html = """<html><head><meta name="ColumnName" content="政府信息公开年报"></head><body><ul class="list">
      <li><a href="/col/col1501/index.html">[县教育局]</a><a href="/art/2024/1/20/art_1501_88.html">县教育局2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>
      <li><a href="/col/col1502/index.html">[县民政局]</a><a href="/art/2024/1/18/art_1502_91.html">县民政局2023年政府信息公开工作年度报告</a><span>2024-01-18</span></li>
      <li><a href="/col/col1503/index.html">[城关镇]</a><a href="/art/2024/1/15/art_1503_12.html">城关镇2023年政府信息公开工作年度报告</a><span>2024-01-15</span></li>
    </ul></body></html>"""
    listing = analyse_listing(html, "http://www.example.gov.cn/col/col1500/index.html")
    assert urls(listing.report_links) == ["http://www.example.gov.cn/art/2024/1/20/art_1501_88.html",
                                          "http://www.example.gov.cn/art/2024/1/18/art_1502_91.html",
                                          "http://www.example.gov.cn/art/2024/1/15/art_1503_12.html"]


def test_dated_sidebar_does_not_outrank_the_main_list():
    html = """<html><head><meta name="ColumnName" content="公开年报"></head><body>
      <div class="main"><ul class="list">
        <li><a href="./202401/t20240131_1.html">某区人民政府2023年政府信息公开工作年度报告</a><span>2024-01-31</span></li>
        <li><a href="./202301/t20230131_2.html">某区人民政府2022年政府信息公开工作年度报告</a><span>2023-01-31</span></li>
        <li><a href="./202201/t20220128_3.html">某区人民政府2021年政府信息公开工作年度报告</a><span>2022-01-28</span></li>
      </ul></div>
      <div class="side"><h3>热点专题</h3><ul>
        <li><a href="/ztzl/yhyshj/">优化营商环境</a></li><li><a href="/ztzl/xczx/">乡村振兴</a></li>
        <li><a href="/ztzl/wmcj/">文明城市创建</a></li><li><a href="/ztzl/aqsc/">安全生产月</a></li></ul></div>
    </body></html>"""
    listing = analyse_listing(html, "http://www.example.gov.cn/zwgk/gknb/")
    assert len(listing.report_links) == 3
    assert not any("/ztzl/" in u for u in urls(listing.report_links))


@pytest.mark.parametrize("listing_url, pager, expected", [
    # Bare /N.html pages with > and >> (1-based, no unnumbered first page).
    ("http://www.example.gov.cn/col/1234/1.html",
     '<div class="pages"><span>1</span><a href="2.html">2</a><a href="3.html">3</a>'
     '<a href="2.html">&gt;</a><a href="17.html">&gt;&gt;</a></div>',
     [f"http://www.example.gov.cn/col/1234/{n}.html" for n in range(2, 18)]),
    # Chengdu column-index-N.shtml, unclassed pager found by its 下一页/尾页 words.
    ("http://gk.chengdu.gov.cn/govInfoPub/column-index-1.shtml",
     '<p>第1页 <a href="column-index-2.shtml">下一页</a> <a href="column-index-8.shtml">尾页</a></p>',
     [f"http://gk.chengdu.gov.cn/govInfoPub/column-index-{n}.shtml" for n in range(2, 9)]),
    # ASP.NET GET pager with PageIndex (and other query keys kept in place).
    ("http://hrss.yn.gov.cn/InfoPublic.aspx?cid=1019&pid=971&PageIndex=1",
     '<div id="pager"><a href="InfoPublic.aspx?cid=1019&amp;pid=971&amp;PageIndex=2">下一页</a>'
     '<a href="InfoPublic.aspx?cid=1019&amp;pid=971&amp;PageIndex=4">末页</a></div>',
     [f"http://hrss.yn.gov.cn/InfoPublic.aspx?cid=1019&pid=971&PageIndex={n}" for n in range(2, 5)]),
    # pageNo in the middle of the query, page 3 of 5, 上一页 and 首页 linking page 1.
    ("http://www.example.gov.cn/xxgk/list.do?pageNo=3&catId=77",
     '<div class="pagination"><a href="list.do?pageNo=1&amp;catId=77">首页</a>'
     '<a href="list.do?pageNo=2&amp;catId=77">上一页</a><a href="list.do?pageNo=4&amp;catId=77">下一页</a>'
     '<a href="list.do?pageNo=5&amp;catId=77">最后一页</a></div>',
     [f"http://www.example.gov.cn/xxgk/list.do?pageNo={n}&catId=77" for n in (1, 2, 4, 5)]),
])
def test_ordinary_pager_idioms(listing_url, pager, expected):
    html = f'<html><body><ul><li><a href="/a/t20240101_1.html">某单位2023年政府信息公开工作年度报告</a></li></ul>{pager}</body></html>'
    assert sorted(analyse_listing(html, listing_url).page_links) == sorted(expected)


def test_a_javascript_postback_pager_yields_no_pages():
    # ASP.NET __doPostBack pagers need a POST with __VIEWSTATE: nothing a GET could follow.
    html = """<html><body><table class="GridView"><tr><td><a href="show.aspx?id=5">某局2019年政府信息公开工作年度报告</a></td></tr></table>
      <a id="PageNavigator1_LnkBtnNext" href="javascript:__doPostBack('PageNavigator1$LnkBtnNext','')">下一页</a></body></html>"""
    listing = analyse_listing(html, "http://www.lhfdc.gov.cn/list.aspx")
    assert listing.page_links == []
    assert urls(listing.report_links) == ["http://www.lhfdc.gov.cn/show.aspx?id=5"]


def test_list_loaded_in_a_frame_is_a_column_link_but_counters_are_not():
    html = """<html><head><meta name="ColumnName" content="政府信息公开年报"></head><body>
      <iframe src="list_nb.html" width="100%" height="600" frameborder="0"></iframe>
      <iframe src='/module/visitcount/visit.jsp?type=1&i_webid=15&i_columnid=6853' style="display:none"></iframe>
      <iframe src="http://tianqi.example.com/widget.html"></iframe></body></html>"""
    listing = analyse_listing(html, "http://www.example.gov.cn/xxgk/zfxxgknb/")
    assert urls(listing.column_links) == ["http://www.example.gov.cn/xxgk/zfxxgknb/list_nb.html"]


def test_named_look_alike_column_is_neither_report_nor_column():
    html = """<html><body><ul class="nav"><li><a href="/qynb/">企业年报</a></li><li><a href="/tjsj/tjnb/">统计年报</a></li>
      <li><a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a></li></ul></body></html>"""
    listing = analyse_listing(html, "http://www.example.gov.cn/")
    assert urls(listing.column_links) == ["http://www.example.gov.cn/zfxxgk/zfxxgknb/"]
    assert listing.report_links == []


def test_http_charset_encodes_query_text_when_the_page_has_no_meta():
    html = '<html><body><a href="search.asp?lm=政务公开">政务公开</a></body></html>'
    listing = analyse_listing(html, "http://www.example.gov.cn/", encoding="GBK")
    assert urls(listing.hub_links) == ["http://www.example.gov.cn/search.asp?lm=%D5%FE%CE%F1%B9%AB%BF%AA"]
    utf8 = analyse_listing(html, "http://www.example.gov.cn/")
    assert urls(utf8.hub_links) == ["http://www.example.gov.cn/search.asp?lm=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80"]


def test_aspnet_postback_pager_links_are_postbacks():
    html = """<html><body><form name="aspnetForm" method="post" action="./List.aspx?ClassID=12" id="aspnetForm">
<input type="hidden" name="__VIEWSTATE" value="abc"><ul class="list">
<li><a href="Show.aspx?id=101">某某县2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>
<li><a href="Show.aspx?id=99">某某县2022年政府信息公开工作年度报告</a><span>2023-01-18</span></li></ul>
<div id="AspNetPager1"><a disabled="disabled">首页</a>
<a href="javascript:__doPostBack('ctl00$ContentPlaceHolder1$AspNetPager1','2')">下一页</a>
<a href="javascript:__doPostBack('ctl00$ContentPlaceHolder1$AspNetPager1','2')">2</a>
<a href="javascript:__doPostBack('ctl00$ContentPlaceHolder1$AspNetPager1','3')">尾页</a>
<a href="javascript:__doPostBack('ctl00$LoginStatus1','')">退出</a></div></form></body></html>"""
    listing = analyse_listing(html, "http://www.example.gov.cn/List.aspx?ClassID=12")
    assert [(p.target, p.argument) for p in listing.postbacks] == [
        ("ctl00$ContentPlaceHolder1$AspNetPager1", "2"), ("ctl00$ContentPlaceHolder1$AspNetPager1", "3")]
    assert len(listing.report_links) == 2 and not listing.script_shell


def test_script_shell_is_noticed_only_when_nothing_else_is_there():
    shell = """<html><head><title>政府信息公开年报</title></head><body><div id="app"></div>
<script>fetch('/gkmlpt/api/all/2845?page=1').then(r => r.json()).then(render);</script></body></html>"""
    assert analyse_listing(shell, "http://www.example.gov.cn/gkmlpt/index#2845").script_shell
    static = """<html><body><div id="app"><ul><li><a href="/art/2024/1/2/art_1_2.html">某县2023年政府信息公开工作年度报告</a>
</li></ul></div><script>fetch('/count.jsp');</script></body></html>"""
    listing = analyse_listing(static, "http://www.example.gov.cn/col/col1/index.html")
    assert listing.report_links and not listing.script_shell


@pytest.mark.parametrize("root, shell", [
    ("<div id='app'>加载中…</div>", True),
    ("<div id='gk-list' class='list'>数据加载中，请稍候</div>", True),         # any id: the words say it
    ("<section>Loading...</section>", True),
    ("<div id='app'>欢迎访问某县人民政府门户网站</div>", False),                # an app root with real text
    ("<div class='tip'><a href='/help/'>正在加载中？点此帮助</a></div>", False),   # a link is content
])
def test_an_element_that_only_says_loading_is_where_a_script_draws_the_list(root, shell):
    html = (f"<html><head><title>政府信息公开年报</title></head><body>{root}"
            "<script src='/js/chunk-vendors.js'></script></body></html>")
    assert analyse_listing(html, "http://a.gov.cn/ndbg/", column=True).script_shell is shell


# -- shapes the second round of independent sites showed (replica/independent: vsb_bodao, gkml_platform,
#    asp_classic_gbk, tabbed_years, jeecms_portal), each written here in a variant of its own --------------------

def test_a_frameset_page_gives_its_frames_to_walk():
    html = ("<html><head><title>信息公开</title></head><frameset cols='200,*'><frame src='menu.php'>"
            "<frame src='/gk/list.php?cat=9'><frame src='/count.jsp?id=1'></frameset></html>")
    listing = analyse_listing(html, "http://a.gov.cn/gk/index.php")
    hubs = [link.url for link in listing.hub_links]
    assert "http://a.gov.cn/gk/menu.php" in hubs and "http://a.gov.cn/gk/list.php?cat=9" in hubs


def test_a_list_page_and_the_directory_named_after_it_are_one_list():
    # list.htm's later pages are list/N.htm (numbered backwards), and they link back to ../list.htm
    first = ("<html><body><ul>" + "".join(f"<li><a href='../info/9/{n}.htm'>某局{2020 - n}年政府信息公开工作年度报告</a>"
                                          f"<span>2021-01-0{n + 1}</span></li>" for n in range(3))
             + "</ul><div class='pb'><span>1/3</span><a href='list/2.htm'>2</a> <a href='list/2.htm'>下页</a>"
               " <a href='list/1.htm'>尾页</a></div></body></html>")
    listing = analyse_listing(first, "http://a.gov.cn/gk/list.htm", column=True)
    assert set(listing.page_links) == {"http://a.gov.cn/gk/list/2.htm", "http://a.gov.cn/gk/list/1.htm"}
    later = first.replace("<a href='list/2.htm'>2</a>", "<a href='../list.htm'>上页</a>").replace("'list/", "'")
    back = analyse_listing(later, "http://a.gov.cn/gk/list/2.htm", column=True)
    assert "http://a.gov.cn/gk/list.htm" in back.page_links


def test_a_form_that_asks_for_a_page_by_number_pages_the_list():
    html = ("<html><body><table><tbody id='rows'><tr><td class='loading'>正在加载…</td></tr></tbody></table>"
            "<form name='f1' method='post' action='../gk/rows.do'><input type='hidden' name='currentPage' value='1'>"
            "<input type='hidden' name='rows' value='20'><input type='hidden' name='channel' value='88'></form>"
            "<form action='/search.do'><input name='keyword'><input type='hidden' name='page' value='1'></form>"
            "</body></html>")
    listing = analyse_listing(html, "http://a.gov.cn/web/nb.html", column=True)
    [form] = listing.paging_forms                      # the search box's page field is not the list's
    assert (form.url, form.method, form.page_field) == ("http://a.gov.cn/gk/rows.do", "POST", "currentPage")
    assert form.page(3) == [("currentPage", "3"), ("rows", "20"), ("channel", "88")]
    assert not listing.script_shell                    # the form reaches the list without a browser
    answer = ("<tr><td><a href='/gk/1.html'>某局2023年政府信息公开工作年度报告</a></td></tr>"
              "<tr><td>共45条 <a href='javascript:toPage(2)'>2</a> <a href=\"javascript:toPage('3');\">尾页</a>"
              " <a href='javascript:void(0)' onclick='toPage(2)'>下一页</a></td></tr>")
    assert analyse_listing(answer, "http://a.gov.cn/gk/rows.do", column=True).js_last_page == 3


@pytest.mark.parametrize("controls, expected", [
    ("<ul class='tabs'><li class='on'>2024年</li><li>2023年</li><li>2022年度</li></ul>", ["year tabs"]),
    ("<div class='more'><a href='javascript:;'>加载更多</a></div>", ["加载更多 button"]),
    ("<ul class='years'><li><a href='2024/'>2024</a></li><li><a href='2023/'>2023</a></li></ul>", []),
    ("<p>2023年度报告请见下方列表</p>", []),
])
def test_list_controls_only_a_browser_operates_are_named(controls, expected):
    html = (f"<html><body>{controls}<ul>" + "".join(f"<li><a href='/nb/{n}.html'>某镇{2020 - n}年政府信息公开工作年度报告"
                                                    f"</a></li>" for n in range(3)) + "</ul></body></html>")
    found = analyse_listing(html, "http://a.gov.cn/nb/", column=True).unfollowed
    assert [f.split(" 2")[0] if f.startswith("year tabs") else f for f in found] == expected


def test_pages_a_url_template_only_implies_are_marked_as_guesses():
    html = ("<html><body><ul>" + "".join(f"<li><a href='/zw/{n}.jhtml'>某局{2020 - n}年政府信息公开工作年度报告</a></li>"
                                         for n in range(3))
            + "</ul><div class='page'><a href='index.jhtml'>首页</a> <a href='index_3.jhtml'>3</a>"
              " <a href='index_5.jhtml'>尾页</a></div></body></html>")
    listing = analyse_listing(html, "http://a.gov.cn/zw/index_3.jhtml", column=True)
    named = {"http://a.gov.cn/zw/index.jhtml", "http://a.gov.cn/zw/index_5.jhtml"}
    assert named <= set(listing.page_links)
    assert set(listing.guessed_pages) == set(listing.page_links) - named and listing.guessed_pages


def test_a_page_jump_select_names_every_page_of_the_list():
    options = "".join(f"<option value='list.jsp?cat=7&amp;page={n}'>第{n + 1}页</option>" for n in range(6))
    html = ("<html><body><table>" + "".join(f"<tr><td><a href='/p/{n}.html'>某局{2020 - n}年政府信息公开工作年度报告</a>"
                                            f"</td><td>2021-01-0{n + 1}</td></tr>" for n in range(3))
            + f"</table><div>共18条 <select onchange='window.location.href=this.value'>{options}</select>"
              "<select name='lang'><option value='/en/'>English</option></select></div></body></html>")
    listing = analyse_listing(html, "http://a.gov.cn/gk/list.jsp?cat=7&page=0", column=True)
    assert set(listing.page_links) == {f"http://a.gov.cn/gk/list.jsp?cat=7&page={n}" for n in range(1, 6)}
    assert not listing.guessed_pages
