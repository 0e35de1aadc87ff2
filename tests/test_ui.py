"""How the chat page turns answers into messages, and how it is mounted."""

from __future__ import annotations

import html
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from bot.config import Settings
from bot.web.chat_page import (
    browser_language,
    build_chat,
    engine_history,
    mount_ui,
    plain_text,
    render_answer,
    ui_strings,
)

HOSTILE = "<img src=x onerror=alert(1)>"
CITATIONS = [
    {"id": 1, "source": "posting/02-dates.md", "section": "Start dates", "quote": f"January 15, 2024 {HOSTILE}"},
    {"id": 2, "source": "posting/03-help.md", "section": "<b>Help</b>", "quote": "Line one\nLine two"},
]
TEXTS = ui_strings(Settings().prompts_dir, "en")
# What the chat page needs from the engine: its index's postings and titles.
ENGINE = SimpleNamespace(
    index=SimpleNamespace(postings=["job"], titles={"job": "Research <Scientist>"}),
    answers_directly=lambda question, posting: True,
)


def test_answer_markup_escapes_server_text_and_numbers_sources() -> None:
    message = render_answer(f"Start on January 15 [1] {HOSTILE} or ask [2]; [7] is unknown.", CITATIONS, TEXTS)
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
    assert render_answer("I could not find that in the posting.", [], TEXTS) == "I could not find that in the posting."


def test_closest_passage_is_labelled_and_sources_speak_the_page_language() -> None:
    chinese = ui_strings(Settings().prompts_dir, "zh")
    message = render_answer("The closest it says is: pay [1]", CITATIONS[:1], chinese, "closest")
    assert message.startswith(f'<p class="cc-kind cc-kind-closest">{chinese["closest"]}</p>')
    assert f'<p class="cc-sources-title">{chinese["sources"]}</p>' in message
    assert "cc-kind" not in render_answer("Start dates [1]", CITATIONS[:1], TEXTS, "answer")


@given(
    st.text(max_size=200),
    st.lists(st.integers(min_value=1, max_value=5), max_size=3, unique=True),
    st.sampled_from(["answer", "closest", "not_covered", "refusal", "invitation"]),
)
def test_plain_text_recovers_the_answer(answer: str, ids: list[int], answer_type: str) -> None:
    citations = [{"id": i, "source": "s.md", "section": "S", "quote": "q"} for i in ids]
    assert plain_text(render_answer(answer, citations, TEXTS, answer_type)) == answer.strip()


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("es-419", "es"),
        ("en-GB,en", "en"),
        ("fr-FR,es;q=0.9", "en"),
        (None, "en"),
        ("", "en"),
    ],
)
def test_page_language_is_the_browsers_first_language_if_supported(header: str | None, language: str) -> None:
    assert browser_language(header) == language


@pytest.mark.parametrize("language", ["zh", "es"])
def test_every_page_string_is_translated(language: str) -> None:
    english, texts = ui_strings(Settings().prompts_dir, "en"), ui_strings(Settings().prompts_dir, language)
    untranslated = [key for key in english if texts[key] == english[key]]
    assert untranslated == [], f"{language} shows these page strings in English"


def test_history_uses_plain_answers_and_keeps_the_newest_turns() -> None:
    history = [
        {"role": "user", "content": [{"type": "text", "text": "When do I start?"}]},
        {"role": "assistant", "content": [{"type": "text", "text": render_answer("On May 20 [1].", CITATIONS, TEXTS)}]},
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
    chat, _ = build_chat(FastAPI(), engine=ENGINE, settings=settings)
    assert chat._queue.default_concurrency_limit == 3
    assert chat._queue.max_size == 7


def test_mounted_chat_page_is_served_at_root_and_per_posting_after_the_api() -> None:
    app = FastAPI()

    @app.get("/api/ping")
    def ping() -> dict:
        return {"pong": True}

    mount_ui(app, engine=ENGINE, settings=Settings())
    client = TestClient(app)
    assert client.get("/api/ping").json() == {"pong": True}
    for root in ("/", "/p/job/"):
        page = client.get(root)
        assert page.status_code == 200
        assert "text/html" in page.headers["content-type"]
        config = client.get(f"{root}config").json()
        assert config["footer_links"] == []
        assert "cc-disclosure" in str(config)
        assert config["i18n_translations"]["zh"]["cc.send"] == ui_strings(Settings().prompts_dir, "zh")["send"]
        assert config["i18n_translations"]["en"]["cc.title"] == "Ask about: this job"
