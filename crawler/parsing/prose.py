"""Figures a report states in its prose (not in its tables), each with the sentence it came from.

Reports before the 2019 format have no standard tables: what they say about themselves ("共主动公开
政府信息841条", "未收到政府信息公开申请") is all there is to read.  Newer reports state some of their
table figures in the prose too, and `checks.prose_checks` compares the two.  A wrong figure raises a
false alarm there, and a figure in a text that is no report at all makes it look like one, so every
pattern below is anchored on the words of one figure and takes a number only where it is directly
followed by its unit: a year ("2016年"), a date whose 年/月/日 the capture dropped ("20181231日"), a
percentage other than an answer rate, a count of something else (人次 at a 查阅点, 每周更新2次) or a
table's bare numbers never match.  Missing a figure is preferred to guessing one.

The text is read one sentence at a time (split on 。！？；, line breaks and the tabs that join a table
row's cells).  Figures whose words also occur outside information disclosure (行政复议, 收费, 培训,
工作人员 ...) are only taken where the sentence, or a numbered heading above it, speaks of
information disclosure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

PROSE_KEYS: dict[str, str] = {
    # what the 2008-2018 statistics table and the 2019/2021 tables count, as prose states it
    "active_disclosed": "主动公开政府信息数",
    "active_normative_docs": "其中主动公开规范性文件数",
    "applications_received": "收到（受理）政府信息公开申请数",
    "applications_answered": "申请答复（办结）数",
    "answer_rate": "申请答复率",
    "carried_over": "上年结转政府信息公开申请数",
    "carried_forward": "结转下年度继续办理申请数",
    "review": "因政府信息公开被申请行政复议数",
    "litigation": "因政府信息公开被提起行政诉讼数",
    "complaints": "因政府信息公开被举报投诉（申诉）数",
    "fees": "依申请公开收取的费用",
    "reading_points": "政府信息公开查阅点（查询点）数",
    "reading_point_visits": "查阅点接待查询人次",
    "institutions": "政府信息公开工作专门机构数",
    "staff": "从事政府信息公开工作人员数",
    "staff_full_time": "其中专职人员数",
    "staff_part_time": "其中兼职人员数",
    "meetings": "召开政府信息公开工作会议或专题会议数",
    "training_sessions": "举办政府信息公开培训班数",
    "trainees": "接受培训人员数（人次）",
}

# The unit a statement of "none" is counted in.
_NONE_UNIT = {"applications_received": "件", "review": "件", "litigation": "件", "complaints": "件", "fees": "元"}

# -- text ------------------------------------------------------------------------------------------

# One character for one, so offsets in the normalised text are offsets in the original.
_NORMALISE = str.maketrans("０１２３４５６７８９％．", "0123456789%.")

_SENTENCE_RE = re.compile(r"[^。！？；;!?\n\r\t]+")

# Numbered headings by level; a heading above a sentence is part of what the sentence is about.
_HEADING_LEVELS = (
    (1, re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")),
    (3, re.compile(r"^\d{1,2}\s*[.、．](?!\d)|^[（(]\d{1,2}[）)]")),
)
_MAX_HEADING_CHARS = 40

# Words that put a sentence in information disclosure.
_DISCLOSURE = re.compile(r"信息公开|政务公开|政府信息|政务信息|依申请|公开申请|信息处理费")
_REQUESTS = re.compile(r"申请")


@dataclass(frozen=True)
class _Sentence:
    text: str           # as in the report
    norm: str           # digits and ％ made ASCII
    start: int          # offset in the report
    headings: str       # the numbered headings it stands under, joined

    def about(self, words: re.Pattern[str]) -> bool:
        return bool(words.search(self.norm) or words.search(self.headings))


def _sentences(text: str) -> Iterator[_Sentence]:
    norm = text.translate(_NORMALISE)
    headings: dict[int, str] = {}
    for m in _SENTENCE_RE.finditer(norm):
        raw = m.group()
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if not body:
            continue
        start = m.start() + lead
        level = _heading_level(body)
        if level:
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = body
        yield _Sentence(text[start:start + len(body)], body, start, " ".join(headings.values()))


def _heading_level(sentence: str) -> int:
    if len(sentence) > _MAX_HEADING_CHARS:
        return 0
    return next((level for level, pattern in _HEADING_LEVELS if pattern.match(sentence)), 0)


# -- numbers ---------------------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS)


def _num(name: str = "num") -> str:
    # Not the tail of a longer number, an ordinal (第2次) or a decimal; thousands separators only in
    # groups of three, so "18条,其中" is never "18,".
    return (rf"(?<![\d.,\-/{_CN_CHARS}第])[ \u3000]?"
            rf"(?P<{name}>\d{{1,3}}(?:,\d{{3}})+(?![\d.])|\d+(?:\.\d+)?|[{_CN_CHARS}]{{1,6}})[ \u3000]?")


def _value(number: str) -> int | float | None:
    if number[0].isdigit():
        plain = number.replace(",", "")
        return float(plain) if "." in plain else int(plain)
    return _chinese(number)


def _chinese(number: str) -> int | None:
    """一 … 九千九百九十九; a run of bare digits (二〇一八) is read digit by digit."""
    if not any(ch in _CN_UNITS for ch in number):
        return int("".join(str(_CN_DIGITS[ch]) for ch in number))
    total, digit, last_unit = 0, None, 10_000
    for ch in number:
        if ch in _CN_DIGITS:
            if digit is not None and digit != 0 and _CN_DIGITS[ch] != 0:
                return None                     # 二三百: not a number
            digit = _CN_DIGITS[ch]
        else:
            unit = _CN_UNITS[ch]
            if unit >= last_unit:
                return None                     # 十百: not a number
            total += (digit if digit else 1) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


# -- patterns --------------------------------------------------------------------------------------

# Words between a figure's name and its number that do not change what is counted.
_FILL = r"(?:共计|合计|总计|累计|共有|一共|共|总数为|总数|总量为|总量|数量为|数量|数为|数|达到|高达|达|为|是|有|了|的|计)*"
# Negations; 无 and 未 only where they do not start another word (无法, 未经, 未按时 ...).
_NEG = (r"(?:尚未|从未|未曾|没有|不存在|无(?!法|论|需|须|偿|条件|正当)"
        r"|未(?!经|按|能|予|及时|公开|依|审查|发布))")
# A stretch inside one clause: no digits, no clause punctuation.
_GAP = r"[^\d，,。；;：:\t]"
# Words that make "申请" another kind of request than one for government information.
_NOT_DISCLOSURE_REQUEST = re.compile(r"复议|诉讼|投诉|举报|信访|许可|审批|来信|来访|建议|提案|热线|诉求|反映")
_COUNT = r"(?P<unit>件|条|宗|份|起|项)"
_CASES = r"(?P<unit>件|起|宗|个|次|例)"

Check = Callable[[re.Match[str], _Sentence], bool]


@dataclass(frozen=True)
class _Rule:
    keys: tuple[str, ...]           # two keys: "行政复议和行政诉讼各1件" states both
    pattern: re.Pattern[str]
    negated: bool = False
    about: re.Pattern[str] | None = None    # the sentence or a heading above must speak of this
    check: Check | None = None


def _rule(key: str | tuple[str, ...], pattern: str, *, negated: bool = False,
          about: re.Pattern[str] | None = None, check: Check | None = None) -> _Rule:
    keys = (key,) if isinstance(key, str) else key
    return _Rule(keys, re.compile(pattern), negated, about, check)


def _gap_is_request(m: re.Match[str], s: _Sentence) -> bool:
    """收到/受理 … N件 counts applications only if what lies between names an information request."""
    gap = m.group("gap")
    if "申请" not in gap or _NOT_DISCLOSURE_REQUEST.search(gap):
        return False
    return "公开" in gap or (len(gap) <= 6 and bool(_REQUESTS.search(s.headings)))


def _none_received(m: re.Match[str], s: _Sentence) -> bool:
    """未收到 … 申请 / 无依申请公开 … is about requests only if the clause goes on about nothing else
    ("无依申请公开信息收费情况" says there were no fees)."""
    gap = m.groupdict().get("gap") or ""
    rest = re.split(r"[，,、]", s.norm[m.end():], maxsplit=1)[0]
    return not _NOT_DISCLOSURE_REQUEST.search(gap) and not re.search(r"费|复议|诉讼|投诉|举报|申诉", rest)


def _not_a_subtype(m: re.Match[str], s: _Sentence) -> bool:
    """答复 after 同意公开/不予公开/当场 ... is one kind of answer, not all of them."""
    before = s.norm[:m.start()]
    return (not before.endswith(("公开", "告知", "同意", "书面", "当场", "网上", "口头", "电话", "延期", "逾期",
                                 "按时", "按期"))
            and not _NOT_DISCLOSURE_REQUEST.search(m.group("gap")))


def _not_the_reviewer(m: re.Match[str], s: _Sentence) -> bool:
    """办理/审理行政复议案件: the agency deciding others' reviews, not being reviewed."""
    return not s.norm[:m.start()].endswith(("办理", "审理", "受理", "审结", "承办"))


