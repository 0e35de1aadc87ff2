"""The knowledge base is the seed posting, verbatim, split into findable documents."""

from __future__ import annotations

import re

import pytest

from bot.config import PROJECT_ROOT
from bot.knowledge.documents import KnowledgeError, knowledge_fingerprint, load_knowledge
from bot.knowledge.text import normalize_space, plain_text, split_sentences

SHARED_SEED = PROJECT_ROOT.parent / "shared" / "seed" / "job-posting.txt"
# A byte-for-byte copy of the seed, so the verbatim checks run on any checkout.
SEED_COPY = PROJECT_ROOT / "tests" / "fixtures" / "seed-job-posting.txt"
KNOWLEDGE = PROJECT_ROOT / "knowledge"


def _seed_text() -> str:
    return SEED_COPY.read_text(encoding="utf-8")


def test_the_seed_copy_matches_the_shared_seed():
    if not SHARED_SEED.exists():
        pytest.skip("../shared/seed/job-posting.txt is not beside this checkout")
    assert SEED_COPY.read_bytes() == SHARED_SEED.read_bytes()


def _body_lines(markdown: str) -> list[str]:
    """Lines of a document that are text, not headings."""
    return [line for line in markdown.splitlines() if line.strip() and not re.match(r"^\s*#{1,6}\s", line)]


def test_every_seed_sentence_is_in_knowledge_verbatim():
    knowledge = " ".join(plain_text(d.body) for d in load_knowledge(KNOWLEDGE))
    missing = [
        sentence
        for line in _seed_text().splitlines()
        if line.strip()
        for sentence in split_sentences(line)
        if normalize_space(sentence) not in knowledge
    ]
    assert missing == []


def test_knowledge_holds_no_sentence_the_seed_lacks():
    seed = normalize_space(_seed_text())
    added = [
        sentence
        for document in load_knowledge(KNOWLEDGE)
        for line in _body_lines(document.body)
        for sentence in split_sentences(plain_text(line))
        if sentence not in seed
    ]
    assert added == []


def test_documents_carry_posting_metadata_and_cover_the_recruiter_topics():
    documents = load_knowledge(KNOWLEDGE)
    assert {d.posting_id for d in documents} == {"doubao-llm-research"}
    assert all(d.source == "shared/seed/job-posting.txt" for d in documents)
    names = " ".join(d.path for d in documents)
    for topic in ("posting", "applications", "accommodations", "privacy", "pay-and-benefits", "fair-chance"):
        assert topic in names


def test_malformed_front_matter_names_the_file(tmp_path):
    folder = tmp_path / "p1"
    folder.mkdir()
    (folder / "good.md").write_text("---\nposting_id: p1\n---\n\n# A\n\nText.\n")
    (folder / "broken.md").write_text("---\nposting_id: [unclosed\n---\n\n# A\n\nText.\n")
    with pytest.raises(KnowledgeError, match=r"p1/broken\.md"):
        load_knowledge(tmp_path)


def test_empty_documents_are_rejected_naming_the_file(tmp_path):
    (tmp_path / "p1").mkdir()
    (tmp_path / "p1" / "empty.txt").write_text("   \n")
    with pytest.raises(KnowledgeError, match=r"p1/empty\.txt: document has no text"):
        load_knowledge(tmp_path)


def test_markdown_without_front_matter_takes_its_folder_and_first_heading(tmp_path):
    (tmp_path / "night-baker").mkdir()
    (tmp_path / "night-baker" / "posting.md").write_text(
        "# Night Baker, Crumb & Co\n\n## Shifts\n\nShifts start at midnight.\n"
    )
    [document] = load_knowledge(tmp_path)
    assert (document.posting_id, document.title) == ("night-baker", "Night Baker, Crumb & Co")


def test_a_file_directly_under_knowledge_is_a_posting_named_after_the_file(tmp_path):
    (tmp_path / "Harbour Pilot.txt").write_text(
        "Harbour Pilot\nPort of Calder\n\nDuties\n- Guide ships in\n- Keep logs\n"
    )
    [document] = load_knowledge(tmp_path)
    assert (document.posting_id, document.title) == ("harbour-pilot", "Harbour Pilot")
    assert "## Duties" in document.body and "- Guide ships in" in document.body


def test_plain_text_takes_the_folder_as_posting_id_and_keeps_every_word(tmp_path):
    (tmp_path / "night-baker").mkdir()
    text = "Shifts start at midnight.\n\nWhat you bring\nA love of dough, and flour on your sleeves.\nA steady hand\n"
    (tmp_path / "night-baker" / "notes.txt").write_text(text)
    [document] = load_knowledge(tmp_path)
    assert document.posting_id == "night-baker" and document.title == "Night baker"
    assert plain_text(document.body).replace("What you bring ", "") == normalize_space(text).replace(
        "What you bring ", ""
    )
    assert "## What you bring" in document.body and "- A steady hand" in document.body


