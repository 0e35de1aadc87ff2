"""The embeddable widget in real Chromium, on allowed and refused host sites."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.audit import focus_problem, focus_state

pytestmark = pytest.mark.browser

WIDGET = "#careers-chat-widget"
DATE_QUESTION = "What are the possible start dates?"
ANSWER_TIMEOUT_MS = 30_000

# Records every text a streaming (aria-busy) bubble shows, to prove progressive rendering.
WATCH_STREAM = """() => {
  const root = document.getElementById('careers-chat-widget').shadowRoot;
  window.__streamed = [];
  new MutationObserver(() => {
    for (const bubble of root.querySelectorAll('[aria-busy="true"]')) {
      if (!bubble.querySelector('.dots')) window.__streamed.push(bubble.textContent);
    }
  }).observe(root.querySelector('.log'), {subtree: true, childList: true, characterData: true});
}"""


def ask(page: Page, question: str) -> None:
    """Type a question into the open widget, send it with Enter and wait until it is answered."""
    asked = page.locator(f"{WIDGET} .m.me").count()
    page.fill(f"{WIDGET} textarea", question)
    page.press(f"{WIDGET} textarea", "Enter")
    expect(page.locator(f"{WIDGET} .m.me")).to_have_count(asked + 1)
    expect(page.locator(f"{WIDGET} [aria-busy]")).to_have_count(0, timeout=ANSWER_TIMEOUT_MS)


def last_answer(page: Page):
    """Return the locator of the newest reply (answer or error), not the greeting."""
    return page.locator(f"{WIDGET} .m.bot:not(.greet), {WIDGET} .m.err").last


def test_widget_streams_cited_answer_closes_and_keeps_history(page: Page, allowed_site, throttle) -> None:
    page.goto(allowed_site.page())
    launcher = page.locator(f"{WIDGET} .launch")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    panel = page.locator(f"{WIDGET} .panel")
    expect(panel).to_be_visible()
    expect(page.locator(f"{WIDGET} .note")).to_contain_text("AI assistant")
    assert focus_state(page)["where"] == "textarea#cc-in"

    page.evaluate(WATCH_STREAM)
    throttle(page, 3000)
    ask(page, DATE_QUESTION)
    sources = page.locator(f"{WIDGET} .src details")
    expect(sources.first).to_be_attached(timeout=ANSWER_TIMEOUT_MS)
    streamed = page.evaluate("window.__streamed")
    assert len(set(streamed)) >= 2, f"answer was not rendered progressively: {streamed[:3]}"

    answer = last_answer(page)
    expect(answer).to_contain_text("2024")
    marker = answer.locator(".mk").first
    marker.click()
    quote = answer.locator("details[open] blockquote").first
    expect(quote).to_be_visible()
    assert quote.inner_text().strip()

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert focus_state(page)["where"] == "button.launch"

    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    expect(page.locator(f"{WIDGET} .m.me")).to_have_text([DATE_QUESTION])
    expect(page.locator(f"{WIDGET} .src")).to_have_count(1)

    page.click("#next")
    expect(page).to_have_title("Open roles")
    expect(page.locator(f"{WIDGET} .panel")).to_be_visible()
    expect(page.locator(f"{WIDGET} .m.me")).to_have_text([DATE_QUESTION])
    expect(last_answer(page)).to_contain_text("2024")


def test_widget_refused_on_origin_not_allowed(page: Page, blocked_site, live_app) -> None:
    refused = httpx.post(
        f"{live_app.url}/api/chat",
        json={"message": DATE_QUESTION},
        headers={"Origin": blocked_site.origin},
        timeout=30,
    )
    assert refused.status_code == 403
    assert "not available on this site" in refused.json()["detail"]

    page.goto(blocked_site.page())
    page.click(f"{WIDGET} .launch")
    ask(page, DATE_QUESTION)
    error = page.locator(f"{WIDGET} .m.err")
    expect(error).to_have_text(re.compile("not available on this site"), timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator(f"{WIDGET} .src")).to_have_count(0)


def test_widget_renders_html_from_candidate_and_knowledge_as_text(page: Page, allowed_site, hostile) -> None:
    page.goto(allowed_site.page())
    page.click(f"{WIDGET} .launch")
    ask(page, f"Is this rendered? {hostile.html}")
    expect(page.locator(f"{WIDGET} .m.me").first).to_have_text(f"Is this rendered? {hostile.html}")

    ask(page, hostile.question)
    answer = last_answer(page)
    expect(answer.locator(".src")).to_be_attached()
    for summary in answer.locator("summary").all():
        summary.click()
    expect(answer).to_contain_text(hostile.html)

    assert page.evaluate(f"window.{hostile.flag}") is None
    assert (
        page.evaluate("document.getElementById('careers-chat-widget').shadowRoot.querySelectorAll('img').length") == 0
    )


def expect_focus(page: Page, where: str, step: str) -> dict:
    """Assert which element has focus (inside the widget too), that it is on screen and shows an uncut 3:1 ring."""
    state = focus_state(page)
    assert state["where"].startswith(where), f"after {step} focus is on {state['where']}, not {where}"
    assert focus_problem(state) is None, f"after {step}: {focus_problem(state)}"
    return state


def press_until(page: Page, key: str, where: str, step: str, tries: int = 6) -> None:
    """Press key until focus reaches where (a few tries), then assert it is there and visible."""
    for _ in range(tries):
        page.keyboard.press(key)
        if focus_state(page)["where"].startswith(where):
            break
    expect_focus(page, where, step)


def test_widget_keyboard_walk(screen: Page, allowed_site) -> None:
    """Tab to the launcher, open, ask with Enter and with Send, reach a citation, Escape; on a phone, never leave the panel."""
    on_phone = screen.viewport_size["width"] < 480
    screen.goto(allowed_site.page())
    press_until(screen, "Tab", "button.launch", "Tab from the page")

    screen.keyboard.press("Enter")
    expect(screen.locator(f"{WIDGET} .panel")).to_be_visible()
    assert expect_focus(screen, "textarea#cc-in", "opening")["inPanel"]

    screen.keyboard.type(DATE_QUESTION)
    screen.keyboard.press("Enter")
    expect_focus(screen, "textarea#cc-in", "sending with Enter")
    expect(screen.locator(f"{WIDGET} .src")).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    expect_focus(screen, "textarea#cc-in", "the answer to a question sent with Enter")

    screen.keyboard.type("How many positions can I apply for?")
    screen.keyboard.press("Tab")
    expect_focus(screen, "button.send", "Tab from the question box")
    screen.keyboard.press("Enter")
    expect(screen.locator(f"{WIDGET} .m.me")).to_have_count(2)
    expect_focus(screen, "button.send", "sending with the Send button")
    expect(screen.locator(f"{WIDGET} [aria-busy]")).to_have_count(0, timeout=ANSWER_TIMEOUT_MS)
    expect_focus(screen, "button.send", "the answer to a question sent with the Send button")

    screen.keyboard.press("Shift+Tab")
    expect_focus(screen, "textarea#cc-in", "Shift+Tab from Send")
    screen.keyboard.press("Shift+Tab")
    expect_focus(screen, "summary", "Shift+Tab from the question box")
    screen.keyboard.press("Enter")
    expect(last_answer(screen).locator("details[open] blockquote").last).to_be_visible()
    press_until(screen, "Shift+Tab", "button.mk", "Shift+Tab back to a citation marker")
    screen.keyboard.press("Enter")
    expect_focus(screen, "summary", "following a citation marker")

    if on_phone:  # the panel covers the page: focus must wrap around inside it, both ways
        stops = screen.evaluate(
            "document.getElementById('careers-chat-widget').shadowRoot.querySelectorAll('.panel button, .panel textarea, .panel summary').length"
        )
        for key in ("Tab", "Shift+Tab"):
            for step in range(stops + 3):
                screen.keyboard.press(key)
                state = expect_focus(screen, "", f"{key} number {step + 1} in the open panel")
                assert state["inPanel"], f"{key} number {step + 1} left the open panel for {state['where']}"

    screen.keyboard.press("Escape")
    expect(screen.locator(f"{WIDGET} .panel")).to_be_hidden()
    expect_focus(screen, "button.launch", "Escape")


def test_widget_works_when_session_storage_is_blocked(page: Page, allowed_site) -> None:
    page.add_init_script(
        """Object.defineProperty(window, 'sessionStorage', {
             get() { throw new DOMException('blocked', 'SecurityError'); } });"""
    )
    page.goto(allowed_site.page())
    page.click(f"{WIDGET} .launch")
    ask(page, DATE_QUESTION)
    expect(page.locator(f"{WIDGET} .src")).to_have_count(1, timeout=ANSWER_TIMEOUT_MS)
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    expect(page.locator(f"{WIDGET} .m.me")).to_have_text([DATE_QUESTION])


def test_widget_explains_rate_limit(page: Page, allowed_site) -> None:
    page.route(
        "**/api/chat/stream",
        lambda route: route.fulfill(
            status=429,
            headers={
                "Retry-After": "42",
                "Access-Control-Allow-Origin": allowed_site.origin,
                "Access-Control-Expose-Headers": "Retry-After",
            },
            json={"detail": "Too many requests"},
        ),
    )
    page.goto(allowed_site.page())
    page.click(f"{WIDGET} .launch")
    ask(page, DATE_QUESTION)
    expect(page.locator(f"{WIDGET} .m.err")).to_contain_text("wait 42 seconds")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_demo_page_embeds_widget_for_screenshots(browser, live_app, docs_dir, viewport: str) -> None:
    options = (
        {"viewport": {"width": 1280, "height": 800}}
        if viewport == "desktop"
        else {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
    )
    context = browser.new_context(**options)
    tab = context.new_page()
    tab.goto(f"{live_app.url}/demo")
    script = tab.locator("script[src$='/widget.js']")
    assert script.get_attribute("src") == f"{live_app.url}/widget.js"
    tab.click(f"{WIDGET} .launch")
    ask(tab, DATE_QUESTION)
    answer = last_answer(tab)
    expect(answer.locator(".src")).to_be_attached(timeout=ANSWER_TIMEOUT_MS)
    answer.locator("summary").first.click()
    expect(answer.locator("details[open] blockquote")).to_be_visible()
    tab.locator(f"{WIDGET} .m.me").last.evaluate("question => question.scrollIntoView({block: 'start'})")
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"
    tab.screenshot(path=str(docs_dir / f"widget-{viewport}.png"))
    context.close()
