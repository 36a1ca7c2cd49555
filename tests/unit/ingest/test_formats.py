"""Real files of every format, made on the fly: DOCX with python-docx, PDF with reportlab."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from duban.errors import (CorruptInput, EncryptedInput, NoTextLayer, NotAFile, TooLarge,
                          UnknownFormat, UnreadableFile)
from duban.ingest import MAX_ZIP_ENTRIES, check_zip, load_report, read_report

BODY = ["各位代表：", "一、2022年工作回顾", "全年新增就业1.7万人。", "二、2023年工作安排", "力争新增就业1.6万人。"]


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


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(_pdf(BODY))
    report = load_report(path)
    assert "力争新增就业1.6万人" in report.text
    i = report.text.index("1.6万人")
    s, e = report.span(i, i + 5)
    assert report.original[s:e].replace(" ", "") == "1.6万人"


def test_pdf_without_text_layer_suggests_ocr(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf([], text=False))
    with pytest.raises(NoTextLayer) as info:
        load_report(path)
    assert "OCR" in str(info.value) and "scan.pdf" in str(info.value)


def test_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_pdf(BODY))).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "locked.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(EncryptedInput):
        load_report(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    data = _pdf(BODY)
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises((CorruptInput, NoTextLayer)):
        load_report(path)


def test_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for line in BODY:
        document.add_paragraph(line)
    path = tmp_path / "report.docx"
    document.save(path)
    report = load_report(path)
    assert report.text.splitlines()[1] == "一、2022年工作回顾"


def test_broken_docx(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CorruptInput):
        load_report(path)


def test_html_main_text_without_navigation(tmp_path: Path) -> None:
    html = """<html><head><title>t</title><script>var x=1;</script></head><body>
    <nav><a href="/">首页</a> <a href="/a">要闻</a></nav>
    <div class="crumb"><a href="/">首页</a> &gt; <a href="/b">政务公开</a></div>
    <div>【字体：大 中 小】</div>
    <div class="content"><p>各位代表：</p><p>力争新增就业1.6万人。</p></div>
    <footer>版权所有</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    report = load_report(path)
    assert report.text == "各位代表：\n力争新增就业1.6万人。"


def test_unknown_format_and_size_limit(tmp_path: Path) -> None:
    odd = tmp_path / "report.rtf"
    odd.write_text("x")
    with pytest.raises(UnknownFormat):
        load_report(odd)
    big = tmp_path / "big.txt"
    big.write_text("新增就业1万人。" * 1000, encoding="utf-8")
    with pytest.raises(TooLarge):
        load_report(big, max_bytes=1000)


def _encrypted(algorithm: str, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_pdf(BODY))).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_encrypted_with_the_empty_password_is_read(tmp_path: Path, algorithm: str) -> None:
    path = tmp_path / "gov.pdf"
    path.write_bytes(_encrypted(algorithm, ""))
    assert "力争新增就业1.6万人" in load_report(path).text


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_pdf_with_a_password_is_refused_as_encrypted(tmp_path: Path, algorithm: str) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted(algorithm, "secret"))
    with pytest.raises(EncryptedInput) as info:
        load_report(path)
    assert "locked.pdf" in str(info.value) and "password" in str(info.value)


def test_aes_needs_cryptography_and_it_is_a_dependency() -> None:
    """pypdf reads AES only with the cryptography package: duban must install it."""
    import tomllib

    project = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text("utf-8"))
    names = {re.split(r"[<>=\[; ]", dep, maxsplit=1)[0].lower()
             for dep in project["project"]["dependencies"]}
    assert "cryptography" in names


