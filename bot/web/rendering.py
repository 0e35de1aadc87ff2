"""Turn engine answers into chat-page messages, and back: escaping, citation markers, sources, history.

Everything that comes from the server or the knowledge is HTML-escaped
before it is wrapped in the little markup the page adds (citation markers,
expandable sources, the "closest passage" label), so an answer or a quote
containing HTML shows as text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.engine.replies import strings
from bot.knowledge.language import DEFAULT_LANGUAGE, SUPPORTED

MARKER = re.compile(r"\[(\d+)\]")
SOURCES_START = '\n\n<div class="cc-sources">'
KIND_LABEL = re.compile(r'^<p class="cc-kind [^"]*">.*?</p>\n\n', re.DOTALL)


def ui_strings(prompts_dir: Path, language: str) -> dict[str, Any]:
    """Return the chat page's strings in a language, English filling any gap."""
    return strings(prompts_dir, language)["ui"]


def browser_language(accept_language: str | None) -> str:
    """Return the page language for an Accept-Language header: its first language, if supported.

    Only the first entry counts, because that is the one `gr.I18n` follows
    in the browser (navigator.language): the labels and the server's text
    stay in one language.
    """
    first = (accept_language or "").split(",")[0].split(";")[0].strip().lower()
    primary = re.split(r"[-_]", first)[0]
    return primary if primary in SUPPORTED else DEFAULT_LANGUAGE


def escape_text(text: str) -> str:
    """Escape text for the Markdown renderer: HTML special characters become entities."""
    return html.escape(text, quote=True)


def _with_markers(escaped: str, known: set[int]) -> str:
    """Show `[n]` markers that point to a source as superscript footnote numbers."""

    def replace(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if number not in known:
            return match.group(0)
        return f'<sup class="cc-marker">[{number}]</sup>'

    return MARKER.sub(replace, escaped)


def render_answer(
    answer: str, citations: list[dict[str, Any]], texts: Mapping[str, Any], answer_type: str = "answer"
) -> str:
    """Return the chat message for an answer: a label for closest passages, escaped text, markers and sources."""
    body = _with_markers(escape_text(answer), {int(c["id"]) for c in citations})
    if answer_type == "closest":
        body = f'<p class="cc-kind cc-kind-closest">{escape_text(texts["closest"])}</p>\n\n{body}'
    if not citations:
        return body
    items = "".join(
        "<details>"
        f"<summary>[{int(c['id'])}] {escape_text(c.get('section') or texts['section'])}</summary>"
        f"<blockquote>{escape_text(c['quote']).replace(chr(10), '<br>')}</blockquote>"
        f'<span class="cc-file">{escape_text(c.get("source") or "")}</span>'
        "</details>"
        for c in citations
    )
    return f'{body}{SOURCES_START}<p class="cc-sources-title">{escape_text(texts["sources"])}</p>{items}</div>'


def plain_text(content: Any) -> str:
    """Recover the text a chat message was rendered from (for history and feedback)."""
    if isinstance(content, list):
        content = "\n".join(plain_text(part) for part in content)
    elif isinstance(content, dict):
        content = content.get("text") or content.get("content") or ""
    text = KIND_LABEL.sub("", str(content or "")).split(SOURCES_START.strip(), 1)[0]
    text = re.sub(r'<sup class="cc-marker">|</sup>', "", text)
    return html.unescape(text).strip()


def engine_history(history: list[dict[str, Any]], max_turns: int) -> list[dict[str, str]]:
    """Turn the chatbot's messages into the engine's plain history, newest turns last."""
    messages = [
        {"role": m["role"], "content": plain_text(m.get("content"))}
        for m in history
        if m.get("role") in ("user", "assistant")
    ]
    return [m for m in messages if m["content"]][-2 * max_turns :]


def sentence_gap(sentence: str) -> str:
    """Return the space that follows a sentence: none after full-width punctuation (Chinese), else one."""
    return "" if sentence and unicodedata.east_asian_width(sentence[-1]) in ("F", "W") else " "
