"""A scripted OpenAI-compatible chat server for tests, run as a real process.

`python tests/fake_openai_server.py --port 0` serves `/v1/chat/completions`
(streaming and not) and `/v1/models`, and prints `PORT <n>` once listening.
Tests script it over HTTP:

- `POST /_script` `{"steps": [...], "default": {...}}` replaces the script.
  Each request takes the first step whose `when` text occurs in its messages
  (a step without `when` matches any request); a step is used `times` times
  (default 1, -1 for ever), then the `default` step answers.
- `GET /_requests` returns every request received (JSON body, headers, time);
  `POST /_reset` clears requests and script.

A step may set: `reply` (text), `cite` (words: reply with the sentence of the
context chunk containing each word, followed by that chunk's `[n]`),
`append` (a sentence added), `clause` (a clause joined onto the first cited sentence),
`latency` (seconds before responding), `ttft` (seconds between the response
headers and the first token), `chunk_delay`, `chunk_chars`, `status` and
`headers` (an error response such as 429 with Retry-After, or 500),
`malformed` (broken JSON / SSE), `drop_after` (close the stream after that
many chunks). Without a step, a condense request (`<latest>`) is answered
with the latest question, and an answer request with the first sentence of
chunk 1, cited `[1]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script: make `tests` importable

from tests.fakes import reply_text


class Script:
    """The scripted behaviour and the record of received requests."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.steps: list[dict] = []
        self.default: dict = {}
        self.requests: list[dict] = []

    def take(self, text: str) -> dict:
        """Return the step that answers a request whose messages read `text`."""
        with self.lock:
            for step in self.steps:
                if step.get("when") and step["when"] not in text:
                    continue
                times = step.get("times", 1)
                if times > 0:
                    step["times"] = times - 1
                    if step["times"] == 0:
                        self.steps.remove(step)
                return step
            return self.default


SCRIPT = Script()


def _messages_text(body: dict) -> str:
    parts = []
    for message in body.get("messages", []):
        content = message.get("content")
        if isinstance(content, list):
            content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
        parts.append(str(content or ""))
    return "\n".join(parts)


def _last_user(body: dict) -> str:
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    return str(users[-1].get("content", "")) if users else ""


