"""Seeded filler reports: agencies of each replica county, prose (pre-2019) and table (2019/2021) reports."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from .reports import Block, Report, parse_blocks
from .tables import format_of, random_figures


@dataclass(frozen=True)
class County:
    """The agencies one portal publishes reports for, and the contact details their reports quote."""

    region: str                      # 磐石市
    government: str                  # 磐石市人民政府
    towns: tuple[str, ...]
    departments: tuple[str, ...]     # without the region prefix
    postcode: str
    area_code: str
    website: str
    contacts: tuple[str, ...] = ("张伟", "李娜", "王静", "刘洋", "陈杰")


PANSHI = County(
    "磐石市", "磐石市人民政府",
    ("明城镇", "红旗岭镇", "烟筒山镇", "石嘴镇", "吉昌镇", "松山镇", "黑石镇", "朝阳山镇", "富太镇", "取柴河镇",
     "牛心镇", "宝山乡", "河南街道", "东宁街道", "福安街道"),
    ("教育局", "财政局", "民政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "交通运输局", "水利局",
     "农业农村局", "商务局", "文化广播电视和旅游局", "卫生健康局", "应急管理局", "审计局", "市场监督管理局", "统计局",
     "医疗保障局", "林业局", "发展和改革局", "司法局", "退役军人事务局"),
    "132300", "0432", "http://www.panshi.gov.cn")

# Contact names with characters GB2312 lacks (堃 喆 玥 昇 珺): real GBK pages carry such names.
TONGYU = County(
    "通榆县", "通榆县人民政府",
    ("开通镇", "瞻榆镇", "双岗镇", "兴隆山镇", "边昭镇", "鸿兴镇", "新华镇", "乌兰花镇", "陆家镇", "新兴乡",
     "向海蒙古族乡", "包拉温都蒙古族乡", "什花道乡", "八面乡", "苏公坨乡", "团结乡"),
    ("教育局", "财政局", "民政局", "人力资源和社会保障局", "国土资源局", "住房和城乡建设局", "交通运输局", "水利局",
     "农业局", "畜牧业管理局", "商务局", "卫生和计划生育局", "安全生产监督管理局", "审计局", "统计局", "林业局",
     "环境保护局", "发展和改革局", "司法局", "扶贫开发办公室"),
    "137200", "0436", "http://www.tongyu.gov.cn",
    contacts=("刘堃", "王喆", "赵玥", "孙昇", "李珺"))

JILIN = County(
    "吉林市", "吉林市人民政府",
    ("昌邑区", "龙潭区", "船营区", "丰满区"),
    ("人民政府办公室", "发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局",
     "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水利局",
     "农业农村局", "商务局", "文化广播电视和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局",
     "市场监督管理局", "统计局", "林业局", "医疗保障局", "政务服务和数字化建设管理局", "城市管理行政执法局",
     "国有资产监督管理委员会", "体育局"),
    "132011", "0432", "http://www.jlcity.gov.cn")

JIANCHUAN = County(
    "剑川县", "剑川县人民政府",
    ("金华镇", "甸南镇", "沙溪镇", "马登镇", "老君山镇", "羊岑乡", "弥沙乡", "象图乡"),
    ("教育体育局", "财政局", "民政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "交通运输局",
     "水务局", "农业农村局", "文化和旅游局", "卫生健康局", "应急管理局", "审计局", "市场监督管理局", "统计局",
     "林业和草原局", "发展和改革局", "司法局"),
    "671300", "0872", "http://www.jianchuan.gov.cn")

YANGCHENG = County(
    "阳城县", "阳城县人民政府",
    ("凤城镇", "北留镇", "润城镇", "町店镇", "芹池镇", "次营镇", "横河镇", "河北镇", "蟒河镇", "东冶镇", "白桑乡",
     "寺头乡", "西河乡", "演礼乡", "固隆乡", "董封乡", "驾岭乡"),
    ("教育局", "财政局", "民政局", "人力资源和社会保障局", "自然资源局", "住房和城乡建设管理局", "交通运输局",
     "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康和体育局", "应急管理局", "审计局",
     "市场监督管理局", "统计局", "能源局", "发展和改革局", "司法局", "行政审批服务管理局"),
    "048100", "0356", "http://www.yczf.gov.cn")


@dataclass(frozen=True)
class Agency:
    name: str          # as written in report titles
    kind: str          # "county", "town", "dept"
    we: str            # how the report refers to itself: 我镇 / 我局 / 我县
    busy: float        # caseload scale


def agencies(county: County) -> list[Agency]:
    """Every agency of the county that publishes a report of its own."""
    we_county = "我市" if county.region.endswith("市") else "我县"
    out = [Agency(county.government, "county", we_county, 3.0)]
    for town in county.towns:
        we = "我" + ("街道" if town.endswith("街道") else "区" if town.endswith("区") else town[-1])
        name = town if town.endswith("区") else f"{town}人民政府"
        out.append(Agency(county.region + name if town.endswith("区") else name, "town", we, 0.6))
    for dept in county.departments:
        we = "我" + ("委" if dept.endswith("委员会") else "办" if dept.endswith(("办公室", "办")) else "局")
        out.append(Agency(county.region + dept, "dept", we, 1.0))
    return out


def title_for(rng: random.Random, agency: str, year: int) -> str:
    """A realistic title; the dominant pattern most of the time."""
    return rng.choices([
        f"{agency}{year}年政府信息公开工作年度报告",
        f"{agency}关于{year}年度政府信息公开工作年度报告",
        f"{agency}{year}年度政府信息公开工作年度报告",
        f"{year}年{agency}政务信息公开年度报告",
    ], weights=[6, 2, 2, 1])[0]


def publish_date(rng: random.Random, year: int) -> dt.date:
    """Reports appear in January to March of the following year."""
    return dt.date(year + 1, 1, 5) + dt.timedelta(days=rng.randint(0, 84))


def _date_cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# -- pre-2019 prose ------------------------------------------------------------------------------

_OVERVIEW = (
    "{y}年，{we}认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于政务公开工作的部署要求，坚持以公开为常态、不公开为例外，"
    "围绕中心工作，加大主动公开力度，规范依申请公开办理，政府信息公开工作取得了新进展。",
    "{y}年，在{region}委、{region}政府的正确领导下，{we}按照{region}政务公开领导小组办公室的统一部署，进一步健全工作机制，"
    "拓宽公开渠道，强化监督检查，推动政府信息公开工作规范有序开展。",
    "{y}年度，{we}把政府信息公开工作列入重要议事日程，主要领导亲自抓，分管领导具体抓，明确专人负责信息的收集、审核和发布，"
    "做到了职责明确、程序规范、公开及时。",
)
_ORG = (
    "（一）加强组织领导。{we}成立了以主要负责同志为组长、分管负责同志为副组长、各股室（站所）负责人为成员的政府信息公开工作领导小组，"
    "领导小组办公室设在办公室，配备兼职工作人员{staff}名，负责日常工作。",
    "（一）健全工作机构。{we}调整充实了政务公开工作领导小组，明确办公室为政府信息公开工作机构，落实{staff}名工作人员具体负责信息的采集、"
    "审核、发布和依申请公开受理工作。",
)
_RULES = (
    "（二）完善工作制度。建立健全了政府信息主动公开、依申请公开、保密审查、考核评议和责任追究等制度，"
    "严格执行“先审查、后公开”和“一事一审”的原则，确保公开信息内容准确、程序规范。",
    "（二）规范公开程序。按照“谁制作、谁公开，谁保存、谁公开”的原则，进一步规范信息公开的拟制、审核、发布流程，"
    "对拟公开信息一律进行保密审查，全年未发生泄密事件。",
)
_ACTIVE = (
    "{y}年，{we}共主动公开政府信息{n}条，其中机构职能类{a}条，政策法规类{b}条，工作动态类{c}条，其他类{d}条。"
    "公开形式以政府网站为主，同时通过公开栏、宣传单、微信公众号等方式公开。",
    "全年通过{region}政府网站政府信息公开专栏主动公开信息{n}条，通过公开栏、电子显示屏等公开信息{c}条，"
    "其中规范性文件{b}条，均在制发后20个工作日内予以公开。",
)
_REQUEST = (
    "{y}年，{we}共受理政府信息公开申请{r}件，均已按期答复，其中同意公开{r}件。",
    "{y}年度，{we}未收到公民、法人或其他组织的政府信息公开申请。",
    "{y}年，{we}共收到政府信息公开申请{r}件，其中当面申请{r1}件，网上申请{r2}件，均在法定期限内予以答复。",
)
_FEES = ("{y}年，{we}在政府信息公开工作中未收取任何费用，也未发生减免费用情况。",
         "本年度依申请公开政府信息未收取检索、复制、邮寄等费用。")
_REVIEW = ("{y}年，{we}未发生因政府信息公开申请提起的行政复议、行政诉讼和申诉案件。",
           "本年度没有因政府信息公开引起的行政复议和行政诉讼。")
_PROBLEMS = (
    "（一）存在的问题。一是公开内容不够全面，部分信息更新不够及时；二是公开形式较为单一，网上公开与线下公开结合不够紧密；"
    "三是工作人员多为兼职，业务能力有待提高。",
    "（一）存在的不足。主动公开的深度和广度还需拓展，政策解读和回应关切工作相对薄弱，信息公开工作人员专业化水平不高。",
)
_PLANS = (
    "（二）改进措施。{ny}年，{we}将进一步加强组织领导，完善工作制度，拓宽公开渠道，加强业务培训，"
    "不断提高政府信息公开工作的质量和水平。",
    "（二）下步打算。一是加大主动公开力度，及时更新公开内容；二是规范依申请公开办理流程；三是加强工作人员培训，"
    "切实提升政府信息公开工作水平。",
)


def prose_report(rng: random.Random, county: County, agency: Agency, year: int) -> Report:
    """A pre-2019-style report: free outline, numbers in prose, preamble with the statistics period."""
    published = publish_date(rng, year)
    contact = rng.choice(county.contacts)
    phone = f"{county.area_code}-{rng.randint(2000000, 8999999)}"
    f = dict(y=year, ny=year + 1, we=agency.we, region=county.region, staff=rng.randint(1, 4),
             n=rng.randint(30, 900), a=rng.randint(3, 20), b=rng.randint(0, 30), c=rng.randint(10, 400),
             d=rng.randint(0, 40), r=rng.randint(1, 9))
    f.update(r1=f["r"] // 2, r2=f["r"] - f["r"] // 2)
    lines = [
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{agency.name}编制。全文包括概述、主动公开政府信息情况、"
        f"依申请公开政府信息情况、政府信息公开的收费及减免情况、因政府信息公开申请行政复议和提起行政诉讼情况、存在的主要问题及改进措施等。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。本报告的电子版可在{county.website}下载。"
        f"如对本报告有任何疑问，请与{agency.name}办公室联系（联系人：{contact}；邮编：{county.postcode}；电话：{phone}）。",
        "一、概述",
        rng.choice(_OVERVIEW), rng.choice(_ORG), rng.choice(_RULES),
        "二、主动公开政府信息情况", rng.choice(_ACTIVE),
        "三、依申请公开政府信息情况", rng.choice(_REQUEST),
        "四、政府信息公开的收费及减免情况", rng.choice(_FEES),
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况", rng.choice(_REVIEW),
        "六、存在的主要问题及改进措施", rng.choice(_PROBLEMS), rng.choice(_PLANS),
        f">> {agency.name}",
        f">> {_date_cn(published - dt.timedelta(days=rng.randint(0, 6)))}",
    ]
    return Report(title=title_for(rng, agency.name, year), agency=agency.name, year=year, published=published,
                  source=agency.name, blocks=parse_blocks("\n".join(lines).format(**f)))


# -- 2019 / 2021 format ---------------------------------------------------------------------------

_GENERAL = (
    "{y}年，{we}在{region}委、{region}政府的坚强领导下，认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于政务公开工作的部署要求，"
    "坚持以公开为常态、不公开为例外，持续深化决策、执行、管理、服务、结果公开，政府信息公开工作取得新成效。",
    "{y}年，{we}严格按照新修订的《中华人民共和国政府信息公开条例》要求，以推进政务公开标准化规范化为抓手，加强组织领导，"
    "完善工作机制，着力提升政务公开质量，更好地保障人民群众知情权、参与权、表达权和监督权。",
)
_SUBS = (
    ("（一）主动公开", "全年通过政府网站主动公开政府信息{n}条，其中工作动态{c}条，通知公告{a}条，政策文件{b}条，"
     "及时公开了机构职能、权责清单、财政预决算、重大项目等重点领域信息。"),
    ("（二）依申请公开", "进一步规范依申请公开受理、审查、办理、答复等环节，{y}年共收到政府信息公开申请{r}件，"
     "结转下年度继续办理{fw}件，均在法定期限内答复。"),
    ("（三）政府信息管理", "严格落实公开前保密审查制度，对拟公开信息实行“三审”制度，全年未发生泄密和不当公开事件；"
     "动态调整主动公开基本目录，及时清理过时信息。"),
    ("（四）政府信息公开平台建设", "充分发挥政府网站第一平台作用，规范政务公开专栏栏目设置，同时依托政务新媒体、公开栏、"
     "政务服务大厅等渠道拓宽公开范围。"),
    ("（五）监督保障", "将政务公开工作纳入年度绩效考核，明确专人负责，全年开展业务培训{t}次，"
     "{y}年未发生因政务公开工作引发的责任追究情况。"),
)
_PROBLEMS_NEW = (
    "{we}政府信息公开工作虽然取得了一定成效，但仍存在一些不足：一是公开内容的全面性、及时性还需加强；"
    "二是政策解读形式较为单一；三是工作人员业务水平有待提高。下一步，{we}将进一步完善工作机制，丰富解读形式，"
    "加强培训，不断提升政府信息公开工作水平。",
    "存在的主要问题：部分栏目信息更新不及时，主动公开的深度还不够。改进措施：一是加强日常监督检查，"
    "确保信息按时更新；二是加大重点领域信息公开力度；三是加强业务培训，提高工作人员能力水平。",
)
_OTHER = (
    "{y}年，{we}未收取信息处理费。{we}认真落实{y}年政务公开工作要点，各项任务均已按要求完成。",
    "本年度无其他需要报告的事项。",
    "{y}年，{we}未发生收取信息处理费的情况。",
)


def table_report(rng: random.Random, county: County, agency: Agency, year: int) -> Report:
    """A report in the national format of its year, tables filled with figures that satisfy the sum rules."""
    fmt = format_of(year)
    fig = random_figures(rng, fmt, agency.busy)
    published = publish_date(rng, year)
    f = dict(y=year, we=agency.we, region=county.region, n=rng.randint(40, 1200), a=rng.randint(3, 60),
             b=rng.randint(0, 30), c=rng.randint(20, 600), r=fig.received, fw=fig.carried_forward,
             t=rng.randint(1, 6))
    title = title_for(rng, agency.name, year)
    lines = [title if rng.random() < 0.3 else "",
             "本报告依据《中华人民共和国政府信息公开条例》第五十条规定编制，所列数据统计期限为"
             f"{year}年1月1日至{year}年12月31日。如对本报告有疑问，请与{agency.name}办公室联系"
             f"（联系人：{rng.choice(county.contacts)}；电话：{county.area_code}-{rng.randint(2000000, 8999999)}）。",
             "一、总体情况", rng.choice(_GENERAL)]
    for head, text in _SUBS:
        lines += [head, text]
    lines += ["二、主动公开政府信息情况", "[[table2]]", "三、收到和处理政府信息公开申请情况", "[[table3]]",
              "四、政府信息公开行政复议、行政诉讼情况", "[[table4]]",
              "五、存在的主要问题及改进情况", rng.choice(_PROBLEMS_NEW),
              "六、其他需要报告的事项", rng.choice(_OTHER)]
    if rng.random() < 0.5:
        lines += [f">> {agency.name}", f">> {_date_cn(published - dt.timedelta(days=rng.randint(0, 6)))}"]
    return Report(title=title, agency=agency.name, year=year, published=published,
                  source=agency.name, figures=fig, blocks=parse_blocks("\n".join(lines).format(**f)))


def filler_reports(seed: str, county: County, count: int, years: range,
                   taken: set[tuple[str, int]] = frozenset()) -> list[Report]:
    """`count` distinct (agency, year) reports of the county, deterministic for `seed`, newest first.

    `taken` holds (agency, year) pairs the site already publishes by hand (the seeds).  Fewer are
    returned when the county has fewer free pairs.
    """
    rng = random.Random(seed)
    pairs = [(a, y) for a in agencies(county) for y in years if (a.name, y) not in taken]
    chosen = rng.sample(pairs, min(count, len(pairs)))
    out = []
    for agency, year in chosen:
        prose = format_of(year) is None or (year == 2019 and rng.random() < 0.35)
        out.append((prose_report if prose else table_report)(rng, county, agency, year))
    out.sort(key=lambda r: (r.published, r.title), reverse=True)
    return out


def blocks_with_year(blocks: list[Block], old: int, new: int) -> list[Block]:
    """The same template text moved to another year (a report that copies last year's wording)."""
    return [Block(b.kind, b.text.replace(f"{old}年", f"{new}年")) for b in blocks]
