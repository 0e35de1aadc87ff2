"""The files of each posting in `knowledge/`: find them, snapshot them, write a new set in their place.

The files are the truth: the console writes files here (one Markdown file
per document, under `knowledge/<posting_id>/`, with front matter naming the
posting and its title) and the engine reads them like any other. A
posting's files are those whose posting id (front matter, folder or file
name, as bot.knowledge.documents decides) is that posting, wherever they
sit, so a posting written by hand is managed too. A snapshot is the full
text of each file; writing one back restores the posting exactly.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from bot.knowledge.documents import (
    POSTING_ID_LENGTH,
    KnowledgeError,
    front_matter_posting,
    knowledge_files,
    posting_id_for,
    split_front_matter,
)

POSTING_ID = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{POSTING_ID_LENGTH - 1}}}$")
_NAME = re.compile(r"[^a-z0-9_-]+")


class PostingFilesError(ValueError):
    """A posting id or document name cannot name files; the message says why."""


@dataclass(frozen=True)
class StoredFile:
    """One knowledge file: its path under `knowledge/` (POSIX) and its full text."""

    path: str
    text: str

    @property
    def name(self) -> str:
        """The file's name without its folder."""
        return PurePosixPath(self.path).name


def check_posting_id(posting_id: str) -> str:
    """Return a valid posting id or raise, saying what a posting id may hold."""
    if not POSTING_ID.match(posting_id):
        raise PostingFilesError(
            f"'{posting_id}' is not a posting id: use lower-case letters, digits and dashes (at most {POSTING_ID_LENGTH}), "
            "starting with a letter or digit."
        )
    return posting_id


def document_path(posting_id: str, name: str) -> str:
    """Return where a document named `name` is written: `<posting_id>/<name as a slug>.md`."""
    stem = _NAME.sub("-", PurePosixPath(name.strip().lower()).stem).strip("-_")
    if not stem:
        raise PostingFilesError(f"'{name}' cannot be a document name: use letters or digits.")
    return f"{posting_id}/{stem[:80]}.md"


def compose(posting_id: str, title: str, source: str, body: str, extra: dict | None = None) -> str:
    """Return a document's file text: front matter (posting, title, source and any extra keys), then its body."""
    meta = {"posting_id": posting_id, "title": title, "source": source, **(extra or {})}
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{header}---\n\n{body.strip()}\n"


def file_posting(path: Path, root: Path) -> str:
    """Return the posting a file belongs to, as the loader decides (front matter, else folder or file name).

    Only the front matter is read, so listing many postings stays quick.
    """
    try:
        meta, _ = split_front_matter(path.read_text(encoding="utf-8-sig"), path.name)
    except (KnowledgeError, UnicodeDecodeError):
        meta = {}
    return front_matter_posting(meta) or posting_id_for(path, root)


def postings_on_disk(root: Path) -> dict[str, list[Path]]:
    """Map every posting id found under root to its files."""
    found: dict[str, list[Path]] = {}
    if root.is_dir():
        for path in knowledge_files(root):
            found.setdefault(file_posting(path, root), []).append(path)
    return found


def snapshot(root: Path, posting_id: str, files: list[Path] | None = None) -> list[StoredFile]:
    """Return the full text of a posting's files, in path order."""
    paths = files if files is not None else postings_on_disk(root).get(posting_id, [])
    return sorted(
        (StoredFile(p.relative_to(root).as_posix(), p.read_bytes().decode("utf-8", errors="replace")) for p in paths),
        key=lambda f: f.path,
    )


def fingerprint(files: list[StoredFile]) -> str:
    """Hash a set of files (paths and text), to tell whether two sets are the same."""
    payload = json.dumps(sorted((f.path, f.text) for f in files), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _inside(root: Path, relative: str) -> Path:
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()) or path == root.resolve():
        raise PostingFilesError(f"'{relative}' is not a path inside the knowledge folder.")
    return path


def replace_files(root: Path, old: list[StoredFile], new: list[StoredFile]) -> None:
    """Delete the old files and write the new ones; folders left empty are removed."""
    targets = [(_inside(root, f.path), f.text) for f in new]
    for stored in old:
        path = _inside(root, stored.path)
        path.unlink(missing_ok=True)
        if path.parent != root.resolve() and path.parent.is_dir() and not any(path.parent.iterdir()):
            path.parent.rmdir()
    for path, text in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.writing")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)  # atomic: the engine never reads half a file
