from __future__ import annotations

import random
from pathlib import Path

import pytest

from duban.errors import BinaryInput, EmptyInput, InputError, NotChinese, UnknownFormat
from duban.ingest import read_report
from duban.ingest._decode import CHINESE_MIN, chinese_share, common_hanzi, decode, decode_text

TEXT = "各位代表：\r\n力争新增就业1.6万人。\r\n"
# a report's opening in traditional script, as a Big5 file holds it
TRADITIONAL = ("各位代表：\n一、2022年工作回顧\n過去一年，我們堅持穩中求進工作總基調，全市地區生產總值"
               "增長5.2%，新增城鎮就業1.6萬人。\n二、2023年工作安排\n今年經濟社會發展的主要預期目標是："
               "地區生產總值增長6%左右，城鎮調查失業率控制在5.5%以內。\n")
# Hong Kong place names need Big5-HKSCS: 鰂 is not in Big5
HONG_KONG = "香港特別行政區政府將於鰂魚涌興建公營房屋3000個單位，並力爭新增就業1.6萬人。\n"
SIMPLIFIED = ("各位代表：\n一、2022年工作回顾\n过去一年，我们坚持稳中求进工作总基调，全市地区生产总值"
              "增长5.2%，新增城镇就业1.6万人。\n二、2023年工作安排\n今年经济社会发展的主要预期目标是："
              "地区生产总值增长6%左右，城镇调查失业率控制在5.5%以内。\n")
JAPANESE = ("政府は、経済の再生を最優先の課題として取り組んでまいります。今年度の予算では、子ども・"
            "子育て支援を強化し、地方の活性化に向けた施策を着実に実行します。新たに一万人の雇用を"
            "創出することを目指します。\n")
KOREAN = ("정부는 올해 경제 성장률 목표를 3퍼센트 내외로 정하고, 일자리 1만 개를 새로 만들겠습니다. "
          "지역 균형 발전과 민생 안정을 위해 모든 역량을 집중하겠습니다.\n")


def test_utf8_with_and_without_bom_and_crlf() -> None:
    plain = decode_text(TEXT.encode("utf-8"), "a.txt")
    assert plain == "各位代表：\n力争新增就业1.6万人。\n"
    bom = decode_text(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "a.txt")
    assert bom == "\ufeff" + plain  # what Path.read_text(encoding="utf-8") returns


def test_gb18030_is_detected() -> None:
    assert decode_text(TEXT.encode("gb18030"), "a.txt") == "各位代表：\n力争新增就业1.6万人。\n"


@pytest.mark.parametrize("encoding", ["gb2312", "gbk", "gb18030"])
def test_gb_family(encoding: str) -> None:
    decoded = decode(SIMPLIFIED.encode(encoding), "a.txt")
    assert decoded.text == SIMPLIFIED and decoded.encoding == "GB18030"


@pytest.mark.parametrize("encoding", ["big5", "cp950", "big5hkscs"])
def test_big5_report_is_read_in_big5_not_as_gb18030_nonsense(encoding: str) -> None:
    data = TRADITIONAL.encode(encoding)
    data.decode("gb18030")  # the trap: the bytes are valid GB18030 too
    decoded = decode(data, "tw.txt")
    assert decoded.text == TRADITIONAL
    assert decoded.encoding.startswith("Big5") and not decoded.warnings


def test_big5_hkscs_characters() -> None:
    with pytest.raises(UnicodeEncodeError):
        HONG_KONG.encode("big5")
    assert decode(HONG_KONG.encode("big5hkscs"), "hk.txt").text == HONG_KONG


def test_a_big5_report_yields_its_own_figures_not_garbage() -> None:
    report = read_report(TRADITIONAL.encode("big5"), "tw.txt")
    from duban import analyse

    result = analyse(report, assign=False)
    quotes = {q.quote for q in result.quantities}
    assert {"5.2%", "6%", "5.5%"} <= quotes
    assert all(report.original[q.start:q.end] == q.quote for q in result.quantities)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_or_without_bom(codec: str) -> None:
    assert decode(SIMPLIFIED.encode(codec), "u.txt").text == SIMPLIFIED


def test_hz_seven_bit_chinese() -> None:
    assert decode(SIMPLIFIED.encode("hz"), "hz.txt").text == SIMPLIFIED


@pytest.mark.parametrize(("text", "codec", "language"), [
    (JAPANESE, "shift_jis", "日文"), (JAPANESE, "cp932", "日文"), (JAPANESE, "euc_jp", "日文"),
    (JAPANESE, "iso2022_jp", "日文"), (KOREAN, "euc_kr", "韩文"), (KOREAN, "cp949", "韩文"),
    (JAPANESE, "utf-8", "日文"), (KOREAN, "utf-8", "韩文")])
def test_japanese_and_korean_are_refused_by_name(text: str, codec: str, language: str) -> None:
    with pytest.raises(NotChinese) as info:
        read_report(text.encode(codec), "foreign.txt")
    message = str(info.value)
    assert "foreign.txt" in message and language in message and "not Chinese" in message


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_are_never_a_report(seed: int) -> None:
    rng = random.Random(seed)
    data = bytes(rng.randrange(1, 256) for _ in range(rng.randrange(200, 5000)))
    with pytest.raises((BinaryInput, NotChinese)) as info:
        read_report(data, f"random-{seed}.txt")
    assert f"random-{seed}.txt" in str(info.value)


