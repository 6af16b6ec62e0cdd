"""永春县人民政府 (福建): a TRS portal whose 年报 column publishes reports as files (PDF, DOC, WPS, DOCX,
XLS, a scan, an image), some behind article pages, some linked directly, some served by the old
Hanweb download script, and five bad files."""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from functools import partial
from urllib.parse import quote

from . import documents as F
from . import templates as T
from .fillers import County, filler_reports
from .reports import Report
from .server import Context, Reply, html_reply
from .site import Site, assign_docids, trs_path

PORTAL = T.Portal("永春县人民政府", "www.fjyc.gov.cn", "3505250001", "闽ICP备05012345号",
                  "闽公网安备 35052502000101号", "永春县人民政府办公室", "福建省泉州市永春县桃城镇八二三中路1号",
                  "0595-23882001")
YONGCHUN = County(
    "永春县", "永春县人民政府",
    ("桃城镇", "五里街镇", "一都镇", "下洋镇", "蓬壶镇", "达埔镇", "吾峰镇", "石鼓镇", "岵山镇", "东平镇", "湖洋镇",
     "坑仔口镇", "玉斗镇", "锦斗镇", "东关镇", "桂洋镇", "苏坑镇", "仙夹镇", "横口乡", "呈祥乡", "介福乡", "外山乡"),
    ("教育局", "财政局", "民政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "交通运输局", "水利局",
     "农业农村局", "商务局", "文体旅游局", "卫生健康局", "应急管理局", "审计局", "市场监督管理局", "统计局", "林业局",
     "发展和改革局", "司法局", "医疗保障局"),
    "362600", "0595", "http://www.fjyc.gov.cn")
NAV = [("/", "首页"), ("/zwgk/", "政务公开"), ("/zwdt/", "政务动态"), ("/bsfw/", "办事服务"), ("/hdjl/", "互动交流"),
       ("/zjyc/", "走进永春")]
COLUMN = "/zwgk/zfxxgknb/"
COLUMN_NAME = "政府信息公开年报"
PER_PAGE = 8
# What the servers send: nginx's mime.types for the TRS paths; .wps is not in it.
CONTENT_TYPES = {
    "pdf": "application/pdf", "doc": "application/msword", "wps": "application/octet-stream",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel", "png": "image/png",
}
DOWNFILE = "/module/download/downfile.jsp"
_HTML_404 = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 页面不存在</title></head><body>"
             "<h1>404</h1><p>抱歉，您访问的页面不存在或已被删除！</p><p><a href=\"/\">返回首页</a></p></body></html>")


