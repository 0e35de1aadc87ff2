"""Units: a chunk cut into the sentences, list items, leads and FAQ questions an answer quotes."""

from __future__ import annotations

import pytest

from bot.knowledge.text import plain_text
from bot.knowledge.units import is_title, split_sentences, split_units

# --- split_units ---------------------------------------------------------

CHUNK = """## Start dates

Successful candidates must commit to one of the start dates below:

- January 15, 2024
- **March 4**, 2024

We will prioritize early applicants. Please apply early.

**Required**
- A bachelor's degree
- Python"""


def test_split_units_turns_paragraphs_into_sentences():
    units = split_units(CHUNK)
    prose = [u.text for u in units if u.kind == "sentence"]
    assert prose == ["We will prioritize early applicants.", "Please apply early."]
    assert len({u.paragraph for u in units if u.kind == "sentence"}) == 1


def test_split_units_joins_fragments_to_the_sentence_before_them():
    units = split_units(
        "To us, every challenge is an opportunity to grow. Status quo? Never. Courage? Always.\n\nJoin us."
    )
    assert [u.text for u in units] == [
        "To us, every challenge is an opportunity to grow. Status quo? Never. Courage? Always.",
        "Join us.",  # a paragraph of its own has nothing to join
    ]


def test_split_units_keeps_short_whole_sentences_and_list_items_apart():
    units = split_units("We hire twice a year. Apply early please.\n\n- Python\n- SQL")
    assert [u.text for u in units] == ["We hire twice a year.", "Apply early please.", "Python", "SQL"]


def test_split_units_skips_headings_and_numbers_units_in_reading_order():
    units = split_units(CHUNK)
    assert all(u.text != "Start dates" for u in units)
    assert [u.position for u in units] == list(range(len(units)))


def test_a_paragraph_ending_with_a_colon_leads_the_list_after_it():
    units = split_units(CHUNK)
    lead = units[0]
    assert (lead.text, lead.kind) == ("Successful candidates must commit to one of the start dates below:", "lead")
    items = [u for u in units if u.lead == lead.position]
    assert [u.text for u in items] == ["January 15, 2024", "March 4, 2024"]  # emphasis marks gone
    assert all(u.kind == "item" for u in items)


def test_prose_directly_above_a_list_leads_it_without_a_colon():
    units = split_units(CHUNK)
    [required] = [u for u in units if u.text == "Required"]
    assert required.kind == "lead"
    assert [u.text for u in units if u.lead == required.position] == ["A bachelor's degree", "Python"]


def test_a_list_after_a_finished_paragraph_has_no_lead():
    units = split_units("We value teamwork.\n\n- Python\n- SQL")
    assert [(u.text, u.kind, u.lead) for u in units] == [
        ("We value teamwork.", "sentence", None),
        ("Python", "item", None),
        ("SQL", "item", None),
    ]


def test_numbered_list_items_are_units_without_their_numbers():
    units = split_units("Steps:\n\n1. Apply online\n2) Do an interview")
    assert [(u.text, u.kind) for u in units] == [
        ("Steps:", "lead"),
        ("Apply online", "item"),
        ("Do an interview", "item"),
    ]


def test_every_unit_is_verbatim_plain_text_of_the_chunk():
    flat = plain_text(CHUNK)
    assert all(u.text in flat for u in split_units(CHUNK))


def test_a_markdown_table_is_one_item_per_row_without_its_header():
    # The whole benefits table was one unit, quoted for every pay, leave and pension question.
    units = split_units(
        "## Benefits\n\nWhat we offer:\n\n| Benefit | Details |\n| --- | :---: |\n"
        "| Salary | EUR 3,450 - 4,300 a month |\n| Holiday | 27 vacation days |\n\nAsk us anything."
    )
    assert [(u.text, u.kind) for u in units] == [
        ("What we offer:", "lead"),
        ("Salary | EUR 3,450 - 4,300 a month", "item"),
        ("Holiday | 27 vacation days", "item"),
        ("Ask us anything.", "sentence"),
    ]
    assert len({u.paragraph for u in units}) == 3


def test_a_wide_tables_header_is_the_lead_of_its_rows_and_an_empty_row_is_no_unit():
    # "Senior | 128,000 | 8%" alone does not say which number is the bonus.
    units = split_units(
        "| Level | Salary | Bonus |\n|---|---|---|\n| Senior | 128,000 | 8% |\n|  |  |  |\n| Lead | 150,000 | 12% |"
    )
    assert [(u.text, u.kind, u.lead) for u in units] == [
        ("Level | Salary | Bonus", "lead", None),
        ("Senior | 128,000 | 8%", "item", 0),
        ("Lead | 150,000 | 12%", "item", 0),
    ]
    after_lead = split_units("We offer:\n| Benefit | Details |\n| --- | --- |\n| Pension | 4% match |")
    assert [(u.text, u.kind, u.lead) for u in after_lead] == [
        ("We offer:", "lead", None),
        ("Pension | 4% match", "item", 0),
    ]


