"""The candidate chat pages: one Gradio page per posting at `/p/<id>/`, and at `/`.

Answers stream from `engine.stream_with_trace`, rendered by `bot.web.rendering`.
Thumbs up/down on an answer go to the same repository as `POST /api/feedback`.

The same page is mounted twice: at `/p/{posting_id}`, where the URL names the
posting, and at `/`, which is the chat when one posting is open (with several,
`bot.web.postings_page` answers `/` with the list). The title and example
questions come with the page-load event, so a posting renamed or published
from the console shows at once.

Every word the page itself shows comes from the `ui` section of
prompts/i18n/<lang>.yaml. Static labels reach the browser through
`gr.I18n`, which picks the browser's language; what the server writes
(title, example questions, the Sources title, error text) follows the same
language, read from the request's Accept-Language.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI

from bot.config import Settings
from bot.knowledge.language import SUPPORTED
from bot.records.database import StorageError
from bot.records.repository import exchange_recorder
from bot.web.postings_page import ExampleQuestions, PostingPages
from bot.web.rendering import (
    browser_language,
    engine_history,
    escape_text,
    plain_text,
    render_answer,
    sentence_gap,
    ui_strings,
)

log = logging.getLogger(__name__)

INPUT = "#cc-question textarea"
STATIC_DIR = Path(__file__).resolve().parent / "static"
# Name the browser tab after the posting once the page knows it.
TITLE_TO_TAB = "() => { const h = document.querySelector('.cc-title'); if (h) document.title = h.textContent; }"
# Keep focus in the question box once an example is sent (the examples vanish with it).
FOCUS_QUESTION = f"() => {{ document.querySelector('{INPUT}')?.focus(); }}"
# Empty the box in the browser as the question leaves: the server never writes to it, so what the
# candidate types while an answer streams stays.
SEND_QUESTION = f"""(message, history) => {{
  const box = document.querySelector('{INPUT}');
  if (box && (message || '').trim()) {{ box.value = ''; box.dispatchEvent(new Event('input', {{bubbles: true}})); }}
  return [message, history];
}}"""


def page_translations(settings: Settings) -> gr.I18n:
    """Return the labels `gr.I18n` shows in the browser's language, one set per supported language."""
    languages = {}
    for language in SUPPORTED:
        texts = ui_strings(settings.prompts_dir, language)
        languages[language] = {
            "cc.title": escape_text(texts["title"].format(title=texts["untitled"])),
            "cc.disclosure": (
                f"<strong>{escape_text(texts['disclosure_lead'])}</strong>"
                f"{sentence_gap(texts['disclosure_lead'])}{escape_text(texts['disclosure'])}"
            ),
            "cc.conversation": texts["conversation"],
            "cc.empty": texts["empty"],
            "cc.question": texts["question_label"],
            "cc.placeholder": texts["placeholder"],
            "cc.send": texts["send"],
            # Gradio's own labels for the copy button exist in few languages; ours fill the gap.
            "chatbot.copy_message": texts["copy"],
            "chatbot.copied_message": texts["copied"],
        }
    return gr.I18n(**languages)


def _repository(app: FastAPI):
    """Return the app's repository, if the app keeps one."""
    return getattr(app.state, "repository", None)


def requested_posting(request: gr.Request) -> str | None:
    """Return the posting a page's URL names (`/p/<id>/`), or None on the page at `/`."""
    params = getattr(getattr(request, "request", None), "path_params", None) or {}
    return params.get("posting_id")


