"""What a candidate gets: cited, grounded answers, honest gaps, polite refusals."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.evaluation.golden import knowledge_text
from bot.knowledge.text import plain_text
from tests.conftest import FICTIONAL, KNOWLEDGE

DATES = [
    "January 15, 2024",
    "February 5, 2024",
    "March 4, 2024",
    "May 20, 2024",
    "June 10, 2024",
    "July 15, 2024",
    "August 12, 2024",
]


def assert_grounded(response, knowledge_dir=KNOWLEDGE):
    """Every citation is verbatim knowledge and every [n] points to one."""
    knowledge = knowledge_text(knowledge_dir)
    assert response.citations, "an answer must cite something"
    ids = {c.id for c in response.citations}
    assert {int(n) for n in re.findall(r"\[(\d+)\]", response.answer)} == ids
    for citation in response.citations:
        assert plain_text(citation.quote) in knowledge


def posting_engine(root, posting: str, markdown: str, today=None, fake: bool = True):
    """An engine over one posting written into root/knowledge: fake embeddings, or the real model."""
    from bot.config import Settings
    from bot.engine.engine import Engine
    from tests.fakes import FakeEmbeddings

    folder = root / "knowledge" / posting
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "posting.md").write_text(markdown, encoding="utf-8")
    settings = Settings(_env_file=None, data_dir=root / f"data-{today}", knowledge_dir=root / "knowledge", today=today)
    return Engine(settings, embeddings=FakeEmbeddings()) if fake else Engine.build(settings)


def test_start_dates_lists_all_seven_with_a_citation(engine):
    response = engine.ask("What are the start dates?").response
    assert response.status == "answered" and response.mode == "extractive"
    assert all(d in response.answer for d in DATES)
    assert "before today" in response.answer  # every listed date is in the past on 2026-11-29
    assert_grounded(response)


def test_april_is_compared_with_the_parsed_dates(engine):
    response = engine.ask("Can I start in April 2024?").response
    assert "April 2024 is not one of the dates" in response.answer
    assert "March 4, 2024 and May 20, 2024" in response.answer
    assert_grounded(response)


def test_the_original_language_label_stands_right_above_the_quotes_not_our_own_date_sentence(engine):
    paragraphs = engine.ask("我可以4月入职吗？").response.answer.split("\n\n")
    assert "2024年4月" in paragraphs[0]
    label = paragraphs.index("职位描述（英文原文）中相关的内容如下：")
    assert paragraphs[label + 1].startswith("Successful candidates")


def test_a_bounded_date_gets_the_first_listed_date_after_it_or_the_last_before(fictional_engine):
    ask = lambda q: fictional_engine.ask(q).response.answer  # noqa: E731
    assert "The first date the posting lists after October 2031 is November 14, 2031." in ask(
        "Could I start sometime after October 2031?"
    )
    pointed = ask("My notice period ends in December 2031. Is there a start date after that?")
    assert "The first date the posting lists after December 2031 is January 9, 2032." in pointed
    assert "La última fecha que indica la oferta antes de noviembre de 2031 es October 3, 2031." in ask(
        "¿Hay alguna fecha de inicio antes de noviembre de 2031?"
    )
    assert "职位描述没有列出2032年1月之后的日期。" in ask("2032年1月以后还能入职吗？")


def test_a_date_range_gets_the_listed_dates_inside_it_or_the_closest_ones(fictional_engine):
    ask = lambda q: fictional_engine.ask(q).response.answer  # noqa: E731
    assert "Between October and December 2031, the posting lists October 3, 2031 and November 14, 2031." in ask(
        "Can I start sometime between October and December 2031?"
    )
    empty = ask("Is there a start date between February and May 2032?")
    assert "The posting lists no date between February and May 2032." in empty
    assert "The closest listed date is January 9, 2032." in empty
    assert "Entre diciembre de 2031 y enero de 2032, la oferta indica January 9, 2032." in ask(
        "¿Puedo empezar entre diciembre de 2031 y enero de 2032?"
    )
    after = ask("I have exams from October to November 2031. Is there a start date after that?")
    assert "The first date the posting lists after November 2031 is January 9, 2032." in after
    assert "2031年11月到12月之间，职位描述列出的日期是 November 14, 2031。" in ask("2031年11月到12月之间可以入职吗？")


def test_a_listed_date_is_confirmed(engine):
    response = engine.ask("Can I start on June 10?").response
    assert "June 10, 2024" in response.answer and "not one of the dates" not in response.answer


def test_application_limit(engine):
    response = engine.ask("How many jobs can I apply to?").response
    assert "maximum of TWO positions" in response.answer and "order you applied" in response.answer
    assert "affiliates' jobs globally" in response.answer
    assert_grounded(response)


def test_accommodation_gives_the_contact_and_asks_nothing(engine):
    response = engine.ask("I need an interview accommodation").response
    assert "earlycareers.accommodations@bytedance.com" in response.answer
    assert "?" not in response.answer.replace("https://", "")
    assert_grounded(response)


def test_a_question_whether_age_counts_against_the_candidate_gets_the_inclusion_statement(engine):
    # "I'm 58. Would my age count against me here?" was held back with unrelated passages.
    for question in ("I'm 58. Would my age count against me here?", "Are women welcome?", "¿Soy demasiado mayor?"):
        response = engine.ask(question).response
        assert response.status == "answered"
        assert "committed to creating an inclusive space" in response.answer
        assert_grounded(response)
    assert "inclusive space" not in engine.ask("Is there an age limit?").response.answer
    both = engine.ask("I'm 58, would my age count against me? Also, what is the salary?").response.answer
    assert "inclusive space" in both and "$136800 - $205000" in both  # the salary part is answered on its own


def test_a_relatives_pregnancy_is_answered_from_the_leave_not_the_accommodations_contact(engine):
    # "My wife is pregnant, can I get parental leave?" was given the recruitment-accommodations passage.
    response = engine.ask("My wife is pregnant, can I get parental leave?").response
    assert "paid parental leave" in response.answer
    assert "earlycareers.accommodations@bytedance.com" not in response.answer
    assert engine.ask("I'm pregnant, can I ask for a later interview?").response.answer.count("earlycareers.") == 1
    relative = engine.ask("My husband has a chronic illness; can I get extra time or a later interview date?")
    assert "earlycareers.accommodations@bytedance.com" in relative.response.answer  # a change to their own process


def test_a_question_beside_a_disclosure_is_answered_too_and_nothing_is_stored(engine):
    # "I'm pregnant, when could I start?" got the accommodations contact alone: the start dates were never looked up.
    for message in (
        "I'm pregnant, when could I start?",
        "Estoy embarazada, ¿cuándo puedo empezar?",
        "我怀孕了，什么时候可以入职？",
    ):
        result = engine.ask(message)
        assert "January 15, 2024" in result.response.answer, message
        assert "earlycareers.accommodations@bytedance.com" in result.response.answer, message
        assert result.trace["store_text"] is False, message
        assert_grounded(result.response)
    felony = engine.ask("I have a felony conviction. What's the salary?").response.answer
    assert "$136800 - $205000" in felony and "Fair Chance" in felony
    alone = engine.ask("I'm pregnant, is that a problem?").response.answer  # about the disclosure: the contact only
    assert "earlycareers.accommodations@bytedance.com" in alone and "January 15, 2024" not in alone


def test_nothing_said_beside_a_disclosure_is_echoed_or_read_as_a_date(engine):
    # The review found "On “for 5 years for drug dealing, which team would I join”, …" in the answer (and so stored),
    # a due date read as a start date, and a crash when the question beside a disclosure named two things.
    prison = engine.ask("I was in prison for 5 years for drug dealing, which team would I join?").response.answer
    assert "drug" not in prison and "5 years" not in prison and "Fair Chance" in prison
    due = engine.ask("I'm pregnant, my due date is in March, when could I start?").response.answer
    assert "matches a date" not in due and "January 15, 2024" in due
    named = engine.ask("I'm Maria Lopez and I'm pregnant, what is the dress code?").response
    assert "Maria" not in named.answer and "earlycareers.accommodations@bytedance.com" in named.answer
    both = engine.ask("I'm pregnant, what are the salary and start date?").response.answer
    assert "$136800 - $205000" in both and "January 15, 2024" in both and "earlycareers." in both
    chemo = engine.ask(
        "I have cancer and my last chemo is on April 2, 2024. What is the first start date after that day?"
    )
    assert "April 2" not in chemo.response.answer and "January 15, 2024" in chemo.response.answer
    # questions the second review found dropped: "there" and "tell me about the role" ask about the job
    assert (
        "medical, dental, and vision insurance"
        in engine.ask("I have diabetes, what benefits are there?").response.answer
    )
    assert "Develop or execute research" in engine.ask("I'm pregnant, tell me about the role").response.answer


def test_two_things_named_alone_are_each_answered_unless_one_passage_answers_both(engine):
    # "Salary and start date?" was answered with the start dates alone.
    for message in ("Salary and start date?", "¿Salario y fecha de inicio?", "工资和入职时间？"):
        response = engine.ask(message).response
        assert "$136800 - $205000" in response.answer and "January 15, 2024" in response.answer, message
        assert_grounded(response)
    both = engine.ask("medical and dental insurance?")
    assert len(both.trace["parts"]) == 1 and "medical, dental, and vision insurance" in both.response.answer
    housing = engine.ask("工资多少，包不包住")
    assert len(housing.trace["parts"]) == 2 and "$136800 - $205000" in housing.response.answer


def test_a_question_about_the_job_as_a_whole_gets_its_duties(engine, fictional_engine):
    # "Tell me about this role" and "what would i be doing" got an invitation to ask a question, and
    # "Could you summarize this job for me?" the resume line as the closest passage.
    for message in (
        "Tell me about this role",
        "what would i be doing",
        "Could you summarize this job for me?",
        "¿De qué se trata el puesto?",
        "介绍一下这个岗位",
    ):
        response = engine.ask(message).response
        assert response.status == "answered", message
        assert "Develop or execute research" in response.answer and "Contribute to publications" in response.answer
        assert_grounded(response)
    # On a posting whose duties share no word with the question, the duties are still found.
    small = fictional_engine.ask("这个工作是做什么的？").response.answer
    assert "Maintain the dough telemetry pipelines." in small and "Build dashboards for the oven crews." in small
    assert "salary" not in fictional_engine.ask("What does this job involve?").response.answer
    assert "Base pay" in engine.ask("Tell me about the role's salary").response.answer  # a question about one thing


def test_a_question_about_the_company_as_a_whole_gets_the_postings_description_of_it(fictional_engine, tmp_path):
    # "tell me about the company" got an invitation to ask a question ("company" is every posting's word), and
    # "What does the company do?" a duty as the closest passage.
    for message in (
        "tell me about the company",
        "What kind of company is this?",
        "what do you guys actually do",
        "¿A qué se dedica la empresa?",
        "介绍一下你们公司",
    ):
        response = fictional_engine.ask(message).response
        assert response.status == "answered", message
        assert "Zephyr Pretzel Works is a fictional bakery cooperative" in response.answer, message
        assert_grounded(response, FICTIONAL)
    assert "Zephyr Pretzel Works is" not in fictional_engine.ask("What does the company pay?").response.answer
    # With no heading over it, the posting's opening sentence describes the employer; a line of facts does not.
    opening = posting_engine(
        tmp_path / "opening",
        "night-baker",
        "# Night Baker - Quorb Breads\n\nQuorb Breads bakes rye loaves for forty village shops across the planet Quorb."
        "\n\n## What you will do\n\n- Shape the loaves before dawn.\n- Clean the ovens.\n\n## Your data\n\nQuorb Breads keeps"
        " your application at Quorb Breads' office only to assess it.\n",  # the name, said more often than above
    )
    for message in ("what kind of company is this", "What does Quorb Breads do?", "¿A qué se dedica Quorb Breads?"):
        response = opening.ask(message).response
        assert response.status == "answered" and "Quorb Breads bakes rye loaves" in response.answer, message
        assert "keeps your application" not in response.answer, message
    # A line of facts, or an opening sentence about the job, does not describe the employer: the posting doesn't say.
    for name, opening in (
        ("facts", "Quorb Breads · Quorb · Full-time"),
        ("job", "You will shape rye loaves for forty village shops across the planet Quorb."),
    ):
        posting = (
            f"# Night Baker, Quorb Breads\n\n{opening}\n\n## What you will do\n\n- Shape the loaves before dawn.\n"
        )
        response = posting_engine(tmp_path / name, "night-baker", posting).ask("what kind of company is this").response
        assert response.status == "not_found" and response.answer_type == "not_covered", name


def night_baker(root, opening: str):
    """An engine, with the real model, over a short posting for a night baker that opens with `opening`."""
    posting = (
        f"# Night Baker - Quorb Breads\n\n{opening}\n\n## What you will do\n\n- Shape the loaves before dawn.\n"
        "- Clean the ovens.\n\n## Pay\n\nThe pay is 14 crowns an hour, paid weekly.\n"
    )
    return posting_engine(root, "night-baker", posting, fake=False)


@pytest.mark.slow  # the real model: the fake embeddings find no duties in so short a posting
def test_a_question_that_names_the_job_by_its_title_is_answered_as_one_about_the_job(tmp_path):
    # "What does the night shift supervisor do?" and "How much does a night shift supervisor make?" got the
    # company's description, which names the job ("we need a ... supervisor"), and no duties or pay.
    baker = night_baker(tmp_path, "Quorb Breads bakes rye loaves for forty village shops and needs a night baker.")
    for message in ("What does the night baker do?", "what does a baker do all night", "What does the role do?"):
        response = baker.ask(message).response
        assert response.status == "answered" and "Shape the loaves before dawn." in response.answer, message
        assert "bakes rye loaves" not in response.answer, message
    for message in ("How much does a night baker make?", "what do night bakers get paid"):
        response = baker.ask(message).response
        assert response.status == "answered" and "14 crowns an hour" in response.answer, message
        assert "bakes rye loaves" not in response.answer, message
    assert "bakes rye loaves" in baker.ask("What does Quorb Breads do?").response.answer


@pytest.mark.slow  # the real model, as above
def test_a_question_that_names_the_employer_is_about_what_it_asks_not_the_employers_description(tmp_path):
    # "Does Northgale pay overtime?" got the description of Northgale, which its name finds, and no overtime.
    baker = night_baker(
        tmp_path, "Quorb Breads was founded in 1990 and bakes rye loaves for forty village shops on the planet Quorb."
    )
    for message in ("Does Quorb Breads pay weekly?", "How much does Quorb Breads pay?"):
        answer = baker.ask(message).response.answer
        assert "14 crowns an hour" in answer and "founded in 1990" not in answer, message
    assert "founded in 1990" not in baker.ask("Does Quorb Breads offer a pension?").response.answer
    assert "founded in 1990" in baker.ask("When was Quorb Breads founded?").response.answer  # what only its name finds


def test_privacy_gives_the_policy_link_and_invents_no_retention(engine):
    response = engine.ask("What happens to my data?").response
    assert "https://jobs.bytedance.com/en/legal/privacy" in response.answer
    assert "retain" not in response.answer.lower() and "days" not in response.answer
    assert_grounded(response)


def test_not_covered_is_honest_and_shows_the_closest_passage_or_what_it_can_help_with(engine):
    for question in (
        "What are the interview steps?",
        "Do you sponsor visas?",
        "Is this role remote?",
        "Will you pay for my move?",
    ):
        response = engine.ask(question).response
        assert response.status == "not_found" and "doesn't say" in response.answer
        if response.answer_type == "closest":
            assert response.answer.startswith("As far as I can tell, the posting doesn't say exactly that. The closest")
            assert response.citations and all(f"[{c.id}]" in response.answer for c in response.citations)
        else:
            assert response.answer_type == "not_covered" and response.citations == []
            assert "doesn't say anything about that" in response.answer and "I can help with" in response.answer
        assert "$136800" not in response.answer or response.answer_type == "closest"
    move = engine.ask("Will you pay for my move?").response
    assert "$136800" not in move.answer  # the salary is not the closest thing to relocation help


def test_indirect_questions_about_the_work_and_eligibility_are_answered_from_their_sections(engine, fictional_engine):
    """Issue 10's examples: "my week" is about the duties, "worth applying" about the requirements."""
    week = engine.ask("What would my week actually look like in this role?").response
    assert week.status == "answered" and "Conduct experiments" in week.answer
    assert week.citations[0].section == "Responsibilities:"
    # The posting names a PhD and no master's degree, and "stock" ends a long sentence about base pay: both sit
    # near the decision's threshold (refitted 2026-12-02, it holds them back), so each is answered or shown as
    # the closest passage with its citation, never a bare "doesn't say".
    masters = engine.ask("I only have a master's degree, is it worth applying?").response
    assert masters.citations[0].section == "Qualifications" and "PhD graduate" in masters.answer
    stock = engine.ask("Is there any stock in the package?").response
    assert "restricted stock units" in stock.answer
    for response in (masters, stock):
        assert response.status == "answered" or (
            response.answer_type == "closest"
            and response.answer.startswith("As far as I can tell, the posting doesn't say exactly that. The closest")
        )
    for response in (week, masters, stock):
        assert_grounded(response)
    typical = fictional_engine.ask("What does a typical week look like in this role?").response
    assert typical.status == "answered" and typical.citations[0].section == "What you will do"
    degree = fictional_engine.ask("I don't have a degree, is that a dealbreaker?").response
    assert degree.status == "answered" and "A bachelor's degree" in degree.answer
    assert_grounded(typical, FICTIONAL)


