"""Personal data in candidate text becomes placeholders; ordinary text survives."""

from __future__ import annotations

import logging

import pytest

from bot.config import PROJECT_ROOT
from bot.records.redaction import (
    PublicEmails,
    RedactingFilter,
    emails_in,
    install_log_redaction,
    knowledge_emails,
    luhn_valid,
    redact,
)

KNOWN_CONTACT = "earlycareers.accommodations@bytedance.com"

PLANTED = [
    # (text, secret that must disappear, placeholder that must appear)
    ("mail me at jane.doe+jobs@example.co.uk please", "jane.doe+jobs@example.co.uk", "[email]"),
    ("JOHN_SMITH@Mail.Example.ORG", "JOHN_SMITH@Mail.Example.ORG", "[email]"),
    ("call (415) 555-0198 after 5", "555-0198", "[phone]"),
    ("my cell is 415-555-0123.", "415-555-0123", "[phone]"),
    ("phone 415.555.0177", "415.555.0177", "[phone]"),
    ("phone 415 555 0166 thanks", "415 555 0166", "[phone]"),
    ("US number 1-800-555-0199", "800-555-0199", "[phone]"),
    ("reach me on +1 (415) 555-0142", "555-0142", "[phone]"),
    ("London +44 20 7946 0958", "7946 0958", "[phone]"),
    ("Berlin: +49-30-1234567", "1234567", "[phone]"),
    ("Mumbai +91 98765 43210", "98765 43210", "[phone]"),
    ("UK mobile 07700 900123", "900123", "[phone]"),
    ("landline 020 7946 0018", "7946 0018", "[phone]"),
    ("my SSN is 123-45-6789", "123-45-6789", "[ssn]"),
    ("ssn 078 05 1120", "078 05 1120", "[ssn]"),
    ("NI number QQ 12 34 56 C", "12 34 56", "[id]"),
    ("NI AB123456D", "AB123456D", "[id]"),
    ("passport 533380006", "533380006", "[id]"),
    ("national id 8001015009088", "8001015009088", "[id]"),
    ("tax id 12-3456-7890", "3456-7890", "[id]"),
    ("visa 4111 1111 1111 1111 exp 12/29", "4111 1111 1111 1111", "[card]"),
    ("card 5500-0000-0000-0004", "5500-0000-0000-0004", "[card]"),
    ("amex 378282246310005", "378282246310005", "[card]"),
    ("I live at 221B Baker Street, London", "Baker Street", "[address]"),
    ("send it to 1600 Pennsylvania Ave NW, Apt 4", "Pennsylvania Ave", "[address]"),
    ("office at 10 downing st.", "downing st", "[address]"),
    ("ship to 42 West Elm Road suite 300", "West Elm Road", "[address]"),
    ("PO Box 1234 please", "Box 1234", "[address]"),
]


@pytest.mark.parametrize(("text", "secret", "placeholder"), PLANTED)
def test_planted_personal_data_is_replaced(text: str, secret: str, placeholder: str) -> None:
    redacted = redact(text)
    assert secret not in redacted
    assert placeholder in redacted


KEPT = [
    "Can I start on 2025-09-01?",
    "Is the salary range $150,000 - $250,000 per year?",
    "I graduate in May 2026 and have 3 years of research experience.",
    "Is the role based in San Jose or Seattle?",
    "What does step 2 of 4 involve?",
    "Do you sponsor H-1B visas?",
    "I scored 98 out of 100.",
    "Is version 1.5.9 used?",
]


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_questions_are_unchanged(text: str) -> None:
    assert redact(text) == text


def test_allowed_emails_survive_case_insensitively() -> None:
    text = f"Write to {KNOWN_CONTACT.upper()} or to me, jane@example.com."
    redacted = redact(text, {KNOWN_CONTACT})
    assert KNOWN_CONTACT.upper() in redacted
    assert "jane@example.com" not in redacted
    assert redacted.count("[email]") == 1


def test_knowledge_emails_are_read_from_the_posting() -> None:
    assert KNOWN_CONTACT in knowledge_emails(PROJECT_ROOT / "knowledge")


def test_card_numbers_failing_luhn_are_not_called_cards() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    redacted = redact("number 4111 1111 1111 1112")
    assert "[card]" not in redacted and "1112" not in redacted


def test_every_planted_value_in_one_message_is_removed() -> None:
    message = " ; ".join(text for text, _, _ in PLANTED)
    redacted = redact(message)
    for _, secret, _ in PLANTED:
        assert secret not in redacted


def test_log_filter_redacts_message_args_extra_and_traceback(tmp_path) -> None:
    logger = logging.getLogger("test_redact.capture")
    logger.propagate = False
    handler = logging.FileHandler(tmp_path / "app.log")
    handler.setFormatter(logging.Formatter("%(message)s %(question)s"))
    logger.addHandler(handler)
    install_log_redaction({KNOWN_CONTACT}, logger)
    try:
        try:
            raise ValueError("bad card 4111 1111 1111 1111")
        except ValueError:
            logger.exception(
                "question from %s mentions %s",
                "jane@example.com",
                KNOWN_CONTACT,
                extra={"question": "my ssn is 123-45-6789"},
            )
    finally:
        logger.removeHandler(handler)
        handler.close()
    written = (tmp_path / "app.log").read_text()
    for secret in ("jane@example.com", "123-45-6789", "4111 1111 1111 1111"):
        assert secret not in written
    assert KNOWN_CONTACT in written
    assert "[email]" in written and "[ssn]" in written and "[card]" in written


def test_install_is_idempotent() -> None:
    logger = logging.getLogger("test_redact.idempotent")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    try:
        install_log_redaction((), logger)
        install_log_redaction((), logger)
        assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
    finally:
        logger.removeHandler(handler)


def test_public_emails_follow_the_served_knowledge(tmp_path) -> None:
    posting = tmp_path / "night-baker"
    posting.mkdir()
    (posting / "posting.md").write_text("# Night Baker\n\nQuestions: jobs@crumb.example\n", encoding="utf-8")
    emails = PublicEmails(tmp_path)
    assert redact("write to jobs@crumb.example", emails) == "write to jobs@crumb.example"  # on disk at start
    served = [emails_in(["Questions: jobs@crumb.example"])]
    emails.follow(lambda: served[0])
    assert redact("write to access@crumb.example", emails) == "write to [email]"  # not served yet
    served[0] = emails_in(["Accommodations: Access@Crumb.example"])  # a reload swapped the index
    assert redact("write to access@crumb.example", emails) == "write to access@crumb.example"
    assert redact("or jobs@crumb.example", emails) == "or [email]"  # no longer the posting's contact
