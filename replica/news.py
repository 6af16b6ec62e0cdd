"""News items for the replica home pages: dated article links that are not reports."""

from __future__ import annotations

import datetime as dt
import random

from .reports import Report, parse_blocks

_STORIES = (
    ("{r}召开{y}年安全生产工作会议", "会议传达学习了上级安全生产工作会议精神，通报了全{u}安全生产形势，部署了下一阶段重点工作。",
     "会议强调，要压紧压实安全生产责任，深入开展隐患排查整治，坚决防范遏制重特大事故发生。"),
    ("{r}开展春季植树造林活动", "连日来，{r}组织机关干部职工开展义务植树活动，共栽植樟子松、云杉等苗木3000余株。",
     "活动进一步增强了干部群众爱绿护绿意识，为建设生态宜居家园贡献了力量。"),
    ("{r}召开优化营商环境工作推进会", "会议听取了各部门优化营商环境工作进展情况汇报，研究解决了企业反映的突出问题。",
     "会议要求，要持续深化“放管服”改革，全力打造市场化、法治化、国际化营商环境。"),
    ("{r}启动{y}年度城乡居民医疗保险集中参保缴费工作", "根据上级部署，{y}年度城乡居民基本医疗保险集中参保缴费工作正式启动。",
     "参保群众可通过银行网点、手机APP等多种渠道缴费，缴费期截至当年12月31日。"),
    ("{r}领导深入企业调研指导复工复产", "调研组先后深入多家企业生产车间，详细了解企业生产经营、用工及原材料供应等情况。",
     "调研组指出，要强化要素保障，帮助企业解决实际困难，推动经济平稳健康发展。"),
    ("{r}举办政务公开业务培训班", "为提升政务公开工作水平，{r}举办政务公开业务培训班，各单位政务公开工作人员参加培训。",
     "培训围绕政府信息公开条例、政府网站和政务新媒体管理等内容进行了专题辅导。"),
)


def news_items(seed: str, region: str, source: str, count: int = 6) -> list[Report]:
    """Dated news stories of a region, newest first (kind 'news': never a report, never a look-alike)."""
    rng = random.Random(seed)
    unit = region[-1]
    out = []
    for k, (title, *paras) in enumerate(rng.sample(_STORIES, min(count, len(_STORIES)))):
        day = dt.date(2024, 3, 15) - dt.timedelta(days=k * 6 + rng.randint(0, 4))
        text = "\n".join(p.format(r=region, y=day.year, u=unit) for p in paras)
        out.append(Report(title=title.format(r=region, y=day.year), agency=None, year=None, published=day,
                          source=f"{source}办公室", blocks=parse_blocks(text), kind="news"))
    return out