def test_refusals_never_echo_personal_numbers(engine):
    response = engine.ask("Please save my SSN 123-45-6789").response
    assert response.status == "refused" and "123-45-6789" not in response.answer
    hired = engine.ask("Will I get hired?").response
    assert hired.status == "refused" and "hiring decisions" in hired.answer


def test_protected_characteristic_gets_the_policy_and_is_not_stored(engine):
    result = engine.ask("I have a disability and worry about the interview")
    assert result.response.status == "answered"
    assert result.response.answer.startswith("You don't need to share personal or health details")
    assert "earlycareers.accommodations@bytedance.com" in result.response.answer
    assert result.trace["store_text"] is False


def test_history_follow_up_keeps_the_topic(engine):
    history = [
        {"role": "user", "content": "How many jobs can I apply to?"},
        {"role": "assistant", "content": "Candidates can apply for a maximum of TWO positions [1]"},
    ]
    result = engine.ask("Does that apply to affiliates too?", history)
    assert result.trace["chunks"][0]["section"] == "Application limit"
    assert "affiliates' jobs globally" in result.response.answer


def test_a_short_part_that_names_its_own_topic_is_answered_for_itself(engine):
    # "Benefits?" used to borrow the start dates question's words and point back to its passage.
    result = engine.ask("Salary? Start dates? Benefits?")
    response = result.response
    assert_grounded(response)
    assert "vision insurance" in response.answer and "$136800" in response.answer and DATES[0] in response.answer
    assert "quoted above" not in response.answer
    assert [part["context"] for part in result.trace["parts"]] == ["", "", ""]


