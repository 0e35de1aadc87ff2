"""OpenAI's error shape for the /v1 routes: every failure is `{"error": {message, type, param, code}}`.

The /v1 routes use their own route class, so a bad body, a body over the
size limit, a refused key or an unexpected fault comes out in the shape the
openai SDK and LangChain parse into their exception classes, whatever the
rest of the app answers on /api.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from bot.web.security import MISSING_BODY, body_problem

log = logging.getLogger(__name__)

SERVER_ERROR = "Sorry, something went wrong on our side. Please try again in a moment."
TOO_LARGE = "The request is too large: send at most {limit} bytes."


class OpenAIError(Exception):
    """A failure to report to an OpenAI client, with its HTTP status."""

    def __init__(
        self,
        status: int,
        message: str,
        kind: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind
        self.param = param
        self.code = code
        self.headers = headers or {}

    def body(self) -> dict:
        """Return the error as OpenAI's JSON body."""
        return {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}}

    def response(self) -> JSONResponse:
        """Return the error as a JSON response."""
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)


def _sentence(error: dict, location: str) -> str:
    kind = error.get("type")
    if kind == "json_invalid":
        return "The request body is not valid JSON."
    if not location and kind in ("model_attributes_type", "dict_type"):
        return "The request body must be a JSON object."
    if kind == "missing":
        return f"'{location}' is required." if location else MISSING_BODY
    problem = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    return f"'{location or 'body'}': {problem}."


def validation_error(exc: RequestValidationError) -> OpenAIError:
    """Turn pydantic's error list into a 400 naming each problem, with the first bad field as `param`."""
    errors = exc.errors()
    locations = [".".join(str(p) for p in e.get("loc", ()) if p != "body") for e in errors]
    message = " ".join(dict.fromkeys(_sentence(e, loc) for e, loc in zip(errors, locations, strict=True)))
    first = errors[0] if errors else {}
    code = {"missing": "missing_required_parameter", "json_invalid": "invalid_json"}.get(
        first.get("type", ""), "invalid_value"
    )
    param = None if code == "invalid_json" else (locations or [""])[0] or None  # a JSON error's location is an offset
    return OpenAIError(400, message or "The request is invalid.", param=param, code=code)


def _http_error(exc: HTTPException) -> OpenAIError:
    """Reshape an HTTP error raised by the framework (e.g. a body it cannot parse)."""
    detail = exc.detail if isinstance(exc.detail, str) else "The request is invalid."
    kind = "server_error" if exc.status_code >= 500 else "invalid_request_error"
    code = "request_too_large" if exc.status_code == 413 else None
    return OpenAIError(exc.status_code, detail, kind, code=code, headers=dict(exc.headers or {}))


def bounded_request(max_bytes: int) -> type[Request]:
    """Return a request class whose body refuses to grow past max_bytes (a 413 the framework passes on)."""
    too_large = TOO_LARGE.format(limit=max_bytes)

    class BoundedRequest(Request):
        async def body(self) -> bytes:
            if not hasattr(self, "_body"):
                declared = self.headers.get("content-length")
                if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
                    raise HTTPException(413, too_large, headers={"Connection": "close"})
                chunks, size = [], 0
                async for chunk in self.stream():
                    size += len(chunk)
                    if size > max_bytes:
                        raise HTTPException(413, too_large, headers={"Connection": "close"})
                    chunks.append(chunk)
                self._body = b"".join(chunks)
                problem = body_problem(self._body)
                if problem:
                    raise HTTPException(400, problem)
            return self._body

    return BoundedRequest


def openai_route(max_bytes: int) -> type[APIRoute]:
    """Return a route class that answers every failure of its routes in OpenAI's error shape."""
    request_class = bounded_request(max_bytes)

    class OpenAIRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def handle(request: Request) -> Response:
                try:
                    return await handler(request_class(request.scope, request.receive))
                except OpenAIError as exc:
                    return exc.response()
                except RequestValidationError as exc:
                    return validation_error(exc).response()
                except HTTPException as exc:
                    return _http_error(exc).response()
                except Exception as exc:
                    log.error(
                        "unhandled error",
                        extra={"event": "server_error", "path": request.url.path, "error": type(exc).__name__},
                    )
                    return OpenAIError(500, SERVER_ERROR, "server_error").response()

            return handle

    return OpenAIRoute
