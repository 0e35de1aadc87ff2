"""The "Recruiting team answers" document: approved answers to candidates' questions, as knowledge.

Each answer is a section of one Markdown file in the posting's folder: the
question is the heading, the answer its text, so retrieval finds it and
answers quote and cite it like any passage. Who wrote each answer and when
is kept in the file's front matter, so the file alone says everything and
restoring an older version of the posting restores its answers too.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass

from bot.knowledge.documents import KnowledgeError, split_front_matter
from bot.knowledge.postings import compose

FILE_NAME = "recruiting-team-answers.md"
TITLE = "Recruiting team answers"
SOURCE = "recruiter console: curated answers"
MAX_QUESTION_CHARS = 300
MAX_ANSWER_CHARS = 4000
_SECTION = re.compile(r"^##\s+(.+?)\s*#*\s*$", re.M)
_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}\s", re.M)


class CuratedAnswerError(ValueError):
    """A question or answer cannot be kept as written; the message says why."""


@dataclass(frozen=True)
class CuratedAnswer:
    """One approved answer, with who wrote it and when."""

    question: str
    answer: str
    author: str = ""
    created_at: str = ""

    @property
    def id(self) -> str:
        """A stable id for the answer, derived from its question."""
        return answer_id(self.question)

    def as_dict(self) -> dict:
        """Return the answer as JSON-ready data, with its id."""
        return {"id": self.id, **asdict(self)}


def _key(question: str) -> str:
    return " ".join(question.split()).casefold()


def answer_id(question: str) -> str:
    """Return the id of the answer to a question (the same for any spacing or case)."""
    return hashlib.sha256(_key(question).encode("utf-8")).hexdigest()[:12]


def check(question: str, answer: str) -> tuple[str, str]:
    """Return the question and answer tidied, or raise naming what is wrong with them."""
    question = " ".join(question.split())
    answer = answer.replace("\r\n", "\n").strip()
    if not question:
        raise CuratedAnswerError("The question is empty.")
    if not answer:
        raise CuratedAnswerError("The answer is empty.")
    if len(question) > MAX_QUESTION_CHARS:
        raise CuratedAnswerError(f"The question is longer than {MAX_QUESTION_CHARS} characters.")
    if len(answer) > MAX_ANSWER_CHARS:
        raise CuratedAnswerError(f"The answer is longer than {MAX_ANSWER_CHARS} characters.")
    if question.startswith("#"):
        raise CuratedAnswerError("The question cannot start with '#'.")
    if _HEADING_LINE.search(answer):
        raise CuratedAnswerError(
            "The answer has a line starting with '#', which would make it a heading of its own; write it as text."
        )
    return question, answer


def parse(text: str, path: str = FILE_NAME) -> list[CuratedAnswer]:
    """Read the answers of a "Recruiting team answers" file (authors and dates from its front matter)."""
    try:
        meta, body = split_front_matter(text, path)
    except KnowledgeError:
        meta, body = {}, text
    written = {
        _key(str(item.get("question", ""))): item for item in meta.get("answers") or [] if isinstance(item, dict)
    }
    headings = list(_SECTION.finditer(body))
    answers = []
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        end = following.start() if following else len(body)
        question = heading.group(1).strip()
        item = written.get(_key(question), {})
        answers.append(
            CuratedAnswer(
                question=question,
                answer=body[heading.end() : end].strip(),
                author=str(item.get("author", "")),
                created_at=str(item.get("created_at", "")),
            )
        )
    return answers


def render(posting_id: str, title: str, answers: list[CuratedAnswer]) -> str:
    """Write the answers as the posting's "Recruiting team answers" file."""
    sections = "\n\n".join(f"## {a.question}\n\n{a.answer}" for a in answers)
    written = [{"question": a.question, "author": a.author, "created_at": a.created_at} for a in answers]
    return compose(posting_id, title, SOURCE, f"# {TITLE}\n\n{sections}", {"answers": written})


def with_answer(answers: list[CuratedAnswer], answer: CuratedAnswer) -> list[CuratedAnswer]:
    """Return the answers with this one added, or replacing the answer to the same question."""
    kept = [a for a in answers if a.id != answer.id]
    return [*kept, answer] if len(kept) == len(answers) else [answer if a.id == answer.id else a for a in answers]


def without_answer(answers: list[CuratedAnswer], identifier: str) -> list[CuratedAnswer]:
    """Return the answers without the one with this id."""
    return [a for a in answers if a.id != identifier]