def test_a_question_heading_is_quoted_with_its_short_answer():
    # "Do I have to work weekends?" got "No. Every shift lead works at least one weekend shift…" alone: the "No"
    # answered the FAQ's "Can I work only weekdays?", which the quote did not show.
    faq = "### Can I work only weekdays?\n\nNo. Every shift lead works one weekend shift a week.\n\n## Why join us?\n\n"
    faq += "We bake every loaf by hand. Our teams grow with the company. We share our profits with the crew."
    units = split_units(faq)
    assert [(u.text, u.paragraph) for u in units[:2]] == [
        ("Can I work only weekdays?", 0),
        ("No. Every shift lead works one weekend shift a week.", 0),
    ]
    assert "Why join us?" not in [u.text for u in units]  # a title over a longer paragraph is no FAQ question
    table = split_units("## What are the shifts?\n\n| Shift | Hours |\n|---|---|\n| Early | 6-14 |\n\nParking is free.")
    assert "What are the shifts?" not in [u.text for u in table]  # the table answers it, not the text after it


def test_a_question_on_a_line_of_its_own_is_quoted_with_its_short_answer():
    # As an FAQ in bold lines ("**Can I work only weekdays?**" over "No. …"), the "No." answered any question alone.
    units = split_units("**Can I work only weekdays?**\n\nNo. Every shift lead works one weekend shift a week.")
    assert [(u.text, u.paragraph) for u in units] == [
        ("Can I work only weekdays?", 0),
        ("No. Every shift lead works one weekend shift a week.", 0),
    ]
    before_list = split_units("What do you offer?\n\n- Medical\n- Dental")
    assert [u.paragraph for u in before_list] == [0, 1, 1]  # a question over a list is no FAQ pair


JOB_BOARD = """🛠️ **Qué harás**
✅ Cargar tu furgoneta en la nave cada mañana.
✅ Entregar entre 90 y 120 paquetes al día.

💰 **Qué ofrecemos**
💰 **Salario:** 1.650 € brutos al mes en 14 pagas.
📄 **Contrato:** indefinido, con un periodo de prueba de 2 meses.

**Horario**
Jornada: de lunes a viernes, de 7:30 a 15:30
Sábados: uno de cada cuatro

二、【岗位职责】
（1）负责货物的入库验收；
（2）每月参与一次全仓盘点。"""


def test_a_posting_written_line_by_line_has_items_titles_and_labelled_facts():
    # Job-board lines ("✅ …", "💰 **Salario:** …", "（1）…") were one paragraph per block,
    # so "¿cuánto pagan?" was matched against the whole offer, emoji and all.
    units = split_units(JOB_BOARD)
    assert [(u.kind, u.text) for u in units] == [
        ("lead", "Qué harás"),
        ("item", "Cargar tu furgoneta en la nave cada mañana."),
        ("item", "Entregar entre 90 y 120 paquetes al día."),
        ("lead", "Qué ofrecemos"),
        ("item", "Salario: 1.650 € brutos al mes en 14 pagas."),
        ("item", "Contrato: indefinido, con un periodo de prueba de 2 meses."),
        ("sentence", "Horario Jornada: de lunes a viernes, de 7:30 a 15:30"),
        ("sentence", "Sábados: uno de cada cuatro"),
        ("lead", "二、【岗位职责】"),
        ("item", "（1）负责货物的入库验收；"),
        ("item", "（2）每月参与一次全仓盘点。"),
    ]
    assert [is_title(u) for u in units if u.kind == "lead"] == [True, True, True]
    assert all(u.text in plain_text(JOB_BOARD) for u in units)  # quotes stay the posting's words


def test_a_line_by_line_reading_keeps_words_numbers_questions_and_wrapped_sentences():
    # The review found "(2) years of …" quoted as "years of …", an emoji-marked FAQ question read as an item,
    # and "Shifts start at" / "9:00 and end at 17:30." cut at its label-like second line.
    first = split_units("- (2) years of warehouse experience\n- A forklift licence")[0]
    assert first.text == "(2) years of warehouse experience"
    assert [u.text for u in split_units("You must pass within thirty\n(30) days of hire.")] == [
        "You must pass within thirty (30) days of hire."
    ]
    faq = split_units("❓ Can I work only weekdays?\n\nNo. Every shift lead works a weekend shift.")
    assert [u.kind for u in faq] == ["question", "sentence"]
    assert [u.text for u in split_units("Shifts start at\n9:00 and end at 17:30.")] == [
        "Shifts start at 9:00 and end at 17:30."
    ]
    assert [u.text for u in split_units("Jornada: de lunes a viernes\nUbicación: Madrid")] == [
        "Jornada: de lunes a viernes",
        "Ubicación: Madrid",
    ]


