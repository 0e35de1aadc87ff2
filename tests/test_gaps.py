"""Unanswered questions are grouped by meaning, largest group first."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.knowledge.embeddings import make_embeddings
from bot.web.gaps import cluster_labels, group_gaps


@pytest.fixture(scope="module")
def embed():
    return make_embeddings(Settings()).embed_documents


def rows(*questions: str) -> list[dict]:
    return [{"question": q, "created_at": f"2025-01-{i + 1:02d}T00:00:00"} for i, q in enumerate(questions)]


def test_paraphrases_form_one_gap_with_count_and_examples(embed) -> None:
    items = rows(
        "Is this role remote?",
        "is the job remote",
        "Do you allow remote work?",
        "Is this role remote?",
        "Do you offer relocation assistance?",
        "Will you pay for my relocation?",
        "Is there a signing bonus?",
    )
    groups = group_gaps(items, embed)
    assert [g["count"] for g in groups] == [4, 2, 1]
    remote, relocation, bonus = groups
    assert remote["question"] == "Is this role remote?"
    assert set(remote["examples"]) == {"Is this role remote?", "is the job remote", "Do you allow remote work?"}
    assert remote["last_asked"] == "2025-01-04T00:00:00"
    assert set(relocation["examples"]) == {"Do you offer relocation assistance?", "Will you pay for my relocation?"}
    assert bonus["examples"] == ["Is there a signing bonus?"]


def test_a_stricter_similarity_splits_groups(embed) -> None:
    texts = ["Is this role remote?", "Do you allow remote work?"]
    assert len(set(cluster_labels(texts, embed, 0.9))) == 1
    assert len(set(cluster_labels(texts, embed, 0.97))) == 2


def test_whitespace_and_case_variants_are_one_wording(embed) -> None:
    groups = group_gaps(rows("Is it remote?", "  is IT   remote? "), embed)
    assert groups == [
        {
            "question": "Is it remote?",
            "posting": None,
            "count": 2,
            "examples": ["Is it remote?"],
            "last_asked": "2025-01-02T00:00:00",
            "comments": [],
        }
    ]


def test_comments_are_kept_and_empty_rows_skipped(embed) -> None:
    items = [
        {"question": "Is the salary negotiable?", "comment": "no number given", "created_at": "x"},
        {"question": "", "comment": "ignored", "created_at": "y"},
        {"question": None, "created_at": "z"},
    ]
    groups = group_gaps(items, embed)
    assert len(groups) == 1 and groups[0]["comments"] == ["no number given"]
    assert group_gaps([], embed) == []
