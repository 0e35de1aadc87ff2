"""Who is calling the recruiter console: a named account, or the RECRUITER_PASSWORD bootstrap account.

HTTP Basic carries an account's name and password (with RECRUITER_PASSWORD
as the password, any user name signs in as `recruiter`, as before named
accounts). A Bearer token is RECRUITER_PASSWORD itself or `name:password`.
The dependency returns the account name, which every change to knowledge
is logged and versioned with. Wrong credentials spend the caller's sign-in
budget; a caller out of budget is refused before any password is checked.
"""

from __future__ import annotations

import logging
import secrets

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBasic, HTTPBasicCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from bot.config import Settings
from bot.records.accounts import BOOTSTRAP_ACCOUNT, Accounts
from bot.records.database import Database, StorageError
from bot.web.ratelimit import SignInLimiter

logger = logging.getLogger(__name__)

NEEDS_CREDENTIAL = "The recruiter console needs the recruiter password."
bearer = HTTPBearer(auto_error=False, description="RECRUITER_PASSWORD, or `name:password` of a recruiter account.")
basic = HTTPBasic(
    auto_error=False, description="A recruiter account's name and password (any name with RECRUITER_PASSWORD)."
)


def console_enabled(settings: Settings, database: Database) -> bool:
    """Tell whether to serve the console: RECRUITER_PASSWORD is set or an account exists.

    When the database cannot be read at start, the console is served (its
    routes refuse every request until a credential can be checked), so
    accounts work again once the database is back.
    """
    if settings.recruiter_password is not None:
        return True
    try:
        return Accounts(database).exist()
    except StorageError:
        return True


class RecruiterAuth:
    """A FastAPI dependency that returns the signed-in account's name or refuses the request."""

    def __init__(self, settings: Settings, accounts: Accounts, sign_in: SignInLimiter | None = None) -> None:
        secret = settings.recruiter_password
        self.bootstrap = secret.get_secret_value().encode() if secret is not None else None
        self.accounts = accounts
        self.sign_in = sign_in

    def _is_bootstrap(self, password: str) -> bool:
        return self.bootstrap is not None and secrets.compare_digest(password.encode(), self.bootstrap)

    def _who(self, token: str | None, login: HTTPBasicCredentials | None) -> str | None:
        """Return the account a credential belongs to, or None."""
        if token is not None:
            if self._is_bootstrap(token):
                return BOOTSTRAP_ACCOUNT
            name, colon, password = token.partition(":")
            return name if colon and self.accounts.verify(name, password) else None
        if login is not None:
            try:
                if login.username and self.accounts.verify(login.username, login.password):
                    return login.username
            except StorageError:
                if not self._is_bootstrap(login.password):
                    raise  # the database is down: 503, not a wrong password
            return BOOTSTRAP_ACCOUNT if self._is_bootstrap(login.password) else None
        return None

    async def __call__(
        self,
        request: Request,
        token: HTTPAuthorizationCredentials | None = Depends(bearer),
        login: HTTPBasicCredentials | None = Depends(basic),
    ) -> str:
        """Return the account name; 401 without a valid credential, 429 after too many wrong ones."""
        refusal = await self.sign_in.refused(request) if self.sign_in else None
        if refusal is not None:
            detail, seconds = refusal
            raise HTTPException(status_code=429, detail=detail, headers={"Retry-After": str(seconds)})
        offered = token.credentials if token else None
        account = await run_in_threadpool(self._who, offered, login) if offered or login else None
        if account is None:
            if (offered or login) and self.sign_in is not None:
                await self.sign_in.failed(request)
            raise HTTPException(status_code=401, detail=NEEDS_CREDENTIAL, headers={"WWW-Authenticate": "Bearer"})
        request.state.recruiter = account
        return account
