"""Reading a candidate's message: the question apart from greetings, thanks, markup and quoted lines, split into parts."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.engine.question import QuestionReader, data_share


@pytest.fixture(scope="module")
def reader() -> QuestionReader:
    return QuestionReader(Settings(_env_file=None).prompts_dir)


@pytest.mark.parametrize(
    ("message", "language", "core"),
    [
        ("Hi there! What are the start dates? Thanks so much!", "en", "What are the start dates?"),
        ("Dear team,\nWhen can I start?\nBest regards, Jane Doe", "en", "When can I start?"),
        ("你好，请问可以远程工作吗？谢谢！", "zh", "可以远程工作吗？"),
        ("您好，薪资是多少？谢谢您的耐心解答", "zh", "薪资是多少？"),
        ("Hola, ¿cuál es el salario? Muchas gracias", "es", "¿cuál es el salario?"),
        ("Buenos días, ¿cuánto pagan? Saludos cordiales", "es", "¿cuánto pagan?"),
    ],
)
def test_greetings_and_thanks_are_not_part_of_the_question(reader, message, language, core):
    question = reader.read(message)
    assert question.language == language
    assert question.core == core
    assert [p.text for p in question.parts] == [core]


def test_wrapping_words_are_kept_when_nothing_else_is_left(reader):
    # Stripping "Thanks" too would leave nothing; the guards see the words and answer with an invitation.
    assert reader.read("Hi! Thanks").core == "Thanks"


def test_a_quoted_posting_line_becomes_a_hint_not_the_question(reader):
    question = reader.read('The posting says "Applications will be reviewed on a rolling basis" - what does that mean?')
    assert question.quotes == ("Applications will be reviewed on a rolling basis",)
    assert "rolling" not in question.core
    assert "what does that mean?" in question.core


def test_a_message_that_only_quotes_a_line_asks_about_that_line(reader):
    question = reader.read("“Applications will be reviewed on a rolling basis”")
    assert [p.text for p in question.parts] == ["Applications will be reviewed on a rolling basis"]


def test_a_short_quote_is_part_of_the_question(reader):
    question = reader.read('He said "ok then" - when can I start?')
    assert question.quotes == ()
    assert '"ok then"' in question.core


def test_a_long_chinese_quote_becomes_a_hint(reader):
    question = reader.read("职位描述写着“申请将会滚动审核”是什么意思？")
    assert question.quotes == ("申请将会滚动审核",)


def test_a_seven_character_chinese_quote_becomes_a_hint(reader):
    question = reader.read("职位描述写着“申请将滚动审核”是什么意思？")
    assert question.quotes == ("申请将滚动审核",)


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        ("What are the start dates and do I need a PhD?", ["What are the start dates", "do I need a PhD?"]),
        ("When can I start, and how much does it pay?", ["When can I start", "how much does it pay?"]),
        ("什么时候可以入职？另外需要博士学位吗？", ["什么时候可以入职？", "需要博士学位吗？"]),
        ("What is the pay? Also, is it remote?", ["What is the pay?", "is it remote?"]),
        ("¿Es remoto? ¿Y hay bonos?", ["¿Es remoto?", "¿hay bonos?"]),
        ("能远程吗？另外，工资多少？", ["能远程吗？", "工资多少？"]),
        ("工资多少？那边的办公室在哪里？", ["工资多少？", "那边的办公室在哪里？"]),  # "那边" is not a joining word
        ("Is it remote? Plus-size uniforms?", ["Is it remote?", "Plus-size uniforms?"]),
        ("可以远程吗，另外薪资是多少", ["可以远程吗", "薪资是多少"]),
        # a later question's own lead-in is not part of it (it named the part in "About 'one more thing, …'")
        ("Is it remote? One more thing, do you sponsor visas?", ["Is it remote?", "do you sponsor visas?"]),
        ("¿Es remoto? Otra cosa, ¿ofrecen reubicación?", ["¿Es remoto?", "¿ofrecen reubicación?"]),
        ("可以远程吗？还有一件事，可以办签证吗？", ["可以远程吗？", "可以办签证吗？"]),
        ("另外的福利有哪些？", ["另外的福利有哪些？"]),  # "另外的" is "other", not "besides"
        ("Is it remote? Well-being benefits, are there any?", ["Is it remote?", "Well-being benefits, are there any?"]),
        ("¿Cuándo puedo empezar y necesito un doctorado?", ["¿Cuándo puedo empezar", "necesito un doctorado?"]),
        (
            "¿Cuáles son las fechas de inicio? ¿Necesito un doctorado?",
            ["¿Cuáles son las fechas de inicio?", "¿Necesito un doctorado?"],
        ),
    ],
)
def test_two_questions_in_one_message_are_two_parts(reader, message, parts):
    assert [p.text for p in reader.read(message).parts] == parts


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        ("Which degrees count??? 😅", ["Which degrees count???"]),
        ("要求是啥？？？😅", ["要求是啥？？？"]),
        ("- visa sponsorship?\n- relocation?", ["visa sponsorship?", "relocation?"]),
        ("* visa sponsorship?\n1. relocation?", ["visa sponsorship?", "relocation?"]),
        ("你们用什么 IDE？", ["你们用什么 IDE？"]),
        (
            "Is it paid? And do you offer [free meals](http://example.com/x)?",
            ["Is it paid?", "do you offer free meals?"],
        ),
        ("入职时间是什么时候", ["入职时间是什么时候"]),  # "什么" is not the question particle "么"
        ("Hey, a couple of questions: 1) is it paid? 2) is it remote?", ["is it paid?", "is it remote?"]),
        ("Buenas, tengo dos dudas: ¿es remoto? ¿hay bono?", ["¿es remoto?", "¿hay bono?"]),
        ("你好，我有几个问题：能远程吗？有奖金吗？", ["能远程吗？", "有奖金吗？"]),
    ],
)
def test_parts_are_the_questions_without_their_wrapping(reader, message, parts):
    assert [p.text for p in reader.read(message).parts] == parts


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        (
            "Describe the benefits. Then explain the start dates.",
            ["Describe the benefits.", "explain the start dates."],
        ),
        (
            "What's the bonus, and let me know the relocation policy",
            ["What's the bonus", "let me know the relocation policy"],
        ),
        (
            "Quiero saber el sueldo y cuéntame de las vacaciones",
            ["Quiero saber el sueldo", "cuéntame de las vacaciones"],
        ),
        ("讲讲团队。然后说一下培训。", ["讲讲团队。", "然后说一下培训。"]),
        ("我想了解一下加班情况，另外解释下试用期", ["我想了解一下加班情况", "解释下试用期"]),
    ],
)
def test_requests_without_a_question_mark_are_questions_too(reader, message, parts):
    # A request made a statement before: it became the context of the last sentence, and was never answered.
    assert [p.text for p in reader.read(message).parts] == parts


def test_a_statement_before_a_request_is_its_context(reader):
    [part] = reader.read("I finish my degree in June. Please outline the application steps.").parts
    assert part.text == "Please outline the application steps."
    assert part.context == "I finish my degree in June."


def test_two_chinese_questions_joined_by_another_in_one_sentence_are_two_parts(reader):
    # The same message as "可以远程吗，另外薪资是多少" (which splits), only with its question mark.
    assert [p.text for p in reader.read("可以远程吗，另外薪资是多少？").parts] == ["可以远程吗", "薪资是多少？"]


def test_a_conjunction_inside_one_question_does_not_split_it(reader):
    message = "Do you offer medical and dental insurance?"
    assert [p.text for p in reader.read(message).parts] == [message]


def test_statements_around_a_question_are_its_context(reader):
    [part] = reader.read("Hello, I have a PhD in NLP. Do I qualify?").parts
    assert part.text == "Do I qualify?"
    assert part.context == "I have a PhD in NLP."
    assert part.full == "I have a PhD in NLP. Do I qualify?"


@pytest.mark.parametrize(
    ("message", "options"),
    [
        ("When does health cover start? Day one or after a waiting period?", [False, True]),
        ("¿Cuándo empieza el seguro? ¿El primer día o después de un tiempo?", [False, True]),
        ("医保什么时候开始？第一天还是要等一段时间？", [False, True]),
        ("What are the hours? Is it full-time or part-time?", [False, False]),  # it asks for itself
        ("What are the hours? And where is the office?", [False, False]),
    ],
)
def test_a_question_of_options_after_a_question_offers_answers_to_it(reader, message, options):
    assert [p.offers_options for p in reader.read(message).parts] == options


def test_parts_are_capped(reader):
    message = "What is the salary? When can I start? Is it remote? Do I need a PhD? Is there a bonus?"
    assert len(reader.read(message).parts) == 4


@pytest.mark.parametrize(
    "message", ["<p>What is the <b>salary</b>?</p>", "**What** is the *salary*?", "What is the &lt;salary&gt;?"]
)
def test_pasted_markup_is_removed(reader, message):
    question = reader.read(message)
    assert not any(mark in question.text for mark in ("<b>", "<p>", "**", "&lt;", "&gt;"))
    assert "salary" in question.core


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("What are the start dates?", 0.0),
        ("drwxr-xr-x 2 root", 1 / 3),
        ("0x3f2a9b 4096", 1.0),
        ("C++ and CUDA", 1 / 3),
        ("需要博士学位吗？", 0.0),
        ("", 0.0),
    ],
)
def test_data_share_counts_pieces_that_are_not_words(text: str, share: float) -> None:
    assert data_share(text) == pytest.approx(share)


def test_a_greeting_in_another_language_is_not_part_of_the_question(reader):
    assert reader.read("Hola, what is the salary?", "en").core == "what is the salary?"


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        (
            "Hidden requirements?",
            ["Hidden requirements?"],
        ),  # not "dden requirements?": "hi" is a greeting only as a word
        ("Share options?", ["Share options?"]),
        ("Do you offer stock units and share options?", ["Do you offer stock units and share options?"]),
        ("I want to know more. What is the salary?", ["What is the salary?"]),
        ("I need to know because my visa expires. When are the start dates?", ["When are the start dates?"]),
        ("Dime el salario. Luego las fechas de inicio.", ["Dime el salario.", "las fechas de inicio."]),
        ("Tell me the salary. And I have a PhD.", ["Tell me the salary."]),  # a statement, not a second request
    ],
)
def test_request_words_are_read_as_requests_only_when_they_ask_for_something(reader, message, parts):
    assert [p.text for p in reader.read(message).parts] == parts


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        ("Explain the benefits and the salary", ["Explain the benefits", "Explain the salary"]),
        (
            "Tell me about the pay, the bonus and the start dates",
            ["Tell me about the pay", "Tell me about the bonus", "Tell me about the start dates"],
        ),
        ("Dime el salario y las fechas de inicio", ["Dime el salario", "Dime las fechas de inicio"]),
        ("Tell me about medical and dental insurance", ["Tell me about medical and dental insurance"]),
        ("Dime el salario y también las fechas de inicio", ["Dime el salario", "Dime las fechas de inicio"]),
        ("Háblame sobre el salario y las vacaciones", ["Háblame sobre el salario", "Háblame sobre las vacaciones"]),
        ("介绍一下工作和生活平衡", ["介绍一下工作和生活平衡"]),
    ],
)
def test_a_request_for_two_things_asks_for_each(reader, message, parts):
    # "Explain the benefits and the salary" was one question, and the answer covered the benefits only.
    assert [p.text for p in reader.read(message).parts] == parts


@pytest.mark.parametrize(
    ("message", "parts"),
    [
        ("Is there a cohort between April and May this year?", 1),
        ("Is there a start date between February and May 2032?", 1),
        ("Can I start in June and may I bring a laptop?", 2),
    ],
)
def test_the_month_may_does_not_open_a_second_question(reader, message, parts):
    assert len(reader.read(message).parts) == parts


@pytest.mark.parametrize(
    ("message", "language", "pair"),
    [
        ("Salary and start date?", "en", ("Salary?", "start date?")),
        ("What are the salary & the hours?", "en", ("salary?", "hours?")),
        ("¿Salario y fecha de inicio?", "es", ("Salario?", "fecha de inicio?")),
        ("工资和入职时间？", "zh", ("工资？", "入职时间？")),
        ("Is it remote and paid?", "en", None),  # one thing asked about
        ("Can I apply and interview remotely?", "en", None),
        ("What does the team do and why?", "en", None),
    ],
)
def test_two_things_named_alone_are_a_pair_to_answer_one_by_one(reader, message, language, pair):
    # "Salary and start date?" was answered with the start dates alone.
    assert reader.pair(message, language) == pair


@pytest.mark.parametrize(
    ("text", "language", "clause"),
    [
        ("when could I start?", "en", "when could I start?"),
        ("for 5 years for drug dealing, which team would I join?", "en", "which team would I join?"),
        ("my due date is in March, so when could I start?", "en", "when could I start?"),
        ("Tell me the start dates.", "en", "Tell me the start dates."),
        ("can I still apply or is that a dealbreaker?", "en", None),
        ("is that a problem?", "en", None),
        ("how do i arrange that", "en", None),
        ("what benefits are there?", "en", "what benefits are there?"),
        ("了,什么时候可以入职?", "zh", "什么时候可以入职?"),
        ("什么都愿意做,能申请吗?", "zh", None),  # 什么 here is no question word
        ("por robo, ¿cuál es el código de vestimenta?", "es", "¿cuál es el código de vestimenta?"),
    ],
)
def test_beside_a_disclosure_only_the_closing_clause_that_asks_for_a_fact_is_a_question(reader, text, language, clause):
    # "I was in prison for 5 years for drug dealing, which team would I join?" echoed the whole rest as a label.
    assert reader.asked_clause(text, language) == clause


def test_a_chinese_a_not_a_question_after_a_comma_is_a_question_of_its_own(reader):
    # "工资多少，包不包住" was one question: the housing half was never looked up.
    assert [p.text for p in reader.read("工资多少，包不包住", "zh").parts] == ["工资多少", "包不包住"]
    assert [p.text for p in reader.read("工资多少，管不管饭，周末休息吗", "zh").parts] == [
        "工资多少",
        "管不管饭",
        "周末休息吗",
    ]


@pytest.mark.parametrize(
    ("message", "language", "whole"),
    [
        ("Tell me about this role", "en", True),
        ("Hi! I'm a student. What would I be doing day to day?", "en", True),
        ("what does the job involve?", "en", True),
        ("háblame del puesto", "es", True),
        ("这个工作是做什么的？", "zh", True),
        ("Tell me about the role's salary", "en", False),
        ("Tell me about the salary for this role", "en", False),
        ("Summarize the benefits of this position", "en", False),
        ("Describe the schedule for this job", "en", False),
        ("Tell me about your role", "en", False),  # the assistant's
        ("Describe el puesto, por favor", "es", True),
        ("What would I be doing on weekends?", "en", False),
        ("What is the job title?", "en", False),
        ("What will I actually be doing day to day?", "en", True),
        ("What does a deckhand do?", "en", True),
        ("What does a deckhand do on rough days?", "en", False),
        ("What does the role actually do all day?", "en", True),
        ("what does a deckhand do all night", "en", True),
        ("What does the role do for pensions?", "en", False),
        ("¿Qué hace un puesto así?", "es", False),
        ("¿Qué hace un puesto en el día a día?", "es", True),
        ("What does the company do?", "en", False),
        ("What does an applicant need to do?", "en", False),
        ("What does a successful applicant do?", "en", False),
        ("What does a background check do?", "en", False),
        ("¿Qué haría exactamente en el puesto?", "es", True),
        ("¿En qué consiste el trabajo?", "es", True),
        ("¿Cuáles serían mis funciones?", "es", True),
        ("具体工作内容是什么？", "zh", True),
        ("我每天要做什么？", "zh", True),
        ("工作内容包括加班吗？", "zh", False),
    ],
)
def test_a_question_about_the_job_as_a_whole_asks_for_its_duties(reader, message, language, whole):
    # "Tell me about this role" has no word a passage could match ("role" says nothing): it got an invitation.
    part = reader.read(message, language).parts[-1]
    assert (part.whole == "job") is whole
    if whole:
        assert part.text == reader.patterns(language).role_question


@pytest.mark.parametrize(
    ("message", "language", "whole"),
    [
        ("tell me about the company", "en", True),
        ("Hi! Could you tell me a bit more about your company?", "en", True),
        ("what kind of company is this", "en", True),
        ("What is the organisation all about?", "en", True),
        ("what do you guys even do?", "en", True),
        ("What does the company pay?", "en", False),
        ("Tell me about the company's pension plan", "en", False),
        ("What kind of company car do I get?", "en", False),
        ("Háblame de la empresa, por favor", "es", True),
        ("¿Qué tipo de empresa es?", "es", True),
        ("¿La empresa paga el transporte?", "es", False),
        ("介绍一下你们公司", "zh", True),
        ("公司是做什么的？", "zh", True),
        ("公司有班车吗？", "zh", False),
    ],
)
def test_a_question_about_the_company_as_a_whole_asks_what_it_does(reader, message, language, whole):
    part = reader.read(message, language).parts[-1]
    assert (part.whole == "company") is whole
    if whole:
        assert part.text == reader.patterns(language).company_question


def test_an_abbreviation_does_not_end_a_question(reader):
    # "What's Ms. Liu's personal phone number?" was split into a part "What's Ms."
    assert [p.text for p in reader.read("What's Ms. Liu's phone number?", "en").parts] == [
        "What's Ms. Liu's phone number?"
    ]
    parts = reader.read("Can I email Ms. Ochoa to ask for more time? Also what is the salary?", "en").parts
    assert [p.text for p in parts] == ["Can I email Ms. Ochoa to ask for more time?", "what is the salary?"]
