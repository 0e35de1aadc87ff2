"""A closest passage never looks like an answer: labelled and styled apart on the chat page and in the widget."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from bot.config import Settings
from bot.engine.replies import strings

pytestmark = pytest.mark.browser

CHATBOT = "#cc-chatbot"
WIDGET = "#careers-chat-widget"
ANSWERED = "What are the possible start dates?"
# Near misses the posting has related passages for but does not answer (issue 10's grey zone).
NEAR_MISSES = ["Will you pay for my move?", "Is the role remote?", "What is the dress code?", "Is there free lunch?"]
OFF_TOPIC = "Write a poem about cats"
ANSWER_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def near_miss(live_app) -> str:
    """A question the engine answers with the closest passage (asked through the API first)."""
    with live_app.client() as client:
        for question in NEAR_MISSES:
            if client.post("/api/chat", json={"message": question}).json()["answer_type"] == "closest":
                return question
    pytest.fail(f"none of {NEAR_MISSES} gets a closest-passage answer any more: pick near misses that do")


def frame(locator: Locator) -> dict:
    """The border style and background of a message bubble."""
    return locator.evaluate(
        "m => ({border: getComputedStyle(m).borderTopStyle, background: getComputedStyle(m).backgroundColor})"
    )


def test_chat_page_labels_the_closest_passage(page: Page, live_app, near_miss: str) -> None:
    label = strings(Settings().prompts_dir, "en")["ui"]["closest"]
    page.goto(f"{live_app.url}/")
    for question in (ANSWERED, near_miss):
        asked = page.locator(f"{CHATBOT} [data-testid=user]").count()
        page.locator("#cc-question textarea").fill(question)
        page.locator("#cc-question textarea").press("Enter")
        expect(page.locator(f"{CHATBOT} [data-testid=user]")).to_have_count(asked + 1)
        expect(page.locator(f"{CHATBOT} [data-testid=bot]")).to_have_count(asked + 1, timeout=ANSWER_TIMEOUT_MS)
        expect(page.locator(f"{CHATBOT} [data-testid=bot]").last.locator("details").first).to_be_attached(
            timeout=ANSWER_TIMEOUT_MS
        )
    answer, closest = page.locator(f"{CHATBOT} .bot.message").all()  # the bubbles
    expect(closest.locator(".cc-kind-closest")).to_have_text(label)
    expect(answer.locator(".cc-kind")).to_have_count(0)
    assert frame(closest)["border"] == "dashed" != frame(answer)["border"]
    assert frame(closest)["background"] != frame(answer)["background"]


def test_widget_labels_the_closest_passage_and_sets_refusals_apart(page: Page, live_app, near_miss: str) -> None:
    label = strings(Settings().prompts_dir, "en")["widget"]["closest"]
    page.goto(f"{live_app.url}/demo")
    page.click(f"{WIDGET} .launch")
    for question in (ANSWERED, near_miss, OFF_TOPIC):
        page.fill(f"{WIDGET} textarea", question)
        page.press(f"{WIDGET} textarea", "Enter")
        expect(page.locator(f"{WIDGET} [aria-busy]")).to_have_count(0, timeout=ANSWER_TIMEOUT_MS)
    answer, closest, refusal = page.locator(f"{WIDGET} .m.bot:not(.greet)").all()
    expect(closest.locator(".kind")).to_have_text(label)
    expect(closest.locator(".src details").first).to_be_attached()
    expect(answer.locator(".kind")).to_have_count(0)
    assert frame(closest)["border"] == "dashed" != frame(answer)["border"]
    assert "refusal" in (refusal.get_attribute("class") or "")
    assert frame(refusal)["background"] != frame(answer)["background"]

    page.reload()  # the kind of each answer survives a page change (the panel reopens by itself)
    expect(page.locator(f"{WIDGET} .m.bot.closest .kind")).to_have_text(label)
