"""Shared helpers: percentiles, Markdown rows, machine description, installed sizes and a live app subprocess."""

from __future__ import annotations

import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import httpx
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.services import stop_process

ROOT = Path(__file__).resolve().parent.parent
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}
READY_SECONDS = 180


def percentile(values: Sequence[float], q: float) -> float:
    """Return the q-th percentile (0-100) by linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    """Return the median, 0 for no values."""
    return statistics.median(values) if values else 0.0


def ok(passed: bool) -> str:
    """Mark a target met or missed in the report."""
    return "met" if passed else "**missed**"


def row(cells) -> str:
    """Render one Markdown table row."""
    return "| " + " | ".join(str(c) for c in cells) + " |"


def table(header: list[str]) -> list[str]:
    """Render a Markdown table's header and rule."""
    return [row(header), row(["---"] * len(header))]


def machine() -> dict:
    """Describe the machine the figures were taken on."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_gb, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }


def runtime_packages() -> list[str]:
    """Return the names pinned in requirements/runtime.lock (what `make install` puts in a virtualenv)."""
    lines = (ROOT / "requirements/runtime.lock").read_text(encoding="utf-8").splitlines()
    return [line.split("==")[0].strip() for line in lines if "==" in line and not line.lstrip().startswith("#")]


def requirement_closure(names) -> set[str]:
    """Return the installed distributions `names` need, themselves included (canonical names)."""
    seen: set[str] = set()
    pending = [canonicalize_name(n) for n in names]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue
        seen.add(name)
        for text in requires:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(canonicalize_name(requirement.name))
    return seen


def installed_mb(names) -> float | None:
    """Return the MiB on disk of installed distributions' files; None when none of them is installed."""
    total, found = 0, False
    for name in names:
        try:
            files = metadata.distribution(name).files or []
        except metadata.PackageNotFoundError:
            continue
        found = True
        for file in files:
            path = Path(file.locate())
            total += path.stat().st_size if path.is_file() else 0
    return round(total / 1024 / 1024, 1) if found else None


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    """Return the peak resident set size (VmHWM) of a live process in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class LiveApp:
    """A `python app.py` subprocess and how long it took to become ready."""

    process: subprocess.Popen
    base_url: str
    ready_seconds: float


@contextmanager
def live_app(data_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[LiveApp]:
    """Start `python app.py` on a free port; yield once /api/health answers 200."""
    port = free_port()
    env = dict(os.environ, **OFFLINE_ENV)
    env.update(
        HOST="127.0.0.1",
        PORT=str(port),
        DATA_DIR=str(data_dir),
        RATE_LIMIT_PER_MINUTE="0",
        LOG_LEVEL="WARNING",
        OPENAI_API_KEY="",
        CHROMA_HOST="",
    )
    env.update(extra_env or {})
    data_dir.mkdir(parents=True, exist_ok=True)
    log = (data_dir / "bench-app.log").open("wb")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=2) as client:
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"app exited early; see {data_dir / 'bench-app.log'}")
                try:
                    if client.get(f"{base_url}/api/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.perf_counter() - started > READY_SECONDS:
                    raise RuntimeError("app did not become ready")
                time.sleep(0.05)
        yield LiveApp(process, base_url, time.perf_counter() - started)
    finally:
        stop_process(process)
        log.close()
