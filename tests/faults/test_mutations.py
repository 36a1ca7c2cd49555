"""Mutated reports through ``duban.analyse``: random byte flips, cuts, insertions, deletions
and splices of a real report (seeded). Each either reads, with every quantity and task
quoted exactly where its offsets say, or is refused with a DubanError; nothing else escapes."""
from __future__ import annotations

import io
import random

from duban.data import sample_path
from duban.errors import DubanError
from duban.models import Extraction

REPORT = sample_path().read_text(encoding="utf-8")  # an excerpt of 成都市青羊区's 2023 report
MUTATED = 2000
SEED = 2026


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three random edits of ``data``."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(("flip", "flip", "cut", "insert", "delete", "splice"))
        at = rng.randrange(len(out) + 1)
        if kind == "flip":
            for _ in range(rng.randint(1, 20)):
                if out:
                    out[rng.randrange(len(out))] = rng.randrange(256)
        elif kind == "cut":
            out = out[:at] if rng.random() < 0.5 else out[at:]
        elif kind == "insert":
            out[at:at] = rng.randbytes(rng.randint(1, 64))
        elif kind == "delete":
            del out[at:at + rng.randint(1, 200)]
        else:  # a piece of the report copied elsewhere: figures and quotes in the wrong place
            start = rng.randrange(len(data))
            out[at:at] = data[start:start + rng.randint(1, 400)]
    return bytes(out)


def _check(result: Extraction) -> int:
    original = result.report.original
    for q in result.quantities:
        assert original[q.start:q.end] == q.quote, (q.start, q.end, q.quote)
    for t in result.tasks:
        assert original[t.start:t.end] == t.quote, (t.start, t.end, t.quote)
    return len(result.quantities)


def run_mutants(first: int, last: int) -> tuple[int, int, int, list[str]]:
    """Mutants ``first`` to ``last - 1`` (each seeded by its number) through analyse: how many
    read, refused, quantities checked, and every exception that is not a DubanError."""
    sources = {".txt": [REPORT.encode("utf-8"), REPORT.encode("gb18030"),
                        REPORT.encode("utf-16"), ("\ufeff" + REPORT).encode("utf-8")],
               ".html": [f"<html><body><p>{REPORT}</p></body></html>".encode("utf-8")]}
    from duban import analyse

    read = refused = quantities = 0
    escaped: list[str] = []
    for i in range(first, last):
        rng = random.Random(SEED * 100_000 + i)
        suffix = ".html" if i % 10 == 9 else ".txt"
        data = mutate(rng.choice(sources[suffix]), rng)
        try:
            result = analyse(data, name=f"mutant-{i}{suffix}", assign=i % 20 == 0)
        except DubanError:
            refused += 1
            continue
        except Exception as exc:  # noqa: BLE001 - counted: there must be none
            escaped.append(f"{i}: {type(exc).__name__}: {exc}")
            continue
        read += 1
        quantities += _check(result)
    return read, refused, quantities, escaped


def test_mutated_reports_read_or_refused_and_every_span_quotes_itself() -> None:
    read, refused, quantities, escaped = run_mutants(0, MUTATED)  # some 10 s of CPU
    assert escaped == []
    assert read + refused == MUTATED
    assert read > MUTATED // 2 and quantities > 5 * read  # most mutants still are reports


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("STSong-Light", 10)
    for i, line in enumerate(text.splitlines()[:30]):
        page.drawString(40, 800 - 14 * i, line[:45])
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_mutated_docx_and_pdf_files_are_refused_or_read_never_a_crash() -> None:
    from duban import analyse

    rng = random.Random(SEED + 1)
    originals = {".docx": _docx(REPORT), ".pdf": _pdf(REPORT)}
    escaped: list[str] = []
    outcomes = {"read": 0, "refused": 0}
    for i in range(200):
        suffix = ".docx" if i % 2 else ".pdf"
        data = mutate(originals[suffix], rng)
        try:
            result = analyse(data, name=f"mutant-{i}{suffix}", assign=False)
        except DubanError:
            outcomes["refused"] += 1
            continue
        except Exception as exc:  # noqa: BLE001 - counted: there must be none
            escaped.append(f"{i}{suffix}: {type(exc).__name__}: {exc}")
            continue
        outcomes["read"] += 1
        _check(result)
    assert escaped == []
    assert outcomes["read"] > 0 and outcomes["refused"] > 0
