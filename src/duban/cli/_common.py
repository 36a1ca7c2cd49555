"""What every command shares: one path from a library error to one clear message and exit 1.

Heavy libraries (rich, the database, the extractor) are imported inside the functions that
use them, so that ``duban --help`` starts at once.
"""
from __future__ import annotations

import errno
import sys
from typing import TYPE_CHECKING, Callable, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console

    from ..settings import Settings

T = TypeVar("T")
LEVELS = ("district", "county", "city", "province", "national")


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def plain(text: object) -> str:
    """Text shown as it is: a file name holding [brackets] is not console markup."""
    from rich.markup import escape

    return escape(str(text))


def warn(message: str) -> None:
    console(stderr=True).print(f"[yellow]警告 warning[/] {plain(message)}", soft_wrap=True)


def error(message: str) -> None:
    """One error line on stderr (the caller decides whether to stop), never wrapped: a file
    name stays whole to copy."""
    console(stderr=True).print(f"[bold red]错误 error[/] {plain(message)}", soft_wrap=True)


def die(message: str) -> NoReturn:
    error(message)
    sys.exit(1)


def run(action: Callable[[], T]) -> T:
    """Run a library call; its errors become one clear message and exit 1, never a traceback.

    A sheet's errors are listed one per row; a ledger fault (the database unreachable, the
    disk full) is named as such: the store names its own, and a database error that reaches
    here all the same is named by the store's ``fault_of``.
    """
    from ..errors import DubanError, ValidationFailed

    try:
        return action()
    except ValidationFailed as exc:
        err = console(stderr=True)
        err.print(f"[bold red]校验未通过，未写入任何数据 (nothing written)[/]：{plain(exc.path)}，"
                  f"共 {len(exc.errors)} 处", soft_wrap=True)
        for row, column, message in exc.errors:
            err.print(f"  {plain(exc.row_label.format(row))} [{plain(column)}] {plain(message)}",
                      soft_wrap=True)
        sys.exit(1)
    except (DubanError, ValueError) as exc:
        die(str(exc))
    except OSError as exc:
        name = getattr(exc, "filename", None)
        reason = "磁盘已满 (disk full)" if exc.errno == errno.ENOSPC else exc.strerror or exc
        die(f"{name or ''}: 无法读写文件 (cannot read or write): {reason}")
    except Exception as exc:
        if not _from_database(exc):
            raise
        from ..store import database_url, fault_of

        die(str(fault_of(exc, database_url())))


def _from_database(exc: BaseException) -> bool:
    """A SQLAlchemy or driver error (checked without importing the database libraries)."""
    module = type(exc).__module__
    return module.startswith(("sqlalchemy", "sqlite3", "psycopg"))


def settings() -> Settings:
    from ..settings import Settings, SettingsError

    from ..store import lock_timeout

    try:
        lock_timeout()  # DUBAN_LOCK_TIMEOUT, read by the store when it opens the database
        return Settings.from_env()
    except (SettingsError, ValueError) as exc:
        die(f"配置错误 (settings): {exc}")


def status_markup(status: str) -> str:
    """A status word in its colour, as every page and sheet shows it."""
    from ..track import STATUS_COLOURS, STATUS_ZH

    colour = STATUS_COLOURS.get(status)
    word = STATUS_ZH.get(status, status)
    if colour is None:
        return plain(word)
    return f"[{colour.text} on {colour.fill}] {plain(word)} [/]"


level_option = click.option(
    "--level", type=click.Choice(LEVELS), default="district", show_default=True,
    help="政府层级，决定建议的部门名称 (government level for department names)")
