"""Bridge a candidate's words to a posting's words (prompts/glossary.yaml).

Candidates say "PTO", "my data", "薪资" or "sueldo"; postings say "Paid
Personal Time", "applicant privacy policy" and "salary". A general hiring
glossary, with Chinese and Spanish entries that map to the English terms,
adds those words to the question before retrieval and matching. Nothing in
it names anything of a particular posting.

Some idioms mislead the dense search itself: "what would my week look like"
lands on the passages about hours and holidays, not on the duties it asks
about. Those are rephrased (`rephrasings`) in the text that is embedded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.knowledge.language import fold_accents
from bot.yamlfile import read_yaml


@dataclass(frozen=True)
class Glossary:
    """Compiled glossary entries, per language."""

    entries: dict[str, tuple[tuple[re.Pattern, str], ...]]
    rephrasings: dict[str, tuple[tuple[re.Pattern, str], ...]] = field(default_factory=dict)

    def matches(self, question: str, language: str = "en") -> list[tuple[tuple[int, int], str]]:
        """Return (span, expansion) for each glossary key a question uses, in its language and in English."""
        folded = fold_accents(question.lower())
        found = []
        for lang in dict.fromkeys((language, "en")):
            for pattern, expansion in self.entries.get(lang, ()):
                match = pattern.search(folded)
                if match:
                    found.append((match.span(), expansion))
        return [(span, expansion) for span, expansion in found if not _inside(span, [s for s, _ in found])]

    def terms(self, question: str, language: str = "en") -> list[str]:
        """Return the expansions of the glossary keys a question uses."""
        return list(dict.fromkeys(expansion for _, expansion in self.matches(question, language)))

    def rephrase(self, question: str, language: str = "en") -> str:
        """Return the question with its misleading idioms put plainly, for the dense search."""
        for pattern, plain in self.rephrasings.get(language, ()):
            question = pattern.sub(plain, question)
        return question


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Tell whether a span lies within a longer one: "博士学位" (a PhD) is not also "学位" (a degree)."""
    start, end = span
    return any(s <= start and end <= e and (e - s) > (end - start) for s, e in spans)


def _pattern(key: str, language: str) -> re.Pattern:
    key = fold_accents(str(key).lower())
    if language == "zh":
        return re.compile(re.escape(key))  # Chinese has no word boundaries to anchor on
    return re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")


@lru_cache(maxsize=4)
def load_glossary(path: Path) -> Glossary:
    """Read a glossary file once per process."""
    data = read_yaml(path) or {}
    entries = {"en": tuple((_pattern(k, "en"), str(v)) for k, v in (data.get("expansions") or {}).items())}
    for language, mapping in (data.get("translations") or {}).items():
        entries[language] = tuple((_pattern(k, language), str(v)) for k, v in (mapping or {}).items())
    rephrasings = {
        language: tuple((re.compile(rule["pattern"], re.I), str(rule["as"])) for rule in rules or ())
        for language, rules in (data.get("rephrasings") or {}).items()
    }
    return Glossary(entries, rephrasings)
