"""The API documentation page: Swagger UI vendored under static/vendor (offline networks),
started by a script file, as the Content-Security-Policy allows no inline script."""
from __future__ import annotations

from fastapi import APIRouter, Request

from ..deps import page

router = APIRouter()


@router.get("/api/docs", include_in_schema=False)
def api_docs(request: Request):  # type: ignore[no-untyped-def]
    return page(request, "api_docs.html", {"openapi": request.app.openapi_url})
