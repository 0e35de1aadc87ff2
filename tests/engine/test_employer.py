"""The passage that describes the employer: under its heading, or an opening sentence that names it."""

from __future__ import annotations

from bot.engine.employer import employer, header
from tests.mini_posting import chunk, posting


def _about(heading: str, language: str) -> bool:
    return heading.lower() in ("about us", "公司简介")


def _described(*chunks) -> str | None:
    units = posting(*chunks)
    found = employer(units, _about)
    return None if found is None else units.refs[found].unit.text


def test_the_first_unit_under_a_heading_about_the_employer_describes_it():
    duties = chunk("duties", "## What you will do\n\n- Shape the loaves before dawn.")
    about = chunk("about", "## About us\n\nAcme Breads bakes rye loaves for forty shops. We were founded in 1999.")
    assert _described(duties, about) == "Acme Breads bakes rye loaves for forty shops."
    zh = chunk("zh", "## 公司简介\n\n艾克米面包成立于1999年，为四十家门店供应面包。", "zh", "艾克米面包 烘焙师")
    assert _described(duties, zh) == "艾克米面包成立于1999年，为四十家门店供应面包。"


def test_without_that_heading_an_opening_sentence_that_opens_with_the_employers_name_describes_it():
    opening = "# Night Baker - Acme Breads\n\nAcme Breads bakes rye loaves for forty village shops across the valley."
    assert _described(chunk("top", opening, title="Night Baker - Acme Breads")).startswith("Acme Breads bakes")
    # A sentence about the job, a line of facts, or a name the header does not carry describes no employer.
    for first in (
        "You will bake rye loaves for forty village shops across the whole valley.",
        "Acme Breads · Valley · Full-time",
        "Zenith Flour supplies rye flour to forty village bakeries across the valley.",
    ):
        text = f"# Night Baker - Acme Breads\n\n{first}\n\n## What you will do\n\n- Shape the loaves."
        assert _described(chunk("top", text, title="Night Baker - Acme Breads")) is None, first


def test_the_header_is_the_title_and_the_short_lines_before_the_first_heading():
    top = chunk("top", "# Night Baker\n\nAcme Breads\n\nValley · Full-time", title="Night Baker")
    assert header(posting(top)) == "Night Baker Night Baker Acme Breads Valley · Full-time"