def test_one_bad_byte_is_replaced_with_a_warning_at_its_offset() -> None:
    good = SIMPLIFIED.encode("utf-8")
    at = len("各位代表：\n一、2022年工作回顾\n过去一年".encode())
    data = good[:at] + b"\xff" + good[at:]
    report = read_report(data, "bad.txt")
    assert report.original == SIMPLIFIED[:len("各位代表：\n一、2022年工作回顾\n过去一年")] + "\ufffd" + \
        SIMPLIFIED[len("各位代表：\n一、2022年工作回顾\n过去一年"):]
    [warning] = report.warnings
    assert "bad.txt" in warning and f"第 {at} 字节" in warning and f"byte {at}" in warning
    from duban import analyse

    result = analyse(report, assign=False)
    assert "5.2%" in {q.quote for q in result.quantities}
    assert warning in result.to_json()["warnings"]


def test_a_cut_in_the_middle_of_a_character_is_named() -> None:
    good = SIMPLIFIED.encode("utf-8")
    cut = good.index("以内".encode()) + 1  # one byte into 以
    decoded = decode(good[:cut], "cut.txt")
    assert decoded.text.endswith("5.5%\ufffd")
    assert f"byte {cut - 1}" in decoded.warnings[0]


def test_a_few_bad_bytes_in_gb18030_are_replaced_too() -> None:
    good = SIMPLIFIED.encode("gb18030")
    data = good + b"\xff"
    decoded = decode(data, "gb.txt")
    assert decoded.text == SIMPLIFIED + "\ufffd" and decoded.encoding == "GB18030"
    assert f"byte {len(good)}" in decoded.warnings[0]


def test_many_bad_bytes_are_binary_not_replaced() -> None:
    data = bytearray(SIMPLIFIED.encode("utf-8") * 3)
    for i in range(0, len(data), 7):
        data[i] = 0xFF
    with pytest.raises(InputError):
        decode(bytes(data), "junk.txt")


def test_bom_is_repaired_away_but_offsets_count_it() -> None:
    report = read_report(b"\xef\xbb\xbf" + "新增就业1.6万人".encode(), "a.txt", "txt")
    assert report.text == "新增就业1.6万人"
    start = report.text.index("1.6")
    assert report.original[report.span(start, start + 5)[0]:][:5] == "1.6万人"


@pytest.mark.parametrize("data", [
    b"", b"   \n\t  ", "\u3000\n".encode(), b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n  \r\n",
    b"\xff\xfe", b"\xfe\xff", "\ufeff".encode("utf-16"), "\u00a0\u3000\u200b\u200d\u2060\ufeff\n".encode(),
    "\u3000\u3000".encode("gb18030"), "\u200b".encode("utf-16-le")])
def test_empty(data: bytes) -> None:
    with pytest.raises(EmptyInput):
        read_report(data, "empty.txt", "txt")


def test_binary_junk() -> None:
    with pytest.raises(BinaryInput) as info:
        read_report(bytes(range(256)) * 20, "junk.txt", "txt")
    assert "junk.txt" in str(info.value)


def test_nul_bytes_are_named_by_offset() -> None:
    data = SIMPLIFIED.encode() + b"\x00" + SIMPLIFIED.encode()
    with pytest.raises(BinaryInput) as info:
        read_report(data, "nul.txt")
    assert f"NUL byte at {len(SIMPLIFIED.encode())}" in str(info.value)


def test_pdf_bytes_with_txt_suffix() -> None:
    with pytest.raises(UnknownFormat):
        read_report(b"%PDF-1.4 ...", "x.txt", "txt")


def test_common_hanzi_list_has_simplified_and_traditional_forms() -> None:
    common = common_hanzi()
    assert {"发", "發", "经", "經", "万", "萬"} <= common
    assert chinese_share(SIMPLIFIED) > 0.9 and chinese_share(TRADITIONAL) > 0.9
    assert chinese_share(JAPANESE) < CHINESE_MIN and chinese_share(KOREAN) < 0.01


def _traditional(text: str) -> str:
    """A report in traditional script, as the list converts it (first traditional form)."""
    from duban.rules import load_lexicon

    fold = {}
    for line in load_lexicon("common_hanzi.txt"):
        forms = line.split()
        if len(forms) > 1:
            fold[forms[0]] = forms[1]
    return "".join(fold.get(ch, ch) for ch in text)


def test_every_corpus_report_is_read_right_in_gb18030_and_big5(corpus: Path) -> None:
    """The thresholds hold on real reports: each read back in its own encoding, never another."""
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        assert decode(text.encode("gb18030"), path.name).text == text, path.name
        big5 = _traditional(text).encode("big5hkscs", "replace")
        decoded = decode(big5, path.name)
        assert decoded.encoding == "Big5-HKSCS", path.name
        assert decoded.text == big5.decode("big5hkscs"), path.name


@pytest.mark.parametrize("encoding", ["gbk", "big5", "utf-16-le"])
def test_a_web_page_whose_first_100_kib_are_script(encoding: str) -> None:
    """The encoding is chosen where the text is, not in the first bytes of the file."""
    script = "<script>" + "var x = 1;\n" * 10_000 + "</script>"
    body = TRADITIONAL if encoding == "big5" else SIMPLIFIED
    page = f"<html><head>{script}</head><body><p>{body}</p></body></html>"
    report = read_report(page.encode(encoding), "page.html")
    assert report.original.startswith("各位代表：") and "5.5%" in report.original
    assert not report.warnings
