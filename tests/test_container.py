"""The container image builds, starts as a non-root user and reports healthy.

Runs where a container engine (docker or podman) answers; skips otherwise, since
building needs a daemon this machine may not have.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import uuid

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.services]

BUILD_TIMEOUT_S = 1800
HEALTHY_TIMEOUT_S = 240


def container_engine() -> str | None:
    """Return the first container engine whose daemon answers, or None."""
    for name in ("docker", "podman"):
        if shutil.which(name) is None:
            continue
        probe = subprocess.run([name, "info"], capture_output=True, timeout=30, check=False)
        if probe.returncode == 0:
            return name
    return None


@pytest.fixture(scope="module")
def engine() -> str:
    found = container_engine()
    if found is None:
        pytest.skip("no container engine with a running daemon (docker or podman)")
    return found


def test_image_builds_runs_as_non_root_and_turns_healthy(engine: str) -> None:
    tag = f"careers-chat-test:{uuid.uuid4().hex[:8]}"
    subprocess.run([engine, "build", "-t", tag, str(PROJECT_ROOT)], check=True, timeout=BUILD_TIMEOUT_S)
    name = f"careers-chat-test-{uuid.uuid4().hex[:8]}"
    try:
        subprocess.run([engine, "run", "-d", "--name", name, "--network", "none", tag], check=True, timeout=60)
        user = subprocess.run(
            [engine, "exec", name, "id", "-u"], capture_output=True, text=True, check=True, timeout=60
        ).stdout.strip()
        assert user != "0", "the app runs as root in the container"
        deadline = time.monotonic() + HEALTHY_TIMEOUT_S
        status = ""
        while time.monotonic() < deadline:
            inspected = subprocess.run(
                [engine, "inspect", "--format", "{{json .State.Health}}", name],
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout
            status = (json.loads(inspected) or {}).get("Status", "")
            if status in ("healthy", "unhealthy"):
                break
            time.sleep(5)
        assert status == "healthy", f"container health: {status or 'unknown'}"
        answer = subprocess.run(
            [engine, "exec", name, "careers-chat", "ask", "What are the start dates?"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert answer.returncode == 0 and "[1]" in answer.stdout, answer.stderr[-2000:]
    finally:
        subprocess.run([engine, "rm", "-f", name], capture_output=True, check=False, timeout=60)
        subprocess.run([engine, "rmi", "-f", tag], capture_output=True, check=False, timeout=120)
