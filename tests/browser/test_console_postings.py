"""A recruiter uploads a posting in the console and asks about it, rolls it back, and answers a knowledge gap."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.documents import docx_bytes

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "browser-postings-bootstrap"
ALICE = ("alice", "alice-has-a-long-password")
SEED = "doubao-llm-research"
RELOCATION_QUESTIONS = ("Do you pay for relocation?", "Is there a relocation package?", "Do you pay for relocation?")
RELOCATION_ANSWER = "Yes. We pay relocation costs up to $10,000 for candidates who move to San Jose for this role."

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def postings_app(start_app, tmp_path_factory: pytest.TempPathFactory):
    """An app of its own (these tests add postings), with the account alice and RECRUITER_PASSWORD."""
    knowledge = tmp_path_factory.mktemp("postings-knowledge") / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    data = tmp_path_factory.mktemp("postings-data")
    added = subprocess.run(
        [sys.executable, "-m", "bot", "user", "add", ALICE[0], "--password-stdin"],
        cwd=ROOT,
        env={**os.environ, "DATA_DIR": str(data), "DATABASE_URL": ""},
        input=ALICE[1] + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr
    return start_app({"KNOWLEDGE_DIR": str(knowledge), "DATA_DIR": str(data), "RECRUITER_PASSWORD": PASSWORD})


def sign_in(page: Page, url: str, password: str, name: str = "") -> None:
    page.goto(f"{url}/recruiter")
    page.get_by_label("Account name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#console")).to_be_visible()


def try_question(page: Page, question: str, posting: str) -> None:
    page.get_by_role("tab", name="Try a question").click()
    page.get_by_role("textbox", name="Question", exact=True).fill(question)
    page.get_by_role("textbox", name="Posting id (optional)").fill(posting)
    page.get_by_role("button", name="Ask").click()


def test_upload_a_word_posting_ask_about_it_and_roll_it_back(
    page: Page, postings_app, docs_dir: Path, tmp_path: Path
) -> None:
    posting = tmp_path / "night-baker.docx"
    posting.write_bytes(
        docx_bytes(
            "Night Baker at Crumb & Co",
            {
                "What you will do": ["You bake the morning bread for the harbor district."],
                "Relocation": ["We pay relocation costs up to $5,000 for bakers who move to Port Calder."],
            },
            {"What you will do": ["Knead and shape the dough.", "Run the deck ovens between 11 pm and 6 am."]},
        )
    )
    sign_in(page, postings_app.url, ALICE[1], ALICE[0])
    page.get_by_role("tab", name="Postings").click()
    expect(page.locator("#postings-account")).to_contain_text("Signed in as alice")
    expect(page.locator("#postings-rows tr").first).to_contain_text(SEED)

    page.get_by_role("button", name="New posting").click()
    page.get_by_role("textbox", name="Posting id", exact=True).fill("night-baker")
    page.get_by_label("Upload files").set_input_files(str(posting))
    document = page.locator("#editor-documents textarea").first
    expect(page.locator("#editor-documents .doc-name").first).to_have_value("night-baker.md")
    assert document.input_value().startswith("# Night Baker at Crumb & Co\n\n## What you will do")
    page.get_by_role("button", name="Preview sections and chunks").click()
    result = page.locator("#editor-result")
    expect(result).to_contain_text("night-baker/night-baker.md")
    expect(result).to_contain_text("Relocation")
    page.locator("#editor-result details").last.locator("summary").click()
    page.locator("#posting-editor").scroll_into_view_if_needed()
    page.screenshot(path=str(docs_dir / "console-posting-editor.png"), full_page=True)

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(result).to_contain_text("Published night-baker as version 1")
    baker = page.locator("#postings-rows tr", has_text="night-baker")
    expect(baker).to_contain_text("alice")
    page.get_by_role("button", name="Close the editor").click()
    expect(page.locator("#posting-editor")).to_be_hidden()

    try_question(page, "Do you pay for relocation?", "night-baker")
    expect(page.locator("#try-status")).to_have_text("answered", timeout=30_000)
    expect(page.locator("#try-answer")).to_contain_text("$5,000")
    expect(page.locator("#try-citations")).to_contain_text("night-baker/night-baker.md")
    page.screenshot(path=str(docs_dir / "console-ask-new-posting.png"))

    page.get_by_role("tab", name="Postings").click()
    baker.get_by_role("button", name="Edit").click()
    expect(page.locator("#posting-editor")).to_be_visible()
    text = page.locator("#editor-documents textarea").first
    expect(text).to_have_value(re.compile(r"We pay relocation costs up to \$5,000"))
    text.fill(text.input_value().replace("$5,000", "$7,500"))
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(result).to_contain_text("as version 2")
    try_question(page, "Do you pay for relocation?", "night-baker")
    expect(page.locator("#try-answer")).to_contain_text("$7,500", timeout=30_000)

    page.get_by_role("tab", name="Postings").click()
    baker.get_by_role("button", name="Versions").click()
    versions = page.locator("#versions-rows tr")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("updated")
    expect(versions.first).to_contain_text("alice")
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.locator("#status")).to_contain_text("Restored night-baker to version 1")
    expect(versions.first).to_contain_text("restored version 1")
    try_question(page, "Do you pay for relocation?", "night-baker")
    expect(page.locator("#try-answer")).to_contain_text("$5,000", timeout=30_000)


def test_write_a_curated_answer_for_a_gap_and_see_the_gap_answered(page: Page, postings_app, docs_dir: Path) -> None:
    with httpx.Client(base_url=postings_app.url, timeout=30) as api:
        for number, question in enumerate(RELOCATION_QUESTIONS):
            body = {"message": question, "posting": SEED, "session_id": f"relocation-{number}"}
            assert api.post("/api/chat", json=body).json()["status"] == "not_found"

    sign_in(page, postings_app.url, PASSWORD)
    page.get_by_role("tab", name="Knowledge gaps").click()
    gap = page.locator("#gaps-not-found tr", has_text="relocation")
    expect(gap).to_have_count(1)
    gap.get_by_role("button", name="Write a curated answer").click()

    expect(page.get_by_role("tab", name="Curated answers")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("textbox", name="Question", exact=True)).to_have_value("Do you pay for relocation?")
    expect(page.get_by_role("combobox", name="Posting", exact=True)).to_have_value(SEED)
    answer = page.get_by_role("textbox", name="Answer", exact=True)
    expect(answer).to_be_focused()
    answer.fill(RELOCATION_ANSWER)
    page.get_by_role("button", name="Publish the answer").click()
    check = page.locator("#answer-check")
    expect(check).to_contain_text("A candidate asking this now gets answered and it quotes this answer", timeout=30_000)
    expect(check).to_contain_text("$10,000")
    answers = page.locator("#answers-rows tr")
    expect(answers).to_have_count(1)
    expect(answers.first).to_contain_text("recruiter")
    page.screenshot(path=str(docs_dir / "console-curated-answer.png"))

    page.get_by_role("button", name="Back to the knowledge gaps, and ask each again").click()
    expect(gap.locator("p.now")).to_contain_text("answered", timeout=30_000)
    expect(gap.locator("p.now")).to_contain_text("Do you pay for relocation?")
    page.screenshot(path=str(docs_dir / "console-gap-answered.png"))

    with httpx.Client(base_url=postings_app.url, timeout=30) as api:
        reply = api.post("/api/chat", json={"message": "Is there a relocation package?", "posting": SEED}).json()
    assert reply["status"] == "answered" and reply["citations"][0]["source"] == f"{SEED}/recruiting-team-answers.md"
