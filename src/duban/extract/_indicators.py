"""The indicator a quantity measures, in the report's own words (新增就业, 城乡居民养老保险参保率)."""
from __future__ import annotations

import re

_CLAUSE_BREAK = "，,；;：:。！？!?\n（）()"
# words at the start of a clause that do not name the indicator
_LEAD = re.compile(
    r"^(其中|同时|另外|此外|并且|并|以及|和|与|及|等|全年|今年底|今年内|今年|去年底|去年|上年|当年|年内|年底|"
    r"年末|目前|截至[^，]{0,8}|"
    r"初步统计|预计|力争|确保|争取|努力|力求|计划|预期|拟安排|拟发行|拟|要|将|使|让|实现|推动|推进|促进|"
    r"到20\d\d年(底|末)?前?|20\d\d年(底|末)?前?|\d{4}年以来|五年来|一年来|过去五年|过去一年|五年|"
    r"全省|全市|全区|全县|全国|我省|我市|我区|全自治区|全旗|全州|累计|共|总计|合计|均|都|也|还|又|更|"
    r"按可比口径|按可比价格计算|按可比价|扣除价格因素|"
    r"分别|比上年|同比|较上年|年均|平均每年|每年平均|比(?:19|20)\d\d年(?:底|末)?|已有|已经|已|"
    r"(?:是|为|相当于)(?:19|20)\d\d年(?:底|末)?的?|"
    r"左右|以上|以内|以下)+"  # the comparator of the figure before (7%左右和8%左右)
)
# words at the end of the text before the number that link it, not name it
_TRAIL_WORDS = (
    "分别|同比|比上年|较上年|年均|平均|累计|均|总计|共计|共|为|是|达到|达|在|至|到|超过|突破|超|约|近|"
    "不低于|不少于|不超过|控制在|保持在|稳定在|提高到|提升到|增加到|增至|降至|降到|下降到|缩小到|扩大到|"
    "上升到|控制|保持|稳定|高于|低于|以上|左右|的|了|有|之|今年|年内|全年|当年|继续|持续|将|每人每年|每人每月|每人|每年|发展到|增长到|减少到|完成|实现|拟按|拟|，|、|∶|:"
).split("|")
_TRAIL = re.compile("(" + "|".join(map(re.escape, _TRAIL_WORDS)) + ")+$")
# a trailing word ends the string, so a string whose last character ends none is left alone
_TRAIL_LAST = frozenset(word[-1] for word in _TRAIL_WORDS)


def _strip_trail(name: str) -> str:
    return _TRAIL.sub("", name) if name and name[-1] in _TRAIL_LAST else name


_VERB_ONLY = re.compile(r"^(增长|下降|提高|增加|减少|降低|提升|上升|扩大|缩小|回落|分别增长|分别下降|增幅|降幅)$")
_NOUN_AFTER = re.compile(r"[\u4e00-\u9fff“”A-Za-z]{2,16}")  # used with match(text, pos)
_NOT_NOUN = re.compile(r"^(以上|以下|以内|左右|多|余|增长|下降|同比|比上年|的|和|、|，|安排|用于)")
# a verb right before the number: the counted noun follows (新建3所学校, 推进21个先行片区)
_VERB_TAIL = re.compile(
    r"(实施|完成|建设|新建|建成|改造|提升|改造提升|打造|推进|开展|培育|新培育|引进|新增|举办|组织|投入|"
    r"改扩建|新开|开通|帮扶|覆盖|惠及|带动|吸引|设立|创建|认定|入选|推动|支持|启动|实现|发放|救助|"
    r"培训|招引|签约|落地|开工|竣工|投用|达|获得|获批|争取|创成|新改建|治理|整治|修复|种植|造林|"
    r"安置|转移|资助|减免|减轻|筹集|解决|服务|接待|吸纳|招收|招聘|新招|选派|建立|布局|规划|保障)了?$"
)
# words that name an attribute of something the clause before names (…工程，投资1168万元)
_ATTRIBUTE = re.compile(r"^(总?投资|完成投资|产值|产量|面积|规模|长度|里程|金额|资金|收入|用地)$")
_CONJ_TAIL = re.compile(r"(和|及|与|以及|、|或)$")
_INVEST = re.compile(r"(总投资|投资|计划投资|完成投资)$")
# after a comma only with a verb: 投资6.6亿元,实施两河圣山…建设 (a bare comma starts the next item)
_NAMED_AFTER = re.compile(r"(的|[，,](?:实施|建设|推进|新建|建成|启动|完成|开工建设|加快))"
                          r"([\u4e00-\u9fff“”A-Za-z]{4,24})")
