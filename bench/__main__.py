"""Run the benchmarks: `python -m bench` (full) or `python -m bench --quick`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import llm, quality, replicas, report, scale, speed
from bench.common import ROOT, machine
from bot.config import Settings
from bot.engine.engine import Engine
from bot.evaluation.golden import load_golden

FULL = {
    "runs": 3,
    "burst_seconds": 20.0,
    "load_seconds": 60.0,
    "restarts": 3,
    "floor_seconds": 5.0,
    "sizes": (1, 100, 1000),
}
QUICK = {
    "runs": 1,
    "burst_seconds": 5.0,
    "load_seconds": 10.0,
    "restarts": 1,
    "floor_seconds": 2.0,
    "sizes": (1, 10, 50),
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short run: 1 run each, 10 s load check, 1-50 postings")
    parser.add_argument("--load-seconds", type=float, help="duration of the 16-client load check")
    parser.add_argument("--sizes", help="comma-separated synthetic posting counts for the scale test")
    parser.add_argument(
        "--skip", action="append", default=[], choices=["http", "llm", "scale"], help="leave a section out"
    )
    parser.add_argument("--golden", type=Path, default=ROOT / "tests/evals/golden.csv")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--plot", type=Path, default=ROOT / "docs/latency-vs-corpus.png")
    parser.add_argument("--note", default="", help="a line added to the report, e.g. about other load on the machine")
    return parser.parse_args(argv)


def step(message: str) -> None:
    """Tell the person running the bench what is happening."""
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    """Run the bench in a worker thread, as the server runs request handlers.

    On a busy 2-core machine PyTorch's OpenMP pool makes embedding from the
    main thread several times slower than from a worker thread, which is
    where uvicorn runs the app's handlers; measuring there keeps the
    in-process figures comparable with the HTTP ones.
    """
    with ThreadPoolExecutor(1) as worker:
        return worker.submit(run, argv).result()


def run(argv: list[str] | None = None) -> int:
    """Run every section and write the report; return the exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    plan = dict(QUICK if args.quick else FULL)
    if args.load_seconds is not None:
        plan["load_seconds"] = args.load_seconds
    if args.sizes:
        plan["sizes"] = tuple(int(s) for s in args.sizes.split(","))
    logging.disable(logging.WARNING)
    began = time.perf_counter()
    given = list(sys.argv[1:] if argv is None else argv)
    if "--note" in given:
        del given[given.index("--note") : given.index("--note") + 2]
    command = " ".join(["python -m bench", *(a for a in given if not a.startswith("--note="))])
    results: dict = {
        "command": command,
        "mode": "quick" if args.quick else "full",
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "note": args.note,
    }
    cases = load_golden(args.golden)
    questions = [c.question for c in cases]
    with tempfile.TemporaryDirectory(prefix="careers-chat-bench-") as tmp:
        work = Path(tmp)
        step("ingest knowledge/ into an empty index")
        started = time.perf_counter()
        engine = Engine.build(Settings(data_dir=work / "engine-data"))
        build_seconds = time.perf_counter() - started
        step("quality: careers-chat and the LangChain baseline")
        results["quality"] = {
            "careers_chat": quality.careers_chat(engine, cases),
            "baseline": quality.baseline(engine, cases),
            "chunks": len(engine.chunks),
        }
        step("speed: per-stage latency and the embedding floor")
        results["speed"] = {
            "ingest_seconds": engine.last_ingest.seconds if engine.last_ingest else 0.0,
            "build_seconds": round(build_seconds, 2),
            "stage_runs": plan["runs"],
            "stages": speed.stage_latency(engine, questions, plan["runs"]),
            "embedding_floor": speed.embedding_floor(engine.embeddings, questions, plan["floor_seconds"]),
        }
        del engine
        if "http" not in args.skip:
            step(f"speed: live app, 1 and 16 clients, {plan['load_seconds']:.0f} s load check, cold starts")
            results["speed"]["http"] = speed.http_suite(
                work, questions, plan["runs"], plan["burst_seconds"], plan["load_seconds"], plan["restarts"]
            )
        if "llm" not in args.skip:
            step(f"llm: TTFT overhead and a slow model under 16 clients for {plan['load_seconds'] / 2:.0f} s")
            results["llm"] = llm.llm_suite(work, questions, plan["runs"], plan["load_seconds"] / 2)
        results["widget"] = llm.widget_size()
        if "scale" not in args.skip:
            results["scale"] = []
            for size in plan["sizes"]:
                step(f"scale: original + {size} synthetic postings")
                results["scale"].append(scale.measure(work, Settings().knowledge_dir, size, cases, plan["runs"]))
            report.plot(results["scale"], args.plot)
    results["seconds"] = time.perf_counter() - began
    kept = replicas.kept_section(args.output.read_text(encoding="utf-8")) if args.output.exists() else ""
    args.output.write_text(report.markdown(results) + ("\n" + kept if kept else ""), encoding="utf-8")
    args.output.with_suffix(".json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    step(f"wrote {args.output} in {results['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
