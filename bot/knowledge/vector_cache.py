"""Keep passage vectors on disk so a restart does not embed an unchanged posting again.

Embedding every sentence of a posting takes seconds on a CPU, most of a cold
start. LangChain's `CacheBackedEmbeddings` would do this, but it lives in the
legacy `langchain-classic` package and keeps one file per vector; one small
file per posting, holding exactly that posting's current sentences, is what a
restart needs and never grows.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

Embed = Callable[[list[str]], list[list[float]]]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorFile:
    """Vectors for one set of texts, read from and written to one .npz file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def embed(self, texts: list[str], embed: Embed) -> np.ndarray:
        """Return a float32 row per text, embedding only texts the file does not hold."""
        keys = [_digest(t) for t in texts]
        known = self._read()
        missing = [i for i, key in enumerate(keys) if key not in known]
        if missing:
            fresh = embed([texts[i] for i in missing])
            known.update({keys[i]: np.asarray(v, dtype=np.float32) for i, v in zip(missing, fresh, strict=True)})
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        matrix = np.stack([known[key] for key in keys]).astype(np.float32)
        if missing:
            self._write(keys, matrix)
        return matrix

    def _read(self) -> dict[str, np.ndarray]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            with np.load(self.path) as stored:
                return dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
        except (OSError, ValueError, KeyError) as exc:  # a damaged cache is rebuilt, never fatal
            log.warning("vector cache unreadable", extra={"event": "vector_cache_error", "error": type(exc).__name__})
            return {}

    def _write(self, keys: list[str], matrix: np.ndarray) -> None:
        if self.path is None:
            return
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
            with os.fdopen(handle, "wb") as out:
                np.savez(out, keys=np.array(keys), vectors=matrix)
            os.replace(tmp, self.path)  # atomic: another replica reads the old or the new file, never half
        except OSError as exc:
            log.warning("vector cache not written", extra={"event": "vector_cache_error", "error": type(exc).__name__})
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)


def vector_file(cache_dir: Path | None, space: str, name: str) -> VectorFile:
    """Return the vector file for one named set of texts embedded in one embedding space."""
    if cache_dir is None:
        return VectorFile(None)
    return VectorFile(cache_dir / f"vectors-{space}-{_digest(name)[:16]}.npz")