_BENEFIT = re.compile(r"(惠及|受益|覆盖|带动|吸纳|服务)$")
# 由2010年的162.4亿元增加到2015年的(287.9亿元): the start value and the dates go
# dates and baselines inside the name: 有效发明专利比2020年增长, 国家外汇储备2000年底达
_YEARS = re.compile(r"(?:从|自)?(?:19|20)\d\d年(?:到|至)(?:19|20)\d\d年|"
                    r"(?:比|较|与|同)?(?:19|20)\d\d年(?:底|末|以来|前)?(?:相比)?|"
                    r"(?<=[\u4e00-\u9fff])(?:比|较)(?:去年|上年)(?:同期)?(?=[\u4e00-\u9fff])")
_FROM_TO = re.compile(r"(从|由)[^，,；;。]*?(提高|增加|增长|扩大|降低|下降|缩小|减少|上升|提升|增)?(到|至)"
                      r"((19|20)\d\d年(底|末)?的?)?$")
_FIGURE = re.compile(r"(?<![A-Za-z\d.])(?!(?:19|20)\d\d年)\d[\d.,]*(多|余)?[万亿千]?[^\u4e00-\u9fff\s]{0,2}"
                     r"(元|人|个|所|项|家|户|吨|亩|公里|平方米|年|条|座|套|张|次|名|位|%)?")


def indicator_for(text: str, start: int, end: int, clause_start: int, list_start: int,
                  previous: str) -> str:
    """Name of what the quantity at ``[start, end)`` measures.

    ``clause_start`` is where the clause begins (after ，；：); ``list_start`` where the
    list item begins (after a 、 or the previous quantity in the same clause).
    ``previous`` is the indicator of the quantity before it in the same sentence.
    """
    respective = _respective(text, clause_start, start)
    if respective:
        return respective
    own = _FROM_TO.sub("", text[list_start:start])
    if "年" in own:
        own = _YEARS.sub("", own)
    if _FIGURE.search(own):
        # other figures (excluded ones) stand in between: keep what follows them when it
        # names something, else drop the figures
        tail = _FIGURE.split(own)[-1]
        tail = _LEAD.sub("", _strip_trail(tail))
        own = tail if len(tail) >= 2 and not _VERB_ONLY.match(tail) else _FIGURE.sub("", own)
    own = _LEAD.sub("", _strip_trail(own))
    if own.startswith("占") and previous:
        # 无人机产量增长39%、占全国9成: the share is of the previous subject
        base = re.sub(r"(增长|下降|提高|增加|减少)$", "", previous)
        return _clean(base + own + ("" if own.endswith("比重") else "比重"))
    after = _NOUN_AFTER.match(text, end)
    noun = after.group() if after and not _NOT_NOUN.match(after.group()) else ""
    if not noun and after and after.group().startswith("的") and len(after.group()) >= 3 \
            and (not own or len(own) <= 3):
        noun = after.group()[1:]  # 完成800户的改造任务: what the figure counts follows 的
    invest = _INVEST.search(own)
    if invest:
        # 投资4800万元的成吉思汗广场改造提升工程 / 投资6.6亿元,实施两河圣山…建设
        named = _NAMED_AFTER.match(text, end)
        if named:
            return _clean(_LEAD.sub("", named.group(2)) + invest.group())
    if noun and own.endswith("等"):
        # 揭阳中石油炼化一体化等23个重大工业项目: the examples come first, the counted noun after
        return _clean(noun)
    if noun and _BENEFIT.search(own) and len(own) <= 4:
        # 个人所得税专项附加扣除惠及6600多万纳税人: who benefits from what
        head = _LEAD.sub("", text[clause_start:list_start]) if list_start > clause_start else ""
        if not head and clause_start > 0 and text[clause_start - 1] in "，,":
            head = _clause_before(text, clause_start, 19)
        return _clean(_FIGURE.sub("", _LEAD.sub("", head)) + own + noun)
    if noun and (not own or len(own) <= 3 or _VERB_TAIL.search(own) or _CONJ_TAIL.search(own)):
        # 建设一座标志性公园, 推进21个先行片区, 87项专利获得国家授权
        verb = _VERB_TAIL.search(own)
        return _clean((verb.group().rstrip("了") if verb else "") + noun)
    if list_start > clause_start and (not own or _VERB_ONLY.match(own)):
        # 、增长4.4% / 分别增长4.4%、5.6%: the subject is the clause's or the previous one's
        head = text[clause_start:list_start]
        subject = _LEAD.sub("", re.split(r"[、]", head)[0])
        subject = re.sub(r"[\d.]+[^\u4e00-\u9fff]*$", "", subject)
        base = previous or subject
        base = re.sub(r"(增长|下降|提高|增加|减少)$", "", base)
        if own:
            return _clean(base + own)
        return _clean(base) or _clean(head)
    if (own and _ATTRIBUTE.match(own) and not noun
            and list_start == clause_start and clause_start > 0
            and text[clause_start - 1] in "，,；;：:"):
        # 投资1168万元 after a clause naming the project: the subject is that clause
        head = _clause_before(text, clause_start, 15)
        head = re.sub(r"[\d.]+[^\u4e00-\u9fff]*", "", _LEAD.sub("", head))
        return _clean(head + own)
    if not own and not noun and text[end:end + 1] == "、":
        # 96户、183人实现全部脱贫: the list shares what follows its last item
        stop = re.search(r"[，,；;。！？!?\n]", text[end:end + 80])
        tail = _FIGURE.split(text[end:end + (stop.start() if stop else 80)])[-1]
        shared = re.search(r"[\u4e00-\u9fff“”]{2,16}$", tail)
        if shared:
            return _clean(shared.group())
    if not own or _VERB_ONLY.match(own):
        # 完成30条区管道路空洞检测 / 增长3.9%: take the verb and the noun that follows,
        # or the previous quantity's subject
        after = _NOUN_AFTER.match(text, end)
        noun = after.group() if after else ""
        noun = re.sub(r"^(的|以上|以内|左右|多|余)+", "", noun)
        if own and previous and not noun:
            return _clean(re.sub(r"(增长|下降|提高|增加|减少)$", "", previous) + own)
        if noun and not _VERB_ONLY.match(noun):
            return _clean(own + noun)
        if previous:
            return _clean(re.sub(r"(增长|下降|提高|增加|减少)$", "", previous) + own)
        rest = _FROM_TO.sub("", text[clause_start:start])
        if not rest and clause_start > 0 and text[clause_start - 1] in "，,":
            # …的人口地区覆盖率，由1997年的65%提高到2002年的91%: the clause before names it
            head = _clause_before(text, clause_start, 30)
            return _clean(_LEAD.sub("", head))
        return _clean(rest or text[clause_start:start])
    return _clean(own)


