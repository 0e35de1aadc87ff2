"""Which language a message is answered in."""

from __future__ import annotations

import pytest

from bot.knowledge.language import compound_parts, detect_language


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("What are the start dates for this role?", "en"),
        ("¿Cuál es el rango salarial de este puesto?", "es"),
        ("需要博士学位吗？", "zh"),
        ("Is the PhD 要求 strict?", "zh"),  # English terms inside a Chinese sentence
        ("¿Hay stock options?", "es"),  # borrowed English words
        ("Tengo un máster en IA y dos papers en workshops, ¿me van a contratar?", "es"),
        ("Hi! I saw the ad on LinkedIn (¡Estamos contratando!). What is the salary range?", "en"),  # quoting Spanish
        ("hay bonos en Seattle", "es"),  # lingua: Spanish at 0.67, enough for a sentence of three words or more
        ("hello, what does the team do?", "en"),
    ],
)
def test_a_message_is_answered_in_its_language(message: str, language: str) -> None:
    assert detect_language(message) == language


def test_a_message_too_short_to_tell_keeps_the_default() -> None:
    assert detect_language("ok", default="zh") == "zh"


@pytest.mark.parametrize(
    ("word", "parts"),
    [("以上学历", ("以上", "学历")), ("住房补贴", ("住房", "补贴")), ("毕业生", ()), ("五险一金", ()), ("salary", ())],
)
def test_a_chinese_compound_is_made_of_two_dictionary_words_or_none(word: str, parts: tuple[str, ...]) -> None:
    # "学历" did not find "本科及以上学历": jieba keeps the compound whole, and "上学" is no part of it.
    assert compound_parts(word) == parts
