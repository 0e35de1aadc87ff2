"""The candidate chat page: a Gradio page mounted at `/` on the API's app.

Answers stream from `engine.stream_with_trace`. Everything that comes from the server
or the knowledge is HTML-escaped before it is wrapped in the little markup
the page adds (citation markers, expandable sources, the "closest passage"
label), so an answer or a quote containing HTML shows as text. Thumbs
up/down on an answer go to the same repository as `POST /api/feedback`.

Every word the page itself shows comes from the `ui` section of
prompts/i18n/<lang>.yaml. Static labels reach the browser through
`gr.I18n`, which picks the browser's language; what the server writes
(example questions, the Sources title, error text) follows the same
language, read from the request's Accept-Language.
"""

from __future__ import annotations

import html
import logging
import re
import time
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI

from bot.config import Settings
from bot.engine.replies import strings
from bot.knowledge.language import DEFAULT_LANGUAGE, SUPPORTED
from bot.records.database import StorageError
from bot.records.repository import exchange_recorder
from bot.web.widget import featured_posting

log = logging.getLogger(__name__)

MARKER = re.compile(r"\[(\d+)\]")
SOURCES_START = '\n\n<div class="cc-sources">'
KIND_LABEL = re.compile(r'^<p class="cc-kind [^"]*">.*?</p>\n\n', re.DOTALL)
INPUT = "#cc-question textarea"
STATIC_DIR = Path(__file__).resolve().parent / "static"
# Keep focus in the question box once an example is sent (the examples vanish with it).
FOCUS_QUESTION = f"() => {{ document.querySelector('{INPUT}')?.focus(); }}"
# Empty the box in the browser as the question leaves: the server never writes to it, so what the
# candidate types while an answer streams stays.
SEND_QUESTION = f"""(message, history) => {{
  const box = document.querySelector('{INPUT}');
  if (box && (message || '').trim()) {{ box.value = ''; box.dispatchEvent(new Event('input', {{bubbles: true}})); }}
  return [message, history];
}}"""


def ui_strings(settings: Settings, language: str) -> dict[str, Any]:
    """Return the chat page's strings in a language, English filling any gap."""
    return strings(settings.prompts_dir, language)["ui"]


def browser_language(accept_language: str | None) -> str:
    """Return the page language for an Accept-Language header: its first language, if supported.

    Only the first entry counts, because that is the one `gr.I18n` follows
    in the browser (navigator.language): the labels and the server's text
    stay in one language.
    """
    first = (accept_language or "").split(",")[0].split(";")[0].strip().lower()
    primary = re.split(r"[-_]", first)[0]
    return primary if primary in SUPPORTED else DEFAULT_LANGUAGE


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


def render_answer(
    answer: str, citations: list[dict[str, Any]], texts: Mapping[str, Any], answer_type: str = "answer"
) -> str:
    """Return the chat message for an answer: a label for closest passages, escaped text, markers and sources."""
    body = _with_markers(_escape(answer), {int(c["id"]) for c in citations})
    if answer_type == "closest":
        body = f'<p class="cc-kind cc-kind-closest">{_escape(texts["closest"])}</p>\n\n{body}'
    if not citations:
        return body
    items = "".join(
        "<details>"
        f"<summary>[{int(c['id'])}] {_escape(c.get('section') or texts['section'])}</summary>"
        f"<blockquote>{_escape(c['quote']).replace(chr(10), '<br>')}</blockquote>"
        f'<span class="cc-file">{_escape(c.get("source") or "")}</span>'
        "</details>"
        for c in citations
    )
    return f'{body}{SOURCES_START}<p class="cc-sources-title">{_escape(texts["sources"])}</p>{items}</div>'


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


def page_translations(settings: Settings, title: str) -> gr.I18n:
    """Return the labels `gr.I18n` shows in the browser's language, one set per supported language."""
    languages = {}
    for language in SUPPORTED:
        texts = ui_strings(settings, language)
        languages[language] = {
            "cc.title": _escape(texts["title"].format(title=title or texts["untitled"])),
            "cc.disclosure": (
                f"<strong>{_escape(texts['disclosure_lead'])}</strong>"
                f"{_sentence_gap(texts['disclosure_lead'])}{_escape(texts['disclosure'])}"
            ),
            "cc.conversation": texts["conversation"],
            "cc.empty": texts["empty"],
            "cc.question": texts["question_label"],
            "cc.placeholder": texts["placeholder"],
            "cc.send": texts["send"],
        }
    return gr.I18n(**languages)


def _sentence_gap(sentence: str) -> str:
    """Return the space that follows a sentence: none after full-width punctuation (Chinese), else one."""
    return "" if sentence and unicodedata.east_asian_width(sentence[-1]) in ("F", "W") else " "


def _repository(app: FastAPI):
    """Return the app's repository, if the app keeps one."""
    return getattr(app.state, "repository", None)


