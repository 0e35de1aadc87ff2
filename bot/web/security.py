"""Harden every response: request size limit, safe defaults for headers, no stack traces.

The public API takes small JSON bodies, so anything over `MAX_REQUEST_BYTES`
is refused with a 413 before it is parsed, and a body that is not UTF-8 gets
a 400 naming the problem. Every response gets `nosniff`, a referrer policy
and, unless a surface set its own (the chat page's `frame-ancestors`), a CSP
that lets a JSON reply load and frame nothing. An unexpected error becomes a
generic JSON 500: no exception text, no stack trace.
"""

from __future__ import annotations

import json
import logging
import traceback
from pathlib import PurePath

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config import Settings
from bot.knowledge.text import LONE_SURROGATE

log = logging.getLogger(__name__)

LIMITED_PREFIX = "/api/"
UPLOAD_PREFIX = "/api/recruiter/"  # the console sends documents and files: a larger limit, binary uploads allowed
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"cross-origin-opener-policy": b"same-origin",
}
TOO_LARGE = (
    "The request is too large: send at most {limit} bytes in all, the message and the history together"
    " (a message is at most {chars} characters)."
)
UPLOAD_TOO_LARGE = "The upload is too large: send at most {limit} bytes (MAX_UPLOAD_BYTES) at once."
NOT_UTF8 = "The request body is not valid UTF-8 text."
MISSING_BODY = "The request body is missing or empty: send a JSON object."
TOO_DEEP = "The request body is nested too deeply to read: send a flat JSON object."
LONG_NUMBER = "The request body holds a number too long to read."
SURROGATE = (
    "The request body holds a lone UTF-16 surrogate (an escape such as \\ud800 without its pair), "
    "which is not a character: send valid Unicode text."
)
SERVER_ERROR = "Sorry, something went wrong on our side. Please try again in a moment."


class _TooLarge(Exception):
    """The body grew past the limit while it was read."""


async def _reply(send: Send, status: int, detail: str, extra: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    payload = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class RequestGuardMiddleware:
    """Refuse `/api/*` bodies that are too large (413) or unreadable (400: not UTF-8, empty, see body_problem).

    A declared Content-Length over the limit is refused without reading;
    a chunked body is read up to the limit and refused as soon as it passes it.
    The recruiter console's routes have a limit of their own (`upload_bytes`),
    and their multipart uploads may be binary (PDF, Word).
    """

    def __init__(self, app: ASGIApp, max_bytes: int, max_chars: int, upload_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.too_large = TOO_LARGE.format(limit=max_bytes, chars=max_chars)
        self.upload_bytes = upload_bytes or max_bytes
        self.upload_too_large = UPLOAD_TOO_LARGE.format(limit=self.upload_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in BODY_METHODS
            or not scope["path"].startswith(LIMITED_PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        console = scope["path"].startswith(UPLOAD_PREFIX)
        limit, too_large = (self.upload_bytes, self.upload_too_large) if console else (self.max_bytes, self.too_large)
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _reply(send, 413, too_large, ((b"connection", b"close"),))
            return
        try:
            body = await self._read(receive, limit)
        except _TooLarge:
            await _reply(send, 413, too_large, ((b"connection", b"close"),))
            return
        content_type = next((v for k, v in scope["headers"] if k == b"content-type"), b"")
        if not (console and content_type.lower().startswith(b"multipart/form-data")):
            # A console body of megabytes takes a while to read through: not on the event loop.
            small = len(body) <= self.max_bytes
            problem = body_problem(body) if small else await run_in_threadpool(body_problem, body)
            if problem:
                await _reply(send, 400, problem)
                return
        await self.app(scope, replaying(body, receive), send)

    async def _read(self, receive: Receive, limit: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def body_problem(body: bytes) -> str | None:
    """Name what makes a text body unusable before any handler reads it, or return None.

    Python's JSON reader accepts a lone surrogate escape ("\\ud800") and then
    every encoder fails on the string, and it raises RecursionError for deep
    nesting: both would surface as a 500 wherever the value goes next.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    if not text.strip():
        return None  # a route without a body takes it; one that needs a body says it is missing
    try:
        data = json.loads(text)
    except RecursionError:
        return TOO_DEEP
    except json.JSONDecodeError:
        return None  # broken JSON: the handler names it
    except ValueError:
        return LONG_NUMBER  # an integer past Python's digit limit for reading numbers
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and LONE_SURROGATE.search(item):
            return SURROGATE
        if isinstance(item, dict):
            pending += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            pending += item
    return None


def replaying(body: bytes, receive: Receive) -> Receive:
    """Return a receive that yields body once, then defers to the server (to hear disconnects)."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class SecurityHeadersMiddleware:
    """Add the safe-default headers to every response, keeping any a route already set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in HEADERS.items() if k not in present]
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                is_html = content_type.startswith(b"text/html")
                if b"content-security-policy" not in present and not is_html:
                    headers.append((b"content-security-policy", API_CSP.encode()))
                headers = [(k, v) for k, v in headers if k.lower() not in (b"server", b"x-powered-by")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_request_guards(app: FastAPI, settings: Settings) -> None:
    """Add the size/UTF-8 guard and the generic 500 handler.

    Install before the CORS middleware, so a 413 reaches a widget on
    another site readable.
    """
    app.add_middleware(
        RequestGuardMiddleware,
        max_bytes=settings.max_request_bytes,
        max_chars=settings.max_message_chars,
        upload_bytes=settings.max_upload_bytes,
    )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error(
            "unhandled error",
            extra={"event": "server_error", "path": request.url.path, "error": type(exc).__name__, **_where(exc)},
        )
        headers = {k.decode(): v.decode() for k, v in HEADERS.items()}
        return JSONResponse(status_code=500, content={"detail": SERVER_ERROR}, headers=headers)


def _where(exc: Exception) -> dict[str, str]:
    """Name the code an error was raised in: the innermost frame, and the innermost one of this app.

    The log keeps no message or values (they may hold what a candidate typed), so this is what an
    engineer has to find a rare error by.
    """
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "bot" in PurePath(f.filename).parts]

    def named(frame: traceback.FrameSummary) -> str:
        return f"{PurePath(frame.filename).name}:{frame.lineno} {frame.name}"

    return {"raised_in": named(frames[-1]) if frames else "", "app_frame": named(ours[-1]) if ours else ""}


def install_security_headers(app: FastAPI) -> None:
    """Add the header middleware; install last so it wraps every other response."""
    app.add_middleware(SecurityHeadersMiddleware)