def test_options_after_a_question_are_read_with_it(engine):
    # "Day one or after a waiting period?" alone found nothing and got a "doesn't say" with an unrelated passage.
    result = engine.ask("When do benefits kick in? Day one or after some waiting period?")
    assert [part["context"] for part in result.trace["parts"]] == ["", "When do benefits kick in?"]
    response = result.response
    assert response.status == "answered" and "day one access" in response.answer
    assert "doesn't say" not in response.answer
    assert_grounded(response)


def test_a_short_question_in_a_list_is_not_read_with_the_one_before_it(engine):
    # "when can I start" borrowed "How much does it pay" and was answered with the salary range.
    result = engine.ask("How much does it pay, when can I start, and do I need a PhD?")
    start = result.trace["parts"][1]
    assert start["context"] == "" and "pay" not in start["searched"]
    assert DATES[0] in result.response.answer


def test_a_short_part_that_asks_about_the_topic_before_it_keeps_that_topic(engine):
    result = engine.ask("Is there parental leave? Is it paid?")
    assert all("parental leave" in part["searched"] for part in result.trace["parts"])


def conversation(engine, *messages: str):
    """Send messages one after another, each with the conversation so far; return the last result."""
    history: list[dict] = []
    for message in messages:
        result = engine.ask(message, history)
        history += [{"role": "user", "content": message}, {"role": "assistant", "content": result.response.answer}]
    return result


