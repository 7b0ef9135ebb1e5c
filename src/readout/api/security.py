"""The server's rules of the house: security headers on every response, a size limit on every
request body, a bearer token for every write, and files only from permitted folders."""
from __future__ import annotations

import json
import logging
import secrets
from pathlib import Path

from fastapi import Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from readout.api.errors import ApiError, error_body
from readout.api.settings import Settings

log = logging.getLogger("readout.api")

# Scripts, styles, images and fetches from this server only: article text that slipped
# through escaping still could not load or run anything, nor be framed by another site.
CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


class Guard:
    """Outermost ASGI middleware: adds HEADERS, refuses bodies over `max_body` bytes (413),
    and answers an unexpected exception with a 500 in the error shape."""

    def __init__(self, app: ASGIApp, max_body: int):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        if self.declared_length(scope) > self.max_body:
            await self.too_large(send_with_headers)
            return
        try:
            await self.app(scope, self.limited(receive), send_with_headers)
        except Exception:
            log.exception("unexpected error answering %s", scope.get("path"))
            if not started:
                await respond(send_with_headers, 500, "internal_error",
                              "the server failed to answer; its log says why")

    def declared_length(self, scope: Scope) -> int:
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                return int(value) if value.isdigit() else self.max_body + 1
        return 0

    def limited(self, receive: Receive) -> Receive:
        """`receive` that stops a chunked body as soon as it passes the limit."""
        seen = 0

        async def receive_limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise HTTPException(413, self.too_large_message())
            return message
        return receive_limited

    def too_large_message(self) -> str:
        return f"request body over the limit of {self.max_body} bytes"

    async def too_large(self, send: Send) -> None:
        await respond(send, 413, "payload_too_large", self.too_large_message())


async def respond(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps(error_body(code, message)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


bearer = HTTPBearer(auto_error=False, description="READOUT_API_TOKEN of the server")


def require_token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Writes need the configured token; a server with none configured takes no writes."""
    settings: Settings = request.app.state.settings
    if not settings.writable:
        raise ApiError(403, "writes_disabled",
                       "this server is read-only: start it with READOUT_API_TOKEN set to allow writes")
    if credentials is None:
        raise ApiError(401, "unauthorized", "this endpoint writes: send Authorization: Bearer TOKEN",
                       {"WWW-Authenticate": "Bearer"})
    if not secrets.compare_digest(credentials.credentials.encode(), settings.token.encode()):
        raise ApiError(403, "forbidden", "the bearer token is not the server's")


def permitted_file(settings: Settings, name: str, folders_too: bool = False) -> Path:
    """The file (or folder) `name` names if it lies inside a permitted folder, symlinks
    followed, so that neither ../ nor a link leads out; else a 403. Relative names are read
    from the first permitted folder."""
    if not settings.folders:
        raise ApiError(403, "path_not_permitted",
                       "this server reads no files: set READOUT_API_FOLDERS to the folders it may read")
    path = Path(name).expanduser()
    resolved = (path if path.is_absolute() else settings.folders[0] / path).resolve()
    if not any(resolved.is_relative_to(folder) for folder in settings.folders):
        raise ApiError(403, "path_not_permitted", f"{name}: outside the folders this server may read")
    if not (resolved.is_file() or (folders_too and resolved.is_dir())):
        raise ApiError(404, "not_found", f"{name}: no such file in the permitted folders")
    return resolved
