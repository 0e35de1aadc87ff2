"""The command line: ingest, ask (text and JSON) and eval."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.config import PROJECT_ROOT

pytestmark = pytest.mark.slow  # real processes


def run_cli(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATA_DIR": str(data_dir), "TODAY": "2026-11-29", "OPENAI_API_KEY": "", "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-data")
    done = run_cli("ingest", data_dir=path)
    assert done.returncode == 0 and "added" in done.stdout
    return path


def test_ingest_is_incremental(data_dir):
    again = run_cli("ingest", "--if-stale", data_dir=data_dir)
    assert again.returncode == 0 and "up to date" in again.stdout


def test_ask_prints_the_answer_and_its_sources(data_dir):
    done = run_cli("ask", "Can I start in April 2024?", data_dir=data_dir)
    assert done.returncode == 0
    assert "not one of the dates" in done.stdout and "March 4, 2024" in done.stdout
    assert "[1] Start dates" in done.stdout


def test_ask_json_matches_the_api_shape(data_dir):
    done = run_cli("ask", "What is the salary?", "--json", data_dir=data_dir)
    body = json.loads(done.stdout)
    assert body["status"] == "answered" and "$136800 - $205000" in body["answer"]
    assert set(body["citations"][0]) == {"id", "source", "section", "quote"}


def test_eval_exits_non_zero_on_failure(data_dir, tmp_path):
    golden = tmp_path / "g.csv"
    golden.write_text(
        "question,must_mention,must_not_mention,expected_status,notes\nWhat is the salary?,a million dollars,,answered,\n"
    )
    done = run_cli("eval", str(golden), data_dir=data_dir)
    assert done.returncode == 1 and "does not mention 'a million dollars'" in done.stdout


def test_eval_names_the_bad_row(data_dir, tmp_path):
    golden = tmp_path / "g.csv"
    golden.write_text("question,must_mention,must_not_mention,expected_status,notes\nok?,,,answered,\nhm,,,maybe,\n")
    done = run_cli("eval", str(golden), data_dir=data_dir)
    assert done.returncode == 2 and "Row 3" in done.stderr