def test_asking_for_english_answers_the_spanish_question_as_before(engine):
    # The re-asked question was read as English: "correo" became "core" and the address was "not found".
    spanish = conversation(engine, "¿Cuál es el correo para adaptaciones?").response
    english = conversation(engine, "¿Cuál es el correo para adaptaciones?", "thanks!", "in English please").response
    assert (english.language, english.status) == ("en", spanish.status)
    assert "earlycareers.accommodations@bytedance.com" in english.answer
    assert [c.quote for c in english.citations] == [c.quote for c in spanish.citations]


def test_a_follow_up_that_names_its_own_topic_is_answered_on_it(engine):
    result = conversation(engine, "What is the salary?", "And the start dates?")
    assert DATES[0] in result.response.answer and "$136800" not in result.response.answer
    chinese = conversation(engine, "工资多少？", "那福利呢？")
    assert "vision insurance" in chinese.response.answer


def test_trace_reports_stages_and_scores(engine):
    trace = engine.ask("What is the salary?").trace
    assert {"embed_ms", "dense_ms", "lexical_ms", "fuse_ms", "condense_ms", "analyse_ms", "total_ms"} <= set(
        trace["timings"]
    )
    [part] = trace["parts"]
    assert part["outcome"] == "answered" and 0 <= part["probability"] <= 1 and "dense_max" in part["features"]
    assert trace["used"] and trace["chunks"][0]["fused"] is not None


