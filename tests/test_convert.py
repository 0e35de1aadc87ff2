"""Uploads and pasted text become Markdown knowledge with their headings and lists, or a clear refusal."""

from __future__ import annotations

import io

import docx
import pytest

from bot.knowledge.convert import ConversionError, file_to_markdown, text_to_markdown
from bot.knowledge.htmltext import html_to_markdown
from tests.documents import docx_bytes, pdf_bytes

PDF_LINES = [
    "Night Baker",
    "Crumb & Co, Port Calder",
    "",
    "Duties",
    "- Knead the dough before dawn.",
    "- Run the deck ovens.",
    "",
    "Relocation",
    "We pay relocation costs up to $5,000 for bakers who move to Port Calder. The",
    "amount is paid with the first salary.",
]


def test_a_pdf_keeps_its_title_sections_lists_and_wrapped_sentences() -> None:
    markdown = file_to_markdown("night-baker.pdf", pdf_bytes(PDF_LINES))
    assert markdown.startswith("# Night Baker\n")
    assert "## Duties\n\n- Knead the dough before dawn.\n- Run the deck ovens." in markdown
    assert (
        "## Relocation\n\nWe pay relocation costs up to $5,000 for bakers who move to Port Calder. The amount is paid with the first salary."
        in markdown
    )


def test_a_word_document_maps_title_headings_and_bullets() -> None:
    data = docx_bytes(
        "Night Baker",
        {"Duties": ["You bake the morning bread."], "Relocation": ["We pay relocation up to $5,000."]},
        {"Duties": ["Knead the dough.", "Run the ovens."]},
    )
    markdown = file_to_markdown("night-baker.docx", data)
    assert markdown == (
        "# Night Baker\n\n## Duties\n\nYou bake the morning bread.\n\n- Knead the dough.\n- Run the ovens.\n\n"
        "## Relocation\n\nWe pay relocation up to $5,000.\n"
    )


def test_a_word_table_becomes_one_list_item_per_row() -> None:
    document = docx.Document()
    document.add_heading("Shifts", 1)
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {
        (0, 0): "Monday",
        (0, 1): "22:00 to 06:00",
        (1, 0): "Friday",
        (1, 1): "20:00 to 04:00",
    }.items():
        table.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    assert (
        file_to_markdown("shifts.docx", out.getvalue())
        == "# Shifts\n\n- Monday | 22:00 to 06:00\n- Friday | 20:00 to 04:00\n"
    )


def test_html_keeps_headings_lists_and_link_addresses_and_drops_page_chrome() -> None:
    page = """<html><head><title>Careers</title><script>track()</script><style>p{}</style></head><body>
    <nav>Home | Jobs</nav><header>Crumb &amp; Co</header>
    <main><h1>Night Baker</h1><p>Apply at <a href="https://jobs.crumb.example/42">our site</a> or write to
    <a href="mailto:jobs@crumb.example">jobs@crumb.example</a>.</p>
    <p><strong>What you will do</strong></p><ul><li>Knead the <em>dough</em>.</li><li>Run the ovens.</li></ul>
    <h2>Pay</h2><ol><li>$21 an hour.</li><li>Night bonus.</li></ol></main><footer>Cookie settings</footer></body></html>"""
    markdown = html_to_markdown(page)
    assert markdown == (
        "# Night Baker\n\nApply at our site (https://jobs.crumb.example/42) or write to\njobs@crumb.example.\n\n"
        "## What you will do\n\n- Knead the dough.\n- Run the ovens.\n\n## Pay\n\n1. $21 an hour.\n2. Night bonus.\n"
    )
    for chrome in ("track()", "Home | Jobs", "Cookie settings", "Careers"):
        assert chrome not in markdown


def test_html_from_an_ats_keeps_its_lines_sections_and_title_and_drops_its_buttons() -> None:
    # A Workday-like page: the title in an <h2>, bold labels above <br> lines, an "Apply" button.
    page = """<html><head><title>Lab Technician II - Kestrel - Careers</title></head><body>
    <h2>Lab Technician II</h2>
    <div><strong>Key Responsibilities:</strong><br>- Run bioreactors<br>- Keep batch records</div>
    <p><b>Application process</b></p>
    <p>Apply before 10 January 2027.<br>Step 1: video call<br>Step 2: lab tour</p>
    <div class="css-apply"><a href="/apply" class="btn">Apply</a><button>Save job</button></div></body></html>"""
    assert html_to_markdown(page) == (
        "# Lab Technician II\n\n## Key Responsibilities\n\n- Run bioreactors\n- Keep batch records\n\n"
        "## Application process\n\nApply before 10 January 2027.\n\nStep 1: video call\n\nStep 2: lab tour\n"
    )


