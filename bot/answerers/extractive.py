"""Grounded extractive answers: quote the units that answer, cite them, frame them in the candidate's language.

Every sentence of an extractive answer is either a verbatim unit of the
knowledge or a fixed reply from prompts/i18n/<lang>.yaml (which may carry
the candidate's own words, quoted), so the answer cannot state a fact the
posting lacks. Quotes are never translated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.answerers.base import ChatAnswer, Citation, Evidence, Mode
from bot.answerers.date_replies import compare, listed_dates
from bot.engine.date_lists import about_an_event
from bot.engine.dates import describe_date
from bot.engine.evidence import UnitRef
from bot.engine.replies import fill, replies
from bot.engine.state import PartResult, State
from bot.knowledge.text import join_sentences, trim_symbols
from bot.knowledge.units import Unit


@dataclass
class _Group:
    ref: UnitRef  # any unit of the run, for its chunk
    units: list[Unit]


def groups(selected: list[UnitRef]) -> list[_Group]:
    """Group selected units into contiguous runs per chunk, in reading order."""
    order: list[str] = []
    per_chunk: dict[str, tuple[UnitRef, list[Unit]]] = {}
    for ref in selected:
        if ref.chunk_id not in per_chunk:
            order.append(ref.chunk_id)
            per_chunk[ref.chunk_id] = (ref, [])
        per_chunk[ref.chunk_id][1].append(ref.unit)
    runs = []
    for cid in order:
        ref, units = per_chunk[cid]
        units = sorted(set(units), key=lambda u: u.position)
        run = [units[0]]
        for unit in units[1:]:
            last = run[-1]
            if unit.position == last.position + 1 and (
                unit.paragraph == last.paragraph
                or unit.lead == last.position
                or (unit.lead is not None and unit.lead == last.lead)
            ):
                run.append(unit)
            else:
                runs.append(_Group(ref, run))
                run = [unit]
        runs.append(_Group(ref, run))
    return runs


def quote(units: list[Unit]) -> str:
    """Join units into the verbatim quote they form in the knowledge."""
    parts: list[str] = []
    for before, unit in zip([None, *units], units, strict=False):
        after_item = before is not None and before.kind == "item"  # "Nice to have:" under the items of "Must have:"
        if unit.kind == "item" or (parts and (units[0].kind == "item" or after_item)):
            parts.append(("\n" if parts else "") + unit.text)
        else:
            parts.append(join_sentences([parts.pop(), unit.text]) if parts else unit.text)
    return "".join(parts)


def render(units: list[Unit]) -> str:
    """Render units for reading: sentences as prose, list items as a bullet list."""
    text = ""
    as_list = sum(unit.kind == "item" for unit in units) > 1
    for unit in units:
        if (unit.kind == "item" or unit.depth) and as_list:
            # "- Nice to have:" over "  - GraphQL": a list inside a list keeps its indent, so the items
            # after it are not read as nice to have
            text += ("\n" if text else "") + "  " * max(0, unit.depth - 1) + "- " + unit.text
        else:
            text = join_sentences([text, unit.text]) if text else unit.text
    return text


class Citations:
    """Number quoted runs across the parts of one answer, each run cited once and shown once.

    Two questions of one message often land on the same passage: it is
    quoted for the first, and `markers` lets the second point back to it
    instead of showing it again. Of a run of sentences that overlaps one
    shown before, only the new sentences are shown; a list that overlaps is
    shown whole, so it is never cut into pieces.
    """

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, tuple[int, ...]], int] = {}
        self._shown: set[int] = set()
        self._shown_units: dict[tuple[str, int], int] = {}  # (chunk, unit position) -> the number that showed it

    def cite(self, group: _Group) -> int:
        """Return the number of a run, adding its citation on first use."""
        key = (group.ref.chunk_id, tuple(u.position for u in group.units))
        if key not in self._numbers:
            self._numbers[key] = len(self.citations) + 1
            meta = group.ref.chunk.metadata
            self.citations.append(
                Citation(
                    id=self._numbers[key], source=meta["source"], section=meta["section"], quote=quote(group.units)
                )
            )
        return self._numbers[key]

    def quoted(self, selected: list[UnitRef]) -> list[str]:
        """Render the selected runs this answer has not shown yet as cited paragraphs."""
        paragraphs: list[str] = []
        for run in groups(selected):
            group = self._unshown(run)
            if group is None:
                continue
            number = self.cite(group)
            if number not in self._shown:
                self._shown.add(number)
                self._shown_units.update({(group.ref.chunk_id, u.position): number for u in group.units})
                paragraphs.append(f"{render(group.units)} [{number}]")
        return paragraphs

    def above(self, selected: list[UnitRef]) -> str:
        """Return the markers of the passage that fits best, when it is quoted above already (else "")."""
        best = groups(selected[:1])
        return self.markers(selected[:1]) if best and self._unshown(best[0]) is None else ""

    def markers(self, selected: list[UnitRef]) -> str:
        """Return the citation markers of the selected runs ("[1] [3]"), pointing at where each was shown."""
        runs = groups(selected)
        keys = [(g.ref.chunk_id, u.position) for g in runs for u in g.units]
        numbers = {self._shown_units[key] for key in keys if key in self._shown_units}
        return " ".join(f"[{n}]" for n in sorted(numbers or {self.cite(g) for g in runs}))

    def _unshown(self, group: _Group) -> _Group | None:
        """Return the part of a run not shown yet: none of it, the new sentences, or a list whole.

        New sentences on both sides of one shown already are quoted with it: a
        quote is one run of the posting's text.
        """
        new = [u for u in group.units if (group.ref.chunk_id, u.position) not in self._shown_units]
        if not new:
            return None
        gapped = new[-1].position - new[0].position + 1 != len(new)
        if len(new) == len(group.units) or gapped or any(u.kind == "item" for u in group.units):
            return group
        return _Group(group.ref, new)


class ExtractiveComposer:
    """Compose the reply to a message from what the pipeline found."""

    def __init__(self, prompts_dir: Path) -> None:
        self.prompts_dir = prompts_dir

    def compose(self, state: State) -> ChatAnswer:
        """Build the cited answer, the closest passages, or the not-found reply."""
        texts = replies(self.prompts_dir, state.language)
        cite = Citations()
        answered = state.answered_parts
        if not answered:
            return self._unanswered(state, texts, cite)
        paragraphs: list[str] = []
        # "The posting says, in Spanish:" (for a question in another language) goes right above the first quote
        # that answers, not above the assistant's own sentences (a date comparison); a closest passage has its own
        # lead-in.
        posting_language = state.units.language if state.units is not None else "en"
        intro = (
            fill(texts["answer_intro"], language=texts["language_names"][posting_language])
            if state.language != posting_language
            else ""
        )
        for part in state.parts:
            if part.answered:
                preface = self._date_preface(part, state, texts, cite)
                paragraphs += [preface] if preface else []
                above = cite.above(part.selected)
                quoted = cite.quoted(part.selected)
                if quoted and intro and not above:
                    paragraphs.append(intro)
                    intro = ""
                if above or (not quoted and part.selected):
                    # What fits it best is quoted for an earlier question: point back to it, then quote the rest.
                    markers = above or cite.markers(part.selected)
                    quoted = [fill(texts["quoted_above"], part=trim_symbols(part.part.text), markers=markers), *quoted]
                paragraphs += quoted
                past = self._past_note(part, state, texts)
                paragraphs += [past] if past and past not in paragraphs else []
            elif len(state.parts) > 1:
                paragraphs += self._part_unanswered(part, texts, cite)
        return ChatAnswer(
            answer="\n\n".join(p for p in paragraphs if p),
            status="answered",
            citations=cite.citations,
            mode="extractive",
            language=state.language,
        )

    def unanswered(self, state: State) -> ChatAnswer:
        """The reply when the posting does not answer: its closest passages, or that it does not say."""
        return self._unanswered(state, replies(self.prompts_dir, state.language), Citations(), any_selected=True)

    def _unanswered(self, state: State, texts: dict, cite: Citations, any_selected: bool = False) -> ChatAnswer:
        related = [p for p in state.parts if p.selected and (any_selected or p.decision.outcome == "related")]
        if related:
            paragraphs = [texts["closest"]]
            for part in related:
                paragraphs += cite.quoted(part.selected)
                past = self._past_note(part, state, texts)
                paragraphs += [past] if past and past not in paragraphs else []
            return ChatAnswer(
                answer="\n\n".join(paragraphs),
                status="not_found",
                citations=cite.citations,
                mode="extractive",
                answer_type="closest",
                language=state.language,
            )
        return ChatAnswer(
            answer=f"{texts['not_found']} {help_line(state, texts)}",
            status="not_found",
            citations=[],
            mode="extractive",
            answer_type="not_covered",
            language=state.language,
        )

    def _part_unanswered(self, part: PartResult, texts: dict, cite: Citations) -> list[str]:
        words = trim_symbols(part.part.text)
        if not words:
            return []
        if part.decision.outcome == "related" and part.selected:
            above = cite.above(part.selected)
            quoted = [] if above else cite.quoted(part.selected)
            if not quoted:
                return [fill(texts["part_closest_above"], part=words, markers=above or cite.markers(part.selected))]
            return [fill(texts["part_closest"], part=words), *quoted]
        return [fill(texts["part_not_found"], part=words)]

    def _date_preface(self, part: PartResult, state: State, texts: dict, cite: Citations) -> str:
        """Compare the dates a question names with the dates the knowledge lists."""
        if not part.dates or state.units is None:
            return ""
        # A sentence naming dates lists start dates only for a question about starting, not about a deadline.
        unit, dated = listed_dates(part.selected, state.units, prose=part.about_starting)
        if unit is None:
            return ""
        number = cite.cite(next(g for g in groups(part.selected) if unit.unit in g.units))
        return compare(part.dates, dated, state.language, texts["dates"], f"[{number}]", state.today)

    def _past_note(self, part: PartResult, state: State, texts: dict) -> str:
        """Say that the dates quoted are behind us: a listed start date, a closed application window.

        "网申时间：2026年9月15日至2026年11月30日" read on 1 December still
        looks like a way in. A sentence about no event a candidate could still
        reach ("founded on 3 March 2019") gets no note.
        """
        if state.units is None:
            return ""
        today = describe_date(state.today, state.language)
        _, dated = listed_dates(part.selected, state.units, part.about_starting)
        if dated:
            return fill(texts["dates"]["all_past"], today=today) if all(d < state.today for _, d in dated) else ""
        named = [
            mention.date
            for ref in part.selected
            if about_an_event(ref.unit.text)
            for mention in state.units.mentions_of(ref)
        ]
        if named and max(named) < state.today:
            return fill(texts["dates"]["quoted_past"], dates=describe_date(max(named), state.language), today=today)
        return ""


def help_line(state: State, texts: dict) -> str:
    """Say what the posting's documents cover (all postings' when none is chosen)."""
    topics = state.index.topics
    named = topics.get(state.posting or "") or list(dict.fromkeys(t for ts in topics.values() for t in ts))
    return fill(texts["help"], topics=", ".join(named))


class ExtractiveAnswerer:
    """The answerer of extractive mode: the composed answer is the answer."""

    mode: Mode = "extractive"

    def answer(self, evidence: Evidence) -> ChatAnswer:
        """Return the extractive answer prepared with the evidence."""
        return evidence.fallback

    def stream(self, evidence: Evidence) -> Iterator[str | ChatAnswer]:
        """Stream the extractive answer in word-sized pieces, then the answer itself."""
        answer = evidence.fallback
        yield from re.findall(r"\S+\s*", answer.answer)
        yield answer
