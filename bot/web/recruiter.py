"""The recruiter console: the `/recruiter` page and the `/api/recruiter/...` routes behind it.

Recruiters try questions with the evidence behind each answer, run golden
sets, read feedback, see grouped knowledge gaps, reload the knowledge,
manage postings and curated answers (bot.web.postings, bot.web.answers)
and export the kept data. Every API route requires a recruiter account
(bot.web.auth: a named account, or `RECRUITER_PASSWORD`); the page itself
holds no data and asks for the credential. The app includes this router
only when `RECRUITER_PASSWORD` is set or an account exists, so otherwise
there is no console at all.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from fastapi import APIRouter, Depends, File, HTTPException, Query, UploadFile
from fastapi.responses import FileResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field

from bot.config import Settings
from bot.engine.engine import Engine, UnknownPostingError
from bot.evaluation.golden import GoldenSetError, load_golden, results_to_csv, run_golden
from bot.knowledge.documents import KnowledgeError
from bot.records.accounts import Accounts
from bot.records.database import Database, StorageError
from bot.records.export import export_csv, export_json
from bot.records.repository import Repository
from bot.records.versions import PostingVersions
from bot.web import answers, postings
from bot.web.auth import RecruiterAuth
from bot.web.gaps import DEFAULT_SIMILARITY, CachedEmbed, group_gaps, recheck
from bot.web.publishing import Publisher
from bot.web.ratelimit import SignInLimiter

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_FILE = STATIC_DIR / "recruiter.html"
ASSETS = {
    "recruiter.js": "text/javascript; charset=utf-8",
    "recruiter-postings.js": "text/javascript; charset=utf-8",
    "recruiter.css": "text/css; charset=utf-8",
}
MAX_GOLDEN_BYTES = 1_000_000
MAX_GOLDEN_ROWS = 2_000  # each row is a full answer; a run is one request, so a larger set is split by the recruiter
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


class TryRequest(BaseModel):
    """A question asked from the console, as a candidate would ask it."""

    message: str = Field(min_length=1, description="The candidate's question.")
    posting: str | None = Field(default=None, description="Posting id; default is the configured one.")


class GoldenSaveRequest(BaseModel):
    """A golden set as CSV text, to keep as the console's saved set."""

    csv: str = Field(min_length=1, max_length=MAX_GOLDEN_BYTES)


class GoldenRunRequest(BaseModel):
    """A golden set as CSV text: question, must_mention, must_not_mention, expected_status, notes."""

    csv: str = Field(min_length=1, max_length=MAX_GOLDEN_BYTES)
    posting: str | None = Field(default=None, description="Posting id to ask about; default is the configured one.")


def _plain(value: Any) -> Any:
    """Return value as JSON-ready data (numpy scalars and dataclasses included)."""

    def default(obj: Any) -> Any:
        if isinstance(obj, np.generic):
            return obj.item()
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return dataclasses.asdict(obj)
        if isinstance(obj, BaseModel):
            return obj.model_dump()
        return str(obj)

    return json.loads(json.dumps(value, default=default))


def _golden_response(engine: Engine, text: str, posting: str | None = None) -> dict:
    """Run a golden set given as CSV text; a malformed set (or an unknown posting) is a 422 naming it."""
    try:
        cases = load_golden(text)
        if len(cases) > MAX_GOLDEN_ROWS:
            raise GoldenSetError(
                f"The golden set has {len(cases)} questions; run at most {MAX_GOLDEN_ROWS} at a time (split the file)."
            )
        results = run_golden(engine, cases, engine.resolve_posting(posting) if posting else None)
    except (GoldenSetError, UnknownPostingError) as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc
    passed = sum(1 for result in results if result.passed)
    return {
        "summary": {"total": len(results), "passed": passed, "failed": len(results) - passed},
        "results": _plain(results),
        "csv": results_to_csv(results),
    }