def test_a_line_after_a_marked_list_in_plain_text_is_not_an_item_of_it(tmp_path):
    # "There is no cohort in December or January." was quoted as a fifth start date.
    (tmp_path / "night-baker").mkdir()
    text = "Night Baker\n\nStart dates\nThe next cohorts begin on:\n- August 25, 2031\n- October 20, 2031\nThere is no cohort in December.\n"
    (tmp_path / "night-baker" / "posting.txt").write_text(text)
    [document] = load_knowledge(tmp_path)
    assert "- October 20, 2031\n\nThere is no cohort in December." in document.body
    assert "- There is no cohort" not in document.body


def test_a_markdown_file_of_text_copied_from_a_pdf_is_read_as_plain_text(tmp_path):
    # Saved as .md, a PDF's text kept its page footers as answers and its sections as one paragraph.
    (tmp_path / "pharmacy-tech").mkdir()
    text = (
        "Lark Health | Job Description | Page 1 of 2\n\nPharmacy Technician\nLocation: Fresno, CA\n\n"
        "Essential Re-\nsponsibilities\n• Fill and check dispensing cabinet orders for 14\n  nursing units.\n"
        "• Deliver first doses to patient care areas.\n\nLark Health | Job Description | Page 2 of 2\n\n"
        "Benefits\nMedical, dental and vision from the first day. Tuition assistance after six months of ser-\n"
        "vice.\n"
    )
    (tmp_path / "pharmacy-tech" / "posting.md").write_text(text)
    [document] = load_knowledge(tmp_path)
    assert document.title == "Pharmacy Technician" and "Page 1" not in document.body
    assert "## Essential Responsibilities\n" in document.body and "## Benefits\n" in document.body
    assert "Fill and check dispensing cabinet orders for 14 nursing units." in document.body
    assert "Tuition assistance after six months of service." in document.body


@pytest.mark.parametrize(
    "markdown",
    [
        "Night Baker\n===========\n\nAbout the role\n--------------\n\nWe bake bread every night.\n",
        "# Night Baker\n\n<p>We bake bread every night.</p>\n",
        "Night Baker\n\n1. Apply online.\n2. Bake a loaf with us.\n",
    ],
)
def test_markdown_with_underlined_headings_tags_or_numbered_lists_stays_markdown(tmp_path, markdown):
    # Read as plain text, "===========" became a unit and "<p>…</p>" the title.
    (tmp_path / "night-baker").mkdir()
    (tmp_path / "night-baker" / "posting.md").write_text(markdown)
    [document] = load_knowledge(tmp_path)
    assert document.body.strip() == markdown.strip()


def test_fingerprint_changes_with_content(tmp_path):
    (tmp_path / "a.txt").write_text("One.\n")
    before = knowledge_fingerprint(tmp_path)
    (tmp_path / "a.txt").write_text("Two.\n")
    assert knowledge_fingerprint(tmp_path) != before


def test_a_byte_order_mark_does_not_hide_the_front_matter(tmp_path):
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "posting.md").write_text(
        "\ufeff---\nposting_id: night-baker\ntitle: Night Baker\n---\n\nText.\n"
    )
    [document] = load_knowledge(tmp_path)
    assert (document.posting_id, document.title) == ("night-baker", "Night Baker")


def test_a_front_matter_posting_id_is_made_a_valid_id(tmp_path):
    (tmp_path / "Night Baker.md").write_text("---\nposting_id: Cocinero_Año (2027)\n---\n\nText.\n")
    [document] = load_knowledge(tmp_path)
    assert document.posting_id == "cocinero-ano-2027"


def test_without_a_heading_the_file_name_is_the_title(tmp_path):
    (tmp_path / "Harbour_Pilot.md").write_text("You guide ships into the harbour.\n")
    [document] = load_knowledge(tmp_path)
    assert (document.posting_id, document.title) == ("harbour-pilot", "Harbour Pilot")


def test_a_first_line_of_its_own_in_plain_text_is_the_title(tmp_path):
    (tmp_path / "night-baker").mkdir()
    (tmp_path / "night-baker" / "posting.txt").write_text("Night Baker\n\nRelocation\nWe pay relocation costs.\n")
    [document] = load_knowledge(tmp_path)
    assert document.title == "Night Baker"
    assert document.body == "# Night Baker\n\n## Relocation\n\nWe pay relocation costs.\n"
