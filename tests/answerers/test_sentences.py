"""A streamed answer is cut into whole sentences, each with the markers that cite it."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answerers.sentences import SentenceSplitter


def test_the_splitter_keeps_markers_with_their_sentence_and_abbreviations_whole():
    text = (
        "The range is $136,800 annually [1]. ByteDance Inc. is committed to it [2]. "
        "薪资范围是 $136,800【1】。另外很好。\n- item one [1]\n- item two [2]\nLast one [3]\n"
        "Commit to one of these dates: [1] The role is remote. Pay is $5 [1] and more [2]. "
        "Apply by Jan. 15 or Feb. 5 [2]. **Status quo?** Never [3]."
    )
    splitter = SentenceSplitter()
    sentences = [s for i in range(0, len(text), 7) for s in splitter.feed(text[i : i + 7])] + splitter.flush()
    assert sentences == [
        "The range is $136,800 annually [1].",
        "ByteDance Inc. is committed to it [2].",
        "薪资范围是 $136,800【1】。",
        "另外很好。",
        "- item one [1]",
        "- item two [2]",
        "Last one [3]",
        "Commit to one of these dates: [1]",
        "The role is remote.",
        "Pay is $5 [1] and more [2].",
        "Apply by Jan. 15 or Feb. 5 [2].",
        "**Status quo?**",
        "Never [3].",
    ]


def test_a_marker_on_the_next_line_stays_with_its_sentence_when_streamed():
    splitter = SentenceSplitter()
    pieces = ["Leave is six weeks.\n", "[3]\n", "Pay is weekly [1]."]
    sentences = [s for piece in pieces for s in splitter.feed(piece)] + splitter.flush()
    assert sentences == ["Leave is six weeks.\n[3]", "Pay is weekly [1]."]
    # ... also after a space on that line, streamed apart (hypothesis once found " Six.\n " then "[3]")
    spaced = SentenceSplitter()
    assert spaced.feed(" Six.\n ") + spaced.feed("[3]") + spaced.flush() == ["Six.\n [3]"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "One [1].",
                "Two, e.g. this [2].",
                "三【1】。",
                "Four\n",
                "5.5 k",
                " ",
                "dates: [1] ",
                "The",
                "Six.\n",
                "[3]",
                "\n",
            ]
        ),
        max_size=12,
    ),
    st.lists(st.integers(min_value=0, max_value=120), max_size=6),
)
def test_splitting_does_not_depend_on_how_the_text_was_streamed(pieces, cuts):
    text = "".join(pieces)
    whole = SentenceSplitter()
    expected = whole.feed(text) + whole.flush()
    streamed = SentenceSplitter()
    bounds = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    got = [s for a, b in itertools.pairwise(bounds) for s in streamed.feed(text[a:b])] + streamed.flush()
    assert got == expected


def test_the_splitter_does_not_end_a_sentence_at_an_abbreviation():
    splitter = SentenceSplitter()
    text = "Top venues (e.g. NeurIPS or ACL) count [1]. The pay is approx. $136,800 [2]. Dr. Lee leads it [3]. "
    assert splitter.feed(text) + splitter.flush() == [
        "Top venues (e.g. NeurIPS or ACL) count [1].",
        "The pay is approx. $136,800 [2].",
        "Dr. Lee leads it [3].",
    ]
