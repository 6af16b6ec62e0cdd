"""岳西县人民政府 (安徽): a 集约化 (Anhui site-group) portal whose report files sit behind download URLs without a
file extension.

Evidence:

- shared/reference/portals.md §3 "Anhui 集约化": details at ``/public/<organId>/<id>.html``, attachments under
  FastDFS-style ``/group6/M00/…``; the list keys ``pageSize``/``pageIndex``/``catId``/``action=list`` (here as
  the server-rendered column page ``/public/column/<organId>?type=4&catId=…&action=list[&pageIndex=N]``).
- kkFileView's integration notes (public README, search-index file 6475842887, found with find_string
  ``onlinePreview?url='+encodeURIComponent(Base64``):
  "很多系统内不是直接暴露文件下载地址，而是请求通过id、code等参数到通过统一的接口 … 此时下载url是不带文件后缀名的",
  e.g. ``/filedownload?fileId=1`` — the name comes from Content-Disposition or not at all.
- JSP download servlets in public code (find_string ``DownloadServlet?id=``, ``getFile.do?fid=``: ``href='getFile.do?fid='
  + fid + '&ftype=' + ftype``; zhangshuaipeng/qyfwpt ``WebContent/plugins/office/readdoc.jsp`` answers
  ``application/octet-stream`` with ``Content-Disposition: attachment; filename=`` + the raw name, i.e. the
  name's bytes in the server's charset, not RFC 5987).
- ``onclick="downloadFile('…')"`` handlers whose URL is assembled in an included script (find_string
  ``onclick="downloadFile('`` in public front ends).
- 图片版 reports (portals.md §6 "Report versions"): here the body is 12 page images, each ``<img width="100%">``.

Variants, one report each (the rest are plain HTML articles):

- ``fileid_cd``: article → ``/attach/download?fileId=<32 hex>``, octet-stream, ``Content-Disposition: attachment;
  filename*=UTF-8''<name>.pdf``.
- ``getfile_magic``: article → ``/getFile.do?fid=<n>&ftype=1``, ``application/octet-stream``, no
  Content-Disposition: only the bytes (``PK``: a DOCX) tell the kind.
- ``servlet_gbk``: article → ``/servlet/DownloadServlet?id=<n>``, ``application/x-download``,
  ``Content-Disposition: attachment; filename=<the name's GBK bytes>`` (PDF).
- ``onclick_script``: article with ``<a href="javascript:void(0);" onclick="downloadFile('<hex>')">``; the URL
  (``/getFile.do?fid=<hex>&ftype=2``) is built in ``/assets/js/common/download.js`` (DOCX, named by an RFC 5987
  Content-Disposition).
- ``list_direct``: the column row itself links ``/attach/download?fileId=<32 hex>`` (PDF, octet-stream, named).
- ``image_pages``: a 图片版 article of 12 page images (``/group6/M00/…/<name>.png``, ``width="100%"``).

The column's 工作要点 look-alike is listed the ``list_direct`` way: a Word file behind ``/attach/download?fileId=``.

Truth keys beyond Site.add_report: ``raw_kind`` (``pdf``/``docx``/``image``), ``raw_path`` (the download URL, or the
first image), ``download_name`` (the file name the response's Content-Disposition gives, else None),
``variant``; for ``image_pages`` also ``parts`` (the 12 images in order) and ``ocr`` true.  ``text`` is the
document's text (for the images: what they show, the whole report).
"""

from __future__ import annotations

import hashlib
import io
import random
from functools import partial
from urllib.parse import parse_qsl, quote

from PIL import Image

from .. import documents as F
from ..fillers import County, filler_reports
from ..reports import Report, body_html
from ..server import Context, Reply, html_reply
from ..site import Site, assign_docids, faithful_text
from ._pieces_b import esc, lookalikes, statutory_footer

NAME = "岳西县人民政府"
DOMAIN = "www.yuexi.gov.cn"
REGION = "岳西县"
COUNTY = County(
    REGION, NAME,
    ("天堂镇", "店前镇", "河图镇", "五河镇", "主簿镇", "冶溪镇", "黄尾镇", "响肠镇", "头陀镇", "温泉镇", "白帽镇",
     "青天乡", "来榜镇", "菖蒲镇", "田头乡", "中关乡", "莲云乡", "和平乡", "古坊乡", "石关乡", "包家乡", "姚河乡",
     "毛尖山乡", "巍岭乡"),
    ("发展和改革委员会", "教育局", "民政局", "财政局", "人力资源和社会保障局", "自然资源和规划局", "住房和城乡建设局",
     "交通运输局", "水利局", "农业农村局", "文化旅游体育局", "卫生健康委员会", "应急管理局", "市场监督管理局", "统计局",
     "林业局", "医疗保障局", "数据资源管理局"),
    "246600", "0556", f"http://{DOMAIN}")
