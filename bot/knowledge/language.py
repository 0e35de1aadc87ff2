"""Tell which language a text is in, and split it into words the way that language needs.

Detection uses lingua (accurate on short text) restricted to the languages
the product serves; a message too short or too mixed to call falls back to
the caller's default. Chinese has no spaces between words, so it is
segmented with jieba; other languages split on Unicode word characters.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import jieba
from lingua import Language, LanguageDetectorBuilder

SUPPORTED = ("en", "zh", "es")
DEFAULT_LANGUAGE = "en"
_LINGUA = {Language.ENGLISH: "en", Language.CHINESE: "zh", Language.SPANISH: "es"}
# lingua's confidence below which a Latin-script message is too short or mixed to call: a word or
# two ("Taig", "hello!") needs 0.7; a sentence of three words or more needs 0.65, so "escribe un poema
# sobre ByteDance" (0.69) is Spanish. On the calibration half both misread the same four messages;
# at 0.55 "mac or linux laptop?" turns Spanish.
MIN_CONFIDENCE = 0.7
MIN_SENTENCE_CONFIDENCE = 0.65
_SPANISH_MARKS = re.compile("[¿¡]")
_SPANISH_OPENING = re.compile("""^[\\s"'“«(]*[¿¡]""")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*", re.UNICODE)

jieba.setLogLevel(logging.WARNING)


@lru_cache(maxsize=1)
def _detector():
    return LanguageDetectorBuilder.from_languages(*_LINGUA).with_preloaded_language_models().build()


def has_han(text: str) -> bool:
    """Tell whether a text contains Chinese characters."""
    return bool(_HAN.search(text))


@lru_cache(maxsize=8192)
def detect_language(text: str, default: str = DEFAULT_LANGUAGE) -> str:
    """Return "en", "zh" or "es" for a text; `default` when it cannot be told.

    Any Chinese characters make a message Chinese: candidates mix English
    terms (PhD, offer, base) into Chinese sentences, never the other way round.
    Only Spanish opens a question or exclamation with ¿ or ¡: a message that
    starts with one is Spanish however many English terms it borrows ("¿Hay
    stock options?"), and so is one lingua leans Spanish on but cannot call
    ("Tengo dos papers en workshops, ¿me van a contratar?"). An English message
    quoting a Spanish slogan stays English.
    """
    if has_han(text):
        return "zh"
    if _SPANISH_OPENING.match(text):
        return "es"
    letters = sum(ch.isalpha() for ch in text)
    if letters < 3:
        return default
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return default
    best = values[0]
    language = _LINGUA[best.language]
    needed = MIN_SENTENCE_CONFIDENCE if len(text.split()) >= 3 else MIN_CONFIDENCE
    if best.value >= needed or (language == "es" and _SPANISH_MARKS.search(text)):
        return language
    return default


def fold_accents(text: str) -> str:
    """Remove accents ("contratarán" -> "contrataran"), keeping every other character."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _segmenter() -> jieba.Tokenizer:
    """Return jieba's tokenizer with the words of job postings its dictionary lacks (bot/knowledge/words-zh.txt)."""
    jieba.dt.check_initialized()  # its dictionary loads on first use
    for line in Path(__file__).with_name("words-zh.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            jieba.dt.add_word(line.strip())
    return jieba.dt


@lru_cache(maxsize=65536)
def compound_parts(word: str) -> tuple[str, ...]:
    """Return the two words a Chinese compound is made of ("以上学历": "以上", "学历"), or nothing.

    jieba keeps a dictionary compound whole, so a question asking about "学历"
    would not find "本科及以上学历". Only a cut into two dictionary words of
    two or more characters counts: "以上学历" has no "上学" in it.
    """
    if len(word) < 4 or not has_han(word):
        return ()
    segmenter = _segmenter()
    for cut in range(2, len(word) - 1):
        if segmenter.FREQ.get(word[:cut]) and segmenter.FREQ.get(word[cut:]):
            return (word[:cut], word[cut:])
    return ()


@lru_cache(maxsize=16384)
def tokenize(text: str) -> tuple[str, ...]:
    """Split a text into lower-case words; Chinese runs are segmented with jieba."""
    text = text.lower().replace("’", "'")
    if not has_han(text):
        return tuple(_LATIN_WORD.findall(text))
    tokens: list[str] = []
    for piece in _segmenter().lcut(text):
        piece = piece.strip()
        if not piece:
            continue
        if has_han(piece):
            tokens.append(piece)
        else:
            tokens.extend(_LATIN_WORD.findall(piece))
    return tuple(tokens)
