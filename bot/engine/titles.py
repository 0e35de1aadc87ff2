"""Find the job a question names by its title, read the question without that name, and spot the job's and employer's names.

With several postings, "What's the salary for the nurse job?" picks the nurse
posting and asks for the salary. With one, the job's name still says nothing
about what is asked, and it would find the lines that repeat the title (the
heading, an email subject line, the company blurb) instead of the answer.
A question that names the employer ("What does Pellworth do?") asks about the
company as a whole, and one that names the job ("What does the night shift
supervisor do?") about the job as a whole, which only "the company" or "the
role" in the name's place lets the reader see.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import combinations

from bot.knowledge.language import has_han
from bot.knowledge.text import content_terms, is_content_word
from bot.knowledge.vocabulary import zipf

GENERIC_TITLE_TERMS = frozenset({"team", "senior", "junior", "lead", "manag"})  # too common to pick a job by
# A header word this rare is a name ("Pellworth" 0, "Kestrel" 2.5, "Zephyr" 2.9), not a word of the job ("shift" 4.6);
# a rare job word ("phlebotomist") is read as one only where the question then asks what "the company" does.
NAME_ZIPF = 3.0
MIN_HAN_TITLE = 3  # a Chinese title word this long names the job ("质检员"); a shorter one may be the topic
_WORD = re.compile(r"[\w-]+")
_LATIN_WORD = re.compile(
    r"[^\W\d_\u3400-\u9fff][^\W_\u3400-\u9fff]*(?:[-'][^\W_\u3400-\u9fff]+)*"
)  # "Pellworth是…": Pellworth
_HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,}")  # a Chinese title as written ("夜班主管")
_BRACKETED = re.compile(r"[(（\[][^)）\]]*[)）\]]")
_SEGMENT = re.compile(r"[,;:|()/–—]|\s-\s")  # "ByteDance Doubao Team, LLM research": "team research" is no name


def named_posting(text: str, language: str, titles: dict[str, str]) -> tuple[str, frozenset[str]] | None:
    """Return the one posting whose title shares a telling word with the question, and those words."""
    asked = set(content_terms(text, language))
    named = {
        posting: frozenset(shared)
        for posting, title in titles.items()
        if (shared := asked & set(content_terms(title)) - GENERIC_TITLE_TERMS)
    }
    return next(iter(named.items())) if len(named) == 1 else None


def without_title(text: str, title: str, language: str, job_noun: re.Pattern) -> str:
    """Return a question without the words that name the job ("what does the shift lead job pay?" -> "… the job pay?").

    The name is two or more title words in a row, as in the title, right before a word for
    a job ("the shift lead job", "this informatics pharmacist role"), or a long Chinese title
    word next to one or after "this" ("这个质检员"). A title word anywhere else is often the
    topic ("Is there a night shift differential?" on a night shift posting).
    """
    terms = frozenset(content_terms(title, language))
    for term in (t for t in terms if has_han(t) and len(t) >= MIN_HAN_TITLE):
        text = re.sub(
            rf"(?:这个|该|这份)?{re.escape(term)}(?=\s*{job_noun.pattern})|(?<=这个|这份){re.escape(term)}", " ", text
        )
    words = [w for w in _WORD.finditer(text) if not has_han(w[0])]
    cuts = [
        (run[0][0].start(), run[-1][0].end())
        for run in _title_runs(words, title, language)
        if len(run) >= 2 and (after := _after(words, run)) is not None and job_noun.fullmatch(after[0])
    ]
    for start, end in reversed(cuts):
        text = text[:start] + text[end:]
    return " ".join(text.split())


def with_title_named(
    text: str, title: str, language: str, noun: str, in_body: Callable[[frozenset[str]], bool] = lambda name: False
) -> str:
    """Return a question with the job's full name said as `noun` ("How much does a night shift supervisor make?" -> "… a role make?").

    The name is two or more title words in a row, as in the title, that end where a part of the
    title ends ("night shift supervisor", "warehouse supervisors"; a Spanish title's start:
    "recepcionista de noche"). "Is there a night shift differential?" names no job: "night shift"
    is the topic, and so is a name the posting's own passages use (`in_body`: "Shift leads share
    the tip pool" answers "do the shift leads get tips?"). Chinese titles are left as they are:
    their runs of words mix the job with the employer, the place and the campaign ("禾香食品
    包装车间操作工", "京禾超市 · 门店管培生招聘"), which no rule tells apart.
    """
    names = _job_names(title, language)
    ends = {stems[0] if language == "es" else stems[-1] for stems in (_stems(name, language) for name in names)}
    words = [w for w in _WORD.finditer(text) if not has_han(w[0])]
    cuts = [
        (run[0][0].start(), run[-1][0].end())
        for run in _title_runs(words, " | ".join(names), language)
        if len(run) >= 2
        and (run[0][1] if language == "es" else run[-1][1]) in ends
        and not in_body(frozenset(stem for _, stem in run))
    ]
    for start, end in reversed(cuts):
        text = text[:start] + noun + text[end:]
    return text


def _job_names(title: str, language: str) -> list[str]:
    """Return the parts of a title that may name the job: not a remark in brackets, not one holding a name.

    "Warehouse Associate (Day and Night Shifts)" names a warehouse associate: "the night shift" is a
    shift. "Laboratory Manager, Sarkissian Soil Microbiome Lab" names a laboratory manager.
    """
    parts = _SEGMENT.split(_BRACKETED.sub(" | ", title))
    return [
        part
        for part in parts
        if len(_stems(part, language)) >= 2
        and all(max(zipf(w.lower(), language), zipf(w.lower())) >= NAME_ZIPF for w in _LATIN_WORD.findall(part))
    ]


def _title_runs(words: list[re.Match], title: str, language: str) -> list[list[tuple[re.Match, str]]]:
    """Return the runs of title words in a row, as in the title, each word with its stem."""
    terms = frozenset(content_terms(title, language))
    # "night shift supervisor" names "Night Shift Warehouse Supervisor": title words in the title's order
    pairs = {pair for segment in _SEGMENT.split(title) for pair in combinations(_stems(segment, language), 2)}
    runs: list[list[tuple[re.Match, str]]] = []
    previous: str | None = None
    for word in words:
        if not is_content_word(word[0].lower(), language):
            continue  # "recepcionista de noche": a run goes on over "de"
        stem = next(iter(set(content_terms(word[0], language)) & terms), None)
        if stem and previous and (previous, stem) in pairs:
            runs[-1].append((word, stem))
        elif stem:
            runs.append([(word, stem)])
        previous = stem
    return runs


def _after(words: list[re.Match], run: list[tuple[re.Match, str]]) -> re.Match | None:
    """Return the word right after a run, if any."""
    at = words.index(run[-1][0]) + 1
    return words[at] if at < len(words) else None


def _stems(text: str, language: str) -> list[str]:
    return [stem for word in _WORD.findall(text) for stem in content_terms(word, language)]


def without_terms(text: str, terms: frozenset[str], language: str) -> str:
    """Return a text without the words whose stems are among terms ("salary for the nurse job" -> "salary for the job").

    Chinese is written without spaces: its terms are cut out where they occur ("这个质检员工资多少" -> "这个 工资多少").
    """
    for term in terms:
        if has_han(term):
            text = text.replace(term, " ")
    return " ".join(
        _WORD.sub(
            lambda w: w[0] if has_han(w[0]) or not set(content_terms(w[0], language)) & terms else "", text
        ).split()
    )


def with_employer_named(text: str, header: str, language: str, noun: str, ending: bool = False) -> str:
    """Return a question with the employer's name said as `noun` ("What does Pellworth do?" -> "What does the company do?").

    A name is a run of the header's words, next to each other, holding one rare enough to be a
    name, so a question about the employer as a whole is recognised whatever it calls the
    employer; "the night shift" is no name. With `ending`, the rare word must end the run:
    "the Doubao team" and "Saltmarsh Harbor Community Clinic" name a team and a clinic of the
    employer's, which a question may be about.
    """
    cuts = [
        (run[0].start(), run[-1].end())
        for run in _runs(text, header)
        if any(_is_name(w[0], language) for w in run) and (not ending or _is_name(run[-1][0], language))
    ]
    for start, end in reversed(cuts):
        text = text[:start] + noun + text[end:]
    return text


def titled_readings(text: str, title: str, language: str, noun: str) -> list[str]:
    """Return the question with each place it names the job said as `noun` ("What does the supervisor do?" -> "… the role do?").

    A name is a run of the title's words next to each other holding one telling enough to pick
    a job by, or a Chinese title word; each is tried on its own, since a title word may also be
    the topic ("What does the supervisor do all night?" on a night shift posting). The caller
    keeps a reading only where it asks about the job as a whole.
    """
    terms = set(content_terms(title, language)) - GENERIC_TITLE_TERMS
    han = {t for t in terms if has_han(t) and len(t) >= MIN_HAN_TITLE} | set(_HAN_RUN.findall(title))
    readings = [re.sub(rf"(?:{re.escape(t)})+", noun, text) for t in sorted(han, key=len, reverse=True) if t in text]
    named = " | ".join(_job_names(title, language))  # "the Doubao team" is a team of the employer's, no job
    terms &= set(content_terms(named, language))
    for run in _runs(text, named):
        while run and not is_content_word(run[-1][0].lower(), language):  # "head of": no "of" at either end
            run.pop()
        while run and not is_content_word(run[0][0].lower(), language):
            run.pop(0)
        if run and any(set(content_terms(w[0], language)) & terms for w in run):
            readings.append(text[: run[0].start()] + noun + text[run[-1].end() :])
    return readings


def _is_name(word: str, language: str) -> bool:
    """Tell whether a word is rare enough to be a name: in the question's language and in English (most headers)."""
    return max(zipf(word.lower(), language), zipf(word.lower())) < NAME_ZIPF


def _runs(text: str, source: str) -> list[list[re.Match]]:
    """Return the runs of words of a text found in a source, each run words with only spaces between them."""
    known = {word.lower() for word in _LATIN_WORD.findall(source)}
    runs: list[list[re.Match]] = []
    for word in _LATIN_WORD.finditer(text):
        if word[0].lower() not in known:
            continue
        if runs and not text[runs[-1][-1].end() : word.start()].strip():
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs
