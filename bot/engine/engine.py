"""The engine: answer a candidate's message from the knowledge, with citations.

It wires the parts together (index, pipeline, composer, answerer) and
decides the reply: a refusal or an invitation comes from the guards, the
extractive composition is always made (it is the answer in extractive mode
and the fallback in LLM mode), and an answerer turns the evidence into the
reply the candidate reads.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from langchain_core.embeddings import Embeddings

from bot.answerers.base import Answerer, ChatAnswer, Evidence
from bot.answerers.extractive import ExtractiveAnswerer, ExtractiveComposer, help_line
from bot.config import Settings
from bot.engine.answerability import AnswerabilityModel
from bot.engine.condense import make_condenser
from bot.engine.glossary import load_glossary
from bot.engine.index import KnowledgeIndex, UnknownPostingError
from bot.engine.pipeline import Pipeline
from bot.engine.question import QuestionReader
from bot.engine.replies import replies
from bot.engine.state import State
from bot.engine.topics import TopicCatalog
from bot.engine.trace import trace_of
from bot.knowledge.embeddings import make_embeddings, space_of
from bot.knowledge.vectorstore import IngestReport

log = logging.getLogger(__name__)

# Messages that ask nothing of the posting, answered with a fixed reply (its key, and whether the
# posting's topics follow it) and answer_type "invitation": a greeting, thanks, goodbye, a question about the assistant.
INVITATIONS = {
    "no_question": ("no_question", False),
    "anything_else": ("anything_else", False),
    "thanks": ("thanks", False),
    "goodbye": ("goodbye", False),
    "about_assistant": ("disclosure", True),
}

__all__ = ["Engine", "EngineResult", "UnknownPostingError"]


@dataclass
class EngineResult:
    """An answer and what led to it."""

    response: ChatAnswer
    trace: dict[str, Any] = field(default_factory=dict)


def _make_answerer(settings: Settings, embeddings: Embeddings) -> Answerer:
    if settings.llm_enabled:
        from bot.answerers.llm import LLMAnswerer

        return LLMAnswerer(settings, embeddings=embeddings)
    return ExtractiveAnswerer()


class Engine:
    """Answer candidates' questions from the knowledge, with citations."""

    def __init__(
        self, settings: Settings, embeddings: Embeddings | None = None, answerer: Answerer | None = None
    ) -> None:
        self.settings = settings
        self.embeddings = embeddings or make_embeddings(settings)
        self.knowledge = KnowledgeIndex(settings, self.embeddings, settings.current_date())
        self.reader = QuestionReader(settings.prompts_dir)
        self.pipeline = Pipeline(
            settings,
            self.knowledge,
            make_condenser(settings, self.reader),
            self.reader,
            load_glossary(settings.prompts_dir / "glossary.yaml"),
            AnswerabilityModel.load(),
            TopicCatalog(
                settings.prompts_dir / "topics.yaml",
                self.embeddings,
                space_of(self.embeddings, settings),
                settings.data_dir / "cache",
            ),
        )
        self.composer = ExtractiveComposer(settings.prompts_dir)
        self.answerer = answerer or _make_answerer(settings, self.embeddings)

    @classmethod
    def build(cls, settings: Settings, embeddings: Embeddings | None = None) -> Engine:
        """Open the index (ingesting knowledge/ when it changed) and get ready to answer."""
        return cls(settings, embeddings)

    # --- index ----------------------------------------------------------

    @property
    def index(self):
        """The current knowledge index snapshot."""
        return self.knowledge.current

    @property
    def chunks(self):
        """Chunks of the current index."""
        return self.knowledge.current.chunks

    @property
    def lexical(self):
        """Keyword index of the current index."""
        return self.knowledge.current.lexical

    @property
    def retriever(self):
        """Hybrid retriever of the current index."""
        return self.knowledge.current.retriever

    @property
    def last_ingest(self) -> IngestReport | None:
        """What the last ingest changed."""
        return self.knowledge.last_ingest

    def reload(self) -> IngestReport:
        """Re-ingest knowledge/ and swap in the new index without a restart."""
        return self.knowledge.reload()

    def resolve_posting(self, posting: str | None) -> str | None:
        """Return the posting to search, or raise for an unknown one."""
        return self.knowledge.resolve_posting(posting)

    def health(self) -> dict[str, Any]:
        """Report readiness, mode and anything degraded."""
        problems = self.knowledge.problems()
        return {
            "status": "degraded" if problems else "ok",
            "mode": self.answerer.mode,
            "model": self.settings.chat_model if self.settings.llm_enabled else None,
            "postings": self.knowledge.current.postings,
            "chunks": len(self.chunks),
            "problems": problems,
        }

    def answers_directly(self, question: str, posting: str) -> bool:
        """Tell whether a posting answers a question directly, without calling any model.

        The chat page uses it to show only example questions its posting answers.
        """
        state = self.pipeline.prepare(question, [], posting)
        if state.verdict.action != "allow" or state.unclear_posting:
            return False
        return self.composer.compose(state).answer_type == "answer"

    # --- answering ------------------------------------------------------

    def _finish(self, state: State) -> ChatAnswer | Evidence:
        """Return a final reply (refusal, invitation, not found) or the evidence to answer from."""
        texts = replies(self.settings.prompts_dir, state.language)
        mode = self.answerer.mode
        verdict = state.verdict
        if verdict.action == "refuse":
            if verdict.category in INVITATIONS:
                key, helps = INVITATIONS[verdict.category]
                return ChatAnswer(
                    answer=f"{texts[key]} {help_line(state, texts)}" if helps else texts[key],
                    status="refused",
                    citations=[],
                    mode=mode,
                    answer_type="invitation",
                    language=state.language,
                )
            reason = texts["refusals"].get(verdict.category, texts["refusals"]["off_topic"])
            return ChatAnswer(
                answer=f"{reason} {help_line(state, texts)}",
                status="refused",
                citations=[],
                mode=mode,
                answer_type="refusal",
                language=state.language,
            )
        if state.unclear_posting:
            titles = ", ".join(f"{title} ({posting})" for posting, title in sorted(state.index.titles.items()))
            return ChatAnswer(
                answer=texts["which_posting"].format(postings=titles),
                status="not_found",
                citations=[],
                mode=mode,
                answer_type="clarify",
                language=state.language,
            )
        fallback = self.composer.compose(state).model_copy(update={"mode": mode})
        if verdict.action == "sensitive":
            state.preface = texts["sensitive"] + "\n\n"
        selected = [ref for part in state.parts for ref in part.selected]
        chunks = list({c.metadata["chunk_id"]: c for part in state.parts for c in part.retrieval.chunks}.values())
        # In LLM mode the model reads the retrieved passages for every question the guards let through: the
        # decision misses facts named once in a long sentence ("... and restricted stock units"), the model need not.
        grey_zone = mode == "llm" and fallback.answer_type in ("closest", "not_covered") and bool(chunks)
        if fallback.status != "answered" and not grey_zone:
            return fallback
        evidence = Evidence(
            question=state.message,
            standalone=state.standalone,
            history=state.history,
            chunks=chunks,
            selected=selected,
            today=state.today,
            fallback=fallback,
            language=state.language,
            not_found=self.composer.unanswered(state).model_copy(update={"mode": mode}),
            units=state.units,
        )
        return evidence

    def ask(self, message: str, history: list[dict] | None = None, posting: str | None = None) -> EngineResult:
        """Answer one message in the context of the conversation so far."""
        started = time.perf_counter()
        state = self.pipeline.prepare(message, history or [], posting)
        final = self._finish(state)
        if isinstance(final, Evidence):
            evidence = final
            answer_started = time.perf_counter()
            final = _prefaced(self.answerer.answer(evidence), state)
            state.timings["answer_ms"] = (time.perf_counter() - answer_started) * 1000
            state.notes["llm"] = evidence.notes.get("llm")
        return EngineResult(final, trace_of(state, final, started))

    def stream_with_trace(
        self, message: str, history: list[dict] | None = None, posting: str | None = None
    ) -> Iterator[tuple[str, Any]]:
        """Yield ("delta", {...}) events, ("citations", [...]), ("done", {...}), then ("result", EngineResult).

        The last item is for callers that store the exchange; clients get the first three.
        """
        started = time.perf_counter()
        state = self.pipeline.prepare(message, history or [], posting)
        outcome = self._finish(state)
        if isinstance(outcome, Evidence):
            evidence = outcome
            final: ChatAnswer | None = None
            answer_started = time.perf_counter()
            if state.preface:
                yield "delta", {"text": state.preface}
            for item in self.answerer.stream(evidence):
                if isinstance(item, ChatAnswer):
                    final = item
                elif item:
                    yield "delta", {"text": item}
            state.timings["answer_ms"] = (time.perf_counter() - answer_started) * 1000
            state.notes["llm"] = evidence.notes.get("llm")
            final = _prefaced(final or evidence.fallback, state)
        else:
            final = outcome
            yield "delta", {"text": final.answer}
        yield "citations", [c.model_dump() for c in final.citations]
        yield "done", final.model_dump()
        yield "result", EngineResult(final, trace_of(state, final, started))


def _prefaced(answer: ChatAnswer, state: State) -> ChatAnswer:
    """Put the fixed preface (for sensitive messages) before any answerer's text."""
    return answer.model_copy(update={"answer": state.preface + answer.answer}) if state.preface else answer
