"""Evaluation sets: several question files, each against its own knowledge, as one run.

A manifest (tests/evals/sets.yaml) names each set's questions, knowledge
folder, posting and "today". Engines are shared by sets with the same
knowledge and date, so four postings in one folder are indexed once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.evaluation.golden import GoldenCase, load_golden
from bot.yamlfile import read_yaml


@dataclass(frozen=True)
class EvalSet:
    """One question file and what to answer it from."""

    name: str
    cases: list[GoldenCase]
    knowledge: Path
    posting: str | None
    today: dt.date


def load_sets(manifest: Path) -> list[EvalSet]:
    """Read a manifest; paths in it are relative to the manifest's folder."""
    data = read_yaml(manifest)
    base = manifest.parent
    return [
        EvalSet(
            name=item["name"],
            cases=load_golden((base / item["cases"]).resolve()),
            knowledge=(base / item["knowledge"]).resolve(),
            posting=item.get("posting"),
            today=dt.date.fromisoformat(str(item["today"])),
        )
        for item in data["sets"]
    ]


class Engines:
    """Build one engine per (knowledge folder, date), each with its own data folder."""

    def __init__(self, settings: Settings, data_dir: Path) -> None:
        self.settings = settings
        self.data_dir = data_dir
        self._built: dict[tuple[Path, dt.date], object] = {}

    def for_set(self, item: EvalSet):
        """Return the engine that answers a set."""
        from bot.engine.engine import Engine

        key = (item.knowledge, item.today)
        if key not in self._built:
            folder = self.data_dir / f"eval-{len(self._built)}"
            self._built[key] = Engine.build(
                self.settings.model_copy(
                    update={"knowledge_dir": item.knowledge, "today": item.today, "data_dir": folder}
                )
            )
        return self._built[key]
