"""The one exception tree of duban.

::

    DubanError                      every error the library raises on purpose
    ├── InputError                  a file the user gave cannot be read as a report
    │   ├── UnreadableFile          missing, or not allowed to read it
    │   ├── NotAFile                a folder, a pipe, a device: not a regular file
    │   ├── EmptyInput              nothing but white space (or a BOM, zero-width characters)
    │   ├── UnknownFormat           not .txt/.docx/.pdf/.html (or content disagrees)
    │   ├── TooLarge                over the size limit (or a DOCX that unpacks too large)
    │   ├── BinaryInput             bytes that no encoding reads as text
    │   ├── NotChinese              text, but Japanese, Korean or no Chinese in any encoding
    │   ├── NoTextLayer             a PDF of scanned pages: OCR first
    │   ├── EncryptedInput          a password-protected PDF
    │   └── CorruptInput            truncated or broken PDF/DOCX
    ├── RuleError                   a rule data file is invalid (file, rule, line)
    └── LedgerError                 the ledger refused a change; nothing was written
        ├── NotFound                no such report, task, update or department
        ├── AlreadyExists           the same report (file hash) was imported before
        ├── Conflict                冲突: changed by someone else since it was read (version);
        │                           ``who``, ``when``, ``what`` name that change (HTTP 409)
        ├── Forbidden               not this department's task, or not in this state
        ├── ValidationFailed        a sheet has errors: ``errors`` lists each with its row
        ├── LedgerUnavailable       the database cannot be opened, read or written (disk full,
        │                           read-only, missing, not a database, damaged, server down,
        │                           locked over the timeout); ``kind`` says which
        └── DamagedData             a backup (or a ledger) that is not whole: a table, a checksum,
                                    a row, orphan rows; ``problems`` lists them; nothing written

Each error carries the file it is about and a message in Chinese with an
English gloss; the CLI prints ``str(error)`` once and never a traceback.
"""
from __future__ import annotations

from datetime import datetime


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


class UnreadableFile(InputError):
    zh = "无法打开文件"
    en = "cannot open the file"


class NotAFile(InputError):
    zh = "不是普通文件（文件夹、管道或设备），不予读取"
    en = "not a regular file (a folder, a pipe or a device)"


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
    zh = "文件不是可识别编码的文本（UTF-8、GB18030、Big5 等；可能是二进制文件）"
    en = "no text in UTF-8, GB18030, Big5 or another encoding read (binary data?)"


class NotChinese(InputError):
    zh = "文件内容不是中文，无法作为政府工作报告读取"
    en = "the text is not Chinese"


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


class LedgerError(DubanError):
    zh = "台账操作被拒绝"
    en = "the ledger refused the change"


class NotFound(LedgerError):
    zh = "找不到"
    en = "not found"


class AlreadyExists(LedgerError):
    zh = "已经存在"
    en = "already exists"


class Conflict(LedgerError):
    """冲突: what was read has been changed since. ``who`` made the latest change, ``when``
    (an aware UTC datetime) and ``what`` they did (from the audit log); ``seen`` and
    ``current`` are the versions read and found. The web answers it with HTTP 409."""

    zh = "冲突：数据已被他人修改，请刷新后重试"
    en = "conflict: changed by someone else since you read it; reload and retry"

    def __init__(self, path: str, detail: str = "", *, who: str = "",
                 when: datetime | None = None, what: str = "", seen: int | None = None,
                 current: int | None = None) -> None:
        self.who = who
        self.when = when
        self.what = what
        self.seen = seen
        self.current = current
        super().__init__(path, detail)

    def __str__(self) -> str:
        base = super().__str__()
        if not (self.who or self.what):
            return base
        when = f" 于 {self.when.astimezone().strftime('%Y-%m-%d %H:%M')}" if self.when else ""
        return f"{base}；最近一次修改：{self.who or '（未知）'}{when} {self.what}".rstrip()


class Forbidden(LedgerError):
    zh = "无权进行此操作"
    en = "not allowed"


class ValidationFailed(LedgerError):
    """Every error of a sheet, each with its row and column; nothing was written."""

    zh = "表格校验未通过，未写入任何数据"
    en = "the sheet did not validate; nothing was written"

    def __init__(self, path: str, errors: list[tuple[int, str, str]],
                 row_label: str = "第{}行") -> None:
        self.errors = errors  # (row number, column, message)
        self.row_label = row_label
        lines = "；".join(f"{row_label.format(row)}[{column}] {message}"
                         for row, column, message in errors[:20])
        more = f"；等共 {len(errors)} 处" if len(errors) > 20 else f"（共 {len(errors)} 处）"
        super().__init__(path, lines + more)


class LedgerUnavailable(LedgerError):
    """The database itself failed: ``kind`` is one of full, read_only, cannot_open,
    not_a_database, damaged, unreachable, refused_login, locked, io, failed. Whatever was
    being written was rolled back; what was stored before is as it was."""

    zh = "台账数据库不可用，未写入任何数据"
    en = "the ledger database is unavailable; nothing was written"

    def __init__(self, path: str, detail: str = "", kind: str = "failed") -> None:
        self.kind = kind
        super().__init__(path, detail)


class DamagedData(LedgerError):
    """A backup (or a ledger about to be backed up) that is not whole; ``problems`` lists
    each (a missing table, a checksum, a bad row, rows whose parent is gone)."""

    zh = "数据不完整或已损坏，未做任何修改"
    en = "the data is not whole; nothing was changed"

    def __init__(self, path: str, problems: list[str]) -> None:
        self.problems = problems
        shown = "；".join(problems[:10])
        more = f"；等共 {len(problems)} 处" if len(problems) > 10 else ""
        super().__init__(path, shown + more)
