"""A corpus of bad report files, made fresh each time: every way a file can fail to be a report.

    python tests/faults/make_bad_files.py OUTDIR     # writes the files, prints the manifest

``make_bad_files(folder)`` writes them and returns one ``Case`` per file: its path, whether
``duban extract`` must read it (``expect is None``) or refuse it, and how (the English gloss
of the error class its one-line message carries). Good files sit among the bad ones on
purpose (Big5, GBK, UTF-16, one bad byte …): they must come out extracted.

Special files (a FIFO, a link to /dev/zero, a folder named .txt) need a POSIX system.
Files in ``folder/scan`` are found by walking the folder; ``folder/explicit`` holds the ones
given by name on the command line (unknown suffixes, a folder named .txt, a missing file).
"""
from __future__ import annotations

import io
import os
import random
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from duban.data import sample_path
from duban.errors import (BinaryInput, CorruptInput, EmptyInput, EncryptedInput, InputError,
                          NoTextLayer, NotAFile, NotChinese, TooLarge, UnknownFormat,
                          UnreadableFile)
from duban.ingest import MAX_BYTES

# a real report: the bundled excerpt of 成都市青羊区's 2023 report
REPORT = sample_path().read_text(encoding="utf-8")
SHORT = ("各位代表：\n一、2022年工作回顾\n全年新增就业1.7万人，地区生产总值增长5.2%。\n"
         "二、2023年工作安排\n力争新增就业1.6万人，地区生产总值增长6%左右。\n")
TRADITIONAL = ("各位代表：\n一、2022年工作回顧\n全年地區生產總值增長5.2%。\n"
               "二、2023年工作安排\n地區生產總值增長6%左右，城鎮調查失業率控制在5.5%以內。\n")
JAPANESE = ("政府は、経済の再生を最優先の課題として取り組んでまいります。今年度の予算では、子ども・"
            "子育て支援を強化し、地方の活性化に向けた施策を着実に実行します。新たに一万人の雇用を"
            "創出することを目指します。\n")
KOREAN = ("정부는 올해 경제 성장률 목표를 3퍼센트 내외로 정하고, 일자리 1만 개를 새로 만들겠습니다. "
          "지역 균형 발전과 민생 안정을 위해 모든 역량을 집중하겠습니다.\n")


@dataclass(frozen=True)
class Case:
    path: Path
    # None: read and extracted; an error class: refused with its message; a str: refused
    # with a message that says this (a folder with no report, told by the command)
    expect: type[InputError] | str | None
    quote: str = ""  # for a good file: a figure its output must hold
    explicit: bool = False  # given by name, not found by walking the folder
    renamed: bool = False  # its output takes another name (two inputs share its stem)


