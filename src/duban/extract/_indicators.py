"""The indicator a quantity measures, in the report's own words (新增就业, 城乡居民养老保险参保率).

Naming is a sequence of small steps (``_STEPS``), each a function that may decide; the first
that does names the figure, and its id (``data/naming.toml``) is the quantity's
``indicator_rule``. The word lists the steps read are data in the same file.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from ..rules import alternation, load_table

_CLAUSE_BREAK = "，,；;：:。！？!?\n（）()"


@dataclass(frozen=True)
class Naming:
    """The compiled word lists of ``data/naming.toml``."""

    lead: re.Pattern[str]  # words at the start of a clause that do not name the indicator
    framing_inside: re.Pattern[str]  # framing words inside a name (中央财政将安排)
    trail: re.Pattern[str]  # words at the end of the text before the number that link it
    trail_last: frozenset[str]  # the last characters of the trailing words
    verb_only: re.Pattern[str]
    not_noun: re.Pattern[str]
    verb_tail: re.Pattern[str]
    attribute: re.Pattern[str]
    total: re.Pattern[str]  # the total of what a list item before counts (…45家、总量达1224家)
    verb_head: re.Pattern[str]  # a work verb opening the words before the figure
    relative: re.Pattern[str]  # a comparison with another place (高于全省)
    region_tail: re.Pattern[str]  # a region word ending the words before the figure
    collective: re.Pattern[str]  # a list spelled out before its quoted collective name
    predicate: re.Pattern[str]  # what opens the predicate after a list of subjects
    invest: re.Pattern[str]
    benefit: re.Pattern[str]
    budget: re.Pattern[str]  # money set aside, at the end of the words before the figure
    purpose: re.Pattern[str]  # what opens a clause naming what the money is for
    comparison: re.Pattern[str]  # what opens a clause that only compares
    conjunction: re.Pattern[str]
    shared_tail: re.Pattern[str]
    respective: re.Pattern[str]
    steps: tuple[str, ...]  # the step ids, in order


def _lists() -> dict[str, tuple[list[str], list[str]]]:
    out: dict[str, tuple[list[str], list[str]]] = {}
    for entry in load_table("naming.toml")["list"]:
        words, patterns = out.setdefault(entry["list"], ([], []))
        words.extend(entry.get("words", []))
        patterns.extend(entry.get("patterns", []))
    return out


@cache
def naming() -> Naming:
    """The naming data, compiled once."""
    lists = _lists()

    def alt(name: str) -> str:
        words, patterns = lists[name]
        return "|".join(([alternation(words)] if words else []) + patterns)

    trail_words = lists["trail"][0]
    table = load_table("naming.toml")
    return Naming(
        lead=re.compile(f"^(?:{alt('lead')})+"),
        framing_inside=re.compile(alt("framing_inside")),
        trail=re.compile(f"(?:{alt('trail')})+$"),
        trail_last=frozenset(word[-1] for word in trail_words),
        verb_only=re.compile(f"^(?:{alt('verb_only')})$"),
        not_noun=re.compile(f"^(?:{alt('not_noun')})"),
        verb_tail=re.compile(f"(?:{alt('verb_tail')})了?$"),
        attribute=re.compile(f"^(?:{alt('attribute')})$"),
        total=re.compile(f"^(?:{alt('total')})$"),
        relative=re.compile(f"^(?:{alt('relative')})"),
        region_tail=re.compile(f"(?:{alt('region')})$"),
        collective=re.compile(alt("collective")),
        predicate=re.compile(alt("predicate")),
        verb_head=re.compile(f"^(?:全面|加快|着力|积极|大力|重点|继续)?({alt('verb_tail')})了?"),
        invest=re.compile(f"(?:{alt('invest')})$"),
        benefit=re.compile(f"(?:{alt('benefit')})$"),
        budget=re.compile(f"(?:{alt('budget')})$"),
        purpose=re.compile(f"^(?:{alt('purpose')})了?"),
        comparison=re.compile(f"^(?:{alt('comparison')})"),
        conjunction=re.compile(f"(?:{alt('conjunction')})$"),
        shared_tail=re.compile(f"(?:{alt('shared_tail')})"),
        respective=re.compile(f"分别({alt('respective_verb')})?"),
        steps=tuple(step["id"] for step in table["step"]),
    )


def _lead(name: str) -> str:
    return naming().lead.sub("", name)


def _strip_trail(name: str) -> str:
    words = naming()
    return words.trail.sub("", name) if name and name[-1] in words.trail_last else name


def _verb_only(name: str) -> bool:
    return naming().verb_only.match(name) is not None


_NOUN_REACH = 16
_NOUN_AFTER = re.compile(r"[\u4e00-\u9fff“”A-Za-z]{2,%d}" % _NOUN_REACH)  # match(text, pos)
_WORDS_AFTER = re.compile(r"[\u4e00-\u9fff“”A-Za-z]{1,%d}" % _NOUN_REACH)
# after a comma only with a verb: 投资6.6亿元,实施两河圣山…建设 (a bare comma starts the next item)
_NAMED_AFTER = re.compile(r"(的|[，,](?:实施|建设|推进|新建|建成|启动|完成|开工建设|加快))"
                          r"([\u4e00-\u9fff“”A-Za-z]{4,24})")
# 由2010年的162.4亿元增加到2015年的(287.9亿元): the start value and the dates go
# dates and baselines inside the name: 有效发明专利比2020年增长, 国家外汇储备2000年底达
_YEARS = re.compile(r"(?:从|自)?(?:19|20)\d\d年(?:到|至)(?:19|20)\d\d年|"
                    r"(?:比|较|与|同)?(?:19|20)\d\d年(?:底|末|以来|前)?(?:相比)?|"
                    r"(?<=[\u4e00-\u9fff])(?:比|较)(?:去年|上年)(?:同期)?(?=[\u4e00-\u9fff])")
_FROM_TO = re.compile(r"(从|由)[^，,；;。]*?(提高|增加|增长|扩大|降低|下降|缩小|减少|上升|提升|增)?(到|至)"
                      r"(((19|20)\d\d年|去年|上年|今年)(底|末)?的?)?$")
# (5G, 世界500强: a number inside a name is no figure to cut at)
_FIGURE = re.compile(r"(?<![A-Za-z\d.])(?!(?:19|20)\d\d年)(?![\d.]*[A-Za-z强])\d[\d.,]*(多|余)?[万亿千]?[^\u4e00-\u9fff\s]{0,2}"
                     r"(元|人|个|所|项|家|户|吨|亩|公里|平方米|年|条|座|套|张|次|名|位|%)?")
_CHANGE_TAIL = re.compile(r"(增长|下降|提高|增加|减少)$")


@dataclass(frozen=True)
class Site:
    """Where a figure stands, and what the steps read around it."""

    text: str
    start: int
    end: int
    clause_start: int  # where the clause begins (after ，；：)
    list_start: int  # where the list item begins (after a 、 or the previous quantity)
    previous: str  # the indicator of the quantity before it in the same sentence
    own: str  # the words of its own list item before it, framing stripped
    noun: str  # what it counts, when a noun follows it
    value: float | None = None  # the figure's value, when known


def _own(text: str, list_start: int, start: int) -> str:
    own = _FROM_TO.sub("", text[list_start:start])
    if "年" in own:
        own = _YEARS.sub("", own)
    if _FIGURE.search(own):
        # other figures (excluded ones) stand in between: keep what follows them when it
        # names something, else drop the figures
        tail = _FIGURE.split(own)[-1]
        tail = _lead(_strip_trail(tail))
        own = tail if len(tail) >= 2 and not _verb_only(tail) else _FIGURE.sub("", own)
    own = _lead(_strip_trail(own))
    if "“" in own:
        own = _collective(own)
    return naming().framing_inside.sub("", own) if len(own) > 2 else own


# a bracketed gloss inside a counted noun: 县（市、区）, 套（间）
_GLOSS = re.compile(r"[（(][\u4e00-\u9fff、，,]{1,8}[）)]")


def _noun_after(text: str, end: int) -> str:
    """The words right after the figure, across a bracketed gloss: 2.5万套（间）城市危旧房,
    29个扩权赋能县（市）率先高质量发展."""
    gloss = _GLOSS.match(text, end)
    if gloss:
        end = gloss.end()
    after = _WORDS_AFTER.match(text, end)
    if after is None:
        return ""
    noun = after.group()
    gloss = _GLOSS.match(text, after.end())
    if len(noun) < 2 and not gloss:
        return ""
    if gloss and len(noun) < _NOUN_REACH:
        more = _WORDS_AFTER.match(text, gloss.end())
        noun += gloss.group() + (more.group()[:_NOUN_REACH - len(noun)] if more else "")
    return noun


_NUMERALS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _collective(own: str) -> str:
    """电动汽车、锂电池、光伏产品“新三样”出口 -> “新三样”出口: a list spelled out before its
    quoted collective name goes, when the name counts its items."""
    match = naming().collective.search(own)
    if match is None:
        return own
    items = len(_MEMBERS.split(match.group("list")))
    if any(_NUMERALS.get(ch) == items for ch in match.group("term")):
        return own[match.end("list"):]
    return own


# after the counted noun: more items of a list, up to 等 and the class they belong to, or up
# to the 的 of the head noun they modify (专题教育、家长课堂等活动; 吸引力强、带动面广的消费场景)
_NOUN_LIST = re.compile(r"、[\u4e00-\u9fff、“”]{1,24}?(等[\u4e00-\u9fff]{1,6}|的[\u4e00-\u9fff]{2,8})"
                        r"(?=[，,；;。！？!?\n]|$)")


def _noun(text: str, end: int, own: str) -> str:
    noun = _noun_after(text, end)
    noun = noun if noun and not naming().not_noun.match(noun) else ""
    if noun and text.startswith("、", end + len(noun)):
        more = _NOUN_LIST.match(text, end + len(noun))
        if more:
            noun += more.group()
    after = _NOUN_AFTER.match(text, end)
    if not noun and after and after.group().startswith("的") and len(after.group()) >= 3 \
            and (not own or len(own) <= 3):
        noun = after.group()[1:]  # 完成800户的改造任务: what the figure counts follows 的
    return noun


def _step_respective(site: Site) -> str | None:
    return _respective(site.text, site.clause_start, site.start) or None


def _step_share_of_previous(site: Site) -> str | None:
    if site.own.startswith("占") and site.previous:
        base = _CHANGE_TAIL.sub("", site.previous)
        return _clean(base + site.own + ("" if site.own.endswith("比重") else "比重"))
    return None


def _step_invest_named_after(site: Site) -> str | None:
    invest = naming().invest.search(site.own)
    if invest:
        # 投资4800万元的成吉思汗广场改造提升工程 / 投资6.6亿元,实施两河圣山…建设
        named = _NAMED_AFTER.match(site.text, site.end)
        if named:
            return _clean(_lead(named.group(2)) + invest.group())
    return None


_CLAUSE_SPLIT = re.compile(r"[，,]")
_MEMBERS = re.compile(r"、|和|及|与")
_SENTENCE_STOP = re.compile(r"[。；;！？!?\n：:]")
_FOR = re.compile(r"^为了?")
_PURPOSE_REACH = 20


def _purpose_object(clause: str, marker: str) -> str:
    """What the money is for, from the clause after its marker: figures and the words before
    the last of them go (完成54栋住宅楼、14万平方米既有建筑节能改造 -> 既有建筑节能改造)."""
    rest = clause[len(marker):]
    if _FIGURE.search(rest):
        tail = _FIGURE.split(rest)[-1]
        rest = tail if len(tail) >= 2 else _FIGURE.sub("", rest)
    rest = re.sub(r"^(人次|次|以上|以下|左右|的|了|共|多|余|个|项|条)+", "", rest)
    return rest[:_PURPOSE_REACH]


def _step_budget_purpose(site: Site) -> str | None:
    own, text, clause_start = site.own, site.text, site.clause_start
    words = naming()
    budget = words.budget.search(own)
    if budget is None or site.noun:
        return None
    opens = clause_start == 0 or text[clause_start - 1] in "。；;！？!?\n"
    invest = "投资" in budget.group()
    if budget.start() > 0 and invest:
        return None  # 中俄蒙国际汽车产业园完成投资: the subject names what is invested in
    if budget.start() == 0 and not (opens and site.list_start == clause_start):
        return None  # …工程，投资1168万元: the clause before names the project
    stop = _SENTENCE_STOP.search(text, site.end)
    after = text[site.end + 1:stop.start() if stop else len(text)] \
        if text[site.end:site.end + 1] in "，," else ""
    for clause in _CLAUSE_SPLIT.split(after)[:3] if after else ():
        purpose = words.purpose.match(clause)
        if purpose:
            named = _purpose_object(clause, purpose.group())
            if len(named) < 2:
                return None
            if invest:
                return _clean(named + budget.group())
            marker = purpose.group() if purpose.group().endswith(("用于", "支持")) else ""
            return _clean(own + marker + named)
        if not words.comparison.match(clause):
            break
    if not invest and clause_start > 0 and text[clause_start - 1] in "，,":
        before = _clause_before(text, clause_start, 20)
        cause = _FOR.match(before)
        if cause and len(before) - cause.end() >= 2:
            return _clean(own + before[cause.end():])  # 为加快…建设，中央财政将安排…
    return None


def _step_examples_then_noun(site: Site) -> str | None:
    if site.noun and site.own.endswith("等"):
        return _clean(site.noun)
    return None


def _step_benefit(site: Site) -> str | None:
    own, noun, text = site.own, site.noun, site.text
    if noun and naming().benefit.search(own) and len(own) > 4:
        return _clean(own + noun)  # 国家助学贷款提标降息惠及1100多万学生
    if noun and naming().benefit.search(own):
        clause_start, list_start = site.clause_start, site.list_start
        head = _lead(text[clause_start:list_start]) if list_start > clause_start else ""
        if not head and clause_start > 0 and text[clause_start - 1] in "，,":
            head = _clause_before(text, clause_start, 19)
        return _clean(_FIGURE.sub("", _lead(head)).rstrip("、，, ") + own + noun)
    return None


def _step_verb_noun(site: Site) -> str | None:
    own, noun = site.own, site.noun
    words = naming()
    region = words.region_tail.search(own) if noun else None
    if region and 0 < region.start() <= 4:
        # 动员全省超8000名志愿者: the region between the verb and the figure goes
        return _clean(own[:region.start()] + noun)
    if noun and (not own or len(own) <= 3 or words.verb_tail.search(own)
                 or words.conjunction.search(own)):
        verb = words.verb_tail.search(own)
        return _clean((verb.group().rstrip("了") if verb else "") + noun)
    return None


def _step_list_subject(site: Site) -> str | None:
    own, text = site.own, site.text
    if site.list_start > site.clause_start and (not own or _verb_only(own)
                                                or naming().relative.match(own)):
        head = text[site.clause_start:site.list_start]
        subject = _lead(re.split(r"[、]", head)[0])
        subject = re.sub(r"[\d.]+[^\u4e00-\u9fff]*$", "", subject)
        base = _CHANGE_TAIL.sub("", site.previous or subject)
        if own:
            return _clean(base + own)
        return _clean(base) or _clean(head)
    return None


def _step_attribute_of_clause_before(site: Site) -> str | None:
    own, text, clause_start = site.own, site.text, site.clause_start
    if (own and naming().attribute.match(own) and not site.noun
            and site.list_start == clause_start and clause_start > 0
            and text[clause_start - 1] in "，,；;：:"):
        head = _clause_before(text, clause_start, 15)
        head = re.sub(r"[\d.]+[^\u4e00-\u9fff]*", "", _lead(head))
        return _clean(head + own)
    return None


def _step_total_of_list(site: Site) -> str | None:
    own, text = site.own, site.text
    if (own and naming().total.match(own) and not site.noun
            and site.list_start > site.clause_start):
        head = _FIGURE.sub("", text[site.clause_start:site.list_start]).rstrip("、，, ")
        return _clean(_lead(head) + own) if len(head) >= 2 else None
    return None


def _step_named_members(site: Site) -> str | None:
    own, noun = site.own, site.noun
    if not noun or site.value is None or site.value < 2:
        return None
    items = _MEMBERS.split(own)
    if len(items) != site.value or not all(items):
        return None
    verb = naming().verb_head.match(own)
    return _clean((verb.group(1) if verb else "") + noun)


def _step_list_shared_tail(site: Site) -> str | None:
    text, end = site.text, site.end
    if not site.own and not site.noun and text[end:end + 1] == "、":
        stop = re.search(r"[，,；;。！？!?\n]", text[end:end + 80])
        tail = _FIGURE.split(text[end:end + (stop.start() if stop else 80)])[-1]
        shared = re.search(r"[\u4e00-\u9fff“”]{2,16}$", tail)
        if shared:
            return _clean(shared.group())
    return None


def _step_verb_and_after(site: Site) -> str | None:
    # 完成30条区管道路空洞检测 / 增长3.9%: the verb and the noun that follows
    own = site.own
    if own and not _verb_only(own):
        return None
    after = _NOUN_AFTER.match(site.text, site.end)
    noun = re.sub(r"^(的|以上|以内|左右|多|余)+", "", after.group() if after else "")
    if own and site.previous and not noun:
        return None  # the previous subject names it
    if noun and not _verb_only(noun):
        return _clean(own + noun)
    return None


def _step_previous_subject(site: Site) -> str | None:
    own = site.own
    if (not own or _verb_only(own)) and site.previous:
        return _clean(_CHANGE_TAIL.sub("", site.previous) + own)
    return None


def _step_clause_before(site: Site) -> str | None:
    own, text, clause_start = site.own, site.text, site.clause_start
    if own and not _verb_only(own):
        return None
    rest = _FROM_TO.sub("", text[clause_start:site.start])
    if not _lead(_strip_trail(rest)):
        rest = ""  # 将由去年的1076亿元增加到1562亿元: framing alone names nothing
    if not rest and clause_start > 0 and text[clause_start - 1] in "，,":
        # …的人口地区覆盖率，由1997年的65%提高到2002年的91%: the clause before names it
        return _clean(_lead(_clause_before(text, clause_start, 30)))
    return _clean(rest or text[clause_start:site.start])


def _step_own(site: Site) -> str | None:
    return _clean(site.own)


Step = Callable[[Site], str | None]
_STEPS: tuple[tuple[str, Step], ...] = (
    ("indicator.respective", _step_respective),
    ("indicator.share-of-previous", _step_share_of_previous),
    ("indicator.invest-named-after", _step_invest_named_after),
    ("indicator.budget-purpose", _step_budget_purpose),
    ("indicator.named-members", _step_named_members),
    ("indicator.examples-then-noun", _step_examples_then_noun),
    ("indicator.benefit", _step_benefit),
    ("indicator.verb-noun", _step_verb_noun),
    ("indicator.list-subject", _step_list_subject),
    ("indicator.attribute-of-clause-before", _step_attribute_of_clause_before),
    ("indicator.total-of-list", _step_total_of_list),
    ("indicator.list-shared-tail", _step_list_shared_tail),
    ("indicator.verb-and-after", _step_verb_and_after),
    ("indicator.previous-subject", _step_previous_subject),
    ("indicator.clause-before", _step_clause_before),
    ("indicator.own", _step_own),
)
STEP_IDS = tuple(rule for rule, _ in _STEPS)


def indicator_for(text: str, start: int, end: int, clause_start: int, list_start: int,
                  previous: str, value: float | None = None) -> str:
    """Name of what the quantity at ``[start, end)`` measures (see ``name_indicator``)."""
    return name_indicator(text, start, end, clause_start, list_start, previous, value)[0]


def name_indicator(text: str, start: int, end: int, clause_start: int, list_start: int,
                   previous: str, value: float | None = None) -> tuple[str, str]:
    """Name of what the quantity at ``[start, end)`` measures, and the id of the step that
    named it.

    ``clause_start`` is where the clause begins (after ，；：); ``list_start`` where the
    list item begins (after a 、 or the previous quantity in the same clause).
    ``previous`` is the indicator of the quantity before it in the same sentence; ``value``
    the figure's value, when known.
    """
    own = _own(text, list_start, start)
    site = Site(text, start, end, clause_start, list_start, previous, own,
                _noun(text, end, own), value)
    for rule, step in _STEPS:
        name = step(site)
        if name is not None:
            return name, rule
    return "", "indicator.none"  # (indicator.own always decides)


_ITEM_SEP = re.compile(r"[、和及与]")


def _respective(text: str, clause_start: int, start: int) -> str:
    """A、B、C分别增长x%、y%、z%: the i-th figure measures the i-th item."""
    if text.find("分别", clause_start, start) < 0:
        return ""
    words = naming()
    matches = list(words.respective.finditer(text, clause_start, start))
    match = matches[-1] if matches else None
    if match is None:
        return ""
    between = text[match.end():start]
    if re.search(r"[，,；;。]", between):
        return ""
    index = len(_ITEM_SEP.findall(between))  # 8.7%、31.5%和32.3%: the third
    subject = _lead(_YEARS.sub("", text[clause_start:match.start()]))
    if not subject and clause_start > 0 and text[clause_start - 1] in "，,":
        # 农村居民人均纯收入和城镇居民人均可支配收入，2000年分别达到2253元和6280元
        subject = _lead(_clause_before(text, clause_start, 40))
        # …和草原综合植被盖度稳步提升，分别达到…: the clause's predicate is no part of an item
        last_sep = max(subject.rfind(sep) for sep in "、和及与")
        predicate = words.predicate.search(subject, last_sep + 2) if last_sep >= 0 else None
        if predicate:
            subject = subject[:predicate.start()]
    items = [i for i in re.split(r"[、和及与]", subject) if i]
    if len(items) < 2 or index >= len(items):
        return ""
    item = items[index]
    last = items[-1]
    if index < len(items) - 1:
        shared = words.shared_tail.search(last)
        if shared and not words.shared_tail.search(item):
            item += last[shared.start():]  # 先进制造业、高技术制造业增加值占…比重
        elif len(item) <= 3 and len(last) > len(item):
            item += last[-2:]  # 涉诈、涉毒警情 -> 涉诈警情
    verb = match.group(1) or ""
    return _clean(item + (verb if _verb_only(verb) or verb.endswith("增长") else ""))


_CLAUSE_END = re.compile(r"[，,；;。：:\n]")


def _clause_before(text: str, clause_start: int, reach: int) -> str:
    """The clause that ends just before ``clause_start`` (at its ，；：), at most ``reach``
    characters of it."""
    window = text[max(0, clause_start - 1 - reach):max(0, clause_start - 1)]
    return _CLAUSE_END.split(window)[-1]


_QUOTE_MARKS = re.compile(r"[“”‘’\"《》]")
# (及/与 also end words: 惠及, 参与, 涉及)
_JOINS = re.compile(r"^(的|了|为)(?=..)|(和|、|(?<![惠参涉给赋顾普波触企以危累授])[及与])$")


def _clean(name: str) -> str:
    name = _QUOTE_MARKS.sub("", name.strip(" 、，,“”\""))
    # a joining word at either end belongs to the list around the figure, not to its name
    if name and (name[0] in "的了为" or name[-1] in "和、及与"):
        name = _JOINS.sub("", name)
    return name[-30:]


_MARKS = re.compile("[" + re.escape(_CLAUSE_BREAK + "）)”》（(“《") + "]")


_CLAUSE_REACH = 1000  # no real clause is longer; a "sentence" of 20,000 figures must stay linear


def clause_bounds(text: str, sent_start: int, pos: int) -> int:
    """Start of the clause containing ``pos`` (after the last ，；： before it, outside brackets),
    looked for within ``_CLAUSE_REACH`` characters before ``pos``."""
    depth = 0
    sent_start = max(sent_start, pos - _CLAUSE_REACH)
    for match in reversed(list(_MARKS.finditer(text, sent_start, pos))):
        ch = match.group()
        if ch in "）)”》":
            depth += 1
        elif ch in "（(“《":
            if not depth:
                return match.end()
            depth -= 1
        elif depth == 0:
            if ch in ":∶" and text[match.start() - 1:match.start()].isdigit():
                continue  # 2.50:1 is a ratio, not a clause break
            return match.end()
    return sent_start