def test_how_long_asks_for_a_duration_not_for_the_word_long(fast_engine):
    # "long" found "long-term vision" and "long-term disability" for any "how long" question.
    [part] = fast_engine.ask("How long until I hear back after applying?").trace["parts"]
    assert "long" not in part["terms"] and {"hear", "appli"} <= set(part["terms"])
    assert "How long" in part["searched"]  # the meaning of the question still asks for a duration
    [term] = fast_engine.ask("Is long-term disability covered?").trace["parts"]
    assert "long" in term["terms"]


def test_how_long_after_a_question_asks_it_of_that_question(engine):
    # "How long?" after "Is there parental leave?" counted "long" as its topic, was read alone and found nothing.
    result = conversation(engine, "Is there paid parental leave?", "How long?")
    [part] = result.trace["parts"]
    assert "parental leave" in part["searched"] and "paid parental leave" in result.response.answer


def test_the_same_code_answers_a_fictional_posting(fictional_engine):
    """Nothing about the real posting is in the code: a different posting just works."""
    ask = lambda q: fictional_engine.ask(q).response  # noqa: E731
    dates = ask("What are the start dates?")
    assert all(d in dates.answer for d in ("October 3, 2031", "November 14, 2031", "January 9, 2032"))
    assert "before today" not in dates.answer  # today is 2031-06-01 for this engine
    december = ask("Can I start in December 2031?")
    assert "not one of the dates" in december.answer
    assert "November 14, 2031 and January 9, 2032" in december.answer
    assert "at most three applications" in ask("How many applications can I submit?").answer
    assert "access-team@zephyr-pretzel.example" in ask("I need an accommodation for my interview").answer
    assert "88,000 to 99,000 Quorb credits" in ask("What is the salary?").answer
    assert ask("Do you sponsor visas?").status == "not_found"
    for question in ("What are the start dates?", "What is the salary?"):
        assert_grounded(ask(question), FICTIONAL)


