"""How the office files look, in one place: the lights' and verdicts' colours (their one
definition is ``data/status.toml``, read by ``duban.track``), the sheets' cell formats and
the circular's fonts."""
from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from ..track import STATUS_COLOURS, STATUS_ZH, Colour
from ..track.promise import VERDICT_COLOURS

# -- sheets ---------------------------------------------------------------------------------
HEADER_FILL = "D9E1F2"
BORDER_COLOUR = "999999"
QUIET_TEXT = "808080"  # 任务编号 and 版本: the ledger's keys, not to be edited
READONLY_FILL = "F2F2F2"  # what the ledger fills in on a department's sheet
TITLE_SIZE = 14

_THIN = Side(style="thin", color=BORDER_COLOUR)
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

# -- the circular ------------------------------------------------------------------------------
BODY_FONT, BODY_FONT_EAST_ASIA, BODY_SIZE = "FangSong", "仿宋", 12
RED_HEAD = "C00000"  # the red masthead of an official document (红头)


def hex6(colour: str) -> str:
    """#1565C0 -> 1565C0, as openpyxl and python-docx want it."""
    return colour.lstrip("#").upper()


def header_cell_style() -> tuple[Font, PatternFill, Alignment]:
    return (Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL),
            Alignment(horizontal="center", vertical="center", wrap_text=True))


def light(status: str) -> tuple[PatternFill, Font]:
    """The fill and the bold text of a status cell."""
    return _paint(STATUS_COLOURS[status])


def verdict_light(verdict: str) -> tuple[PatternFill, Font]:
    return _paint(VERDICT_COLOURS[verdict])


def _paint(colour: Colour) -> tuple[PatternFill, Font]:
    return (PatternFill("solid", fgColor=hex6(colour.fill)),
            Font(color=hex6(colour.text), bold=True))


def legend() -> list[tuple[str, str]]:
    """(status, its words) in the order of the lights, for a sheet's key."""
    return list(STATUS_ZH.items())
