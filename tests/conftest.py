"""Shared fixtures for both tiers.

Fast tier: an engine on fake embeddings (`fast_engine`) and the app in process
(`app_client`). Real-part tier: the real embedding model (`engine`), live
`python app.py` processes, the fake OpenAI server process. Any test that uses
a real-part fixture is marked `slow` automatically, so `make test-fast`
(`-m "not slow and not browser and not services"`) runs the rest.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.config import PROJECT_ROOT, Settings
from bot.knowledge.vectorstore import MANIFEST_NAME
from tests.services import stop_process

KNOWLEDGE = PROJECT_ROOT / "knowledge"
FICTIONAL = PROJECT_ROOT / "tests" / "fixtures" / "fictional"
TODAY = dt.date(2026, 11, 29)


REAL_PART_FIXTURES = frozenset(
    {
        "engine",
        "fictional_engine",
        "heldout_engine",
        "live_server",
        "integration_server",
        "start_app",
        "fake",
        "server",
        "isolated",
        "llm_app",
        "extractive_app",
        "chroma_server",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs a real part (model, process, server) as `slow`; run browser tests first.

    The browser tests take longest, so on two workers they start at once, beside
    everything else.
    """
    for item in items:
        if REAL_PART_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)


# Modules that share a session server: on two workers each group runs on one worker, so the server
# starts once. A module missing here only costs a second start.
SHARED_SERVER_MODULES = {
    **dict.fromkeys(
        ("test_api", "test_security", "test_recruiter", "test_llm_provider", "test_openai_sdk", "test_hostile"),
        "live servers",
    ),
    **dict.fromkeys(("test_replicas", "test_records_postgres", "test_limiter_fallback"), "postgres and redis"),
}


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: unknown where xdist is not installed
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """Give workers whole modules; all browser tests, and the modules of each shared server, to one worker.

    pytest-xdist's `loadgroup` would say this with markers, but it cannot rename
    test ids under pytest 9, so the scope is told here from the test id.
    """
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixturesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::")[0]
            if module.startswith("tests/browser/"):
                return "browser"
            return SHARED_SERVER_MODULES.get(module.removeprefix("tests/").removesuffix(".py"), module)

    return SharedFixturesTogether(config, log)


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def engine(tmp_path_factory, warm_index):
    """An engine over the project's knowledge with its own Chroma on disk (a copy of the run's index)."""
    from bot.engine.engine import Engine

    data = tmp_path_factory.mktemp("engine-data")
    copy_index(warm_index, data)
    return Engine.build(Settings(data_dir=data, knowledge_dir=KNOWLEDGE, today=TODAY))


@pytest.fixture(scope="session")
def fictional_engine(tmp_path_factory):
    """An engine whose only knowledge is a fictional posting."""
    from bot.engine.engine import Engine

    data = tmp_path_factory.mktemp("fictional-data")
    return Engine.build(Settings(data_dir=data, knowledge_dir=FICTIONAL, today=dt.date(2031, 6, 1)))


@pytest.fixture(scope="session")
def fast_engine(tmp_path_factory):
    """An engine over the project's knowledge on fake embeddings: no model is loaded."""
    from bot.engine.engine import Engine
    from tests.fakes import FakeEmbeddings

    data = tmp_path_factory.mktemp("fast-engine-data")
    return Engine(
        Settings(_env_file=None, data_dir=data, knowledge_dir=KNOWLEDGE, today=TODAY), embeddings=FakeEmbeddings()
    )


def fast_settings(data_dir: Path, **overrides) -> Settings:
    """Settings for an in-process app over the project's knowledge."""
    values = {"data_dir": data_dir, "knowledge_dir": KNOWLEDGE, "today": TODAY, "rate_limit_per_minute": 0}
    return Settings(_env_file=None, **{**values, **overrides})


@pytest.fixture
def make_client(fast_engine, tmp_path):
    """Return a function building a TestClient for the app with settings overrides, on the fast engine."""
    from fastapi.testclient import TestClient

    from bot.web.app import create_app

    clients = []

    def make(**overrides) -> TestClient:
        client = TestClient(create_app(fast_settings(tmp_path / "app-data", **overrides), engine=fast_engine))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def app_client(make_client):
    """The whole app in process on the fast engine, rate limits off."""
    return make_client()


CONSOLE_PASSWORD = "console-bootstrap-secret"


@pytest.fixture(scope="session")
def console_engine(tmp_path_factory):
    """An engine on fake embeddings over a copy of knowledge/ that console tests change (reset per test)."""
    import shutil

    from bot.engine.engine import Engine
    from tests.fakes import FakeEmbeddings

    knowledge = tmp_path_factory.mktemp("console-knowledge") / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    settings = Settings(
        _env_file=None, data_dir=tmp_path_factory.mktemp("console-engine"), knowledge_dir=knowledge, today=TODAY
    )
    return Engine(settings, embeddings=FakeEmbeddings())


@pytest.fixture
def make_console(console_engine, tmp_path):
    """Return a function building a TestClient for the app with the console on, its knowledge reset to knowledge/."""
    import shutil

    from fastapi.testclient import TestClient

    from bot.web.app import create_app

    root = console_engine.settings.knowledge_dir
    shutil.rmtree(root)
    shutil.copytree(KNOWLEDGE, root)
    console_engine.reload()
    clients = []

    def make(data_dir: Path | None = None, **overrides) -> TestClient:
        values = {"knowledge_dir": root, "recruiter_password": CONSOLE_PASSWORD, **overrides}
        settings = fast_settings(data_dir or tmp_path / "console-data", **values)
        client = TestClient(create_app(settings, engine=console_engine))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@dataclass
