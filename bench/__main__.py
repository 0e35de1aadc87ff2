"""Run the benchmarks: `python -m bench` (full) or `python -m bench --quick`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

from bench import ablation, embeddings, grounding, llm, quality, replicas, report, report_speed, retrieval, scale, speed
from bench.common import ROOT, machine
from bot.config import Settings
from bot.evaluation.sets import Engines, load_sets

FULL = {
    "runs": 3,
    "burst_seconds": 20.0,
    "load_seconds": 60.0,
    "restarts": 3,
    "floor_seconds": 5.0,
    "sizes": (1, 100, 1000),
    "step": 1,  # every case of every set
    "per_language": 60,  # questions per language for the speed figures
}
QUICK = {
    "runs": 1,
    "burst_seconds": 5.0,
    "load_seconds": 10.0,
    "restarts": 1,
    "floor_seconds": 2.0,
    "sizes": (1, 5, 20),
    "step": 8,
    "per_language": 15,
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="every 8th case, 1 run each, 10 s load check, 1-20 postings"
    )
    parser.add_argument("--load-seconds", type=float, help="duration of the 16-client load check")
    parser.add_argument("--sizes", help="comma-separated synthetic posting counts for the scale test")
    parser.add_argument(
        "--skip", action="append", default=[], choices=["http", "llm", "scale"], help="leave a section out"
    )
    parser.add_argument("--sets", type=Path, default=ROOT / "tests/evals/sets.yaml")
    parser.add_argument("--golden", type=Path, default=ROOT / "tests/evals/golden.csv")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs/latency-vs-corpus.png")
    parser.add_argument("--note", default="", help="a line added to the report, e.g. about other load on the machine")
    parser.add_argument(
        "--render-only", action="store_true", help="measure nothing: rewrite the report from the output's .json"
    )
    return parser.parse_args(argv)


def step(message: str) -> None:
    """Tell the person running the bench what is happening."""
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def _command(argv: list[str]) -> str:
    """Return the command line as the report shows it (without the note, which is printed on its own)."""
    given = list(argv)
    if "--note" in given:
        del given[given.index("--note") : given.index("--note") + 2]
    return " ".join(["python -m bench", *(a for a in given if not a.startswith("--note="))])


def by_language(cases, per_language: int) -> dict[str, list[str]]:
    """Return up to `per_language` questions of each language, spread over the set."""
    groups: dict[str, list[str]] = {}
    for lang in ("en", "zh", "es"):
        questions = [c.question for c in cases if c.lang == lang]
        stride = max(1, len(questions) // per_language)
        groups[lang] = questions[::stride][:per_language]
    return groups


def in_process(args: argparse.Namespace, plan: dict, work: Path, results: dict) -> None:
    """Run the sections that use engines in this process: quality, ablation, retrieval, embeddings, stages."""
    sets = load_sets(args.sets)
    seed = next(s for s in sets if s.name == "seed")
    settings = Settings(_env_file=None)
    engines = Engines(settings, work / "engines")
    step("ingest knowledge/ into an empty index")
    started = time.perf_counter()
    engine = engines.for_set(seed)
    build_seconds = time.perf_counter() - started
    step("quality: every development set, and the golden set")
    results["quality"], raw = quality.dev_sets(engines, sets, plan["step"])
    results["quality"]["golden"] = quality.golden(engine, args.golden, seed.posting)
    step("ablation: four answerability variants trained on calibration rows")
    results["ablation"] = ablation.run(engines, sets, plan["step"])
    step("retrieval: careers-chat and the LangChain baseline on the seed test half")
    test_half = [c for c in quality.every_nth(seed.cases, plan["step"]) if c.split == "test"]
    seed_test = [r for r in raw["seed"] if r.split == "test"]
    results["retrieval"] = retrieval.compare(engine, test_half, seed_test, seed.posting)
    step("embeddings: unit recall and query speed per model")
    results["embeddings_comparison"] = embeddings.compare(engine, quality.every_nth(seed.cases, plan["step"]), settings)
    step("grounding: LLM mode's sentence checks on labelled answer sentences")
    results["grounding_probes"] = grounding.probes(settings)
    step("speed: per-stage latency and the embedding floor")
    questions = [q for group in by_language(seed.cases, plan["per_language"] // 2).values() for q in group]
    results["speed"] = {
        "ingest_seconds": round(engine.last_ingest.seconds if engine.last_ingest else 0.0, 2),
        "build_seconds": round(build_seconds, 2),
        "stage_runs": plan["runs"],
        "stage_questions": len(questions),
        "stages": speed.stage_latency(engine, questions, plan["runs"]),
        "embedding_floor": speed.embedding_floor(questions, plan["floor_seconds"]),
        "runtime_packages_mb": results["embeddings_comparison"]["footprint"]["runtime_packages"],
    }


def write(args: argparse.Namespace, results: dict) -> None:
    """Write the results as JSON, then the report (keeping the Replicas section of the previous one)."""
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.with_suffix(".json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    kept = replicas.kept_section(args.output.read_text(encoding="utf-8")) if args.output.exists() else ""
    args.output.write_text(report.markdown(results) + ("\n" + kept if kept else ""), encoding="utf-8")


def run(argv: list[str]) -> int:
    """Run every section and write the report; return the exit code."""
    args = parse_args(argv)
    if args.render_only:
        write(args, json.loads(args.output.with_suffix(".json").read_text(encoding="utf-8")))
        return 0
    plan = dict(QUICK if args.quick else FULL)
    if args.load_seconds is not None:
        plan["load_seconds"] = args.load_seconds
    if args.sizes:
        plan["sizes"] = tuple(int(s) for s in args.sizes.split(","))
    logging.disable(logging.WARNING)
    began = time.perf_counter()
    results: dict = {
        "command": _command(argv),
        "mode": "quick" if args.quick else "full",
        "step": plan["step"],
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "note": args.note,
        "embeddings": Settings(_env_file=None).embeddings,
    }
    seed = next(s for s in load_sets(args.sets) if s.name == "seed")
    with tempfile.TemporaryDirectory(prefix="careers-chat-bench-") as tmp:
        work = Path(tmp)
        in_process(args, plan, work, results)
        languages = by_language(seed.cases, plan["per_language"])
        mixed = [q for group in zip(*languages.values(), strict=False) for q in group]
        if "http" not in args.skip:
            step(
                f"speed: live app, 1 client per language and 16 clients, {plan['load_seconds']:.0f} s load, cold starts"
            )
            results["speed"]["http"] = speed.http_suite(
                work, languages, plan["runs"], plan["burst_seconds"], plan["load_seconds"], plan["restarts"]
            )
        if "llm" not in args.skip:
            step("llm: accuracy, adversarial replies, TTFT and a slow model under 16 clients")
            test_half = [c for c in quality.every_nth(seed.cases, plan["step"]) if c.split == "test"]
            results["llm"] = llm.llm_suite(
                work, test_half, seed.today.isoformat(), mixed, plan["runs"], plan["load_seconds"] / 2
            )
        results["widget"] = llm.widget_size()
        if "scale" not in args.skip:
            results["scale"] = []
            for size in plan["sizes"]:
                step(f"scale: original + {size} synthetic postings")
                results["scale"].append(
                    scale.measure(
                        work, Settings(_env_file=None).knowledge_dir, size, args.golden, plan["runs"], seed.today
                    )
                )
            report_speed.plot(results["scale"], args.plot)
    results["seconds"] = time.perf_counter() - began
    write(args, results)
    step(f"wrote {args.output} in {results['seconds']:.0f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the bench from the command line."""
    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
