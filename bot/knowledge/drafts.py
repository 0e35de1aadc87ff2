"""Turn what a recruiter wrote for a posting into the files to publish, check them, and preview their chunks.

A draft is a title and named documents (pasted text or converted uploads).
Each document becomes `knowledge/<posting_id>/<name>.md` with front matter
naming the posting and its title, exactly as it will be written. Checking
loads every file the way the engine will and chunks it with the engine's
chunker, so a document that would fail to load, or would give no chunk to
answer from, is refused naming it before anything is written; the preview
shows the same sections and chunks the engine will search.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.knowledge import curated
from bot.knowledge.chunking import chunk_documents
from bot.knowledge.convert import ConversionError, text_to_markdown
from bot.knowledge.documents import KnowledgeDocument, KnowledgeError, humanize, parse_document
from bot.knowledge.postings import StoredFile, compose, document_path

MAX_DOCUMENTS = 50
MAX_DOCUMENT_CHARS = 500_000
_FIRST_HEADING = "# "


class DraftError(ValueError):
    """A draft cannot be published; the message names the document and the problem."""


@dataclass(frozen=True)
class DraftDocument:
    """One document of a draft: its name, its Markdown, and where it came from."""

    name: str
    markdown: str
    source: str


def pasted(name: str, text: str, source: str = "pasted in the recruiter console") -> DraftDocument:
    """Return a pasted document as Markdown (read by its name's suffix); refuse an empty or huge one."""
    label = name.strip() or "(unnamed)"
    if not text.strip():
        raise DraftError(f"Document '{label}' is empty.")
    if len(text) > MAX_DOCUMENT_CHARS:
        raise DraftError(f"Document '{label}' is too large: at most {MAX_DOCUMENT_CHARS} characters.")
    try:
        markdown = text_to_markdown(name, text)
    except ConversionError as exc:
        raise DraftError(str(exc)) from exc
    if not markdown.strip():
        raise DraftError(f"Document '{label}' has no text.")
    return DraftDocument(name, markdown, source)


def title_of(documents: list[DraftDocument], posting_id: str) -> str:
    """Return the first `# ` heading of the documents, else the posting id made readable."""
    for document in documents:
        for line in document.markdown.splitlines():
            if line.startswith(_FIRST_HEADING):
                return line[len(_FIRST_HEADING) :].strip()
    return humanize(posting_id)


def draft_files(posting_id: str, title: str, documents: list[DraftDocument]) -> list[StoredFile]:
    """Return the files a draft becomes; refuse duplicate, reserved or too many names."""
    if not documents:
        raise DraftError("A posting needs at least one document.")
    if len(documents) > MAX_DOCUMENTS:
        raise DraftError(f"A posting can have at most {MAX_DOCUMENTS} documents.")
    files: dict[str, StoredFile] = {}
    for document in documents:
        path = document_path(posting_id, document.name)
        if path.endswith("/" + curated.FILE_NAME):
            raise DraftError(f"'{document.name}' is the name of the curated answers document; choose another name.")
        if path in files:
            raise DraftError(f"Two documents would both be saved as {path}; give them different names.")
        files[path] = StoredFile(path, compose(posting_id, title, document.source, document.markdown))
    return list(files.values())


def load_files(files: list[StoredFile], posting_id: str) -> list[KnowledgeDocument]:
    """Load files the way the engine will; raise DraftError naming the one that fails."""
    documents = []
    for stored in files:
        is_markdown = stored.path.lower().endswith((".md", ".markdown"))
        try:
            documents.append(parse_document(stored.text, stored.path, posting_id, is_markdown))
        except KnowledgeError as exc:
            raise DraftError(f"A document fails to load: {exc}") from exc
    return documents


def check_files(files: list[StoredFile], posting_id: str, settings: Settings) -> None:
    """Refuse files that would not load, that belong to another posting, or that give nothing to answer from."""
    for document in load_files(files, posting_id):
        if document.posting_id != posting_id:
            raise DraftError(
                f"{document.path}: its front matter names posting '{document.posting_id}', not '{posting_id}'."
            )
        if not chunk_documents([document], settings.chunk_tokens, settings.chunk_overlap_tokens):
            raise DraftError(f"{document.path}: has headings but no text to answer from.")


def preview(files: list[StoredFile], posting_id: str, settings: Settings) -> list[dict]:
    """Return each file's sections and the chunks the engine would make of them."""
    result = []
    for document in load_files(files, posting_id):
        chunks = chunk_documents([document], settings.chunk_tokens, settings.chunk_overlap_tokens)
        sections: dict[tuple[str, str], list[str]] = {}
        for chunk in chunks:
            sections.setdefault((chunk.metadata["topic"], chunk.metadata["section"]), []).append(chunk.page_content)
        result.append(
            {
                "path": document.path,
                "title": document.title,
                "language": document.language,
                "chunks": len(chunks),
                "sections": [{"topic": t, "section": s, "chunks": texts} for (t, s), texts in sections.items()],
            }
        )
    return result


def files_title(files: list[StoredFile], posting_id: str) -> str:
    """Return the title a posting's files give it (the first file's), or the id made readable."""
    for document in _loadable(files, posting_id):
        return document.title
    return humanize(posting_id)


def _loadable(files: list[StoredFile], posting_id: str) -> list[KnowledgeDocument]:
    documents = []
    for stored in files:
        try:
            documents.extend(load_files([stored], posting_id))
        except DraftError:
            continue
    return documents
