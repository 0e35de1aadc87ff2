"""Output guard: facts the sources lack and prompt leaks are caught."""

from __future__ import annotations

from bot.config import PROJECT_ROOT
from bot.answerers.grounding import leaked_prompt, unsupported_facts
from bot.answerers.prompts import load_prompts

SOURCE = (
    "The base salary range for this position in the selected city is $136800 - $205000 annually. "
    "Please reach out to us at earlycareers.accommodations@bytedance.com. "
    "Privacy policy: https://jobs.bytedance.com/en/legal/privacy. Start on January 15, 2024."
)


def test_supported_numbers_emails_and_links_pass():
    answer = (
        "The range is $136,800 to $205,000 a year [1]. Write to earlycareers.accommodations@bytedance.com [2]. "
        "See https://jobs.bytedance.com/en/legal/privacy [3]. You could start on January 15, 2024 [1]."
    )
    assert unsupported_facts(answer, [SOURCE]) == []


def test_invented_amount_date_email_and_link_are_flagged():
    answer = (
        "The range is $150,000 [1]. Start on June 3, 2024 [1]. Email jobs@example.com [1]. "
        "Apply at https://example.com/apply [1]."
    )
    flagged = unsupported_facts(answer, [SOURCE])
    assert "150,000" in flagged and "3" in flagged
    assert "jobs@example.com" in flagged and "https://example.com/apply" in flagged


def test_citation_markers_are_not_numbers():
    assert unsupported_facts("Two positions at most [7].", [SOURCE]) == []


def test_long_runs_of_prompt_text_are_leaks():
    prompts = load_prompts(PROJECT_ROOT / "prompts")
    leak = "My rules: " + prompts.system.split("\n\n")[1][:200]
    assert leaked_prompt(leak, prompts.texts(), [SOURCE])
    assert not leaked_prompt("You can apply for at most two positions [1].", prompts.texts(), [SOURCE])


def test_prompt_words_that_are_also_in_the_context_are_not_leaks():
    prompt = "Never invent a number, a date, an amount, an email address or a link."
    context = "We never invent a number, a date, an amount, an email address or a link here."
    answer = "They never invent a number, a date, an amount, an email address or a link [1]."
    assert leaked_prompt(answer, [prompt], [])
    assert not leaked_prompt(answer, [prompt], [context])
