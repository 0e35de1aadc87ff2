"""Rate-limit the public chat and feedback routes per client IP and per session.

Each request to a limited route spends one unit of two budgets of
`RATE_LIMIT_PER_MINUTE` over a moving one-minute window: the client IP's and
the chat session's (the `session_id` in the JSON body, or Gradio's `session_hash`). A request over either
budget gets a 429 with `Retry-After` and a sentence the chat page and the
widget show. The client IP is the socket peer; `X-Forwarded-For` is believed
only when the peer is a configured trusted proxy, so a forged header cannot
buy a fresh budget. Budgets live in memory: one process, reset on restart.
The /v1 API (bot/web/openai) spends the same kind of budgets per IP and per integration key.
"""

from __future__ import annotations

import ipaddress
import json
import math
import time
from collections.abc import Iterable

from fastapi import FastAPI
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.config import Settings
from bot.web.security import replaying

# The JSON API, and the chat page's Gradio calls (a message joins the queue).
LIMITED_ROUTES = frozenset({"/api/chat", "/api/chat/stream", "/api/feedback", "/gradio_api/queue/join"})
LIMITED_PREFIXES = ("/gradio_api/run/",)
TOO_MANY = "You are sending messages faster than this assistant can answer. Please wait {seconds} s and try again."


def _normalise_ip(value: str) -> str:
    """Return an address in canonical form, or the stripped text when it is not an IP."""
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return value


def client_ip(peer: str | None, forwarded_for: Iterable[str], trusted: set[str]) -> str:
    """Return the client address: the peer, or the last untrusted X-Forwarded-For hop behind trusted proxies.

    Walking the header from the right stops at the first address no trusted
    proxy added, so whatever a client prepends is ignored.
    """
    trusted = {_normalise_ip(t) for t in trusted}
    address = _normalise_ip(peer or "unknown")
    if address not in trusted:
        return address
    hops = [_normalise_ip(h) for value in forwarded_for for h in value.split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
        address = hop
    return address


def _limited(path: str) -> bool:
    """Tell whether a POST to path spends the rate budget."""
    return path in LIMITED_ROUTES or path.startswith(LIMITED_PREFIXES)


def _budget(path: str) -> str:
    """Name the budget a route spends: every way of sending a message shares one."""
    return "feedback" if path == "/api/feedback" else "messages"


def _session_id(body: bytes) -> str | None:
    """Return the session id of a JSON body, if it has a usable one."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    session = (data.get("session_id") or data.get("session_hash")) if isinstance(data, dict) else None
    return session[:100] if isinstance(session, str) and session else None


def scope_client_ip(scope: Scope, trusted: set[str]) -> str:
    """Return the client address of an ASGI request (see `client_ip`)."""
    forwarded = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-forwarded-for"]
    client = scope.get("client")
    return client_ip(client[0] if client else None, forwarded, trusted)


class Budgets:
    """Per-minute budgets of named keys over a moving one-minute window, in memory."""

    def __init__(self, per_minute: int) -> None:
        self.item = RateLimitItemPerMinute(per_minute)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def spend(self, budget: str, keys: list[tuple[str, str]]) -> int | None:
        """Spend one unit of each key's budget; when any is spent out, spend nothing and return the seconds to wait."""
        blocked = [key for key in keys if not self.limiter.test(self.item, budget, *key)]
        if blocked:
            return max(self._retry_after(budget, key) for key in blocked)
        for key in keys:
            self.limiter.hit(self.item, budget, *key)
        return None

    def _retry_after(self, budget: str, key: tuple[str, str]) -> int:
        reset_time, _remaining = self.limiter.get_window_stats(self.item, budget, *key)
        return max(1, math.ceil(reset_time - time.time()))


class RateLimitMiddleware:
    """Answer 429 when a client IP or a session is over its per-minute budget."""

    def __init__(self, app: ASGIApp, per_minute: int, trusted: set[str]) -> None:
        self.app = app
        self.budgets = Budgets(per_minute)
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
        retry_after = self.budgets.spend(_budget(scope["path"]), keys)
        if retry_after is not None:
            await _too_many(send, retry_after)
            return
        await self.app(scope, receive, send)


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


async def _too_many(send: Send, retry_after: int) -> None:
    payload = json.dumps({"detail": TOO_MANY.format(seconds=retry_after)}).encode()
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


def install_rate_limit(app: FastAPI, settings: Settings) -> None:
    """Limit the public chat routes; `RATE_LIMIT_PER_MINUTE=0` turns limiting off.

    Install before the CORS middleware so a 429 carries CORS headers and the
    widget on another site can read it.
    """
    if settings.rate_limit_per_minute > 0:
        app.add_middleware(
            RateLimitMiddleware, per_minute=settings.rate_limit_per_minute, trusted=settings.trusted_proxy_ips
        )
