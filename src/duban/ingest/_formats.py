"""Text out of PDF, DOCX and HTML files."""
from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

from ..errors import CorruptInput, EncryptedInput, NoTextLayer

PAGE_BREAK = "\f"


def pdf_text(data: bytes, path: str) -> str:
    """The text layer of a PDF, pages separated by form feeds."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip().startswith(b"%PDF"):
        raise CorruptInput(path, "不是 PDF 文件头 (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - pypdf raises several types here
                ok = 0
            if not ok:
                raise EncryptedInput(path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (EncryptedInput, NoTextLayer):
        raise
    except PdfReadError as exc:
        raise CorruptInput(path, f"PDF 解析失败：{exc}") from None
    except Exception as exc:  # noqa: BLE001 - a broken PDF can fail anywhere inside pypdf
        raise CorruptInput(path, f"PDF 解析失败：{type(exc).__name__}") from None
    text = PAGE_BREAK.join(pages)
    if sum(1 for ch in text if not ch.isspace()) < 20:
        raise NoTextLayer(path, f"共 {len(pages)} 页")
    return text


def docx_text(data: bytes, path: str) -> str:
    """Paragraphs of a Word document (tables included), one per line."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CorruptInput(path, f"DOCX 解析失败：{type(exc).__name__}") from None
    except Exception as exc:  # noqa: BLE001
        raise CorruptInput(path, f"DOCX 解析失败：{type(exc).__name__}") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


_SKIP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript",
         "select", "button", "iframe", "svg", "head", "title"}
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
          "article", "table", "ul", "ol", "dd", "dt", "blockquote", "pre", "td"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.link = 0
        self.lines: list[list[tuple[str, bool]]] = [[]]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "a":
            self.link += 1
        if tag in _BLOCK:
            self.lines.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "a":
            self.link = max(0, self.link - 1)
        if tag in _BLOCK:
            self.lines.append([])

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.lines[-1].append((data, self.link > 0))


def html_text(data: str) -> str:
    """Main text of a web page: no scripts, navigation, or lines made of links."""
    parser = _TextParser()
    parser.feed(data)
    parser.close()
    out = []
    for pieces in parser.lines:
        text = "".join(p for p, _ in pieces)
        stripped = re.sub(r"\s+", " ", text).strip()
        if not stripped:
            continue
        linked = sum(len(p.strip()) for p, is_link in pieces if is_link)
        if linked and linked >= 0.6 * len(stripped.replace(" ", "")):
            continue  # navigation: a line that is mostly links
        out.append(stripped)
    return "\n".join(out)
