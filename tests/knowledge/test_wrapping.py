"""Words and addresses that a hard wrap cut at a line's end, as in text copied out of a PDF."""

from __future__ import annotations

import pytest

from bot.knowledge.wrapping import rejoin_wrapped


@pytest.mark.parametrize(
    ("wrapped", "joined"),
    [
        ("Essential Re-\nsponsibilities", "Essential Responsibilities"),  # a heading nobody could find
        ("the removal of ex-\n  pired products", "the removal of expired products"),
        ("La entre-\nvista es en línea y dura una hora.", "La entrevista es en línea y dura una hora."),
        ("a long-\nterm contract", "a long-term contract"),  # a hyphenated compound keeps its hyphen
        ("a self-\nstarter", "a self-starter"),
        ("our part-time staff, and part-\ntime", "our part-time staff, and part-time"),  # as the text writes it
        ("email jobs@lark-\nvalley.example today", "email jobs@lark-valley.example today"),  # the address's own
        ("email privacy@\nlarkvalley.example.", "email privacy@larkvalley.example."),
        ("see https://lark.example/\njobs/17 for more", "see https://lark.example/jobs/17 for more"),
        (
            "Apply at https://acme.example/\nDeadline: March 20, 2027",
            "Apply at https://acme.example/\nDeadline: March 20, 2027",
        ),
        ("Apply at https://acme.example/\nwe reply in a week.", "Apply at https://acme.example/\nwe reply in a week."),
        ("small-\nand medium-sized firms", "small- and medium-sized firms"),  # a hyphen left hanging
        ("Salary -\n$50,000", "Salary -\n$50,000"),  # no word cut
        ("Q&A-\nSession", "Q&A-\nSession"),  # a capital after the hyphen starts a word of its own
    ],
)
def test_a_word_or_address_cut_at_a_line_end_is_joined_again(wrapped: str, joined: str) -> None:
    assert rejoin_wrapped(wrapped) == joined
