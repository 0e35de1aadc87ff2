"""Load the knowledge documents: Markdown or plain text, one posting per folder.

A document may start with YAML front matter (`posting_id`, `title`,
`source`); none of it is required. Without a `posting_id` a document belongs
to the folder it sits in, or, directly under `knowledge/`, is a posting of
its own named after the file. The title is the front matter's, else the
document's first `# ` heading, else the file name (directly under
`knowledge/`) or the folder name. A byte-order mark is ignored. Plain text
gets its headings and lists marked (bot.knowledge.plaintext), so every
document is Markdown from here on; so does a `.md` file with no Markdown in
it, which is text pasted from a PDF or a page under a Markdown name. Words a
hard wrap cut at a line's end are joined again (bot.knowledge.wrapping). A document that cannot be read fails with a message
naming the file, so a recruiter knows what to fix.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.knowledge.chrome import without_chrome
from bot.knowledge.language import detect_language, fold_accents
from bot.knowledge.plaintext import to_markdown
from bot.knowledge.wrapping import rejoin_wrapped
from bot.yamlfile import parse_yaml

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt")
_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)
_POSTING_ID = re.compile(r"[^a-z0-9]+")
POSTING_ID_LENGTH = 80  # the longest posting id the console accepts
LANGUAGE_SAMPLE_CHARS = 2000
# A heading (also underlined), a list or quote marker, a table row, a fence, emphasis, a link or a tag: text
# written as Markdown. Indented lines are no sign: a PDF's text indents the lines an item wraps onto.
_MARKDOWN_SYNTAX = re.compile(
    r"^\s{0,3}(?:#{1,6}\s|[-*+]\s|\d{1,2}[.)]\s|>|\|.*\|\s*$|```|(?:=+|-{2,})\s*$)"
    r"|(?<![\w*_])(?:\*\*?|__?)(?=\S)[^*_\n]+(?<=\S)(?:\*\*?|__?)(?![\w*_])|\]\(|</?[a-zA-Z][^<>\n]*>",
    re.M,
)


class KnowledgeError(ValueError):
    """A knowledge document is malformed; the message names the file."""


@dataclass(frozen=True)
class KnowledgeDocument:
    """One file of knowledge with its posting metadata; `body` is Markdown."""

    path: str
    posting_id: str
    title: str
    source: str
    body: str
    language: str = "en"


def split_front_matter(text: str, path: str) -> tuple[dict, str]:
    """Return the YAML front matter and the body of a document."""
    if not text.startswith("---"):
        return {}, text
    parts = text.split("\n---", 1)
    if len(parts) != 2:
        raise KnowledgeError(f"{path}: front matter starts with '---' but is never closed")
    header = parts[0][3:]
    body = parts[1].lstrip("\r\n")
    try:
        meta = parse_yaml(header) or {}
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path}: front matter is not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(meta, dict):
        raise KnowledgeError(f"{path}: front matter must be a mapping of key: value lines")
    return meta, body


def slug(name: str) -> str:
    """Make a name a posting id: lower-case letters and digits joined by dashes ("Night Baker" -> "night-baker")."""
    return _POSTING_ID.sub("-", name.lower()).strip("-")


def posting_slug(name: str, length: int = POSTING_ID_LENGTH) -> str:
    """Make a name a posting id of at most `length` characters ("Cocinero Año 2027" -> "cocinero-ano-2027")."""
    return slug(fold_accents(name))[:length].rstrip("-")


def front_matter_posting(meta: dict) -> str | None:
    """Return the posting a front matter names, as a posting id ("Night Baker" -> "night-baker"), or None.

    A hand-written id is normalised as the console would write it, so every
    posting can be edited in the console and named by the widget and the API.
    """
    return posting_slug(str(meta.get("posting_id") or "")) or None


def posting_id_for(path: Path, root: Path) -> str:
    """Return the posting a file belongs to when its front matter names none."""
    relative = path.relative_to(root)
    return slug(relative.parts[0] if len(relative.parts) > 1 else path.stem) or "posting"


def humanize(posting_id: str) -> str:
    """Turn a posting id into a readable title ("night-baker" -> "Night baker")."""
    words = posting_id.replace("_", "-").split("-")
    return " ".join(words).strip().capitalize() or posting_id


def default_title(path: Path, root: Path) -> str:
    """Name a posting that has no title: its file's name when it sits directly under root, else its folder's."""
    relative = path.relative_to(root)
    if len(relative.parts) > 1:
        return humanize(posting_id_for(path, root))
    return " ".join(path.stem.replace("_", " ").replace("-", " ").split()) or humanize(posting_id_for(path, root))


def parse_document(
    text: str, relative: str, default_posting: str, is_markdown: bool, fallback_title: str | None = None
) -> KnowledgeDocument:
    """Build a document from its text; `relative` names it in errors and citations."""
    meta, body = split_front_matter(text, relative)
    if not body.strip():
        raise KnowledgeError(f"{relative}: document has no text")
    body = without_chrome(body)
    body = to_markdown(body) if not is_markdown or not _MARKDOWN_SYNTAX.search(body) else rejoin_wrapped(body)
    posting_id = front_matter_posting(meta) or default_posting
    heading = _TITLE.search(body)
    title = str(meta.get("title") or (heading.group(1) if heading else fallback_title or humanize(posting_id)))
    return KnowledgeDocument(
        path=relative,
        posting_id=posting_id,
        title=title,
        source=str(meta.get("source") or relative),
        body=body,
        language=detect_language(body[:LANGUAGE_SAMPLE_CHARS]),
    )


def load_document(path: Path, root: Path) -> KnowledgeDocument:
    """Read one knowledge file."""
    relative = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark, as Windows editors write, is no text
    except UnicodeDecodeError as exc:
        raise KnowledgeError(f"{relative}: not valid UTF-8 text") from exc
    is_markdown = path.suffix.lower() in (".md", ".markdown")
    return parse_document(text, relative, posting_id_for(path, root), is_markdown, default_title(path, root))


def knowledge_files(root: Path) -> list[Path]:
    """List the knowledge files under root in a stable order (hidden files and folders skipped)."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
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
