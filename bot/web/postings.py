"""The console's postings API: list, edit, upload, preview, publish, delete, versions and restore, import.

Every route is under `/api/recruiter` and needs a recruiter account (the
parent router checks it; routes that change knowledge take the account
name, which the version records). Pasted text and uploads are converted to
Markdown (bot.knowledge.convert), checked and previewed with the engine's
own loader and chunker (bot.knowledge.drafts), and published by writing
files and reloading (bot.web.publishing). Problems are 4xx answers naming
the document and what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, UploadFile
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from bot.engine.engine import Engine
from bot.knowledge import curated
from bot.knowledge.convert import ConversionError, check_supported, file_to_markdown
from bot.knowledge.documents import split_front_matter
from bot.knowledge.drafts import DraftDocument, DraftError, check_files, draft_files, pasted, preview, title_of
from bot.knowledge.jobposting import JobPostingError, import_job_posting
from bot.knowledge.postings import PostingFilesError, StoredFile, check_posting_id
from bot.records.schema import MAX_ID
from bot.records.versions import PostingVersion
from bot.web.publishing import Publisher, PublishError

REFUSED = (DraftError, PostingFilesError, ConversionError, JobPostingError, curated.CuratedAnswerError)


class DocumentIn(BaseModel):
    """One document: a name (its suffix says how to read the text: .md, .txt or .html) and its text."""

    name: str = Field(min_length=1, max_length=200, description="Document name, e.g. posting.md or benefits.txt.")
    text: str = Field(description="The document's text: Markdown, plain text or HTML, by the name's suffix.")


class PostingIn(BaseModel):
    """A posting's title and the documents that replace its current ones."""

    title: str | None = Field(default=None, max_length=300, description="Default: the current title or first heading.")
    documents: list[DocumentIn] = Field(description="Every document of the posting (curated answers are kept).")


class ImportIn(BaseModel):
    """A careers page's HTML, carrying schema.org JobPosting JSON-LD."""

    html: str = Field(min_length=1, description="The page's HTML source.")


def refused(exc: Exception) -> HTTPException:
    """Turn a refused change into the HTTP answer that names the problem."""
    status = exc.status if isinstance(exc, PublishError) else 422
    return HTTPException(status_code=status, detail=str(exc))


def curated_file(files: list[StoredFile]) -> StoredFile | None:
    """Return the posting's "Recruiting team answers" file, if it has one."""
    return next((f for f in files if f.name == curated.FILE_NAME), None)


def retitled(posting_id: str, stored: StoredFile | None, title: str) -> list[StoredFile]:
    """Return the curated answers file under the posting's (new) title, or nothing when there is none."""
    if stored is None:
        return []
    return [StoredFile(stored.path, curated.render(posting_id, title, curated.parse(stored.text, stored.path)))]


def _body(stored: StoredFile) -> str:
    try:
        return split_front_matter(stored.text, stored.path)[1]
    except ValueError:
        return stored.text


VersionNumber = Annotated[int, Path(ge=1, le=MAX_ID, description="The version's number (1 is the first).")]


async def _read_upload(upload: UploadFile, limit: int) -> tuple[str, bytes]:
    name = upload.filename or "upload"
    check_supported(name)
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(status_code=413, detail=f"{name} is larger than {limit} bytes (MAX_UPLOAD_BYTES).")
    return name, data


