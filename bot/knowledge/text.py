"""Split knowledge text into quotable units and normalise text for matching.

A unit is a sentence of a paragraph or one item of a list: the smallest piece
an answer can quote verbatim. A paragraph that ends with a colon and is
followed by a list is a "lead"; the list belongs to it. Terms for matching
are words stemmed in their language (Snowball for English and Spanish;
Chinese words as jieba segments them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import snowballstemmer
from bs4 import BeautifulSoup

from bot.knowledge.language import fold_accents, has_han, tokenize
from bot.knowledge.vocabulary import zipf

# Split after ., ! or ? when the next sentence starts with a capital, a quote
# or a digit, and after Chinese full stops. Abbreviations such as "e.g.," and
# "Inc. is" stay whole because no whitespace-then-capital follows them.
FAQ_ANSWER_SENTENCES = 2  # a question heading over a longer paragraph ("## Why join us?") is a title, not an FAQ
_SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(【¿¡])|(?<=[。！？])\s*(?=\S)")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
# A list item a posting marks without Markdown, line by line as job boards do: "✅ Uniform provided",
# "1️⃣ Envía tu CV", "（1）负责入库验收", "① …", "(2) …". No Markdown parser reads these as lists.
_SYMBOL_MARKER = re.compile(
    r"^\s*(?:(?:[\u2190-\u21ff\u2022\u25a0-\u25ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]\ufe0f?\u200d?)+\s*"
    r"|[0-9#*]\ufe0f?\u20e3\s*|[（(]\d{1,2}[）)]\s*|[\u2460-\u2473]\s*)(?=\S)"
)
_BOLD_ONLY = re.compile(r"(\*\*|__)[^*_\n]+\1\s*[:：]?")  # "📍 **Where you will work**": a heading, not an item
# A line that starts with a label ("Salary: €31,500", "**Jornada:** de lunes a viernes", "工作地点：昆山"):
# lines of labels are facts of their own, however they end.
_LABEL_LINE = re.compile(r"^([^\s:：][^:：.!?。！？,，;；]{0,30})[:：](?=\s*\S)")
MAX_LABEL_WORDS = 4
# A full stop after these does not end a sentence ("Ms. Ochoa", "Av. Reforma 222", "e.g. NeurIPS", "Jan. 15").
ABBREVIATION_END = re.compile(
    r"(?<![\w.])(?:(?i:e\.g|i\.e|approx|aprox|vs|cf|incl|esp|p\.\s?ej)"
    r"|Dr|Dra|Mr|Mrs|Ms|Mx|Prof|Sr|Sra|Srta|Lic|Ing|Av|Avda|Ave|Blvd|Rd|St|Ste|Apt|Dept|Col|Mt|Tel"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.[*_]*$"
)
_NUMBER_SIGN_END = re.compile(r"(?<![\w.])(?:No|Nr|Nos)\.$")  # "Building No. 5"; "No. We do not." ends one
# An email address, its name in any script but Chinese: "请发邮件至jobs@example.com" writes it right after
# Chinese words, with no space; "josé@empresa.es" is one address.
EMAIL = re.compile(r"(?:(?![\u3000-\u9fff\uff00-\uffef])[\w.%+-])+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")  # "| --- | :---: |"
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a "\\ud800" escape without its pair: no encoder can write it
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")
# Sentence punctuation, spaces and emoji; not brackets, "+" or "#", which belong to words ("401(k)", "C++").
_EDGE = "\\s¿¡?？!！.。,，;；:：…~～\\-–—\u2600-\u27bf\ufe0f\u200d\U0001f000-\U0001faff"
_QUOTES = "\"'“”‘’«»「」"
_EDGE_SYMBOLS = re.compile(f"^[{_EDGE}]+|[{_EDGE}]+$")
_EDGE_AND_QUOTES = re.compile(f"^[{_EDGE}{_QUOTES}]+|[{_EDGE}{_QUOTES}]+$")
_MARKDOWN_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\s]*\)")  # [text](url) and ![alt](url): the text
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|~~|`)(.+?)\1|(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])")
_STEMMERS = {"en": snowballstemmer.stemmer("english"), "es": snowballstemmer.stemmer("spanish")}
# Above this Zipf frequency a word of a language without a stopword list is a function word.
FUNCTION_WORD_ZIPF = 6.3
MIN_SENTENCE_WORDS = 3  # a shorter sentence ("Never.", "Courage?") is a fragment of its neighbour

# English words that carry no topic: function words, chat filler, and words every posting shares.
STOPWORDS = frozenset(
    word
    for line in files("bot.knowledge").joinpath("stopwords-en.txt").read_text(encoding="utf-8").splitlines()
    if not line.startswith("#")
    for word in line.split()
)


@dataclass(frozen=True)
class Unit:
    """One quotable sentence or list item of a chunk."""

    text: str
    kind: str  # "sentence", "lead" (ends with a colon, owns a list), "item" or "question" (an FAQ's, over its answer)
    paragraph: int
    position: int
    lead: int | None = None  # position of the lead that owns this item


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
    text = _MARKDOWN_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
    text = _HEADING.sub("", text)
    return normalize_space(text)


def without_list_marker(line: str) -> str:
    """Remove a list marker from the start of a line ("- ", "* ", "• ", "1. ")."""
    return _LIST_MARKER.sub("", line)


def _is_item(line: str) -> bool:
    """Tell whether a line is a list item, marked in Markdown or with a symbol ("✅ …", "（1）…")."""
    if _LIST_MARKER.match(line):
        return True
    marker = _SYMBOL_MARKER.match(line)
    return marker is not None and not _BOLD_ONLY.fullmatch(line[marker.end() :].strip())


def _is_label_line(text: str) -> bool:
    """Tell whether a line of plain text opens with a short label and a colon ("Salario: 1.650 €")."""
    label = _LABEL_LINE.match(text)
    return label is not None and len(label.group(1).split()) <= MAX_LABEL_WORDS


def trim_symbols(text: str) -> str:
    """Remove sentence punctuation and emoji around a text ("¿hay bonos? 😅" -> "hay bonos").

    Quotes around the whole text go too; a quote that closes a quoted word inside stays ("a “gym”").
    """
    trimmed = _EDGE_AND_QUOTES.sub("", text)
    return _EDGE_SYMBOLS.sub("", text) if any(q in trimmed for q in _QUOTES) else trimmed


def plain_text(markdown: str) -> str:
    """Strip heading, list and emphasis marks so quotes can be compared to the source."""
    return normalize_space("\n".join(_plain_line(_HEADING.sub("", line)) for line in markdown.splitlines()))


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


def _join_fragments(sentences: list[str]) -> list[str]:
    """Join a fragment to the sentence before it (and a sentence to a fragment before it).

    "Status quo? Never. Courage? Always." states nothing on its own; as units,
    two-word fragments come closest to every short question in the dense search.
    """
    joined: list[str] = []
    for sentence in sentences:
        if joined and (is_fragment(sentence) or is_fragment(joined[-1])):
            joined[-1] = f"{joined[-1]} {sentence}"
        else:
            joined.append(sentence)
    return joined


@lru_cache(maxsize=16384)
def split_units(chunk_text: str) -> tuple[Unit, ...]:
    """Split a chunk's Markdown body into sentences and list items (cached: chunks recur).

    A block whose list lines follow one or more lines of prose ("**Required**"
    then "- A bachelor's degree") is a lead paragraph with its list.
    """
    units: list[Unit] = []
    paragraph = 0
    last_lead: int | None = None
    asked: str | None = None  # a heading or line that asks ("### Can students apply?"): quoted with its answer
    blocks = re.split(r"\n\s*\n", chunk_text.strip())
    for at, block in enumerate(blocks):
        headings = [_plain_line(_HEADING.sub("", line)) for line in block.splitlines() if _HEADING.match(line)]
        if headings:
            asked = headings[-1] if headings[-1].endswith(("?", "？")) else None
        lines = [line for line in block.splitlines() if line.strip() and not _HEADING.match(line)]
        if len(lines) == 1 and _asks(lines[0]) and at + 1 < len(blocks) and _short_answer(blocks[at + 1]):
            asked = _plain_line(lines[0])  # "**Can I work weekdays only?**" on a line of its own, as in an FAQ
            continue
        while lines:
            if _TABLE_ROW.match(lines[0]):
                rows = []
                while lines and _TABLE_ROW.match(lines[0]):
                    rows.append(lines.pop(0))
                units += _table_units(rows, paragraph, len(units), last_lead)
                asked = None  # a question heading over a table is answered by the table, not the text after it
                paragraph += 1
                continue
            is_list = _is_item(lines[0])
            run = []
            while lines and _is_item(lines[0]) == is_list and not _TABLE_ROW.match(lines[0]):
                run.append(lines.pop(0))
            if is_list:
                for line in run:
                    units.append(Unit(_plain_line(line), "item", paragraph, len(units), last_lead))
            else:
                last_lead = None
                sentences = _prose(run)
                if asked and len(sentences) <= FAQ_ANSWER_SENTENCES:
                    # "No. Every shift lead works a weekend shift." answers only the question above it
                    units.append(Unit(asked, "question", paragraph, len(units)))
                for i, sentence in enumerate(sentences):
                    is_lead = i == len(sentences) - 1 and (sentence.endswith((":", "：")) or bool(lines))
                    units.append(Unit(sentence, "lead" if is_lead else "sentence", paragraph, len(units)))
                    if is_lead:
                        last_lead = units[-1].position
            asked = None
            paragraph += 1
    return tuple(units)


def is_title(unit: Unit) -> bool:
    """Tell whether a unit is a list's title rather than a sentence ("Qué ofrecemos", "二、【岗位职责】").

    A posting written line by line heads its lists with such lines instead of
    Markdown headings; like a heading, a title is quoted with its list, never
    found by itself.
    """
    return unit.kind == "lead" and not re.search(r"[.!?:。！？：]", unit.text)


def _asks(line: str) -> bool:
    """Tell whether a line of prose is a question ("**Can students apply?**")."""
    return not _is_item(line) and not _TABLE_ROW.match(line) and _plain_line(line).endswith(("?", "？"))


def _short_answer(block: str) -> bool:
    """Tell whether a block is a paragraph short enough to be an FAQ answer (not a list, table or heading)."""
    lines = [line for line in block.splitlines() if line.strip()]
    if not lines or any(_HEADING.match(line) or _is_item(line) or _TABLE_ROW.match(line) for line in lines):
        return False
    return len(_prose(lines)) <= FAQ_ANSWER_SENTENCES


def _prose(lines: list[str]) -> list[str]:
    """Return the sentences of lines of prose, fragments joined to their neighbours.

    A line that opens with a label starts a sentence of its own: "Jornada: de
    lunes a viernes" under "Salario: 1.650 €" is a fact, not the rest of one.
    """
    runs: list[str] = []
    for line in (_plain_line(line) for line in lines):
        if runs and not _is_label_line(line):
            runs[-1] = f"{runs[-1]} {line}"
        else:
            runs.append(line)
    return _join_fragments([sentence for run in runs for sentence in split_sentences(run)])


def _table_units(rows: list[str], paragraph: int, start: int, lead: int | None = None) -> list[Unit]:
    """Make each row of a Markdown table below its header a list item ("Salary | EUR 3,450").

    Quoted whole, a table of benefits is about everything and answers nothing
    exactly. A row keeps its words and the pipes between its cells, so each
    quote is still the posting's text. A two-column header ("Benefit |
    Details") says nothing a row does not; a wider one ("Level | Salary |
    Bonus") is the lead its rows are read and quoted with; otherwise the rows
    belong to the lead above the table ("What we offer:"), if any.
    """
    header = rows[0] if len(rows) > 1 and _TABLE_RULE.match(rows[1]) else None
    body = [row for row in (rows[2:] if header else rows) if not _TABLE_RULE.match(row)]
    texts = [_plain_line(row.strip().strip("|").strip()) for row in body]
    texts = [t for t in texts if t.strip("| ")]  # an empty spacer row says nothing
    units = []
    if header is not None and header.count("|") - 1 > 2:
        lead = start
        units.append(Unit(_plain_line(header.strip().strip("|").strip()), "lead", paragraph, start))
    return units + [Unit(t, "item", paragraph, start + len(units) + i, lead) for i, t in enumerate(texts)]


def _plain_line(line: str) -> str:
    """A line's words without list marker or emphasis marks."""
    unmarked = _SYMBOL_MARKER.sub("", _LIST_MARKER.sub("", line))
    return _MARKDOWN_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", unmarked).strip()


def words(text: str) -> list[str]:
    """Lower-case word tokens of a text, in any language."""
    return list(tokenize(text))


@lru_cache(maxsize=65536)
def stem(word: str, language: str = "en") -> str:
    """Reduce a word to its stem in its language so 'dates' matches 'date'; Chinese words stay whole."""
    if has_han(word):
        return word
    stemmer = _STEMMERS.get(language, _STEMMERS["en"])
    return stemmer.stemWord(fold_accents(word) if language == "es" else word)


def is_content_word(word: str, language: str = "en") -> bool:
    """Tell whether a word carries meaning (not a stopword or a function word)."""
    if word in STOPWORDS:
        return False
    return (language == "en" and not has_han(word)) or zipf(word, language) < FUNCTION_WORD_ZIPF


def content_terms(text: str, language: str = "en") -> list[str]:
    """Stemmed content words of a text."""
    return [stem(w, language) for w in tokenize(text) if is_content_word(w, language)]


@lru_cache(maxsize=65536)
def term_set(text: str, language: str = "en") -> frozenset[str]:
    """The set of content terms of a text, cached for knowledge sentences that recur."""
    return frozenset(content_terms(text, language))
