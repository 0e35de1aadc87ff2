"""Replace personal data in free text with placeholders before it is stored or logged.

Candidates type emails, phone numbers, ids, card numbers and addresses into a
chat box. Nothing downstream needs them, so they become `[email]`, `[phone]`,
`[ssn]`, `[id]`, `[card]` and `[address]`. Email addresses that appear in the
knowledge (the posting's own contacts) are kept, since answers quote them.
The patterns err on the side of redacting: a lost digit run in a stored
question costs less than a kept personal number.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.documents import knowledge_files

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?![\w-])")

# 13-19 digits, optionally grouped by single spaces or dashes; kept only if Luhn-valid.
CARD = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")

SSN = re.compile(r"(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w-])")

# UK National Insurance number, e.g. "QQ 12 34 56 C" (any two letters, to catch typos too).
UK_NI = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)

# "+44 20 7946 0958", "+1 (555) 123-4567", "+49-30-1234567".
INTERNATIONAL_PHONE = re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){2,6}(?![\w-])")

# "(555) 123-4567", "555-123-4567", "555.123.4567", "555 123 4567", "1-555-123-4567".
US_PHONE = re.compile(r"(?<![\w-])(?:1[ .-]?)?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])")

STREET_SUFFIXES = (
    "street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|"
    "terrace|ter|parkway|pkwy|highway|hwy|circle|cir|square|sq|crescent|close|gardens|row"
)
# "221B Baker Street", "1600 Pennsylvania Ave NW, Apt 4", "10 Downing St."
STREET_ADDRESS = re.compile(
    r"\b\d{1,6}[A-Za-z]?\s+(?:[A-Za-z][A-Za-z'.-]*\s+){1,3}(?:" + STREET_SUFFIXES + r")\b\.?"
    r"(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?"
    r"(?:,?\s+(?:apt|apartment|suite|ste|unit|flat|#)\.?\s*[A-Za-z0-9-]+)?",
    re.IGNORECASE,
)
PO_BOX = re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d+\b", re.IGNORECASE)

# Chinese mobile numbers ("13812345678", "138 1234 5678") and resident ID numbers (18 characters).
CN_MOBILE = re.compile(r"(?<![\w-])(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![\w-])")
CN_RESIDENT_ID = re.compile(r"(?<![\w-])\d{17}[\dXx](?![\w-])")
# Spanish DNI ("12345678Z") and NIE ("X1234567L"); Mexican CURP.
ES_DNI = re.compile(r"(?<![\w-])(?:\d{8}|[XYZ]\d{7})-?[A-Z](?![\w-])", re.IGNORECASE)
MX_CURP = re.compile(r"\b[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z\d]\d\b")

# Other identifiers: a run of 8+ digits, or digit groups adding up to 9+ digits.
LONG_DIGITS = re.compile(r"(?<![\w-])\d{8,}(?![\w-])")
GROUPED_DIGITS = re.compile(r"(?<![\w-])\d{2,}(?:[ -]\d{2,})+(?![\w-])")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def luhn_valid(number: str) -> bool:
    """Return whether a digit string passes the Luhn checksum used by payment cards."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _card(match: re.Match) -> str | None:
    digits = _digits(match.group())
    return "card" if 13 <= len(digits) <= 19 and luhn_valid(digits) else None


def _international_phone(match: re.Match) -> str | None:
    return "phone" if 7 <= len(_digits(match.group())) <= 15 else None


def _grouped_digits(match: re.Match) -> str | None:
    digits = _digits(match.group())
    if len(digits) < 9:
        return None
    # National phone formats such as "020 7946 0958" or "07700 900123".
    return "phone" if digits.startswith("0") and len(digits) in (10, 11) else "id"


@dataclass(frozen=True)
class Detector:
    """One kind of personal data: where it matches, and what it is (None: not this kind after all)."""

    kind: str
    pattern: re.Pattern
    classify: Callable[[re.Match], str | None] | None = None

    def found(self, match: re.Match) -> str | None:
        """Return the kind of a match, or None when the match is not personal data."""
        return self.classify(match) if self.classify else self.kind


