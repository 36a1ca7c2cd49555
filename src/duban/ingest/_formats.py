"""Text out of PDF, DOCX and HTML files; the limits a zip archive must keep before it is opened."""
from __future__ import annotations

import io
import re
import struct
import zipfile
from html.parser import HTMLParser

from ..errors import CorruptInput, EncryptedInput, NoTextLayer, TooLarge

PAGE_BREAK = "\f"

# A DOCX (or XLSX) is a zip. Its directory says how many entries it holds and how large each
# unpacks; zipfile never unpacks more than the declared size (past it the CRC check fails),
# so checking the directory bounds the work before python-docx or openpyxl parse anything.
# A real report's DOCX: tens of entries, a few MiB unpacked, XML 5-20 times its packed size.
MAX_ZIP_ENTRIES = 10_000
MAX_UNPACKED = 200 * 2**20  # 200 MiB unpacked in all
MAX_RATIO = 100  # unpacked / packed, of an entry (or the archive) over RATIO_FLOOR
RATIO_FLOOR = 2**20  # a small entry may pack better than that: it costs nothing
_CENTRAL_ENTRY = 46  # bytes of a central directory record without its name, extra, comment
_EOCD = b"PK\x05\x06"


def mib(size: float) -> str:
    """A size as people read it: 50 MiB, 1.5 MiB, 900 KiB (binary units, as the limits are)."""
    if size >= 2**20:
        return f"{size / 2**20:.1f}".removesuffix(".0") + " MiB"
    return f"{size / 2**10:.1f}".removesuffix(".0") + " KiB"


def check_zip(data: bytes, name: str, *, max_entries: int = MAX_ZIP_ENTRIES,
              max_unpacked: int = MAX_UNPACKED, max_ratio: float = MAX_RATIO) -> None:
    """Refuse a zip (DOCX, XLSX) before anything is unpacked: CorruptInput when it is no zip or
    uses a compression other than stored/deflate, TooLarge when it holds more than
    ``max_entries`` entries, unpacks to more than ``max_unpacked`` bytes, or an entry (or the
    whole) unpacks more than ``max_ratio`` times its packed size (a zip bomb)."""
    # the entry count from the end record first: zipfile reads the whole directory into memory
    end = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        raise CorruptInput(name, "不是有效的 ZIP 压缩包，或文件不完整 (not a zip, or truncated)")
    count, directory = struct.unpack_from("<HI", data, end + 10)
    if count != 0xFFFF and count > max_entries or directory > max_entries * (_CENTRAL_ENTRY + 300):
        raise TooLarge(name, f"压缩包内条目过多：{count} 个 > {max_entries} 个 "
                             f"(too many zip entries)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error) as exc:
        raise CorruptInput(name, f"ZIP 目录损坏 (broken zip directory): {exc}") from None
    if len(entries) > max_entries:
        raise TooLarge(name, f"压缩包内条目过多：{len(entries)} 个 > {max_entries} 个 "
                             f"(too many zip entries)")
    unpacked = packed = 0
    for entry in entries:
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise CorruptInput(name, f"{entry.filename}: 不支持的压缩方式 {entry.compress_type} "
                                     f"(unsupported compression)")
        unpacked += entry.file_size
        packed += entry.compress_size
        if entry.file_size > RATIO_FLOOR and entry.file_size > max_ratio * max(1, entry.compress_size):
            raise TooLarge(name, f"{entry.filename} 解压比过高："
                                 f"{mib(entry.compress_size)} → {mib(entry.file_size)} "
                                 f"(unpacks {entry.file_size / max(1, entry.compress_size):.0f}×; "
                                 f"a zip bomb?)")
    if unpacked > max_unpacked:
        raise TooLarge(name, f"解压后共 {mib(unpacked)} > {mib(max_unpacked)} "
                             f"(unpacks to {mib(unpacked)})")
    if unpacked > RATIO_FLOOR and unpacked > max_ratio * max(1, packed):
        raise TooLarge(name, f"解压比过高：{mib(packed)} → {mib(unpacked)} (a zip bomb?)")


def pdf_text(data: bytes, path: str) -> str:
    """The text layer of a PDF, pages separated by form feeds."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    if not data.lstrip().startswith(b"%PDF"):
        raise CorruptInput(path, "不是 PDF 文件头 (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # many government PDFs are encrypted with an empty user password (AES needs the
            # cryptography package): they open without asking anyone
            try:
                ok = bool(reader.decrypt(""))
            except DependencyError:
                raise
            except Exception:  # noqa: BLE001 - pypdf raises several types here
                ok = False
            if not ok:
                raise EncryptedInput(path, "需要密码 (a password is needed)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (EncryptedInput, NoTextLayer):
        raise
    except DependencyError as exc:
        raise EncryptedInput(path, f"解密需要 cryptography 库，请安装 (install cryptography): {exc}") \
            from None
    except PdfReadError as exc:
        raise CorruptInput(path, f"PDF 解析失败：{exc}") from None
    except Exception as exc:  # noqa: BLE001 - a broken PDF can fail anywhere inside pypdf
        raise CorruptInput(path, f"PDF 解析失败：{type(exc).__name__}") from None
    text = PAGE_BREAK.join(pages)
    if sum(1 for ch in text if not ch.isspace()) < 20:
        raise NoTextLayer(path, f"共 {len(pages)} 页")
    return text


def docx_text(data: bytes, path: str) -> str:
    """Paragraphs of a Word document (tables included), one per line; its zip checked first."""
    import docx

    check_zip(data, path)
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
