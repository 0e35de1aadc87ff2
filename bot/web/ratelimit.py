"""Rate-limit the public chat and feedback routes per client IP and per session, and recruiter sign-ins per IP.

Each request to a limited route spends one unit of two budgets of
`RATE_LIMIT_PER_MINUTE` over a moving one-minute window: the client IP's and
the chat session's (the `session_id` in the JSON body, or Gradio's `session_hash`). A request over either
budget gets a 429 with `Retry-After` and a sentence the chat page and the
widget show. The client IP is the socket peer; `X-Forwarded-For` is believed
only when the peer is a configured trusted proxy, so a forged header cannot
buy a fresh budget. Wrong recruiter passwords spend a budget of their own
per IP (`RECRUITER_SIGNIN_FAILURES_PER_MINUTE`).

Budgets live where `RATE_LIMIT_STORAGE_URI` says, through `limits`' own
storages: `memory://` (one process, reset on restart) or `redis://...`,
shared by every replica. While the shared storage cannot be reached,
budgets are spent in process memory instead (logged, counted, and named in
/api/health), and the shared storage is tried again every few seconds.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import re
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlparse

from fastapi import FastAPI, Request
from limits import RateLimitItem, RateLimitItemPerMinute
from limits.aio.strategies import MovingWindowRateLimiter as SharedWindow
from limits.errors import ConfigurationError
from limits.errors import StorageError as LimitsStorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter as LocalWindow
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.config import Settings
from bot.web.security import replaying

log = logging.getLogger(__name__)

# The JSON API, and the chat pages' Gradio calls: a message joins the queue; page loads and
# thumbs up/down are direct calls, which spend the feedback budget rather than the messages one.
LIMITED_ROUTES = frozenset({"/api/chat", "/api/chat/stream", "/api/feedback", "/gradio_api/queue/join"})
LIMITED_PREFIXES = ("/gradio_api/run/",)
POSTING_PAGE = re.compile(r"^/p/[^/]+(?=/gradio_api/)")  # a posting's chat page makes the same calls under /p/<id>
TOO_MANY = "You are sending messages faster than this assistant can answer. Please wait {seconds} s and try again."
TOO_MANY_SIGNINS = "Too many wrong recruiter passwords from this address. Please wait {seconds} s and try again."
RECHECK_SECONDS = 5.0  # how often an unreachable shared storage is tried again
REDIS_TIMEOUT_SECONDS = 0.5  # a budget check must never hold a request up for long


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


def scope_client_ip(scope: Scope, trusted: set[str]) -> str:
    """Return the client address of an ASGI request (see `client_ip`)."""
    forwarded = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-forwarded-for"]
    client = scope.get("client")
    return client_ip(client[0] if client else None, forwarded, trusted)


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
    except ValueError:
        return None
    session = (data.get("session_id") or data.get("session_hash")) if isinstance(data, dict) else None
    return session[:100] if isinstance(session, str) and session else None


def _shared_storage(uri: str) -> Any:
    """Open `limits`' async storage for uri; Redis fails fast instead of retrying with backoff."""
    options: dict[str, Any] = {}
    if urlparse(uri).scheme.startswith(("redis", "rediss", "valkey")):
        options = {
            "implementation": "redispy",
            "socket_timeout": REDIS_TIMEOUT_SECONDS,
            "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            "retry": Retry(NoBackoff(), 0),
        }
    try:
        return storage_from_string(f"async+{uri}", wrap_exceptions=True, **options)
    except ConfigurationError as exc:
        raise ValueError(f"RATE_LIMIT_STORAGE_URI {uri!r} cannot be used: {exc}") from exc


class Budgets:
    """Spend per-minute budgets in the configured storage, or in memory while it is unreachable."""

    def __init__(self, uri: str = "memory://", recheck_seconds: float = RECHECK_SECONDS) -> None:
        parsed = urlparse(uri)
        self.name = f"{parsed.scheme.capitalize()} rate-limit storage at {parsed.netloc.rpartition('@')[2]}"
        self.local = LocalWindow(MemoryStorage())
        self.shared = None if parsed.scheme in ("", "memory") else SharedWindow(_shared_storage(uri))
        self.recheck_seconds = recheck_seconds
        self.fallbacks = 0  # how many times budgets fell back to memory
        self.outage: str | None = None  # the error while the shared storage is unreachable
        self._next_check = 0.0

    async def allowed(self, item: RateLimitItem, *key: str) -> bool:
        """Tell whether key has budget left."""
        return await self._run("test", item, *key)

    async def spend(self, item: RateLimitItem, *key: str) -> None:
        """Spend one unit of key's budget."""
        await self._run("hit", item, *key)

    async def spend_all(self, item: RateLimitItem, budget: str, keys: list[tuple[str, str]]) -> int | None:
        """Spend one unit of every key's budget; when any is spent out, spend nothing and return the seconds to wait."""
        blocked = [key for key in keys if not await self.allowed(item, budget, *key)]
        if blocked:
            return max([await self.retry_after(item, budget, *key) for key in blocked])
        for key in keys:
            await self.spend(item, budget, *key)
        return None

    async def retry_after(self, item: RateLimitItem, *key: str) -> int:
        """Return the whole seconds until key has budget again (at least 1)."""
        reset_time, _remaining = await self._run("get_window_stats", item, *key)
        return max(1, math.ceil(reset_time - time.time()))

    async def problem(self) -> str | None:
        """Check the shared storage now; name the outage for /api/health, or return None."""
        if self.shared is None:
            return None
        if await self.shared.storage.check():
            self._recovered()
            return None
        if self.outage is None:
            self._lost("ping failed")
        return f"{self.name} unavailable ({self.outage}): budgets are per replica until it returns"

    async def _run(self, action: str, item: RateLimitItem, *key: str) -> Any:
        if await self._shared_usable():
            try:
                return await getattr(self.shared, action)(item, *key)
            except LimitsStorageError as exc:
                self._lost(type(exc.storage_error).__name__)
        return getattr(self.local, action)(item, *key)

    async def _shared_usable(self) -> bool:
        """Use the shared storage unless it is out; while out, ping it every recheck_seconds."""
        if self.shared is None:
            return False
        if self.outage is None:
            return True
        if time.monotonic() < self._next_check:
            return False
        self._next_check = time.monotonic() + self.recheck_seconds
        if await self.shared.storage.check():
            self._recovered()
            return True
        return False

    def _lost(self, error: str) -> None:
        if self.outage is None:
            self.fallbacks += 1
            log.error(
                "rate-limit storage unavailable: using per-replica budgets",
                extra={"event": "rate_limit_fallback", "error": error, "fallbacks": self.fallbacks},
            )
        self.outage = error
        self._next_check = time.monotonic() + self.recheck_seconds

    def _recovered(self) -> None:
        if self.outage is not None:
            log.info("rate-limit storage is back: budgets are shared again", extra={"event": "rate_limit_recovered"})
        self.outage = None


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
