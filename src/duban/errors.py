"""The one exception tree of duban.

::

    DubanError                      every error the library raises on purpose
    ├── InputError                  a file the user gave cannot be read as a report
    │   ├── EmptyInput              nothing but white space
    │   ├── UnknownFormat           not .txt/.docx/.pdf/.html (or content disagrees)
    │   ├── TooLarge                over the size limit
    │   ├── BinaryInput             bytes that are no text in UTF-8 or GB18030
    │   ├── NoTextLayer             a PDF of scanned pages: OCR first
    │   ├── EncryptedInput          a password-protected PDF
    │   └── CorruptInput            truncated or broken PDF/DOCX
    └── RuleError                   a rule data file is invalid (file, rule, line)

Each error carries the file it is about and a message in Chinese with an
English gloss; the CLI prints ``str(error)`` once and never a traceback.
"""
from __future__ import annotations


class DubanError(Exception):
    """Base of every error duban raises on purpose."""

    zh = "错误"
    en = "error"

    def __init__(self, path: str, detail: str = "") -> None:
        self.path = path
        self.detail = detail
        super().__init__(str(self))

    def __str__(self) -> str:
        extra = f"：{self.detail}" if self.detail else ""
        return f"{self.path}: {self.zh}{extra} ({self.en})"


class InputError(DubanError):
    zh = "无法读取输入文件"
    en = "cannot read input file"


class EmptyInput(InputError):
    zh = "文件为空，没有可读的文字"
    en = "the file is empty"


class UnknownFormat(InputError):
    zh = "不支持的文件格式，请提供 .txt、.docx、.pdf 或 .html"
    en = "unknown format; give .txt, .docx, .pdf or .html"


class TooLarge(InputError):
    zh = "文件超过大小上限"
    en = "the file is over the size limit"


class BinaryInput(InputError):
    zh = "文件不是 UTF-8 或 GB18030 编码的文本（可能是二进制文件）"
    en = "not text in UTF-8 or GB18030 (binary data?)"


class NoTextLayer(InputError):
    zh = "PDF 没有文字层（可能是扫描件），请先进行 OCR 文字识别"
    en = "the PDF has no text layer (scanned?); run OCR first"


class EncryptedInput(InputError):
    zh = "PDF 已加密，需要密码才能读取"
    en = "the PDF is encrypted"


class CorruptInput(InputError):
    zh = "文件已损坏或不完整"
    en = "the file is corrupt or truncated"


class RuleError(DubanError):
    zh = "规则数据文件有误"
    en = "invalid rule data"
