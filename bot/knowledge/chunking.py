"""Split knowledge documents into token-bounded chunks with stable ids.

Markdown is split by headings first, so a chunk never mixes two sections,
then by tokens (tiktoken, offline encoding) at paragraph and line
boundaries, so list items stay whole. Each chunk keeps its section heading as
the first line, which helps both the embedding and BM25 find it.
"""

from __future__ import annotations

import hashlib

from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter
from langchain_text_splitters.markdown import ExperimentalMarkdownSyntaxTextSplitter

from bot.config import TOKEN_ENCODING
from bot.knowledge.documents import KnowledgeDocument


def chunk_id(posting_id: str, source: str, section: str, text: str) -> str:
    """Derive a stable id from a chunk's content and place."""
    digest = hashlib.sha256("\x1f".join((posting_id, source, section, text)).encode("utf-8"))
    return digest.hexdigest()[:32]


def _token_splitter(chunk_tokens: int, overlap_tokens: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter.from_tiktoken_encoder(
        encoding_name=TOKEN_ENCODING,
        chunk_size=chunk_tokens,
        chunk_overlap=overlap_tokens,
        separators=["\n\n", "\n", ". ", " "],
    )


def _sections(document: KnowledgeDocument) -> list[tuple[str, str, str]]:
    """Return (topic, section title, body) triples of a document.

    The topic is the document's top heading (its title when it has none); it
    names what the document is about when the assistant lists what it can help with.
    """
    # The "experimental" splitter keeps blank lines, which mark paragraphs and lists.
    splitter = ExperimentalMarkdownSyntaxTextSplitter(strip_headers=True)
    sections = []
    for part in splitter.split_text(document.body):
        topic = part.metadata.get("Header 1") or document.title
        heading = part.metadata.get("Header 3") or part.metadata.get("Header 2") or topic
        if part.page_content.strip():
            sections.append((topic, heading, part.page_content))
    return sections


def chunk_documents(documents: list[KnowledgeDocument], chunk_tokens: int, overlap_tokens: int) -> list[Document]:
    """Split documents into chunks carrying posting id, source, section and id."""
    splitter = _token_splitter(chunk_tokens, overlap_tokens)
    chunks: list[Document] = []
    for document in documents:
        for topic, section, body in _sections(document):
            for piece in splitter.split_text(body):
                text = f"## {section}\n\n{piece.strip()}"
                cid = chunk_id(document.posting_id, document.path, section, text)
                chunks.append(
                    Document(
                        id=cid,
                        page_content=text,
                        metadata={
                            "chunk_id": cid,
                            "posting_id": document.posting_id,
                            "title": document.title,
                            "source": document.path,
                            "section": section,
                            "topic": topic,
                            "language": document.language,
                        },
                    )
                )
    return chunks
