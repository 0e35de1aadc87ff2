"""Normalise knowledge text for matching and quoting: sentences, plain text and terms.

Sentences are cut where a text ends one, not after an abbreviation ("Ms.
Liu"); plain text is Markdown without its marks, for verbatim comparison.
Terms for matching are words stemmed in their language (Snowball for English
and Spanish; Chinese words as jieba segments them). bot.knowledge.units cuts
a chunk into the units an answer quotes.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files

import snowballstemmer
from bs4 import BeautifulSoup

from bot.knowledge.language import compound_parts, fold_accents, has_han, tokenize
from bot.knowledge.vocabulary import zipf

# Split after ., ! or ? when the next sentence starts with a capital, a quote
# or a digit, and after Chinese full stops. Abbreviations such as "e.g.," and
# "Inc. is" stay whole because no whitespace-then-capital follows them.
_SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(【¿¡])|(?<=[。！？])\s*(?=\S)")
LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
# A symbol a posting marks a list item with, line by line as job boards do: "✅ Uniform provided",
# "1️⃣ Envía tu CV", a job board's "· Carné B" or "– Contrato indefinido" (not "—", which opens dialogue),
# or a PDF's symbol-font bullet ("\uf0b7", a private-use character). It says nothing, so plain text drops
# it. No Markdown parser reads these as lists.
BOARD_GLYPHS = "·–‣"
SYMBOL_MARKER = re.compile(
    r"^\s*(?:(?:[\u2190-\u21ff\u2022\u25a0-\u25ff\u2600-\u27bf\u2b00-\u2bff\ue000-\uf8ff\U0001f000-\U0001faff]"
    r"\ufe0f?\u200d?)+\s*"
    rf"|[{BOARD_GLYPHS}]\s+"
    r"|[0-9#*]\ufe0f?\u20e3\s*)(?=\S)"
)
# A full stop after these does not end a sentence ("Ms. Ochoa", "Av. Reforma 222", "e.g. NeurIPS", "Jan. 15").
ABBREVIATION_END = re.compile(
    r"(?<![\w.])(?:(?i:e\.g|i\.e|approx|aprox|vs|cf|incl|esp|p\.\s?ej"
    # Mexican addresses write these lower case: "Blvd. Aeropuerto 4120, col. Los Castillos", "int. 3", "esq."
    r"|lic|ing|av|avda|blvd|col|fracc|esq|int|ext|depto|n[uú]m)"
    r"|Dr|Dra|Mr|Mrs|Ms|Mx|Prof|Sr|Sra|Srta|Ave|Rd|St|Ste|Apt|Dept|Mt|Tel"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.[*_]*$"
)
_NUMBER_SIGN_END = re.compile(r"(?<![\w.])(?:No|Nr|Nos)\.$")  # "Building No. 5"; "No. We do not." ends one
# An email address, its name in any script but Chinese: "请发邮件至jobs@example.com" writes it right after
# Chinese words, with no space; "josé@empresa.es" is one address.
EMAIL = re.compile(r"(?:(?![\u3000-\u9fff\uff00-\uffef])[\w.%+-])+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")  # "| --- | :---: |"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a "\\ud800" escape without its pair: no encoder can write it
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
# Sentence punctuation, spaces and emoji; not brackets, "+" or "#", which belong to words ("401(k)", "C++").
_EDGE = "\\s¿¡?？!！.。,，;；:：…~～\\-–—\u2600-\u27bf\ufe0f\u200d\U0001f000-\U0001faff"
_QUOTES = "\"'“”‘’«»「」"
_EDGE_SYMBOLS = re.compile(f"^[{_EDGE}]+|[{_EDGE}]+$")
_EDGE_AND_QUOTES = re.compile(f"^[{_EDGE}{_QUOTES}]+|[{_EDGE}{_QUOTES}]+$")
_MARKDOWN_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\(([^()\s]*)\)")  # [text](url) and ![alt](url)
_MARKDOWN_EMPHASIS = re.compile(
    r"(\*\*|__|~~|`)(.+?)\1|(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])|(?<![\w_])_(?!\s)([^_\n]+?)_(?![\w_])"
)
_BLOCKQUOTE = re.compile(r"^\s*(?:>\s?)+")
_STEMMERS = {"en": snowballstemmer.stemmer("english"), "es": snowballstemmer.stemmer("spanish")}
# A Snowball stemmer keeps the word it is working on, so requests in parallel threads take turns.
_STEMMING = threading.Lock()
# Above this Zipf frequency a word of a language without a stopword list is a function word.
FUNCTION_WORD_ZIPF = 6.3
MIN_SENTENCE_WORDS = 3  # a shorter sentence ("Never.", "Courage?") is a fragment of its neighbour


def _word_list(name: str) -> frozenset[str]:
    """Read a packaged word list: lines starting with "#" are comments, whitespace separates words."""
    text = files("bot.knowledge").joinpath(name).read_text(encoding="utf-8")
    return frozenset(word for line in text.splitlines() if not line.startswith("#") for word in line.split())


# English words that carry no topic: function words, chat filler, and words every posting shares.
STOPWORDS = _word_list("stopwords-en.txt")
# Spanish function words, question words and chat filler, without accents ("quién" is "quien").
SPANISH_STOPWORDS = frozenset(fold_accents(word) for word in _word_list("stopwords-es.txt"))
CHINESE_STOPWORDS = _word_list("stopwords-zh.txt")  # as jieba segments them ("有没有", "哪里")


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace to one space."""
    return " ".join(text.split())


