"""The promise check in the web app: a government's targets of year N against its review of
year N+1, for every consecutive pair of reports in the ledger. Public, like the reports."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from ...errors import NotFound
from ...ingest import report_from_text
from ...pipeline import analyse
from ...store.views import consecutive_reports, report_original
from ...track.promise import VERDICT_ZH, check_promises
from ..deps import Services, page, services

router = APIRouter()


def _extraction(svc: Services, report_id: int):  # type: ignore[no-untyped-def]
    name, fmt, text = report_original(svc.ledger, report_id)
    return analyse(report_from_text(text, name or "report.txt", fmt), assign=False)


def promises_data(svc: Services, government: str, year: int | None) -> dict[str, Any]:
    pairs = svc.cached(("pairs",), lambda: consecutive_reports(svc.ledger))
    chosen = [p for p in pairs if (not government or p["government"] == government)
              and (year is None or p["year"] == year)]
    data: dict[str, Any] = {"pairs": pairs, "government": government, "year": year,
                            "links": [], "counts": []}
    if not pairs and not government and year is None:
        return data
    if not chosen:
        raise NotFound(f"{government} {year or ''}", "没有这一对相邻年份的报告")
    pair = chosen[-1]

    def build() -> list[dict[str, Any]]:
        links = check_promises(_extraction(svc, pair["earlier"]), _extraction(svc, pair["later"]))
        return [link.to_json() for link in links]

    links = svc.cached(("promises", pair["earlier"], pair["later"]), build)
    counts = {v: 0 for v in VERDICT_ZH}
    for link in links:
        counts[link["verdict"]] += 1
    data.update(government=pair["government"], year=pair["year"], pair=pair, links=links,
                counts=[{"verdict": v, "label": VERDICT_ZH[v], "count": n} for v, n in counts.items()])
    return data


@router.get("/public/promises", include_in_schema=False)
def promises_page(request: Request, government: str = Query("", max_length=50),  # type: ignore[no-untyped-def]
                  year: int | None = Query(None, ge=1949, le=2100)):
    return page(request, "promises.html", promises_data(services(request), government, year))


@router.get("/api/v1/public/promises", tags=["public"])
def promises_json(request: Request, government: str = Query("", max_length=50),
                  year: int | None = Query(None, ge=1949, le=2100)) -> dict[str, Any]:
    """Year N's targets against year N+1's review: links with both quotes and a verdict."""
    return promises_data(services(request), government, year)