ORGAN = 6616421
CAT = 7019521
LIST = f"/public/column/{ORGAN}"
LIST_QUERY = f"type=4&catId={CAT}&action=list"
PAGE_SIZE = 10
VARIANTS = ("fileid_cd", "getfile_magic", "servlet_gbk", "onclick_script", "list_direct", "image_pages")
IMAGE_PAGES = 12

DOWNLOAD_JS = """/* 附件下载 */
var basePath = "/";
function downloadFile(fileId) {
    if (!fileId) {
        alert("附件不存在！");
        return;
    }
    window.location.href = basePath + "getFile.do?fid=" + fileId + "&ftype=2";
}
"""


class ExtensionlessDownloads(Site):
    name = "extensionless_downloads"
    title = NAME

    def __init__(self, scale: int = 1):
        super().__init__()
        self.rng = random.Random(f"extless-{scale}")
        self.downloads: list[tuple[str, dict[str, str], Reply]] = []
        # the files: a fixed set of table reports whatever the scale (files are slow to make)
        pool = [r for r in filler_reports("extless-files", COUNTY, 300, range(2019, 2024)) if r.figures]
        files = []
        for year in (2023, 2022, 2021, 2020, 2019, 2022):     # both formats, several years
            files.append(next(r for r in pool if r.year == year and r not in files))
        taken = {(r.agency, r.year) for r in files}
        plain = filler_reports(f"extless-fillers-{scale}", COUNTY, 12 + 10 * (scale - 1), range(2008, 2024), taken)
        fakes = lookalikes(REGION, NAME, f"{NAME}办公室", random.Random("extless-lookalikes"))
        items = [*plain, *files, *fakes]
        assign_docids(items, self.rng, 8812000)
        items.sort(key=lambda r: (r.published, r.docid), reverse=True)
        self.rows: list[tuple[str, Report]] = []
        variant_of = {id(r): v for r, v in zip(files, VARIANTS)}
        for report in items:
            variant = variant_of.get(id(report))
            path = f"/public/{ORGAN}/{report.docid}.html"
            if report is fakes[1]:
                # a look-alike published the list_direct way: the 工作要点 as a Word file straight from the list
                url = f"/attach/download?fileId={self._hex()}"
                self.serve_file(url, F.make_docx(report), "application/octet-stream",
                                f"attachment;filename*=UTF-8''{quote(report.title + '.docx')}")
                self.rows.append((url, report))
                self.add_lookalike(report, url)
                continue
            if variant is None:
                self.route(path, partial(self.article, report, None))
                self.rows.append((path, report))
                if report.is_report:
                    self.add_report(report, [path])
                else:
                    self.add_lookalike(report, path)
                continue
            getattr(self, variant)(report, path)
        self.listing()
        self.chrome_pages()

    # -- downloads ---------------------------------------------------------------------------------

    def _hex(self) -> str:
        return "%032x" % self.rng.getrandbits(128)

    def serve_file(self, route: str, data: bytes, content_type: str, disposition: str | None) -> None:
        headers = [("Content-Disposition", disposition)] if disposition else []
        headers.append(("Cache-Control", "no-cache"))
        reply = Reply(200, data, content_type, headers)
        self.route(route, lambda ctx: reply)
        # a servlet reads its parameters by name: any order, extra ones ignored (see dynamic)
        path, _, query = route.partition("?")
        self.downloads.append((path, dict(parse_qsl(query)), reply))

    def describe(self, report: Report, page: str, variant: str, kind: str, raw: str, name: str | None) -> None:
        self.add_report(report, [page])
        self.truth[-1].update(text=faithful_text(report), raw_kind=kind, raw_path=raw, download_name=name,
                              variant=variant)

    def fileid_cd(self, report: Report, path: str) -> None:
        name = f"{report.title}.pdf"
        url = f"/attach/download?fileId={self._hex()}"
        self.serve_file(url, F.make_pdf(report), "application/octet-stream",
                        f"attachment;filename*=UTF-8''{quote(name)}")
        self.route(path, partial(self.article, report, _attachment(url, name)))
        self.rows.append((path, report))
        self.describe(report, path, "fileid_cd", "pdf", url, name)

    def getfile_magic(self, report: Report, path: str) -> None:
        url = f"/getFile.do?fid={self.rng.randrange(10000, 99999)}&ftype=1"
        self.serve_file(url, F.make_docx(report), "application/octet-stream", None)
        self.route(path, partial(self.article, report, _attachment(url, f"{report.title}.docx")))
        self.rows.append((path, report))
        self.describe(report, path, "getfile_magic", "docx", url, None)

    def servlet_gbk(self, report: Report, path: str) -> None:
        name = f"{report.title}.pdf"
        url = f"/servlet/DownloadServlet?id={self.rng.randrange(1000, 9999)}"
        # new String(name.getBytes("GBK"), "ISO8859-1"): the header carries the GBK bytes as they are
        self.serve_file(url, F.make_pdf(report), "application/x-download",
                        "attachment; filename=" + name.encode("gbk").decode("latin-1"))
        self.route(path, partial(self.article, report, _attachment(url, name)))
        self.rows.append((path, report))
        self.describe(report, path, "servlet_gbk", "pdf", url, name)

    def onclick_script(self, report: Report, path: str) -> None:
        name = f"{report.title}.docx"
        fid = self._hex()
        url = f"/getFile.do?fid={fid}&ftype=2"
        self.serve_file(url, F.make_docx(report), "application/octet-stream",
                        f"attachment; filename=\"report.docx\"; filename*=UTF-8''{quote(name)}")
        link = (f'<a href="javascript:void(0);" onclick="downloadFile(\'{fid}\')" title="{esc(name)}">'
                f'{esc(name)}</a>')
        self.route(path, partial(self.article, report, _attachment_markup(link)))
        self.rows.append((path, report))
        self.describe(report, path, "onclick_script", "docx", url, name)

    def list_direct(self, report: Report, path: str) -> None:
        name = f"{report.title}.pdf"
        url = f"/attach/download?fileId={self._hex()}"
        self.serve_file(url, F.make_pdf(report), "application/octet-stream",
                        f"attachment;filename*=UTF-8''{quote(name)}")
        self.rows.append((url, report))
        self.describe(report, url, "list_direct", "pdf", url, name)

    def image_pages(self, report: Report, path: str) -> None:
        d = report.published
        images = []
        for k in range(IMAGE_PAGES):
            token = hashlib.sha1(f"{report.docid}-{k}".encode()).digest()
            stem = "wKg" + token.hex()[:4] + "Z" + token.hex()[4:24]
            images.append(f"/group6/M00/{token[0]:02X}/{token[1]:02X}/{stem}{d:%Y%m%d}.png")
        for k, image in enumerate(images):
            self.route(image, partial(lambda k, ctx: Reply(200, _page_images(report)[k], "image/png"), k))
        imgs = "\n".join(f'<p style="text-align:center;"><img src="{image}" width="100%" alt="" border="0" /></p>'
                         for image in images)
        shown = Report(title=f"{report.title}（图片版）", agency=report.agency, year=report.year,
                       published=report.published, source=report.source, blocks=report.blocks, figures=report.figures,
                       docid=report.docid)
        self.route(path, partial(self.article, shown, imgs))
        self.rows.append((path, shown))
        self.add_report(report, [path])
        self.truth[-1].update(title=shown.title, text=faithful_text(report), raw_kind="image", raw_path=images[0],
                              download_name=None, variant="image_pages", parts=images, ocr=True)

    # -- pages -------------------------------------------------------------------------------------

    def _shell(self, title: str, crumbs: str, content: str) -> str:
        nav = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in (
            ("/", "首页"), ("/zwdt/", "政务动态"), ("/xxgk/", "信息公开"), ("/zmhd/", "政民互动"), ("/bsfw/", "办事服务"),
            ("/zjyx/", "走进岳西")))
        return f"""<!DOCTYPE html>
<html lang="zh-cn"><head><meta charset="utf-8">
<meta name="renderer" content="webkit"><meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{esc(title)}</title>
<meta name="SiteName" content="{NAME}"><meta name="SiteDomain" content="{DOMAIN}"><meta name="SiteIDCode" content="3408280001">
<link rel="stylesheet" href="/assets/css/core.min.css"><script src="/assets/js/jquery.min.js"></script>
<script src="/assets/js/common/download.js"></script>
</head><body>
<div class="topbar"><div class="container"><a href="javascript:;" class="j-wza">无障碍浏览</a> <a href="/member/login">登录</a></div></div>
<div class="header container"><a href="/"><img src="/assets/images/logo.png" alt="{NAME}"></a></div>
<div class="navbar"><ul class="container">{nav}</ul></div>
<div class="container wz">当前位置：{crumbs}</div>
{content}
{statutory_footer(host_org="岳西县人民政府办公室", site_code="3408280001", icp="皖ICP备05011289号",
                  police="皖公网安备 34082802000103号", address="安徽省安庆市岳西县天堂镇建设路", phone="0556-2172001")}
</body></html>"""

    def _crumbs(self) -> str:
        return (f'<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; '
                f'<a href="{LIST}?{LIST_QUERY}">政府信息公开年报</a>')

    def article(self, report: Report, body: str | None, ctx: Context) -> Reply:
        content = f"""<div class="container"><div class="xxgk_detail">
<table class="table_suoyin" width="100%"><tbody>
<tr><th>索引号：</th><td>11340828003{report.docid % 100000:05d}/{report.published:%Y}-{report.docid % 1000:05d}</td>
<th>信息分类：</th><td>政府信息公开年报</td></tr>
<tr><th>发布机构：</th><td>{esc(report.source)}</td><th>生成日期：</th><td>{report.published:%Y-%m-%d}</td></tr>
<tr><th>名称：</th><td colspan="3">{esc(report.title)}</td></tr></tbody></table>
<h1 class="newstitle">{esc(report.title)}</h1>
<div class="newsinfo">发布时间：{report.published:%Y-%m-%d} 16:{report.docid % 60:02d}　浏览次数：<span class="j-info-hit">{ctx.hit()}</span>
<span class="j-fontsize">字体：[<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>]</span></div>
<div class="wzcon j-fontContent">
{body if body is not None else body_html(report, "hanweb")}
</div>
<div class="print"><a href="javascript:window.print();">打印本页</a> <a href="javascript:window.close();">关闭窗口</a></div>
</div></div>"""
        return html_reply(self._shell(f"{report.title}_{NAME}", self._crumbs(), content))

    def listing(self) -> None:
        self.pages = [self.rows[i:i + PAGE_SIZE] for i in range(0, len(self.rows), PAGE_SIZE)] or [[]]
        reports = sum(1 for _, r in self.rows if r.is_report)
        self.add_column(f"{LIST}?{LIST_QUERY}", reports=reports, stated=len(self.rows), needs="static",
                        note="server-rendered 集约化 column, &pageIndex=N links, 共N条记录")

    def dynamic(self, ctx: Context, path: str, query: str) -> Reply | None:
        args = dict(parse_qsl(query))
        for where, wants, reply in self.downloads:
            if where == path and all(args.get(k) == v for k, v in wants.items()):
                return reply
        if path != LIST:
            return None
        if args.get("catId") != str(CAT) or args.get("action") != "list":
            return None
        try:
            index = int(args.get("pageIndex", "1"))
        except ValueError:
            index = 1
        index = min(max(index, 1), len(self.pages))
        rows = self.pages[index - 1]
        lis = "\n".join(f'<li><a href="{h}" target="_blank" title="{esc(r.title)}">{esc(r.title)}</a>'
                        f'<span class="date">{r.published:%Y-%m-%d}</span></li>' for h, r in rows)

        def link(n: int, text: str) -> str:
            return f'<a href="{LIST}?{LIST_QUERY}&amp;pageIndex={n}">{text}</a>'
        count = len(self.pages)
        pager = [f"共 {len(self.rows)} 条记录", f"第 {index}/{count} 页", link(1, "首页")]
        pager.append(link(index - 1, "上一页") if index > 1 else "<span>上一页</span>")
        pager.append(link(index + 1, "下一页") if index < count else "<span>下一页</span>")
        pager.append(link(count, "尾页"))
        content = f"""<div class="container"><div class="xxgk_nav"><h3>政府信息公开</h3><ul>
<li><a href="/xxgk/xxgkzn/">政府信息公开指南</a></li><li><a href="/xxgk/xxgkzd/">政府信息公开制度</a></li>
<li class="on"><a href="{LIST}?{LIST_QUERY}">政府信息公开年报</a></li></ul></div>
<div class="xxgk_list"><div class="tit">政府信息公开年报</div><ul class="clearfix xxgk_nav_list">{lis}</ul>
<div class="pagination">{" ".join(pager)}</div></div></div>"""
        return html_reply(self._shell(f"政府信息公开年报_{NAME}", self._crumbs(), content))

    def chrome_pages(self) -> None:
        self.route("/assets/js/common/download.js",
                   lambda ctx: Reply(200, DOWNLOAD_JS.encode(), "application/javascript; charset=utf-8"))
        hub = (f'<div class="container"><div class="xxgk_home"><h2>政府信息公开</h2><ul>'
               f'<li><a href="/xxgk/xxgkzn/">政府信息公开指南</a></li><li><a href="/xxgk/xxgkzd/">政府信息公开制度</a></li>'
               f'<li><a href="/xxgk/fdzdgknr/">法定主动公开内容</a></li><li><a href="{LIST}?{LIST_QUERY}">政府信息公开年报</a></li>'
               f'</ul></div></div>')
        home = (f'<div class="container"><div class="news"><h3><a href="/zwdt/">政务动态</a></h3><ul>'
                f'<li><a href="/zwdt/">岳西县召开2024年一季度经济运行调度会</a></li></ul></div>'
                f'<div class="entry"><a href="/xxgk/">信息公开</a><a href="/bsfw/">办事服务</a></div></div>')
        for path in ("/", "/index.html"):
            self.route(path, partial(lambda c, ctx: html_reply(self._shell(NAME, '<a href="/">首页</a>', c)), home))
        for path in ("/xxgk/", "/xxgk/index.html"):
            self.route(path, partial(lambda c, ctx: html_reply(
                self._shell(f"信息公开_{NAME}", '<a href="/">首页</a> &gt; 信息公开', c)), hub))
        for path, title in (("/zwdt/", "政务动态"), ("/zmhd/", "政民互动"), ("/bsfw/", "办事服务"), ("/zjyx/", "走进岳西"),
                            ("/xxgk/xxgkzn/", "政府信息公开指南"), ("/xxgk/xxgkzd/", "政府信息公开制度"),
                            ("/xxgk/fdzdgknr/", "法定主动公开内容"), ("/member/login", "用户登录")):
            content = f'<div class="container"><div class="tit">{title}</div><p>暂无信息</p></div>'
            self.route(path, partial(lambda t, c, ctx: html_reply(
                self._shell(f"{t}_{NAME}", f'<a href="/">首页</a> &gt; {t}', c)), title, content))


