"""Render the LLM, Speed and Scale sections of BENCHMARKS.md, and the latency-vs-corpus plot."""

from __future__ import annotations

from pathlib import Path

from bench.common import row, table
from bench.report_quality import outcome_cells

TARGETS = {"retrieval_p50_ms": 25.0, "chat_p50_ms": 50.0, "chat_p95_ms": 150.0, "cold_start_s": 15.0}
LANGUAGES = {"en": "English", "zh": "Chinese", "es": "Spanish"}


def plot(scale: list[dict], path: Path) -> None:
    """Plot query latency against corpus size (log x axis) to a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["postings"] for r in scale]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    for key, label, style in (
        ("retrieval_p50_ms", "retrieval p50", "o-"),
        ("retrieval_p95_ms", "retrieval p95", "o--"),
        ("ask_p50_ms", "engine.ask p50", "s-"),
        ("ask_p95_ms", "engine.ask p95", "s--"),
    ):
        ax.plot(sizes, [r[key] for r in scale], style, label=label)
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


def llm_section(llm: dict | None) -> list[str]:
    """Render LLM mode: grounded accuracy, adversarial replies, TTFT and a slow model under load."""
    if not llm:
        return []
    lines = [
        "",
        "## LLM mode (local OpenAI-compatible fake model, the app's real ChatOpenAI client over HTTP)",
        "",
        "A live `python app.py` with `OPENAI_BASE_URL` pointing at `tests/fake_openai_server.py`, a real server process. "
        "Its default reply is grounded: the context sentence sharing most words with the question, cited. It has no "
        "judgement: it declines only when no word is shared, and every question the guards let through reaches it "
        "(the near misses too), so its right outcomes and unrelated answers measure the fake, not a model; the "
        "adversarial rows below measure the checks. Seed test half, checked as in the quality section:",
        "",
        *table(["language", "cases", "right outcome", "right status", "unrelated / near misses", "citations valid"]),
    ]
    for lang, r in llm["grounded"].get("test", {}).items():
        lines.append(row([lang, *outcome_cells(r)]))
    a = llm["adversarial"]
    lines += [
        "",
        f"{llm['grounded_degraded']} of these answers were degraded (the extractive fallback). Adversarial replies, scripted "
        f"for each of the {a['questions']} answerable questions: an invented uncited sentence appended (`append`), an "
        "invented clause joined onto the cited sentence (`clause`), a "
        "sentence citing a passage never sent (`bogus_cite`), a cited sentence judging the candidate (`judge`), numbers "
        "and dates rewritten (`reformat`). Counted in the "
        "final `/api/chat` JSON answer and in every `/api/chat/stream` delta (and its done event):",
        "",
        *table(["reply", "model called", "bad sentence in JSON answer", "bad sentence in stream", "degraded"]),
    ]
    for mode in (m for m in ("append", "clause", "bogus_cite", "judge") if m in a):
        c = a[mode]
        lines.append(row([mode, c["model_called"], c["json"], c["stream"], c["degraded"]]))
    r = a["reformat"]
    lines += [
        row(["reformat", r["model_called"], "", "", r["degraded"]]),
        "",
        f"Reformatting changed the reply to {r['changed']} questions whose plain grounded reply was accepted; "
        f"{r['changed_degraded']} of those were degraded (target 0: a correct answer with reformatted numbers or dates is kept).",
        "",
    ]
    t, slow, hl = llm["ttft"], llm["slow_model_load"], llm["health_during_load"]
    lines += [
        *table(["measure", "value"]),
        row(
            [
                "time to first token: model alone / first checked sentence through /api/chat/stream (median)",
                f"{t['model_ttft_ms']:.0f} / {t['app_ttft_ms']:.0f} ms",
            ]
        ),
        row(
            [
                "the app's own overhead on time to first checked sentence",
                f"{t['overhead_ms']:.0f} ms ({t['runs']} runs)",
            ]
        ),
        row(
            [
                f"16 clients, model answering in {llm['slow_model_latency_s']:.1f} s, for {slow['seconds']:.0f} s",
                f"{slow['rps']:.1f} req/s (ideal {llm['ideal_rps']:.1f}), p50 {slow['p50']:.0f} ms, p95 {slow['p95']:.0f} ms, "
                f"{slow['errors']} errors / {slow['n']}",
            ]
        ),
        row(
            [
                "/api/health while those 16 wait on the model: p50 / p95",
                f"{hl['p50']:.0f} / {hl['p95']:.0f} ms ({hl['n']} polls)",
            ]
        ),
    ]
    return lines


def speed_section(s: dict, widget: dict | None) -> list[str]:
    """Render per-stage latency, the HTTP figures, cold starts, memory and sizes."""
    lines = [
        "",
        "## Speed",
        "",
        f"Per stage, in process, {s['stage_runs']} runs over {s['stage_questions']} seed development-set questions "
        "(English, Chinese, Spanish) after a warm-up (ms); analyse includes retrieval and scoring every unit:",
        "",
        *table(["stage", "p50", "p95", "n"]),
    ]
    for stage, v in s["stages"].items():
        lines.append(row([stage.removesuffix("_ms"), f"{v['p50']:.2f}", f"{v['p95']:.2f}", v["n"]]))
    h = s.get("http")
    floor = s["embedding_floor"]
    lines += [
        "",
        "Embedding-only floor (e5 `embed_query` in a loop, queries/s): "
        + ", ".join(f"{k} {v}" for k, v in floor.items() if k != "floor_qps")
        + f". Best: {floor['floor_qps']} q/s.",
    ]
    if h:
        many, load = h["sixteen_clients"], h["load_check"]
        lines += [
            "",
            "`/api/chat` end to end against a live `python app.py` (RATE_LIMIT_PER_MINUTE=0), one client per language "
            "asking that language's development-set questions; 16 clients mix the languages:",
            "",
            *table(["clients", "p50 ms", "p95 ms", "p99 ms", "throughput req/s", "errors / requests"]),
        ]
        for lang, one in h["one_client"].items():
            lines.append(
                row(
                    [
                        f"1, {LANGUAGES.get(lang, lang)}",
                        f"{one['p50']:.1f}",
                        f"{one['p95']:.1f}",
                        f"{one['p99']:.1f}",
                        f"{one['rps']:.1f}",
                        f"{one['errors']} / {one['requests']}",
                    ]
                )
            )
        lines += [
            row(
                [
                    16,
                    f"{many['p50']:.1f}",
                    f"{many['p95']:.1f}",
                    f"{many['p99']:.1f}",
                    f"{many['rps']:.1f}",
                    f"{many['errors']} / {many['requests']}",
                ]
            ),
            row(
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
            f"One-client rows and the 16-client row: medians over {many['runs']} run(s). `/api/chat/stream` time to first "
            f"event p50 {h['stream']['first_event']['p50']:.1f} ms, p95 {h['stream']['first_event']['p95']:.1f} ms (whole "
            f"stream p50 {h['stream']['complete']['p50']:.1f} ms). Throughput at 16 clients is "
            f"{many['rps'] / floor['floor_qps']:.0%} of the embedding-only floor.",
            "",
            *table(["other", "value"]),
            row(
                [
                    "cold start to ready (spawn to /api/health 200), index and unit-vector cache present, median",
                    f"{h['cold_start_s']:.1f} s ({', '.join(map(str, h['cold_start_restarts_s']))})",
                ]
            ),
            row(
                [
                    "first start on an empty data dir (ingest and every unit embedded)",
                    f"{h['cold_start_first_s']:.1f} s",
                ]
            ),
            row(
                ["ingest of knowledge/ into an empty index, in process (embed + write)", f"{s['ingest_seconds']:.2f} s"]
            ),
            row(["peak memory of the server process (VmHWM) after the load check", f"{h['peak_rss_mb']:.0f} MiB"]),
        ]
    size = s.get("runtime_packages_mb")
    if size:
        lines.append(
            row(
                [
                    "installed size of the runtime packages (`requirements/runtime.lock`, as installed here)",
                    f"{size:.0f} MiB",
                ]
            )
        )
    if widget:
        lines.append(
            row(
                [
                    "widget script, raw / gzipped",
                    f"{widget['raw_bytes'] / 1024:.1f} / {widget['gzip_bytes'] / 1024:.1f} kB",
                ]
            )
        )
    return lines


def scale_section(sc: list[dict] | None) -> list[str]:
    """Render the synthetic-corpus scale table."""
    if not sc:
        return []
    lines = [
        "",
        "## Scale",
        "",
        "SYNTHETIC corpus: postings generated from templates with a fixed seed (`bench/scale.py`), written to a temporary "
        "folder next to a copy of the original posting and never committed. They talk about the same topics as the "
        "real posting (start dates, applications, pay, accommodations), so they compete for every query. "
        "Queries are the golden questions with the posting filter `doubao-llm-research`.",
        "",
        *table(
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
    ]
    for r in sc:
        lines.append(
            row(
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
    return [*lines, "", "![latency vs corpus size](docs/latency-vs-corpus.png)"]


def grounding_probes(counts: dict | None) -> list[str]:
    """Render the sentence checks on labelled answer sentences (bench/grounding.py), per half and language."""
    if not counts:
        return []
    lines = [
        "The same sentence checks on answer sentences written as a model writes them "
        "(`tests/evals/grounding_probes.yaml`: faithful paraphrases, combinations and hedges to keep; invented "
        "clauses and qualifiers, facts of another passage and flipped negations to drop; the clause check's two "
        "thresholds were set on the calibration half):",
        "",
        *table(["half", "language", "faithful kept", "unsupported dropped"]),
    ]
    for split in ("calibration", "test"):
        for language in ("all", "en", "es", "zh"):
            c = counts.get(split if language == "all" else f"{split}:{language}")
            if c:
                lines.append(row([split, language, f"{c['kept']}/{c['keep']}", f"{c['dropped']}/{c['drop']}"]))
    return [*lines, ""]