class Handler(BaseHTTPRequestHandler):
    """Serve the OpenAI routes and the scripting routes."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def _json(self, status: int, payload: object, headers: dict | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        return json.loads(raw or b"{}")

    def do_GET(self) -> None:
        """Serve the request log and the model list."""
        if self.path == "/_requests":
            with SCRIPT.lock:
                self._json(200, list(SCRIPT.requests))
        elif self.path.rstrip("/").endswith("/models"):
            self._json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]})
        else:
            self._json(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        """Serve chat completions and the scripting routes."""
        body = self._body()
        if self.path == "/_script":
            with SCRIPT.lock:
                SCRIPT.steps = list(body.get("steps", []))
                SCRIPT.default = dict(body.get("default", {}))
            self._json(200, {"ok": True})
        elif self.path == "/_reset":
            with SCRIPT.lock:
                SCRIPT.steps, SCRIPT.default, SCRIPT.requests = [], {}, []
            self._json(200, {"ok": True})
        elif self.path.rstrip("/").endswith("/chat/completions"):
            self._completion(body)
        else:
            self._json(404, {"error": {"message": "not found"}})

    def _completion(self, body: dict) -> None:
        received = time.time()
        with SCRIPT.lock:
            SCRIPT.requests.append(
                {
                    "path": self.path,
                    "body": body,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "time": received,
                }
            )
        step = SCRIPT.take(_messages_text(body))
        time.sleep(step.get("latency", 0))
        if "status" in step:
            self._json(
                step["status"],
                {"error": {"message": f"scripted {step['status']}", "type": "scripted"}},
                step.get("headers"),
            )
            return
        text = reply_text(step, _last_user(body))
        if body.get("stream"):
            self._stream(step, body, text)
        elif step.get("malformed"):
            data = b'{"id": "x", "choices": [ {"message": '
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        else:
            time.sleep(step.get("ttft", 0))
            self._json(200, _completion(body, text))

    def _stream(self, step: dict, body: dict, text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.flush()
        time.sleep(step.get("ttft", 0))
        size = max(1, step.get("chunk_chars", 12))
        pieces = [text[i : i + size] for i in range(0, len(text), size)] or [""]
        cid = "chatcmpl-" + uuid.uuid4().hex[:12]
        for index, piece in enumerate(pieces):
            if step.get("drop_after") is not None and index >= step["drop_after"]:
                self.close_connection = True
                return
            if index:
                time.sleep(step.get("chunk_delay", 0))
            if step.get("malformed") and index == 1:
                self.wfile.write(b'data: {"id": "x", "choices": [{"delta": \n\n')
                self.wfile.flush()
                self.close_connection = True
                return
            self._event(_chunk(cid, body, {"content": piece}, None))
        self._event(_chunk(cid, body, {}, "stop"))
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True

    def _event(self, payload: dict) -> None:
        self.wfile.write(b"data: " + json.dumps(payload).encode() + b"\n\n")
        self.wfile.flush()


class QuietServer(ThreadingHTTPServer):
    """Serve each request in a thread; a client hanging up early is not an error."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore clients that went away (timeouts are what the tests provoke)."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _chunk(cid: str, body: dict, delta: dict, finish: str | None) -> dict:
    return {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "fake-model"),
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _completion(body: dict, text: str) -> dict:
    return {
        "id": "chatcmpl-" + uuid.uuid4().hex[:12],
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake-model"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


class FakeOpenAI:
    """Drive a running fake server over HTTP."""

    def __init__(self, port: int, process: subprocess.Popen | None = None) -> None:
        self.port = port
        self.process = process
        self.url = f"http://127.0.0.1:{port}"
        self.base_url = self.url + "/v1"

    def script(self, steps: list[dict] | None = None, default: dict | None = None) -> None:
        """Replace the script (and clear nothing else)."""
        httpx.post(self.url + "/_script", json={"steps": steps or [], "default": default or {}}).raise_for_status()

    def reset(self) -> None:
        """Forget received requests and the script."""
        httpx.post(self.url + "/_reset").raise_for_status()

    def requests(self) -> list[dict]:
        """Return the chat-completion requests received so far."""
        return httpx.get(self.url + "/_requests").json()

    def stop(self) -> None:
        """Stop the server process."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


def start() -> FakeOpenAI:
    """Start the server as a subprocess on a free port and return its driver."""
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if not line.startswith("PORT "):
        process.kill()
        raise RuntimeError(f"fake OpenAI server did not start: {line!r}")
    return FakeOpenAI(int(line.split()[1]), process)


def _first_event_seconds(url: str, body: dict, is_first: Callable[[str], bool]) -> float:
    """Return seconds from sending a streaming POST to the first line `is_first` accepts."""
    started = time.perf_counter()
    with httpx.stream("POST", url, json=body, timeout=60) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if is_first(line):
                return time.perf_counter() - started
    raise RuntimeError(f"no first token from {url}")


def measure_ttft_overhead(
    app_url: str,
    fake: FakeOpenAI,
    runs: int = 10,
    model_ttft: float = 0.3,
    message: str = "How many positions can I apply for?",
) -> dict:
    """Measure the app's time-to-first-token overhead over the model's own.

    The fake model waits `model_ttft` seconds before its first token. Its own
    TTFT is timed by streaming from it directly; the app's by streaming
    `/api/chat/stream` until the first `delta` event. Medians, in ms; the
    difference is what guards, retrieval, selection and the prompt cost.
    """
    fake.script(default={"cite": ["maximum of TWO"], "ttft": model_ttft})
    direct_body = {
        "model": "fake-model",
        "stream": True,
        "messages": [
            {"role": "user", "content": '<chunk id="1">Candidates can apply for a maximum of TWO positions.</chunk>'}
        ],
    }
    direct, app = [], []
    for _ in range(runs):
        direct.append(
            _first_event_seconds(fake.base_url + "/chat/completions", direct_body, lambda line: '"content"' in line)
        )
        app.append(
            _first_event_seconds(
                app_url + "/api/chat/stream", {"message": message}, lambda line: line.startswith("event: delta")
            )
        )
    model_ms = statistics.median(direct) * 1000
    app_ms = statistics.median(app) * 1000
    return {"runs": runs, "model_ttft_ms": model_ms, "app_ttft_ms": app_ms, "overhead_ms": app_ms - model_ms}


def main() -> None:
    """Serve until killed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = QuietServer((args.host, args.port), Handler)
    sys.stdout.write(f"PORT {server.server_address[1]}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
