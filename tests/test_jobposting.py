"""Importing a posting from schema.org JobPosting JSON-LD states what the page's data states, and nothing else."""

from __future__ import annotations

import json
import re

import pytest

from bot.config import PROJECT_ROOT
from bot.knowledge.convert import file_to_markdown
from bot.knowledge.documents import parse_document
from bot.knowledge.jobposting import JobPostingError, import_job_posting, job_posting_markdown
from bot.knowledge.text import plain_text

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "jobposting"


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_a_careers_page_becomes_a_posting_with_its_facts_and_description() -> None:
    imported = import_job_posting(page("harbor-bakery-night-baker.html"))
    assert (imported.posting_id, imported.title, imported.found) == ("harbor-lane-bakery-night-baker", "Night Baker", 1)
    assert imported.markdown == (
        "# Night Baker\n\n"
        "## Job details\n\n"
        "- Hiring organization: Harbor Lane Bakery\n"
        "- Employment type: full time, temporary\n"
        "- Location: 12 Wharf Row, Port Calder, CA, 90000, US\n"
        "- Applicants must be located in: USA\n"
        "- Base salary: USD 21.50 to 26.00 an hour\n"
        "- Date posted: March 1, 2031\n"
        "- Posting valid through: April 15, 2031\n"
        "- Direct apply: yes\n\n"
        "## Description\n\n"
        "Harbor Lane Bakery is a fictional bakery that bakes bread for the harbor district every night.\n\n"
        "## What you will do\n\n"
        "- Mix and shape the dough for the morning bread.\n"
        "- Run the deck ovens between 11 pm and 6 am.\n\n"
        "## What you bring\n\n"
        "- At least one year of experience in a commercial bakery.\n"
        "- A food handler certificate.\n\n"
        "We pay for your food handler certificate renewal.\n"
    )


def test_graph_escaped_html_lists_and_remote_work_are_read() -> None:
    imported = import_job_posting(page("quorb-graph-remote-analyst.html"))
    markdown = imported.markdown
    assert imported.title == "Remote Data Analyst"
    assert "- Job location type: telecommute\n" in markdown
    assert "- Applicants must be located in: Canada, Mexico\n" in markdown
    assert "- Base salary: CAD 4,200 a month\n" in markdown
    assert "- Date posted: May 2, 2031\n" in markdown
    assert "## About the role\n\nYou turn oven telemetry into weekly reports for the Quorb Cooperative." in markdown
    assert "## Responsibilities\n\n- Build the weekly oven report.\n- Answer questions from the oven crews." in markdown
    assert "&lt;" not in markdown and "<p>" not in markdown


def test_nothing_is_stated_that_the_json_ld_does_not_state() -> None:
    html = page("quorb-graph-remote-analyst.html")
    markdown = import_job_posting(html).markdown
    for absent in ("Location:", "Posting valid through", "Direct apply", "Description", "Benefits", "salary: USD"):
        assert absent not in markdown
    # Every number in the document comes from the JSON-LD.
    data = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    numbers = set(re.findall(r"\d+", json.dumps(json.loads(data))))
    assert set(re.findall(r"\d+", markdown.replace("4,200", "4200"))) <= numbers | {"2"}  # May 2 from 2031-05-02


def test_a_page_without_job_posting_data_is_refused_clearly() -> None:
    with pytest.raises(JobPostingError, match=r"no schema\.org JobPosting JSON-LD"):
        import_job_posting(page("no-job-posting.html"))
    with pytest.raises(JobPostingError, match="no title"):
        job_posting_markdown({"@type": "JobPosting", "description": "<p>Text.</p>"})
    with pytest.raises(JobPostingError, match="no description or details"):
        job_posting_markdown({"@type": "JobPosting", "title": "Baker"})


def test_an_uploaded_html_page_with_job_posting_data_is_imported_and_loads_as_knowledge() -> None:
    markdown = file_to_markdown("job.html", (FIXTURES / "harbor-bakery-night-baker.html").read_bytes())
    assert markdown == import_job_posting(page("harbor-bakery-night-baker.html")).markdown
    document = parse_document(markdown, "night-baker/posting.md", "night-baker", True)
    assert document.title == "Night Baker"
    assert "Cookie settings" not in plain_text(document.body) and "Apply now" not in plain_text(document.body)


def test_a_page_whose_json_ld_is_only_a_summary_keeps_its_own_text_and_adds_the_facts() -> None:
    # The JSON-LD replaced the page: its pay table and "How to apply" were lost, and "+$1.50/hr" was never found.
    markdown = file_to_markdown("job.html", (FIXTURES / "fernhill-summary-json-ld.html").read_bytes())
    text = plain_text(markdown)
    assert "+$1.50/hr" in text and "Send your CV to jobs@fernhill.example by April 20, 2031." in text
    assert "- Base salary: USD 19 to 23 an hour" in markdown and "Posting valid through: April 20, 2031" in text
    # Page furniture marked by role or class: the cookie banner, breadcrumbs, the share row and other jobs' pay.
    for furniture in ("cookies", "Home", "Share this job", "subject", "Sous Chef"):
        assert furniture not in text
