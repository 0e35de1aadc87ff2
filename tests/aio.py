"""Run a coroutine from a synchronous test, whatever event loop its thread already has."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run the coroutine to completion on a fresh event loop in a thread of its own.

    Playwright's sync API leaves an event loop running in the main thread once a
    browser test has run, and asyncio.run refuses to start inside it; on a test
    worker, any test may come after a browser test.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
