"""The widget routes and the cross-origin policy (CORS, origin guard, frame-ancestors)."""

from __future__ import annotations

import gzip
import json
import re
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from bot.config import Settings
from bot.engine.replies import strings
from bot.web.postings_page import ExampleQuestions
from bot.web.widget import REFUSAL, install_cors, router

ALLOWED = "https://careers.example.com"
OTHER = "https://evil.example.net"
WIDGET_GZIP_BUDGET = 15 * 1024


def make_app(allowed: str = ALLOWED) -> TestClient:
    """Return a client for an app with the widget routes, the policy and two stand-in routes."""
    settings = Settings(widget_allowed_origins=allowed)
    app = FastAPI()
    # The demo page reads the postings and titles from the engine's index, and lists example
    # questions the posting answers (here: every one but the accommodation question).
    index = SimpleNamespace(
        postings=["doubao-llm-research", "field-nurse"],
        titles={"doubao-llm-research": "LLM research", "field-nurse": "Field nurse"},
    )
    engine = SimpleNamespace(index=index, answers_directly=lambda question, posting: "accommodation" not in question)
    app.state.engine = engine

    @app.post("/api/echo")
    def echo() -> dict:
        return {"ok": True}

    @app.get("/page", response_class=HTMLResponse)
    def page() -> str:
        return "<p>page</p>"

    app.include_router(router(settings, ExampleQuestions(engine, settings.prompts_dir)))
    install_cors(app, settings)
    return TestClient(app, base_url="http://testserver")


@pytest.fixture(scope="module")
def client() -> TestClient:
    return make_app()


def test_widget_script_is_served_small_and_cacheable(client: TestClient) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "max-age" in response.headers["cache-control"]
    size = len(gzip.compress(response.content, compresslevel=9))
    assert size < WIDGET_GZIP_BUDGET, f"widget.js is {size} bytes gzipped"


def test_widget_script_has_no_external_dependencies_or_html_sinks(client: TestClient) -> None:
    source = client.get("/widget.js").text
    assert "http://" not in source.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in source.replace("https://HOST/widget.js", "")
    assert "@import" not in source and "fonts.googleapis" not in source
    # innerHTML only ever receives the static skeleton template
    assert source.count("innerHTML =") == 1 and "tpl.innerHTML = SKELETON" in source
    assert "insertAdjacentHTML" not in source and "outerHTML" not in source and "eval(" not in source


def test_widget_script_carries_every_language_and_the_message_limit(client: TestClient) -> None:
    source = client.get("/widget.js").text
    config = json.loads(re.search(r"var CONFIG = (\{.*?\});\n", source).group(1))
    assert set(config["strings"]) == {"en", "zh", "es"}
    assert config["maxChars"] == Settings().max_message_chars
    for language, texts in config["strings"].items():
        assert texts == strings(Settings().prompts_dir, language)["widget"]
    english = config["strings"]["en"]
    for language in ("zh", "es"):
        untranslated = [key for key, text in config["strings"][language].items() if text == english[key]]
        assert untranslated == [], f"{language} shows these widget strings in English"


def test_demo_page_embeds_the_widget_with_an_absolute_tag(client: TestClient) -> None:
    response = client.get("/demo")
    assert response.status_code == 200
    assert '<script src="http://testserver/widget.js" data-posting="doubao-llm-research"' in response.text
    assert "<h1>LLM research</h1>" in response.text
    assert "{{" not in response.text and "data-lang" not in response.text
    assert 'data-posting="doubao-llm-research" data-lang="zh" defer' in client.get("/demo?lang=zh").text
    assert "data-lang" not in client.get("/demo?lang=<b>").text


def test_demo_page_presents_the_posting_it_names_with_questions_it_answers(client: TestClient) -> None:
    page = client.get("/demo?posting=field-nurse").text
    assert 'data-posting="field-nurse"' in page and "<h1>Field nurse</h1>" in page
    examples = re.findall(r"<li>([^<]*)</li>", page.split('<ul lang="en">', 1)[1].split("</ul>", 1)[0])
    assert len(examples) == 4 and not any("accommodation" in q for q in examples)
    chinese = client.get("/demo?posting=field-nurse&lang=zh").text
    assert '<ul lang="zh">' in chinese and "入职日期" in chinese


def test_demo_page_for_an_unknown_posting_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/demo?posting=no-such-job")
    assert response.status_code == 404
    assert "no-such-job" in response.json()["detail"]


def test_allowed_origin_gets_cors_headers_and_retry_after_is_readable(client: TestClient) -> None:
    response = client.post("/api/echo", headers={"Origin": ALLOWED})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "retry-after" in response.headers["access-control-expose-headers"].lower()

    preflight = client.options(
        "/api/echo",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ALLOWED


@pytest.mark.parametrize(
    "origin", [OTHER, "null", "http://careers.example.com", "https://careers.example.com.evil.net"]
)
def test_origin_not_allowed_is_refused_with_a_clear_message(client: TestClient, origin: str) -> None:
    response = client.post("/api/echo", headers={"Origin": origin})
    assert response.status_code == 403
    assert response.json() == {"detail": REFUSAL}
    assert "access-control-allow-origin" not in response.headers

    preflight = client.options("/api/echo", headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 403


def test_same_origin_and_originless_requests_pass(client: TestClient) -> None:
    assert client.post("/api/echo", headers={"Origin": "http://testserver"}).status_code == 200
    assert client.post("/api/echo").status_code == 200


def test_empty_allowlist_means_same_origin_only() -> None:
    closed = make_app(allowed="")
    assert closed.post("/api/echo", headers={"Origin": ALLOWED}).status_code == 403
    assert closed.post("/api/echo", headers={"Origin": "http://testserver"}).status_code == 200
    assert closed.get("/page").headers["content-security-policy"] == "frame-ancestors 'self'"


def test_script_and_pages_are_not_refused_but_pages_limit_framing(client: TestClient) -> None:
    assert client.get("/widget.js", headers={"Origin": OTHER}).status_code == 200
    page = client.get("/page", headers={"Origin": OTHER})
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == f"frame-ancestors 'self' {ALLOWED}"
    assert "content-security-policy" not in client.post("/api/echo").headers
