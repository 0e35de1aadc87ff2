"""Route candidates to a posting: `/` lists the postings, `/p/<id>/` is one posting's chat page.

The chat pages are Gradio apps mounted at `/` and `/p/{posting_id}`; this
middleware sits in front of them. It answers `/` itself when several postings
are open (a list of links, in the browser's language) and answers 404 for a
posting page whose posting does not exist, so nobody chats with a page that
can only reply "which posting?". With one posting, `/` stays that posting's chat.
"""

from __future__ import annotations

import html
import re
import threading
from pathlib import Path
from urllib.parse import quote

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.web.rendering import browser_language, ui_strings

POSTING_PAGE = re.compile(r"^/p/(?P<posting>[^/]+)/?$")
EXAMPLES_SHOWN = 4
LIST_FILE = Path(__file__).resolve().parent / "static" / "postings.html"


class PostingPages:
    """ASGI middleware: the postings list at `/` and a 404 for unknown posting pages."""

    def __init__(self, app: ASGIApp, engine, prompts_dir: Path) -> None:
        self.app = app
        self.engine = engine
        self.prompts_dir = prompts_dir
        self.template = LIST_FILE.read_text(encoding="utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        index = self.engine.index
        page = POSTING_PAGE.match(scope["path"])
        language = browser_language(Headers(scope=scope).get("accept-language"))
        if scope["path"] == "/" and len(index.postings) > 1:
            await HTMLResponse(self.listing(index, language))(scope, receive, send)
        elif page and page.group("posting") not in index.postings:
            await HTMLResponse(self.unknown(page.group("posting"), language), status_code=404)(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _page(self, language: str, heading: str, body: str) -> str:
        texts = ui_strings(self.prompts_dir, language)
        return (
            self.template.replace("{{LANG}}", language)
            .replace("{{TITLE}}", html.escape(heading))
            .replace("{{LEAD}}", html.escape(texts["postings_lead"]))
            .replace("{{DISCLOSURE}}", html.escape(f"{texts['disclosure_lead']} {texts['disclosure']}"))
            .replace("{{BODY}}", body)
        )

    def listing(self, index, language: str) -> str:
        """Return the list of postings, each linking to its chat page, sorted by title."""
        texts = ui_strings(self.prompts_dir, language)
        items = "".join(
            f'<li><a href="p/{html.escape(quote(posting, safe=""), quote=True)}/">{html.escape(title)}</a></li>'
            for posting, title in sorted(index.titles.items(), key=lambda item: item[1].casefold())
        )
        return self._page(language, texts["postings_title"], f'<ul class="postings">{items}</ul>')

    def unknown(self, posting: str, language: str) -> str:
        """Return the page for a posting that does not exist, linking to the list."""
        texts = ui_strings(self.prompts_dir, language)
        message = html.escape(texts["no_posting"].format(posting=posting))
        link = f'<p><a href="../../">{html.escape(texts["all_postings"])}</a></p>'
        return self._page(language, texts["postings_title"], f'<p role="alert">{message}</p>{link}')


class ExampleQuestions:
    """The example questions a posting's chat page shows: the first few its posting answers directly.

    A posting without an accommodation paragraph should not offer "How can I
    request an accommodation?". Candidates come from the page's language file;
    each posting's pick is kept until the knowledge changes.
    """

    def __init__(self, engine, prompts_dir: Path) -> None:
        self.engine = engine
        self.prompts_dir = prompts_dir
        self._picked: dict[tuple[int, str | None, str], list[str]] = {}
        self._lock = threading.Lock()

    def for_posting(self, posting: str | None, language: str) -> list[str]:
        """Return up to four example questions in a language that the posting answers."""
        candidates = ui_strings(self.prompts_dir, language)["examples"]
        index = self.engine.index
        if posting not in index.postings:
            return candidates[:EXAMPLES_SHOWN]
        key = (id(index), posting, language)
        with self._lock:
            picked = self._picked.get(key)
        if picked is None:
            answered = [q for q in candidates if self.engine.answers_directly(q, posting)]
            picked = (answered or candidates)[:EXAMPLES_SHOWN]
            with self._lock:
                if len(self._picked) > 1000:
                    self._picked.clear()
                self._picked[key] = picked
        return picked
