"""Page chrome of the CMS families the replica imitates: TRS WCM, old TRS, Hanweb JCMS, a JSP/GBK site, a content farm."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from .reports import Report, body_html

# Strings the chrome puts around an article; a faithful extraction keeps none of them.
CHROME_WORDS = ("点击数", "浏览次数", "登录", "注册", "当前位置", "上一篇", "下一篇", "打印", "关闭", "网站标识码",
                "ICP备", "公网安备", "无障碍", "长者版", "分享到", "字体", "扫一扫", "主办单位", "相关链接", "font-family")


def esc(text: str) -> str:
    return html.escape(text, quote=True)


@dataclass(frozen=True)
class Portal:
    """Identity of a government site, as its head, header and footer show it."""

    name: str              # 磐石市人民政府
    domain: str            # www.panshi.gov.cn (the real site's; shown, never fetched)
    site_code: str         # 网站标识码
    icp: str               # 吉ICP备05002023号
    police: str            # 吉公网安备 22028402000101号
    host_org: str          # 主办：磐石市人民政府办公室
    address: str
    phone: str


def truncate(title: str, width: int = 24) -> str:
    """List pages cut long titles and add '...'; the full title stays in the link's title attribute."""
    return title if len(title) <= width else title[:width - 2] + "..."


def trs_meta(portal: Portal, column: str, report: Report, url: str) -> str:
    return f"""<meta name="SiteName" content="{esc(portal.name)}">
<meta name="SiteDomain" content="{portal.domain}">
<meta name="SiteIDCode" content="{portal.site_code}">
<meta name="ColumnName" content="{esc(column)}">
<meta name="ColumnType" content="{esc(column)}">
<meta name="ArticleTitle" content="{esc(report.title)}">
<meta name="PubDate" content="{report.published:%Y-%m-%d} {9 + report.docid % 8:02d}:{report.docid % 60:02d}">
<meta name="ContentSource" content="{esc(report.source)}">
<meta name="Keywords" content="{esc(report.title)}">
<meta name="Description" content="{esc(report.title)}">
<meta name="Url" content="{esc(url)}">"""


TRS_EDITOR_STYLE = ("<style type=\"text/css\">.TRS_Editor P{margin-top:0px;margin-bottom:12px;line-height:1.8;"
                    "font-family:宋体;font-size:12pt;}.TRS_Editor DIV{margin-top:0px;margin-bottom:12px;line-height:1.8;"
                    "font-family:宋体;font-size:12pt;}.TRS_Editor TD{margin-top:0px;margin-bottom:12px;line-height:1.8;"
                    "font-family:宋体;font-size:12pt;}.TRS_Editor TH{margin-top:0px;margin-bottom:12px;line-height:1.8;"
                    "font-family:宋体;font-size:12pt;}.TRS_Editor SPAN{font-family:宋体;font-size:12pt;}</style>")


def top_bar(portal: Portal, today: dt.date = dt.date(2024, 3, 18)) -> str:
    return f"""<div class="topbar"><div class="w1200">
  <span class="fl">欢迎访问{esc(portal.name)}网站！ 今天是：{today:%Y年%m月%d日}</span>
  <span class="fr"><a href="javascript:void(0);" id="cniil_wza">无障碍</a> | <a href="javascript:void(0);" onclick="aged()">长者版</a> |
  <a href="/user/login.jsp">登录</a> | <a href="/user/register.jsp">注册</a> | <a href="javascript:void(0);" onclick="addFavorite()">加入收藏</a></span>
</div></div>"""


def footer(portal: Portal, ctx_links: str = "") -> str:
    return f"""<div class="footer">
  {ctx_links}
  <p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/mzsm/">免责声明</a></p>
  <p>主办单位：{esc(portal.host_org)} &nbsp; 地址：{esc(portal.address)} &nbsp; 电话：{esc(portal.phone)}</p>
  <p>网站标识码：{portal.site_code} &nbsp; <a href="https://beian.miit.gov.cn/" target="_blank">{esc(portal.icp)}</a> &nbsp;
  <img src="/images/gaba.png" alt=""><a href="http://www.beian.gov.cn/portal/registerSystemInfo" target="_blank">{esc(portal.police)}</a></p>
  <p>建议使用1366×768分辨率，IE9以上浏览器访问本站</p>
  <span id="_ideConac"><script type="text/javascript" src="https://dcs.conac.cn/js/07/000/0000/60429853/CA070000000604298530002.js"></script></span>
  <script id="_jiucuo_" sitecode="{portal.site_code}" src="https://pucha.kaipuyun.cn/exposure/jiucuo.js"></script>
</div>"""


