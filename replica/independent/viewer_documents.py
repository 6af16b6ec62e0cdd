"""宁陵县人民政府 (河南): a PHPCMS v9 portal whose reports are shown through document viewers.

Evidence:

- PHPCMS v9 static publishing: columns ``/<catdir>/index.html``, ``/<catdir>/2.html`` …, articles
  ``/<catdir>/<year>/<month><day>/<id>.html``; its ``pages()`` pager opens with ``<a class="a1">N条</a>``.
- pdf.js under the site's statics with a site-relative ``file=``: a public crawler's README (search-index file
  38882052567, found with find_string ``viewer.html?file=/uploadfile/``) records pages that jump to
  ``/statics/js/pdf/web/viewer.html?file=/uploadfile/file/20250326/1742978958889379.pdf``; uploads here use that
  ``/uploadfile/file/<yyyymmdd>/<ms timestamp><digits>.pdf`` shape.
- pdf.js with an encoded absolute ``file=``: www805/TRM ``SourseCode/TRM/src/main/resources/static/pdfjs/pdf.js``
  builds ``<iframe src="/pdfjs/web/viewer.html?file='+encodeURIComponent(pdfurl)+'">``.
- kkFileView: gaoxingzaq/kkFileView ``server/src/main/resources/web/mht.ftl`` (an ``<iframe src="${finalUrl}">``
  preview page) and integration READMEs (search-index file 6475842887; find_string
  ``onlinePreview?url='+encodeURIComponent(Base64``): ``/onlinePreview?url=`` + encodeURIComponent(base64(file URL));
  the preview page puts the URL in a script variable and sets its iframe to ``pdfjs/web/viewer.html?file=…`` by script.
- ``<embed src="….pdf" type="application/pdf">``, ``<object data="….pdf" type="application/pdf">`` and
  "详见附件" articles whose body only names the attached file (shared/reference/portals.md §6 "Report versions";
  §1.2 attachments).

Variants (one report each, the rest plain HTML articles): ``statics_pdfjs`` (iframe, relative file=),
``encoded_pdfjs`` (iframe, /pdfjs/, file= an encoded absolute URL), ``kkfileview`` (iframe to onlinePreview,
base64 url=), ``embed``, ``object``, ``attachment_docx`` (详见附件 + a .docx link), ``viewer_link`` (详见附件 + only a
"在线预览" link to the statics viewer).  The viewer pages (``viewer.html``, ``onlinePreview``) are served for any
query and hold no report text.

The column has per-year sub-columns (2021–2023年度) listing the same articles (PHPCMS child categories): that
year's reports and the notices or 要点 about that year.

Truth keys beyond Site.add_report: ``raw_kind`` (``pdf``/``docx`` for a report whose text is the file's),
``raw_path`` (the file's path), ``viewer`` (the variant name above).  ``text`` is the document's text.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import random
from functools import partial
from urllib.parse import quote

from PIL import Image

from .. import documents as F
from ..fillers import County, filler_reports
from ..reports import Report, body_html
from ..server import Context, Reply, html_reply
from ..site import Site, assign_docids, faithful_text
from ._pieces_b import esc, lookalikes, statutory_footer

NAME = "宁陵县人民政府"
DOMAIN = "www.ningling.gov.cn"
REGION = "宁陵县"
COUNTY = County(
    REGION, NAME,
    ("城关回族镇", "张弓镇", "柳河镇", "逻岗镇", "石桥镇", "黄岗镇", "华堡镇", "刘楼乡", "程楼乡", "乔楼乡", "城郊乡",
     "孔集乡", "赵村乡", "阳驿乡"),
    ("发展和改革委员会", "教育体育局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局",
     "交通运输局", "水利局", "农业农村局", "卫生健康委员会", "应急管理局", "市场监督管理局", "统计局", "医疗保障局"),
    "476700", "0370", f"http://{DOMAIN}")
COLUMN = "/xxgk/xxgknb/"
HUB = "/xxgk/"
CATID = 45
PER_PAGE = 8
YEAR_COLUMNS = (2023, 2022, 2021)
VARIANTS = ("statics_pdfjs", "encoded_pdfjs", "kkfileview", "embed", "object", "attachment_docx", "viewer_link")

PDFJS_VIEWER = """<!DOCTYPE html>
<html dir="ltr" mozdisallowselectionprint>
<head><meta charset="utf-8"><meta name="google" content="notranslate">
<title>PDF.js viewer</title>
<link rel="stylesheet" href="viewer.css">
<script src="../build/pdf.js"></script>
<script src="viewer.js"></script>
</head>
<body tabindex="1">
<div id="outerContainer"><div id="sidebarContainer"></div>
<div id="mainContainer"><div class="toolbar"><div id="toolbarContainer"><div id="toolbarViewer">
<button id="previous" class="toolbarButton" title="上一页"></button><button id="next" class="toolbarButton" title="下一页"></button>
<input type="number" id="pageNumber" class="toolbarField" value="1" size="4" min="1">
<button id="download" class="toolbarButton download" title="下载"></button></div></div></div>
<div id="viewerContainer" tabindex="0"><div id="viewer" class="pdfViewer"></div></div></div></div>
<div id="printContainer"></div>
</body>
</html>
"""


class ViewerDocuments(Site):
    name = "viewer_documents"
    title = NAME

    def __init__(self, scale: int = 1):
        super().__init__()
        self.rng = random.Random(f"viewer-{scale}")
        # the files: a fixed set of 2019/2021-format reports whatever the scale (files are slow to make)
        pool = filler_reports("viewer-files", COUNTY, 200, range(2019, 2024))
        files = []
        for year in (2023, 2022, 2021, 2020, 2019, 2022, 2021):    # both formats, several years
            files.append(next(r for r in pool if r.year == year and r not in files))
        taken = {(r.agency, r.year) for r in files}
        reports = filler_reports(f"viewer-fillers-{scale}", COUNTY, 15 + 10 * (scale - 1), range(2009, 2024), taken)
        fakes = lookalikes(REGION, NAME, f"{NAME}办公室", random.Random("viewer-lookalikes"))
        items = [*reports, *files, *fakes]
        assign_docids(items, self.rng, 345)
        items.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.rows: list[tuple[str, Report]] = []
        variant_of = {id(r): v for r, v in zip(files, VARIANTS)}
        for report in items:
            path = f"{COLUMN}{report.published:%Y}/{report.published:%m%d}/{report.docid}.html"
            self.rows.append((path, report))
            variant = variant_of.get(id(report))
            if variant is None:
                self.route(path, partial(self.article, report, None, path))
                if report.is_report:
                    self.add_report(report, [path])
                else:
                    self.add_lookalike(report, path)
                continue
            ext = "docx" if variant == "attachment_docx" else "pdf"
            data = F.make_docx(report) if ext == "docx" else F.make_pdf(report)
            upload = self.upload(report, ext, data)
            self.route(path, partial(self.article, report, (variant, upload), path))
            self.add_report(report, [path])
            self.truth[-1].update(text=faithful_text(report), raw_kind=ext, raw_path=upload, viewer=variant)
        self.listings()
        self.chrome_pages()

    # -- files and viewers -------------------------------------------------------------------------

    def upload(self, report: Report, ext: str, data: bytes) -> str:
        """An editor upload: /uploadfile/file/<yyyymmdd>/<ms timestamp><3 digits>.<ext>."""
        d = report.published
        # the editor names uploads by the server's clock (Beijing time), not the client's
        stamp = int(dt.datetime(d.year, d.month, d.day, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp() * 1000)
        stamp += self.rng.randrange(0, 8 * 3600 * 1000)
        path = f"/uploadfile/file/{d:%Y%m%d}/{stamp}{self.rng.randrange(100, 1000)}.{ext}"
        ctype = {"pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[ext]
        reply = Reply(200, data, ctype, [("Accept-Ranges", "bytes")])
        self.route(path, lambda ctx: reply)
        return path

    def viewer_body(self, report: Report, variant: str, upload: str, ctx: Context) -> str:
        absolute = ctx.url(self.name, upload)
        lead = (f'<p style="text-indent:2em;">根据《中华人民共和国政府信息公开条例》规定，现将《{esc(report.title)}》'
                f'予以公布，详见附件。</p>')
        if variant == "statics_pdfjs":
            return (f'<p style="text-align:center;"><iframe src="/statics/js/pdf/web/viewer.html?file={upload}" '
                    f'width="100%" height="1000px" frameborder="0" scrolling="auto"></iframe></p>')
        if variant == "encoded_pdfjs":
            return (f'<div id="pdfdiv" style="height:900px;"><iframe style="width:100%;height:97%;" '
                    f'src="/pdfjs/web/viewer.html?file={quote(absolute, safe="")}" id="pdfiframe"></iframe></div>')
        if variant == "kkfileview":
            token = quote(base64.b64encode(absolute.encode()).decode(), safe="")
            return (f'<iframe src="/preview/onlinePreview?url={token}" width="100%" height="960" '
                    f'frameborder="0"></iframe>')
        if variant == "embed":
            return f'<embed src="{upload}" type="application/pdf" width="100%" height="900px" />'
        if variant == "object":
            return (f'<object data="{upload}" type="application/pdf" width="100%" height="900">'
                    f'<p>您的浏览器暂不支持在线预览PDF文件。</p></object>')
        if variant == "attachment_docx":
            return (lead + f'<p style="text-indent:2em;">附件：<a href="{upload}" title="{esc(report.title)}.docx" '
                    f'target="_blank"><img src="/statics/images/ext/docx.gif" alt="">{esc(report.title)}.docx</a></p>')
        if variant == "viewer_link":
            return (lead + f'<p style="text-indent:2em;">附件：{esc(report.title)} '
                    f'<a href="/statics/js/pdf/web/viewer.html?file={upload}" target="_blank">[在线预览]</a></p>')
        raise ValueError(variant)

    def online_preview(self, ctx: Context) -> Reply:
        """kkFileView's pdf preview page: the file URL in a script variable, the viewer iframe set by script."""
        token = ctx.request.args().get("url", "")
        try:
            url = base64.b64decode(token).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return html_reply("<html><body><p>文件地址不合法</p></body></html>", status=400)
        page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, user-scalable=yes, initial-scale=1.0">
