"""Every setting is documented where a newcomer looks: `.env.example` and the README's table."""

from __future__ import annotations

import re

import pytest

from bot.config import PROJECT_ROOT, Settings

NAMES = sorted(name.upper() for name in Settings.model_fields)


@pytest.mark.parametrize("name", NAMES)
def test_every_setting_is_in_env_example(name: str) -> None:
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    assert re.search(rf"^#?\s*{name}=", example, re.MULTILINE), f"{name} is missing from .env.example"


@pytest.mark.parametrize("name", NAMES)
def test_every_setting_is_in_the_readme_table(name: str) -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    assert f"`{name}`" in table, f"{name} is missing from the README's Configuration table"


def test_env_example_names_only_real_settings() -> None:
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert named <= set(NAMES), f"not settings: {sorted(named - set(NAMES))}"
