"""The OpenAPI document and the interactive docs, for authenticated callers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from stead.api.routes.common import Caller

__all__ = ["OPENAPI_PATH", "router"]

OPENAPI_PATH = "/api/openapi.json"
router = APIRouter(prefix="/api", include_in_schema=False)


@router.get("/openapi.json")
def openapi_document(request: Request, _caller: Caller) -> dict[str, Any]:
    document: dict[str, Any] = request.app.openapi()
    return document


@router.get("/docs")
def interactive_docs(_caller: Caller) -> HTMLResponse:
    return get_swagger_ui_html(openapi_url=OPENAPI_PATH, title="Stead API")
