"""crawler.discover.attachments: the files an article publishes, and the images of an image-only report."""

from crawler.discover.attachments import attachment_links

URL = "http://www.x.gov.cn/zwgk/ndbg/202401/t20240120_881.html"


def page(body, footer=""):
    return (f"<html><head><title>某县2023年政府信息公开工作年度报告</title></head><body>"
            f"<div class='header'><a href='/download/reader.exe'>PDF阅读器下载.exe</a></div>"
            f"<div class='TRS_Editor'>{body}</div><div class='footer'>{footer}</div></body></html>")


def test_trs_and_hanweb_attachment_links_in_page_order():
    html = page("<p>附件：<a href='./P020240120512345678901.pdf'>某县2023年政府信息公开工作年度报告.pdf</a></p>"
                "<p><a href='/module/download/downfile.jsp?classid=0&filename=2401201455123.docx'>统计表</a></p>"
                "<p><a href='/attach/get?id=8812'>某县2023年年报（图表版）.xls</a></p>")
    links = attachment_links(html, URL)
    assert [(l.url, l.kind) for l in links] == [
        ("http://www.x.gov.cn/zwgk/ndbg/202401/P020240120512345678901.pdf", "file"),
        ("http://www.x.gov.cn/module/download/downfile.jsp?classid=0&filename=2401201455123.docx", "file"),
        ("http://www.x.gov.cn/attach/get?id=8812", "file")]
    assert links[0].label == "某县2023年政府信息公开工作年度报告.pdf"


def test_chrome_links_are_not_attachments():
    html = page("<p>正文" * 80 + "</p>", footer="<a href='/xxgk/zn.pdf'>政府信息公开指南.pdf</a>")
    html = html.replace("</body>", "<a href='/soft/AdobeReader.pdf'>Adobe Reader 下载</a></body>")
    assert attachment_links(html, URL) == []


def test_image_only_body_gives_its_images_but_not_icons():
    html = page("<p><img src='./W020200303551234.jpg' alt='年报第1页'></p><p><img src='./W020200303551235.png'></p>"
                "<img src='/images/print_icon.gif' width='16' height='16'><img src='/img/ewm.png'>")
    links = attachment_links(html, URL)
    assert [(l.url.rsplit("/", 1)[1], l.kind) for l in links] == [("W020200303551234.jpg", "image"),
                                                                  ("W020200303551235.png", "image")]


def test_images_in_a_full_text_report_are_illustrations_not_the_report():
    html = page("<p>" + "本年度主动公开政府信息一千余条。" * 30 + "</p><img src='./W0202003035512.jpg'>")
    assert attachment_links(html, URL) == []


def test_bad_markup_gives_nothing():
    assert attachment_links("", URL) == [] and attachment_links("<<<>>>", URL) == []
