"""The Gradio chat page at `/` in real Chromium."""

from __future__ import annotations

import io
import sqlite3
import time

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import Page, expect

from tests.browser.audit import focus_problem, focus_state

pytestmark = pytest.mark.browser

CHATBOT = "#cc-chatbot"
DATE_QUESTION = "What are the possible start dates?"
ANSWER_TIMEOUT_MS = 30_000
PAGE_LOAD_TIMEOUT_MS = 20_000  # the page's load handler asks the engine; slow machines take seconds
FEEDBACK_TIMEOUT_S = 10

# Records each state of the newest bot message, to prove the answer streams in.
WATCH_STREAM = """() => {
  window.__states = [];
  new MutationObserver(() => {
    const bots = document.querySelectorAll('#cc-chatbot [data-testid=bot]');
    const last = bots[bots.length - 1];
    if (last) window.__states.push({text: last.textContent, sources: !!last.querySelector('details')});
  }).observe(document.querySelector('#cc-chatbot'), {subtree: true, childList: true, characterData: true});
}"""


def ask(page: Page, question: str) -> None:
    """Type a question in the chat box and send it with Enter."""
    box = page.locator("textarea").first
    box.fill(question)
    box.press("Enter")


def last_answer(page: Page):
    """Return the newest bot message."""
    return page.locator(f"{CHATBOT} [data-testid=bot]").last


def feedback_rows(database) -> list[sqlite3.Row]:
    """Read the stored feedback straight from the app's database."""
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute("SELECT rating, message_id FROM feedback ORDER BY id").fetchall()


def test_chat_page_streams_cited_answer_and_stores_feedback(
    page: Page, live_app, allowed_port, throttle, docs_dir
) -> None:
    response = page.goto(f"{live_app.url}/")
    assert response.headers["content-security-policy"] == f"frame-ancestors 'self' http://127.0.0.1:{allowed_port}"
    disclosure = page.locator(".cc-disclosure")
    expect(disclosure).to_contain_text("AI assistant")
    expect(disclosure).to_contain_text("makes no hiring decisions")
    examples = page.locator(f"{CHATBOT} .examples .example")
    expect(examples).to_have_count(4, timeout=PAGE_LOAD_TIMEOUT_MS)
    for topic in ("start dates", "eligible", "accommodation", "personal data"):
        expect(examples.filter(has_text=topic)).to_have_count(1)

    page.evaluate(WATCH_STREAM)
    throttle(page, 3000)
    ask(page, DATE_QUESTION)
    answer = last_answer(page)
    expect(answer.locator("details").first).to_be_attached(timeout=ANSWER_TIMEOUT_MS)
    partial = {s["text"] for s in page.evaluate("window.__states") if s["text"].strip() and not s["sources"]}
    assert len(partial) >= 2, f"answer was not streamed: {sorted(partial)[:3]}"

    expect(answer.locator("sup.cc-marker").first).to_have_text("[1]")
    answer.locator("summary").first.click()
    quote = answer.locator("details[open] blockquote").first
    expect(quote).to_be_visible()
    expect(quote).to_contain_text("2024")
    expect(page.locator("textarea").first).to_be_editable()
    page.locator(f"{CHATBOT} [data-testid=user]").last.evaluate("q => q.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(docs_dir / "chat-page-desktop.png"))

    before = len(feedback_rows(live_app.data_dir / "careers-chat.sqlite3"))
    page.locator(f"{CHATBOT} button[aria-label='Like']").last.click()
    deadline = time.monotonic() + FEEDBACK_TIMEOUT_S
    while (
        len(rows := feedback_rows(live_app.data_dir / "careers-chat.sqlite3")) == before and time.monotonic() < deadline
    ):
        time.sleep(0.2)
    assert len(rows) == before + 1, "the thumbs up was not stored"
    assert rows[-1]["rating"] == "up"
    assert rows[-1]["message_id"] is not None, "the feedback is not linked to the rated answer"


def test_chat_page_renders_html_from_candidate_and_knowledge_as_text(page: Page, live_app, hostile) -> None:
    page.goto(f"{live_app.url}/")
    ask(page, f"Is this rendered? {hostile.html}")
    expect(page.locator(f"{CHATBOT} [data-testid=user]").first).to_contain_text(hostile.html)
    expect(last_answer(page)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)

    ask(page, hostile.question)
    expect(page.locator(f"{CHATBOT} [data-testid=user]")).to_have_count(2, timeout=ANSWER_TIMEOUT_MS)
    answer = last_answer(page)
    expect(answer.locator("details").first).to_be_attached(timeout=ANSWER_TIMEOUT_MS)
    for summary in answer.locator("summary").all():
        summary.click()
    expect(answer).to_contain_text(hostile.html)

    assert page.evaluate(f"window.{hostile.flag}") is None
    assert page.locator(f"{CHATBOT} img[src='x']").count() == 0


def test_chat_page_keyboard_only_on_a_phone(phone: Page, live_app, docs_dir) -> None:
    phone.goto(f"{live_app.url}/")
    expect(phone.locator(".cc-disclosure")).to_be_visible()
    expect(phone.locator(f"{CHATBOT} .examples .example")).to_have_count(4, timeout=PAGE_LOAD_TIMEOUT_MS)
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path=str(docs_dir / "chat-page-phone.png"))

    for _ in range(20):
        if phone.evaluate("document.activeElement.tagName") == "TEXTAREA":
            break
        phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.tagName") == "TEXTAREA", "the question box is not reachable by Tab"
    phone.keyboard.type(DATE_QUESTION)
    phone.keyboard.press("Enter")
    answer = last_answer(phone)
    expect(answer.locator("details").first).to_be_attached(timeout=ANSWER_TIMEOUT_MS)

    for _ in range(60):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    assert phone.evaluate("document.activeElement.tagName") == "SUMMARY", "the sources are not reachable by Tab"
    phone.keyboard.press("Enter")
    expect(answer.locator("details[open] blockquote").first).to_be_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"