def test_a_hard_wrapped_paragraph_is_not_cut_at_its_line_breaks():
    units = split_units("We pay a night differential of $2.10 an hour\nfor every shift that starts after 18:00.")
    assert [u.text for u in units] == [
        "We pay a night differential of $2.10 an hour for every shift that starts after 18:00."
    ]


def test_a_mexican_address_written_in_lower_case_is_one_sentence():
    # "donde queda el cedis" was answered "... Blvd. Aeropuerto 4120, col.": the colonia was cut off.
    text = "Estamos en Blvd. Aeropuerto 4120, col. Los Castillos, int. 3, esq. Hidalgo. Ven el lunes."
    assert split_sentences(text) == [
        "Estamos en Blvd. Aeropuerto 4120, col. Los Castillos, int. 3, esq. Hidalgo.",
        "Ven el lunes.",
    ]


def test_a_list_item_wrapped_onto_the_next_line_is_one_item():
    # A hand-wrapped item was two units: "… after 6 months of" and a lead "service.", and neither answered.
    units = split_units(
        "- Tuition assistance up to $2,500 after 6 months of\n  service.\n- Free parking at the campus and\n"
        "shuttle from lot C.\n- Dental.\nApply by email."
    )
    assert [(u.text, u.kind) for u in units] == [
        ("Tuition assistance up to $2,500 after 6 months of service.", "item"),
        ("Free parking at the campus and shuttle from lot C.", "item"),
        ("Dental.", "item"),
        ("Apply by email.", "sentence"),  # a sentence after a finished item is no part of it
    ]


def test_an_item_ending_with_a_colon_leads_the_list_indented_under_it():
    # "do I need GraphQL?" got "Experience with GraphQL or gRPC" as if required: it was under "Nice to have:".
    units = split_units(
        "**Requirements:**\n\n- **Must have:**\n  - TypeScript or Go\n- **Nice to have:**\n  - GraphQL or gRPC\n"
        "  - A meetup you ran\n- Based in the US"
    )
    texts = {u.position: u.text for u in units}
    assert [(u.text, u.kind, texts.get(u.lead)) for u in units[1:]] == [
        ("Must have:", "lead", None),
        ("TypeScript or Go", "item", "Must have:"),
        ("Nice to have:", "lead", None),
        ("GraphQL or gRPC", "item", "Nice to have:"),
        ("A meetup you ran", "item", "Nice to have:"),
        ("Based in the US", "item", "Requirements:"),  # back under the list's own lead
    ]
    deeper = split_units("- Must have:\n  - Languages:\n    - Python\n  - Docker")
    assert [(u.text, u.lead) for u in deeper] == [("Must have:", None), ("Languages:", 0), ("Python", 1), ("Docker", 0)]


@pytest.mark.parametrize(
    ("faq", "question", "answer"),
    [
        ("**Q: Do I need a degree?**\nA: No.", "Q: Do I need a degree?", "A: No."),
        ("Q: Is it remote? A: No, it is on site.", "Q: Is it remote?", "A: No, it is on site."),
        ("P: ¿Hay bono de firma? R: Sí, de 500 €.", "P: ¿Hay bono de firma?", "R: Sí, de 500 €."),
        ("问：可以远程吗？答：不可以，需要到岗。", "问：可以远程吗？", "答：不可以，需要到岗。"),
    ],
)
def test_an_faq_pair_in_one_block_or_line_is_a_question_and_the_answer_it_leads(faq, question, answer):
    # "Q: Do I need a degree? A: No." was one sentence, which a question about Go was answered with.
    units = split_units(faq)
    assert [(u.text, u.kind) for u in units] == [(question, "question"), (answer, "sentence")]
    assert units[1].lead == units[0].position  # embedded with its question, so "No." is found by it


def test_an_faq_pair_written_as_a_list_item_stays_one_item():
    # Cut in two, "A: Yes, with fuel card." became the lead of the next question's item.
    units = split_units("- Q: Is the van provided? A: Yes, with fuel card.\n- Q: Do I need my own phone? A: No.")
    assert [(u.text, u.kind) for u in units] == [
        ("Q: Is the van provided? A: Yes, with fuel card.", "item"),
        ("Q: Do I need my own phone? A: No.", "item"),
    ]
