"""Generative answers through any OpenAI-compatible chat endpoint, checked sentence by sentence.

One `ChatOpenAI` client serves OpenAI, Azure OpenAI (v1 API), Doubao/Ark,
vLLM and Ollama alike. The model gets the top passages, numbered, and may
answer (citing them) or reply that the posting does not say. Each sentence
it writes is held back until the grounding checks pass (bot.answerers.grounding),
so nothing unchecked ever reaches the candidate, not even in a stream; a
sentence that fails is dropped. With no sentence left, or on any fault
(time-out, rate limit, server error, refused connection, malformed output),
the extractive answer is returned instead, marked degraded.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from functools import partial

import numpy as np
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from bot.answerers.base import ChatAnswer, Evidence, Mode
from bot.answerers.calls import LLMFailure, ModelCalls, make_chat_model
from bot.answerers.citations import MarkerFilter, build_citations
from bot.answerers.grounding import SentenceChecker, leaked_prompt
from bot.answerers.grounding import markers as cited_numbers
from bot.answerers.prompting import BudgetError, Prompt, build_prompt
from bot.answerers.prompts import load_prompts
from bot.answerers.sentences import SentenceSplitter
from bot.config import Settings
from bot.engine.guards import load_guards

log = logging.getLogger(__name__)

NOT_IN_POSTING = "NOT_IN_POSTING"  # what the prompt asks the model to reply when the passages do not answer
NEAREST_MARGIN = 0.01  # passages whose best unit is this close to the nearest one also count as nearest
MAX_HELD = 30  # uncited list lines held for the marker of the line after them
# A list line or a lead ending in a colon: a list often cites once, on its last line.
_BORROWS = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s|[:：]\s*$")


def _declines(head: str) -> bool:
    """Tell whether a reply begins by saying the passages do not answer; nothing after that is shown."""
    return head.lstrip().startswith(NOT_IN_POSTING)


class LLMAnswerer:
    """Answer from the evidence with a chat model; fall back to the extractive answer."""

    mode: Mode = "llm"

    def __init__(
        self, settings: Settings, model: BaseChatModel | None = None, embeddings: Embeddings | None = None
    ) -> None:
        self.settings = settings
        self.prompts = load_prompts(settings.prompts_dir)
        self.guards = load_guards(settings.prompts_dir / "guards.yaml")
        self.model = model or make_chat_model(settings)
        self.embeddings = embeddings
        self.calls = ModelCalls(settings.llm_max_concurrent_calls)
        self.wait_seconds = settings.llm_timeout_seconds

    def answer(self, evidence: Evidence) -> ChatAnswer:
        """Return the checked answer, asking the model without streaming."""
        *_, final = self._iterate(evidence, streaming=False)
        assert isinstance(final, ChatAnswer), "the answer stream always ends with the answer"
        return final

    def stream(self, evidence: Evidence) -> Iterator[str | ChatAnswer]:
        """Yield each checked sentence as it passes, then the final answer.

        When the model fails before any sentence was shown, the fallback's
        text is streamed, so clients that render deltas show the answer too.
        """
        yield from self._iterate(evidence, streaming=True)

    def _iterate(self, evidence: Evidence, streaming: bool) -> Iterator[str | ChatAnswer]:
        started = time.perf_counter()
        stats: dict = {"prompt_version": self.prompts.version, "model": self.settings.chat_model, "dropped": []}
        kept: list[str] = []
        markers: MarkerFilter | None = None
        prompt: Prompt | None = None
        final: ChatAnswer | None = None
        try:
            prompt = build_prompt(evidence, self.prompts, self.settings)
            stats.update(
                prompt_tokens=prompt.tokens, chunks_sent=len(prompt.chunks), history_sent=prompt.history_messages
            )
            markers = MarkerFilter(len(prompt.chunks))
            checker = self._checker(prompt, evidence)
            splitter = SentenceSplitter()
            call = self.calls.start(self.model, prompt.messages, streaming)
            head = ""
            held: list[str] = []
            check = partial(self._pass, checker=checker, markers=markers, kept=kept, stats=stats, started=started)
            lend = partial(self._lend, held=held, check=check, lists_only=checker.lists_only, streaming=streaming)
            for delta in call.deltas(self.wait_seconds):
                stats.setdefault("first_token_ms", round((time.perf_counter() - started) * 1000, 1))
                head += delta if len(head.lstrip()) < len(NOT_IN_POSTING) else ""
                if not _declines(head):
                    for sentence in splitter.feed(delta):
                        yield from lend(sentence)
            if not _declines(head):
                for sentence in [*splitter.flush(), ""]:
                    yield from lend(sentence)
            if _declines(head):
                final = evidence.not_found or evidence.fallback
                stats["outcome"] = "not in posting"
                if streaming:
                    yield final.answer
            else:
                final = self._final(kept, markers, prompt, evidence)
        except (LLMFailure, BudgetError) as failure:
            stats["fallback"] = str(failure)
            if kept and markers is not None and prompt is not None:
                final = self._partial(markers, prompt, evidence)
            else:
                final = evidence.fallback.model_copy(update={"degraded": True, "mode": "llm"})
                if streaming:
                    yield final.answer
        stats["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        stats.setdefault("outcome", "fallback" if final.degraded else "answered")
        evidence.notes["llm"] = stats
        log.info(
            "llm answer",
            extra={
                "event": "llm_answer",
                **{k: v for k, v in stats.items() if k != "dropped"},
                "dropped_sentences": len(stats["dropped"]),
            },
        )
        yield final

    def _checker(self, prompt: Prompt, evidence: Evidence) -> SentenceChecker:
        today = evidence.today
        allowed = [evidence.question, evidence.standalone]  # today's date is known to the checks on its own
        return SentenceChecker(
            [c.page_content for c in prompt.chunks],
            allowed,
            today,
            evidence.language,
            self._nearest(prompt, evidence),
            partial(self.guards.answer_problem, language=evidence.language),
        )

    def _nearest(self, prompt: Prompt, evidence: Evidence):
        """Return a function naming the passages a sentence is semantically nearest to (None without vectors)."""
        units, embeddings = evidence.units, self.embeddings
        if units is None or embeddings is None or not len(units):
            return None
        number = {c.metadata["chunk_id"]: i for i, c in enumerate(prompt.chunks, start=1)}
        rows = [i for i, ref in enumerate(units.refs) if ref.chunk_id in number]
        if not rows:
            return None

        floor = self.settings.grounding_min_similarity

        def nearest(sentence: str) -> set[int]:
            sims = units.similarities(embeddings.embed_query(sentence))[rows]
            best = float(np.max(sims))
            if best < floor:
                return set()  # near nothing that was sent: with few passages, some passage is always nearest
            return {number[units.refs[rows[i]].chunk_id] for i in np.flatnonzero(sims >= best - NEAREST_MARGIN)}

        return nearest

    @staticmethod
    def _lend(
        sentence: str,
        held: list[str],
        check: Callable[..., Iterator[str]],
        lists_only: Callable[[str], bool],
        streaming: bool,
    ) -> Iterator[str]:
        """Check a sentence, lending its markers to the uncited list lines held before it.

        "The start dates are:\n- January 15, 2024\n- March 4, 2024 [1]" cites once
        for the whole list: each line that says nothing of its own (a date, a
        passage's words) is checked against the passages the next cited line
        names; any other uncited line stays uncited. An empty sentence ends the
        answer; what is still held is checked uncited.
        """
        cited = cited_numbers(sentence)
        if sentence and not cited and _BORROWS.search(sentence) and len(held) < MAX_HELD:
            held.append(sentence)
            return
        lent = " " + " ".join(f"[{n}]" for n in dict.fromkeys(cited)) if cited else ""
        for line in held:
            yield from check(line + lent if lists_only(line) else line, streaming=streaming)
        held.clear()
        if sentence:
            yield from check(sentence, streaming=streaming)

    def _pass(self, sentence, checker, markers, kept, stats, started, streaming) -> Iterator[str]:
        """Check one sentence; keep and (when streaming) show it only if it passes."""
        verdict = checker.check(sentence)
        if not verdict.kept:
            stats["dropped"].append(verdict.reason)
            return
        separator = ("\n" if sentence.lstrip().startswith(("-", "•", "*")) else " ") if kept else ""
        text = markers.feed(separator + sentence) + markers.flush()
        kept.append(text)
        stats.setdefault("first_sentence_ms", round((time.perf_counter() - started) * 1000, 1))
        if streaming:
            yield text

    def _final(self, kept: list[str], markers: MarkerFilter, prompt: Prompt, evidence: Evidence) -> ChatAnswer:
        """Turn the kept sentences into the answer, or raise LLMFailure."""
        if not kept:
            raise LLMFailure("no supported sentence")
        cited = build_citations(markers, prompt.chunks, evidence.selected)
        if leaked_prompt(
            cited.text, self.prompts.texts(), [*(c.page_content for c in prompt.chunks), evidence.question]
        ):
            raise LLMFailure("prompt leak")
        return ChatAnswer(
            answer=cited.text, status="answered", citations=cited.citations, mode="llm", language=evidence.language
        )

    def _partial(self, markers: MarkerFilter, prompt: Prompt, evidence: Evidence) -> ChatAnswer:
        """The sentences checked before the model failed: grounded, but maybe incomplete."""
        cited = build_citations(markers, prompt.chunks, evidence.selected)
        return ChatAnswer(
            answer=cited.text,
            status="answered",
            citations=cited.citations,
            mode="llm",
            degraded=True,
            language=evidence.language,
        )