def _after_active(m: re.Match[str], s: _Sentence) -> bool:
    """其中 … 规范性文件N条 is a part of the active total only when that total came first."""
    return "主动公开" in s.norm[:m.start()]


def _not_public_charge(m: re.Match[str], s: _Sentence) -> bool:
    """收费 of a 行政事业性收费, a budget or a price list is not a fee for answering requests."""
    before = s.norm[max(0, m.start() - 4):m.start()]
    return "事业性" not in before and not re.search(r"经费|预算|资金|收入|事业性|红利|标准", m.group(0))


def _complaint_about_disclosure(m: re.Match[str], s: _Sentence) -> bool:
    """举报投诉N件 counts complaints about disclosure only where its own clause or a heading says so
    (a portal's 受理群众举报投诉 in a disclosure sentence is not)."""
    clause = re.split(r"[，,、]", s.norm[:m.start()])[-1]
    if re.search(r"受理|办理|处理|群众|来信|来访", clause):
        return False                    # the agency handling others' complaints
    return bool(_DISCLOSURE.search(clause) or _DISCLOSURE.search(s.headings))


def _staff_clause(m: re.Match[str], s: _Sentence) -> bool:
    """人员N名 is staff, not 培训人员/接待群众/执法人员."""
    clause = re.split(r"[，,、]", s.norm[:m.end()])[-1]
    return not re.search(r"培训|参训|参会|接待|来访|群众|执法|代表|志愿", clause)


