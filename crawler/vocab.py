"""Word lists, selectors, patterns and thresholds of government portals and their reports.

Decoding, extraction, metadata, classification and listing analysis all read them from here.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------------------------
# Decoding (crawler.read.encoding)
# ---------------------------------------------------------------------------------------------

#: charset-normalizer's own default `threshold` for from_bytes(); a decode whose mess ratio is
#: above it is what that library itself would call chaotic.
MAX_MESS_RATIO = 0.2
#: Any U+FFFD in a strict decode means the bytes already carried replacement characters, i.e. a
#: lossy copy: nianbao records a failure rather than archive such text as a report.
MAX_REPLACEMENT_CHARS = 0
#: C0/C1 control characters (other than tab/newline/CR/FF) allowed per 10,000 characters; real
#: pages carry a stray one from Word pastes, GBK read as latin-1 carries hundreds.
MAX_CONTROL_PER_10K = 5
#: Mess is measured on the non-markup part of the page: ASCII runs this long are collapsed first
#: (they are tags and scripts, never mojibake), and at most this many characters are checked.
MESS_ASCII_RUN = 8
#: charset-normalizer guesses accepted without a declaration: the encodings Chinese government
#: pages are written in. A guess outside it (cp874 for a mangled utf-8 page, say) is a decode
#: that happens not to fail, not evidence of the page's encoding.
DETECTED_CODECS = frozenset({"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030", "big5",
                             "big5hkscs", "hz", "ascii"})
MESS_SAMPLE_CHARS = 12000

# ---------------------------------------------------------------------------------------------
# Content location (crawler.read.extract)
# ---------------------------------------------------------------------------------------------

#: Content containers of the CMS families in portals.md, most specific first. Generic names
#: (.content, #content, .zw, .view) come last because templates reuse them for sidebars; each
#: match must still hold MIN_CONTAINER_CHARS of text (see extract._container_by_selector).
CONTENT_SELECTORS: tuple[str, ...] = (
    "td#td_DocContent",          # TRS: body cell inside TRS_Editor on some portals
    "div.TRS_Editor",            # TRS WCM
    ".trs_editor_view",          # TRS newer editor
    ".TRS_UEDITOR",              # TRS UEditor
    "#UCAP-CONTENT",             # 开普云 (www.gov.cn)
    "div#zoom",                  # Hanweb JCMS
    "#ivs_content",              # Shanghai / ASP.NET portals
    "#webeditorview",            # KIROGOVCOMPARE's list
    ".v_news_content",           # VSB 博达
    ".Custom_UnionStyle",        # Word-exported bodies on TRS sites
    ".xxgk_content",
    ".article-content",
    ".article_content",
    ".TRS_PreAppend",
    "#content",
    ".content",
    ".zw",
    "#zw",
    ".view",
)

#: Names templates reuse for sidebars and boxes: a tiny match of one of these does not stop the
#: density stage (a tiny match of a CMS body selector, an image-only report, does).
GENERIC_SELECTORS = frozenset({"#content", ".content", ".zw", "#zw", ".view", ".article-content", ".article_content"})

#: Hanweb brackets the body with these comments (portals.md §2.3).
HANWEB_CONTENT_BEGIN = "<$[信息内容]>begin"
HANWEB_CONTENT_END = "<$[信息内容]>end"

#: A selector match with less text than this is a sidebar or an image-only shell; the density
#: stage is tried too. 200 characters ≈ two short paragraphs; the shortest report body in the
#: seeds is ~2,000 characters.
MIN_CONTAINER_CHARS = 200
#: Of nested matches of one selector, the inner one is the body when it holds this share of the
#: outer one's text (the rest being the outer box's chrome).
NESTED_MATCH_SHARE = 0.8
#: A density candidate must beat a tiny selector match by this factor to replace it (keeps an
#: image-only TRS_Editor, which holds only <img>, from losing to the footer).
DENSITY_OVER_SELECTOR = 3

#: Elements that carry no reading text. Not <form>: ASP.NET WebForms pages wrap the whole page, report
#: included, in <form id="aspnetForm">; the controls inside a search form are skipped one by one.
SKIP_TAGS = frozenset({
    "style", "script", "noscript", "iframe", "object", "embed", "select", "option",
    "button", "input", "textarea", "link", "meta", "head", "title", "template", "svg", "canvas",
    "map", "area", "audio", "video",
})

#: Elements that break lines (everything else is inline and never breaks nor drops text).
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
})

#: Blocks scored by the density stage.
DENSITY_TAGS = frozenset({"div", "td", "article", "section", "main", "body", "center"})

#: class/id words of chrome blocks inside a body (share bars, print/close, pagers, related
#: lists, bylines, footers), matched as whole words of the lower-cased class/id (split on - _
#: space and digits, so "context" is not "next"). Only blocks shorter than CHROME_BLOCK_MAX_CHARS
#: are skipped: some templates wrap the whole printable article in id="printArea".
CHROME_CLASS_RE = re.compile(
    r"(?:^|[-_\s\d])(?:share|bdshare\w*|bdsharebuttonbox|fenxiang|print|dayin|close|guanbi|related|xgwz|xglj"
    r"|prev|next|prevnext|sxp|sxy|footer|foot|breadcrumb|crumbs?|position|location|dqwz|dangqian"
    r"|pages-date|toolbar|fontsize|zihao|font-size|login|jiucuo|hits|click|visit)(?=$|[-_\s\d])"
)
CHROME_BLOCK_MAX_CHARS = 200

#: Words that mark a block as chrome for the density stage; each occurrence costs
#: DENSITY_CHROME_PENALTY characters of score.
CHROME_WORDS: tuple[str, ...] = (
    "登录", "注册", "当前位置", "您的位置", "版权所有", "主办单位", "承办单位", "网站标识码",
    "ICP备", "公网安备", "网站地图", "联系我们", "无障碍", "长者版", "繁體", "设为首页", "加入收藏",
    "上一篇", "下一篇", "分享到", "打印", "关闭",
)
DENSITY_CHROME_PENALTY = 50

#: Labels of the byline fields shown next to an article (portals.md §1.3).
BYLINE_LABELS: tuple[str, ...] = (
    "发布日期", "发布时间", "成文日期", "信息来源", "文章来源", "来源", "点击数", "点击率", "点击量",
    "浏览次数", "浏览量", "阅读次数", "访问量", "作者", "责任编辑", "编辑", "发布机构", "发文机关",
    "字号", "时间", "日期",
)
#: Canonical names for the byline dict; other labels keep their own name.
BYLINE_ALIASES = {
    "信息来源": "来源", "文章来源": "来源", "点击率": "点击数", "点击量": "点击数", "浏览量": "浏览次数",
    "阅读次数": "浏览次数", "访问量": "浏览次数",
}
_BYLINE_ALT = "|".join(sorted(map(re.escape, BYLINE_LABELS), key=len, reverse=True))
#: One "label：value" pair; the value runs to the next label or the end.
BYLINE_PAIR_RE = re.compile(
    rf"({_BYLINE_ALT})\s*[:：]\s*(.*?)\s*(?=(?:{_BYLINE_ALT})\s*[:：]|【|\[|$)"
)
#: A byline line is at most this long; a longer line with 来源： in it is report prose.
BYLINE_MAX_CHARS = 120
#: A byline value longer than this is not a value (it swallowed a sentence).
BYLINE_MAX_VALUE = 40

#: Lines that ARE chrome, matched on the whole stripped line (spaces removed).
CHROME_LINE_RE = re.compile(
    r"^(?:"
    r"(?:[|｜/]*(?:登录|注册|退出|个人中心|用户中心|无障碍|长者版|繁體|简体|English|手机版))+[|｜/]*"
    r"|(?:当前位置|您的位置|您现在的位置|您当前的位置|所在位置|当前的位置)[:：]?.*"
    r"|首页(?:[>＞»›/]+[^>＞»›/]{1,20}){1,8}[>＞»›/]*"
    r"|分享到[:：]?.{0,30}|分享[:：].{0,30}"
    r"|(?:[【\[]?(?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部|返回|顶部|保存|纠错|我要纠错|字体|字号|大|中|小|默认|加入收藏)[】\]]?[|｜]?)+"
    r"|(?:上一篇|下一篇|上一条|下一条|上篇|下篇)[:：].*"
    r"|(?:上一篇|下一篇|上一条|下一条)"
    r"|(?:字号|字体)[:：]?(?:[【\[]?[大中小][】\]]?|默认|放大|缩小){1,6}"
    r"|(?:扫一扫|扫一扫在手机打开当前页|扫一扫在手机上查看当前页面)"
    r")$"
)
#: Headings of the related-links blocks; the link lines after them go with them.
RELATED_HEADING_RE = re.compile(
    r"^(?:相关链接|相关文章|相关阅读|相关新闻|相关信息|相关文件|相关稿件|推荐阅读|热点推荐|猜你喜欢"
    r"|您可能还会对.{0,12}感兴趣|你可能还会对.{0,12}感兴趣|您可能感兴趣的.{0,6}|延伸阅读)[:：]?$"
)
#: Footer lines (site fingerprint per portals.md §1.3).
FOOTER_LINE_RE = re.compile(
    r"(?:版权所有|网站标识码|ICP备|ICP证|公网安备|主办单位[:：]|承办单位[:：]|技术支持[:：]|建议使用.{0,20}浏览器"
    r"|Copyright|©)"
)
#: Footer/chrome lines are short; a report paragraph mentioning 版权所有 is long.
FOOTER_MAX_CHARS = 120
#: A line that is mostly link text (share of characters inside <a>).
LINK_LINE_RATIO = 0.8

#: Title-bearing elements near the body (the article heading, not the site banner).
TITLE_SELECTORS: tuple[str, ...] = (
    "h1", "h2", "h3", ".title", ".article-title", ".article_title", "#title", ".tit", ".bt",
    ".con-title", ".news_title", ".detail-title", ".xxgk_title", "#ivs_title", ".pages-title",
    "td.title", ".sp_title", ".biaoti", ".art_title", ".art-title", ".arttitle", ".wzbt", ".xl_title",
)
TITLE_MIN_CHARS = 4
TITLE_MAX_CHARS = 120
#: Separators between article title and site name in <title>.
TITLE_SEPARATORS_RE = re.compile(r"\s*(?:_|\s-\s|\s—\s|--|—|–|\||｜|－)\s*")
#: A <title> segment ending like this is the site's name, not the article's.
SITE_NAME_SUFFIX_RE = re.compile(
    r"(?:人民政府|政府网|门户网站|政府门户|政务网|信息公开网|政务公开网|政府信息公开|网站|网|政府|办公室|首页)$"
)
SITE_NAME_MAX_CHARS = 30

# ---------------------------------------------------------------------------------------------
# Metadata (crawler.read.metadata)
# ---------------------------------------------------------------------------------------------

#: <meta> names carrying the publish date, best first (portals.md §1.3, §6).
PUBDATE_META = ("pubdate", "firstpublishedtime", "publishdate", "publishtime",
                "article:published_time", "dc.date", "maketime")
PUBDATE_BYLINE = ("发布日期", "发布时间", "时间", "日期", "成文日期")
TITLE_META = ("articletitle", "og:title", "dc.title")
SOURCE_META = ("contentsource", "source")
SITE_META = ("sitename", "og:site_name")

#: Reports go up on the Jan–Mar of the year after the one they cover (reports.md §6).
PUBLISH_LAG_YEARS = 1
#: Plausible report years: the 2008 Regulations' first reports to the crawl's future.
MIN_REPORT_YEAR = 2007
MAX_REPORT_YEAR = 2100

CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

#: Names of the report as it appears in titles; the agency precedes them (or follows the year).
REPORT_NAME_RE = re.compile(
    r"(?:政府信息公开|政务信息公开|信息公开|政务公开|政府信息)(?:工作)?(?:年度)?(?:工作)?(?:年度报告|年报|报告)"
)
#: Full organisation names an agency short form may be expanded to (title says 松山镇, text 松山镇人民政府).
AGENCY_EXPANSIONS = ("人民政府", "人民政府办公室", "街道办事处", "办事处")
#: Level words that make "X政府" an abbreviation of "X人民政府" (the legal name of every local government).
GOVERNMENT_LEVEL_RE = re.compile(r"^(.+[省市县区旗镇乡州盟])政府$")
#: A signature line at the end of a report names an organisation.
SIGNATURE_RE = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,30}(?:人民政府|政府|办公室|办公厅|局|委员会|委|办事处|中心|管委会|管理委员会|厅|署|院)$"
)
REPOST_PREFIX_RE = re.compile(r"^\s*(?:[【\[［(（]\s*转载\s*[】\]］)）]|转载[:：])\s*")

# ---------------------------------------------------------------------------------------------
# Classification (crawler.judge.classify)
# ---------------------------------------------------------------------------------------------

#: Titles that name an annual disclosure report (spaces removed before matching; seed 003's
#: "信息公开年度\n报  告" joins to 信息公开年度报告).
REPORT_TITLE_RE = re.compile(
    r"(?:政府信息公开|政务信息公开|信息公开|政务公开)(?:工作)?(?:年度|年)?(?:工作)?(?:年度报告|年报)"
    r"|(?:政府信息公开|政务信息公开)(?:工作)?(?:情况)?的?报告"
)

#: Look-alike kinds recognised in the title (reports.md §9): (kind, pattern, reason). Checked in
#: order; the first match names the kind. `also_with_report_name` False means the pattern only
#: rejects when the title does not also name a disclosure report (a report "附统计表" stays a report).
TITLE_LOOKALIKES: tuple[tuple[str, str, str, bool], ...] = (
    ("interpretation", r"图解|一图读懂|一图看懂|图说|解读|问答", "title is an interpretation of a report", True),
    ("format_notice", r"年度报告格式|报告格式|格式[（(]试行[)）]|统一格式|年度报告有关事项的通知", "title is the national report-format notice", True),
    ("compile_notice", r"(?:编制|发布|报送|编报|做好|报告).{0,12}(?:工作)?的?通知|有关事项的通知", "title is a notice on compiling reports", True),
    ("notice", r"(?:通知|通告|公告|函|批复|意见)$", "title is a notice", True),
    # 关于印发… alone: an agency may publish its report under the cover line that issues it
    ("notice", r"印发", "title is a notice", False),
    ("rules", r"制度|办法|规定|细则|规则|规范$", "title is a rule on annual reports", True),
    ("content_farm", r"范文|模板|范本|样本|样板|写作|怎么写|精选|\d+篇", "title is a template / content-farm page", True),
    ("work_points", r"工作要点|落实情况|贯彻落实|实施方案|工作方案|工作安排|任务分工", "title is a work-points / implementation page", True),
    ("website_report", r"网站.{0,6}年度报表|新媒体.{0,6}年度报表|年度报表|网站工作年度", "title is a government-website / new-media annual statement", True),
    ("rule_of_law_report", r"法治政府|依法行政", "title is a rule-of-law (法治政府建设) report", True),
    # 行政学院 and 党校 are government agencies with disclosure duties; other 学院 are schools
    ("institution_report", r"大学|(?<!行政)学院|学校|高校|学年|中学|小学|幼儿园|医院|卫生院|供水|供电|供气|燃气|公交|自来水|公共企事业|企事业单位", "title is a school / hospital / public-enterprise report", True),
    ("company_report", r"公司|股份|集团|上市|企业年度报告|企业年报|市场主体", "title is a company annual report", True),
    # a disclosure report may be published as a 摘要 too; a company's summary names its company
    ("company_report", r"摘要", "title is a company annual report", False),
    ("budget", r"预算|决算|三公", "title is a budget / final-accounts page", True),
    ("budget", r"经费", "title is a budget / final-accounts page", False),
    ("statistical_bulletin", r"统计公报|国民经济和社会发展", "title is a statistical bulletin", True),
    ("government_work_report", r"政府工作报告", "title is a government work report", True),
    ("work_summary", r"工作总结|工作计划|总结", "title is a work summary / plan", True),
    ("guide", r"公开指南|公开目录|指南$|目录$", "title is a disclosure guide / catalogue", True),
    # 中国人民政治协商会议…委员会 is an issuer, not a meeting
    ("news", r"召开|举办|举行|培训班|培训会|(?<!协商)会议|部署会|推进会|座谈会|动员会", "title is a news item about reports", True),
    # a report's own title names its agency; news names "our city" or tells that a report was released
    ("news", r"^(?:我|全)[省市县区州盟旗镇乡]|(?<!关于)(?:发布|出炉|晒出|亮相)", "title is a news item about reports", True),
    ("statistics_table", r"统计表|统计报表|统计数据|情况表", "title is a statistics table", False),
)
#: A title naming some other report (环境统计年度报告, 审计工作报告 …) when it names no disclosure report.
OTHER_REPORT_RE = re.compile(r"报告|年报|报表")

#: Topics a report body covers (the old 第三十二条 and new 第五十条 contents); (label, pattern).
REPORT_TOPICS: tuple[tuple[str, str], ...] = (
    ("主动公开", r"主动公开"),
    ("依申请公开", r"依申请公开|公开申请|申请公开"),
    ("行政复议", r"行政复议|复议"),
    ("行政诉讼", r"行政诉讼|诉讼"),
    ("存在的问题", r"存在的主要问题|存在问题|主要问题|问题及改进|不足"),
    ("改进", r"改进|工作打算|下步工作|下一步|整改"),
    ("收费", r"收费|减免|信息处理费|收取"),
    ("统计期限", r"统计期限|1月1日(?:起)?至.{0,6}12月31日"),
)
#: How many topics a body must cover when the title names a report (seed 003, a short
#: non-template report, covers 5; a news item about a report covers 1–2).
MIN_TOPICS_WITH_TITLE = 3
#: Without a report title the body alone must be convincing.
MIN_TOPICS_WITHOUT_TITLE = 6
#: Figures: counts with units, and numeric table cells. A report states at least some
#: ("主动公开…18条", "0件"); a notice or format template states none.
FIGURE_RE = re.compile(r"\d+\s*(?:条|件|次|人次|个|项|期|篇|份|%|％|万元|元)")
MIN_FIGURES = 2
#: Below this many body characters (title excluded) the page is an image / attachment shell and
#: the title alone decides.
MIN_BODY_CHARS = 300

#: A short news item about a report: it quotes the report by its name and tells what it shows (an attachment
#: shell names its report too, but does not report on it).
NEWS_BODY_RE = re.compile(r"《[^》]{0,60}(?:年度报告|年报)》.{0,200}?(?:报告显示|报告指出|据悉|据了解|记者)", re.S)

#: Instructions in a notice: what a notice body says and a report does not.
NOTICE_BODY_RE = re.compile(
    r"特此通知|现将.{0,30}(?:印发|通知|发)给你们|印发给你们|通知如下|请认真贯彻|请遵照执行|遵照执行|请结合实际"
    r"|各.{0,20}(?:人民政府|办公厅|办公室|各部门|各单位)(?:（室）)?[，,、].{0,60}[:：]$|请各.{0,20}于|务必于|报送至"
    r"|本通知自印发之日起施行",
    re.M,
)
#: The format itself: the template's bracketed instructions, or its table labels with no figures.
TEMPLATE_BODY_RE = re.compile(
    r"（对.{2,60}(?:进行总结|进行说明|作出说明)。?）|（收取信息处理费的情况在此处报告。?）"
)
TABLE_LABEL_RE = re.compile(r"第二十条第（?[一五六八九]）?项|申请人情况|本年新收政府信息公开申请数量|结果维持")
MIN_NOTICE_MARKERS = 2
#: Placeholders of template / content-farm text ("xxxx年", "xx县", "x月").
PLACEHOLDER_RE = re.compile(r"(?<![A-Za-z])[xX×ｘＸ]{1,4}(?=[年月日县市镇乡区村条件个次人%小])|(?<![A-Za-z])[xX]{2,}(?![A-Za-z])")
MAX_PLACEHOLDERS = 2
CONTENT_FARM_RE = re.compile(r"快捷搜索|范文|论文\s*合同|您可能还会对下面的文章感兴趣|免费下载|下载本文|本文由.{0,10}网友")


# ---------------------------------------------------------------------------------------------
# Listing analysis (crawler.discover.listing): columns, hubs, article and pager shapes
# ---------------------------------------------------------------------------------------------

# --- -----------------------------------------------------------------------------------
# Column names, from reports.md §8 (政府信息公开年报, 公开年报, 政府信息公开(工作)年度报告, 年度报告,
# 信息公开年报, 年报) and GovOpen-AutoAudit's nav synonyms: optional 政府/政务 + 信息 + 公开 + 工作,
# then 年度报告 or 年报, optionally 专栏/栏目. Matched against the whole normalised text, so a report
# title (which carries a year and an agency) never matches. County and city portals split the column by
# issuer (部门信息公开年报, 乡镇（街道）政府信息公开年报, 市直部门…): those scopes may lead.
COLUMN_NAME_RE = re.compile(r"^(?:各?(?:部门|乡镇|镇街|街镇|镇|街道|乡镇[（(]街道[）)]|镇[（(]街道[）)]|市直部门|县直部门|区直部门|"
                            r"市级部门|县级部门|区级部门|本级|本机关|市政府|县政府|区政府|区县|县区|县市区|市县))?"
                            r"(?:政府|政务)?(?:信息)?(?:公开)?(?:工作)?(?:年度报告|年报)(?:专栏|栏目|专题)?$")
# Per-year sub-columns: "2019年", "2019年度", "2019", "2019年度报告" (a directory URL decides).
SUBCOLUMN_RE = re.compile(r"^(?:19|20)\d{2}(?:年度?)?(?:报告|年报|年度报告)?$")
# Anything that names an annual report somewhere in its text or title: 年度报告, 年报, and the older titles
# 政府信息公开工作报告 / 政府信息公开情况报告 (reports.md §6: pre-2019 reports often say neither).
LINK_NAMES_REPORT_RE = re.compile(r"年度报告|年报|信息公开(?:年度)?(?:工作)?(?:情况)?的?报告")
# Column names beyond COLUMN_NAME_RE's exact shapes (历年政府信息公开年报, 县政府及部门年报, 部门年报（续）,
# 年度报告（2008-2023）, 政府信息公开年度工作报告): a name this short that names the report and no single year.
COLUMN_NAME_MAX_LEN = 16
YEAR_SPAN_RE = re.compile(r"[（(]?\s*(?:19|20)\d{2}\s*年?\s*[-—–~至到]\s*(?:(?:19|20)\d{2}\s*年?)?\s*[)）]?")
YEAR_RE = re.compile(r"(?:19|20)\d{2}")
# Look-alike columns whose names end in 年报 (reports.md §9: 企业年报, 统计年报, 决算...): never a column.
NOT_COLUMN_WORDS = ("企业", "公司", "统计", "决算", "预算", "财务", "工商", "法治")
# Disclosure hubs one hop from the column (reports.md §8: "under 政府信息公开 beside 公开指南、公开制度、
# 法定主动公开内容"). Whole-text match, so 政府信息公开指南 (an article) is not a hub.
HUB_NAME_RE = re.compile(
    r"^(?:政府|政务|部门|机关|基层|法定)?(?:政府)?(?:信息|政务)?(?:主动)?公开(?:政府)?(?:信息)?(?:工作)?"
    r"(?:目录|专栏|平台|网|内容|栏目|专区|专题)?$")
HUB_EXCLUDE_WORDS = ("指南", "制度", "申请", "规定", "意见", "信箱")
HUB_SLUG_MAX_TEXT = 8   # a hub found by URL slug alone must have nav-sized text ("政务公开", "更多")

# URL path segments of report columns (reports.md §8: zfxxgknb dominant; xxgknb, gknb, ndbg;
# per-year nb_2022n/, gknb2017/). Bare `nb` is left out: it is also 宁波's slug.
REPORT_SLUG_RE = re.compile(r"^(?:zfxxgknb|xxgknb|zwgknb|gknb|ndbg|gkndbg|xxgkndbg|nb_?\d{4}n?)(?:_?\d{4}n?)?$", re.I)
# Year sub-column slugs (2019n, 2019nb, 2019), only meaningful below a report column.
YEAR_SLUG_RE = re.compile(r"^(?:19|20)\d{2}(?:n|nb|nd)?$", re.I)
# Hub slugs, honoured only as the last path segment (…/xxgk/), not for every page below a hub.
HUB_SLUGS = frozenset({"zfxxgk", "xxgk", "zwgk", "gkml", "zfxxgkzl", "xxgkml", "zfxxgkml", "zwgkzl"})

# Article URL shapes of the CMS families in portals.md §1-3 (TRS t20200903_2748784.html, Hanweb
# art_33718_11828204.html and art_<32hex>.html, UCAP content_NNN.htm, gkmlpt post_N.html, VSB
# info/<col>/<id>.htm, Anhui public/<organ>/<id>.html) plus generic detail scripts with an id.
ARTICLE_PATH_RE = re.compile(
    r"(?:/t\d{8}_\d+(?:_\d+)?\.s?html?$"
    r"|/art_\d+_\d+\.s?html?$|/art_[0-9a-f]{32}\.s?html?$"
    r"|/content_\d+\.s?html?$|/post_\d+\.s?html?$"
    r"|/info/\d+/\d+\.s?html?$|/public/\d+/\d+\.s?html?$"
    r"|/\d{5,}\.s?html?$|/[0-9a-f]{32}\.s?html?$)", re.I)
ARTICLE_SCRIPT_RE = re.compile(
    r"(?:content|detail|article|show|view|info|news|doc)\w*\.(?:jsp|asp|aspx|php|do|action|html?)$", re.I)
ARTICLE_QUERY_KEYS = frozenset({"id", "docid", "articleid", "infoid", "contentid", "itemid", "newsid", "guid",
                                "infoguid", "artid", "aid", "nid", "wbnewsid", "fileid"})
# Attachments listed directly in a column (reports.md §8: HTML, PDF, DOC/DOCX, WPS, RTF, XLS; OFD is
# the national e-document format some portals use).
ATTACHMENT_EXT_RE = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|et|rtf|ofd)$", re.I)
# Directory-like leaves: index/list/default pages and Hanweb column pages.
DIRECTORY_LEAF_RE = re.compile(r"^(?:index|list|default|main|more|col\w*|node\w*)(?:[_-]\d+)?\.\w+$", re.I)

# Pager vocabulary (portals.md §4 "Generic pager signals"). STRONG words only ever name a pager;
# WEAK ones (首页 is also the site's home link, > is a bullet) count only inside a pager.
PAGER_STRONG_WORDS = frozenset({"上一页", "下一页", "上页", "下页", "前一页", "后一页", "前页", "后页",
                                "尾页", "末页", "最后一页", "最末页", "第一页"})
PAGER_WEAK_WORDS = frozenset({"首页", ">", ">>", "<", "<<", "›", "»", "‹", "«", "＞", "＞＞", "＜", "＜＜",
                              "next", "prev", "previous", "first", "last", "下一页>", "<上一页", "..."})
PAGER_NUMBER_RE = re.compile(r"^\d{1,4}$")
# Root elements that Vue/React/Angular shells mount their app into (empty until a script runs).
APP_ROOT_IDS = frozenset({"app", "root", "vue-app", "main-app", "appmain", "application", "__next", "__nuxt"})
PAGER_CONTAINER_RE = re.compile(r"page|pagination|paging|fenye|turn|pgbar|^fy|[_-]fy|^pg|[_-]pg", re.I)
PAGE_QUERY_KEYS = frozenset({"page", "pageindex", "pageno", "pagenum", "currpage", "curpage", "cur_page",
                             "pn", "p", "page_no", "pagenumber", "currentpage", "startpage"})
TOTAL_PAGES_TEXT_RE = re.compile(r"共\s*(\d{1,4})\s*页")
# A runaway 尾页 (page=99999) must not produce an unbounded list; the crawler caps pages per site anyway.
MAX_INFERRED_PAGES = 2000
PAGER_SEARCH_LEVELS = 4  # how far up an anchor a pager container (div.page, td.fy) may sit
MAX_SCRIPT_CHARS = 200_000  # pager scripts are short; a bundled library inlined in the page is not read
# Hanweb jpage defaults when the init omits them: perPage 15 and groupSize 3 are the values
# portals.md §2.2 reports most (windows of 45); the proxy path is the current one.
JPAGE_DEFAULT_PER_PAGE = 15
JPAGE_DEFAULT_GROUP_SIZE = 3
JPAGE_DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"
PAGER_MAX_SIBLINGS = 40  # an unclassed pager is a handful of links; a parent with more children is a page region

# Page chrome (nav bars, headers, footers, breadcrumbs, 友情链接) by id/class; list entries are not
# taken from there. Substrings for distinctive words, whole tokens for short ambiguous ones.
CHROME_SUBSTRINGS = ("nav", "menu", "footer", "crumb", "position", "location", "copyright", "friend",
                     "yqlj", "banner", "sitemap", "toolbar", "daohang", "weizhi")
CHROME_TOKENS = frozenset({"top", "header", "head", "foot", "bottom", "dh", "links", "share", "search"})
CHROME_TAGS = frozenset({"header", "nav", "footer"})
# Breadcrumb containers and their lead-in texts (当前位置：首页 > 政府信息公开 > 政府信息公开年报).
CRUMB_CLASS_RE = re.compile(r"crumb|position|location|dqwz|weizhi|curpos|navpath|nav_path|lmdh|dangqian|\bwz\b", re.I)
CRUMB_LEADS = ("当前位置", "您的位置", "您现在的位置", "所在位置", "当前所在位置")
CRUMB_SEPARATORS_RE = re.compile(r"\s*(?:>|＞|»|›|→|/|\\|&gt;)\s*")
LISTING_TITLE_SEPARATORS_RE = re.compile(r"\s*(?:_|\||－|—|–|-{1,2}|·|:|：|\s{2,})\s*")
CURRENT_NAV_TOKENS = frozenset({"on", "cur", "curr", "current", "active", "selected", "select", "now"})
LABEL_MAX_LEN = 24       # breadcrumb/heading pieces longer than this are sentences, not column names

# Frames that are never a list: Hanweb visit.jsp/articlehits.jsp counters, EmpireCMS ViewClick,
# 开普云 jiucuo, search boxes, weather/media widgets, and non-HTML files.
FRAME_SKIP_RE = re.compile(r"visit|count|hits|click|jiucuo|search|weather|tianqi|player"
                           r"|\.(?:jpe?g|png|gif|swf|js|css|pdf|mp4)(?:$|\?)", re.I)
ROW_TAGS = frozenset({"li", "tr", "dd", "dt"})
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5")
HEADING_CLASS_RE = re.compile(r"tit|title|lmmc|lm_name|column|\bhd\b|\bbt\b", re.I)
LIST_HEADING_LEVELS = 3
DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
DATE_CELL_MAX_LEN = 24   # a sibling holding only a date ("[2019-03-28]", "2024年01月30日"), not a paragraph
MORE_WORDS = frozenset({"更多", "more", "查看更多", "详细", "进入"})   # box links that name nothing
TRUNCATION_MARKS = ("...", "…", "。。。", "..")
NON_PAGE_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "vbscript:")
EDGE_PUNCT = "·•●■□◆◇▪▶►>》»›→＞【】[]「」『』:：-—_ \u3000\xa0"
# A group of rows without dates or article URLs is a list only if most titles are at least this
# long: nav bars are short directory names (政务公开), while nearly every 公文 title runs past 10 chars.
LIST_MIN_TITLE_LEN = 10
# Main-list score per row group: rows + weighted dated rows, article URLs, long titles. A date is the
# surest sign of a list entry (nav bars and sidebars of topics have none), an article URL the next;
# weights set by hand on the fixtures so a 2-row dated column beats a 5-row undated sidebar.
LIST_DATE_WEIGHT = 2.0
LIST_ARTICLE_WEIGHT = 1.0
LIST_TITLE_WEIGHT = 0.5


# --- parsing ----------------------------------------------------------------------------------------
