"""Load the prompt files (prompts/system.md, answer.md, condense.md) once.

Each file starts with YAML front matter carrying its `version`; the combined
version string (file versions plus a content hash) goes into every log line
about a model call, so an answer can be traced to the exact prompt text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.yamlfile import parse_yaml

PROMPT_NAMES = ("system", "answer", "condense")


class PromptError(ValueError):
    """A prompt file is missing or malformed."""


@dataclass(frozen=True)
class Prompts:
    """The prompt texts and their combined version."""

    system: str
    answer: str
    condense: str
    version: str

    def texts(self) -> tuple[str, ...]:
        """Return every prompt text, for leak checks."""
        return (self.system, self.answer, self.condense)


def _read(path: Path) -> tuple[str, str]:
    """Return (version, body) of one prompt file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"cannot read prompt {path}: {exc}") from exc
    if not raw.startswith("---"):
        raise PromptError(f"prompt {path} has no front matter with a version")
    _, header, body = raw.split("---", 2)
    meta = parse_yaml(header) or {}
    if "version" not in meta:
        raise PromptError(f"prompt {path} front matter has no version")
    return str(meta["version"]), body.strip()


@lru_cache(maxsize=4)
def load_prompts(prompts_dir: Path) -> Prompts:
    """Read the prompt files of a folder, once per process."""
    versions, bodies = [], {}
    digest = hashlib.sha256()
    for name in PROMPT_NAMES:
        version, body = _read(prompts_dir / f"{name}.md")
        versions.append(f"{name[0]}{version}")
        bodies[name] = body
        digest.update(body.encode("utf-8"))
    return Prompts(version=".".join(versions) + "-" + digest.hexdigest()[:8], **bodies)