def test_missing_aes_support_is_named_not_corrupt(monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    def no_aes(self: object, password: str) -> int:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(PdfReader, "decrypt", no_aes)
    with pytest.raises(EncryptedInput) as info:
        read_report(_encrypted("AES-128", ""), "aes.pdf")
    assert "cryptography" in str(info.value) and "aes.pdf" in str(info.value)


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    for line in BODY:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _with_entry(data: bytes, name: str, payload: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(name, payload)
    return out.getvalue()


def test_docx_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    import time

    bomb = _with_entry(_docx_bytes(), "word/media/filler.xml", b"<w:p/>" * (12 * 2**20))
    assert len(bomb) < 2**20  # 72 MiB packed into some 100 KiB
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    started = time.perf_counter()
    with pytest.raises(TooLarge) as info:
        load_report(path)
    assert time.perf_counter() - started < 1
    assert "bomb.docx" in str(info.value) and "MiB" in str(info.value)


def test_check_zip_limits_entries_size_and_ratio() -> None:
    data = _docx_bytes()
    check_zip(data, "ok.docx")  # a real document passes the defaults
    with pytest.raises(TooLarge, match="entries"):
        check_zip(data, "many.docx", max_entries=3)
    with pytest.raises(TooLarge, match="unpacks to"):
        check_zip(data, "big.docx", max_unpacked=10_000)
    with pytest.raises(TooLarge, match="zip bomb"):
        check_zip(_with_entry(data, "x.bin", bytes(3 * 2**20)), "ratio.docx")
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"{i}", b"")
    with pytest.raises(TooLarge, match="too many zip entries"):
        check_zip(many.getvalue(), "many.docx")
    with pytest.raises(CorruptInput):
        check_zip(b"PK\x03\x04 not really a zip", "broken.docx")
    with pytest.raises(CorruptInput):
        check_zip(data[: len(data) // 2], "cut.docx")


def test_check_zip_refuses_compressions_zipfile_cannot_bound() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
    with pytest.raises(CorruptInput, match="compression"):
        check_zip(out.getvalue(), "bz.docx")


def test_docx_whose_directory_lies_about_sizes_is_corrupt_not_unpacked() -> None:
    """zipfile unpacks no more than the size the directory declares: a lie fails its CRC."""
    data = bytearray(_docx_bytes())
    name = b"word/document.xml"
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(name.decode())
    assert info.file_size > 1000
    # declare 100 bytes, in the local header and in the central directory
    data[info.header_offset + 22:info.header_offset + 26] = (100).to_bytes(4, "little")
    central = bytes(data).find(b"PK\x01\x02")
    while bytes(data[central + 46:central + 46 + len(name)]) != name:
        central = bytes(data).find(b"PK\x01\x02", central + 4)
    data[central + 24:central + 28] = (100).to_bytes(4, "little")
    with pytest.raises(CorruptInput) as info_:
        read_report(bytes(data), "liar.docx")
    assert "liar.docx" in str(info_.value)


def test_old_word_doc_named_docx() -> None:
    with pytest.raises(UnknownFormat, match=r"\.doc"):
        read_report(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.docx")


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    for path, kind in ((fifo, "FIFO"), (zero, "device"), (folder, "folder")):
        outcome: list[BaseException] = []

        def read(path: Path = path) -> None:
            try:
                load_report(path)
            except BaseException as exc:  # noqa: BLE001 - handed to the test thread
                outcome.append(exc)

        worker = threading.Thread(target=read, daemon=True)
        worker.start()
        worker.join(timeout=5)
        assert not worker.is_alive(), f"{path.name} blocked"
        [error] = outcome
        assert isinstance(error, NotAFile) and kind in str(error) and path.name in str(error)


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("新增就业1.6万人。", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert load_report(link).text == "新增就业1.6万人。"


def test_missing_forbidden_and_broken_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    with pytest.raises(UnreadableFile, match="no such file"):
        load_report(tmp_path / "missing.txt")
    broken = tmp_path / "broken.txt"
    broken.symlink_to(tmp_path / "gone.txt")
    with pytest.raises(UnreadableFile, match="no such file"):
        load_report(broken)
    secret = tmp_path / "secret.txt"
    secret.write_text("新增就业1.6万人。", encoding="utf-8")
    real_open = os.open

    def forbidden(path: str, flags: int, *args: int) -> int:
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", forbidden)
    with pytest.raises(UnreadableFile, match="permission denied"):
        load_report(secret)


def test_size_limit_in_mib_and_never_read_past_it(tmp_path: Path) -> None:
    from duban.ingest import check_size, read_file

    with pytest.raises(TooLarge, match=r"60 MiB > 50 MiB"):
        check_size("big.txt", 60 * 2**20)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5000)
    with pytest.raises(TooLarge, match="KiB"):
        read_file(path, max_bytes=4096)
    assert read_file(path, max_bytes=5000) == b"x" * 5000
