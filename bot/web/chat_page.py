"""The candidate chat page: a Gradio ChatInterface mounted at `/` on the API's app.

Answers stream from `engine.stream_with_trace`. Everything that comes from the server
or the knowledge is HTML-escaped before it is wrapped in the little markup
the page adds (citation markers and expandable sources), so an answer or a
quote containing HTML shows as text. Thumbs up/down on an answer go to the
same repository as `POST /api/feedback`.
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

import gradio as gr
from fastapi import FastAPI

from bot.config import Settings
from bot.records.database import StorageError
from bot.records.repository import exchange_recorder
from bot.web.widget import featured_posting

log = logging.getLogger(__name__)

MARKER = re.compile(r"\[(\d+)\]")
SOURCES_START = '\n\n<div class="cc-sources">'
ERROR_REPLY = "Sorry, something went wrong while answering. Please try again in a moment."

EXAMPLES = [
    "What are the possible start dates?",
    "What qualifications do I need to be eligible?",
    "How can I request an accommodation for the interview?",
    "How is my personal data used when I apply?",
]

DISCLOSURE = (
    '<div class="cc-disclosure" role="note">'
    "<strong>You are chatting with an AI assistant.</strong> "
    "It answers only from this job posting, shows its sources and can make mistakes. "
    "It makes no hiring decisions. Accommodation requests go to a person on the recruiting team: "
    "ask, and it will give you the contact. Please do not share sensitive personal information."
    "</div>"
)

CSS = """
h1 { font-size: 1.6rem !important; }
@media (max-width: 600px) { h1 { font-size: 1.25rem !important; } .cc-disclosure { font-size: 0.85rem; } }
.cc-disclosure { background: #eef2ff; border: 1px solid #c7d2fe; color: #1e1b4b;
  border-radius: 10px; padding: 10px 14px; font-size: 0.95rem; line-height: 1.45; }