<title>PDF预览</title><script src="js/watermark.js"></script></head>
<body>
<iframe src="" width="100%" frameborder="0"></iframe>
<script type="text/javascript">
  var url = '{url}';
  var baseUrl = '{ctx.url(self.name, "/preview/")}';
  document.getElementsByTagName('iframe')[0].src = baseUrl + "pdfjs/web/viewer.html?file=" + encodeURIComponent(url)
      + "&disablepresentationmode=false&disableopenfile=true&disableprint=false&disabledownload=false";
  document.getElementsByTagName('iframe')[0].height = document.documentElement.clientHeight - 10;
</script>
</body></html>"""
        return html_reply(page)

    # -- pages -------------------------------------------------------------------------------------

    def _shell(self, title: str, crumbs: list[tuple[str, str]], content: str, head: str = "") -> str:
        trail = " &gt; ".join(f'<a href="{h}">{t}</a>' for h, t in crumbs)
        nav = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in (
            ("/", "网站首页"), ("/zwyw/", "政务要闻"), (HUB, "信息公开"), ("/bsfw/", "办事服务"), ("/gzhd/", "公众互动")))
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(title)}</title>
<meta name="keywords" content="宁陵县人民政府,宁陵县,政府信息公开" />
{head}
<link href="/statics/css/reset.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/statics/js/jquery.min.js"></script>
</head><body>
<div class="top_bar"><div class="w1000"><span>欢迎访问宁陵县人民政府门户网站</span>
<a href="/index.php?m=member&amp;c=index&amp;a=login">登录</a> | <a href="/index.php?m=member&amp;c=index&amp;a=register">注册</a></div></div>
<div class="header w1000"><a href="/"><img src="/statics/images/logo.png" alt="{NAME}" /></a>
<form action="/index.php" method="get"><input type="hidden" name="m" value="search" /><input name="q" /><input type="submit" value="搜索" /></form></div>
<div class="nav"><ul class="w1000">{nav}</ul></div>
<div class="crumbs w1000">当前位置：{trail}</div>
{content}
{statutory_footer(host_org="宁陵县人民政府办公室", site_code="4114230001", icp="豫ICP备12013567号-1",
                  police="豫公网安备 41142302000101号", address="河南省商丘市宁陵县人民路中段", phone="0370-7812001")}
</body></html>"""

    def article(self, report: Report, shown: tuple[str, str] | None, path: str, ctx: Context) -> Reply:
        body = self.viewer_body(report, shown[0], shown[1], ctx) if shown else body_html(report, "trs")
        year_col = f"{COLUMN}{report.year}nb/" if report.year in YEAR_COLUMNS else COLUMN
        crumbs = [("/", "首页"), (HUB, "信息公开"), (COLUMN, "政府信息公开年报")]
        if year_col != COLUMN:
            crumbs.append((year_col, f"{report.year}年度"))
        content = f"""<div class="main w1000"><div class="article">
<h1>{esc(report.title)}</h1>
<div class="info">发布时间：{report.published:%Y-%m-%d} 09:{report.docid % 60:02d}:00　来源：{esc(report.source)}　
点击：<span id="hits"></span><script language="JavaScript" src="/api.php?op=count&amp;id={report.docid}&amp;modelid=1"></script></div>
<div class="content" id="Article">
{body}
</div>
<div class="print"><a href="javascript:window.print();">[打印本页]</a> <a href="javascript:window.close();">[关闭窗口]</a></div>
<p class="f14"><strong>上一篇：</strong><a href="{COLUMN}">返回列表</a></p>
</div></div>"""
        return html_reply(self._shell(f"{report.title} - {NAME}", crumbs, content))

    def listings(self) -> None:
        columns = [(COLUMN, "政府信息公开年报", self.rows)]
        for year in YEAR_COLUMNS:
            # a year's sub-column: that year's reports, and the notices and 要点 about that year
            columns.append((f"{COLUMN}{year}nb/", f"{year}年度",
                            [(p, r) for p, r in self.rows
                             if (r.year == year if r.is_report else f"{year}年" in r.title)]))
        self.year_columns = [(c, n) for c, n, _ in columns[1:]]
        for column, name, rows in columns:
            pages = [rows[i:i + PER_PAGE] for i in range(0, len(rows), PER_PAGE)] or [[]]
            for i, chunk in enumerate(pages):
                page = partial(self.list_page, column, name, chunk, i + 1, len(pages), len(rows))
                for suffix in (["", "index.html"] if i == 0 else [f"{i + 1}.html"]):
                    self.route(column + suffix, page)
            self.add_column(column, reports=sum(1 for _, r in rows if r.is_report), stated=len(rows), needs="static",
                            note="PHPCMS pages(): N条, /<catdir>/<n>.html")

    def list_page(self, column: str, name: str, chunk: list, page: int, count: int, total: int,
                  ctx: Context) -> Reply:
        lis = "\n".join(f'<li><span class="rt">{r.published:%Y-%m-%d}</span>·<a href="{p}" target="_blank" '
                        f'title="{esc(r.title)}">{esc(r.title)}</a></li>' for p, r in chunk)

        def href(n: int) -> str:
            return f"{column}index.html" if n == 1 else f"{column}{n}.html"
        pager = ""
        if total:
            parts = [f'<a class="a1">{total}条</a>',
                     f'<a href="{href(max(page - 1, 1))}" class="a1">上一页</a>']
            for n in range(1, count + 1):
                parts.append(f"<span>{n}</span>" if n == page else f'<a href="{href(n)}">{n}</a>')
            parts.append(f'<a href="{href(min(page + 1, count))}" class="a1">下一页</a>')
            pager = f'<div id="pages" class="text-c">{" ".join(parts)}</div>'
        years = "".join(f'<li><a href="{c}">{n}</a></li>' for c, n in self.year_columns)
        crumbs = [("/", "首页"), (HUB, "信息公开"), (COLUMN, "政府信息公开年报")]
        if column != COLUMN:
            crumbs.append((column, name))
        content = f"""<div class="main w1000"><div class="left_nav"><h3>政府信息公开年报</h3><ul>{years}</ul></div>
<div class="list_right"><div class="list_tit">{esc(name)}</div><ul class="list lh24 f14">{lis}</ul>{pager}</div></div>"""
        return html_reply(self._shell(f"{name} - {NAME}", crumbs, content))

    def chrome_pages(self) -> None:
        viewer = Reply(200, PDFJS_VIEWER.encode(), "text/html; charset=utf-8")
        for path in ("/statics/js/pdf/web/viewer.html", "/pdfjs/web/viewer.html", "/preview/pdfjs/web/viewer.html"):
            self.route(path, lambda ctx: viewer)
        self.route("/preview/onlinePreview", self.online_preview)
        icon = Reply(200, _docx_icon(), "image/gif")
        self.route("/statics/images/ext/docx.gif", lambda ctx: icon)
        self.route("/api.php", lambda ctx: Reply(200, f"$('#hits').html('{ctx.hit()}');".encode(),
                                                 "application/javascript"))
        hub = (f'<div class="main w1000"><div class="xxgk"><h2>政府信息公开</h2><ul>'
               f'<li><a href="{HUB}zn/">政府信息公开指南</a></li><li><a href="{HUB}zd/">政府信息公开制度</a></li>'
               f'<li><a href="{HUB}fdzdgknr/">法定主动公开内容</a></li><li><a href="{COLUMN}">政府信息公开年报</a></li>'
               f'</ul></div></div>')
        home = (f'<div class="main w1000"><div class="focus"><img src="/uploadfile/2024/0301/20240301093012345.jpg" alt="" /></div>'
                f'<div class="ywbox"><h3><a href="/zwyw/">政务要闻</a></h3><ul><li><a href="/zwyw/">宁陵县召开2024年春季农业生产工作会议</a></li></ul></div>'
                f'<div class="gkbox"><a href="{HUB}">信息公开</a></div></div>')
        for path in ("/", "/index.html"):
            self.route(path, partial(lambda c, ctx: html_reply(self._shell(NAME, [("/", "首页")], c)), home))
        for path in (HUB, HUB + "index.html"):
            self.route(path, partial(lambda c, ctx: html_reply(
                self._shell(f"信息公开 - {NAME}", [("/", "首页"), (HUB, "信息公开")], c)), hub))
        for path, title in (("/zwyw/", "政务要闻"), ("/bsfw/", "办事服务"), ("/gzhd/", "公众互动"), (HUB + "zn/", "政府信息公开指南"),
                            (HUB + "zd/", "政府信息公开制度"), (HUB + "fdzdgknr/", "法定主动公开内容")):
            content = f'<div class="main w1000"><div class="list_tit">{title}</div><p>暂无内容</p></div>'
            self.route(path, partial(lambda t, c, ctx: html_reply(self._shell(f"{t} - {NAME}", [("/", "首页")], c)),
                                     title, content))


def _docx_icon() -> bytes:
    """The 16×16 file-type icon PHPCMS puts before an attachment's name."""
    out = io.BytesIO()
    Image.new("P", (16, 16), 1).save(out, format="GIF")
    return out.getvalue()