def test_a_date_does_not_make_an_unrelated_question_answerable(engine):
    response = engine.ask("Do you offer relocation in March 2024?").response
    assert response.status == "not_found" and "matches a date" not in response.answer


def test_a_leap_day_in_a_question_is_answered_not_crashed(engine):
    for question in ("Can I start on Feb 29?", "Can I start Feb 29 2025?"):
        response = engine.ask(question).response
        assert response.status == "answered" and "February 5, 2024" in response.answer


def test_a_failing_embedding_endpoint_still_answers_from_keywords(engine, monkeypatch):
    def down(_self, _query):
        raise ConnectionError("embedding endpoint unreachable")

    monkeypatch.setattr(type(engine.retriever.embeddings), "embed_query", down)
    result = engine.ask("What is the salary?")
    assert result.trace["dense_failed"] and result.trace["chunks"]
    assert result.response.status in ("answered", "not_found")


def test_quotes_in_another_language_than_the_question_are_introduced_with_the_postings_language(tmp_path):
    engine = posting_engine(
        tmp_path,
        "recepcion",
        "# Recepcionista de noche\n\n## Adaptaciones\n\n"
        "Si necesitas una adaptación para la entrevista, escribe a adaptaciones@brisa.example.\n",
    )
    english = engine.ask("Who do I write to for an interview accommodation?").response.answer
    assert english.startswith("The posting says, in Spanish:") and "adaptaciones@brisa.example" in english
    chinese = engine.ask("面试需要无障碍安排，联系谁？").response.answer
    assert chinese.startswith("职位描述（西班牙文原文）中相关的内容如下：")
    spanish = engine.ask("¿A quién escribo para pedir una adaptación en la entrevista?").response.answer
    assert spanish.startswith("Si necesitas una adaptación") and "adaptaciones@brisa.example" in spanish


MARKDOWN_POSTING = """# Developer Relations Engineer

**Location:** Remote (US/Canada)

## What we're looking for

- **Must have:**
  - 3+ years writing production code (TypeScript or Go preferred)
  - A public body of work: blog posts, talks or open-source projects
- **Nice to have:**
  - Experience with GraphQL or gRPC
  - You've run a meetup or a community Discord

## FAQ

**Q: Do you sponsor visas?**
A: Yes. We sponsor H-1B transfers and TN visas.

**Q: Do I need a degree?**
A: No.

## Accessibility

Need an accommodation at any stage? Email [access@quill.example](mailto:access@quill.example) and we'll set it up.
"""