_RESPECTIVE = re.compile(r"分别(为|是|达到|达|增长|下降|提高|降低|增加|减少|提升|占|完成|实现|增至|降至|"
                         r"突破|超过|比上年增长|同比增长|年均增长)?")


_ITEM_SEP = re.compile(r"[、和及与]")
_SHARED_TAIL = re.compile(r"(增加值|占|比重|产量|产值|收入|总额|规模|标准|率|额)")


def _respective(text: str, clause_start: int, start: int) -> str:
    """A、B、C分别增长x%、y%、z%: the i-th figure measures the i-th item."""
    if text.find("分别", clause_start, start) < 0:
        return ""
    matches = list(_RESPECTIVE.finditer(text, clause_start, start))
    match = matches[-1] if matches else None
    if match is None:
        return ""
    between = text[match.end():start]
    if re.search(r"[，,；;。]", between):
        return ""
    index = len(_ITEM_SEP.findall(between))  # 8.7%、31.5%和32.3%: the third
    subject = _LEAD.sub("", _YEARS.sub("", text[clause_start:match.start()]))
    if not subject and clause_start > 0 and text[clause_start - 1] in "，,":
        # 农村居民人均纯收入和城镇居民人均可支配收入，2000年分别达到2253元和6280元
        subject = _clause_before(text, clause_start, 40)
        subject = _LEAD.sub("", subject)
    items = [i for i in re.split(r"[、和及与]", subject) if i]
    if len(items) < 2 or index >= len(items):
        return ""
    item = items[index]
    last = items[-1]
    if index < len(items) - 1:
        shared = _SHARED_TAIL.search(last)
        if shared and not _SHARED_TAIL.search(item):
            item += last[shared.start():]  # 先进制造业、高技术制造业增加值占…比重
        elif len(item) <= 3 and len(last) > len(item):
            item += last[-2:]  # 涉诈、涉毒警情 -> 涉诈警情
    verb = match.group(1) or ""
    return _clean(item + (verb if _VERB_ONLY.match(verb) or verb.endswith("增长") else ""))


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


def clause_bounds(text: str, sent_start: int, pos: int) -> int:
    """Start of the clause containing ``pos`` (after the last ，；： before it, outside brackets)."""
    depth = 0
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