# In order: each detector sees the text with earlier finds already replaced.
DETECTORS: tuple[Detector, ...] = (
    Detector("card", CARD, _card),
    Detector("id", CN_RESIDENT_ID),
    Detector("ssn", SSN),
    Detector("id", UK_NI),
    Detector("id", ES_DNI),
    Detector("id", MX_CURP),
    Detector("phone", CN_MOBILE),
    Detector("phone", INTERNATIONAL_PHONE, _international_phone),
    Detector("phone", US_PHONE),
    Detector("address", STREET_ADDRESS),
    Detector("address", PO_BOX),
    Detector("id", LONG_DIGITS),
    Detector("id", GROUPED_DIGITS, _grouped_digits),
)
# Kinds that are personal data by their form alone; a bare run of digits ("id") may be anything.
UNMISTAKABLE = frozenset({"card", "ssn", "phone", "address"})


def personal_data(text: str, allowed_emails: Iterable[str] = ()) -> tuple[str, list[str]]:
    """Return the text with personal data replaced by placeholders, and the kinds found."""
    if not text:
        return text, []
    allowed = {email.lower() for email in allowed_emails}
    kinds: list[str] = []

    def email(match: re.Match) -> str:
        if match.group().lower() in allowed:
            return match.group()
        kinds.append("email")
        return "[email]"

    text = EMAIL.sub(email, text)
    for detector in DETECTORS:

        def replace(match: re.Match, detector: Detector = detector) -> str:
            kind = detector.found(match)
            if kind is None:
                return match.group()
            kinds.append(kind)
            return f"[{kind}]"

        text = detector.pattern.sub(replace, text)
    return text, kinds


def redact(text: str, allowed_emails: Iterable[str] = ()) -> str:
    """Return text with personal data replaced by placeholders.

    `allowed_emails` (compared case-insensitively) stay as they are, so the
    posting's own contact addresses survive in stored answers.
    """
    return personal_data(text, allowed_emails)[0]


def emails_in(texts: Iterable[str]) -> frozenset[str]:
    """Return the email addresses written in some texts, lower-cased."""
    return frozenset(m.group().lower() for text in texts for m in EMAIL.finditer(text))


def knowledge_emails(knowledge_dir: Path) -> frozenset[str]:
    """Return the email addresses written in the knowledge folder, lower-cased.

    These are the posting's public contacts; an answer quoting one must not
    lose it when stored.
    """
    if not knowledge_dir.is_dir():
        return frozenset()
    return emails_in(path.read_text(encoding="utf-8", errors="replace") for path in knowledge_files(knowledge_dir))


class PublicEmails(Collection[str]):
    """The posting's public contacts that redaction keeps, as the served knowledge has them now.

    Until `follow` names where the served index keeps them, they are those on
    disk at start. Following the index, a contact a recruiter publishes is
    kept from the moment it is served, whichever path reloaded it (a console
    publish, the reload button, another replica) and whether or not the
    records database is up.
    """

    def __init__(self, knowledge_dir: Path) -> None:
        self._at_start = knowledge_emails(knowledge_dir)
        self._served: Callable[[], frozenset[str]] | None = None

    def follow(self, served: Callable[[], frozenset[str]]) -> None:
        """Take the addresses from `served()` from now on (the engine's current index)."""
        self._served = served

    def _current(self) -> frozenset[str]:
        return self._served() if self._served else self._at_start

    def __contains__(self, email: object) -> bool:
        return isinstance(email, str) and email.lower() in self._current()

    def __iter__(self) -> Iterator[str]:
        return iter(self._current())

    def __len__(self) -> int:
        return len(self._current())


# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class RedactingFilter(logging.Filter):
    """Redact the message, arguments, extra fields and traceback of every log record.

    Attach it to handlers (not loggers): a logger's filters do not see
    records propagated from its children, a handler's filters see them all.
    """

    def __init__(self, allowed_emails: Collection[str] = ()) -> None:
        super().__init__()
        self.allowed_emails = allowed_emails  # a live PublicEmails follows knowledge reloads

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        record.msg = redact(record.getMessage(), self.allowed_emails)
        record.args = None
        for name, value in list(vars(record).items()):
            if name not in _STANDARD_RECORD_ATTRIBUTES and isinstance(value, str):
                setattr(record, name, redact(value, self.allowed_emails))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.allowed_emails)
        return True


def install_log_redaction(
    allowed_emails: Collection[str] = (), logger: logging.Logger | None = None
) -> RedactingFilter:
    """Attach one redacting filter to every handler of `logger` (the root logger by default)."""
    redacting = RedactingFilter(allowed_emails)
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(redacting)
    return redacting
