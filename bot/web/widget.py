"""Serve the embeddable widget and its demo page, and enforce who may embed it.

The widget runs on other sites, so cross-origin use is an allowlist
(`WIDGET_ALLOWED_ORIGINS`; empty means same-origin only). CORS alone only
stops a browser from *reading* a response; the origin guard also refuses
the request itself, so a page that is not allowed cannot spend the API's
rate budget or write conversations. `frame-ancestors` applies the same list
to framing the chat page.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config import Settings
from bot.engine.replies import strings
from bot.knowledge.language import DEFAULT_LANGUAGE, SUPPORTED

if TYPE_CHECKING:  # the index pulls in the vector store; the widget routes only read two fields
    from bot.engine.index import Index
    from bot.web.postings_page import ExampleQuestions

STATIC_DIR = Path(__file__).resolve().parent / "static"
WIDGET_FILE = STATIC_DIR / "widget.js"
DEMO_FILE = STATIC_DIR / "demo.html"
WIDGET_CACHE_SECONDS = 300
# Where widget.js receives its settings: the strings of every language and the message limit.
CONFIG_SLOT = "/*@config*/null"
GUARDED_PREFIX = "/api/"
REFUSAL = "This assistant is not available on this site: its origin is not on the allowed list."


def _origin_allowed(origin: str, host: str | None, allowed: list[str]) -> bool:
    """Return whether a request's Origin is the app itself or on the allowlist."""
    if origin.rstrip("/") in allowed:
        return True
    parts = urlsplit(origin)
    return bool(host) and parts.scheme in ("http", "https") and parts.netloc == host


class OriginGuardMiddleware:
    """Refuse `/api/*` requests sent from a page whose origin is not allowed.

    Browsers send `Origin` on cross-origin requests and on same-origin
    POSTs; requests without it (curl, server-to-server) are not from a
    web page and pass.
    """

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(GUARDED_PREFIX):
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]}
        origin = headers.get("origin")
        if origin is None or _origin_allowed(origin, headers.get("host"), self.allowed):
            await self.app(scope, receive, send)
            return
        body = json.dumps({"detail": REFUSAL}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class FrameAncestorsMiddleware:
    """Send a CSP `frame-ancestors` on HTML pages so only allowed sites can frame them."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.policy = "frame-ancestors " + " ".join(["'self'", *allowed])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    headers.append((b"content-security-policy", self.policy.encode("latin-1")))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_policy)


def install_cors(app: FastAPI, settings: Settings) -> None:
    """Apply the origin allowlist: CORS headers, the `/api/*` guard and `frame-ancestors`.

    Call before the app starts. Gradio adds no CORS headers of its own once
    the parent app has a `CORSMiddleware`, so this policy covers the chat
    page too.
    """
    allowed = settings.allowed_origins
    app.add_middleware(FrameAncestorsMiddleware, allowed=allowed)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=allowed,
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type", "Accept"],
        expose_headers=["Retry-After"],
        max_age=600,
    )
    app.add_middleware(OriginGuardMiddleware, allowed=allowed)


def featured_posting(index: Index, wanted: str | None) -> tuple[str, str]:
    """Return the id and title of the posting the demo page and chat page present ("" when unknown)."""
    for posting in index.postings:
        if wanted in (None, posting):
            return posting, index.titles.get(posting, posting)
    return wanted or "", ""


def widget_script(settings: Settings) -> bytes:
    """Return widget.js with every language's strings and the message limit filled in.

    All languages ship in the one cacheable file (about 2 kB gzipped), so the
    widget picks its language in the browser without a second request, and
    still speaks the candidate's language when the API refuses the site.
    """
    config = {
        "strings": {language: strings(settings.prompts_dir, language)["widget"] for language in SUPPORTED},
        "maxChars": settings.max_message_chars,
    }
    source = WIDGET_FILE.read_text(encoding="utf-8")
    return source.replace(CONFIG_SLOT, json.dumps(config, ensure_ascii=False, separators=(",", ":"))).encode()


def router(settings: Settings, examples: ExampleQuestions) -> APIRouter:
    """Return the routes for `/widget.js` and the `/demo` careers page."""
    routes = APIRouter()
    script = widget_script(settings)
    demo_page = DEMO_FILE.read_text(encoding="utf-8")

    @routes.get("/widget.js", include_in_schema=False, name="widget_js")
    def widget_js() -> Response:
        """Serve the widget script, cacheable for a few minutes."""
        return Response(
            script,
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": f"public, max-age={WIDGET_CACHE_SECONDS}"},
        )

    @routes.get("/demo", include_in_schema=False, response_class=HTMLResponse)
    def demo(request: Request, posting: str | None = None, lang: str | None = None) -> HTMLResponse:
        """Serve a sample careers page embedding the widget for a posting (`?posting=`; `?lang=zh` sets data-lang)."""
        index = request.app.state.engine.index
        wanted = posting or settings.default_posting
        if wanted is not None and wanted not in index.postings:
            raise HTTPException(status_code=404, detail=f"No posting '{wanted}'; see /api/health for the postings.")
        posting, title = featured_posting(index, wanted)
        language = lang if lang in SUPPORTED else DEFAULT_LANGUAGE
        questions = "".join(f"<li>{html.escape(q)}</li>" for q in examples.for_posting(posting, language))
        questions = f'<ul lang="{language}">{questions}</ul>'
        page = (
            demo_page.replace("{{TITLE}}", html.escape(title or "Open role"))
            .replace("{{POSTING}}", html.escape(posting))
            .replace("{{LANG}}", f' data-lang="{lang}"' if lang in SUPPORTED else "")
            .replace("{{EXAMPLES}}", questions)
            .replace("{{WIDGET_SRC}}", html.escape(str(request.url_for("widget_js"))))
        )
        return HTMLResponse(page)

    return routes
