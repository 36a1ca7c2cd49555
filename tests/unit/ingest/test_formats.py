"""Real files of every format, made on the fly: DOCX with python-docx, PDF with reportlab."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from duban.errors import CorruptInput, EncryptedInput, NoTextLayer, TooLarge, UnknownFormat
from duban.ingest import load_report

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