def share_print() -> str:
    return """<div class="share-print"><div class="bdsharebuttonbox fl">分享到：<a href="#" class="bds_weixin" data-cmd="weixin" title="分享到微信"></a>
<a href="#" class="bds_tsina" data-cmd="tsina" title="分享到新浪微博"></a><a href="#" class="bds_qzone" data-cmd="qzone" title="分享到QQ空间"></a></div>
<div class="fr">【<a href="javascript:window.print();">打印本页</a>】 【<a href="javascript:window.opener=null;window.close();">关闭窗口</a>】</div></div>"""


def prev_next(prev: tuple[str, str] | None, nxt: tuple[str, str] | None) -> str:
    def one(label, item):
        if item is None:
            return f"<p>{label}：没有了</p>"
        href, title = item
        return f'<p>{label}：<a href="{esc(href)}" title="{esc(title)}">{esc(title)}</a></p>'
    return f'<div class="prev-next">{one("上一篇", prev)}{one("下一篇", nxt)}</div>'


def related(items: list[tuple[str, str]]) -> str:
    lis = "".join(f'<li><a href="{esc(h)}" target="_blank">{esc(t)}</a></li>' for h, t in items)
    return f'<div class="related"><div class="tit">相关链接</div><ul>{lis}</ul></div>'


def page(title: str, head_extra: str, body: str, charset: str = "utf-8", lang_meta: str | None = None) -> str:
    meta = lang_meta if lang_meta is not None else f'<meta charset="{charset}">'
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{meta}
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{esc(title)}</title>
{head_extra}
<link rel="stylesheet" href="/css/common.css">
<script type="text/javascript" src="/js/jquery-1.11.3.min.js"></script>
</head>
<body>
{body}
<script type="text/javascript">var _trs_uv = "";</script>
</body>
</html>
"""


def trs_article(portal: Portal, report: Report, *, header: str, crumbs: list[tuple[str, str]], column: str,
                url: str, hits: int, prev: tuple[str, str] | None, nxt: tuple[str, str] | None,
                links: list[tuple[str, str]], date_label: str = "发布日期", flavour: str = "trs",
                infobox: str = "") -> str:
    """A TRS WCM article: meta tags, breadcrumb, byline with a live counter, TRS_Editor with its style."""
    crumb = " &gt; ".join(f'<a href="{esc(h)}" target="_self" class="CurrChnlCls">{esc(t)}</a>' for h, t in crumbs)
    heading = "<br>".join(esc(t) for t in report.title_lines) if report.title_lines else esc(report.title)
    body = f"""{top_bar(portal)}
{header}
<div class="w1200 main">
  <div class="position">当前位置：{crumb}</div>
  <div class="article">
    {infobox}
    <h1 class="article-title">{heading}</h1>
    <div class="article-info">
      <span>{date_label}：{report.published:%Y-%m-%d}</span>
      <span>来源：{esc(report.source)}</span>
      <span>点击数：<em id="hits">{hits}</em></span>
      <span class="font-size">【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</span>
    </div>
    <div class="article-con" id="zoomcon">
      <div class="TRS_Editor">{TRS_EDITOR_STYLE}
{body_html(report, flavour)}
      </div>
    </div>
    {share_print()}
    {prev_next(prev, nxt)}
    {related(links)}
  </div>
</div>
{footer(portal)}"""
    return page(f"{report.title}_{column}_{portal.name}", trs_meta(portal, column, report, url), body)


def trs_list(portal: Portal, *, header: str, crumbs: list[tuple[str, str]], column: str,
             rows: list[tuple[str, str, dt.date]], pager: str, side: str = "", script: str = "/js/page.js") -> str:
    """A TRS column page: ul.list rows (truncated text, full title attribute, date) and the pager script."""
    crumb = " &gt; ".join(f'<a href="{esc(h)}" target="_self" class="CurrChnlCls">{esc(t)}</a>' for h, t in crumbs)
    lis = "\n".join(f'<li><a href="{esc(h)}" title="{esc(t)}" target="_blank">{esc(truncate(t))}</a>'
                    f'<span>{d:%Y-%m-%d}</span></li>' for h, t, d in rows)
    body = f"""{top_bar(portal)}
{header}
<div class="w1200 main">
  <div class="position">当前位置：{crumb}</div>
  <div class="left-nav">{side}</div>
  <div class="list-box">
    <div class="list-tit"><span>{esc(column)}</span></div>
    <ul class="list">
{lis}
    </ul>
    <div class="page">{pager}</div>
  </div>
