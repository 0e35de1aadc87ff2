"""LLM mode against a local OpenAI-compatible fake: TTFT overhead and a slow model under load.

The fake (tests/fake_openai_server.py) is a real HTTP server process, so the
app's real `ChatOpenAI` client, streaming and thread pool are what is measured.
"""

from __future__ import annotations

import gzip
import threading
import time
from pathlib import Path

import httpx

from bench.common import ROOT, live_app
from bench.speed import _pcts, concurrent
from tests.fake_openai_server import measure_ttft_overhead, start


def _health_while(base_url: str, stop: threading.Event, samples: list[float]) -> None:
    """Poll /api/health until stopped, recording its latency (does the server stay responsive?)."""
    with httpx.Client(timeout=30) as client:
        while not stop.is_set():
            started = time.perf_counter()
            client.get(f"{base_url}/api/health")
            samples.append((time.perf_counter() - started) * 1000)
            time.sleep(0.2)


def llm_suite(work: Path, questions: list[str], runs: int, load_seconds: float, model_latency: float = 1.0) -> dict:
    """Measure TTFT overhead and 16 clients against a model that takes `model_latency` s per answer."""
    fake = start()
    try:
        env = {
            "OPENAI_API_KEY": "bench",
            "OPENAI_BASE_URL": fake.base_url,
            "CHAT_MODEL": "fake-model",
            "LLM_TIMEOUT_SECONDS": "20",
        }
        with live_app(work / "llm-data", env) as app:
            ttft = measure_ttft_overhead(app.base_url, fake, runs=max(10, runs * 5), model_ttft=0.3)
            fake.script(default={"latency": model_latency})
            stop, health = threading.Event(), []
            poller = threading.Thread(target=_health_while, args=(app.base_url, stop, health))
            poller.start()
            load = concurrent(app.base_url, questions, 16, load_seconds)
            stop.set()
            poller.join()
        return {
            "ttft": {k: round(v, 1) if isinstance(v, float) else v for k, v in ttft.items()},
            "slow_model_latency_s": model_latency,
            "slow_model_load": load,
            "health_during_load": _pcts(health),
            "ideal_rps": round(16 / model_latency, 1),
        }
    finally:
        fake.stop()


def widget_size() -> dict:
    """Return the widget script's size, raw and gzipped (bytes)."""
    data = (ROOT / "bot" / "static" / "widget.js").read_bytes()
    return {"raw_bytes": len(data), "gzip_bytes": len(gzip.compress(data, compresslevel=9))}
