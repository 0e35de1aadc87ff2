"""Named recruiter accounts: argon2 hashes, the CLI that creates them, sign-in, and changes recorded by name."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.config import PROJECT_ROOT
from bot.records.accounts import AccountError, Accounts
from bot.records.database import Database, sqlite_url
from bot.records.migrations import migrate
from bot.records.schema import accounts as accounts_table
from tests.conftest import CONSOLE_PASSWORD

PASSWORD = "correct horse battery"


@pytest.fixture
def database(tmp_path: Path) -> Database:
    database = Database(sqlite_url(tmp_path / "records.sqlite3"))
    migrate(database)
    yield database
    database.close()


def basic(name: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_passwords_are_stored_as_argon2_hashes_and_verified(database: Database) -> None:
    accounts = Accounts(database)
    assert accounts.add("ana", PASSWORD) is True
    with database.reading() as connection:
        stored = connection.execute(sa.select(accounts_table.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.verify("ana", PASSWORD) and accounts.verify("ana", PASSWORD), "a remembered credential still checks"
    assert not accounts.verify("ana", PASSWORD + "!") and not accounts.verify("bob", PASSWORD)
    assert [a["name"] for a in accounts.names()] == ["ana"]


def test_a_new_password_or_a_removed_account_takes_effect_at_once(database: Database) -> None:
    accounts, other_replica = Accounts(database), Accounts(database)
    accounts.add("ana", PASSWORD)
    assert accounts.verify("ana", PASSWORD)
    assert other_replica.add("ana", "a different password") is False
    assert not accounts.verify("ana", PASSWORD), "the remembered credential no longer matches the stored hash"
    assert accounts.verify("ana", "a different password")
    assert other_replica.remove("ana") and not accounts.verify("ana", "a different password")


@pytest.mark.parametrize(
    ("name", "password", "problem"),
    [
        ("recruiter", PASSWORD, "RECRUITER_PASSWORD account"),
        ("ana:admin", PASSWORD, "not an account name"),
        ("", PASSWORD, "not an account name"),
        ("ana", "short", "at least 10 characters"),
    ],
)
def test_bad_names_and_passwords_are_refused(database: Database, name: str, password: str, problem: str) -> None:
    with pytest.raises(AccountError, match=problem):
        Accounts(database).add(name, password)


def run_cli(command: list[str], data_dir: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATA_DIR": str(data_dir), "DATABASE_URL": ""}
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120)


def test_both_command_lines_add_an_account_reading_the_password_from_stdin(tmp_path: Path) -> None:
    script = shutil.which("careers-chat", path=str(Path(sys.executable).parent))
    assert script, "careers-chat is installed with the package"
    added = run_cli([script, "user", "add", "ana", "--password-stdin"], tmp_path, PASSWORD + "\n")
    assert added.returncode == 0 and "Created recruiter account ana." in added.stdout
    again = run_cli(
        [sys.executable, "-m", "bot", "user", "add", "ana", "--password-stdin"], tmp_path, "a brand new password\n"
    )
    assert again.returncode == 0 and "Set a new password for ana." in again.stdout
    listed = run_cli([sys.executable, "-m", "bot", "user", "list"], tmp_path)
    assert listed.stdout.startswith("ana\t")
    database = Database(sqlite_url(tmp_path / "careers-chat.sqlite3"))
    assert Accounts(database).verify("ana", "a brand new password")
    database.close()


def test_the_cli_asks_for_a_terminal_or_stdin_and_names_bad_input(tmp_path: Path) -> None:
    no_terminal = run_cli([sys.executable, "-m", "bot", "user", "add", "ana"], tmp_path, "")
    assert no_terminal.returncode == 2 and "--password-stdin" in no_terminal.stderr
    short = run_cli([sys.executable, "-m", "bot", "user", "add", "ana", "--password-stdin"], tmp_path, "short\n")
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    missing = run_cli([sys.executable, "-m", "bot", "user", "remove", "nobody"], tmp_path)
    assert missing.returncode == 2 and "no account nobody" in missing.stderr


def test_named_accounts_sign_in_with_basic_or_bearer_and_changes_carry_their_name(make_console, tmp_path) -> None:
    client = make_console()
    Accounts(client.app.state.repository.database).add("ana", PASSWORD)
    assert client.get("/api/recruiter/session", headers=basic("ana", PASSWORD)).json()["account"] == "ana"
    assert client.get("/api/recruiter/session", headers=bearer(f"ana:{PASSWORD}")).json()["account"] == "ana"
    assert client.get("/api/recruiter/session", headers=bearer(CONSOLE_PASSWORD)).json()["account"] == "recruiter"
    assert (
        client.get("/api/recruiter/session", headers=basic("anyone", CONSOLE_PASSWORD)).json()["account"] == "recruiter"
    )
    for wrong in (
        basic("ana", "wrong password"),
        bearer("ana:wrong password"),
        bearer(PASSWORD),
        basic("bob", PASSWORD),
    ):
        response = client.get("/api/recruiter/session", headers=wrong)
        assert (
            response.status_code == 401
            and response.json()["detail"] == "The recruiter console needs the recruiter password."
        )

    answer = {"question": "Is there parking?", "answer": "Yes, parking at the office is free."}
    created = client.post(
        "/api/recruiter/postings/doubao-llm-research/answers", json=answer, headers=basic("ana", PASSWORD)
    )
    assert created.status_code == 201 and created.json()["answer"]["author"] == "ana"
    versions = client.get(
        "/api/recruiter/postings/doubao-llm-research/versions", headers=bearer(CONSOLE_PASSWORD)
    ).json()
    assert versions["versions"][0]["author"] == "ana"


def test_accounts_alone_turn_the_console_on(make_console, tmp_path) -> None:
    without = make_console(recruiter_password=None, data_dir=tmp_path / "no-accounts")
    assert without.get("/recruiter").status_code == 404
    database = Database(sqlite_url(tmp_path / "with-accounts" / "careers-chat.sqlite3"))
    migrate(database)
    Accounts(database).add("ana", PASSWORD)
    database.close()
    console = make_console(recruiter_password=None, data_dir=tmp_path / "with-accounts")
    assert console.get("/recruiter").status_code == 200
    assert console.get("/api/recruiter/session", headers=basic("ana", PASSWORD)).status_code == 200
    assert console.get("/api/recruiter/session", headers=bearer("anything")).status_code == 401