def _pdf(lines: list[str], text: bool = True) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    if text:
        page.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            page.drawString(60, 780 - 20 * i, line)
    else:
        page.rect(100, 100, 200, 200, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _encrypted(data: bytes, algorithm: str, password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password="owner", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _docx(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, extra: dict[str, bytes] | None = None, drop: str = "",
           compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", compression) as target:
        for item in source.infolist():
            if item.filename != drop:
                target.writestr(item.filename, source.read(item.filename))
        for name, payload in (extra or {}).items():
            target.writestr(name, payload)
    return out.getvalue()


def _declare_size(data: bytes, name: str, size: int, packed: int | None = None) -> bytes:
    """The zip with ``name`` declared ``size`` bytes unpacked (and ``packed`` packed, if given)
    in its local header and in the directory, whatever it really holds."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        offset = archive.getinfo(name).header_offset
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(name)] != name.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    for at in (offset + 18, central + 20):  # compressed size, then the unpacked size
        if packed is not None:
            out[at:at + 4] = packed.to_bytes(4, "little")
        out[at + 4:at + 8] = size.to_bytes(4, "little")
    return bytes(out)


def make_bad_files(folder: Path) -> list[Case]:
    """Write the corpus under ``folder`` (scan/ and explicit/); the cases, in a stable order."""
    scan = folder / "scan"
    explicit = folder / "explicit"
    scan.mkdir(parents=True)
    explicit.mkdir()
    rng = random.Random(9)
    cases: list[Case] = []

    def add(name: str, data: bytes, expect: type[InputError] | str | None, quote: str = "",
            where: Path = scan, renamed: bool = False) -> None:
        path = where / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        cases.append(Case(path, expect, quote, where is explicit, renamed))

    utf8 = SHORT.encode()
    # empty, blank, marks alone
    for name, data in [("empty.txt", b""), ("spaces.txt", b"  \n\t \r\n"),
                       ("fullwidth-spaces.txt", "\u3000\u3000\n".encode()),
                       ("nbsp.txt", "\u00a0\u00a0\n".encode()),
                       ("zero-width.txt", "\u200b\u200c\u200d\u2060\n".encode()),
                       ("bom-only.txt", b"\xef\xbb\xbf"), ("bom-blank.txt", b"\xef\xbb\xbf \r\n" + "\u3000".encode()),
                       ("utf16-bom-only.txt", b"\xff\xfe"), ("utf16be-bom-only.txt", b"\xfe\xff"),
                       ("utf32-bom-only.txt", b"\xff\xfe\x00\x00"),
                       ("gb-fullwidth-spaces.txt", "\u3000\u3000\u3000".encode("gb18030")),
                       ("empty.html", b""), ("script-only.html", b"<html><script>var a=1;</script></html>"),
                       ("nav-only.html", "<nav><a href='/'>首页</a></nav>".encode()),
                       ("empty.docx", b""), ("empty.pdf", b""), ("blank.htm", b"\n\n  \n"),
                       ("tags-only.html", b"<html><body><div><p></p></div></body></html>"),
                       ("nbsp-entities.xhtml", b"<p>&nbsp;&#12288;&#8203;</p>")]:
        add(name, data, EmptyInput)
    # binary data under a text name
    for seed in range(16):
        junk = random.Random(seed).randbytes(random.Random(seed).randrange(300, 20_000))
        add(f"random-{seed}.txt", junk, InputError)
    add("all-bytes.txt", bytes(range(256)) * 40, BinaryInput)
    add("png.txt", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)), BinaryInput)
    add("elf.txt", b"\x7fELF\x02\x01\x01\x00" + bytes(2000), BinaryInput)
    add("gzip.txt", b"\x1f\x8b\x08\x00" + random.Random(11).randbytes(3000), InputError)
    add("jpeg.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + random.Random(12).randbytes(3000),
        InputError)
    add("sqlite.txt", b"SQLite format 3\x00" + bytes(4000), BinaryInput)
    add("controls.txt", bytes(rng.choice(b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f") for _ in range(3000))
        + utf8, BinaryInput)
    add("pdf-as.txt", _pdf(SHORT.splitlines()), UnknownFormat)
    add("docx-as.txt", _docx(SHORT.splitlines()), UnknownFormat)
    add("random.html", random.Random(77).randbytes(5000), InputError)
    # NUL bytes
    for i, at in enumerate((0, len(utf8) // 2, len(utf8) - 1)):
        add(f"nul-{i}.txt", utf8[:at] + b"\x00" + utf8[at:], BinaryInput)
    add("nul-many.txt", b"\x00".join(utf8[i:i + 3] for i in range(0, len(utf8), 3)), BinaryInput)
    # encodings that are not Chinese, and legacy Chinese ones that are
    for codec in ("shift_jis", "cp932", "euc_jp", "iso2022_jp", "utf-8"):
        add(f"japanese-{codec}.txt", JAPANESE.encode(codec), NotChinese)
    for codec in ("euc_kr", "cp949", "utf-8"):
        add(f"korean-{codec}.txt", KOREAN.encode(codec), NotChinese)
    add("japanese-sjis.html", f"<p>{JAPANESE}</p>".encode("shift_jis"), NotChinese)
    for codec in ("big5", "cp950", "big5hkscs"):
        add(f"ok-{codec}.txt", TRADITIONAL.encode(codec), None, "6%")
    add("ok-big5-page.html", f"<html><body><p>{TRADITIONAL}</p></body></html>".encode("big5"), None, "6%")
    for codec in ("gbk", "gb2312", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "hz",
                  "utf-8-sig"):
        add(f"ok-{codec}.txt", SHORT.encode(codec), None, "1.6万人")
    add("ok-gbk-report.txt", REPORT.encode("gb18030"), None, "109.4 万平米")
    add("ok-crlf.txt", SHORT.replace("\n", "\r\n").encode(), None, "1.6万人")
    add("ok-cr.txt", SHORT.replace("\n", "\r").encode(), None, "1.6万人")
    add("ok-upper.TXT", utf8, None, "1.6万人")
    at = utf8.index("力争".encode())
    add("ok-one-bad-byte.txt", utf8[:at] + b"\xff" + utf8[at:], None, "1.6万人")
    add("ok-bad-gb-byte.txt", SHORT.encode("gb18030") + b"\xff", None, "1.6万人")
    add("ok-cut-mid-char.txt", utf8[:utf8.index("左右".encode()) + 1], None, "1.6万人")
    add("latin1-garbage.txt", "Ünïcödé àççéñts ôñly, ñö Çhïñësé".encode("latin-1") * 40, InputError)
    many_bad = bytearray(REPORT.encode())
    for i in range(0, len(many_bad), 5):
        many_bad[i] = 0xFF
    add("many-bad-bytes.txt", bytes(many_bad), InputError)
    many_bad_gb = bytearray(REPORT.encode("gb18030"))
    many_bad_gb[::4] = b"\xff" * len(many_bad_gb[::4])
    add("many-bad-gb-bytes.txt", bytes(many_bad_gb), InputError)
    # a huge line: a whole report without a line break, and a file over the size limit
    add("ok-huge-line.txt", (REPORT.replace("\n", "") * 60).encode(), None, "109.4 万平米")
    big = scan / "over-limit.txt"
    with big.open("wb") as handle:  # sparse: 1 MiB over the limit costs no disk
        handle.truncate(MAX_BYTES + 2**20)
    cases.append(Case(big, TooLarge))
    # PDF: truncated, encrypted, scanned, not a PDF at all
    pdf = _pdf(SHORT.splitlines())
    add("ok-pdf.pdf", pdf, None, "1.6万人")
    for share in range(10, 100, 10):
        add(f"truncated-{share}.pdf", pdf[: len(pdf) * share // 100], InputError)
    add("header-only.pdf", b"%PDF-1.7\n", InputError)
    add("xref-garbage.pdf", pdf.replace(b"xref", b"xqzf"), CorruptInput)
    for algorithm in ("RC4-40", "RC4-128", "AES-128", "AES-256"):
        add(f"password-{algorithm}.pdf", _encrypted(pdf, algorithm, "secret"), EncryptedInput)
    for algorithm in ("AES-128", "AES-256"):
        add(f"ok-empty-password-{algorithm}.pdf", _encrypted(pdf, algorithm, ""), None, "1.6万人")
    add("scanned.pdf", _pdf([], text=False), NoTextLayer)
    add("html-as.pdf", b"<html><body>not a pdf</body></html>", CorruptInput)
    for seed in range(3):
        add(f"random-{seed}.pdf", random.Random(seed).randbytes(4000), CorruptInput)
    # DOCX: zip bombs, not zips, broken zips
    docx = _docx(SHORT.splitlines())
    add("ok-docx.docx", docx, None, "1.6万人")
    add("zip-bomb-ratio.docx", _rezip(docx, {"word/media/a.xml": b"<w:p/>" * (12 * 2**20)}), TooLarge)
    add("zip-declares-300MiB.docx",
        _declare_size(docx, "word/document.xml", 300 * 2**20, 300 * 2**20), TooLarge)
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(10_001):
            archive.writestr(f"word/{i}.xml", b"")
    add("zip-many-entries.docx", many.getvalue(), TooLarge)
    add("zip-lies-about-size.docx", _declare_size(docx, "word/document.xml", 100), CorruptInput)
    add("zip-bzip2.docx", _rezip(docx, compression=zipfile.ZIP_BZIP2), CorruptInput)
    add("no-document-xml.docx", _rezip(docx, drop="word/document.xml"), CorruptInput)
    for share in (5, 20, 40, 60, 80, 95):
        add(f"truncated-{share}.docx", docx[: len(docx) * share // 100], CorruptInput)
    add("not-a-zip.docx", utf8, UnknownFormat)
    add("pk-garbage.docx", b"PK\x03\x04" + rng.randbytes(3000), CorruptInput)
    add("old-word.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), UnknownFormat)
    add("pdf-as.docx", pdf, UnknownFormat)
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")
    add("xlsx-as.docx", xlsx.getvalue(), CorruptInput)
    # names: console markup, 254 characters, 250 bytes of Chinese, the same stem twice
    add("a[/x]b.txt".replace("/", "／"), utf8, None, "1.6万人")
    add("[bold]red[/bold] [link=file:///etc]x.txt".replace("/", "_"), utf8, None, "1.6万人")
    add("[/x]empty.txt".replace("/", "_"), b"", EmptyInput)
    bracket_dir = scan / "dir["
    add("x]inside.txt", utf8, None, "1.6万人", where=bracket_dir)
    add("x]empty.txt", b"", EmptyInput, where=bracket_dir)
    add("a" * 250 + ".txt", utf8, None, "1.6万人")
    add("b" * 250 + ".txt", b"", EmptyInput)
    add("政府工作报告" * 13 + "报告.txt", utf8, None, "1.6万人")
    add("名字 with spaces & 'quotes'.txt", utf8, None, "1.6万人")
    add("same/dup.txt", utf8, None, "1.6万人")
    add("same2/dup.txt", SHORT.replace("1.6万人", "2.6万人").encode(), None, "2.6万人", renamed=True)
    add("😀 emoji.txt", utf8, None, "1.6万人")
    # not regular files
    fifo = scan / "fifo.txt"
    os.mkfifo(fifo)
    cases.append(Case(fifo, NotAFile))
    zero = scan / "zero.txt"
    zero.symlink_to("/dev/zero")
    cases.append(Case(zero, NotAFile))
    null = scan / "null.txt"
    null.symlink_to("/dev/null")
    cases.append(Case(null, NotAFile))
    broken = scan / "broken-link.txt"
    broken.symlink_to("nowhere.txt")
    cases.append(Case(broken, UnreadableFile))
    loop_a, loop_b = scan / "loop-a.txt", scan / "loop-b.txt"
    loop_a.symlink_to(loop_b.name)
    loop_b.symlink_to(loop_a.name)
    cases += [Case(loop_a, UnreadableFile), Case(loop_b, UnreadableFile)]
    (scan / "sub").mkdir()
    (scan / "sub" / "back").symlink_to("..", target_is_directory=True)  # a folder loop
    elsewhere = folder / "elsewhere" / "real.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(SHORT.encode("gb18030"))
    link = scan / "ok-link.txt"
    link.symlink_to(os.path.relpath(elsewhere, scan))
    cases.append(Case(link, None, "1.6万人"))
    # given by name: folders and unknown types
    folder_txt = explicit / "folder.txt"
    folder_txt.mkdir()
    cases.append(Case(folder_txt, "no report files in this folder", explicit=True))
    cases.append(Case(explicit / "missing.txt", UnreadableFile, explicit=True))
    for name in ("report.doc", "report.rtf", "report", "report.txt.exe", "report.odt", "report.json"):
        add(name, utf8, UnknownFormat, where=explicit)
    add("ok-given.txt", utf8, None, "1.6万人", where=explicit)
    if os.geteuid() != 0:  # root reads anything: the permission case needs another user
        locked = explicit / "locked.txt"
        locked.write_bytes(utf8)
        locked.chmod(0)
        cases.append(Case(locked, UnreadableFile, explicit=True))
    return cases


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-files")
    for case in make_bad_files(target):
        said = case.expect if isinstance(case.expect, str) or case.expect is None \
            else case.expect.__name__
        print(f"{said or 'ok':30} {case.path}")