def build_chat(app: FastAPI, engine, settings: Settings) -> tuple[gr.Blocks, gr.I18n]:
    """Build the chat page wired to the engine and the feedback store, with its labels for `gr.I18n`."""
    _, title = featured_posting(engine.index, settings.default_posting)
    i18n = page_translations(settings, title)

    def answer(question: str, history: list[dict[str, Any]], request: gr.Request) -> Iterator[list[dict[str, Any]]]:
        """Show the question, stream the answer, then record the exchange for the recruiter console."""
        texts = ui_strings(settings, browser_language(request.headers.get("accept-language")))
        past = engine_history(history, settings.max_history_turns)
        history = [*history, {"role": "user", "content": _escape(question)}]
        yield history
        if len(question) > settings.max_message_chars:
            too_long = texts["too_long"].format(limit=settings.max_message_chars)
            yield [*history, {"role": "assistant", "content": _escape(too_long)}]
            return
        started = time.perf_counter()
        text = ""
        final: Any = None
        try:
            for event, data in engine.stream_with_trace(question, past, None):
                if event == "delta":
                    text += data["text"]
                    yield [*history, {"role": "assistant", "content": _escape(text)}]
                elif event == "done":
                    kind = data.get("answer_type", "answer")
                    message = render_answer(data["answer"], data.get("citations") or [], texts, kind)
                    yield [*history, {"role": "assistant", "content": message}]
                elif event == "result":
                    final = data
        except Exception:
            log.exception("chat page answer failed", extra={"event": "ui_error"})
            yield [*history, {"role": "assistant", "content": _escape(texts["error"])}]
            return
        repository = _repository(app)
        if repository is not None and final is not None:
            # The same recorder as the API: it honours the guards' "do not store" verdict.
            exchange_recorder(repository)(
                request.session_hash, question, final, (time.perf_counter() - started) * 1000, None
            )

    def ask(message: str, history: list[dict[str, Any]], request: gr.Request) -> Iterator[Any]:
        """Answer what the candidate typed; an empty box does nothing."""
        question = (message or "").strip()
        if not question:
            yield gr.skip()
            return
        yield from answer(question, history, request)

    def ask_example(
        history: list[dict[str, Any]], example: gr.SelectData, request: gr.Request
    ) -> Iterator[list[dict[str, Any]]]:
        """Answer the example question the candidate picked."""
        yield from answer(str(example.value.get("text") or ""), history, request)

    def localize(request: gr.Request) -> gr.Chatbot:
        """Show the example questions in the page's language."""
        texts = ui_strings(settings, browser_language(request.headers.get("accept-language")))
        return gr.Chatbot(examples=[{"text": question} for question in texts["examples"]])

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

    with gr.Blocks(title=title or "careers-chat", fill_height=True, analytics_enabled=False) as page:
        gr.HTML(f'<h1 class="cc-title">{i18n("cc.title")}</h1>')
        gr.HTML(f'<div class="cc-disclosure" role="note">{i18n("cc.disclosure")}</div>')
        chatbot = gr.Chatbot(
            label=i18n("cc.conversation"),
            show_label=False,
            height="60vh",
            min_height=320,
            placeholder=str(i18n("cc.empty")),  # Chatbot types it as str; the marker is translated alike
            feedback_options=("Like", "Dislike"),
            buttons=["copy"],
            layout="bubble",
            sanitize_html=True,
            elem_id="cc-chatbot",
            scale=1,
        )
        with gr.Row(equal_height=True):
            # The send button stands outside the box's <label>, so the box is named by its label alone.
            textbox = gr.Textbox(
                label=i18n("cc.question"),
                show_label=False,
                placeholder=i18n("cc.placeholder"),
                max_length=settings.max_message_chars,
                autofocus=True,
                lines=1,
                max_lines=6,
                container=False,
                scale=1,
                elem_id="cc-question",
            )
            send = gr.Button(i18n("cc.send"), variant="primary", scale=0, min_width=90, elem_id="cc-send")
        # One queued event per message (the rate limit counts queue joins); "once" ignores a second send
        # while an answer streams. Box and button stay enabled, so focus never drops to the page.
        shared: dict[str, Any] = {
            "outputs": [chatbot],
            "api_visibility": "private",
            "show_progress": "minimal",
            "trigger_mode": "once",
        }
        gr.on([textbox.submit, send.click], ask, [textbox, chatbot], js=SEND_QUESTION, **shared)
        chatbot.example_select(ask_example, [chatbot], **shared)
        chatbot.example_select(None, js=FOCUS_QUESTION)
        chatbot.like(on_like, None, None, queue=False, api_visibility="private")
        page.load(localize, None, [chatbot], queue=False, api_visibility="private")
    page.queue(
        default_concurrency_limit=settings.gradio_concurrency_limit,
        max_size=settings.gradio_max_queue,
        api_open=False,
    )
    return page, i18n


def mount_ui(app: FastAPI, engine, settings: Settings) -> FastAPI:
    """Mount the chat page at `/`; call after every other route is added."""
    page, i18n = build_chat(app, engine, settings)
    theme = gr.themes.Soft(
        primary_hue="indigo",
        neutral_hue="slate",
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "Consolas", "monospace"],
    )
    return gr.mount_gradio_app(
        app,
        page,
        path="/",
        footer_links=[],
        run_history=False,
        show_error=False,
        theme=theme,
        css_paths=STATIC_DIR / "chat_page.css",
        js=(STATIC_DIR / "chat_page.js").read_text(encoding="utf-8"),
        i18n=i18n,
        mcp_server=False,
        ssr_mode=False,
    )
