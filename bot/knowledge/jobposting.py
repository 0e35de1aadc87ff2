"""Import a posting from the schema.org `JobPosting` JSON-LD that careers pages publish for search engines.

The Markdown states only what the JSON-LD states: the title, a list of the
facts it gives (hiring organization, employment type, location, who may apply from
where, salary, dates...), the description (HTML converted to Markdown)
and the longer text fields (responsibilities, qualifications, benefits...)
as sections of their own. A field that is missing is left out, never
guessed; codes such as `FULL_TIME` are spelled out, not interpreted, and
dates are written out in English (the form the engine reads dates in).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup

from bot.knowledge.documents import posting_slug
from bot.knowledge.htmltext import MarkupTooDeepError, html_to_markdown
from bot.knowledge.text import LONE_SURROGATE

SALARY_UNITS = {"HOUR": "an hour", "DAY": "a day", "WEEK": "a week", "MONTH": "a month", "YEAR": "a year"}
TEXT_SECTIONS = (
    ("responsibilities", "Responsibilities"),
    ("qualifications", "Qualifications"),
    ("skills", "Skills"),
    ("educationRequirements", "Education requirements"),
    ("experienceRequirements", "Experience requirements"),
    ("jobBenefits", "Benefits"),
    ("incentiveCompensation", "Incentive compensation"),
    ("workHours", "Working hours"),
    ("specialCommitments", "Special commitments"),
)
MAX_POSTING_ID = 60


class JobPostingError(ValueError):
    """The page carries no usable JobPosting JSON-LD; the message says what is missing."""


@dataclass(frozen=True)
class ImportedPosting:
    """A posting read from JSON-LD: a suggested id, its title and its Markdown document."""

    posting_id: str
    title: str
    markdown: str
    found: int  # how many JobPosting entries the page had (the first is imported)


def _types(node: dict) -> list[str]:
    kind = node.get("@type", [])
    return [str(k).rsplit("/", 1)[-1] for k in (kind if isinstance(kind, list) else [kind])]


def _walk(node: Any) -> Iterator[dict]:
    """Yield every JobPosting object in a JSON-LD value (lists and `@graph` included)."""
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        if "JobPosting" in _types(node):
            yield node
        for key in ("@graph", "mainEntity", "itemListElement", "item"):
            if key in node:
                yield from _walk(node[key])


def find_job_postings(page: str) -> list[dict]:
    """Return the JobPosting objects in a page's `application/ld+json` scripts (unparseable scripts skipped)."""
    soup = BeautifulSoup(page, "html.parser")
    found: list[dict] = []
    for script in soup.find_all("script", type=re.compile(r"^\s*application/ld\+json\s*$", re.I)):
        try:
            data = json.loads(script.string or script.get_text() or "", strict=False)
        except (ValueError, RecursionError):  # broken, or nested past what the reader takes
            continue
        found.extend(_walk(data))
    return found


def _text(value: Any) -> str:
    """Return a JSON-LD value as display text: a string, a thing's name, or several joined by commas."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("value") or "")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return " ".join(LONE_SURROGATE.sub("\ufffd", html.unescape(str(value))).split())


def _date(value: Any) -> str:
    """Write an ISO date as "January 15, 2024"; anything else as given."""
    text = _text(value)
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return text
    return f"{day:%B} {day.day}, {day.year}"


def _number(value: Any, cents: bool = False) -> str:
    """Write an amount with thousands separators, with cents when it (or its pair) has them."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _text(value)
    return f"{value:,.2f}" if cents or not float(value).is_integer() else f"{int(value):,}"


def _salary(salary: Any) -> str:
    """Describe a MonetaryAmount: "USD 136,800 to 205,000 a year"."""
    if not isinstance(salary, dict):
        return _number(salary)
    currency = _text(salary.get("currency"))
    value = salary.get("value")
    unit = ""
    if isinstance(value, dict):
        unit = SALARY_UNITS.get(_text(value.get("unitText")).upper(), _text(value.get("unitText")).lower())
        low, high, exact = value.get("minValue"), value.get("maxValue"), value.get("value")
        if low is not None and high is not None:
            cents = any(isinstance(v, float) and not v.is_integer() for v in (low, high))
            amount = f"{_number(low, cents)} to {_number(high, cents)}"
        elif exact is not None:
            amount = _number(exact)
        elif low is not None:
            amount = f"from {_number(low)}"
        elif high is not None:
            amount = f"up to {_number(high)}"
        else:
            amount = ""
    else:
        amount = _number(value)
    return " ".join(part for part in (currency, amount, unit) if part) if amount else ""


def _address(place: Any) -> str:
    """Describe a Place by its PostalAddress parts, in the order written on an envelope."""
    if not isinstance(place, dict):
        return _text(place)
    address = place.get("address", place)
    if not isinstance(address, dict):
        return _text(address)
    parts = ("streetAddress", "addressLocality", "addressRegion", "postalCode", "addressCountry")
    text = ", ".join(t for t in (_text(address.get(p)) for p in parts) if t)
    return text or _text(place.get("name"))