def clean_input(text: str) -> str:
    """Normalise user text: NFKC, no control or invisible characters, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return normalize_space(text)


def strip_markup(text: str) -> str:
    """Return the text a person sees in pasted HTML or Markdown: tags, entities and emphasis marks removed."""
    if _TAG.search(text):
        # BeautifulSoup turns tags into their text and entities into characters; block
        # tags become spaces, so "<p>a</p><p>b</p>" does not glue two words together.
        text = BeautifulSoup(text, "html.parser").get_text(" ")
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _unemphasised(text)
    text = HEADING.sub("", text)
    return normalize_space(text)


def without_list_marker(line: str) -> str:
    """Remove a list marker from the start of a line ("- ", "* ", "• ", "1. ")."""
    return LIST_MARKER.sub("", line)


def trim_symbols(text: str) -> str:
    """Remove sentence punctuation and emoji around a text ("¿hay bonos? 😅" -> "hay bonos").

    Quotes around the whole text go too; a quote that closes a quoted word inside stays ("a “gym”").
    """
    trimmed = _EDGE_AND_QUOTES.sub("", text)
    return _EDGE_SYMBOLS.sub("", text) if any(q in trimmed for q in _QUOTES) else trimmed


def plain_text(markdown: str) -> str:
    """Strip heading, list, table and emphasis marks so quotes can be compared to the source.

    A table reads as its rows, "Senior | $160,000 | 0.18%", without the rule
    under its header: a quote of two rows is a run of the posting's text.
    """
    lines = (line for line in markdown.splitlines() if not TABLE_RULE.match(line))
    return normalize_space("\n".join(plain_line(HEADING.sub("", line)) for line in lines))


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences."""
    return rejoin_abbreviations(s.strip() for s in _SENTENCE_BOUNDARY.split(normalize_space(paragraph)))


def join_sentences(sentences: Iterable[str]) -> str:
    """Join sentences as a text writes them: after "。", "！" or "？" with no space ("…入职。春节期间…"), else with one."""
    joined = ""
    for sentence in sentences:
        space = "" if not joined or (joined[-1] in "。！？" and has_han(sentence[:1])) else " "
        joined += space + sentence
    return joined


