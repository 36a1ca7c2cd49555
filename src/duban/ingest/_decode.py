"""Bytes to text: the encoding a byte-order mark names, else the reading that is Chinese.

A file without a mark is read as UTF-8 when it is UTF-8. Otherwise every encoding a Chinese
report comes in (GB18030 with its subsets GBK and GB2312, Big5 and Big5-HKSCS, UTF-16, HZ)
is tried, and so are the Japanese and Korean ones; the reading whose letters are most often
common hanzi (``data/common_hanzi.txt``, simplified and traditional) wins when that share is
high enough. A wrong reading of CJK bytes is still "valid" (a Big5 report read as GB18030 is
all hanzi), but its hanzi are rare ones, so this share tells it, where a codec alone cannot.
A few bytes that do not decode are replaced by U+FFFD, with a warning naming their offsets.
"""
from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from ..errors import BinaryInput, EmptyInput, NotChinese
from ..rules import load_lexicon

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
# characters that show nothing: a file holding only these (and white space) is empty
_INVISIBLE = re.compile(r"[\s\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")
_ESCAPED = re.compile("[\udc80-\udcff]+")  # bytes surrogateescape kept: they did not decode
_KANA_HANGUL = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\uac00-\ud7a3\u1100-\u11ff"
                          "\u3130-\u318f]")

CHINESE_MIN = 0.6  # a right reading: 0.92-0.99 (reports, GB or Big5); a wrong one: 0.01-0.31
CHINESE_SURE = 0.85  # no other reading need be tried
FOREIGN_MIN = 0.2  # kana or hangul among the letters: Japanese or Korean, not Chinese
_SAMPLE = 64 * 1024  # bytes read to choose the encoding: some 20,000 hanzi
_HIGH = re.compile(rb"[\x80-\xff]")
_MAX_LISTED = 5  # byte offsets named in a warning

# (codec, name shown); Chinese first in the order of preference on a tie
_CHINESE = (("gb18030", "GB18030"), ("big5hkscs", "Big5-HKSCS"), ("cp950", "Big5"),
            ("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE"))
_FOREIGN = (("cp932", "Shift-JIS"), ("euc_jp", "EUC-JP"), ("cp949", "EUC-KR"))
_SEVEN_BIT = ((b"~{", "hz", "HZ-GB-2312", True), (b"\x1b$B", "iso2022_jp", "ISO-2022-JP", False),
              (b"\x1b$)C", "iso2022_kr", "ISO-2022-KR", False))