def build_chat(
    app: FastAPI, engine, settings: Settings, examples: ExampleQuestions | None = None
) -> tuple[gr.Blocks, gr.I18n]:
    """Build the chat page wired to the engine and the feedback store, with its labels for `gr.I18n`."""
    i18n = page_translations(settings)
    examples = examples or ExampleQuestions(engine, settings.prompts_dir)

    def page_posting(request: gr.Request) -> str | None:
        """Return the posting this page is about: the one its URL names, or the only one."""
        postings = engine.index.postings
        return requested_posting(request) or (postings[0] if len(postings) == 1 else None)

    def answer(question: str, history: list[dict[str, Any]], request: gr.Request) -> Iterator[list[dict[str, Any]]]:
        """Show the question, stream the answer, then record the exchange for the recruiter console."""
        texts = ui_strings(settings.prompts_dir, browser_language(request.headers.get("accept-language")))
        past = engine_history(history, settings.max_history_turns)
        history = [*history, {"role": "user", "content": escape_text(question)}]
        yield history
        if len(question) > settings.max_message_chars:
            too_long = texts["too_long"].format(limit=settings.max_message_chars)
            yield [*history, {"role": "assistant", "content": escape_text(too_long)}]
            return
        started = time.perf_counter()
        text = ""
        final: Any = None
        try:
            for event, data in engine.stream_with_trace(question, past, page_posting(request)):
                if event == "delta":
                    text += data["text"]
                    yield [*history, {"role": "assistant", "content": escape_text(text)}]
                elif event == "done":
                    kind = data.get("answer_type", "answer")
                    message = render_answer(data["answer"], data.get("citations") or [], texts, kind)
                    yield [*history, {"role": "assistant", "content": message}]
                elif event == "result":
                    final = data
        except Exception:
            log.exception("chat page answer failed", extra={"event": "ui_error"})
            yield [*history, {"role": "assistant", "content": escape_text(texts["error"])}]
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

    def localize(request: gr.Request) -> tuple[str, gr.Chatbot]:
        """Show the posting's title and the example questions it answers, in the page's language."""
        language = browser_language(request.headers.get("accept-language"))
        texts = ui_strings(settings.prompts_dir, language)
        posting = page_posting(request)
        title = engine.index.titles.get(posting) or texts["untitled"]
        heading = f'<h1 class="cc-title">{escape_text(texts["title"].format(title=title))}</h1>'
        questions = examples.for_posting(posting, language)
        return heading, gr.Chatbot(examples=[{"text": question} for question in questions])

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

    with gr.Blocks(title="careers-chat", fill_height=True, analytics_enabled=False) as page:
        heading = gr.HTML(f'<h1 class="cc-title">{i18n("cc.title")}</h1>')
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
        page.load(localize, None, [heading, chatbot], queue=False, api_visibility="private").then(None, js=TITLE_TO_TAB)
    page.queue(
        default_concurrency_limit=settings.gradio_concurrency_limit,
        max_size=settings.gradio_max_queue,
        api_open=False,
    )
    return page, i18n


def mount_ui(app: FastAPI, engine, settings: Settings, examples: ExampleQuestions | None = None) -> FastAPI:
    """Mount the chat page at `/p/{posting_id}` and at `/`; call after every other route is added."""
    theme = gr.themes.Soft(
        primary_hue="indigo",
        neutral_hue="slate",
        font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "Consolas", "monospace"],
    )
    examples = examples or ExampleQuestions(engine, settings.prompts_dir)
    script = (STATIC_DIR / "chat_page.js").read_text(encoding="utf-8")
    for path in ("/p/{posting_id}", "/"):  # `/` last: it catches every other path
        page, i18n = build_chat(app, engine, settings, examples)
        gr.mount_gradio_app(
            app,
            page,
            path=path,
            footer_links=[],
            run_history=False,
            show_error=False,
            theme=theme,
            css_paths=STATIC_DIR / "chat_page.css",
            js=script,
            i18n=i18n,
            mcp_server=False,
            ssr_mode=False,
        )
    return app


def install_posting_pages(app: FastAPI, engine, settings: Settings) -> None:
    """Answer `/` with the postings list when several are open, and unknown posting pages with 404."""
    app.add_middleware(PostingPages, engine=engine, prompts_dir=settings.prompts_dir)
