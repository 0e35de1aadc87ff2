"""Idioms that mislead the dense search are put plainly; look-alike questions are left as they are."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.engine.glossary import load_glossary


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(Settings().prompts_dir / "glossary.yaml")


@pytest.mark.parametrize(
    ("question", "language", "plain"),
    [
        ("What would my week actually look like in this role?", "en", "what are my responsibilities"),
        ("How does a typical work day look like here?", "en", "what are my responsibilities"),
        ("what's the day-to-day like?", "en", "my responsibilities"),
        ("Is it still worth applying without a PhD?", "en", "do I meet the qualifications"),
        ("No forklift licence yet - is that a dealbreaker?", "en", "is that a requirement"),
        ("Will you pay for my move?", "en", "relocation assistance"),
        ("¿Cómo sería un día normal en este puesto?", "es", "cuáles son las responsabilidades"),
        ("¿Qué haría en mi día a día?", "es", "cuáles son las responsabilidades"),
    ],
)
def test_misleading_idioms_are_put_plainly(glossary, question, language, plain):
    assert plain in glossary.rephrase(question, language)


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("What will I do in this job?", "en"),  # postings head their duties "What you will do"
        ("How many hours is a typical week?", "en"),
        ("How flexible are the hours day to day?", "en"),
        ("What would the day-to-day hours be?", "en"),
        ("What would my salary look like?", "en"),
        ("What will my first week look like?", "en"),
        ("Will you pay for my flights to the interview?", "en"),
        ("Is it worth it to take the night shift for the extra pay?", "en"),
        ("¿Es un día normal de trabajo el 24 de diciembre?", "es"),
        ("What would my week actually look like in this role?", "zh"),  # rules are per language
    ],
)
def test_look_alike_questions_are_left_as_they_are(glossary, question, language):
    assert glossary.rephrase(question, language) == question


def test_a_longer_entry_wins_over_the_entries_inside_it(glossary):
    """A PhD ("博士学位") must not also count as a degree ("学位") to find."""
    assert glossary.terms("需要博士学位吗？", "zh") == ["phd doctorate doctoral degree"]
    assert "graduation graduate" not in glossary.terms("毕业时间有要求吗", "zh")  # 毕业时间 holds 毕业
    assert glossary.terms("Is health insurance included?") == [
        "health insurance medical insurance health coverage medical coverage"
    ]