def changed_pixels(before: bytes, after: bytes) -> int:
    """Count the pixels that differ between two screenshots of the same area."""
    difference = ImageChops.difference(
        Image.open(io.BytesIO(before)).convert("RGB"), Image.open(io.BytesIO(after)).convert("RGB")
    )
    return sum(1 for pixel in difference.getdata() if max(pixel) > 40)


def test_chat_box_and_every_control_show_where_focus_is(page: Page, live_app) -> None:
    page.goto(f"{live_app.url}/")
    box = page.locator("#cc-question textarea")
    expect(box).to_be_focused()  # autofocus
    area = box.bounding_box()
    assert area is not None
    clip = {"x": area["x"] - 8, "y": area["y"] - 8, "width": area["width"] + 16, "height": area["height"] + 16}
    box.evaluate("b => b.blur()")
    unfocused = page.screenshot(clip=clip)
    page.keyboard.press("Tab")  # from the page back into the box, as a keyboard user arrives
    for _ in range(10):
        if focus_state(page)["where"].startswith("textarea"):
            break
        page.keyboard.press("Tab")
    state = focus_state(page)
    assert state["where"].startswith("textarea"), f"Tab does not reach the question box: {state['where']}"
    assert focus_problem(state) is None, focus_problem(state)
    assert changed_pixels(unfocused, page.screenshot(clip=clip)) > 2 * (area["width"] + area["height"]), (
        "the question box looks the same focused and unfocused"
    )

    ask(page, DATE_QUESTION)
    expect(last_answer(page).locator("details").first).to_be_attached(timeout=ANSWER_TIMEOUT_MS)
    seen: list[str] = []
    for _ in range(40):  # every stop on the page, Gradio's buttons included, once round
        page.keyboard.press("Tab")
        state = focus_state(page)
        if state["where"] == "body":
            continue
        seen.append(state["where"])
        assert focus_problem(state) is None, focus_problem(state)
    for control in ("textarea", "button#cc-send", "summary"):
        assert any(where.startswith(control) for where in seen), f"Tab never reached {control}: {seen}"


def test_the_next_question_typed_while_an_answer_streams_is_kept(page: Page, live_app, throttle) -> None:
    page.goto(f"{live_app.url}/")
    box = page.locator("#cc-question textarea")
    expect(page.locator(f"{CHATBOT} .examples .example")).to_have_count(4, timeout=PAGE_LOAD_TIMEOUT_MS)
    throttle(page, 3000)
    ask(page, DATE_QUESTION)
    expect(box).to_have_value("")  # emptied as the question leaves, before the server answers
    box.fill("How many positions can I apply for?")
    box.press("Enter")  # while the first answer is still on its way: ignored, not lost
    expect(last_answer(page).locator("details").first).to_be_attached(timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator(f"{CHATBOT} [data-testid=user]")).to_have_count(1)
    expect(box).to_have_value("How many positions can I apply for?")
    expect(box).to_be_focused()

    throttle(page, -1)  # full speed again, so the first answer's stream ends
    expect(page.locator(f"{CHATBOT} [data-testid=status-tracker]:not(.hide)")).to_have_count(0)  # answered
    box.press("Enter")
    expect(page.locator(f"{CHATBOT} [data-testid=user]")).to_have_count(2, timeout=ANSWER_TIMEOUT_MS)
    expect(box).to_have_value("")