_RULES: tuple[_Rule, ...] = (
    # 行政复议和行政诉讼各1件 / 分别为1件和2件: both figures in one phrase, read before either alone
    _rule(("review", "litigation"),
          rf"行政复议(?:案件|案)?[和及与、]\s?(?:行政)?诉讼(?:案件|案)?(?:数量)?(?:各|均|都)(?:为|是|有)?{_num()}"
          rf"{_CASES}", about=_DISCLOSURE),
    _rule(("review", "litigation"),
          rf"行政复议(?:案件|案)?[和及与、]\s?(?:行政)?诉讼(?:案件|案)?(?:数量)?分别(?:为|是|有)?{_num()}{_CASES}"
          rf"[和、，,]{_num('num2')}(?P<unit2>件|起|宗|个|次|例)", about=_DISCLOSURE),

    _rule("active_disclosed",
          rf"主动公开(?:了)?(?:各类|各项|各种)?(?:的)?(?:政府|政务)?(?:信息)?{_FILL}{_num()}(?P<unit>条|件|项|篇)"),
    _rule("active_normative_docs",
          rf"其中[，,：:、]?\s?(?:主动公开)?(?:的)?规范性文件{_FILL}{_num()}(?P<unit>条|件|个|份|项|篇)",
          check=_after_active),
    _rule("active_normative_docs", rf"主动公开(?:了)?(?:的)?规范性文件{_FILL}{_num()}(?P<unit>条|件|个|份|项|篇)"),

    _rule("applications_received",
          rf"(?:共|累计|共计)?(?:收到|接到|受理|接收|新收)(?:了)?(?P<gap>{_GAP}{{0,20}}?){_FILL}{_num()}{_COUNT}",
          check=_gap_is_request),
    _rule("applications_received",
          rf"{_NEG}(?:有)?(?:收到|接到|受理|接收|新收)(?:过)?(?:任何)?(?P<gap>{_GAP}{{0,20}}?)"
          rf"(?:依申请公开|公开申请|申请公开|申请(?!人))", negated=True, check=_none_received),
    _rule("applications_received", r"(?:无|没有)(?:相关|任何)?(?:的)?(?:依申请公开|政府信息公开申请|信息公开申请)",
          negated=True, check=_none_received),
    _rule("applications_answered",
          rf"(?:已)?(?:全部|均)?(?:答复|办结|办理完毕|予以答复)(?P<gap>[^\d，,。；;：:\t率]{{0,8}}?){_FILL}{_num()}"
          rf"{_COUNT}", about=_REQUESTS, check=_not_a_subtype),
    _rule("answer_rate", rf"(?:按时|按期|依法)?(?:答复率|办结率)(?:为|达到|达|是)?{_num()}(?P<unit>%)",
          about=_REQUESTS),
    _rule("carried_over", rf"上(?:一)?年度?结转(?:的)?(?:政府信息公开)?(?:申请)?{_FILL}{_num()}(?P<unit>件|条|宗)",
          about=_DISCLOSURE),
    _rule("carried_forward",
          rf"结转(?:至|到)?下(?:一)?年度?(?:继续)?(?:办理)?(?:的)?{_FILL}{_num()}(?P<unit>件|条|宗)",
          about=_DISCLOSURE),

    _rule("review", rf"行政复议(?:案件|案|申请)?{_FILL}{_num()}{_CASES}", about=_DISCLOSURE,
          check=_not_the_reviewer),
    _rule("review", rf"{_NEG}(?:发生|收到|接到|出现|产生|存在|有|涉及)?(?:过)?(?P<gap>[^\d，,。；;：:\t]{{0,30}}?)行政复议",
          negated=True, about=_DISCLOSURE, check=lambda m, s: not re.search(r"可以|可|有权|应当", m.group("gap"))),
    _rule("litigation", rf"(?:行政诉讼|提起(?:行政)?诉讼)(?:案件|案)?{_FILL}{_num()}{_CASES}", about=_DISCLOSURE),
    _rule("litigation",
          rf"{_NEG}(?:发生|收到|接到|出现|产生|存在|有|涉及)?(?:过)?(?P<gap>[^\d，,。；;：:\t]{{0,40}}?)"
          rf"(?:行政诉讼|提起(?:行政)?诉讼)",
          negated=True, about=_DISCLOSURE, check=lambda m, s: not re.search(r"可以|可|有权|应当", m.group("gap"))),
    _rule("complaints", rf"(?:举报投诉|投诉举报|举报|投诉|申诉)(?:案件|案|事项)?{_FILL}{_num()}{_CASES}",
          check=_complaint_about_disclosure),
    _rule("complaints",
          rf"{_NEG}(?:发生|收到|接到|出现|产生|存在|有|涉及)?(?:过)?(?P<gap>[^\d，,。；;：:\t]{{0,40}}?)"
          rf"(?:举报投诉|投诉举报|举报|投诉|申诉)",
          negated=True, about=_DISCLOSURE, check=lambda m, s: not re.search(r"可以|可|有权|应当", m.group("gap"))),

    _rule("fees", rf"(?:收取|收费)(?P<gap>{_GAP}{{0,15}}?){_FILL}{_num()}(?P<unit>万元|元)",
          about=_DISCLOSURE, check=_not_public_charge),
    _rule("fees", rf"(?:信息处理费|处理费|检索费|复制费|邮寄费){_FILL}{_num()}(?P<unit>万元|元)", about=_DISCLOSURE),
    _rule("fees", rf"(?:{_NEG}|不|均未)(?:发生|出现|有)?(?:过)?(?:向{_GAP}{{0,10}}?)?收取{_GAP}{{0,20}}?费(?:用)?",
          negated=True, about=_DISCLOSURE, check=_not_public_charge),
    _rule("fees", r"(?:未|不|无|免|零)收费", negated=True, about=_DISCLOSURE, check=_not_public_charge),
    _rule("fees", rf"(?:{_NEG})(?:发生|出现|有)?(?:过)?(?P<gap>{_GAP}{{0,15}}?)收费", negated=True, about=_DISCLOSURE,
          check=_not_public_charge),

    _rule("reading_points",
          rf"(?:查阅点|查询点|查阅场所|查阅室|查阅中心|查阅窗口){_FILL}{_num()}(?P<unit>个|处|家)(?!人)",
          about=_DISCLOSURE),
    _rule("reading_points",
          rf"(?:设立|设置|建立|建成|开设)(?:了)?{_FILL}{_num()}(?P<unit>个|处)(?:政府信息公开|信息公开|政务公开)?"
          r"(?:查阅点|查询点|查阅场所|查阅室)", about=_DISCLOSURE),
    _rule("reading_point_visits",
          rf"接待(?:各类|群众|公众|社会公众|来访)?(?:查询|查阅|咨询)(?:政府信息)?{_FILL}{_num()}(?P<unit>人次|人|次)",
          about=_DISCLOSURE),

    _rule("institutions",
          rf"(?:有|设立|设置|成立|建立)(?:了)?{_FILL}{_num()}(?P<unit>个|家)(?:政府信息公开|信息公开|政务公开|政务信息公开)"
          r"(?:工作)?(?:专门|专职)?(?:工作)?机构", about=_DISCLOSURE),
    _rule("staff_full_time", rf"专职(?:工作)?人员{_FILL}{_num()}(?P<unit>名|人)(?!次)", about=_DISCLOSURE,
          check=_staff_clause),
    _rule("staff_part_time", rf"兼职(?:工作)?人员{_FILL}{_num()}(?P<unit>名|人)(?!次)", about=_DISCLOSURE,
          check=_staff_clause),
    _rule("staff", rf"(?:专兼职|(?<!职)(?<!工作))(?:工作)?人员{_FILL}{_num()}(?P<unit>名|人)(?!次)",
          about=_DISCLOSURE, check=_staff_clause),
    _rule("staff", rf"(?:配备|落实)(?:了)?{_num()}(?P<unit>名)(?:工作)?人员", about=_DISCLOSURE),
    _rule("meetings", rf"召开(?P<gap>{_GAP}{{0,14}}?)(?:会议|工作会|专题会|推进会|部署会){_FILL}{_num()}(?P<unit>次|场|期|个)",
          about=_DISCLOSURE),
    _rule("training_sessions",
          rf"(?:举办|组织|开展|召开)(?:了)?(?:各类|各种)?(?:政府信息公开|信息公开|政务公开|业务|专题)?培训(?:班|会)?{_FILL}"
          rf"{_num()}(?P<unit>期|次|场|起|个)", about=_DISCLOSURE),
    _rule("trainees", rf"(?:培训|参训)(?:人员|干部|工作人员|学员)?{_FILL}{_num()}(?P<unit>人次|人|名)(?!次)",
          about=_DISCLOSURE),
)


