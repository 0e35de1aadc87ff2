"""A careers site with two postings in real Chromium: the list at `/`, one page per posting."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import Page, expect

from tests.browser.audit import axe_violations, sideways_overflow
from tests.browser.conftest import ROOT, open_tab

pytestmark = pytest.mark.browser

SECOND = "zephyr-data-engineer"
SECOND_TITLE = "Zephyr Pretzel Works, Data Engineer (fictional test posting)"
ANSWER_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def two_postings_app(start_app, tmp_path_factory):
    """The app over the seed posting and a fictional second posting."""
    knowledge = tmp_path_factory.mktemp("two-postings") / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    shutil.copytree(ROOT / "tests" / "fixtures" / "fictional" / SECOND, knowledge / SECOND)
    return start_app({"KNOWLEDGE_DIR": str(knowledge)})


def test_the_list_links_each_posting_to_its_own_chat(page: Page, two_postings_app, docs_dir) -> None:
    page.goto(f"{two_postings_app.url}/")
    links = page.locator("ul.postings a")
    expect(links).to_have_count(2)
    expect(page.locator("h1")).to_have_text("Open positions")
    assert axe_violations(page) == []
    page.screenshot(path=str(docs_dir / "postings-list.png"))

    links.filter(has_text="Zephyr").click()
    page.wait_for_url(f"{two_postings_app.url}/p/{SECOND}/")
    expect(page.locator("h1.cc-title")).to_have_text(f"Ask about: {SECOND_TITLE}", timeout=20_000)  # set on load
    expect(page).to_have_title(f"Ask about: {SECOND_TITLE}")
    examples = page.locator("#cc-chatbot .examples .example")
    expect(examples.first).to_be_visible()
    assert examples.count() <= 4
    expect(examples.filter(has_text="personal data")).to_have_count(0)  # this posting says nothing about it

    box = page.locator("textarea").first
    box.fill("What are the start dates?")
    box.press("Enter")
    answer = page.locator("#cc-chatbot [data-testid=bot]").last
    expect(answer.locator("details").first).to_be_attached(timeout=ANSWER_TIMEOUT_MS)
    expect(answer).to_contain_text("2031")  # this posting's dates, never the other one's
    expect(answer).not_to_contain_text("2024")
    expect(answer.locator(".cc-file").first).to_contain_text(SECOND)
    page.screenshot(path=str(docs_dir / "posting-page.png"))


def test_the_list_reflows_on_a_phone_and_speaks_chinese(browser, two_postings_app) -> None:
    tab, errors = open_tab(browser, "phone", locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh"})
    tab.goto(f"{two_postings_app.url}/")
    expect(tab.locator("h1")).to_have_text("在招职位")
    assert sideways_overflow(tab) == 0
    tab.context.close()
    assert not errors


def test_an_unknown_posting_page_says_so_and_leads_back(page: Page, two_postings_app) -> None:
    response = page.goto(f"{two_postings_app.url}/p/no-such-job/")
    assert response.status == 404
    expect(page.locator("[role=alert]")).to_contain_text("no-such-job")
    page.locator("a", has_text="See all open positions").click()
    expect(page.locator("ul.postings a")).to_have_count(2)