class Fujian(Site):
    name = "fujian"
    title = PORTAL.name

    def __init__(self, scale: int = 1):
        super().__init__()
        self.rng = random.Random(f"fujian-{scale}")
        self.header = T.trs_header(PORTAL, NAV)
        self.items: list[tuple[str, str, object]] = []    # listing rows: href, title, date

        # nine table reports for the files (seven readable, two broken), two short prose reports
        # for the scan and the image, and plain HTML reports (more of them at larger scales)
        tables = [r for r in filler_reports("fujian-files", YONGCHUN, 16, range(2019, 2024)) if r.figures][:9]
        taken = {(r.agency, r.year) for r in tables}
        prose = filler_reports("fujian-scans", YONGCHUN, 2, range(2015, 2019), taken)
        taken |= {(r.agency, r.year) for r in prose}
        plain = filler_reports(f"fujian-html-{scale}", YONGCHUN, 2 + 6 * (scale - 1), range(2016, 2024), taken)
        assert len(tables) == 9 and len(prose) == 2, "filler seeds no longer give the reports this site needs"
        assign_docids([*tables, *prose, *plain], self.rng, 2710000)
        (pdf_page, html_docx, doc, wps, docx, pdf, pdf_xls, broken_pdf, locked) = tables
        scan, image = prose

        self.pdf_behind_page(pdf_page)
        self.html_with_docx(html_docx)
        self.direct_file(doc, "doc", F.make_doc(doc))
        self.direct_file(wps, "wps", F.make_wps(wps))
        self.direct_file(docx, "docx", F.make_docx(docx), hanweb=True)
        self.direct_file(pdf, "pdf", F.make_pdf(pdf), hanweb=True)
        self.pdf_with_tables(pdf_xls)
        self.scanned_pdf(scan)
        self.image_page(image)
        for report in plain:
            path = trs_path(COLUMN, report)
            self.article(report, path, None)
            self.add_report(report, [path])
            self.describe("html", path, [], ocr=False)
        self.bad_files(broken_pdf, locked)
        self.listing_pages()
        self.chrome_pages()

    # -- files and their URLs --------------------------------------------------------------------

    def trs_file(self, report: Report, ext: str, prefix: str = "P0") -> str:
        """TRS attachment path: P0 (W0 for images) + publication date + 12 digits, in the article's folder."""
        d = report.published
        return f"{COLUMN}{d:%Y%m}/{prefix}{d:%Y%m%d}{self.rng.randrange(10 ** 11, 10 ** 12)}.{ext}"

    def hanweb_file(self, name: str, ext: str) -> str:
        """Hanweb JCMS download script: the file is named by a hash, its real name comes in Content-Disposition."""
        return f"{DOWNFILE}?classid=0&filename={hashlib.md5(name.encode()).hexdigest()}.{ext}"

    def serve(self, path: str, body: bytes, ext: str, download_name: str | None = None,
              content_type: str | None = None) -> None:
        """Route a file: TRS paths as nginx serves static files, Hanweb downloads as octet-stream attachments."""
        headers = []
        if download_name is not None:
            headers.append(("Content-Disposition", f"attachment; filename*=UTF-8''{quote(download_name)}"))
            content_type = content_type or "application/octet-stream"
        reply = Reply(200, body, content_type or CONTENT_TYPES[ext], headers)
        self.route(path, lambda ctx: reply)

    def file(self, report: Report, ext: str, body: bytes, hanweb: bool = False, name: str | None = None) -> str:
        name = name or f"{report.title}.{ext}"
        path = self.hanweb_file(name, ext) if hanweb else self.trs_file(report, ext)
        self.serve(path, body, ext, download_name=name if hanweb else None)
        return path

    def describe(self, raw_kind: str, raw_path: str, attachments: list[str], ocr: bool, **extra) -> None:
        """What the last report entry needs beyond Site.add_report: where its text comes from."""
        self.truth[-1].update(raw_kind=raw_kind, raw_path=raw_path, attachments=attachments, ocr=ocr, **extra)

    # -- the publication styles ------------------------------------------------------------------

    def pdf_behind_page(self, report: Report) -> None:
        """(a) An article whose whole body is "附件：<title>.pdf"."""
        pdf = self.file(report, "pdf", F.make_pdf(report))
        page = trs_path(COLUMN, report)
        self.article(report, page, _attachment_body([(pdf, f"{report.title}.pdf")]))
        self.add_report(report, [page])
        self.describe("pdf", pdf, [pdf], ocr=False)

    def html_with_docx(self, report: Report) -> None:
        """(b) The report as HTML, the same report attached as DOCX below the body."""
        docx = self.file(report, "docx", F.make_docx(report), hanweb=True)
        page = trs_path(COLUMN, report)
        self.article(report, page, None, attachments=[(docx, f"{report.title}.docx")])
        self.add_report(report, [page])
        self.describe("html", page, [docx], ocr=False)

    def direct_file(self, report: Report, ext: str, body: bytes, hanweb: bool = False) -> None:
        """(c-f) A listing row whose link is the file itself."""
        path = self.file(report, ext, body, hanweb=hanweb)
        self.items.append((path if hanweb else "./" + path[len(COLUMN):], report.title, report.published))
        self.add_report(report, [path])
        self.describe(ext, path, [], ocr=False, content_type=CONTENT_TYPES[ext] if not hanweb else "application/octet-stream")

    def pdf_with_tables(self, report: Report) -> None:
        """(g) An article with a short intro; the report as PDF without its tables, the tables as .xls.

        The report's text is the PDF's: each table's place holds a pointer to the 统计表, whose rows
        are in the truth entry's ``tables_text``.
        """
        sheet_name = f"{report.agency}{report.year}年政府信息公开工作情况统计表"
        text_report = F.without_tables(report, f"（具体数据详见附件2《{sheet_name}》表{{n}}）")
        pdf = self.file(text_report, "pdf", F.make_pdf(text_report))
        xls = self.file(report, "xls", F.make_xls(report), name=f"{sheet_name}.xls")
        page = trs_path(COLUMN, report)
        intro = (f"根据《中华人民共和国政府信息公开条例》规定，现将{report.agency}{report.year}年政府信息公开工作年度报告"
                 f"予以公布，统计数据详见附件2。")
        body = (f'<p style="text-indent: 2em; line-height: 1.75em;">{T.esc(intro)}</p>\n'
                + _attachment_body([(pdf, f"1.{report.title}.pdf"), (xls, f"2.{sheet_name}.xls")]))
        self.article(report, page, body)
        self.add_report(text_report, [page])
        self.describe("pdf", pdf, [pdf, xls], ocr=False, tables_path=xls,
                      tables_text="\n".join(F.spreadsheet_lines(report)),
                      text_note="text is the PDF's (tables replaced by pointers to the 统计表); "
                                "tables_text is what the .xls holds: per sheet its heading, then tab-joined rows")

    def scanned_pdf(self, report: Report) -> None:
        """(h) An article linking a scanned PDF: page images, no text layer."""
        pdf = self.file(report, "pdf", F.make_scanned_pdf(report))
        page = trs_path(COLUMN, report)
        self.article(report, page, _attachment_body([(pdf, f"{report.title}.pdf")]))
        self.add_report(report, [page])
        self.describe("pdf", pdf, [pdf], ocr=True)

    def image_page(self, report: Report) -> None:
        """(i) A 图片版 article whose body is one image of the report."""
        shown = F.image_part(report)
        png = self.trs_file(report, "png", prefix="W0")
        self.serve(png, F.make_image(report), "png")
        page = trs_path(COLUMN, report)
        title = f"{report.title}（图片版）"
        img = f'<p style="text-align: center;"><img src="./{png.rsplit("/", 1)[1]}" OLDSRC="{png}" border="0"></p>'
        self.article(_titled(report, title), page, img)
        self.add_report(shown, [page])
        self.truth[-1]["title"] = title
        self.describe("image", png, [png], ocr=True,
                      text_note="text is what the image shows; the page title adds （图片版）")

    def bad_files(self, broken: Report, locked: Report) -> None:
        """(j) Five files nothing can read, each a trap: listed like reports, never a report."""
        pdf = F.make_pdf(broken)
        cut = self.trs_file(broken, "pdf")
        self.serve(cut, pdf[: len(pdf) * 2 // 5], "pdf")
        page = trs_path(COLUMN, broken)
        self.article(broken, page, _attachment_body([(cut, f"{broken.title}.pdf")]))
        self.add_trap("bad_file", cut, reason="truncated or corrupt PDF", title=broken.title, page=page)

        year = broken.year
        row_date = broken.published
        empty_name = f"永春县吾峰镇人民政府{year}年政府信息公开工作年度报告.pdf"
        empty = self.hanweb_file(empty_name, "pdf")
        self.serve(empty, b"", "pdf", download_name=empty_name)
        self.items.append((empty, empty_name[:-4], row_date))
        self.add_trap("bad_file", empty, reason="empty file", title=empty_name[:-4])

        missing = self.trs_file(broken, "pdf")
        self.serve(missing, _HTML_404.encode(), "pdf")
        missing_title = f"永春县湖洋镇人民政府{year}年政府信息公开工作年度报告"
        self.items.append(("./" + missing[len(COLUMN):], missing_title, row_date))
        self.add_trap("bad_file", missing, reason="mislabelled file: the .pdf is an HTML page", title=missing_title)

        protected = self.trs_file(locked, "pdf")
        self.serve(protected, F.make_encrypted_pdf(locked, user_password="yc2024"), "pdf")
        self.items.append(("./" + protected[len(COLUMN):], locked.title, locked.published))
        self.add_trap("bad_file", protected, reason="password-protected PDF", title=locked.title)

        junk = self.trs_file(locked, "doc")
        noise = random.Random("fujian-junk").randbytes(24_576)
        self.serve(junk, noise, "doc")
        junk_title = f"永春县苏坑镇人民政府{year}年政府信息公开工作年度报告"
        self.items.append(("./" + junk[len(COLUMN):], junk_title, row_date))
        self.add_trap("bad_file", junk, reason="unknown binary: the .doc matches no known file format", title=junk_title)

    # -- pages -----------------------------------------------------------------------------------

    def article(self, report: Report, path: str, body: str | None,
                attachments: list[tuple[str, str]] = ()) -> None:
        """An article page; `body` replaces the report's own HTML body when given."""
        shown = _with_body(report, body) if body is not None else report
        self.route(path, partial(self.article_page, shown, path, list(attachments)))
        self.items.append(("./" + path[len(COLUMN):], report.title, report.published))

    def article_page(self, report: Report, path: str, attachments: list[tuple[str, str]], ctx: Context) -> Reply:
        page = T.trs_article(PORTAL, report, header=self.header, crumbs=[("/", "首页"), ("/zwgk/", "政务公开"),
                                                                         (COLUMN, COLUMN_NAME)],
                             column=COLUMN_NAME, url=f"http://{PORTAL.domain}{path}", hits=ctx.hit(), prev=None,
                             nxt=None, links=[("/zwgk/xxgkzn/", "政府信息公开指南")])
        if attachments:
            # TRS prints the document's attachments under the body, outside the editor's HTML
            links = "".join(f'<li><a href="{T.esc(h)}" target="_blank">{T.esc(n)}</a></li>' for h, n in attachments)
            page = page.replace('<div class="share-print">',
                                f'<div class="article-attach"><span>相关附件：</span><ul>{links}</ul></div>\n'
                                '<div class="share-print">', 1)
        return html_reply(page)

    def listing_pages(self) -> None:
        rows = sorted(self.items, key=lambda row: (row[2], row[0]), reverse=True)
        pages = T.paginate(rows, PER_PAGE)
        side = (f'<ul class="side"><li><a href="/zwgk/xxgkzn/">政府信息公开指南</a></li>'
                f'<li><a href="/zwgk/xxgkzd/">政府信息公开制度</a></li>'
                f'<li><a href="{COLUMN}" class="on">{COLUMN_NAME}</a></li></ul>')
        for i, page_rows in enumerate(pages):
            html = T.trs_list(PORTAL, header=self.header, crumbs=[("/", "首页"), ("/zwgk/", "政务公开"),
                                                                  (COLUMN, COLUMN_NAME)],
                              column=COLUMN_NAME, rows=page_rows, pager=T.create_page_html(len(pages), i, "index", "html"),
                              side=side)
            self.route(COLUMN + T.page_name("index", "html", i), partial(lambda h, ctx: html_reply(h), html))
        self.route(COLUMN, self.routes[COLUMN + "index.html"])

    def chrome_pages(self) -> None:
        hub = (f'<div class="w1200 main"><div class="gk-title">政府信息公开</div><ul class="gk">'
               f'<li><a href="/zwgk/xxgkzn/">政府信息公开指南</a></li><li><a href="/zwgk/xxgkzd/">政府信息公开制度</a></li>'
               f'<li><a href="{COLUMN}">{COLUMN_NAME}</a></li></ul></div>')
        home = (f'<div class="w1200 main"><div class="gk-entry"><a href="/zwgk/">政府信息公开</a>'
                f'<a href="{COLUMN}">{COLUMN_NAME}</a></div></div>')
        for path, title, content in (("/", PORTAL.name, home), ("/index.html", PORTAL.name, home),
                                     ("/zwgk/", f"政务公开_{PORTAL.name}", hub),
                                     ("/zwgk/index.html", f"政务公开_{PORTAL.name}", hub)):
            body = f"{T.top_bar(PORTAL)}\n{self.header}\n{content}\n{T.footer(PORTAL)}"
            self.route(path, partial(lambda b, t, ctx: html_reply(T.page(t, "", b)), body, title))
        self.route("/js/page.js", lambda ctx: Reply(200, T.PAGE_JS.encode(), "application/javascript"))
        for path, title in (("/zwdt/", "政务动态"), ("/bsfw/", "办事服务"), ("/hdjl/", "互动交流"), ("/zjyc/", "走进永春"),
                            ("/zwgk/xxgkzn/", "政府信息公开指南"), ("/zwgk/xxgkzd/", "政府信息公开制度"),
                            ("/wzdt/", "网站地图"), ("/lxwm/", "联系我们"), ("/mzsm/", "免责声明"),
                            ("/user/login.jsp", "用户登录"), ("/user/register.jsp", "用户注册"),
                            ("/search/search.jsp", "站内搜索")):
            self.route(path, partial(lambda t, ctx: html_reply(T.stub_page(PORTAL, t, self.header)), title))


def _attachment_body(files: list[tuple[str, str]]) -> str:
    """TRS editor markup of an attachment list: relative hrefs, the OLDSRC the editor keeps."""
    lines = []
    for k, (path, name) in enumerate(files):
        href = path if path.startswith(DOWNFILE) else "./" + path.rsplit("/", 1)[1]
        label = "附件：" if k == 0 else ""
        indent = "2em" if k == 0 else "5em"
        lines.append(f'<p style="text-indent: {indent}; line-height: 1.75em;">{label}<a href="{T.esc(href)}" '
                     f'OLDSRC="{T.esc(path)}" target="_blank">{T.esc(name)}</a></p>')
    return "\n".join(lines)


def _with_body(report: Report, body: str) -> Report:
    return replace(report, extra={**report.extra, "body_html": body})


def _titled(report: Report, title: str) -> Report:
    return replace(report, title=title, extra=dict(report.extra))
