"""A page per posting: `/` lists the postings, `/p/<id>/` is one posting's chat, `/demo?posting=`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.config import Settings
from bot.engine.engine import Engine
from bot.web.app import create_app
from bot.web.postings_page import ExampleQuestions
from bot.web.ratelimit import _budget, _limited
from tests.conftest import KNOWLEDGE, TODAY
from tests.fakes import FakeEmbeddings

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SECOND = "zephyr-data-engineer"


@pytest.fixture(scope="module")
def two_postings(tmp_path_factory) -> tuple[Engine, Settings]:
    """An engine over the seed posting and a fictional one, on fake embeddings."""
    root = tmp_path_factory.mktemp("two-postings")
    shutil.copytree(KNOWLEDGE, root / "knowledge")
    shutil.copytree(FIXTURES / "fictional" / SECOND, root / "knowledge" / SECOND)
    settings = Settings(
        _env_file=None, data_dir=root / "data", knowledge_dir=root / "knowledge", today=TODAY, rate_limit_per_minute=0
    )
    return Engine(settings, embeddings=FakeEmbeddings()), settings


@pytest.fixture(scope="module")
def client(two_postings) -> TestClient:
    engine, settings = two_postings
    with TestClient(create_app(settings, engine=engine)) as client:
        yield client


def test_root_lists_every_posting_linking_to_its_page(client: TestClient, two_postings) -> None:
    engine, _ = two_postings
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["x-content-type-options"] == "nosniff"
    for posting in engine.index.postings:
        assert f'href="p/{posting}/"' in page.text
        assert engine.index.titles[posting] in page.text
    assert "AI assistant" in page.text


def test_the_list_speaks_the_browsers_language(client: TestClient) -> None:
    page = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text
    assert '<html lang="zh">' in page and "在招职位" in page


def test_each_posting_has_its_own_chat_page(client: TestClient, two_postings) -> None:
    engine, _ = two_postings
    for posting in engine.index.postings:
        page = client.get(f"/p/{posting}/")
        assert page.status_code == 200
        assert client.get(f"/p/{posting}/config").json()["components"], "the Gradio page has no components"


def test_an_unknown_posting_page_is_404_and_links_to_the_list(client: TestClient) -> None:
    page = client.get("/p/no-such-job/")
    assert page.status_code == 404
    assert "no-such-job" in page.text and 'href="../../"' in page.text


def test_with_one_posting_root_is_the_chat(app_client: TestClient) -> None:
    page = app_client.get("/")
    assert page.status_code == 200
    assert "postings" not in page.text
    assert app_client.get("/config").json()["components"]


def test_example_questions_are_ones_the_posting_answers(two_postings) -> None:
    engine, settings = two_postings
    examples = ExampleQuestions(engine, settings.prompts_dir)
    for posting in engine.index.postings:
        for language in ("en", "zh", "es"):
            shown = examples.for_posting(posting, language)
            assert 1 <= len(shown) <= 4
            assert all(engine.answers_directly(question, posting) for question in shown), (posting, language, shown)


def test_a_question_the_posting_does_not_answer_is_not_an_example(two_postings) -> None:
    engine, _ = two_postings
    assert not engine.answers_directly("Is there a company gym with a climbing wall?", SECOND)
    assert not engine.answers_directly("What is my criminal record worth here?", SECOND)


def test_demo_page_takes_the_posting(client: TestClient, two_postings) -> None:
    engine, _ = two_postings
    page = client.get(f"/demo?posting={SECOND}").text
    assert f'data-posting="{SECOND}"' in page and engine.index.titles[SECOND] in page
    assert client.get("/demo?posting=nope").status_code == 404


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        ("/gradio_api/queue/join", "messages"),
        ("/p/some-job/gradio_api/queue/join", "messages"),
        ("/p/some-job/gradio_api/run/predict", "feedback"),
        ("/api/chat", "messages"),
    ],
)
def test_every_chat_page_spends_the_same_budgets(path: str, budget: str) -> None:
    assert _limited(path) and _budget(path) == budget


def test_posting_page_assets_spend_no_budget() -> None:
    assert not _limited("/p/some-job/gradio_api/upload")
    assert not _limited("/p/gradio_api/queue/join/x")
