"""Policy guards applied to every message before retrieval or any model call.

The rules are data (prompts/guards.yaml): each names a category, what
happens (refuse with the category's fixed reply, answer from a policy, or
answer as usual), whether the message may be stored, and its patterns per
language; patterns may share named `{{fragments}}` of the file. English
patterns are matched on a folded copy of the message, so spacing, case and
look-alike characters do not slip past; Chinese and Spanish ones on their
own normalised forms. Personal numbers are also found by form (the
redaction detectors), in any language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from unidecode import unidecode

from bot.config import resource_dir
from bot.knowledge.language import fold_accents, has_han
from bot.knowledge.text import clean_input
from bot.records.redaction import UNMISTAKABLE, personal_data
from bot.yamlfile import read_yaml


@dataclass(frozen=True)
class Rule:
    """One guard: a category, its action and its compiled patterns per language."""

    category: str
    action: str  # "refuse", "sensitive" (answer from policy, store nothing) or "allow" (answer as usual)
    patterns: dict[str, tuple[re.Pattern, ...]]
    query: str | None = None  # retrieval query for "sensitive" rules
    store_text: bool = True


@dataclass(frozen=True)
class Verdict:
    """The outcome of the guards for one message."""

    action: str  # "allow", "refuse" or "sensitive"
    category: str | None = None
    query: str | None = None
    store_text: bool = True
    rest: str = ""  # for "sensitive" rules: the message outside what the rule matched ("when could I start?")


@dataclass(frozen=True)
class Guards:
    """The rules of one guards file."""

    rules: tuple[Rule, ...]
    accommodation: dict[str, tuple[re.Pattern, ...]]
    condition: dict[str, tuple[re.Pattern, ...]]  # a condition named: an accommodation only when it is the candidate's
    judgement: dict[str, tuple[re.Pattern, ...]]  # generated sentences that judge the candidate
    requests: dict[str, tuple[re.Pattern, ...]]  # generated sentences that ask for a protected characteristic
    equal_treatment: dict[str, tuple[re.Pattern, ...]]  # whether who the candidate is counts against them

    def check(self, message: str, language: str = "en") -> Verdict:
        """Return what the guards decide for a message.

        The first matching rule decides the action; the message is kept out of
        storage when any rule that stores nothing matches, even a later one.
        """
        forms = _forms(message)
        if not forms["zh"].strip():  # the cleaned text: an emoji alone is not empty (it gets an invitation)
            return Verdict("refuse", "empty")
        languages = _languages(message, language)
        _, kinds = personal_data(clean_input(message))
        if UNMISTAKABLE.intersection(kinds):
            return Verdict("refuse", "personal_data", store_text=False)
        for at, rule in enumerate(self.rules):
            if _matches(rule.patterns, forms, languages):
                withheld = any(
                    not later.store_text and _matches(later.patterns, forms, languages)
                    for later in self.rules[at + 1 :]
                )
                rest = _outside(rule.patterns, message, languages) if rule.action == "sensitive" else ""
                return Verdict(rule.action, rule.category, rule.query, rule.store_text and not withheld, rest)
        return Verdict("allow")

    def wants_accommodation(self, message: str, language: str = "en", own: bool = True) -> bool:
        """Tell whether a message is about an accommodation, so the contact is always given.

        `own` is False when the message is about someone else's health: naming their
        condition is then no request to change the candidate's process.
        """
        kinds = (self.accommodation, self.condition) if own else (self.accommodation,)
        forms, languages = _forms(message), _languages(message, language)
        return any(_matches(kind, forms, languages) for kind in kinds)

    def asks_equal_treatment(self, message: str, language: str = "en") -> bool:
        """Tell whether a message asks if who the candidate is counts against them, or if a group is welcome."""
        return _matches(self.equal_treatment, _forms(message), _languages(message, language))

    def answer_problem(self, sentence: str, language: str = "en") -> str | None:
        """Return why a generated answer sentence may not be shown to a candidate, or None.

        The assistant answers and never asks: a question, or a request to
        disclose a protected characteristic, "asks the candidate"; a
        prediction, rating or verdict on their fit "judges the candidate".
        """
        forms = _forms(sentence)
        languages = _languages(sentence, language)
        bare = forms["zh"].strip().rstrip("\"'”’»)*_ ").lstrip("*_ ")
        if bare.endswith(("?", "？")) or bare.startswith("¿") or _matches(self.requests, forms, languages):
            return "asks the candidate"
        if _matches(self.judgement, forms, languages):
            return "judges the candidate"
        return None


def _matches(patterns: dict[str, tuple[re.Pattern, ...]], forms: dict[str, str], languages: tuple[str, ...]) -> bool:
    return any(p.search(forms[lang]) for lang in languages for p in patterns.get(lang, ()))


def _outside(patterns: dict[str, tuple[re.Pattern, ...]], message: str, languages: tuple[str, ...]) -> str:
    """Return the message without what the patterns match: what else it says beside a disclosure.

    Each language's matches are cut in turn. They are found on a folded form, so where
    folding changed the text (accents, look-alike letters, emoji), the folded form is what is left.
    """
    text, cut = clean_input(message), False
    for lang in languages:
        form = _forms(text)[lang]
        spans = [m.span() for p in patterns.get(lang, ()) for m in p.finditer(form)]
        if not spans:
            continue
        source = text if form == text.lower() else form
        kept, at = [], 0
        for start, end in sorted(spans):
            kept.append(source[at:start] if start > at else "")
            at = max(at, end)
        kept.append(source[at:])
        text, cut = " ".join(" ".join(kept).split()), True
    return text.strip(" ,.;:!-") if cut else ""


def normalise_for_matching(message: str) -> str:
    """Fold a message so look-alike tricks do not dodge the English rules.

    NFKC folds full-width and stylised letters; removing combining marks and
    zero-width characters undoes 'i̇gnore' and 'ig\u200bnore'; transliterating
    to ASCII folds homoglyphs such as a Cyrillic 'о' inside 'ignоre'.
    """
    text = clean_input(message)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return unidecode(text.replace("’", "'")).lower()


def _forms(message: str) -> dict[str, str]:
    cleaned = clean_input(message)
    return {"en": normalise_for_matching(message), "es": fold_accents(cleaned).lower(), "zh": cleaned.lower()}


def _languages(message: str, language: str) -> tuple[str, ...]:
    found = ["en", language]
    if has_han(message):
        found.append("zh")
    return tuple(dict.fromkeys(found))


_FRAGMENT = re.compile(r"\{\{(\w+)\}\}")


def _compile(patterns: dict[str, list[str]], fragments: dict[str, str]) -> dict[str, tuple[re.Pattern, ...]]:
    """Compile each language's patterns, with `{{name}}` replaced by the file's fragment of that name."""

    def expand(pattern: str) -> str:
        unknown = [name for name in _FRAGMENT.findall(pattern) if name not in fragments]
        if unknown:
            raise ValueError(f"guards: pattern uses unknown fragment(s) {', '.join(unknown)}: {pattern[:60]}")
        return _FRAGMENT.sub(lambda m: fragments[m.group(1)], pattern)

    return {
        lang: tuple(re.compile(expand(p), re.IGNORECASE) for p in items or ())
        for lang, items in (patterns or {}).items()
    }


@lru_cache(maxsize=4)
def load_guards(path: Path | None = None) -> Guards:
    """Read and compile a guards file once per process (default: the prompts folder's)."""
    path = path or resource_dir("prompts") / "guards.yaml"
    data = read_yaml(path)
    fragments = {name: str(text) for name, text in (data.get("fragments") or {}).items()}
    for name, text in fragments.items():
        try:
            re.compile(text)
        except re.error as exc:
            raise ValueError(f"guards: fragment {name} is not a regular expression on its own ({exc})") from exc
    rules = tuple(
        Rule(
            category=item["category"],
            action=item["action"],
            patterns=_compile(item.get("patterns"), fragments),
            query=item.get("query"),
            store_text=bool(item.get("store_text", True)),
        )
        for item in data["rules"]
    )
    return Guards(
        rules,
        _compile(data.get("accommodation_request"), fragments),
        _compile(data.get("accommodation_condition"), fragments),
        _compile(data.get("answer_judgement"), fragments),
        _compile(data.get("answer_requests"), fragments),
        _compile(data.get("equal_treatment"), fragments),
    )


def check(message: str, language: str = "en") -> Verdict:
    """Return what the default guards decide for a message."""
    return load_guards().check(message, language)


def wants_accommodation(message: str, language: str = "en", own: bool = True) -> bool:
    """Tell whether a message asks for an accommodation (default guards)."""
    return load_guards().wants_accommodation(message, language, own)