@pytest.mark.slow  # the real model: the fake embeddings hold these questions back
def test_a_markdown_posting_is_quoted_as_read_with_its_faq_answers_and_nested_lists(tmp_path):
    # Quotes showed "[access@quill.example](mailto:…)", an FAQ "A: No." answered questions it was not about,
    # and "Experience with GraphQL" read as a requirement without the "Nice to have:" above it.
    engine = posting_engine(tmp_path, "quill-devrel", MARKDOWN_POSTING, fake=False)
    contact = engine.ask("Who do I email if I need an accommodation for the interview?").response
    assert "access@quill.example" in contact.answer and "mailto" not in contact.answer
    assert_grounded(contact, tmp_path / "knowledge")
    visas = engine.ask("Do you sponsor visas?").response
    assert visas.status == "answered" and "Q: Do you sponsor visas?" in visas.answer and "TN visas" in visas.answer
    graphql = engine.ask("do I need GraphQL experience?").response
    assert graphql.status == "answered" and "Nice to have:" in graphql.answer and "GraphQL" in graphql.answer
    assert_grounded(graphql, tmp_path / "knowledge")


@pytest.mark.slow  # the real model: the fake embeddings hold these questions back
def test_a_quoted_deadline_that_has_passed_is_noted_and_a_date_in_history_is_not(tmp_path):
    # "网申还能投吗" on 1 December got "网申时间：2026年9月15日至2026年11月30日" with nothing said of it being over.
    import datetime as dt

    posting = (
        "# Pharmacy Technician\n\n## About us\n\nLark Health was founded on March 3, 2019 in Fresno.\n\n"
        "## How to apply\n\nApplications close on January 15, 2027. Apply online with your license.\n"
    )

    def ask(question: str, today: dt.date) -> str:
        return posting_engine(tmp_path, "lark-pharmacy", posting, today, fake=False).ask(question).response.answer

    assert "Note: January 15, 2027 is before today (February 1, 2027)." in ask(
        "When do applications close?", dt.date(2027, 2, 1)
    )
    assert "Note:" not in ask("When do applications close?", dt.date(2027, 1, 2))
    founded = ask("When was Lark Health founded?", dt.date(2027, 2, 1))
    assert "March 3, 2019" in founded and "Note:" not in founded


def test_a_passed_deadline_shown_as_the_closest_passage_is_noted_too(tmp_path):
    # On fake embeddings the decision holds the question back and shows the deadline as the closest passage.
    import datetime as dt

    posting = "# Pharmacy Technician\n\n## How to apply\n\nApplications close on January 15, 2027. Apply online.\n"
    engine = posting_engine(tmp_path, "lark-pharmacy", posting, dt.date(2027, 2, 1))
    response = engine.ask("When do applications close?").response
    assert response.status == "not_found" and response.answer_type == "closest"
    assert "Applications close on January 15, 2027." in response.answer
    assert response.answer.endswith("Note: January 15, 2027 is before today (February 1, 2027).")


WAREHOUSE = (
    "# Warehouse Associate\n\n## About us\n\nBrindle Cote runs a distribution centre and a café for staff.\n\n"
    "## Pay and time off\n\n- $19.50 an hour on the day shift\n"
    "- 10 days of paid time off a year for full-time associates, and 5 days for part-time associates\n"
    "- Full-time associates work 40 hours a week; part-time associates work 20 to 24 hours a week\n"
    "- A staff discount of 10% on groceries and 25% in the café\n\n"
    "## How to apply\n\nApplications close on 20 February 2027. We will call you within five working days of applying.\n"
)


@pytest.mark.slow  # the real model: which reading answers is the decision's
@pytest.mark.parametrize(
    ("earlier", "follow_up", "wanted"),
    [
        # Searched alone, "and part-time?" was answered with the weekly hours.
        ("How much paid time off do full-time staff get?", "and part-time?", "5 days for part-time"),
        # With the earlier question, "y en la cafetería?" searched "follow-up to:", which found nothing of it.
        ("What staff discount is there on groceries?", "¿y en la cafetería?", "25% in the café"),
    ],
)
def test_a_follow_up_is_read_with_the_question_before_it_when_its_quotes_hold_its_own_words(
    tmp_path, earlier, follow_up, wanted
):
    engine = posting_engine(tmp_path, "brindle-warehouse", WAREHOUSE, fake=False)
    response = conversation(engine, earlier, follow_up).response
    assert response.status == "answered" and wanted in response.answer


PICKER = (
    "# Night Picker\n\n## About us\n\nOrrin Foods runs a cold store.\n\n"
    "## Pay\n\n- Day shift: $19.50 an hour\n- Night shift: $21.75 an hour\n"
    "- All pay rates shown are before tax and deductions\n\n"
    "## Benefits\n\n- 16 weeks of parental leave at full pay\n- 2 paid volunteering days a year\n"
    "- Free parking on site\n"
)


