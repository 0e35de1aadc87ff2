"""Named recruiter accounts: argon2 password hashes in the records database.

Passwords are hashed with argon2id (argon2-cffi's defaults) and never
stored or logged. Verifying a hash costs tens of milliseconds and 64 MB by
design, and the console sends its credential with every request, so a
verified credential is remembered in memory (as a salted SHA-256 digest,
never the password) for as long as the account's hash stays the one it was
verified against: a changed password or a removed account takes effect at
once. `RECRUITER_PASSWORD`, when set, is one more account named
`recruiter`, checked by bot.web.auth; that name is reserved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import threading
from functools import cached_property

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.records.database import Database
from bot.records.schema import accounts

BOOTSTRAP_ACCOUNT = "recruiter"  # RECRUITER_PASSWORD signs in as this name
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024
MAX_REMEMBERED = 1000


class AccountError(ValueError):
    """An account name or password is not acceptable; the message says why."""


def check_name(name: str) -> str:
    """Return a valid account name or raise, saying what a name may hold."""
    if not NAME.match(name):
        raise AccountError(
            f"'{name}' is not an account name: use letters, digits, '.', '_', '@' or '-' (at most 64), "
            "starting with a letter or digit."
        )
    if name == BOOTSTRAP_ACCOUNT:
        raise AccountError(f"'{BOOTSTRAP_ACCOUNT}' is the name of the RECRUITER_PASSWORD account; choose another.")
    return name


def check_password(password: str) -> str:
    """Return an acceptable password or raise, saying why it is not."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"The password must have at least {MIN_PASSWORD_CHARS} characters.")
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccountError(f"The password must have at most {MAX_PASSWORD_CHARS} characters.")
    return password


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Accounts:
    """Create, check and remove recruiter accounts."""

    def __init__(self, database: Database, hasher: PasswordHasher | None = None) -> None:
        self.database = database
        self.hasher = hasher or PasswordHasher()
        self._salt = secrets.token_bytes(16)
        self._verified: dict[bytes, str] = {}  # digest of name and password -> the hash it matched
        self._lock = threading.Lock()

    def add(self, name: str, password: str) -> bool:
        """Create the account, or set a new password for it; return True when it was created."""
        check_name(name)
        hashed = self.hasher.hash(check_password(password))
        now = _now()
        with self.database.failing("save an account"), self.database.writing() as connection:
            updated = connection.execute(
                sa.update(accounts).where(accounts.c.name == name).values(password_hash=hashed, updated_at=now)
            ).rowcount
            if not updated:
                connection.execute(
                    sa.insert(accounts).values(name=name, password_hash=hashed, created_at=now, updated_at=now)
                )
        return not updated

    def remove(self, name: str) -> bool:
        """Delete an account; return whether it existed."""
        with self.database.failing("remove an account"), self.database.writing() as connection:
            return bool(connection.execute(sa.delete(accounts).where(accounts.c.name == name)).rowcount)

    def names(self) -> list[dict]:
        """Return every account's name and dates, by name."""
        query = sa.select(accounts.c.name, accounts.c.created_at, accounts.c.updated_at).order_by(accounts.c.name)
        with self.database.failing("list accounts"), self.database.reading() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    def exist(self) -> bool:
        """Tell whether any account exists."""
        with self.database.failing("read accounts"), self.database.reading() as connection:
            return connection.execute(sa.select(accounts.c.name).limit(1)).first() is not None

    @cached_property
    def _decoy(self) -> str:
        """A hash to verify against for unknown names, so they cost as much as wrong passwords."""
        return self.hasher.hash(secrets.token_hex(16))

    def _hash_of(self, name: str) -> str | None:
        with self.database.failing("read an account"), self.database.reading() as connection:
            return connection.execute(sa.select(accounts.c.password_hash).where(accounts.c.name == name)).scalar()

    def verify(self, name: str, password: str) -> bool:
        """Tell whether the name and password belong to an account."""
        if not NAME.match(name) or len(password) > MAX_PASSWORD_CHARS:
            return False
        stored = self._hash_of(name)
        digest = hashlib.sha256(self._salt + name.encode() + b"\0" + password.encode()).digest()
        with self._lock:
            if stored is not None and self._verified.get(digest) == stored:
                return True
        try:
            self.hasher.verify(stored or self._decoy, password)
        except (VerificationError, InvalidHashError):
            return False
        if stored is None:
            return False
        with self._lock:
            if len(self._verified) >= MAX_REMEMBERED:
                self._verified.clear()
            self._verified[digest] = stored
        return True
