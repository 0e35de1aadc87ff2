"""Who may call the /v1 routes and how fast: integration keys and their budgets.

`INTEGRATION_API_KEYS` holds comma-separated `name:key` entries, or bare
keys, which are named `integration-<n>` by their position. Only SHA-256
digests of the keys are kept; an offered key is hashed and compared with
`hmac.compare_digest` against every digest, so neither timing nor a log
line gives a key away. The name, never the key, stands for the integration
in rate limits, logs and records.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from limits import RateLimitItemPerMinute

from bot.config import Settings
from bot.web.budgets import Budgets
from bot.web.client_ip import scope_client_ip
from bot.web.openai.errors import OpenAIError
from bot.web.ratelimit import TOO_MANY

log = logging.getLogger(__name__)

NAME = re.compile(r"[\w.-]{1,64}", re.ASCII)
BUDGET = "integrations"
MISSING_KEY = "This API needs an integration key: send it as 'Authorization: Bearer <key>'."
WRONG_KEY = "The integration key is not valid."


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


@dataclass(frozen=True)
class KeyRing:
    """The integrations' names with the digests of their keys."""

    digests: tuple[tuple[str, bytes], ...]

    @classmethod
    def parse(cls, value: str) -> KeyRing:
        """Read `name:key,key,...`; raise ValueError (naming no key) when an entry is malformed."""
        entries: list[tuple[str, bytes]] = []
        for position, entry in enumerate((e.strip() for e in value.split(",")), start=1):
            if not entry:
                continue
            name, separator, key = entry.partition(":")
            if not separator:
                name, key = f"integration-{position}", entry
            if not NAME.fullmatch(name) or not key.strip():
                raise ValueError(
                    f"INTEGRATION_API_KEYS entry {position} is malformed: use 'name:key' with a name of letters, digits, '.', '_' or '-'."
                )
            entries.append((name, _digest(key.strip())))
        if not entries:
            raise ValueError("INTEGRATION_API_KEYS holds no key: leave it unset to turn the /v1 API off.")
        names = [name for name, _ in entries]
        if len(set(names)) != len(names) or len({d for _, d in entries}) != len(entries):
            raise ValueError("INTEGRATION_API_KEYS repeats a name or a key: each integration needs its own.")
        return cls(tuple(entries))

    def name_of(self, offered: str) -> str | None:
        """Return the name of the integration whose key was offered, or None."""
        digest = _digest(offered)
        found = None
        for name, expected in self.digests:  # compare with every digest: the time taken names no one
            if hmac.compare_digest(digest, expected):
                found = name
        return found


class Access:
    """Identify the integration behind a request and spend its per-minute budgets."""

    def __init__(self, settings: Settings, budgets: Budgets | None = None) -> None:
        if settings.integration_api_keys is None:
            raise ValueError("the /v1 API needs INTEGRATION_API_KEYS")
        self.keys = KeyRing.parse(settings.integration_api_keys.get_secret_value())
        self.item = RateLimitItemPerMinute(max(settings.rate_limit_per_minute, 1))
        self.budgets = (budgets or Budgets()) if settings.rate_limit_per_minute > 0 else None
        self.trusted = settings.trusted_proxy_ips
        self.bearer = HTTPBearer(auto_error=False, description="One of INTEGRATION_API_KEYS as a Bearer token.")

    def _name(self, credentials: HTTPAuthorizationCredentials | None) -> str | None:
        return self.keys.name_of(credentials.credentials) if credentials else None

    def _refuse(self, credentials: HTTPAuthorizationCredentials | None) -> OpenAIError:
        log.warning(
            "integration key refused", extra={"event": "integration_refused", "key_sent": credentials is not None}
        )
        message = WRONG_KEY if credentials else MISSING_KEY
        return OpenAIError(401, message, code="invalid_api_key", headers={"WWW-Authenticate": "Bearer"})

    def identify(self) -> Callable[..., str]:
        """Return a dependency that yields the calling integration's name, or refuses with a 401."""

        def integration(credentials: HTTPAuthorizationCredentials | None = Depends(self.bearer)) -> str:
            name = self._name(credentials)
            if name is None:
                raise self._refuse(credentials)
            return name

        return integration

    def limit(self) -> Callable[..., Awaitable[str]]:
        """Return a dependency that spends the client IP's budget and the integration's, then identifies it.

        The IP's budget is spent before the key is checked, so guessing keys is as slow as asking.
        """

        async def limited_integration(
            request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(self.bearer)
        ) -> str:
            name = self._name(credentials)
            if self.budgets is not None:
                keys = [("ip", scope_client_ip(request.scope, self.trusted))]
                if name is not None:
                    keys.append(("key", name))
                retry_after = await self.budgets.spend_all(self.item, BUDGET, keys)
                if retry_after is not None:
                    raise OpenAIError(
                        429,
                        TOO_MANY.format(seconds=retry_after),
                        "requests",
                        code="rate_limit_exceeded",
                        headers={"Retry-After": str(retry_after)},
                    )
            if name is None:
                raise self._refuse(credentials)
            return name

        return limited_integration
