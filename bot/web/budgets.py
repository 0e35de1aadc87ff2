"""Per-minute budgets in `limits`' storages: memory, or Redis shared by every replica.

While the shared storage cannot be reached, budgets are spent in process
memory instead (logged, counted, and named in /api/health), and the shared
storage is tried again every few seconds.
"""

from __future__ import annotations

import logging
import math
import time
from typing import Any
from urllib.parse import urlparse

from limits import RateLimitItem
from limits.aio.strategies import MovingWindowRateLimiter as SharedWindow
from limits.errors import ConfigurationError
from limits.errors import StorageError as LimitsStorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter as LocalWindow
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

log = logging.getLogger(__name__)

RECHECK_SECONDS = 5.0  # how often an unreachable shared storage is tried again
REDIS_TIMEOUT_SECONDS = 0.5  # a budget check must never hold a request up for long


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
