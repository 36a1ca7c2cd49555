"""Numerals: Arabic with separators and decimals, Chinese (三所, 两个, 十万, 一千二百), multipliers."""
from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10_000, "亿": 100_000_000}
MULTIPLIERS = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "千万": 1e7, "百万": 1e6,
               "十万": 1e5, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}
CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
MAGNITUDE_CHARS = set("百千万亿")  # 十万户 is a numeral; 百亿, 千万, 亿 alone need a cue


def parse_arabic(text: str) -> float:
    return float(text.replace(",", ""))


def parse_chinese(text: str) -> float | None:
    """Value of a Chinese numeral, or None when it is not one (十四五, 一二三)."""
    if not text:
        return None
    total = 0
    section = 0  # below 万
    number = None  # pending digit
    last_small = 10_000
    for ch in text:
        if ch in _DIGITS:
            if number is not None:
                return None  # two digits in a row: 一二, 十四五 read as 十四 then 五
            number = _DIGITS[ch]
        elif ch in _SMALL:
            unit = _SMALL[ch]
            if unit >= last_small:
                return None
            section += (1 if number is None else number) * unit
            number = None
            last_small = unit
        elif ch in _LARGE:
            unit = _LARGE[ch]
            section += number or 0
            if section == 0 and total:
                total *= unit  # 万亿: consecutive large units multiply
            else:
                section = section or 1
                total = (total + section) * unit if unit > total else total + section * unit
            section, number, last_small = 0, None, 10_000
        else:
            return None
    if number is not None:
        # a trailing digit after a small unit means the next lower place: 一千二 -> 1200
        section += number * (last_small // 10 if last_small < 10_000 and last_small > 10 else 1)
    return float(total + section)


def parse_chinese_decimal(text: str) -> float | None:
    """A Chinese numeral with decimal places read digit by digit: 八点五 -> 8.5, 九十四·三 -> 94.3
    (older reports write 百分之二十八点八); a whole numeral as parse_chinese."""
    for mark in ("点", "·"):
        if mark in text:
            whole, _, places = text.partition(mark)
            head = parse_chinese(whole)
            if head is None or not places or any(ch not in _DIGITS for ch in places):
                return None
            return head + float("0." + "".join(str(_DIGITS[ch]) for ch in places))
    return parse_chinese(text)


def is_magnitude_only(text: str) -> bool:
    """百亿, 千万, 万亿, 亿: a magnitude with no digit, which needs a cue (上亿, 突破百亿)."""
    return bool(text) and all(ch in MAGNITUDE_CHARS for ch in text)
