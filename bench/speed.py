"""Speed: per-stage latency, the HTTP API under 1 and 16 clients, cold start, memory, embedding floor."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench.common import live_app, median, peak_rss_mb, percentile

STAGES = ("condense_ms", "embed_ms", "dense_ms", "lexical_ms", "fuse_ms", "analyse_ms", "answer_ms", "total_ms")
REQUEST_TIMEOUT = 30.0


def _pcts(values: list[float]) -> dict:
    return {f"p{q}": round(percentile(values, q), 2) for q in (50, 95, 99)} | {"n": len(values)}


def stage_latency(engine, questions: list[str], runs: int) -> dict:
    """Ask every question `runs` times after a warm-up; return p50/p95 per stage and for retrieval."""
    for question in questions:
        engine.ask(question)
    samples: dict[str, list[float]] = {stage: [] for stage in STAGES}
    samples["retrieval_ms"] = []
    for _ in range(runs):
        for question in questions:
            timings = engine.ask(question).trace["timings"]
            for stage in STAGES:
                if stage in timings:
                    samples[stage].append(timings[stage])
            if "embed_ms" in timings:
                samples["retrieval_ms"].append(
                    sum(timings[s] for s in ("embed_ms", "dense_ms", "lexical_ms", "fuse_ms"))
                )
    return {stage: _pcts(values) for stage, values in samples.items() if values}


def embedding_floor(questions: list[str], seconds: float) -> dict:
    """Measure queries/s of the e5 model's embed_query alone: 1 and 2 engine threads, 1 and 2 calling threads."""
    from bot.knowledge.embeddings import E5Embeddings

    def loop(embeddings, deadline: float, counter: list[int]) -> None:
        i = 0
        while time.perf_counter() < deadline:
            embeddings.embed_query(questions[i % len(questions)])
            i += 1
        counter.append(i)

    results = {}
    for name, threads, callers in (
        ("1 thread", 1, 1),
        ("2 threads", 2, 1),
        ("2 callers x 1 thread", 1, 2),
        ("2 callers x 2 threads", 2, 2),
    ):
        embeddings = E5Embeddings(threads)
        loop(embeddings, time.perf_counter() + 1.0, [])
        counts: list[int] = []
        deadline = time.perf_counter() + seconds
        workers = [threading.Thread(target=loop, args=(embeddings, deadline, counts)) for _ in range(callers)]
        started = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        results[name] = round(sum(counts) / (time.perf_counter() - started), 1)
    results["floor_qps"] = max(results.values())
    return results


def _chat(client: httpx.Client, base_url: str, question: str) -> tuple[float, bool]:
    started = time.perf_counter()
    try:
        response = client.post(f"{base_url}/api/chat", json={"message": question, "history": []})
        ok = response.status_code == 200 and "status" in response.json()
    except httpx.HTTPError:
        ok = False
    return (time.perf_counter() - started) * 1000, ok


def sequential(base_url: str, questions: list[str], runs: int) -> dict:
    """One client: every question `runs` times; percentiles are medians over runs."""
    per_run = []
    errors = 0
    with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
        for question in questions[:5]:
            _chat(client, base_url, question)
        for _ in range(runs):
            latencies = []
            started = time.perf_counter()
            for question in questions:
                ms, ok = _chat(client, base_url, question)
                latencies.append(ms)
                errors += not ok
            elapsed = time.perf_counter() - started
            per_run.append(_pcts(latencies) | {"rps": len(latencies) / elapsed})
    return {
        **{key: round(median([r[key] for r in per_run]), 2) for key in ("p50", "p95", "p99", "rps")},
        "requests": sum(r["n"] for r in per_run),
        "errors": errors,
        "runs": runs,
    }


def concurrent(
    base_url: str | Sequence[str], questions: list[str], clients: int, seconds: float, own_addresses: bool = False
) -> dict:
    """`clients` clients loop over the questions for `seconds`; return latency, errors, throughput.

    Given several base URLs (replicas), client n talks to URL n mod their number. With
    `own_addresses`, each client sends its own X-Forwarded-For, as clients behind a
    trusted proxy would arrive, so each has its own rate-limit budget.
    """
    urls = [base_url] if isinstance(base_url, str) else list(base_url)
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]

    def worker(offset: int) -> None:
        i = offset
        url = urls[offset % len(urls)]
        headers = {"X-Forwarded-For": f"198.51.100.{offset + 1}"} if own_addresses else {}
        with httpx.Client(timeout=REQUEST_TIMEOUT, headers=headers) as client:
            while time.perf_counter() < deadline:
                ms, ok = _chat(client, url, questions[i % len(questions)])
                i += 1
                with lock:
                    latencies.append(ms)
                    errors[0] += not ok

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    elapsed = time.perf_counter() - started
    return _pcts(latencies) | {
        "rps": round(len(latencies) / elapsed, 2),
        "errors": errors[0],
        "seconds": round(elapsed, 1),
        "clients": clients,
    }


def first_event(base_url: str, questions: list[str], runs: int) -> dict:
    """Time from POST /api/chat/stream to its first SSE event, and to the whole stream."""
    first, whole = [], []
    with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
        for run in range(runs + 1):
            for question in questions:
                started = time.perf_counter()
                seen = None
                with client.stream(
                    "POST", f"{base_url}/api/chat/stream", json={"message": question, "history": []}
                ) as response:
                    response.raise_for_status()
                    for line in response.iter_lines():
                        if seen is None and line.startswith(("event:", "data:")):
                            seen = time.perf_counter()
                ended = time.perf_counter()
                if run and seen is not None:
                    first.append((seen - started) * 1000)
                    whole.append((ended - started) * 1000)
    return {"first_event": _pcts(first), "complete": _pcts(whole)}


def http_suite(
    work: Path, by_language: dict[str, list[str]], runs: int, burst_seconds: float, load_seconds: float, restarts: int
) -> dict:
    """Run the HTTP measurements against live `python app.py` subprocesses.

    One client asks each language's questions in turn; 16 clients mix them.
    The first start is on an empty data dir (ingest and unit vectors to
    embed); the restarts reuse it, index and unit-vector cache present.
    """
    data_dir = work / "http-data"
    mixed = [q for group in zip(*by_language.values(), strict=False) for q in group]
    result: dict = {}
    with live_app(data_dir) as app:
        result["cold_start_first_s"] = round(app.ready_seconds, 2)
        result["one_client"] = {lang: sequential(app.base_url, qs, runs) for lang, qs in by_language.items()}
        result["stream"] = first_event(app.base_url, mixed[:20], runs)
        bursts = [concurrent(app.base_url, mixed, 16, burst_seconds) for _ in range(runs)]
        result["sixteen_clients"] = {
            key: round(median([b[key] for b in bursts]), 2) for key in ("p50", "p95", "p99", "rps")
        } | {"errors": sum(b["errors"] for b in bursts), "requests": sum(b["n"] for b in bursts), "runs": runs}
        result["load_check"] = concurrent(app.base_url, mixed, 16, load_seconds)
        result["peak_rss_mb"] = round(peak_rss_mb(app.process.pid), 1)
    restarts_s = []
    for _ in range(restarts):
        with live_app(data_dir) as app:
            restarts_s.append(app.ready_seconds)
    result["cold_start_restarts_s"] = [round(s, 2) for s in restarts_s]
    result["cold_start_s"] = round(median(restarts_s), 2)
    result["unit_cache_files"] = sum(1 for p in (data_dir / "cache").rglob("*") if p.is_file())
    (work / "http.json").write_text(json.dumps(result, indent=2))
    return result