def test_page_furniture_goes_by_its_role_or_class_but_never_takes_the_posting_with_it() -> None:
    # A cookie plugin's body class ("cookies-not-set") and "social-care" in a class dropped the whole posting.
    page = (
        '<body class="single cookies-not-set"><div id="onetrust-consent-sdk"><p>We use cookies.</p></div>'
        '<div class="c-breadcrumbs">Home / Jobs</div><h1>Carer</h1><div class="social-care-description">'
        '<p>Pay is £12.50 an hour.</p></div><div class="share-scheme">Share incentive plan</div>'
        '<div class="share-job">Share this job: <a href="mailto:?subject=Carer">Email</a></div>'
        '<aside class="related-jobs"><h3>Similar jobs</h3><p>Driver, £19 an hour</p></aside></body>'
    )
    assert html_to_markdown(page) == "# Carer\n\nPay is £12.50 an hour.\n\nShare incentive plan\n"
    dialog = '<body><ul class="results"><li>Driver</li></ul><div role="dialog"><h2>Picker</h2><p>£11 an hour.</p></div>'
    assert "£11 an hour." in html_to_markdown(dialog)  # a posting opened in a dialog


def test_a_link_styled_as_a_button_inside_a_sentence_stays() -> None:
    page = '<p>Please <a class="btn-link" href="https://x.example/p">read the policy</a>.</p><p><a class="btn" href="/a">Apply</a></p>'
    assert html_to_markdown(page) == "Please read the policy (https://x.example/p).\n"
    grouped = '<p>Medical.</p><div><a class="btn btn-primary" href="/apply">Apply now</a> <a class="btn" href="/s">Save job</a></div>'
    assert html_to_markdown(grouped) == "Medical.\n"


def test_a_first_heading_the_page_title_does_not_name_stays_a_section() -> None:
    page = "<html><head><title>Careers at Kestrel</title></head><body><h2>About us</h2><p>We make vectors.</p></body>"
    assert html_to_markdown(page) == "## About us\n\nWe make vectors.\n"


def test_markdown_loses_its_own_front_matter_and_text_gets_structure() -> None:
    assert text_to_markdown("a.md", "---\nposting_id: other\n---\n# Title\n\nText.\n") == "# Title\n\nText.\n"
    plain = text_to_markdown("a.txt", "Night Baker\nPort Calder\n\nDuties\n- Knead dough\n- Run ovens\n")
    assert plain == "# Night Baker\n\nPort Calder\n\n## Duties\n\n- Knead dough\n- Run ovens\n"
    assert text_to_markdown("notes", "# Heading\n\nText.") == "# Heading\n\nText.\n", "a name without suffix: Markdown"


PDF_TEXT = """BUS TECHNICIAN

Opening Date:      November 20, 2026
Closing Date:      December 18, 2026

1. POSITION SUMMARY

Newly hired technicians are normally assigned to the night

Harbourline Transit Authority - Announcement 24-117        Page 1 of 2

Bus Technician I                                          Rev. 11/2026
shift for their first 12 months. Candidates may bring a calculator.

2.1 Essential Duties

a) Performs preventive maintenance inspections, includ-
   ing brakes and steering.
b) Road tests repaired buses.

3.4 Desirable Qualifications

ASE Transit Bus certification; experience with battery-electric
or hybrid buses.

Harbourline Transit Authority - Announcement 24-117        Page 2 of 2

Bus Technician I                                          Rev. 11/2026
"""


def test_text_copied_from_a_pdf_loses_its_page_furniture_and_keeps_its_sections_and_sentences() -> None:
    # A page footer cut "assigned to the night" from "shift …", "1. POSITION SUMMARY" was a list item,
    # "a) …" lines were one paragraph and a wrapped first line ("ASE … battery-electric") was a heading.
    markdown = text_to_markdown("announcement.txt", PDF_TEXT)
    assert "Page 1" not in markdown and "Rev. 11/2026" not in markdown
    assert "assigned to the night shift for their first 12 months." in markdown
    assert "## 1. POSITION SUMMARY\n" in markdown and "## 2.1 Essential Duties\n" in markdown
    assert (
        "- a) Performs preventive maintenance inspections, including brakes and steering.\n- b) Road tests" in markdown
    )
    assert "ASE Transit Bus certification; experience with battery-electric or hybrid buses." in markdown
    assert "- Opening Date:      November 20, 2026\n- Closing Date:" in markdown  # facts, not a heading


def test_lines_beside_a_page_number_are_content_unless_they_recur_beside_another() -> None:
    # The review: pay steps above "Page 1 of 2" vanished (they look alike), and so did an item glued below a list.
    text = (
        "Bus Technician I\n\nPay\n\nLevel 1    $28.50 per hour\nLevel 2    $31.00 per hour\n"
        "Harbourline Transit Authority    Page 1 of 2\n\n"
        "Start dates:\n- 1 March 2027\nThere is no cohort in December.\n\n"
        "2. ESSENTIAL DUTIES\na) Performs inspections.\nb) Keeps records.\n"
        "Harbourline Transit Authority    Page 2 of 2\n"
    )
    markdown = text_to_markdown("a.txt", text)
    assert "Level 1    $28.50 per hour\n- Level 2    $31.00 per hour" in markdown
    assert "Harbourline" not in markdown
    assert "- 1 March 2027\n\nThere is no cohort in December." in markdown
    assert "## 2. ESSENTIAL DUTIES\n\n- a) Performs inspections.\n- b) Keeps records." in markdown