# -- reading ---------------------------------------------------------------------------------------

def prose_figures(text: str) -> dict[str, list[dict]]:
    """key -> every statement of that figure, in text order.  Each statement:
    {"value": int|float, "unit": "条"|"件"|"个"|"元"|"万元"|"%"|"人次"|..., "text": the matched phrase,
     "sentence": the whole sentence (split on 。！？；and line breaks), "negated": bool}

    `negated` marks a figure stated as none ("未收到政府信息公开申请"); its value is 0.  Keys the text
    does not state are left out.
    """
    found: dict[str, list[tuple[int, dict]]] = {}
    for sentence in _sentences(text):
        for key, start, statement in _statements(sentence):
            found.setdefault(key, []).append((start, statement))
    return {key: [statement for _, statement in sorted(items, key=lambda item: item[0])]
            for key, items in sorted(found.items(), key=lambda kv: list(PROSE_KEYS).index(kv[0]))}


def _statements(sentence: _Sentence) -> Iterator[tuple[str, int, dict]]:
    taken: dict[str, list[tuple[int, int]]] = {}     # key -> spans already read, earlier rules first
    for rule in _RULES:
        if rule.about is not None and not sentence.about(rule.about):
            continue
        for m in rule.pattern.finditer(sentence.norm):
            if rule.check is not None and not rule.check(m, sentence):
                continue
            for index, key in enumerate(rule.keys):
                statement = _statement(rule, key, index, m, sentence)
                spans = taken.setdefault(key, [])
                if statement is None or any(m.start() < end and start < m.end() for start, end in spans):
                    continue
                spans.append((m.start(), m.end()))
                yield key, sentence.start + m.start(), statement


def _statement(rule: _Rule, key: str, index: int, m: re.Match[str], sentence: _Sentence) -> dict | None:
    if rule.negated:
        value, unit = 0, _NONE_UNIT.get(key, "件")
    else:
        suffix = "2" if index and "num2" in m.re.groupindex else ""
        value, unit = _value(m.group("num" + suffix)), m.group("unit" + suffix)
        if value is None:
            return None
    return {"value": value, "unit": unit, "text": sentence.text[m.start():m.end()].strip(),
            "sentence": sentence.text, "negated": rule.negated}