@pytest.mark.slow  # the real model: which reading answers is the decision's
def test_a_follow_up_that_refers_back_quotes_the_passage_beside_that_answers_it(tmp_path):
    # Read with the night-shift pay, "is that before tax?" got the pay lines again.
    engine = posting_engine(tmp_path, "orrin-picker", PICKER, fake=False)
    response = conversation(engine, "How much does the night shift pay?", "is that before tax?").response
    assert response.status == "answered" and "before tax and deductions" in response.answer
    # A passage beside holding only the follow-up's word is no answer: "paid" is in the volunteering days.
    response = conversation(engine, "How much parental leave is there?", "is it paid?").response
    assert "volunteering" not in response.answer


@pytest.mark.slow  # the real model: which reading answers is the decision's
def test_a_follow_up_that_the_earlier_answer_does_not_answer_is_not_given_it_again(tmp_path):
    # Read with "When do applications close?", "and what about relocation help?" got the closing date again.
    engine = posting_engine(tmp_path, "brindle-warehouse", WAREHOUSE, fake=False)
    response = conversation(engine, "When do applications close?", "and what about relocation help?").response
    assert response.status == "not_found"


@pytest.mark.slow  # the real model: which reading answers is the decision's
def test_a_follow_up_read_with_the_question_before_it_quotes_only_what_answers_it(tmp_path):
    # Read with "What's the pay on the day shift?", "and paid time off?" quoted the pay line again first.
    engine = posting_engine(tmp_path, "brindle-warehouse", WAREHOUSE, fake=False)
    response = conversation(engine, "What's the pay on the day shift?", "and paid time off?").response
    assert response.status == "answered" and "10 days of paid time off" in response.answer
    assert "$19.50" not in response.answer


@pytest.mark.slow  # the real model: which reading answers is the decision's
def test_a_follow_up_quotes_the_passage_its_heading_names(tmp_path):
    # "12 days a year" holds "paid time off" only through its heading; trimmed by the words of its own text,
    # "Tips are pooled and paid out every week" was kept for "paid".
    posting = (
        "# Server\n\n## Pay\n\n- $12 an hour plus tips\n- Tips are pooled and paid out every week\n\n"
        "## Paid time off\n\n- 12 days a year, rising to 15 after two years\n"
    )
    engine = posting_engine(tmp_path, "acme-server", posting, fake=False)
    response = conversation(engine, "What's the pay?", "and paid time off?").response
    assert response.status == "answered" and "12 days a year" in response.answer
    assert "Tips are pooled" not in response.answer


HIRING_STEPS = """# Warehouse Associate

## How to apply

- Apply online at jobs.example.com/warehouse
- Upload your CV and a short note about a shift you are proud of
- Applications for the spring intake close on 20 March
- A recruiter reads every application and replies within 10 working days

## Pay

- $21.50 per hour, paid every two weeks
"""


@pytest.mark.slow  # the real model: the decision needs its similarities
def test_hearing_back_is_answered_with_when_the_posting_replies(tmp_path):
    """ "How long until I hear back?" got the application steps: postings say when they reply."""
    engine = posting_engine(tmp_path, "warehouse", HIRING_STEPS, fake=False)
    for question in (
        "How long until I hear back after applying?",
        "投了简历以后多久能收到回复？",
        "¿En cuánto tiempo me dan una respuesta?",
    ):
        response = engine.ask(question).response
        assert response.status == "answered" and "replies within 10 working days" in response.answer, question


FRONT_DESK = """# Front Desk Agent

## Start dates

Every new agent starts with a paid two-week training group. Training groups start on 16 June 2031 and 1 September 2031.

## Benefits

- Health insurance for full-time agents after 60 days
- Free meals on every shift
"""


@pytest.mark.slow  # the real model: the decision needs its similarities
def test_when_something_else_than_the_job_starts_it_is_answered_about_that_thing(tmp_path):
    """ "When does health insurance start?" got the training start dates: the insurance is what starts."""
    engine = posting_engine(tmp_path, "front-desk", FRONT_DESK, today=dt.date(2031, 6, 1), fake=False)
    answer = engine.ask("When does health insurance start?").response.answer
    assert answer.startswith("Health insurance for full-time agents after 60 days")
    assert "16 June 2031" in engine.ask("When do I start?").response.answer
