"""A posting pasted from a job board loses the board's controls, notices and other jobs, and keeps its own words."""

from __future__ import annotations

from bot.knowledge.chrome import without_chrome
from bot.knowledge.convert import text_to_markdown

LINKEDIN = """Patient Care Technician
Brightwater Valley Health · Tolland Springs, OR (On-site)
$21/hr - $27/hr · Full-time · Entry level
See how you compare to over 100 other applicants. Try Premium for $0
Apply
Save

About the job
You'll work alongside registered nurses. Apply through our careers site.

Benefits
- Free parking at Cedar Hollow

…see more
Show less

Seniority level
Entry level
Employment type
Full-time

Similar jobs
Monitor Technician - Cascade Heart Institute · Salem, OR · $24/hr - $29/hr
"""


def test_a_linkedin_paste_keeps_the_posting_and_drops_the_page():
    markdown = text_to_markdown("posting.txt", LINKEDIN)
    for gone in ("Try Premium", "Show less", "see more", "Similar jobs", "Salem", "\nApply\n", "\nSave\n"):
        assert gone not in markdown
    for kept in ("$21/hr - $27/hr", "Apply through our careers site.", "Free parking at Cedar Hollow"):
        assert kept in markdown
    assert "Seniority level: Entry level" in markdown and "Employment type: Full-time" in markdown


def test_a_line_of_controls_goes_and_a_line_naming_them_in_a_sentence_stays():
    text = "Sueldo: $9,500 mensuales\nPostularme   Guardar   Compartir\nPuedes guardar tu solicitud y compartir el enlace.\n"
    assert without_chrome(text) == "Sueldo: $9,500 mensuales\nPuedes guardar tu solicitud y compartir el enlace."


def test_a_boss_zhipin_paste_loses_its_safety_notice_and_buttons():
    text = "联系人：周女士，电话 0512-6658 3307\n\n温馨提示：\nBOSS直聘安全提示：若对方要求缴纳押金，请立即举报。\n立即沟通\n感兴趣\n举报\n"
    assert without_chrome(text).strip() == "联系人：周女士，电话 0512-6658 3307"


def test_similar_jobs_early_in_a_posting_is_not_taken_for_the_end_of_it():
    text = "Similar jobs\nWe post similar jobs every month.\n\n" + "About the role.\n" * 4
    assert without_chrome(text).startswith("Similar jobs\nWe post similar jobs")


def test_the_postings_own_apply_heading_and_lists_stay():
    apply = "## Benefits\n\n- Free parking\n\nApply\n\nSend your CV to jobs@example.com by 30 June."
    assert without_chrome(apply) == apply
    listed = "Employment type\n- Full-time: 37.5 hours\n- Part-time: 20 hours"
    assert without_chrome(listed) == listed
    assert without_chrome("Save.\nSpend.\nShare.") == "Save.\nSpend.\nShare."


def test_an_employers_own_similar_jobs_section_is_kept():
    text = "Intro.\nMore.\nMore.\n\nSimilar jobs\nWe list similar jobs at our sister hotels.\n\nBenefits\n- 25 days of leave"
    assert without_chrome(text) == text


def test_a_spanish_boards_labels_take_the_value_under_them():
    # "¿Cuántas vacantes hay?" found "Vacantes" alone, its "3" a unit apart.
    text = "Vacantes\n3\nTipo de contrato\nIndefinido\nSalario\n21.500€ bruto/año\n"
    assert without_chrome(text) == "Vacantes: 3\nTipo de contrato: Indefinido\nSalario: 21.500€ bruto/año"


def test_a_label_word_that_heads_a_section_stays_a_heading():
    # "## Salary" over "$20 an hour" became "## Salary: $20 an hour", and the pay was no quotable unit.
    assert without_chrome("## Salary\n$20 an hour\n") == "## Salary\n$20 an hour"
    section = "Salary\nCompetitive, plus tips.\nTips are pooled every week.\n"
    assert without_chrome(section) == section.rstrip("\n")
    assert without_chrome("Nivel\n· Inglés B2\n· Excel avanzado\n") == "Nivel\n· Inglés B2\n· Excel avanzado"


def test_a_chinese_label_takes_a_short_value_and_a_sentence_under_it_stays_its_section():
    # "工作地点" over a whole sentence counted as one word (no spaces), and became "工作地点: 杭州…" under the
    # section before it.
    assert without_chrome("工作地点\n杭州\n\n学历要求\n本科及以上\n") == "工作地点：杭州\n\n学历要求：本科及以上"
    section = "工作地点\n杭州（总部）、上海、成都，可在投递时填写意向城市。\n\n薪资福利\n- 15薪\n"
    assert without_chrome(section) == section.rstrip("\n")
    # An address is one value however many words jieba cuts it into, and "9:00" is one word.
    address = "工作地点\n上海市浦东新区张江高科技园区碧波路690号3号楼\n\n经验要求\n1-3年\n"
    assert without_chrome(address) == "工作地点：上海市浦东新区张江高科技园区碧波路690号3号楼\n\n经验要求：1-3年"
    assert without_chrome("Horario\nLunes a viernes 9:00-18:00\n") == "Horario: Lunes a viernes 9:00-18:00"
