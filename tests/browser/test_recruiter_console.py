"""A recruiter signs in to the console, saves and runs a golden set and tries a question."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
GOLDEN_CASES = sum(
    1 for _ in csv.DictReader(io.StringIO((ROOT / "tests/evals/golden.csv").read_text(encoding="utf-8")))
)


def sign_in(page: Page, url: str, password: str) -> None:
    page.goto(f"{url}/recruiter")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_wrong_password_shows_no_console(page: Page, live_app) -> None:
    sign_in(page, live_app.url, "not-the-password")
    expect(page.locator("#login-error")).to_have_text("That password is not right.")
    expect(page.locator("#console")).to_be_hidden()


def test_save_and_run_a_golden_set_and_see_the_table(page: Page, live_app, recruiter_password, docs_dir) -> None:
    sign_in(page, live_app.url, recruiter_password)
    expect(page.get_by_role("tab", name="Overview")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#ov-health")).to_contain_text("Engine ok")

    page.get_by_role("tab", name="Golden sets").click()
    project_set = (ROOT / "tests/evals/golden.csv").read_text(encoding="utf-8")
    page.locator("#golden-file").set_input_files(str(ROOT / "tests/evals/golden.csv"))
    expect(page.locator("#golden-csv")).to_have_value(project_set)
    page.get_by_role("button", name="Save golden set").click()
    expect(page.locator("#status")).to_contain_text(f"Saved the golden set ({GOLDEN_CASES} questions)")
    page.locator("#golden-csv").fill("")
    page.get_by_role("button", name="Load the saved golden set").click()
    expect(page.locator("#golden-csv")).to_have_value(project_set)
    page.get_by_role("button", name="Run golden set").click()
    summary = page.locator("#golden-summary")
    expect(summary).to_contain_text(f"of {GOLDEN_CASES} passed", timeout=120_000)
    rows = page.locator("#golden-rows tr")
    expect(rows).to_have_count(GOLDEN_CASES)
    expect(rows.first.locator("td").nth(2)).to_have_text("What are the start dates?")
    verdicts = rows.locator("td:nth-child(2)").all_inner_texts()
    assert set(verdicts) <= {"PASS", "FAIL"} and "PASS" in verdicts
    failed = page.locator("#golden-rows tr.fail")
    for index in range(failed.count()):
        assert failed.nth(index).locator("td").nth(4).inner_text().strip(), "a failure must give its reason"
    expect(page.get_by_role("button", name="Download results (CSV)")).to_be_enabled()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download results (CSV)").click()
    results = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(results) == GOLDEN_CASES

    page.locator("#tab-golden table").scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(docs_dir / "recruiter-console.png"))


def test_malformed_golden_csv_names_the_row(page: Page, live_app, recruiter_password) -> None:
    sign_in(page, live_app.url, recruiter_password)
    page.get_by_role("tab", name="Golden sets").click()
    page.locator("#golden-csv").fill("question,expected_status\nWhere is the job?,answered\nIs it remote?,maybe\n")
    page.get_by_role("button", name="Run golden set").click()
    expect(page.locator("#status")).to_contain_text("Row 3")
    expect(page.locator("#golden-table")).to_be_hidden()


def test_try_a_question_shows_the_evidence(page: Page, live_app, recruiter_password) -> None:
    sign_in(page, live_app.url, recruiter_password)
    page.get_by_role("tab", name="Try a question").click()
    page.get_by_role("textbox", name="Question").fill("What are the start dates?")
    page.get_by_role("button", name="Ask").click()
    expect(page.locator("#try-status")).to_have_text("answered")
    expect(page.locator("#try-answer")).to_contain_text("January 15, 2024")
    expect(page.locator("#try-chunks tr").first.locator("td").nth(1)).to_have_text("Start dates")
    expect(page.locator("#try-used tr").first.locator("td").nth(1)).to_have_text("Start dates")
    expect(page.locator("#try-timings")).to_contain_text("total")

    page.reload()
    expect(page.locator("#console")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#login")).to_be_visible()
