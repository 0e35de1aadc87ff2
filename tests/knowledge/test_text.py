"""Text helpers: cleaning user input, stripping markup, sentences, plain text and terms."""

from __future__ import annotations

import pytest

from bot.knowledge.text import (
    clean_input,
    content_terms,
    is_content_word,
    join_sentences,
    plain_line,
    split_sentences,
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


@pytest.mark.parametrize(
    ("line", "plain"),
    [
        # An accommodation answer read "Email [access@q.example](mailto:access@q.example) and we'll set it up".
        ("Email [access@q.example](mailto:access@q.example) today.", "Email access@q.example today."),
        (
            "- Apply on [our careers page](https://q.example/jobs).",
            "Apply on our careers page (https://q.example/jobs).",
        ),
        ("> Quillstack builds qsx, a CLI.", "Quillstack builds qsx, a CLI."),
        ("See [our careers page](/careers) or [the FAQ](#faq).", "See our careers page or the FAQ."),  # no address
        ("_We keep applications for 12 months._", "We keep applications for 12 months."),
        ("Set `MAX_SIZE` in my_config_file", "Set MAX_SIZE in my_config_file"),
    ],
)
def test_a_quotable_line_loses_its_markdown_but_keeps_where_a_link_leads(line, plain):
    assert plain_line(line) == plain


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


# --- terms ---------------------------------------------------------------


def test_stem_matches_inflected_forms_in_english_and_spanish():
    assert stem("dates") == stem("date")
    assert stem("salaries") == stem("salary")
    assert stem("fechas", "es") == stem("fecha", "es")
    assert stem("contratarán", "es") == stem("contrataran", "es")  # accents folded before stemming


def test_stem_is_safe_when_requests_stem_at_once():
    """Sixteen candidates at once stem new words in parallel threads: each gets its own word's stem, never an error."""
    import itertools
    import sys
    from concurrent.futures import ThreadPoolExecutor

    import snowballstemmer

    endings = ("ationally", "ingly", "fulness", "izations", "encies", "ously")
    words = ["".join(letters) + ending for letters in itertools.product("bdkmptvz", repeat=3) for ending in endings]
    alone = snowballstemmer.stemmer("english")
    expected = [alone.stemWord(word) for word in words]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as a busy server might
    try:
        with ThreadPoolExecutor(16) as pool:
            stems = list(pool.map(stem, words))
    finally:
        sys.setswitchinterval(interval)
    assert stems == expected


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
        ("doesn't", "en", False),  # a contraction or an inflection of a listed word tells no more than it does
        ("that's", "en", False),
        ("weren't", "en", False),
        ("o'clock", "en", True),
        ("dont", "en", False),
        ("im", "en", False),
        ("says", "en", False),
        ("stuff", "en", False),
        ("id", "en", True),  # "Do I need a photo ID?"
        ("salario", "es", True),
        ("de", "es", False),
        ("que", "es", False),
        ("quién", "es", False),  # question words and "hay", "está", "mis" are above no frequency cut-off
        ("hay", "es", False),
        ("está", "es", False),
        ("mis", "es", False),
        ("horas", "es", True),  # library stopword lists drop these, which candidates ask about
        ("trabajo", "es", True),
        ("después", "es", False),  # "¿Cuándo tendré respuesta después de postular?" asks about a reply
        ("tendré", "es", False),
        ("博士", "zh", True),
        ("的", "zh", False),
        ("是", "zh", False),
        ("哪里", "zh", False),  # question words are under the frequency cut-off
        ("有没有", "zh", False),
        ("宿舍", "zh", True),
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


def test_chinese_sentences_are_joined_back_without_a_space():
    # A quote read "…不安排入职。 录用后…": the posting has no space there, so the quote was not its words.
    assert join_sentences(["春节期间不安排入职。", "录用后请选择一批。"]) == "春节期间不安排入职。录用后请选择一批。"
    assert join_sentences(["Apply early.", "We reply soon."]) == "Apply early. We reply soon."
