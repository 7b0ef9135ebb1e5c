"""Every error of the server in one JSON shape, {"error": {"code", "message"}}, translated once.

Library errors (ReadoutError) become client or server errors by kind; FastAPI's validation
errors and Starlette's 404/405 get the same shape; anything unexpected is a 500 that says
nothing about the server's insides. Web pages get the same code and message as an HTML page.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from readout.errors import KnowledgeBaseError, ReadoutError, StoreError, UnreadableInput

log = logging.getLogger("readout.api")

STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type",
                422: "invalid_request", 500: "internal_error", 503: "store_unavailable"}


class ApiError(Exception):
    """An error the server answers with on purpose: HTTP status, a stable code, one line."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class ErrorDetail(BaseModel):
    code: str = Field(description="stable, e.g. not_found, invalid_request")
    message: str = Field(description="one line saying what was wrong")


class ErrorBody(BaseModel):
    """Every error of the server, whatever the endpoint or status."""

    error: ErrorDetail


def declared(*statuses: int) -> dict:
    """OpenAPI `responses` for the error statuses an endpoint can answer with: the schema
    then says what a client (and schemathesis) will get, in place of FastAPI's own 422 shape."""
    return {status: {"model": ErrorBody, "description": STATUS_CODES[status]} for status in statuses}


# Any read endpoint: a bad parameter, nothing found, a store that cannot be read, a failure.
READ_ERRORS = declared(400, 404, 422, 500, 503)


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def as_api_error(error: Exception) -> ApiError:
    """The ApiError for any exception that reached the edge."""
    if isinstance(error, ApiError):
        return error
    if isinstance(error, StarletteHTTPException):
        return ApiError(error.status_code, STATUS_CODES.get(error.status_code, "http_error"),
                        str(error.detail), getattr(error, "headers", None))
    if isinstance(error, RequestValidationError):
        return ApiError(422, "invalid_request", validation_message(error))
    if isinstance(error, (KnowledgeBaseError, UnreadableInput)):
        return ApiError(422, "invalid_input", str(error))
    if isinstance(error, StoreError):
        return ApiError(503, "store_unavailable", str(error))
    if isinstance(error, ReadoutError):
        return ApiError(400, "bad_request", str(error))
    log.exception("unexpected error", exc_info=error)
    return ApiError(500, "internal_error", "the server failed to answer; its log says why")


def validation_message(error: RequestValidationError) -> str:
    """FastAPI's list of problems as one line: 'query.limit: Input should be ...; ...'."""
    parts = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem.get("loc", ()))
        parts.append(f"{where}: {problem.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def json_error(error: ApiError) -> JSONResponse:
    return JSONResponse(error_body(error.code, error.message), status_code=error.status,
                        headers=error.headers)


def install(app: FastAPI, render_page=None) -> None:
    """Route every error to one handler; `render_page(request, error)` answers browsers."""
    async def handle(request: Request, exc: Exception):
        error = with_place(as_api_error(exc), request)
        if render_page is not None and wants_page(request):
            return render_page(request, error)
        return json_error(error)

    # Not `Exception`: Starlette would answer that outside every middleware, without the
    # security headers; the Guard middleware (security.py) turns unexpected errors into a 500.
    for kind in (ApiError, StarletteHTTPException, RequestValidationError, ReadoutError):
        app.add_exception_handler(kind, handle)


def with_place(error: ApiError, request: Request) -> ApiError:
    """Starlette's bare "Not Found" and "Method Not Allowed" made to name what was asked."""
    if error.status == 404 and error.message == "Not Found":
        error.message = f"{request.url.path}: no such page or endpoint; /docs lists the API"
    elif error.status == 405 and error.message == "Method Not Allowed":
        error.message = f"{request.method} is not allowed on {request.url.path}"
    return error


def wants_page(request: Request) -> bool:
    """A browser asking for a page (not the API, not a script) gets an HTML error page."""
    path = request.url.path
    if path.startswith("/api/") or path in ("/openapi.json",) or path.startswith("/static/"):
        return False
    return "text/html" in request.headers.get("accept", "")
