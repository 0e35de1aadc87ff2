"""Rate-limit the public chat and feedback routes per client IP and per session, and recruiter sign-ins per IP.

Each request to a limited route spends one unit of two budgets of
`RATE_LIMIT_PER_MINUTE` over a moving one-minute window: the client IP's and
the chat session's (the `session_id` in the JSON body, or Gradio's `session_hash`). A request over either
budget gets a 429 with `Retry-After` and a sentence the chat page and the
widget show. The client IP is the socket peer; `X-Forwarded-For` is believed
only when the peer is a configured trusted proxy, so a forged header cannot
buy a fresh budget. Wrong recruiter passwords spend a budget of their own
per IP (`RECRUITER_SIGNIN_FAILURES_PER_MINUTE`).

Budgets live where `RATE_LIMIT_STORAGE_URI` says (see bot/web/budgets.py):
`memory://` (one process, reset on restart) or `redis://...`, shared by
every replica.
"""

from __future__ import annotations

import json
import logging
import re

from fastapi import FastAPI, Request
from limits import RateLimitItemPerMinute
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.config import Settings
from bot.web.budgets import Budgets
from bot.web.client_ip import client_ip, scope_client_ip
from bot.web.security import replaying

log = logging.getLogger(__name__)

# The JSON API, and the chat pages' Gradio calls: a message joins the queue; page loads and
# thumbs up/down are direct calls, which spend the feedback budget rather than the messages one.
LIMITED_ROUTES = frozenset({"/api/chat", "/api/chat/stream", "/api/feedback", "/gradio_api/queue/join"})
LIMITED_PREFIXES = ("/gradio_api/run/",)
POSTING_PAGE = re.compile(r"^/p/[^/]+(?=/gradio_api/)")  # a posting's chat page makes the same calls under /p/<id>
TOO_MANY = "You are sending messages faster than this assistant can answer. Please wait {seconds} s and try again."
TOO_MANY_SIGNINS = "Too many wrong recruiter passwords from this address. Please wait {seconds} s and try again."


def _limited(path: str) -> bool:
    """Tell whether a POST to path spends the rate budget."""
    path = POSTING_PAGE.sub("", path)
    return path in LIMITED_ROUTES or path.startswith(LIMITED_PREFIXES)


def _budget(path: str) -> str:
    """Name the budget a route spends: every way of sending a message shares one."""
    path = POSTING_PAGE.sub("", path)
    return "feedback" if path == "/api/feedback" or path.startswith(LIMITED_PREFIXES) else "messages"


def _session_id(body: bytes) -> str | None:
    """Return the session id of a JSON body, if it has a usable one."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested past what the reader takes: no session to read
        return None
    session = (data.get("session_id") or data.get("session_hash")) if isinstance(data, dict) else None
    return session[:100] if isinstance(session, str) and session else None


class RateLimitMiddleware:
    """Answer 429 when a client IP or a session is over its per-minute budget."""

    def __init__(self, app: ASGIApp, per_minute: int, trusted: set[str], budgets: Budgets | None = None) -> None:
        self.app = app
        self.item = RateLimitItemPerMinute(per_minute)
        self.budgets = budgets or Budgets()
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or not _limited(scope["path"]):
            await self.app(scope, receive, send)
            return
        body, receive = await _buffer_body(receive)
        keys = [("ip", scope_client_ip(scope, self.trusted))]
        session = _session_id(body)
        if session is not None:
            keys.append(("session", session))
        retry_after = await self.budgets.spend_all(self.item, _budget(scope["path"]), keys)
        if retry_after is not None:
            await _too_many(send, TOO_MANY.format(seconds=retry_after), retry_after)
            return
        await self.app(scope, receive, send)


class SignInLimiter:
    """Refuse a client IP that sent too many wrong recruiter passwords within a minute."""

    def __init__(self, budgets: Budgets, per_minute: int, trusted: set[str]) -> None:
        self.budgets = budgets
        self.item = RateLimitItemPerMinute(per_minute)
        self.trusted = trusted

    def _key(self, request: Request) -> tuple[str, str]:
        peer = request.client.host if request.client else None
        return ("recruiter-signin", client_ip(peer, request.headers.getlist("x-forwarded-for"), self.trusted))

    async def refused(self, request: Request) -> tuple[str, int] | None:
        """Return (sentence, Retry-After seconds) when the request's IP is out of attempts, else None."""
        key = self._key(request)
        if await self.budgets.allowed(self.item, *key):
            return None
        seconds = await self.budgets.retry_after(self.item, *key)
        return TOO_MANY_SIGNINS.format(seconds=seconds), seconds

    async def failed(self, request: Request) -> None:
        """Spend one attempt of the request's IP."""
        await self.budgets.spend(self.item, *self._key(request))


async def _buffer_body(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole request body and return it with a receive that replays it.

    After the replay, receive falls through to the server so streaming
    responses still hear the client disconnect.
    """
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    return body, replaying(body, receive)


async def _too_many(send: Send, detail: str, retry_after: int) -> None:
    payload = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"retry-after", str(retry_after).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def install_rate_limit(app: FastAPI, settings: Settings, budgets: Budgets | None = None) -> None:
    """Limit the public chat routes; `RATE_LIMIT_PER_MINUTE=0` turns limiting off.

    Install before the CORS middleware so a 429 carries CORS headers and the
    widget on another site can read it.
    """
    if settings.rate_limit_per_minute > 0:
        app.add_middleware(
            RateLimitMiddleware,
            per_minute=settings.rate_limit_per_minute,
            trusted=settings.trusted_proxy_ips,
            budgets=budgets,
        )


def sign_in_limiter(settings: Settings, budgets: Budgets) -> SignInLimiter | None:
    """Return the recruiter sign-in limiter; `RECRUITER_SIGNIN_FAILURES_PER_MINUTE=0` turns it off."""
    if settings.recruiter_signin_failures_per_minute == 0:
        return None
    return SignInLimiter(budgets, settings.recruiter_signin_failures_per_minute, settings.trusted_proxy_ips)
