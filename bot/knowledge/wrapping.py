"""Undo what hard wrapping did to a posting copied out of a PDF: words and addresses cut at a line end.

A PDF breaks "responsibilities" into "re-" and "sponsibilities" on two lines,
and an email after its "@"; joined with a space, a question finds neither and
a candidate cannot copy the address. PDF extractors rejoin words while they
extract, from the page layout; text already pasted has lost that layout, and
no maintained library rejoins it, so this does. A word list tells a word cut
in two ("ex-" "pired": "expired") from a hyphenated one ("long-" "term":
"long-term"): English writes compounds with hyphens, so the whole word must be
commoner than the compound; Spanish hardly does, so a known word is enough.
"""

from __future__ import annotations

import re

from bot.knowledge.language import detect_language
from bot.knowledge.vocabulary import zipf

# "re-\nsponsibilities", "ex-\n  pired": a word, a hyphen at the line's end, a lower-case word after it.
_HYPHEN_AT_END = re.compile(r"(\S*?)([^\W\d_]+)-[ \t]*\n[ \t]*([^\W\d_A-Z]+)")
# "privacy@\nexample.com", "https://careers.example.com/\njobs/17": an address cut where it may not end.
# The next line must go on as an address does ("jobs/17", "acme.example"): "https://acme.example/" over
# "Deadline: …" or "we reply within a week." ends where it is.
_ADDRESS_AT_END = re.compile(r"((?<!\S)[\w.+-]+@|(?<!\S)https?://\S*/)[ \t]*\n[ \t]*(?=[a-z0-9][\w-]*[/.]\w)")

_JOINING_WORDS = frozenset({"and", "or", "nor", "to", "y", "o", "u", "e", "ni"})


def rejoin_wrapped(text: str) -> str:
    """Rejoin the words and addresses that a hard wrap cut at a line's end."""
    text = _ADDRESS_AT_END.sub(r"\1", text)
    if not _HYPHEN_AT_END.search(text):
        return text
    language = "es" if detect_language(text) == "es" else "en"
    written = text.lower()
    return _HYPHEN_AT_END.sub(lambda match: _joined(match, language, written), text)


def _joined(match: re.Match[str], language: str, written: str) -> str:
    """Join the two halves of a word, without the hyphen if the whole is the word and with it otherwise.

    How the text writes the word elsewhere decides first. Inside an address
    the hyphen is always the address's own ("larkspur-" "valley.example").
    """
    before, left, right = match.groups()
    if right.lower() in _JOINING_WORDS:
        return f"{before}{left}- {right}"  # "small- and medium-sized": a hyphen left hanging, not a word cut
    whole, compound = (left + right).lower(), f"{left}-{right}".lower()
    if "@" in before or "://" in before or re.search(rf"\b{re.escape(compound)}\b", written):
        cut = False
    elif re.search(rf"\b{re.escape(whole)}\b", written):
        cut = True
    elif language == "es":
        cut = zipf(whole, "es") > 0
    else:
        cut = zipf(whole, "en") > zipf(compound, "en")
    return f"{before}{left}{right}" if cut else f"{before}{left}-{right}"
