"""LLM mode against a local OpenAI-compatible fake: accuracy, adversarial replies, TTFT, a slow model under load.

The fake (tests/fake_openai_server.py) is a real HTTP server process, so the
app's real `ChatOpenAI` client, sentence checks, streaming and thread pool
are what is measured. By default it answers with the context sentence that
shares most words with the question (a grounded model); scripted, it appends
an invented uncited sentence, joins an invented clause onto its cited sentence,
cites a passage it was never sent, or rewrites
numbers and dates the way a model might ("$136,800", "Jan 15").
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from pathlib import Path

import httpx

from bench.common import ROOT, live_app
from bench.quality import table
from bench.speed import REQUEST_TIMEOUT, _pcts, concurrent
from bot.answerers.base import ChatAnswer
from bot.evaluation.golden import CaseResult, GoldenCase, check_case, knowledge_text
from tests.fake_openai_server import FakeOpenAI, measure_ttft_overhead, start
from tests.fakes import reply_text

INVENTED = "The role is also fully remote, with free lunch every day."
JUDGEMENT = "With that background, you would be a strong candidate for this role [1]."  # cited, but a verdict
ADVERSARIAL = {  # mode -> (the fake's step, words that only the invented sentence says)
    "append": ({"append": INVENTED}, "free lunch"),
    "bogus_cite": ({"bogus_cite": 9}, "relocation costs"),
    "clause": ({"clause": "and the role is also fully remote"}, "fully remote"),
    "judge": ({"append": JUDGEMENT}, "strong candidate"),
    "reformat": ({"reformat": True}, None),
}


def _health_while(base_url: str, stop: threading.Event, samples: list[float]) -> None:
    """Poll /api/health until stopped, recording its latency (does the server stay responsive?)."""
    with httpx.Client(timeout=30) as client:
        while not stop.is_set():
            started = time.perf_counter()
            client.get(f"{base_url}/api/health")
            samples.append((time.perf_counter() - started) * 1000)
            time.sleep(0.2)


def _stream(client: httpx.Client, base_url: str, question: str) -> tuple[str, dict]:
    """Post to /api/chat/stream; return the text of every delta event and the done event's answer."""
    deltas, done, event = [], {}, None
    with client.stream("POST", f"{base_url}/api/chat/stream", json={"message": question}) as response:
        for line in response.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event in ("delta", "done"):
                data = json.loads(line.split(":", 1)[1])
                if event == "delta":
                    deltas.append(data.get("text", ""))
                else:
                    done = data
    return "".join(deltas), done


def accuracy(client: httpx.Client, base_url: str, cases: list[GoldenCase], knowledge: str) -> tuple[dict, dict]:
    """Ask every case with the fake's grounded default reply; return the per-language table and degraded answers."""
    results, degraded = [], {}
    for case in cases:
        answer = ChatAnswer.model_validate(client.post(f"{base_url}/api/chat", json={"message": case.question}).json())
        reasons = check_case(case, answer, knowledge)
        degraded[case.question] = answer.degraded
        results.append(
            CaseResult(
                row=case.row,
                question=case.question,
                expected_status=case.expected_status,
                status=answer.status,
                passed=not reasons,
                reasons=reasons,
                answer=answer.answer,
                citations=len(answer.citations),
                lang=case.lang,
                split=case.split,
                answer_type=answer.answer_type,
            )
        )
    return table(results), degraded


def _reformat_changes(fake: FakeOpenAI) -> bool:
    """Tell whether the fake's last answer request got a reply that reformatting changed."""
    answers = [r for r in fake.requests() if "<latest>" not in json.dumps(r["body"])]
    if not answers:
        return False
    users = [m for m in answers[-1]["body"]["messages"] if m.get("role") == "user"]
    last = str(users[-1].get("content", "")) if users else ""
    return reply_text({"reformat": True}, last) != reply_text({}, last)


def adversarial(client: httpx.Client, base_url: str, fake: FakeOpenAI, cases: list[GoldenCase], clean: dict) -> dict:
    """Script each bad reply for every answerable case; count what reaches the candidate, JSON and stream."""
    answerable = [c for c in cases if c.expected_status == "answered"]
    result: dict = {"questions": len(answerable)}
    for mode, (step, marker) in ADVERSARIAL.items():
        counts = {"json": 0, "stream": 0, "degraded": 0, "changed": 0, "changed_degraded": 0, "model_called": 0}
        for case in answerable:
            fake.reset()
            fake.script(default=step)
            answer = client.post(f"{base_url}/api/chat", json={"message": case.question}).json()
            counts["model_called"] += bool(fake.requests())
            counts["degraded"] += answer["degraded"]
            if mode == "reformat" and _reformat_changes(fake) and not clean.get(case.question, True):
                counts["changed"] += 1
                counts["changed_degraded"] += answer["degraded"]
            if marker:
                counts["json"] += marker in answer["answer"].lower()
                deltas, done = _stream(client, base_url, case.question)
                counts["stream"] += marker in deltas.lower() or marker in done.get("answer", "").lower()
        result[mode] = counts
    fake.reset()
    return result


def llm_suite(
    work: Path,
    cases: list[GoldenCase],
    today: str,
    questions: list[str],
    runs: int,
    load_seconds: float,
    model_latency: float = 1.0,
) -> dict:
    """Run every LLM-mode measurement against one live app in LLM mode and one fake model process."""
    fake = start()
    knowledge = knowledge_text(ROOT / "knowledge")
    try:
        env = {
            "OPENAI_API_KEY": "bench",
            "OPENAI_BASE_URL": fake.base_url,
            "CHAT_MODEL": "fake-model",
            "LLM_TIMEOUT_SECONDS": "20",
            "TODAY": today,
        }
        with live_app(work / "llm-data", env) as app, httpx.Client(timeout=REQUEST_TIMEOUT) as client:
            fake.reset()
            grounded, clean = accuracy(client, app.base_url, cases, knowledge)
            attacks = adversarial(client, app.base_url, fake, cases, clean)
            ttft = measure_ttft_overhead(app.base_url, fake, runs=max(10, runs * 5), model_ttft=0.3)
            fake.script(default={"latency": model_latency})
            stop, health = threading.Event(), []
            poller = threading.Thread(target=_health_while, args=(app.base_url, stop, health))
            poller.start()
            load = concurrent(app.base_url, questions, 16, load_seconds)
            stop.set()
            poller.join()
        return {
            "grounded": grounded,
            "grounded_degraded": sum(clean.values()),
            "adversarial": attacks,
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
    data = (ROOT / "bot" / "web" / "static" / "widget.js").read_bytes()
    return {"raw_bytes": len(data), "gzip_bytes": len(gzip.compress(data, compresslevel=9))}