</div>
{footer(portal)}"""
    head = (f'<meta name="SiteName" content="{esc(portal.name)}">\n<meta name="SiteDomain" content="{portal.domain}">\n'
            f'<meta name="SiteIDCode" content="{portal.site_code}">\n<meta name="ColumnName" content="{esc(column)}">\n'
            f'<script type="text/javascript" src="{script}"></script>')
    return page(f"{column}_{portal.name}", head, body)


def create_page_html(count: int, current: int, prefix: str, suffix: str) -> str:
    """The pager call WCM publishes in a list template (links are written by /js/page.js at view time)."""
    return f'<script type="text/javascript">createPageHTML({count}, {current}, "{prefix}", "{suffix}");</script>'


# The pager script itself, as TRS ships it: nothing but document.write.
PAGE_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
	if(_nPageCount == null || _nPageCount<=1){
		return;
	}
	var nCurrIndex = _nCurrIndex || 0;
	document.write("<span>共" + _nPageCount + "页</span>&nbsp;");
	if(nCurrIndex == 0)
		document.write("<span>首页</span>&nbsp;<span>上一页</span>&nbsp;");
	else {
		document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>&nbsp;");
		if(nCurrIndex == 1)
			document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">上一页</a>&nbsp;");
		else
			document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex-1) + "." + _sPageExt + "\\">上一页</a>&nbsp;");
	}
	for(var i=0; i<_nPageCount; i++){
		if(i == nCurrIndex)
			document.write("<span class=\\"current\\">" + (i+1) + "</span>&nbsp;");
		else if(i == 0)
			document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">1</a>&nbsp;");
		else
			document.write("<a href=\\"" + _sPageName + "_" + i + "." + _sPageExt + "\\">" + (i+1) + "</a>&nbsp;");
	}
	if(nCurrIndex == (_nPageCount-1))
		document.write("<span>下一页</span>&nbsp;<span>尾页</span>");
	else {
		document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex+1) + "." + _sPageExt + "\\">下一页</a>&nbsp;");
		document.write("<a href=\\"" + _sPageName + "_" + (_nPageCount-1) + "." + _sPageExt + "\\">尾页</a>");
	}
}
"""


def inline_pager(count: int, current: int, prefix: str, suffix: str) -> str:
    """The older TRS template's inline pager: countPage/currentPage variables and document.write."""
    return f"""<script language="JavaScript">
var currentPage = {current};//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = {count}//共多少页
document.write("共"+countPage+"页&nbsp;&nbsp;");
//设置上一页代码
if(countPage>1&&currentPage!=0&&currentPage!=1)
	document.write("<a href=\\"{prefix}"+"_" + prevPage + "."+"{suffix}\\">上一页</a>&nbsp;");
else if(countPage>1&&currentPage!=0&&currentPage==1)
	document.write("<a href=\\"{prefix}.{suffix}\\">上一页</a>&nbsp;");
else
	document.write("上一页&nbsp;");
//设置下一页代码
if(countPage>1&&currentPage!=(countPage-1))
	document.write("<a href=\\"{prefix}"+"_" + nextPage + "."+"{suffix}\\" >下一页</a>&nbsp;");
else
	document.write("下一页&nbsp;");
//尾页
if(countPage>1)
	document.write("<a href=\\"{prefix}_"+(countPage-1)+".{suffix}\\">尾页</a>");
</script>
<input type="text" id="pageNo" size="2"> <input type="button" value="GO" onclick="goPage()">"""


def paginate(items: list, per_page: int) -> list[list]:
    """Items split into pages; an empty column still has its first page."""
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]


def page_name(prefix: str, suffix: str, index: int) -> str:
    """TRS 0-based page file names: index.html, index_1.html, ..."""
    return f"{prefix}.{suffix}" if index == 0 else f"{prefix}_{index}.{suffix}"


def trs_header(portal: Portal, nav: list[tuple[str, str]], search_action: str = "/search/search.jsp") -> str:
    """Logo, site search and the main navigation of a TRS portal."""
    links = "".join(f'<li><a href="{esc(h)}" target="_self">{esc(t)}</a></li>' for h, t in nav)
    return f"""<div class="header"><div class="w1200">
  <div class="logo"><a href="/"><img src="/images/logo.png" alt="{esc(portal.name)}"></a></div>
  <form class="search" action="{search_action}" method="get" target="_blank">
    <input type="text" name="searchword" placeholder="请输入关键字"><input type="submit" value="搜索">
  </form>
</div></div>
<div class="nav"><ul class="w1200">{links}</ul></div>"""


def stub_page(portal: Portal, title: str, header: str) -> str:
    """A column nobody filled: real portals are full of them."""
    body = f"""{top_bar(portal)}
{header}
<div class="w1200 main"><div class="position">当前位置：<a href="/" class="CurrChnlCls">首页</a> &gt; {esc(title)}</div>
<div class="list-box"><div class="list-tit"><span>{esc(title)}</span></div><p class="empty">暂无信息</p></div></div>
{footer(portal)}"""
    return page(f"{title}_{portal.name}", "", body)


def news_list_html(rows: list[tuple[str, str, dt.date]]) -> str:
    return "\n".join(f'<li><a href="{esc(h)}" title="{esc(t)}" target="_blank">{esc(truncate(t, 30))}</a>'
                     f'<span class="date">{d:%m-%d}</span></li>' for h, t, d in rows)
