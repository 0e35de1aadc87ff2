"""How the chat page turns answers into messages, and how it is mounted."""

from __future__ import annotations

import html

from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from bot.config import Settings
from bot.web.chat_page import build_chat, engine_history, mount_ui, plain_text, render_answer

HOSTILE = "<img src=x onerror=alert(1)>"
CITATIONS = [
    {"id": 1, "source": "posting/02-dates.md", "section": "Start dates", "quote": f"January 15, 2024 {HOSTILE}"},
    {"id": 2, "source": "posting/03-help.md", "section": "<b>Help</b>", "quote": "Line one\nLine two"},
]


def test_answer_markup_escapes_server_text_and_numbers_sources() -> None:
    message = render_answer(f"Start on January 15 [1] {HOSTILE} or ask [2]; [7] is unknown.", CITATIONS)
    assert "<img" not in message and "<b>" not in message
    assert html.escape(HOSTILE) in message
    assert message.count('<sup class="cc-marker">') == 2
    assert "[7]" in message and '<sup class="cc-marker">[7]' not in message
    assert message.count("<details>") == 2
    assert "<summary>[1] Start dates</summary>" in message
    assert "<summary>[2] &lt;b&gt;Help&lt;/b&gt;</summary>" in message
    assert "Line one<br>Line two" in message
    assert "posting/02-dates.md" in message


def test_answer_without_citations_has_no_sources_block() -> None:
    assert render_answer("I could not find that in the posting.", []) == "I could not find that in the posting."


@given(st.text(max_size=200), st.lists(st.integers(min_value=1, max_value=5), max_size=3, unique=True))
def test_plain_text_recovers_the_answer(answer: str, ids: list[int]) -> None:
    citations = [{"id": i, "source": "s.md", "section": "S", "quote": "q"} for i in ids]
    assert plain_text(render_answer(answer, citations)) == answer.strip()


def test_history_uses_plain_answers_and_keeps_the_newest_turns() -> None:
    history = [
        {"role": "user", "content": [{"type": "text", "text": "When do I start?"}]},
        {"role": "assistant", "content": [{"type": "text", "text": render_answer("On May 20 [1].", CITATIONS)}]},
        {"role": "user", "content": "And the pay?"},
        {"role": "assistant", "content": "About <pay> &amp; more"},
    ]
    assert engine_history(history, max_turns=20) == [
        {"role": "user", "content": "When do I start?"},
        {"role": "assistant", "content": "On May 20 [1]."},
        {"role": "user", "content": "And the pay?"},
        {"role": "assistant", "content": "About <pay> & more"},
    ]
    assert [m["content"] for m in engine_history(history, max_turns=1)] == ["And the pay?", "About <pay> & more"]


def test_chat_queue_follows_settings() -> None:
    settings = Settings(gradio_concurrency_limit=3, gradio_max_queue=7)
    chat = build_chat(FastAPI(), engine=None, settings=settings)
    assert chat._queue.default_concurrency_limit == 3
    assert chat._queue.max_size == 7


def test_mounted_chat_page_is_served_at_root_after_the_api() -> None:
    app = FastAPI()

    @app.get("/api/ping")
    def ping() -> dict:
        return {"pong": True}

    mount_ui(app, engine=None, settings=Settings())
    client = TestClient(app)
    assert client.get("/api/ping").json() == {"pong": True}
    page = client.get("/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    config = client.get("/config").json()
    assert config["footer_links"] == []
    assert "cc-disclosure" in str(config)