class LiveServer:
    """A running `python app.py` process."""

    url: str
    process: subprocess.Popen
    data_dir: Path
    log_path: Path

    def client(self, **kwargs) -> httpx.Client:
        """Return an HTTP client for the server."""
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)


def copy_index(index: Path, data_dir: Path) -> None:
    """Copy a built index (see `warm_index`) into a data directory that has none yet.

    The copy names another Chroma directory, so the engine checks it against
    knowledge/ at start; every passage is found unchanged and nothing is embedded.
    """
    if (data_dir / MANIFEST_NAME).exists():
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    for part in index.iterdir():
        copy = shutil.copytree if part.is_dir() else shutil.copy2
        copy(part, data_dir / part.name)


def app_env(data_dir: Path, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """Return the environment of a test app process: offline, rate limits off, the suite's date."""
    return {
        **os.environ,
        "HOST": "127.0.0.1",
        "DATA_DIR": str(data_dir),
        "RATE_LIMIT_PER_MINUTE": "0",
        "RECRUITER_SIGNIN_FAILURES_PER_MINUTE": "0",
        "TODAY": TODAY.isoformat(),
        "HF_HUB_OFFLINE": "1",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "ANONYMIZED_TELEMETRY": "False",
        "OPENAI_API_KEY": "",
        **(extra_env or {}),
    }


def start_server(
    data_dir: Path, extra_env: dict[str, str] | None = None, timeout: float = 120, index: Path | None = None
) -> LiveServer:
    """Start the app on a free port and wait until /api/health answers 200.

    With `index` (see `warm_index`), an empty data directory starts from a copy
    of that index, which the app checks against knowledge/ rather than embedding
    the posting again.
    """
    port = free_port()
    env = {**app_env(data_dir, extra_env), "PORT": str(port)}
    if index is not None:
        copy_index(index, data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "server-output.log"
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, str(PROJECT_ROOT / "app.py")],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return LiveServer(url, process, data_dir, log_path)
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"server did not become ready: {log_path.read_text(errors='replace')[-3000:]}")


def stop_server(server: LiveServer) -> None:
    """Stop a live server."""
    stop_process(server.process)


@pytest.fixture(scope="session")
def warm_index(tmp_path_factory) -> Path:
    """Return a data directory holding knowledge/'s index and passage vectors, built once per run.

    An app process on an empty data directory embeds the posting again, about
    half of its start; the workers of `pytest -n` share this one.
    """
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's directory, above each worker's own
    built = root / "warm-index"
    with FileLock(root / "warm-index.lock"):
        if not (built / MANIFEST_NAME).exists():
            work = root / "warm-index-building"
            shutil.rmtree(work, ignore_errors=True)
            done = subprocess.run(
                [sys.executable, "-m", "bot", "ask", "When can I start?"],
                env=app_env(work),
                cwd=PROJECT_ROOT,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise RuntimeError(f"building the run's index failed: {done.stderr[-3000:]}")
            work.rename(built)
    return built


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, warm_index) -> Iterator[LiveServer]:
    """One extractive-mode app process shared by the session."""
    server = start_server(
        tmp_path_factory.mktemp("live-data"), {"RECRUITER_PASSWORD": "test-recruiter-secret"}, index=warm_index
    )
    yield server
    stop_server(server)


# The integration server's keys: one named `ats`, and the README's, so its SDK example runs as written.
INTEGRATION_KEY = "sk-test-ats-0123456789"
INTEGRATION_KEYS = f"ats:{INTEGRATION_KEY},careers-site:change-me-to-a-long-random-key"


@pytest.fixture(scope="session")
def integration_server(tmp_path_factory, warm_index) -> Iterator[LiveServer]:
    """An app process with the OpenAI-compatible /v1 API switched on."""
    server = start_server(
        tmp_path_factory.mktemp("integration-data"), {"INTEGRATION_API_KEYS": INTEGRATION_KEYS}, index=warm_index
    )
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def start_app(tmp_path_factory, warm_index) -> Iterator:
    """Return a function that starts another app process with extra env; all stop at session end."""
    servers: list[LiveServer] = []

    def start(extra_env: dict[str, str] | None = None) -> LiveServer:
        index = None if "DATA_DIR" in (extra_env or {}) else warm_index  # a test's own data stays as it made it
        server = start_server(tmp_path_factory.mktemp("app-data"), extra_env, index=index)
        servers.append(server)
        return server

    yield start
    for server in servers:
        stop_server(server)


@pytest.fixture(scope="module")
def fake():
    """A local OpenAI-compatible server process, one per test module (late retries stay in it)."""
    from tests.fake_openai_server import start

    server = start()
    yield server
    server.stop()


@pytest.fixture
def server(fake):
    """The module's fake OpenAI server with its script and request log cleared."""
    fake.reset()
    return fake


@pytest.fixture(scope="session")
def postgres() -> Iterator:
    """A throwaway PostgreSQL server for the session (services tier)."""
    from tests.services import PostgresServer

    server = PostgresServer().start()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def redis_server() -> Iterator:
    """A throwaway Redis server for the session (services tier)."""
    from tests.services import RedisServer

    server = RedisServer().start()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def chroma() -> Iterator:
    """A `chroma run` server for the session (services tier)."""
    from tests.services import ChromaServer

    server = ChromaServer().start()
    yield server
    server.remove()
