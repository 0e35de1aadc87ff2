"""Which language a message is answered in."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.config import Settings
from bot.knowledge.language import compound_parts, detect_language, tokenize


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


def test_a_job_word_jiebas_dictionary_lacks_is_one_word() -> None:
    # jieba cut "带薪年假" into "带薪", "年", "假", so "年假会多一点吗" ("假会") never found the annual leave.
    assert tokenize("转正后享有带薪年假7天，入职满3年后增加至10天") == (
        *("转正", "后", "享有", "带薪", "年假", "7", "天", "入职", "满", "3", "年", "后", "增加", "至", "10", "天"),
    )
    assert "年假" in tokenize("我要是干满三年，年假会多一点吗")


def test_every_chinese_wording_the_glossary_knows_is_one_word_or_two() -> None:
    """Each wording is cut whole or into the two words it is made of, so a question and a posting cut it alike."""
    glossary = yaml.safe_load((Settings().prompts_dir / "glossary.yaml").read_text(encoding="utf-8"))
    wordings = glossary["translations"]["zh"]
    asking = re.compile("多少|什么|怎么|如何|几|吗|呢|哪")  # question wordings ("开多少") are phrases, not words
    chinese = [w for w in wordings if re.fullmatch(r"[\u4e00-\u9fff]{2,}", w) and not asking.search(w)]
    assert len(chinese) > 300
    assert [w for w in chinese if tokenize(w) not in ((w,), compound_parts(w))] == []
