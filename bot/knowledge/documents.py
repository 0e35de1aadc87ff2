"""Load the knowledge documents: Markdown or plain text, one posting each.

A document starts with a small YAML front matter (`posting_id`, `title`,
`source`). Plain-text files may omit it; their posting id is then the name of
the folder they sit in. A document that cannot be read fails with a message
that names the file, so a recruiter knows what to fix.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt")
REQUIRED_FRONT_MATTER = ("posting_id",)


class KnowledgeError(ValueError):
    """A knowledge document is malformed; the message names the file."""


@dataclass(frozen=True)
class KnowledgeDocument:
    """One file of knowledge with its posting metadata."""

    path: str
    posting_id: str
    title: str
    source: str
    body: str
    is_markdown: bool


def _split_front_matter(text: str, path: Path) -> tuple[dict, str]:
    """Return the YAML front matter and the body of a document."""
    if not text.startswith("---"):
        return {}, text
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise KnowledgeError(f"{path}: front matter starts with '---' but is never closed")
    header = parts[0][3:]
    body = parts[1].lstrip("\r\n")
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: front matter is not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(meta, dict):
        raise KnowledgeError(f"{path}: front matter must be a mapping of key: value lines")
    return meta, body


def load_document(path: Path, root: Path) -> KnowledgeDocument:
    """Read one knowledge file, validating its front matter."""
    relative = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise KnowledgeError(f"{relative}: not valid UTF-8 text") from exc
    meta, body = _split_front_matter(text, Path(relative))
    is_markdown = path.suffix.lower() in (".md", ".markdown")
    if is_markdown:
        missing = [key for key in REQUIRED_FRONT_MATTER if not meta.get(key)]
        if missing:
            raise KnowledgeError(f"{relative}: front matter lacks {', '.join(missing)}")
    posting_id = str(meta.get("posting_id") or path.parent.name)
    if not body.strip():
        raise KnowledgeError(f"{relative}: document has no text")
    return KnowledgeDocument(
        path=relative,
        posting_id=posting_id,
        title=str(meta.get("title") or posting_id),
        source=str(meta.get("source") or relative),
        body=body,
        is_markdown=is_markdown,
    )


def knowledge_files(root: Path) -> list[Path]:
    """List the knowledge files under root in a stable order."""
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
    )


def load_knowledge(root: Path) -> list[KnowledgeDocument]:
    """Load every knowledge document under root."""
    if not root.is_dir():
        raise KnowledgeError(f"{root}: knowledge folder does not exist")
    documents = [load_document(path, root) for path in knowledge_files(root)]
    if not documents:
        raise KnowledgeError(f"{root}: no .md or .txt documents found")
    return documents


def knowledge_fingerprint(root: Path) -> str:
    """Hash the names and bytes of every knowledge file, to detect changes."""
    digest = hashlib.sha256()
    for path in knowledge_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
