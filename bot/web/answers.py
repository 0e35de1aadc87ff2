"""Curated answers: the recruiting team answers a question candidates ask, and it becomes knowledge.

`POST /api/recruiter/postings/{posting_id}/answers` adds the answer (or
replaces the answer to the same question) in the posting's "Recruiting team
answers" document and publishes it, so the engine retrieves and cites it
like any passage; the reply says what a candidate asking that question now
gets. The guards still apply: a question the guards refuse or answer from a
policy would never reach the answer, and an answer carrying personal data
or instructions to the assistant is refused, each with a 422 naming why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from bot.engine.engine import Engine
from bot.engine.guards import Guards, load_guards
from bot.knowledge import curated
from bot.knowledge.drafts import DraftError, check_files
from bot.knowledge.postings import StoredFile
from bot.records.redaction import knowledge_emails, personal_data
from bot.web.postings import curated_file, refused
from bot.web.publishing import Publisher, PublishError

PERSONAL_DATA = {
    "email": "an email address the posting does not already publish",
    "phone": "a phone number",
    "ssn": "a social security number",
    "id": "an identity or account number",
    "card": "a card number",
    "address": "a street address",
}
ANSWER_GUARDS = {
    "personal_data": "personal data",
    "injection": "instructions to the assistant",
    "prompt_extraction": "a request for the assistant's instructions",
}


class AnswerIn(BaseModel):
    """A question candidates ask and the recruiting team's answer to it."""

    question: str = Field(description="The question, as candidates ask it; it becomes the section heading.")
    answer: str = Field(description="The approved answer, as plain text; answers quote it verbatim.")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def guard_problem(question: str, answer: str, allowed_emails: frozenset[str], guards: Guards) -> str | None:
    """Return why the guards refuse this curated answer, or None when it may be published."""
    verdict = guards.check(question)
    category = (verdict.category or "").replace("_", " ")
    if verdict.action == "refuse":
        return (
            f"Candidates who ask this are refused by the guards ({category}) before the knowledge is searched, "
            "so this answer would never be given."
        )
    if verdict.action == "sensitive":
        return f"The guards answer this question from the posting's policy ({category}), so this answer would never be given."
    kinds = [kind for text in (question, answer) for kind in personal_data(text, allowed_emails)[1]]
    if kinds:
        found = ", ".join(dict.fromkeys(PERSONAL_DATA.get(k, k) for k in kinds))
        return f"The curated answer contains personal data ({found}); every candidate would see it, so leave it out."
    flagged = guards.check(answer)
    if flagged.action == "refuse" and flagged.category in ANSWER_GUARDS:
        return f"The answer reads like {ANSWER_GUARDS[flagged.category]} to the guards; write it as a plain answer."
    return None


def router(engine: Engine, publisher: Publisher, account: Callable[..., object]) -> APIRouter:
    """Return the curated-answer routes; `account` is the dependency that names the signed-in recruiter."""
    api = APIRouter(tags=["recruiter: curated answers"])
    guards = load_guards(engine.settings.prompts_dir / "guards.yaml")

    def posting_files(posting_id: str) -> list[StoredFile]:
        files = publisher.files(posting_id)
        if not files:
            raise HTTPException(status_code=404, detail=f"There is no posting '{posting_id}'.")
        return files

    def answers_of(files: list[StoredFile]) -> list[curated.CuratedAnswer]:
        stored = curated_file(files)
        return curated.parse(stored.text, stored.path) if stored else []

    def publish_answers(
        posting_id: str, files: list[StoredFile], answers: list[curated.CuratedAnswer], author: str, action: str
    ) -> dict:
        title = engine.index.titles.get(posting_id) or posting_id
        stored = curated_file(files)
        others = [f for f in files if f != stored]
        new = others + (
            [StoredFile(f"{posting_id}/{curated.FILE_NAME}", curated.render(posting_id, title, answers))]
            if answers
            else []
        )
        try:
            check_files(new, posting_id, engine.settings)
            return publisher.publish(posting_id, new, author, action, title).as_dict()
        except (DraftError, PublishError) as exc:
            raise refused(exc) from exc

    @api.get("/postings/{posting_id}/answers", summary="The posting's curated answers, with author and date")
    def list_answers(posting_id: str) -> dict:
        """Return every curated answer of the posting, in the order of its document."""
        return {"posting_id": posting_id, "answers": [a.as_dict() for a in answers_of(posting_files(posting_id))]}

    @api.post("/postings/{posting_id}/answers", status_code=201, summary="Add or change a curated answer, and publish")
    def add_answer(posting_id: str, body: AnswerIn, author: str = Depends(account)) -> dict:
        """Publish the answer as part of the posting's knowledge and say what candidates asking it now get."""
        files = posting_files(posting_id)
        try:
            question, text = curated.check(body.question, body.answer)
        except curated.CuratedAnswerError as exc:
            raise refused(exc) from exc
        problem = guard_problem(question, text, knowledge_emails(publisher.root), guards)
        if problem:
            raise HTTPException(status_code=422, detail=problem)
        answers = answers_of(files)
        answer = curated.CuratedAnswer(question, text, author, _now())
        changed = any(a.id == answer.id for a in answers)
        action = f"{'changed' if changed else 'added'} curated answer: {question}"
        published = publish_answers(posting_id, files, curated.with_answer(answers, answer), author, action)
        check = engine.ask(question, [], posting_id).response
        return {
            **published,
            "answer": answer.as_dict(),
            "check": {
                "status": check.status,
                "answer": check.answer,
                "citations": [c.model_dump() for c in check.citations],
                "cites_this_answer": any(
                    c.section == question and c.source.endswith(curated.FILE_NAME) for c in check.citations
                ),
            },
        }

    @api.delete("/postings/{posting_id}/answers/{answer_id}", summary="Remove a curated answer, and publish")
    def delete_answer(posting_id: str, answer_id: str, author: str = Depends(account)) -> dict:
        """Take the answer out of the posting's knowledge (a new version; restore an older one to undo)."""
        files = posting_files(posting_id)
        answers = answers_of(files)
        found = next((a for a in answers if a.id == answer_id), None)
        if found is None:
            raise HTTPException(status_code=404, detail=f"Posting '{posting_id}' has no curated answer '{answer_id}'.")
        kept = curated.without_answer(answers, answer_id)
        return publish_answers(posting_id, files, kept, author, f"removed curated answer: {found.question}")

    return api
