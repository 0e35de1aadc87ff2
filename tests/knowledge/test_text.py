"""Text helpers: cleaning user input, stripping markup, splitting knowledge into quotable units, and terms."""

from __future__ import annotations

import pytest

from bot.knowledge.text import (
    clean_input,
    content_terms,
    is_content_word,
    is_title,
    join_sentences,
    plain_text,
    split_sentences,
    split_units,
    stem,
    strip_markup,
    term_set,
    trim_symbols,
)

# --- clean_input ---------------------------------------------------------


def test_clean_input_removes_zero_width_and_bidi_characters():
    assert clean_input("What\u200b is\u202e the\u2060 sal\u200dary\ufeff?") == "What is the salary?"


def test_clean_input_turns_control_characters_into_spaces_and_collapses_runs():
    assert clean_input("start\x00dates\x07  please\n\n\tnow") == "start dates please now"


def test_clean_input_applies_nfkc():
    # Full-width letters and the "fi" ligature become their plain forms.
    assert clean_input("Ｓａｌａｒｙ ﬁne") == "Salary fine"


# --- strip_markup --------------------------------------------------------


def test_strip_markup_keeps_the_words_of_html_and_does_not_glue_blocks():
    assert strip_markup("<p>Start</p><p>dates</p> &amp; <b>pay</b>") == "Start dates & pay"


def test_strip_markup_removes_markdown_emphasis_and_heading_marks():
    assert strip_markup("## **Bold** and *em* and `code` and ~~gone~~") == "Bold and em and code and gone"


@pytest.mark.parametrize("text", ["2 * 3 * 4 = 24", "a < b and c > d", "Is the salary > $100k?"])
def test_strip_markup_leaves_plain_text_alone(text):
    assert strip_markup(text) == text


# --- split_sentences -----------------------------------------------------


def test_split_sentences_at_full_stops_before_capitals():
    assert split_sentences("Status quo? Never. Courage? Always.") == ["Status quo?", "Never.", "Courage?", "Always."]


def test_split_sentences_keeps_abbreviations_whole():
    assert split_sentences("ByteDance Inc. is here. See e.g. the list.") == [
        "ByteDance Inc. is here.",
        "See e.g. the list.",
    ]


def test_a_title_an_address_or_a_month_before_a_capital_does_not_end_a_sentence():
    # "Ubicación: Av." was a unit of its own, so the office address was never quoted whole.
    assert split_sentences("Ubicación: Av. Insurgentes Sur 1602, Col. Del Valle, CDMX. Llegar es fácil.") == [
        "Ubicación: Av. Insurgentes Sur 1602, Col. Del Valle, CDMX.",
        "Llegar es fácil.",
    ]
    assert split_sentences("Contact Ms. Liu in HR. Apply by Jan. 15. Ask Dr. Smith.") == [
        "Contact Ms. Liu in HR.",
        "Apply by Jan. 15.",
        "Ask Dr. Smith.",
    ]
    assert split_sentences(
        "Our office is in Building No. 5 on the pier. You need a licence of category B. We drive."
    ) == [
        "Our office is in Building No. 5 on the pier.",
        "You need a licence of category B.",
        "We drive.",
    ]
    assert split_sentences("We are hiring at ByteDance Inc. Apply today.") == [
        "We are hiring at ByteDance Inc.",
        "Apply today.",
    ]


def test_split_sentences_in_chinese_and_spanish():
    assert split_sentences("我们欢迎你。请尽早申请！") == ["我们欢迎你。", "请尽早申请！"]
    assert split_sentences("¿Puedo empezar? ¡Claro! Sí.") == ["¿Puedo empezar?", "¡Claro!", "Sí."]


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


# --- terms ---------------------------------------------------------------


def test_stem_matches_inflected_forms_in_english_and_spanish():
    assert stem("dates") == stem("date")
    assert stem("salaries") == stem("salary")
    assert stem("fechas", "es") == stem("fecha", "es")
    assert stem("contratarán", "es") == stem("contrataran", "es")  # accents folded before stemming


def test_stem_leaves_chinese_words_whole():
    assert stem("博士学位", "zh") == "博士学位"


@pytest.mark.parametrize(
    ("word", "language", "content"),
    [
        ("salary", "en", True),
        ("relocation", "en", True),
        ("the", "en", False),
        ("hello", "en", False),
        ("job", "en", False),
        ("salario", "es", True),
        ("de", "es", False),
        ("que", "es", False),
        ("博士", "zh", True),
        ("的", "zh", False),
        ("是", "zh", False),
    ],
)
def test_is_content_word(word, language, content):
    assert is_content_word(word, language) is content


def test_content_terms_keep_the_stems_that_carry_meaning():
    assert content_terms("What are the start dates and salaries for the job, please?") == ["start", "date", "salari"]


def test_content_terms_in_spanish_fold_accents_and_drop_function_words():
    terms = content_terms("¿Cuáles son las fechas de inicio y el salario?", "es")
    assert {"fech", "inici", "salari"} <= set(terms)
    assert not {"las", "de", "y", "el"} & set(terms)


def test_content_terms_in_chinese_are_segmented_words():
    terms = content_terms("入职日期是什么时候？需要博士学位吗", "zh")
    assert {"入职", "日期", "博士学位"} <= set(terms)
    assert not {"是", "吗", "？"} & set(terms)


def test_term_set_is_the_set_of_content_terms():
    assert term_set("Start dates: start date", "en") == frozenset({"start", "date"})


def test_trim_symbols_leaves_the_words_of_a_question():
    assert trim_symbols("¿Y hay bonos??? 😅") == "Y hay bonos"
    assert trim_symbols("what about the 401(k)?") == "what about the 401(k)"
    assert trim_symbols("do you use C++?") == "do you use C++"
    assert trim_symbols('"gym"?') == "gym"
    assert trim_symbols("Is there a “gym”?") == "Is there a “gym”"
    assert trim_symbols("🙏🙏") == ""


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


def test_chinese_sentences_are_joined_back_without_a_space():
    # A quote read "…不安排入职。 录用后…": the posting has no space there, so the quote was not its words.
    assert join_sentences(["春节期间不安排入职。", "录用后请选择一批。"]) == "春节期间不安排入职。录用后请选择一批。"
    assert join_sentences(["Apply early.", "We reply soon."]) == "Apply early. We reply soon."


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
        ("item", "负责货物的入库验收；"),
        ("item", "每月参与一次全仓盘点。"),
    ]
    assert [is_title(u) for u in units if u.kind == "lead"] == [True, True, True]
    assert all(u.text in plain_text(JOB_BOARD) for u in units)  # quotes stay the posting's words


def test_a_hard_wrapped_paragraph_is_not_cut_at_its_line_breaks():
    units = split_units("We pay a night differential of $2.10 an hour\nfor every shift that starts after 18:00.")
    assert [u.text for u in units] == [
        "We pay a night differential of $2.10 an hour for every shift that starts after 18:00."
    ]