def test_a_plain_text_list_item_numbered_in_lower_case_prose_stays_a_list() -> None:
    text = "Night Baker\n\nSteps\n\n1. apply online\n\n2. sit the exam\n"
    assert text_to_markdown("a.txt", text) == "# Night Baker\n\n## Steps\n\n1. apply online\n\n2. sit the exam\n"


def test_a_plain_text_faq_keeps_each_question_with_its_answer() -> None:
    # Each "Q:" line was a paragraph of its own, and "Q: Can I work part-time?" was quoted as the answer.
    faq = "Night Dispatcher\n\nFAQ\nQ: Can I work part-time?\nA: No. The role is full-time.\nQ: Is it remote?\nA: No, on site.\n"
    assert text_to_markdown("a.txt", faq).split("## FAQ\n\n")[1] == (
        "Q: Can I work part-time? A: No. The role is full-time.\n\nQ: Is it remote? A: No, on site.\n"
    )


def test_a_line_ending_on_a_word_no_sentence_ends_with_goes_on_in_the_next() -> None:
    # "… a night shift differential of" over "$1.25 per hour …" made two paragraphs, and the pay question
    # was answered "$1.25 per hour is paid for hours worked between 6:00 p.m. and 6:00 a.m.".
    text = (
        "Bus Technician\n\nPay\n\n"
        "New employees start at Step 1. A night shift differential of\n"
        "$1.25 per hour is paid for night hours. Questions may be directed to\n"
        "Daniel Aruwa at (555) 014-2275 or by e-mail, from 8:00 AM to\n"
        "4:30 PM.\n\n"
        "Duties\n\n"
        "Working with clients and colleagues;\n"
        "Keeping confidential information secure; and\n"
        "Exercising sound judgment.\n"
    )
    markdown = text_to_markdown("a.txt", text)
    assert (
        "## Pay\n\nNew employees start at Step 1. A night shift differential of $1.25 per hour is paid for night "
        "hours. Questions may be directed to Daniel Aruwa at (555) 014-2275 or by e-mail, from 8:00 AM to 4:30 PM."
    ) in markdown
    assert "- Keeping confidential information secure; and\n- Exercising sound judgment." in markdown  # items


def test_a_job_boards_dot_and_dash_items_are_lists_under_their_leads() -> None:
    # "· Carné de conducir B." under "Se valorará:" was an item of the requirements, shown as "- · Carné…",
    # and "Funciones:" was a paragraph of its own, apart from the items it introduces.
    text = (
        "Mozo de almacén\n\nRequisitos\nEstudios mínimos: ESO\nRequisitos mínimos:\n· Carné de carretillero en vigor."
        "\n· Manejo de PDA.\nSe valorará:\n· Carné de conducir B.\n\nDescripción\nBuscamos mozos para Getafe.\n"
        "Funciones:\n– Carga y descarga de camiones.\n– Preparación de pedidos.\n\nSe ofrece:\n\n– Contrato indefinido."
        "\n\n– Incorporación inmediata.\n"
    )
    markdown = text_to_markdown("oferta.txt", text)
    assert (
        "- Estudios mínimos: ESO\n- Requisitos mínimos:\n  - Carné de carretillero en vigor.\n  - Manejo de PDA.\n"
        "- Se valorará:\n  - Carné de conducir B.\n"
    ) in markdown
    assert (
        "Buscamos mozos para Getafe.\n\nFunciones:\n\n- Carga y descarga de camiones.\n- Preparación de pedidos."
        in markdown
    )
    assert "- Contrato indefinido.\n- Incorporación inmediata.\n" in markdown  # set apart by blank lines, one list


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("posting.rtf", b"{\\rtf1 hello}", "unsupported file type '.rtf'"),
        ("posting", b"hello", "unsupported file type 'none'"),
        ("posting.txt", "Gr\u00fc\u00dfe".encode("latin-1"), "not UTF-8 text"),
        ("posting.txt", b"   \n\n ", "has no text"),
        ("posting.pdf", b"%PDF-1.4 this is not really a pdf", "not a readable PDF"),
        ("posting.pdf", pdf_bytes([]), "no text layer"),
        ("posting.docx", b"PK\x03\x04 not a zip at all", "not a readable Word document"),
    ],
)
def test_unusable_files_are_refused_naming_the_file_and_problem(name: str, data: bytes, problem: str) -> None:
    with pytest.raises(ConversionError, match=name.replace(".", r"\.")) as refused:
        file_to_markdown(name, data)
    assert problem in str(refused.value)