def router(engine: Engine, publisher: Publisher, upload_limit: int, account: Callable[..., object]) -> APIRouter:
    """Return the postings routes; `account` is the dependency that names the signed-in recruiter."""
    api = APIRouter(tags=["recruiter: postings"])

    def checked_id(posting_id: str) -> str:
        try:
            return check_posting_id(posting_id)
        except PostingFilesError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc

    def current_title(posting_id: str, files: list[StoredFile]) -> str | None:
        title = engine.index.titles.get(posting_id)
        return title if files and title else None

    def draft(posting_id: str, body: PostingIn) -> tuple[str, list[StoredFile]]:
        """Return the title and files a PUT body asks for (the curated answers file kept), checked."""
        try:
            documents = [pasted(d.name, d.text) for d in body.documents]
            existing = publisher.files(posting_id)
            title = (body.title or "").strip() or current_title(posting_id, existing) or title_of(documents, posting_id)
            files = draft_files(posting_id, title, documents) + retitled(posting_id, curated_file(existing), title)
            check_files(files, posting_id, engine.settings)
        except REFUSED as exc:
            raise refused(exc) from exc
        return title, files

    def publish(posting_id: str, files: list[StoredFile], author: str, action: str, title: str) -> dict:
        try:
            published = publisher.publish(posting_id, files, author, action, title)
        except PublishError as exc:
            raise refused(exc) from exc
        return {"posting_id": posting_id, "title": title, **published.as_dict()}

    def known(posting_id: str) -> PostingVersion:
        latest = publisher.sync(posting_id).get(posting_id)
        if latest is None:
            raise HTTPException(status_code=404, detail=f"There is no posting '{posting_id}'.")
        return latest

    @api.get("/postings", summary="Every posting: title, documents, curated answers, newest version")
    def list_postings() -> dict:
        """List postings on disk, and deleted ones that can be restored, with who changed each last and when."""
        latest = publisher.sync()
        chunks: dict[str, int] = {}
        for chunk in engine.chunks:
            chunks[chunk.metadata["posting_id"]] = chunks.get(chunk.metadata["posting_id"], 0) + 1
        postings = []
        for posting_id, version in sorted(latest.items()):
            answers = curated_file(version.files)
            postings.append(
                {
                    "id": posting_id,
                    "title": engine.index.titles.get(posting_id) or version.title,
                    "deleted": version.deleted,
                    "documents": [f.path for f in version.files if f != answers],
                    "answers": len(curated.parse(answers.text, answers.path)) if answers else 0,
                    "chunks": chunks.get(posting_id, 0),
                    "version": version.version,
                    "changed_by": version.author,
                    "changed_at": version.created_at,
                    "change": version.action,
                }
            )
        return {"postings": postings}

    @api.get("/postings/{posting_id}", summary="One posting's documents, as the editor shows them")
    def get_posting(posting_id: str) -> dict:
        """Return the title and each document's Markdown (without front matter); curated answers separately."""
        latest = known(checked_id(posting_id))
        files = publisher.files(posting_id)
        answers = curated_file(files)
        return {
            "id": posting_id,
            "title": current_title(posting_id, files) or latest.title,
            "version": latest.version,
            "documents": [{"name": f.name, "path": f.path, "text": _body(f)} for f in files if f != answers],
            "answers": [a.as_dict() for a in curated.parse(answers.text)] if answers else [],
        }

    @api.put("/postings/{posting_id}", summary="Create a posting or replace its documents, and publish")
    def put_posting(posting_id: str, body: PostingIn, author: str = Depends(account)) -> dict:
        """Write the documents (converted to Markdown), reload, and record the change as a new version."""
        title, files = draft(checked_id(posting_id), body)
        action = "updated" if publisher.files(posting_id) else "created"
        return publish(posting_id, files, author, action, title)

    @api.post("/postings/{posting_id}/preview", summary="Preview the sections and chunks of a PUT body")
    def preview_posting(posting_id: str, body: PostingIn) -> dict:
        """Show what publishing this body would give the engine, without writing anything."""
        title, files = draft(checked_id(posting_id), body)
        documents = preview(files, posting_id, engine.settings)
        return {
            "posting_id": posting_id,
            "title": title,
            "chunks": sum(d["chunks"] for d in documents),
            "documents": documents,
        }

    @api.post("/postings/{posting_id}/documents", summary="Upload documents (.md .txt .html .pdf .docx) and publish")
    async def upload_documents(
        posting_id: str,
        files: Annotated[list[UploadFile], File(description="One or more files: .md, .txt, .html, .pdf or .docx.")],
        title: Annotated[str | None, Form(max_length=300, description="The posting's title (new postings).")] = None,
        author: str = Depends(account),
    ) -> dict:
        """Convert each file to Markdown, add it to the posting (replacing a document of the same name), publish."""
        checked_id(posting_id)
        try:
            documents = []
            for upload in files:
                name, data = await _read_upload(upload, upload_limit)
                markdown = await run_in_threadpool(file_to_markdown, name, data)  # a large file must not stall the loop
                documents.append(DraftDocument(name, markdown, f"uploaded in the recruiter console: {name}"))
            existing = publisher.files(posting_id)
            chosen = (title or "").strip() or current_title(posting_id, existing) or title_of(documents, posting_id)
            added = draft_files(posting_id, chosen, documents)
            replaced = {f.path for f in added}
            kept = [f for f in existing if f.path not in replaced and f != curated_file(existing)]
            new = kept + added + retitled(posting_id, curated_file(existing), chosen)
            check_files(new, posting_id, engine.settings)
        except REFUSED as exc:
            raise refused(exc) from exc
        names = ", ".join(d.name for d in documents)
        note = f"uploaded {names}" if existing else f"created from {names}"
        return await run_in_threadpool(publish, posting_id, new, author, note, chosen)

    @api.delete("/postings/{posting_id}", summary="Delete a posting (it can be restored from its versions)")
    def delete_posting(posting_id: str, author: str = Depends(account)) -> dict:
        """Remove the posting's files and reload; the deletion is a version, so an earlier one can be restored."""
        latest = known(checked_id(posting_id))
        if latest.deleted:
            raise HTTPException(status_code=404, detail=f"Posting '{posting_id}' is already deleted.")
        return publish(posting_id, [], author, "deleted", latest.title)

    @api.get("/postings/{posting_id}/versions", summary="Every version of a posting, newest first")
    def versions(posting_id: str) -> dict:
        """Return who changed the posting, when, what they did, and which documents it had."""
        known(checked_id(posting_id))
        return {"posting_id": posting_id, "versions": [v.summary() for v in publisher.versions.history(posting_id)]}

    @api.get("/postings/{posting_id}/versions/{n}", summary="One version with the full text of its documents")
    def version(posting_id: str, n: VersionNumber) -> dict:
        """Return a version's documents in full, as they were written."""
        found = publisher.versions.get(checked_id(posting_id), n)
        if found is None:
            raise HTTPException(status_code=404, detail=f"Posting '{posting_id}' has no version {n}.")
        return {**found.summary(), "files": [{"path": f.path, "text": f.text} for f in found.files]}

    @api.post("/postings/{posting_id}/versions/{n}/restore", summary="Roll a posting back to one of its versions")
    def restore(posting_id: str, n: VersionNumber, author: str = Depends(account)) -> dict:
        """Write that version's documents back, reload, and record the restore as a new version."""
        checked_id(posting_id)
        known(posting_id)
        found = publisher.versions.get(posting_id, n)
        if found is None:
            raise HTTPException(status_code=404, detail=f"Posting '{posting_id}' has no version {n}.")
        return publish(posting_id, found.files, author, f"restored version {n}", found.title)

    @api.post("/convert", summary="Convert uploaded files to Markdown for the editor (nothing is published)")
    async def convert(
        files: Annotated[list[UploadFile], File(description="One or more files: .md, .txt, .html, .pdf or .docx.")],
    ) -> dict:
        """Return each file as a document the editor can show, preview and publish."""
        documents = []
        try:
            for upload in files:
                name, data = await _read_upload(upload, upload_limit)
                stem = name.rsplit(".", 1)[0]
                markdown = await run_in_threadpool(file_to_markdown, name, data)
                documents.append({"name": f"{stem}.md", "text": markdown, "source": name})
        except REFUSED as exc:
            raise refused(exc) from exc
        return {"documents": documents}

    @api.post("/import", summary="Read a posting from a careers page's schema.org JobPosting JSON-LD")
    def import_page(body: ImportIn) -> dict:
        """Return a suggested posting id, its title and one Markdown document stating only what the JSON-LD states."""
        try:
            imported = import_job_posting(body.html)
        except JobPostingError as exc:
            raise refused(exc) from exc
        return {
            "posting_id": imported.posting_id,
            "title": imported.title,
            "job_postings_found": imported.found,
            "documents": [{"name": "posting.md", "text": imported.markdown}],
        }

    return api
