"""Convert what a recruiter pastes or uploads into Markdown knowledge.

`.md` stays Markdown (its own front matter is dropped: the console writes
its own); `.txt` and the text of a `.pdf` (pypdf, in layout mode so blank
lines between blocks survive) get headings and lists from their layout
(bot.knowledge.plaintext); `.docx` (python-docx) maps its heading and list
styles to Markdown; `.html` becomes Markdown through markdownify, unless the
page carries schema.org JobPosting JSON-LD that says what the page says, which
is then imported instead (bot.knowledge.jobposting). Every failure is a `ConversionError` naming the
file and the problem.
"""

from __future__ import annotations

import io
import itertools
import re
from pathlib import PurePath

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PageObject, PdfReader

from bot.knowledge.chrome import without_chrome
from bot.knowledge.documents import KnowledgeError, split_front_matter
from bot.knowledge.htmltext import MarkupTooDeepError, html_to_markdown
from bot.knowledge.jobposting import JobPostingError, find_job_postings, job_details, job_posting_markdown
from bot.knowledge.language import tokenize
from bot.knowledge.plaintext import to_markdown

SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
TEXT_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
_HEADING_STYLE = re.compile(r"^heading (\d)$", re.I)
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s", re.M)
_ADDRESS = re.compile(r"\((?:https?://|mailto:)?[^\s()]*[/@.][^\s()]*\)")  # "Apply (https://…)"
MAX_UNSTATED_SHARE = 0.2  # a page whose JSON-LD lacks more of its words than this is read from its own text


class ConversionError(ValueError):
    """A file or text cannot become knowledge; the message names it and says why."""


def suffix_of(name: str) -> str:
    """Return a file name's lower-case suffix."""
    return PurePath(name).suffix.lower()


def check_supported(name: str) -> None:
    """Refuse a file type the console cannot read, naming the ones it can."""
    if suffix_of(name) not in SUFFIXES:
        raise ConversionError(
            f"{name}: unsupported file type '{suffix_of(name) or 'none'}'; upload {', '.join(SUFFIXES)}."
        )


def text_to_markdown(name: str, text: str) -> str:
    """Return pasted or uploaded text as Markdown, read the way its name's suffix says.

    A name without a known suffix is Markdown when the text has a Markdown
    heading, else plain text.
    """
    suffix = suffix_of(name)
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    if suffix in (".html", ".htm"):
        return html_document(name, text)
    if suffix in (".md", ".markdown") or (suffix != ".txt" and _MARKDOWN_HEADING.search(text)):
        try:
            _, body = split_front_matter(text, name)
        except KnowledgeError as exc:
            raise ConversionError(str(exc)) from exc
        body = without_chrome(body)
        return body.strip() + "\n" if body.strip() else ""
    text = without_chrome(text)
    return to_markdown(text) if text.strip() else ""


def html_document(name: str, page: str) -> str:
    """Return an HTML page as Markdown: its JobPosting JSON-LD when that says what the page says, else its content.

    Many careers pages put the whole posting in their JSON-LD, but some give it only a summary: the
    page's own sections (pay table, benefits, how to apply) are then kept, with the JSON-LD's facts
    (salary, dates, location) after them.
    """
    try:
        body = html_to_markdown(page) if page.strip() else ""
    except MarkupTooDeepError as exc:
        raise ConversionError(f"{name}: {exc}.") from exc
    postings = find_job_postings(page)
    if not postings:
        return body
    try:
        imported = job_posting_markdown(postings[0]).markdown
    except JobPostingError as exc:
        raise ConversionError(f"{name}: {exc}") from exc
    if _unstated_share(body, imported) <= MAX_UNSTATED_SHARE:
        return imported
    details = job_details(postings[0])
    return body.rstrip() + (f"\n\n{details}" if details else "") + "\n"


def _unstated_share(page: str, data: str) -> float:
    """Return the share of a page's distinct words that its JSON-LD does not have (link addresses left out)."""
    words = {w for w in tokenize(_ADDRESS.sub(" ", page).lower()) if w.isalpha()}
    return len(words - set(tokenize(data.lower()))) / len(words) if words else 0.0


def _page_text(page: PageObject) -> str:
    try:
        return page.extract_text(extraction_mode="layout")
    except Exception:  # layout mode gives up on some fonts and encodings; plain mode still reads them
        return page.extract_text()


def _pdf_text(name: str, data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = [] if encrypted else [_page_text(page) for page in reader.pages]
    except Exception as exc:  # pypdf raises many kinds on damaged files; each means "cannot read it"
        raise ConversionError(f"{name}: not a readable PDF ({type(exc).__name__}).") from exc
    if encrypted:
        raise ConversionError(f"{name}: the PDF is password-protected; upload an unprotected copy.")
    return "\n\n".join("\n".join(" ".join(line.split()) for line in text.splitlines()) for text in pages)


def pdf_to_markdown(name: str, data: bytes) -> str:
    """Return a PDF's text as Markdown; a scanned PDF without a text layer is refused."""
    text = _pdf_text(name, data)
    if not text.strip():
        raise ConversionError(f"{name}: the PDF has no text layer (a scan?); upload a PDF with selectable text.")
    return to_markdown(text)


def _docx_blocks(document: DocxDocument) -> list[str]:
    """Return a Word document's headings, paragraphs, list items and table rows as Markdown blocks."""
    has_title = any(p.style is not None and p.style.name == "Title" for p in document.paragraphs)
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = [" ".join(cell.text.split()) for cell in row.cells]
                if any(cells):
                    blocks.append("- " + " | ".join(dict.fromkeys(c for c in cells if c)))
            continue
        blocks.append(_docx_paragraph(item, has_title))
    return [b for b in blocks if b]


def _docx_paragraph(paragraph: Paragraph, has_title: bool) -> str:
    text = " ".join(paragraph.text.split())
    if not text:
        return ""
    style = paragraph.style.name if paragraph.style is not None else ""
    heading = _HEADING_STYLE.match(style)
    if style == "Title":
        return f"# {text}"
    if heading:
        return "#" * min(int(heading.group(1)) + int(has_title), 6) + " " + text
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if style.startswith("List Number"):
        return f"1. {text}"
    if style.startswith("List") or numbered:
        return f"- {text}"
    return text


def docx_to_markdown(name: str, data: bytes) -> str:
    """Return a Word document as Markdown, its heading and list styles kept."""
    try:
        blocks = _docx_blocks(docx.Document(io.BytesIO(data)))
    except Exception as exc:  # a damaged or renamed file fails in many ways; each means "cannot read it"
        raise ConversionError(f"{name}: not a readable Word document ({type(exc).__name__}).") from exc
    markdown = ""
    for block, following in itertools.pairwise([*blocks, ""]):
        is_item = block.startswith(("- ", "1. "))
        markdown += block + ("\n" if is_item and following.startswith(("- ", "1. ")) else "\n\n")
    return markdown.strip() + "\n" if markdown.strip() else ""


def file_to_markdown(name: str, data: bytes) -> str:
    """Convert an uploaded file to Markdown by its type; raise ConversionError naming the problem."""
    check_supported(name)
    suffix = suffix_of(name)
    if suffix == ".pdf":
        markdown = pdf_to_markdown(name, data)
    elif suffix == ".docx":
        markdown = docx_to_markdown(name, data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ConversionError(f"{name}: not UTF-8 text; save it as UTF-8 and upload it again.") from exc
        markdown = text_to_markdown(name, text)
    if not markdown.strip():
        raise ConversionError(f"{name}: the file has no text.")
    return markdown
