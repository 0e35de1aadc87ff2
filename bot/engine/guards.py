"""Policy guards applied to every message before retrieval or any model call.

The rules are data: each names a category, the patterns that trigger it and
what happens (refuse with the category's fixed reply, or answer from a policy
while keeping the message out of storage). They are matched on a normalised
copy of the message so spacing, case and look-alike characters do not slip past.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from unidecode import unidecode

from bot.knowledge.text import clean_input


@dataclass(frozen=True)
class Rule:
    """One guard: a category and the patterns that trigger it."""

    category: str
    action: str  # "refuse", or "sensitive" (answer from policy, store nothing)
    patterns: tuple[str, ...]
    query: str | None = None  # retrieval query for "sensitive" rules


@dataclass(frozen=True)
class Verdict:
    """The outcome of the guards for one message."""

    action: str  # "allow", "refuse" or "sensitive"
    category: str | None = None
    query: str | None = None
    store_text: bool = True


# Personal numbers are checked first: whatever else a message asks, it must
# not be echoed or stored when it carries one.
RULES: tuple[Rule, ...] = (
    Rule(
        "personal_data",
        "refuse",
        (
            r"\b\d{3}[- .]\d{2}[- .]\d{4}\b",  # US SSN
            r"\b(?:\d[ -]?){13,19}\b",  # card-like numbers
            r"\b(ssn|social security( number)?|passport( number| no)?|national (id|insurance)( number)?|driver'?s licen[cs]e( number)?|bank account|credit card|date of birth)\b.{0,30}\d",
            r"\b(save|store|remember|keep|record|note)\b.{0,40}\b(my )?(ssn|social security|passport|phone|address|card|id number|email)\b",
            r"(?<!\w)\+?\d{1,3}[ .-]?\(?\d{2,4}\)?[ .-]?\d{3}[ .-]?\d{3,4}\b",  # phone numbers
            r"(?<![\w$.,])\+?\(?(?:\d[ ().-]{0,2}){8,14}\d\b",  # any 9-15 digit run with separators (phones, IDs)
            r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b.{0,40}\b(is my|my email|contact me|reach me)\b",
            r"\bmy (email|e-mail) (address )?is\b",
        ),
    ),
    Rule(
        "prompt_extraction",
        "refuse",
        (
            r"\b(system|initial|hidden|original|developer|secret)\s*(prompt|instructions?|message|rules)\b",
            r"\b(print|show|reveal|repeat|output|display|tell me|what are|give me|leak|dump)\b.{0,40}\b(your|the) (instructions|prompt|rules|guidelines|configuration|context)\b",
            r"\b(repeat|print|output)\b.{0,30}\b(above|everything|verbatim|words above)\b",
            r"\bwhat (were|are) you (told|instructed|programmed)\b",
        ),
    ),
    Rule(
        "injection",
        "refuse",
        (
            r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules|prompt|guidelines|above|previous|prior|policy|policies)\b",
            r"\b(you are|you're|act as|pretend( to be)?|roleplay( as)?|from now on,? you)\b.{0,40}\b(dan|jailbreak|unfiltered|unrestricted|evil|developer mode|no (rules|restrictions|limits))\b",
            r"\b(developer|debug|god|admin|sudo) mode\b",
            r"\bjailbreak\b",
            r"<\s*/?\s*(system|instructions?|context|chunk)\b",
            r"\[\s*(system|inst)\s*\]",
            r"\bnew instructions?\s*:",
        ),
    ),
    Rule(
        "impersonation",
        "refuse",
        (
            r"\b(you are|you're|act as|pretend( to be)?|roleplay( as)?|be)\b.{0,20}\b(the |a |my )?(recruiter|hiring manager|hr|interviewer|human|employee|ceo)\b",
            r"\b(confirm|approve|guarantee|promise|finali[sz]e|extend|send)\b.{0,30}\b(my |an? |the )?(offer|hire|hiring|acceptance|admission|job|position|start date|salary)\b",
            r"\b(my|an?) offer (letter )?(is|was) (confirmed|approved)\b",
            r"\b(status of my application|my application status|did i (pass|get)|have i been (selected|rejected|accepted))\b",
        ),
    ),
    Rule(
        "decision",
        "refuse",
        (
            r"\b(will|would|do|does|am|could|can) (i|we|you think i|my application|my (resume|cv)) .{0,25}\b(get|be|land|receive) (hired|selected|an offer|the (job|offer|position|role)|accepted|rejected|shortlisted|an interview)\b",
            r"\b(my|what are my|what're my) (chances|odds|likelihood|probability)\b",
            r"\b(rate|score|grade|evaluate|assess|rank|judge|critique)\b.{0,12}\b(my|me)\b",
            r"\b(review|check|look at|read)\b.{0,12}\bmy (resume|cv|profile|cover letter|portfolio|qualifications)\b",
            r"\b(am i|i am|i'm) (a )?(good|strong|great|right|perfect|suitable|the best) (fit|candidate|match)\b",
            r"\bshould (you|they|bytedance|the team|the company) hire me\b",
            r"\bhow (likely|good) (is|are) (it|my chances)\b",
        ),
    ),
    Rule(
        "off_topic",
        "refuse",
        (
            r"\b(write|compose|create|generate|make)\b.{0,20}\b(poem|haiku|song|story|essay|joke|limerick|rap|novel|code|script|program|function|sql|letter for me|cover letter)\b",
            r"\b(tell|give) me (a )?(joke|riddle|story|fun fact)\b",
            r"\bweather\b|\bforecast\b",
            r"\b(recipe|cook|bake)\b",
            r"\btranslate\b",
            r"\b(stock|bitcoin|crypto)\b.{0,20}\b(price|value|buy|sell)\b",
            r"\b(who won|score of|football|soccer|basketball|nba|nfl|world cup)\b",
            r"\bwhat is \d+\s*[-+*/x]\s*\d+\b|\bsolve (this|the) (equation|math)\b",
            r"\b(capital of|president of|meaning of life)\b",
            r"\b(homework|essay for me)\b",
        ),
    ),
    Rule(
        "criminal_history",
        "sensitive",
        (
            r"\b(i|i've|i have|i had|my)\b.{0,30}\b(criminal (record|history|conviction)|convicted|conviction|arrested|arrest record|felony|misdemeanou?r|jail|prison|dui)\b",
        ),
        query="arrest or conviction records criminal history fair chance",
    ),
    Rule(
        "protected_characteristic",
        "sensitive",
        (
            r"\b(i am|i'm|i have|i've got|i was|i live with|i suffer from|my)\b.{0,30}\b(disabilit(y|ies)|disabled|pregnan(t|cy)|blind|deaf|wheelchair|autis(m|tic)|adhd|dyslexi[ac]|chronic|illness|diagnos(is|ed)|depression|anxiety|religio(n|us)|muslim|christian|jewish|hindu|sikh|buddhist|pray(er)?|sabbath|ramadan|medical condition)\b",
        ),
        query="reasonable accommodations recruitment disabilities pregnancy religious beliefs contact",
    ),
)

_COMPILED = tuple((rule, tuple(re.compile(p, re.IGNORECASE) for p in rule.patterns)) for rule in RULES)


def normalise_for_matching(message: str) -> str:
    """Fold a message so look-alike tricks do not dodge the rules.

    NFKC folds full-width and stylised letters; removing combining marks and
    zero-width characters undoes 'i̇gnore' and 'ig\u200bnore'; transliterating
    to ASCII folds homoglyphs such as a Cyrillic 'о' inside 'ignоre'.
    """
    text = clean_input(message)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return unidecode(text.replace("’", "'")).lower()


def check(message: str) -> Verdict:
    """Return what the guards decide for a message."""
    text = normalise_for_matching(message)
    if not text.strip():
        return Verdict("refuse", "empty")
    for rule, patterns in _COMPILED:
        if any(p.search(text) for p in patterns):
            if rule.action == "sensitive":
                return Verdict("sensitive", rule.category, rule.query, store_text=False)
            return Verdict("refuse", rule.category, store_text=rule.category != "personal_data")
    return Verdict("allow")


ACCOMMODATION_INTENT = re.compile(
    r"\b(accommodat\w*|disabilit\w*|disabled|wheelchair|assistive|sign language|interpreter|"
    r"pregnan\w*|religio\w*|special (needs|arrangements?)|extra time|accessib\w*)\b",
    re.IGNORECASE,
)


def wants_accommodation(message: str) -> bool:
    """Tell whether a message is about an accommodation, so the contact is always given."""
    return bool(ACCOMMODATION_INTENT.search(normalise_for_matching(message)))