def _attachment(url: str, name: str) -> str:
    return _attachment_markup(f'<a href="{esc(url)}" target="_blank" title="{esc(name)}">{esc(name)}</a>')


def _attachment_markup(link: str) -> str:
    """The 集约化 article's attachment box under a one-line body: the report is the file."""
    return ('<p style="text-indent:2em;">根据《中华人民共和国政府信息公开条例》有关规定，现将本单位政府信息公开工作年度报告'
            '予以公布，请点击附件查看。</p>\n'
            f'<div class="fjxz"><p class="fjtit">附件下载：</p><ul><li>{link}</li></ul></div>')


_IMAGES: dict[tuple[str, int], tuple[bytes, ...]] = {}


def _page_images(report: Report) -> tuple[bytes, ...]:
    """The report as a long phone-width image cut into IMAGE_PAGES parts, as 图片版 reports are posted: each cut
    falls on the emptiest pixel row near an equal share (between two lines of text, never through one)."""
    key = (report.title, report.docid)
    if key in _IMAGES:
        return _IMAGES[key]
    width = 1000
    painter = F._Painter((width, 60000), margin=50, body_px=26)
    painter.report(report)
    if len(painter.pages) != 1:
        raise RuntimeError(f"{report.title}: longer than one 60000-pixel image")
    long = painter.pages[0].crop((0, 0, width, painter.y + 50))
    # mean brightness of every pixel row: a box-filtered resize to one column
    rows = long.resize((1, long.height), Image.Resampling.BOX).tobytes()
    cuts, window = [0], long.height // (IMAGE_PAGES * 4)
    for k in range(1, IMAGE_PAGES):
        target = long.height * k // IMAGE_PAGES
        cuts.append(max(range(target - window, target + window), key=lambda y: (rows[y], -abs(y - target))))
    cuts.append(long.height)
    out = []
    for top, bottom in zip(cuts, cuts[1:]):
        buf = io.BytesIO()
        long.crop((0, top, width, bottom)).save(buf, format="PNG", optimize=True)
        out.append(buf.getvalue())
    _IMAGES[key] = tuple(out)
    return _IMAGES[key]
