"""The chat page and the widget in the candidate's language; the posting's quotes stay verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from bot.config import Settings
from bot.engine.replies import strings
from tests.browser.conftest import open_tab

pytestmark = pytest.mark.browser

CHATBOT = "#cc-chatbot"
WIDGET = "#careers-chat-widget"
PAY_QUESTION = "薪资范围是多少？"  # "What is the salary range?"
PAY_QUOTE = "The base salary range for this position"  # the posting's own English words
PAY_FIGURE = "136800"
ANSWER_TIMEOUT_MS = 30_000


PAGE_LOAD_TIMEOUT_MS = 20_000  # the page's load handler asks the engine; slow machines take seconds


def texts(section: str, language: str) -> dict:
    """The strings the app shows in a language, from prompts/i18n/<language>.yaml."""
    return strings(Settings().prompts_dir, language)[section]


def show_and_close(page: Page, errors: list[str], answer: Locator, question: Locator, screenshot: Path) -> None:
    """Check the opened citation quotes the posting verbatim, save the screenshot from the question down, close."""
    expect(answer.locator("details[open] blockquote").first).to_contain_text(PAY_QUOTE)
    question.evaluate("q => q.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(screenshot))
    page.context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_chat_page_answers_a_chinese_question_in_chinese(browser, live_app, docs_dir) -> None:
    page, errors = open_tab(browser, "desktop", locale="zh-CN")
    ui = texts("ui", "zh")
    page.goto(f"{live_app.url}/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^zh"))
    expect(page.locator(".cc-title")).to_contain_text(ui["title"].split("{title}")[0])
    expect(page.locator(".cc-disclosure")).to_contain_text(ui["disclosure_lead"])
    expect_examples_from(page, ui["examples"])
    expect(page.locator("#cc-question textarea")).to_have_attribute("placeholder", ui["placeholder"])
    expect(page.locator("#cc-send")).to_have_text(ui["send"])
    expect(page.get_by_role("textbox", name=ui["question_label"], exact=True)).to_be_visible()

    page.locator("#cc-question textarea").fill(PAY_QUESTION)
    page.locator("#cc-send").click()
    answer = page.locator(f"{CHATBOT} [data-testid=bot]").last
    expect(answer.locator("details").first).to_be_attached(timeout=ANSWER_TIMEOUT_MS)
    expect(answer).to_contain_text(PAY_FIGURE)
    expect(answer.locator(".cc-sources-title")).to_have_text(ui["sources"])
    expect(page.locator(CHATBOT).get_by_role("button", name=ui["copy"], exact=True).last).to_be_attached()
    framing = answer.locator("p").first.inner_text()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in framing), f"the answer's own words are not Chinese: {framing}"
    answer.locator("summary").first.click()
    show_and_close(
        page, errors, answer, page.locator(f"{CHATBOT} [data-testid=user]").last, docs_dir / "chat-page-zh.png"
    )


def test_widget_answers_a_chinese_question_in_chinese(browser, live_app, docs_dir) -> None:
    page, errors = open_tab(browser, "desktop")
    widget = texts("widget", "zh")
    page.goto(f"{live_app.url}/demo?lang=zh")
    launcher = page.locator(f"{WIDGET} .launch")
    expect(launcher).to_have_attribute("aria-label", widget["open"].format(title=widget["title"]))
    launcher.click()
    expect(page.locator(f"{WIDGET} h2")).to_have_text(widget["title"])
    expect(page.locator(f"{WIDGET} .note")).to_contain_text(widget["note"])
    expect(page.locator(f"{WIDGET} .greet")).to_have_text(widget["greeting"])
    expect(page.locator(f"{WIDGET} .send")).to_have_text(widget["send"])
    expect(page.locator(f"{WIDGET} textarea")).to_have_attribute("placeholder", widget["placeholder"])
    assert page.locator(f"{WIDGET} .w").get_attribute("lang") == "zh"

    page.fill(f"{WIDGET} textarea", PAY_QUESTION)
    page.press(f"{WIDGET} textarea", "Enter")
    expect(page.locator(f"{WIDGET} [aria-busy]")).to_have_count(0, timeout=ANSWER_TIMEOUT_MS)
    answer = page.locator(f"{WIDGET} .m.bot").last
    expect(answer).to_contain_text(PAY_FIGURE)
    expect(answer.locator(".src p")).to_have_text(widget["sources"])
    expect(answer.locator(".mk").first).to_have_attribute("aria-label", widget["source"].format(n=1))
    answer.locator(".mk").first.click()
    show_and_close(page, errors, answer, page.locator(f"{WIDGET} .m.me").last, docs_dir / "widget-zh.png")


@pytest.mark.parametrize(
    ("page_lang", "attributes", "browser_locale", "expected"),
    [
        ("zh-CN", "", "en-US", "zh"),  # the page's language
        ("en", 'data-lang="es"', "zh-CN", "es"),  # data-lang wins over the page and the browser
        (None, "", "es-ES", "es"),  # no page language: the browser's
        ("fr", "", "fr-FR", "en"),  # nothing supported: English
    ],
)
def test_widget_language_comes_from_data_lang_then_the_page_then_the_browser(
    browser, allowed_site, page_lang: str | None, attributes: str, browser_locale: str, expected: str
) -> None:
    url = allowed_site.add_page(f"lang-{page_lang}-{expected}.html", page_lang, attributes)
    page, errors = open_tab(browser, "desktop", locale=browser_locale)
    page.goto(url)
    widget = texts("widget", expected)
    page.locator(f"{WIDGET} .launch").click()
    expect(page.locator(f"{WIDGET} h2")).to_have_text(widget["title"])
    expect(page.locator(f"{WIDGET} .send")).to_have_text(widget["send"])
    expect(page.locator(f"{WIDGET} .x")).to_have_attribute("aria-label", widget["close"])
    page.context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def expect_examples_from(page: Page, candidates: list[str]) -> None:
    """Check the page shows four of the language's example questions, in the file's order."""
    examples = page.locator(f"{CHATBOT} .examples .example")
    expect(examples).to_have_count(4, timeout=PAGE_LOAD_TIMEOUT_MS)  # examples are checked against the engine on load
    shown = [text.strip() for text in examples.all_inner_texts()]
    assert shown == [q for q in candidates if q in shown], f"examples not from the language file: {shown}"


def test_chat_page_falls_back_to_english_for_other_languages(browser, live_app) -> None:
    page, errors = open_tab(browser, "desktop", locale="fr-FR")
    ui = texts("ui", "en")
    page.goto(f"{live_app.url}/")
    expect_examples_from(page, ui["examples"])
    expect(page.locator("#cc-send")).to_have_text(ui["send"])
    expect(page.locator(".cc-disclosure")).to_contain_text(ui["disclosure_lead"])
    page.context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