def _spelled(code: Any) -> str:
    """Spell out codes such as FULL_TIME ("full time"); other text stays as given."""
    values = code if isinstance(code, list) else [code]
    return ", ".join(
        _text(v).replace("_", " ").lower() if re.fullmatch(r"[A-Z_]+", _text(v)) else _text(v)
        for v in values
        if _text(v)
    )


def _locations(value: Any) -> str:
    """Describe one or several jobLocation places, separated by semicolons."""
    places = value if isinstance(value, list) else [value] if value else []
    return "; ".join(t for t in (_address(p) for p in places) if t)


# (label, JobPosting property, how to write its value), in the order the facts are listed.
FACTS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("Hiring organization", "hiringOrganization", _text),
    ("Employment type", "employmentType", _spelled),
    ("Location", "jobLocation", _locations),
    ("Job location type", "jobLocationType", _spelled),
    ("Applicants must be located in", "applicantLocationRequirements", _text),
    ("Base salary", "baseSalary", _salary),
    ("Estimated salary", "estimatedSalary", _salary),
    ("Date posted", "datePosted", _date),
    ("Posting valid through", "validThrough", _date),
    ("Job start date", "jobStartDate", _date),
    ("Number of openings", "totalJobOpenings", _number),
    ("Industry", "industry", _text),
    ("Occupational category", "occupationalCategory", _text),
    ("Direct apply", "directApply", _text),
    ("Eligibility to work", "eligibilityToWorkRequirement", _text),
    ("Posting URL", "url", _text),
)


def _facts(posting: dict) -> list[str]:
    """Return the labelled facts the JSON-LD states, as list items."""
    facts = ((label, write(posting.get(key))) for label, key, write in FACTS if posting.get(key) is not None)
    return [f"- {label}: {value}" for label, value in facts if value]


def job_details(posting: dict) -> str:
    """Return the "Job details" section: the labelled facts the JSON-LD states, or nothing."""
    facts = _facts(posting)
    return "## Job details\n\n" + "\n".join(facts) if facts else ""


def _section_text(value: Any) -> str:
    """Render a text field that may hold HTML, plain text or a list of strings."""
    if isinstance(value, list):
        return "\n".join(f"- {_text(v)}" for v in value if _text(v))
    if isinstance(value, dict):
        value = (
            value.get("description")
            or value.get("name")
            or (f"{value['monthsOfExperience']} months of experience" if "monthsOfExperience" in value else "")
        )
    text = LONE_SURROGATE.sub("\ufffd", str(value or ""))
    if "<" not in text and "&lt;" in text:  # HTML escaped once more than it should be
        text = html.unescape(text)
    try:
        return html_to_markdown(text).strip() if "<" in text else _text(text)
    except MarkupTooDeepError as exc:
        raise JobPostingError(f"The JobPosting's description: {exc}.") from exc


def _demoted(markdown: str) -> str:
    """Move the description's own headings below the document's title."""
    return re.sub(r"^#(?=\s)", "##", markdown, flags=re.M)


def suggest_posting_id(title: str, organization: str = "") -> str:
    """Make a posting id from the organization and title ("Crumb & Co", "Night Baker" -> "crumb-co-night-baker")."""
    return posting_slug(f"{organization} {title}", MAX_POSTING_ID) or "imported-posting"


def job_posting_markdown(posting: dict) -> ImportedPosting:
    """Turn one JobPosting object into a Markdown document that says what it says and nothing more."""
    title = _text(posting.get("title"))
    if not title:
        raise JobPostingError("The JobPosting has no title.")
    parts = [f"# {title}"]
    details = job_details(posting)
    if details:
        parts.append(details)
    description = _section_text(posting.get("description"))
    if description:
        description = _demoted(description)
        parts.append(description if description.startswith("#") else "## Description\n\n" + description)
    for key, heading in TEXT_SECTIONS:
        text = _section_text(posting.get(key))
        if text:
            parts.append(f"## {heading}\n\n{_demoted(text)}")
    if len(parts) == 1:
        raise JobPostingError("The JobPosting has a title but no description or details to answer from.")
    organization = _text(posting.get("hiringOrganization"))
    return ImportedPosting(suggest_posting_id(title, organization), title, "\n\n".join(parts) + "\n", 1)


def import_job_posting(page: str) -> ImportedPosting:
    """Import the first JobPosting of an HTML page; raise JobPostingError when there is none."""
    postings = find_job_postings(page)
    if not postings:
        raise JobPostingError(
            'The page carries no schema.org JobPosting JSON-LD (a <script type="application/ld+json"> block).'
        )
    imported = job_posting_markdown(postings[0])
    return ImportedPosting(imported.posting_id, imported.title, imported.markdown, len(postings))
