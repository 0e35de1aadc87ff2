"""Render the benchmark results as BENCHMARKS.md and the latency-vs-corpus plot."""

from __future__ import annotations

from pathlib import Path

TARGETS = {
    "retrieval_p50_ms": 25.0,
    "chat_p50_ms": 50.0,
    "chat_p95_ms": 150.0,
    "cold_start_s": 15.0,
}


def plot(scale: list[dict], path: Path) -> None:
    """Plot query latency against corpus size (log x axis) to a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [row["postings"] for row in scale]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    for key, label, style in (
        ("retrieval_p50_ms", "retrieval p50", "o-"),
        ("retrieval_p95_ms", "retrieval p95", "o--"),
        ("ask_p50_ms", "engine.ask p50", "s-"),
        ("ask_p95_ms", "engine.ask p95", "s--"),
    ):
        ax.plot(sizes, [row[key] for row in scale], style, label=label)
    ax.set_xscale("log")
    ax.set_xlabel("postings in the index (original + synthetic)")
    ax.set_ylabel("latency, ms (posting filter on)")
    ax.set_title("careers-chat: query latency vs corpus size")
    ax.axhline(TARGETS["retrieval_p50_ms"], color="grey", linewidth=0.8, linestyle=":", label="retrieval p50 target")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def _ok(passed: bool) -> str:
    return "met" if passed else "**missed**"


def _row(cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def markdown(results: dict) -> str:
    """Return BENCHMARKS.md for one run's results."""
    m = results["machine"]
    q, b = results["quality"]["careers_chat"], results["quality"]["baseline"]
    lines = [
        "# Benchmarks",
        "",
        f"Command: `{results['command']}` ({results['mode']} run), {results['started']} UTC, {results['seconds']:.0f} s in all.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, no GPU; {m['os']}; Python {m['python']}. "
        f"Load average at start: {', '.join(f'{x:.2f}' for x in m['load_average'])}.",
        "Extractive mode (no LLM), local all-MiniLM-L6-v2 embeddings, embedded Chroma. In-process figures are taken in a worker "
        "thread, as uvicorn runs the app's handlers. "
        "Load generator and server share the same cores, so HTTP figures include the client's own CPU use.",
    ]
    if results.get("note"):
        lines += ["", f"> {results['note']}"]
    lines += [
        "",
        "## Quality (golden set `tests/evals/golden.csv`)",
        "",
        "Baseline: LangChain's textbook RAG built in the same run from the same knowledge files and the same embedding model "
        "(RecursiveCharacterTextSplitter 1000/200 over each file's text, Chroma similarity search, k=4). "
        "A question's relevant chunk is the first one holding every `must_mention` fact that the knowledge states "
        f"({q['retrieval_cases']} labelled questions).",
        "",
        _row(["", "careers-chat", "baseline", "ratio"]),
        _row(["---"] * 4),
    ]
    for key, label in (("recall_at_1", "recall@1"), ("recall_at_4", "recall@4"), ("mrr", "MRR")):
        ratio = f"{q[key] / b[key]:.2f}x" if b[key] else "n/a"
        lines.append(_row([label, f"{q[key]:.3f}", f"{b[key]:.3f}", ratio]))
    lines += [
        _row(["chunks", results["quality"]["chunks"], b["chunks"], ""]),
        _row(
            [
                "retrieval p50 / p95 (ms), timed interleaved",
                f"{b.get('careers_chat_retrieval_p50_ms', 0):.1f} / {b.get('careers_chat_retrieval_p95_ms', 0):.1f}",
                f"{b['retrieval_p50_ms']:.1f} / {b['retrieval_p95_ms']:.1f}",
                "hybrid (dense + BM25) vs dense only",
            ]
        ),
        "",
        "careers-chat answers:",
        "",
        _row(["metric", "value"]),
        _row(["---", "---"]),
        _row(["golden pass rate", f"{q['passed']}/{q['cases']} ({q['pass_rate']:.1%})"]),
        _row(
            [
                "citation validity (quote verbatim in knowledge and referenced in the answer)",
                f"{q['citation_validity']:.1%} of {q['citations']}",
            ]
        ),
        _row(
            [
                "correct deflection (refused / not_found cases)",
                f"{q['correct_deflection']:.1%} of {q['deflection_cases']}",
            ]
        ),
        _row(
            [
                "false refusal (answerable cases refused or not found)",
                f"{q['false_refusal']:.1%} of {q['answerable_cases']}",
            ]
        ),
    ]
    if q["failures"]:
        lines += ["", "Failing golden cases:", ""] + [f"- {f}" for f in q["failures"]]
    s = results["speed"]
    lines += [
        "",
        "## Speed",
        "",
        f"Per stage, in process, {s['stage_runs']} runs over every golden question after a warm-up (ms):",
        "",
        _row(["stage", "p50", "p95", "n"]),
        _row(["---"] * 4),
    ]
    for stage, values in s["stages"].items():
        lines.append(_row([stage.removesuffix("_ms"), f"{values['p50']:.2f}", f"{values['p95']:.2f}", values["n"]]))
    h = s.get("http")
    if h:
        one, many, load = h["one_client"], h["sixteen_clients"], h["load_check"]
        floor = s["embedding_floor"]["floor_qps"]
        lines += [
            "",
            "`/api/chat` end to end against a live `python app.py` (RATE_LIMIT_PER_MINUTE=0), golden questions round robin:",
            "",
            _row(["clients", "p50 ms", "p95 ms", "p99 ms", "throughput req/s", "errors / requests"]),
            _row(["---"] * 6),
            _row(
                [
                    1,
                    f"{one['p50']:.1f}",
                    f"{one['p95']:.1f}",
                    f"{one['p99']:.1f}",
                    f"{one['rps']:.1f}",
                    f"{one['errors']} / {one['requests']}",
                ]
            ),
            _row(
                [
                    16,
                    f"{many['p50']:.1f}",
                    f"{many['p95']:.1f}",
                    f"{many['p99']:.1f}",
                    f"{many['rps']:.1f}",
                    f"{many['errors']} / {many['requests']}",
                ]
            ),
            _row(
                [
                    f"16, load check {load['seconds']:.0f} s",
                    f"{load['p50']:.1f}",
                    f"{load['p95']:.1f}",
                    f"{load['p99']:.1f}",
                    f"{load['rps']:.1f}",
                    f"{load['errors']} / {load['n']}",
                ]
            ),
            "",
            f"Rows 1 and 16 are medians of {one['runs']} runs (16 clients: {many['runs']} bursts). "
            f"`/api/chat/stream` time to first event p50 {h['stream']['first_event']['p50']:.1f} ms, p95 {h['stream']['first_event']['p95']:.1f} ms "
            f"(whole stream p50 {h['stream']['complete']['p50']:.1f} ms).",
            "",
            "Embedding-only floor (`embed_query` in a loop, queries/s): "
            + ", ".join(f"{k} {v}" for k, v in s["embedding_floor"].items() if k != "floor_qps")
            + f". Best: {floor} q/s. Throughput at 16 clients is {many['rps'] / floor:.0%} of it.",
            "",
            _row(["other", "value"]),
            _row(["---", "---"]),
            _row(
                [
                    "cold start to ready (spawn to /api/health 200), index present, median",
                    f"{h['cold_start_s']:.1f} s ({', '.join(map(str, h['cold_start_restarts_s']))})",
                ]
            ),
            _row(["first start on an empty data dir (includes ingest)", f"{h['cold_start_first_s']:.1f} s"]),
            _row(
                [
                    "ingest of knowledge/ into an empty index (embed + write)",
                    f"{s['ingest_seconds']:.2f} s ({results['quality']['chunks']} chunks)",
                ]
            ),
            _row(["peak memory of the server process (VmHWM) after the load check", f"{h['peak_rss_mb']:.0f} MiB"]),
        ]
    llm = results.get("llm")
    if llm:
        t, slow, hl = llm["ttft"], llm["slow_model_load"], llm["health_during_load"]
        lines += [
            "",
            "## LLM mode (local OpenAI-compatible fake, real ChatOpenAI client over HTTP)",
            "",
            _row(["measure", "value"]),
            _row(["---"] * 2),
            _row(
                [
                    "time to first token: model alone / through /api/chat/stream (median)",
                    f"{t['model_ttft_ms']:.0f} / {t['app_ttft_ms']:.0f} ms",
                ]
            ),
            _row(["the app's own overhead on time to first token", f"{t['overhead_ms']:.0f} ms ({t['runs']} runs)"]),
            _row(
                [
                    f"16 clients, model answering in {llm['slow_model_latency_s']:.1f} s, for {slow['seconds']:.0f} s",
                    f"{slow['rps']:.1f} req/s (ideal {llm['ideal_rps']:.1f}), p50 {slow['p50']:.0f} ms, p95 {slow['p95']:.0f} ms, {slow['errors']} errors / {slow['n']}",
                ]
            ),
            _row(
                [
                    "/api/health while those 16 wait on the model: p50 / p95",
                    f"{hl['p50']:.0f} / {hl['p95']:.0f} ms ({hl['n']} polls)",
                ]
            ),
        ]
    widget = results.get("widget")
    if widget:
        lines += [
            "",
            f"Widget script: {widget['raw_bytes'] / 1024:.1f} kB, {widget['gzip_bytes'] / 1024:.1f} kB gzipped.",
        ]
    sc = results.get("scale")
    if sc:
        lines += [
            "",
            "## Scale",
            "",
            "SYNTHETIC corpus: postings generated from templates with a fixed seed (`bench/scale.py`), written to a temporary "
            "folder next to a copy of the original posting and never committed. They talk about the same topics as the "
            "real posting (start dates, applications, pay, accommodations), so they compete for every query. "
            "Queries are the golden questions with the posting filter `doubao-llm-research`.",
            "",
            _row(
                [
                    "postings",
                    "chunks",
                    "ingest s",
                    "build to ready s",
                    "index MB",
                    "retrieval p50/p95 ms",
                    "ask p50/p95 ms",
                    "recall@1",
                    "recall@4",
                    "MRR",
                    "pass rate",
                ]
            ),
            _row(["---"] * 11),
        ]
        for r in sc:
            lines.append(
                _row(
                    [
                        f"{r['postings']} (1 + {r['synthetic_postings']} synthetic)",
                        r["chunks"],
                        f"{r['ingest_seconds']:.1f}",
                        f"{r['build_seconds']:.1f}",
                        f"{r['index_mb']:.1f}",
                        f"{r['retrieval_p50_ms']:.1f} / {r['retrieval_p95_ms']:.1f}",
                        f"{r['ask_p50_ms']:.1f} / {r['ask_p95_ms']:.1f}",
                        f"{r['recall_at_1']:.3f}",
                        f"{r['recall_at_4']:.3f}",
                        f"{r['mrr']:.3f}",
                        f"{r['pass_rate']:.1%}",
                    ]
                )
            )
        lines += ["", "![latency vs corpus size](docs/latency-vs-corpus.png)"]
    lines += ["", "## Targets", "", _row(["target", "measured", ""]), _row(["---"] * 3)]
    lines.append(
        _row(
            [
                "retrieval p50 < 25 ms",
                f"{s['stages']['retrieval_ms']['p50']:.1f} ms",
                _ok(s["stages"]["retrieval_ms"]["p50"] < 25),
            ]
        )
    )
    if h:
        lines += [
            _row(["/api/chat p50 < 50 ms, 1 client", f"{one['p50']:.1f} ms", _ok(one["p50"] < 50)]),
            _row(["/api/chat p95 < 150 ms, 1 client", f"{one['p95']:.1f} ms", _ok(one["p95"] < 150)]),
            _row(
                [
                    "16 clients: no errors",
                    f"{many['errors'] + load['errors']} errors",
                    _ok(many["errors"] + load["errors"] == 0),
                ]
            ),
            _row(
                [
                    "16 clients: throughput >= half the embedding-only limit",
                    f"{many['rps']:.1f} vs {floor / 2:.1f} req/s",
                    _ok(many["rps"] >= floor / 2),
                ]
            ),
            _row(["cold start < 15 s", f"{h['cold_start_s']:.1f} s", _ok(h["cold_start_s"] < 15)]),
        ]
    if widget:
        lines.append(
            _row(
                [
                    "widget script < 15 kB gzipped",
                    f"{widget['gzip_bytes'] / 1024:.1f} kB",
                    _ok(widget["gzip_bytes"] < 15 * 1024),
                ]
            )
        )
    lines.append(
        _row(
            [
                "recall@4 >= baseline",
                f"{q['recall_at_4']:.3f} vs {b['recall_at_4']:.3f}",
                _ok(q["recall_at_4"] >= b["recall_at_4"]),
            ]
        )
    )
    if sc:
        unchanged = all(r["recall_at_4"] >= sc[0]["recall_at_4"] for r in sc)
        lines.append(
            _row(
                [
                    f"recall unchanged up to {sc[-1]['postings']} postings",
                    " / ".join(f"{r['recall_at_4']:.3f}" for r in sc),
                    _ok(unchanged),
                ]
            )
        )
    return "\n".join(lines) + "\n"