_BOMS = ((b"\x00\x00\xfe\xff", "utf-32", "UTF-32"), (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
         (b"\xef\xbb\xbf", "utf-8", "UTF-8"), (b"\xff\xfe", "utf-16", "UTF-16"),
         (b"\xfe\xff", "utf-16", "UTF-16"))


@dataclass(frozen=True)
class Decoded:
    """A file's text, the encoding it was read in, and what the reader had to repair."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Letters:
    letters: int  # letters outside ASCII: hanzi, kana, hangul ...
    common: int  # of which common hanzi
    kana: int
    hangul: int

    @property
    def share(self) -> float:
        return self.common / self.letters if self.letters else 0.0

    def foreign(self) -> str | None:
        """日文 or 韩文 when kana or hangul make a good part of the letters."""
        if self.letters < 10:
            return None
        if self.kana >= FOREIGN_MIN * self.letters:
            return "日文 Japanese"
        if self.hangul >= FOREIGN_MIN * self.letters:
            return "韩文 Korean"
        return None


@dataclass(frozen=True)
class _Reading:
    codec: str
    name: str
    text: str  # bytes that did not decode kept as U+DC80..U+DCFF
    bad: int  # runs of such bytes
    letters: _Letters | None  # counted when the choice needs them
    whole: bool  # the text of all the bytes, not of a sample


@cache
def common_hanzi() -> frozenset[str]:
    """The common hanzi of ``data/common_hanzi.txt``, simplified and traditional forms."""
    return frozenset(ch for line in load_lexicon("common_hanzi.txt") for ch in line.split())


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff" or "\uff66" <= ch <= "\uff9f"


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def count_letters(text: str) -> _Letters:
    """The letters outside ASCII of ``text``, and how many are common hanzi, kana, hangul."""
    counts = Counter(text)  # one pass in C; the loop below sees each character once
    common = common_hanzi()
    letters = hanzi = kana = hangul = 0
    for ch, n in counts.items():
        if ch < "\x80" or not ch.isalpha():
            continue
        letters += n
        if ch in common:
            hanzi += n
        elif _is_kana(ch):
            kana += n
        elif _is_hangul(ch):
            hangul += n
    return _Letters(letters, hanzi, kana, hangul)


def chinese_share(text: str) -> float:
    """The share of common hanzi among the letters outside ASCII (0 when there are none)."""
    return count_letters(text).share


def is_blank(text: str) -> bool:
    """Nothing but white space (full-width, no-break) and invisible characters (BOM, ZWSP)."""
    return not _INVISIBLE.sub("", text)


def decode_text(data: bytes, path: str) -> str:
    """Decode a text file the way ``Path.read_text`` would once the encoding is known."""
    return decode(data, path).text


def decode(data: bytes, path: str) -> Decoded:
    """The text of a file's bytes, with the encoding read and the warnings of its repairs.

    EmptyInput when nothing shows, NotChinese for a Japanese or Korean text, BinaryInput when
    no encoding reads it as text.
    """
    if not data.strip():
        raise EmptyInput(path)
    reading = _by_bom(data, path) or _choose(data, path)
    text, warnings = _replace_bad(data, reading, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        at = data.find(b"\x00")
        raise BinaryInput(path, f"第 {at} 字节是空字节 (NUL byte at {at})" if at >= 0
                          else "含有空字符 (NUL characters)")
    _check_textual(text, path)
    if is_blank(text):
        raise EmptyInput(path)
    sample = text[:_SAMPLE]
    foreign = count_letters(sample).foreign() if _KANA_HANGUL.search(sample) else None
    if foreign:
        raise NotChinese(path, f"看起来是{foreign}（{reading.name} 编码）")
    return Decoded(text, reading.name, warnings)


def _by_bom(data: bytes, path: str) -> _Reading | None:
    for mark, codec, name in _BOMS:
        if data.startswith(mark):
            if codec == "utf-8":
                # read_text(encoding="utf-8") keeps the BOM as U+FEFF; offsets must match that.
                reading = _attempt(data, "utf-8", name)
                if reading is None or reading.letters is None or \
                        reading.bad > _allowed(reading.letters):
                    raise BinaryInput(path, "有 UTF-8 标记，内容却不是 UTF-8 (a UTF-8 BOM, but not UTF-8)")
                return reading
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise BinaryInput(path, f"第 {exc.start} 字节无法按 {name} 解码 "
                                        f"(not {name} at byte {exc.start})") from None
            return _Reading(codec, name, text, 0, None, True)
    return None


def _sample_start(data: bytes) -> int:
    """Where the sample that chooses the encoding begins: at the first byte outside ASCII (a web
    page's first 64 KiB may be scripts), always a character's first byte, and even (UTF-16)."""
    if len(data) <= _SAMPLE:
        return 0
    high = _HIGH.search(data)
    return high.start() & ~1 if high else 0


def _attempt(data: bytes, codec: str, name: str, start: int = 0) -> _Reading | None:
    """_SAMPLE bytes of ``data`` from ``start`` read in ``codec``, bytes that fail kept aside."""
    sample = data[start:start + _SAMPLE]
    whole = len(sample) == len(data)
    decoder = codecs.getincrementaldecoder(codec)("surrogateescape")
    try:
        # a character cut at the end of the sample is not an error: final only at the end
        text = decoder.decode(sample, final=start + len(sample) == len(data))
    except UnicodeDecodeError:  # surrogateescape cannot keep a byte below 0x80
        return None
    bad = len(_ESCAPED.findall(text))
    if bad > _allowed(len(text)):  # not worth counting its letters
        return None
    return _Reading(codec, name, text, bad, count_letters(text), whole)


def _allowed(letters: _Letters | int) -> int:
    """Runs of bad bytes a text may have and still be read: a stray one, not a wrong codec."""
    return max(2, (letters if isinstance(letters, int) else letters.letters) // 50)


def _choose(data: bytes, path: str) -> _Reading:
    nul = b"\x00" in data
    seven_bit = [(codec, name, is_chinese) for mark, codec, name, is_chinese in _SEVEN_BIT
                 if mark in data] if data.isascii() else []
    if not nul:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            utf8 = _Reading("utf-8", "UTF-8", text, 0, None, True)
            # ASCII is UTF-8, and so are HZ and ISO-2022 texts: their escapes tell them
            return _best(data, path, seven_bit, utf8) if seven_bit else utf8
    candidates = [(codec, name, True) for codec, name in _CHINESE
                  if not nul or codec.startswith("utf-16")]
    if not nul:
        candidates = [("utf-8", "UTF-8", True), *candidates,
                      *[(codec, name, False) for codec, name in _FOREIGN]]
    return _best(data, path, candidates)


def _best(data: bytes, path: str, candidates: list[tuple[str, str, bool]],
          fallback: _Reading | None = None) -> _Reading:
    """The most Chinese reading of ``data`` among ``candidates`` (codec, name, Chinese?), if
    Chinese enough; else ``fallback``, or the error that says what the bytes are."""
    chinese: list[tuple[_Reading, _Letters]] = []
    foreign: list[tuple[_Reading, _Letters]] = []
    start = _sample_start(data)
    for codec, name, is_chinese in candidates:
        reading = _attempt(data, codec, name, start)
        if reading is None or reading.letters is None or reading.bad > _allowed(reading.letters):
            continue
        (chinese if is_chinese else foreign).append((reading, reading.letters))
        if is_chinese and reading.letters.share >= CHINESE_SURE:
            break
    best, letters = max(chinese, key=lambda r: (r[1].share, -r[0].bad), default=(None, None))
    if best is not None and letters is not None and (letters.share >= CHINESE_MIN
                                                     or letters.letters == 0):
        return best
    for reading, counted in sorted(foreign, key=lambda r: r[0].bad):
        kind = counted.foreign()
        if kind:
            raise NotChinese(path, f"看起来是{kind}（{reading.name} 编码）")
    if fallback is not None:
        return fallback
    if b"\x00" in data:
        at = data.find(b"\x00")
        raise BinaryInput(path, f"第 {at} 字节是空字节 (NUL byte at {at})")
    if best is not None and letters is not None:
        _check_textual(best.text, path)
        raise NotChinese(path, f"用 UTF-8、GB18030、Big5 等编码读出的都不是中文，常用汉字最多占 "
                               f"{letters.share:.0%} (no encoding reads it as Chinese text)")
    raise BinaryInput(path, "UTF-8、GB18030、Big5 都无法解码 (no encoding decodes it)")


def _replace_bad(data: bytes, reading: _Reading, path: str) -> tuple[str, tuple[str, ...]]:
    """The whole text in the chosen encoding, each byte that failed replaced by U+FFFD and
    named in a warning by its offset in the file."""
    if reading.whole and not reading.bad:
        return reading.text, ()
    try:
        text = data.decode(reading.codec, "surrogateescape")
    except UnicodeDecodeError as exc:
        raise BinaryInput(path, f"第 {exc.start} 字节无法按 {reading.name} 解码 "
                                f"(not {reading.name} at byte {exc.start})") from None
    runs = list(_ESCAPED.finditer(text))
    if not runs:
        return text, ()
    if len(runs) > _allowed(count_letters(text)):
        raise BinaryInput(path, f"按 {reading.name} 有 {len(runs)} 处无法解码 "
                                f"({len(runs)} places are not {reading.name})")
    offsets = []
    byte, char = 0, 0
    for run in runs[:_MAX_LISTED]:
        byte += len(text[char:run.start()].encode(reading.codec, "surrogateescape"))
        char = run.start()
        offsets.append(byte)
    listed = "、".join(str(o) for o in offsets)
    more = f"，共 {len(runs)} 处" if len(runs) > _MAX_LISTED else ""
    warning = (f"{path}: 第 {listed} 字节不是有效的 {reading.name}，已替换为 �{more} "
               f"(invalid {reading.name} at byte {', '.join(map(str, offsets))}; replaced with U+FFFD)")
    return _ESCAPED.sub(lambda m: "\ufffd" * len(m.group()), text), (warning,)


def _check_textual(text: str, path: str) -> None:
    sample = text[:20000]
    controls = len(_CONTROL.findall(sample))
    if controls > max(5, len(sample) // 100):
        raise BinaryInput(path, "控制字符过多 (too many control characters)")