def _attachment(body: str, filename: str, media_type: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def router(
    engine: Engine,
    repository: Repository,
    settings: Settings,
    sign_in: SignInLimiter | None = None,
    on_reload: Callable[[], None] | None = None,
    *,
    database: Database,
) -> APIRouter:
    """Return the console page and its API, guarded by recruiter accounts and `settings.recruiter_password`.

    `sign_in` refuses an address after too many wrong passwords; `on_reload`
    runs after a knowledge reload (it tells the other replicas); `database`
    holds the accounts and the posting versions.
    """
    account = RecruiterAuth(settings, Accounts(database), sign_in)
    publisher = Publisher(engine, PostingVersions(database), on_reload)

    page = APIRouter()
    api = APIRouter(prefix="/api/recruiter", tags=["recruiter"], dependencies=[Depends(account)])

    @page.get("/recruiter", include_in_schema=False)
    def console_page() -> FileResponse:
        """Serve the console; it asks for the password before showing anything."""
        return FileResponse(PAGE_FILE, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    @page.get("/recruiter/{asset}", include_in_schema=False)
    def console_asset(asset: str) -> FileResponse:
        """Serve the console's script and style sheet."""
        if asset not in ASSETS:
            raise HTTPException(status_code=404, detail="Not found.")
        return FileResponse(STATIC_DIR / asset, media_type=ASSETS[asset], headers={"Cache-Control": "no-cache"})

    @api.get("/session", summary="Check the recruiter credential")
    def session(name: str = Depends(account)) -> dict:
        """Return ok and the account name when the credential is right (the page's login check)."""
        return {"ok": True, "mode": engine.answerer.mode, "account": name}

    @api.post("/try", summary="Ask a question and see the evidence behind the answer")
    def try_question(body: TryRequest) -> dict:
        """Answer as a candidate would see it, with the trace: scores, used sentences, timings."""
        if len(body.message) > settings.max_message_chars:
            raise HTTPException(
                status_code=422, detail=f"The question is longer than {settings.max_message_chars} characters."
            )
        try:
            result = engine.ask(body.message, [], body.posting)
        except UnknownPostingError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        return {"response": result.response.model_dump(), "trace": _plain(result.trace)}

    golden_file = settings.golden_set_file

    @api.get("/golden", summary="The saved golden set as CSV", response_class=PlainTextResponse)
    def golden_set() -> PlainTextResponse:
        """Return the golden set saved in GOLDEN_SET_PATH (default DATA_DIR/golden.csv)."""
        if not golden_file.is_file():
            raise HTTPException(
                status_code=404, detail="No golden set is saved yet: open a CSV file or paste one, then save it."
            )
        return PlainTextResponse(golden_file.read_text(encoding="utf-8"), media_type="text/csv; charset=utf-8")

    @api.put("/golden", summary="Save a golden set as the console's saved set")
    def golden_save(body: GoldenSaveRequest) -> dict:
        """Check a golden set (a malformed one is a 422 naming the row) and keep it for the next visit."""
        try:
            cases = load_golden(body.csv)
        except GoldenSetError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        golden_file.parent.mkdir(parents=True, exist_ok=True)
        staged = golden_file.with_suffix(".csv.tmp")
        staged.write_text(body.csv, encoding="utf-8")
        staged.replace(golden_file)  # a reader never sees half a file
        return {"saved": len(cases)}

    @api.post("/golden/run", summary="Run a golden set given as CSV text")
    def golden_run(body: GoldenRunRequest) -> dict:
        """Return a pass/fail row per case with the reasons for failures, plus the results as CSV."""
        return _golden_response(engine, body.csv, body.posting)

    @api.post("/golden/upload", summary="Run an uploaded golden-set CSV file")
    def golden_upload(
        file: Annotated[UploadFile, File(description="Golden-set CSV file.")],
        posting: Annotated[str | None, Query(description="Posting id to ask about.")] = None,
    ) -> dict:
        """Like /golden/run, for a CSV file sent as multipart form data."""
        data = file.file.read(MAX_GOLDEN_BYTES + 1)
        if len(data) > MAX_GOLDEN_BYTES:
            raise HTTPException(status_code=413, detail=f"The file is larger than {MAX_GOLDEN_BYTES} bytes.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise HTTPException(status_code=422, detail="The file is not UTF-8 text; save it as CSV UTF-8.") from exc
        return _golden_response(engine, text, posting)

    @api.get("/feedback", summary="Feedback from candidates, newest first")
    def feedback(limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> dict:
        """Return ratings and comments with the question and answer they rated."""
        return {"feedback": repository.feedback(limit)}

    gap_embed = CachedEmbed(lambda texts: engine.embeddings.embed_documents(texts))

    @api.get("/gaps", summary="Unanswered and down-voted questions, grouped by similarity")
    def gaps(
        similarity: Annotated[float, Query(ge=0.1, le=0.95)] = DEFAULT_SIMILARITY,
        check: Annotated[bool, Query(description="Ask each unanswered gap again and say what it gets now.")] = False,
    ) -> dict:
        """Group not_found questions and down-voted answers so each gap shows once with a count."""
        not_found = group_gaps(repository.not_found_questions(), gap_embed, similarity)
        return {
            "similarity": similarity,
            "not_found": recheck(not_found, engine) if check else not_found,
            "downvoted": group_gaps(
                [{**row, "question": row["question"] or row["answer"]} for row in repository.downvoted()],
                gap_embed,
                similarity,
            ),
        }

    @api.post("/reload", summary="Re-ingest knowledge/ and show what changed")
    def reload(name: str = Depends(account)) -> dict:
        """Swap in a fresh index without a restart; a malformed document is a 422 naming the file."""
        try:
            report = engine.reload()
        except KnowledgeError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        summary = report.as_dict()
        try:
            if on_reload is not None:
                on_reload()
            repository.record_event(
                "knowledge_reload",
                {
                    "account": name,
                    **{key: summary[key] for key in ("added", "changed", "removed", "unchanged", "total")},
                },
            )
            publisher.sync()  # files edited by hand and reloaded become versions now
        except StorageError as exc:
            raise HTTPException(
                status_code=503,
                detail="The knowledge was reloaded on this replica, but the database is unavailable, so other "
                "replicas were not told. Reload again once it is back.",
            ) from exc
        logger.info("knowledge reloaded", extra={"event": "knowledge_reload", "account": name, **summary})
        return summary

    @api.get("/overview", summary="Questions per day, answer shares, median latency")
    def overview() -> dict:
        """Return the numbers at the top of the console, with the engine's health."""
        return {**repository.overview(), "health": _plain(engine.health())}

    @api.get("/export", summary="Download the kept conversations and feedback")
    def export(
        format: Literal["json", "csv"] = "json",
        table: Annotated[Literal["messages", "feedback"], Query(description="CSV only.")] = "messages",
    ) -> Response:
        """Return everything kept (already redacted, session ids hashed) as JSON, or one table as CSV."""
        if format == "json":
            return _attachment(export_json(repository), "careers-chat-export.json", "application/json")
        return _attachment(export_csv(repository, table), f"careers-chat-{table}.csv", "text/csv; charset=utf-8")

    api.include_router(postings.router(engine, publisher, settings.max_upload_bytes, account))
    api.include_router(answers.router(engine, publisher, account))
    page.include_router(api)
    return page
