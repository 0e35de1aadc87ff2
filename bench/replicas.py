"""Two replicas on shared PostgreSQL, Redis and a Chroma server under 16 clients: `python -m bench.replicas`.

Starts throwaway servers (tests/services.py) and two `python app.py`
processes configured as compose.yaml configures them, runs the load check
across both (each client with its own address behind the trusted proxy, so
the shared Redis limiter is in the path), and writes the "Replicas"
section of BENCHMARKS.md, which `python -m bench` keeps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import ROOT, LiveApp, live_app, machine, peak_rss_mb
from bench.speed import concurrent
from bot.evaluation.golden import load_golden
from tests.services import ChromaServer, PostgresServer, RedisServer

HEADING = "## Replicas"
CLIENTS = 16


@contextmanager
def shared_replicas(work: Path, extra_env: dict[str, str] | None = None) -> Iterator[list[LiveApp]]:
    """Start PostgreSQL, Redis, Chroma and two app replicas sharing them; stop everything afterwards."""
    servers = [PostgresServer().start(), RedisServer().start(), ChromaServer().start()]
    postgres, redis, chroma = servers
    try:
        env = {
            "DATABASE_URL": postgres.create_database("bench"),
            "RATE_LIMIT_STORAGE_URI": redis.url,
            "CHROMA_HOST": "127.0.0.1",
            "CHROMA_PORT": str(chroma.port),
            "RATE_LIMIT_PER_MINUTE": "1000",
            "TRUSTED_PROXIES": "127.0.0.1",
            **(extra_env or {}),
        }
        with live_app(work / "replica-a", env) as a, live_app(work / "replica-b", env) as b:  # a ingests first
            yield [a, b]
    finally:
        for server in reversed(servers):
            server.remove()


def load_check(urls: list[str], questions: list[str], seconds: float, clients: int = CLIENTS) -> dict:
    """Run `clients` clients spread over the replicas for `seconds`; each client has its own address."""
    return concurrent(urls, questions, clients, seconds, own_addresses=True)


def measure(seconds: float) -> dict:
    """Measure the load check on one default process, then on two replicas sharing the services."""
    questions = [case.question for case in load_golden(ROOT / "tests/evals/golden.csv")]
    limited = {"RATE_LIMIT_PER_MINUTE": "1000", "TRUSTED_PROXIES": "127.0.0.1"}
    result: dict = {"seconds": seconds, "load_before": [round(n, 2) for n in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="careers-chat-replicas-") as tmp:
        with live_app(Path(tmp) / "single", limited) as single:
            result["single"] = load_check([single.base_url], questions, seconds)
        with shared_replicas(Path(tmp)) as apps:
            result["replicas"] = load_check([app.base_url for app in apps], questions, seconds)
            result["ready_seconds"] = [round(app.ready_seconds, 1) for app in apps]
            result["peak_rss_mb"] = [round(peak_rss_mb(app.process.pid)) for app in apps]
    result["load_after"] = [round(n, 2) for n in os.getloadavg()]
    return result


def _row(setup: str, figures: dict) -> str:
    return (
        f"| {setup} | {figures['clients']} | {figures['seconds']} | {figures['n']} | {figures['errors']} "
        f"| {figures['rps']} | {figures['p50']} | {figures['p95']} | {figures['p99']} |"
    )


def section(result: dict, about: dict, note: str = "") -> str:
    """Render the Replicas section of BENCHMARKS.md."""
    return "\n".join(
        [
            HEADING,
            "",
            f"Command: `python -m bench.replicas --seconds {result['seconds']:.0f}`, "
            f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, on {about['cores']} cores ({about['cpu']}); "
            f"load average {result['load_before'][0]} before, {result['load_after'][0]} after. {note}".rstrip(),
            "Two `python app.py` replicas sharing one PostgreSQL (`DATABASE_URL`), one Redis (`RATE_LIMIT_STORAGE_URI`, "
            "limit on, 1000 a minute per client) and one Chroma server, all on this machine with the load generator; "
            "the first row is one process with the defaults (SQLite, memory budgets, embedded Chroma), measured in the "
            f"same run. {CLIENTS} clients, spread evenly over the replicas, each with its own `X-Forwarded-For` behind "
            "the trusted proxy; golden questions round robin, every answer stored.",
            "",
            "| setup | clients | seconds | requests | errors | throughput req/s | p50 ms | p95 ms | p99 ms |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            _row("1 process, SQLite + memory", result["single"]),
            _row("2 replicas, PostgreSQL + Redis + Chroma server", result["replicas"]),
            "",
            f"Replica start to ready: {' s, '.join(map(str, result['ready_seconds']))} s; "
            f"peak memory per replica: {' MiB, '.join(map(str, result['peak_rss_mb']))} MiB. "
            "Two replicas on two cores share the CPUs the single process had, so more throughput is not expected on "
            "this machine; the check is 0 errors with every answer stored and every budget kept in the shared "
            "services (the figures move with the other load on the machine).",
            "",
        ]
    )


def kept_section(report: str) -> str:
    """Return the Replicas section of an existing report ('' if none), for `python -m bench` to keep."""
    start = report.find(f"\n{HEADING}\n")
    if start < 0:
        return ""
    end = report.find("\n## ", start + 1)
    return report[start : end if end >= 0 else None].rstrip() + "\n"


def write_section(path: Path, text: str) -> None:
    """Replace (or add) the Replicas section of the report at path."""
    report = path.read_text(encoding="utf-8") if path.exists() else ""
    old = kept_section(report)
    report = report.replace(old, "\n" + text) if old else report.rstrip() + "\n\n" + text
    path.write_text(report, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Measure and write the section."""
    parser = argparse.ArgumentParser(prog="python -m bench.replicas", description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0, help="duration of the load check")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument(
        "--note", default="", help="a sentence added to the report, e.g. about other load on the machine"
    )
    args = parser.parse_args(argv)
    result = measure(args.seconds)
    write_section(args.output, section(result, machine(), args.note))
    replicas = result["replicas"]
    sys.stderr.write(f"{replicas['n']} requests, {replicas['errors']} errors, {replicas['rps']} req/s\n")
    return 0 if replicas["errors"] == 0 and result["single"]["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