def rejoin_abbreviations(pieces: Iterable[str]) -> list[str]:
    """Join a piece that ends with an abbreviation to the next ("Contact Ms." + "Liu in HR.").

    A boundary pattern cannot look behind for words of different lengths, so the
    pieces it cut are joined back here.
    """
    joined: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        if joined and (
            ABBREVIATION_END.search(joined[-1]) or (_NUMBER_SIGN_END.search(joined[-1]) and piece[:1].isdigit())
        ):
            joined[-1] = f"{joined[-1]} {piece}"
        else:
            joined.append(piece)
    return joined


def is_fragment(text: str) -> bool:
    """Tell whether a text has too few words to say anything ("Never.", "Join us.", "Python"), in any language."""
    return len(tokenize(text)) < MIN_SENTENCE_WORDS


def plain_line(line: str) -> str:
    """A line's words without quote, list or table marker, emphasis marks, or a link's Markdown around it."""
    unmarked = SYMBOL_MARKER.sub("", LIST_MARKER.sub("", _BLOCKQUOTE.sub("", line)))
    if TABLE_ROW.match(unmarked):
        unmarked = unmarked.strip().strip("|")  # "| Senior | $160,000 |": the row's cells and the pipes between
    return _unemphasised(_MARKDOWN_LINK.sub(_link_words, unmarked)).strip()


def _unemphasised(text: str) -> str:
    return _MARKDOWN_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or m.group(4) or "", text)


def _link_words(link: re.Match[str]) -> str:
    """Write a link as a reader sees it: its text, and its address when the text does not show it.

    "[jobs@acme.example](mailto:jobs@acme.example)" is the address;
    "[our careers page](https://acme.example/jobs)" keeps where it leads, for
    a candidate who asks where to apply.
    """
    text, target = link.group(1).strip(), link.group(2).removeprefix("mailto:")
    shown = target.startswith(("http://", "https://", "www.")) or "@" in target  # not "/careers" nor "#faq"
    if link.group(0).startswith("!") or not shown or target.rstrip("/") in text:
        return text
    return f"{text} ({target})" if text else target


def words(text: str) -> list[str]:
    """Lower-case word tokens of a text, in any language."""
    return list(tokenize(text))


@lru_cache(maxsize=65536)
def stem(word: str, language: str = "en") -> str:
    """Reduce a word to its stem in its language so 'dates' matches 'date'; Chinese words stay whole."""
    if has_han(word):
        return word
    stemmer = _STEMMERS.get(language, _STEMMERS["en"])
    with _STEMMING:
        return stemmer.stemWord(fold_accents(word) if language == "es" else word)


def is_content_word(word: str, language: str = "en") -> bool:
    """Tell whether a word carries meaning (not a stopword or a function word).

    An English contraction tells what the word before its apostrophe tells: "that's" and "weren't" nothing.
    """
    if word in STOPWORDS or word in CHINESE_STOPWORDS or (language == "es" and fold_accents(word) in SPANISH_STOPWORDS):
        return False
    if "'" in word and language == "en":
        before = word[:-3] if word.endswith("n't") else word.split("'")[0]
        return bool(before) and is_content_word(before, language)
    return (language == "en" and not has_han(word)) or zipf(word, language) < FUNCTION_WORD_ZIPF


def content_terms(text: str, language: str = "en") -> list[str]:
    """Stemmed content words of a text."""
    return [stem(w, language) for w in tokenize(text) if is_content_word(w, language)]


def indexed_terms(text: str, language: str = "en") -> list[str]:
    """Content terms of knowledge text, each Chinese compound with the two words it is made of."""
    terms = content_terms(text, language)
    return terms + [part for term in terms for part in compound_parts(term) if is_content_word(part, language)]


@lru_cache(maxsize=65536)
def term_set(text: str, language: str = "en") -> frozenset[str]:
    """The set of indexed terms of knowledge text, cached for sentences that recur."""
    return frozenset(indexed_terms(text, language))