.cc-sources { margin-top: 0.6em; padding-top: 0.5em; border-top: 1px solid #d0d7de; }
.cc-sources-title { font-weight: 600; font-size: 0.85em; margin: 0 0 0.3em; color: #424a53; }
.cc-sources details { margin: 0.2em 0; }
.cc-sources summary { cursor: pointer; font-size: 0.92em; }
.cc-sources blockquote { margin: 0.4em 0; padding: 0.4em 0.8em; border-left: 3px solid #4338ca;
  background: #f8fafc; font-size: 0.92em; }
.cc-file { font-size: 0.8em; color: #57606a; }
.cc-marker { color: #3730a3; font-weight: 700; }
#cc-chatbot .examples .example { border: 1px solid #c7d2fe; background: #fff; border-radius: 12px; }
#cc-chatbot .examples .example:hover { background: #eef2ff; }
.cc-input textarea { border: 1px solid #94a3b8 !important; border-radius: 8px !important; padding: 8px 10px !important; }
.submit-button { background: #4338ca !important; color: #fff !important; border-radius: 8px !important; }
summary:focus-visible, button:focus-visible, textarea:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
"""


def _escape(text: str) -> str:
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


def render_answer(answer: str, citations: list[dict[str, Any]] | None = None) -> str:
    """Return the chat message for an answer: escaped text, markers and expandable sources."""
    citations = citations or []
    body = _with_markers(_escape(answer), {int(c["id"]) for c in citations})
    if not citations:
        return body
    items = "".join(
        "<details>"
        f"<summary>[{int(c['id'])}] {_escape(c.get('section') or 'Posting')}</summary>"
        f"<blockquote>{_escape(c['quote']).replace(chr(10), '<br>')}</blockquote>"
        f'<span class="cc-file">{_escape(c.get("source") or "")}</span>'
        "</details>"
        for c in citations
    )
    return f'{body}{SOURCES_START}<p class="cc-sources-title">Sources</p>{items}</div>'


def plain_text(content: Any) -> str:
    """Recover the answer text a chat message was rendered from (for history and feedback)."""
    if isinstance(content, list):
        content = "\n".join(plain_text(part) for part in content)
    elif isinstance(content, dict):
        content = content.get("text") or content.get("content") or ""
    text = str(content or "").split(SOURCES_START.strip(), 1)[0]
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


def _repository(app: FastAPI):
    """Return the app's repository, if the app keeps one."""
    return getattr(app.state, "repository", None)


def build_chat(app: FastAPI, engine, settings: Settings) -> gr.ChatInterface:
    """Build the ChatInterface wired to the engine and the feedback store."""
    _, title = featured_posting(settings)

    def respond(message: str, history: list[dict[str, Any]], request: gr.Request) -> Iterator[str]:
        """Stream one answer, then record the exchange for the recruiter console."""
        question = (message or "").strip()
        if not question:
            yield "Please type a question."
            return
        if len(question) > settings.max_message_chars:
            yield f"Please keep your question under {settings.max_message_chars} characters."
            return
        started = time.perf_counter()
        text = ""
        final: Any = None
        try:
            for event, data in engine.stream_with_trace(
                question, engine_history(history, settings.max_history_turns), None
            ):
                if event == "delta":
                    text += data["text"]
                    yield _escape(text)
                elif event == "done":
                    yield render_answer(data["answer"], data.get("citations"))
                elif event == "result":
                    final = data
        except Exception:
            log.exception("chat page answer failed", extra={"event": "ui_error"})
            yield ERROR_REPLY
            return
        repository = _repository(app)
        if repository is not None and final is not None:
            # The same recorder as the API: it honours the guards' "do not store" verdict.
            exchange_recorder(repository)(
                request.session_hash, question, final, (time.perf_counter() - started) * 1000, None
            )

    def on_like(like: gr.LikeData, request: gr.Request) -> None:
        """Store a thumbs up/down on an answer."""
        repository = _repository(app)
        if repository is None or not isinstance(like.liked, bool):
            return
        try:
            repository.record_feedback(
                request.session_hash, "up" if like.liked else "down", answer=plain_text(like.value)
            )
        except StorageError as exc:  # a rating that cannot be stored must not break the chat
            log.error("could not store feedback", extra={"event": "storage_error", "error": type(exc).__name__})

    chatbot = gr.Chatbot(
        label="Conversation",
        show_label=False,
        height="60vh",
        min_height=320,
        placeholder="Ask about start dates, eligibility, accommodations or privacy.",
        feedback_options=("Like", "Dislike"),
        buttons=["copy"],
        layout="bubble",
        sanitize_html=True,
        elem_id="cc-chatbot",
    )
    textbox = gr.Textbox(
        placeholder="Ask a question about this job…",
        label="Your question",
        show_label=False,
        max_length=settings.max_message_chars,
        submit_btn="Send",
        stop_btn=False,
        autofocus=True,
        lines=1,
        max_lines=6,
        elem_classes=["cc-input"],
    )
    chat = gr.ChatInterface(
        respond,
        chatbot=chatbot,
        textbox=textbox,
        title=f"Ask about: {html.escape(title)}",
        description=DISCLOSURE,
        examples=EXAMPLES,
        examples_label="Try asking",
        cache_examples=False,
        flagging_mode="never",
        fill_height=True,
        analytics_enabled=False,
        api_visibility="private",
    )
    with chat:
        chatbot.like(on_like, None, None, queue=False, api_visibility="private")
    chat.queue(
        default_concurrency_limit=settings.gradio_concurrency_limit,
        max_size=settings.gradio_max_queue,
        api_open=False,
    )
    return chat


def mount_ui(app: FastAPI, engine, settings: Settings) -> FastAPI:
    """Mount the chat page at `/`; call after every other route is added."""
    chat = build_chat(app, engine, settings)
    theme = gr.themes.Soft(
        primary_hue="indigo",
        neutral_hue="slate",
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "Consolas", "monospace"],
    )
    return gr.mount_gradio_app(
        app,
        chat,
        path="/",
        footer_links=[],
        run_history=False,
        show_error=False,
        theme=theme,
        css=CSS,
        mcp_server=False,
        ssr_mode=False,
    )
