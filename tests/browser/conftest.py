"""Real-browser fixtures: the app as a subprocess, two host sites and Chromium.

One app (started with the shared `start_app` fixture) serves every browser
test, since the engine takes seconds to load. Its
knowledge is a copy of knowledge/ plus one document whose text contains
HTML, so the tests can check that a quote with markup stays text. Host
pages for the widget come from two more local origins: one on the app's
allowlist, one not.
"""

from __future__ import annotations

import functools
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
POSTING = "doubao-llm-research"
RECRUITER_PASSWORD = "browser-test-recruiter-password"
# Set by the onerror handler in the hostile markup; must stay undefined.
PWNED_FLAG = "__careersChatPwned"
HOSTILE_HTML = f"<img src=x onerror=window.{PWNED_FLAG}=1>"
HOSTILE_DOCUMENT = f"""---
posting_id: {POSTING}
title: ByteDance Doubao Team, LLM research
source: tests/browser/conftest.py
---

# Legacy careers site

## Logo markup

The legacy careers site embedded the team logo with the markup {HOSTILE_HTML} in every page header.
"""
HOSTILE_QUESTION = "What markup did the legacy careers site use for the team logo?"


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def host_page(
    widget_src: str,
    title: str,
    next_page: str,
    lang: str | None = "en",
    attributes: str = 'data-title="Ask about this job"',
) -> str:
    """Return a host page that embeds the widget with one tag, the way a customer would.

    `lang` is the page's <html lang> (None: no attribute); `attributes` are extra data-* on the tag.
    """
    page_lang = f' lang="{lang}"' if lang else ""
    return f"""<!doctype html>
<html{page_lang}><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>button {{ background: red !important; }} * {{ font-family: cursive !important; }}</style>
</head><body>
<h1>{title}</h1>
<a id="next" href="{next_page}">Next page</a>
<script src="{widget_src}" data-posting="{POSTING}" {attributes} defer></script>
</body></html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    """Serve files without logging each request to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


@dataclass(frozen=True)
class HostSite:
    """A static site on its own origin that embeds the widget."""

    origin: str
    root: Path
    widget_src: str

    def page(self, name: str = "index.html") -> str:
        """Return the URL of one of the site's pages."""
        return f"{self.origin}/{name}"

    def add_page(self, name: str, lang: str | None, attributes: str = "") -> str:
        """Write one more widget page (its <html lang> and extra tag attributes); return its URL."""
        (self.root / name).write_text(
            host_page(self.widget_src, name, "index.html", lang, attributes), encoding="utf-8"
        )
        return self.page(name)


def serve_site(root: Path, widget_src: str, port: int = 0) -> Iterator[HostSite]:
    """Serve two widget pages from root (port 0: any free one) until the generator closes."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text(host_page(widget_src, "Careers home", "jobs.html"), encoding="utf-8")
    (root / "jobs.html").write_text(host_page(widget_src, "Open roles", "index.html"), encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield HostSite(f"http://127.0.0.1:{server.server_address[1]}", root, widget_src)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def allowed_port() -> int:
    """Port of the host site the app allows."""
    return free_port()


@pytest.fixture(scope="session")
def live_app(start_app, tmp_path_factory: pytest.TempPathFactory, allowed_port: int):
    """The app (`python app.py`) over knowledge with hostile HTML, allowing one other origin."""
    knowledge = tmp_path_factory.mktemp("browser-knowledge") / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    (knowledge / POSTING / "99-legacy-markup.md").write_text(HOSTILE_DOCUMENT, encoding="utf-8")
    return start_app(
        {
            "KNOWLEDGE_DIR": str(knowledge),
            "WIDGET_ALLOWED_ORIGINS": f"http://127.0.0.1:{allowed_port}",
            "RECRUITER_PASSWORD": RECRUITER_PASSWORD,
        }
    )


@pytest.fixture(scope="session")
def allowed_site(tmp_path_factory: pytest.TempPathFactory, live_app, allowed_port: int) -> Iterator[HostSite]:
    """A site on the app's allowlist that embeds the widget."""
    yield from serve_site(tmp_path_factory.mktemp("allowed-site"), f"{live_app.url}/widget.js", allowed_port)


@pytest.fixture(scope="session")
def blocked_site(tmp_path_factory: pytest.TempPathFactory, live_app) -> Iterator[HostSite]:
    """A site that is not on the allowlist but embeds the widget anyway."""
    yield from serve_site(tmp_path_factory.mktemp("blocked-site"), f"{live_app.url}/widget.js")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh desktop tab with its own storage; page errors fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A fresh phone-sized tab (390x844, touch)."""
    context = browser.new_context(**SCREENS["phone"])
    tab = context.new_page()
    yield tab
    context.close()


SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    # A 1280x800 window at 200% browser zoom: half the CSS pixels, each drawn twice as large.
    "zoom-200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}


def open_tab(browser: Browser, screen: str, **options) -> tuple[Page, list[str]]:
    """Open a tab in a fresh context of the named screen; return it with the list its page errors go to."""
    context = browser.new_context(**SCREENS[screen], **options)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    return tab, errors


@pytest.fixture(params=["desktop", "phone"])
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A fresh tab at desktop (1280x800) and at phone (390x844) size; page errors fail the test."""
    tab, errors = open_tab(browser, request.param)
    yield tab
    tab.context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@dataclass(frozen=True)
class Hostile:
    """Markup that must render as text, the flag its script would set, and a question that quotes it."""

    html: str = HOSTILE_HTML
    flag: str = PWNED_FLAG
    question: str = HOSTILE_QUESTION


@pytest.fixture(scope="session")
def hostile() -> Hostile:
    """The hostile markup planted in the test knowledge."""
    return Hostile()


@pytest.fixture(scope="session")
def docs_dir() -> Path:
    """Where README screenshots are saved."""
    DOCS.mkdir(exist_ok=True)
    return DOCS


def _throttle(page: Page, bytes_per_second: int) -> None:
    """Slow the tab's downloads so a streamed answer arrives in many network chunks."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": bytes_per_second, "uploadThroughput": -1},
    )


@pytest.fixture(scope="session")
def throttle() -> Callable[[Page, int], None]:
    """Return a function that slows one tab's downloads (bytes per second)."""
    return _throttle


@pytest.fixture(scope="session")
def recruiter_password() -> str:
    """The recruiter console password the live app runs with."""
    return RECRUITER_PASSWORD
