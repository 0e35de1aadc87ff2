"""Postings managed from the console: create, upload, preview, publish, versions, restore, delete, import."""

from __future__ import annotations

import pytest

from bot.config import PROJECT_ROOT
from bot.knowledge.documents import load_knowledge
from tests.conftest import CONSOLE_PASSWORD
from tests.documents import docx_bytes, pdf_bytes

AUTH = {"Authorization": f"Bearer {CONSOLE_PASSWORD}"}
SEED = "doubao-llm-research"
NIGHT_BAKER = {
    "title": "Night Baker, Crumb & Co",
    "documents": [
        {
            "name": "posting.md",
            "text": "# Night Baker\n\n## Duties\n\n- Knead the dough.\n- Run the deck ovens.\n\n"
            "## Relocation\n\nWe pay relocation costs up to $5,000 for bakers who move to Port Calder.\n",
        },
        {"name": "shifts.txt", "text": "Shifts\n\nEvery shift starts at 22:00 and ends at 06:00."},
    ],
}


@pytest.fixture
def console(make_console):
    client = make_console()
    client.headers.update(AUTH)
    return client


def chat(client, message: str, posting: str) -> dict:
    response = client.post("/api/chat", json={"message": message, "posting": posting})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_pasted_posting_is_published_and_answers_with_citations_of_its_documents(console, console_engine) -> None:
    response = console.put("/api/recruiter/postings/night-baker", json=NIGHT_BAKER)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"]["version"] == 1 and body["version"]["action"] == "created"
    assert body["version"]["author"] == "recruiter" and body["reload"]["added"] >= 3
    assert "night-baker" in console_engine.index.postings
    root = console_engine.settings.knowledge_dir
    assert sorted(p.name for p in (root / "night-baker").iterdir()) == ["posting.md", "shifts.md"]
    assert {d.posting_id for d in load_knowledge(root)} == {SEED, "night-baker"}
    answer = chat(console, "When does a shift start?", "night-baker")
    assert answer["citations"] and {c["source"] for c in answer["citations"]} <= {
        "night-baker/shifts.md",
        "night-baker/posting.md",
    }
    assert any("22:00" in c["quote"] for c in answer["citations"])
    assert console_engine.index.titles["night-baker"] == "Night Baker, Crumb & Co"


def test_the_posting_list_shows_every_posting_with_its_last_change(console) -> None:
    console.put("/api/recruiter/postings/night-baker", json=NIGHT_BAKER)
    postings = {p["id"]: p for p in console.get("/api/recruiter/postings").json()["postings"]}
    assert set(postings) == {SEED, "night-baker"}
    seed, baker = postings[SEED], postings["night-baker"]
    assert (seed["version"], seed["changed_by"], seed["change"]) == (1, "disk", "found on disk")
    assert len(seed["documents"]) == 6 and seed["chunks"] > 0 and seed["answers"] == 0
    assert (baker["title"], baker["changed_by"], baker["change"], baker["deleted"]) == (
        "Night Baker, Crumb & Co",
        "recruiter",
        "created",
        False,
    )
    editor = console.get("/api/recruiter/postings/night-baker").json()
    assert [d["name"] for d in editor["documents"]] == ["posting.md", "shifts.md"]
    assert (
        editor["documents"][0]["text"].startswith("# Night Baker")
        and "posting_id" not in editor["documents"][0]["text"]
    )


def test_preview_shows_sections_and_chunks_and_writes_nothing(console, console_engine) -> None:
    response = console.post("/api/recruiter/postings/night-baker/preview", json=NIGHT_BAKER)
    assert response.status_code == 200
    preview = response.json()
    assert preview["title"] == "Night Baker, Crumb & Co" and preview["chunks"] == 3
    posting = preview["documents"][0]
    assert posting["path"] == "night-baker/posting.md"
    assert [s["section"] for s in posting["sections"]] == ["Duties", "Relocation"]
    assert posting["sections"][1]["chunks"] == [
        "## Relocation\n\nWe pay relocation costs up to $5,000 for bakers who move to Port Calder."
    ]
    assert preview["documents"][1]["sections"][0]["section"] == "Shifts"
    assert not (console_engine.settings.knowledge_dir / "night-baker").exists()
    assert "night-baker" not in console_engine.index.postings


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        (
            "night-baker.pdf",
            pdf_bytes(["Night Baker", "", "Relocation", "We pay relocation costs up to $5,000."]),
            "application/pdf",
        ),
        (
            "night-baker.docx",
            docx_bytes("Night Baker", {"Relocation": ["We pay relocation costs up to $5,000."]}),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_an_uploaded_pdf_or_word_posting_answers_and_can_be_rolled_back(
    console, console_engine, name, data, kind
) -> None:
    created = console.post("/api/recruiter/postings/night-baker/documents", files={"files": (name, data, kind)})
    assert created.status_code == 200, created.text
    assert created.json()["title"] == "Night Baker" and created.json()["version"]["action"] == f"created from {name}"
    answer = chat(console, "Do you pay for relocation?", "night-baker")
    assert any("$5,000" in c["quote"] and c["source"] == "night-baker/night-baker.md" for c in answer["citations"])

    changed = {"name": "night-baker.txt", "text": "Night Baker\n\nRelocation\nWe pay relocation costs up to $9,000."}
    second = console.post(
        "/api/recruiter/postings/night-baker/documents",
        files={"files": (changed["name"], changed["text"].encode(), "text/plain")},
    )
    assert second.json()["version"]["version"] == 2
    assert any("$9,000" in c["quote"] for c in chat(console, "Do you pay for relocation?", "night-baker")["citations"])

    restored = console.post("/api/recruiter/postings/night-baker/versions/1/restore")
    assert restored.status_code == 200
    assert restored.json()["version"] | {"created_at": None} == {
        "version": 3,
        "author": "recruiter",
        "action": "restored version 1",
        "title": "Night Baker",
        "created_at": None,
        "documents": created.json()["version"]["documents"],
    }
    quotes = " ".join(c["quote"] for c in chat(console, "Do you pay for relocation?", "night-baker")["citations"])
    assert "$5,000" in quotes and "$9,000" not in quotes


def test_versions_keep_who_when_and_the_full_text(console) -> None:
    console.put("/api/recruiter/postings/night-baker", json=NIGHT_BAKER)
    edited = {**NIGHT_BAKER, "documents": NIGHT_BAKER["documents"][:1]}
    console.put("/api/recruiter/postings/night-baker", json=edited)
    versions = console.get("/api/recruiter/postings/night-baker/versions").json()["versions"]
    assert [(v["version"], v["action"], v["author"]) for v in versions] == [
        (2, "updated", "recruiter"),
        (1, "created", "recruiter"),
    ]
    assert [d["name"] for d in versions[0]["documents"]] == ["posting.md"]
    first = console.get("/api/recruiter/postings/night-baker/versions/1").json()
    shifts = next(f for f in first["files"] if f["path"] == "night-baker/shifts.md")
    assert shifts["text"].startswith("---\nposting_id: night-baker\n") and "starts at 22:00" in shifts["text"]


def test_a_change_made_on_disk_shows_up_as_a_version_by_disk(console, console_engine) -> None:
    console.put("/api/recruiter/postings/night-baker", json=NIGHT_BAKER)
    path = console_engine.settings.knowledge_dir / "night-baker" / "shifts.md"
    path.write_text(path.read_text().replace("22:00", "21:00"), encoding="utf-8")
    versions = console.get("/api/recruiter/postings/night-baker/versions").json()["versions"]
    assert (versions[0]["version"], versions[0]["author"], versions[0]["action"]) == (2, "disk", "edited on disk")
    assert console.post("/api/recruiter/postings/night-baker/versions/1/restore").status_code == 200
    assert "22:00" in path.read_text()


def test_delete_removes_the_posting_and_a_version_brings_it_back(console, console_engine) -> None:
    console.put("/api/recruiter/postings/night-baker", json=NIGHT_BAKER)
    deleted = console.delete("/api/recruiter/postings/night-baker")
    assert deleted.status_code == 200 and deleted.json()["version"]["action"] == "deleted"
    assert "night-baker" not in console_engine.index.postings
    assert chat(console, "When?", SEED)["status"] in ("answered", "not_found")
    assert console.post("/api/chat", json={"message": "When?", "posting": "night-baker"}).status_code == 422
    listed = {p["id"]: p for p in console.get("/api/recruiter/postings").json()["postings"]}
    assert listed["night-baker"]["deleted"] is True
    assert console.delete("/api/recruiter/postings/night-baker").status_code == 404
    assert console.post("/api/recruiter/postings/night-baker/versions/1/restore").status_code == 200
    assert "night-baker" in console_engine.index.postings


def test_the_only_posting_cannot_be_deleted(console) -> None:
    response = console.delete(f"/api/recruiter/postings/{SEED}")
    assert response.status_code == 422 and "only posting" in response.json()["detail"]


def test_import_from_a_careers_page_suggests_id_title_and_document(console) -> None:
    html = (PROJECT_ROOT / "tests/fixtures/jobposting/harbor-bakery-night-baker.html").read_text(encoding="utf-8")
    imported = console.post("/api/recruiter/import", json={"html": html})
    assert imported.status_code == 200
    body = imported.json()
    assert (body["posting_id"], body["title"]) == ("harbor-lane-bakery-night-baker", "Night Baker")
    published = console.put(
        f"/api/recruiter/postings/{body['posting_id']}", json={"title": body["title"], "documents": body["documents"]}
    )
    assert published.status_code == 200
    answer = chat(console, "What is the base salary?", body["posting_id"])
    assert any("21.50" in c["quote"] for c in answer["citations"])
    refused = console.post("/api/recruiter/import", json={"html": "<html><body><p>No data here.</p></body></html>"})
    assert refused.status_code == 422 and "JobPosting" in refused.json()["detail"]


def test_convert_returns_markdown_for_the_editor_and_publishes_nothing(console, console_engine) -> None:
    data = pdf_bytes(["Night Baker", "", "Relocation", "We pay relocation costs up to $5,000."])
    response = console.post("/api/recruiter/convert", files=[("files", ("offer letter.pdf", data, "application/pdf"))])
    assert response.status_code == 200
    [document] = response.json()["documents"]
    assert document == {
        "name": "offer letter.md",
        "text": "# Night Baker\n\n## Relocation\n\nWe pay relocation costs up to $5,000.\n",
        "source": "offer letter.pdf",
    }
    assert console_engine.index.postings == [SEED]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"documents": []}, "at least one document"),
        ({"documents": [{"name": "a.md", "text": "   "}]}, "Document 'a.md' is empty"),
        ({"documents": [{"name": "a.md", "text": "# Only a heading"}]}, "no text to answer from"),
        (
            {"documents": [{"name": "a.md", "text": "---\nposting_id: [oops\n---\n# A\n\nText."}]},
            "front matter is not valid YAML",
        ),
        (
            {"documents": [{"name": "a.md", "text": "Text."}, {"name": "A.txt", "text": "More."}]},
            "both be saved as night-baker/a.md",
        ),
        ({"documents": [{"name": "recruiting-team-answers.md", "text": "Text."}]}, "curated answers document"),
        ({"documents": [{"name": "???", "text": "Text."}]}, "cannot be a document name"),
        ({"documents": [{"name": "a.md", "text": "x" * 500_001}]}, "too large"),
        ({"documents": [{"name": "a.html", "text": "<div>" * 400 + "Night baker wanted."}]}, "nested too deeply"),
        ({"title": "T"}, "documents"),
    ],
)
def test_bad_documents_are_a_422_naming_the_problem(console, console_engine, body, problem) -> None:
    for path in ("/api/recruiter/postings/night-baker", "/api/recruiter/postings/night-baker/preview"):
        response = console.put(path, json=body) if not path.endswith("preview") else console.post(path, json=body)
        assert response.status_code == 422, response.text
        assert problem in response.json()["detail"]
    assert not (console_engine.settings.knowledge_dir / "night-baker").exists()


def test_bad_posting_ids_unknown_postings_and_versions_are_named(console) -> None:
    bad = console.put("/api/recruiter/postings/Night_Baker", json=NIGHT_BAKER)
    assert bad.status_code == 422 and "not a posting id" in bad.json()["detail"]
    assert console.get("/api/recruiter/postings/nobody/versions").status_code == 404
    assert console.get("/api/recruiter/postings/nobody").status_code == 404
    assert console.post(f"/api/recruiter/postings/{SEED}/versions/99/restore").status_code == 404
    for path in (f"/api/recruiter/postings/{SEED}/versions/{2**31}", f"/api/recruiter/postings/{SEED}/versions/0"):
        assert console.get(path).status_code == 422  # beyond any stored number: named, not a 500
    deep = console.post("/api/recruiter/import", json={"html": '<script type="application/ld+json">' + "[" * 5000})
    assert deep.status_code == 422 and "JobPosting" in deep.json()["detail"]
    assert console.delete("/api/recruiter/postings/nobody").status_code == 404


def test_bad_uploads_are_refused_naming_the_problem(make_console) -> None:
    console = make_console(max_upload_bytes=70_000)
    console.headers.update(AUTH)
    url = "/api/recruiter/postings/night-baker/documents"
    wrong_type = console.post(url, files={"files": ("posting.rtf", b"{\\rtf1 hi}", "application/rtf")})
    assert wrong_type.status_code == 422 and "unsupported file type '.rtf'" in wrong_type.json()["detail"]
    broken = console.post(url, files={"files": ("posting.pdf", b"%PDF-1.4 broken", "application/pdf")})
    assert broken.status_code == 422 and "posting.pdf: not a readable PDF" in broken.json()["detail"]
    binary = console.post(url, files={"files": ("posting.txt", b"\xff\xfe\x00bad", "text/plain")})
    assert binary.status_code == 422 and "posting.txt: not UTF-8 text" in binary.json()["detail"]
    too_large = console.post(url, files={"files": ("posting.txt", b"a" * 80_000, "text/plain")})
    assert too_large.status_code == 413 and "MAX_UPLOAD_BYTES" in too_large.json()["detail"]
    assert console.post(url).status_code == 422


def test_the_public_api_keeps_its_small_body_limit(make_console) -> None:
    console = make_console()
    response = console.post("/api/chat", json={"message": "x" * 70_000})
    assert response.status_code == 413


def test_files_written_by_hand_are_managed_too(console, console_engine) -> None:
    root = console_engine.settings.knowledge_dir
    (root / "Harbour Pilot.txt").write_text("Harbour Pilot\nPort Calder\n\nDuties\n- Guide ships in\n- Keep logs\n")
    console.post("/api/recruiter/reload")
    postings = {p["id"]: p for p in console.get("/api/recruiter/postings").json()["postings"]}
    assert postings["harbour-pilot"]["documents"] == ["Harbour Pilot.txt"]
    assert postings["harbour-pilot"]["change"] == "found on disk"
    replaced = console.put(
        "/api/recruiter/postings/harbour-pilot",
        json={"documents": [{"name": "posting.md", "text": "# Harbour Pilot\n\nYou guide ships in."}]},
    )
    assert replaced.status_code == 200 and replaced.json()["title"] == "Harbour Pilot"
    assert not (root / "Harbour Pilot.txt").exists() and (root / "harbour-pilot" / "posting.md").exists()
    assert console.post("/api/recruiter/postings/harbour-pilot/versions/1/restore").status_code == 200
    assert (root / "Harbour Pilot.txt").exists() and not (root / "harbour-pilot").exists()


def test_a_hand_written_posting_id_is_normalised_so_the_console_can_edit_it(console, console_engine) -> None:
    root = console_engine.settings.knowledge_dir
    (root / "pilots").mkdir()
    (root / "pilots" / "posting.md").write_text(
        "---\nposting_id: Harbour_Pilot 2027\n---\n# Harbour Pilot\n\nYou guide ships in.\n"
    )
    console.post("/api/recruiter/reload")
    assert "harbour-pilot-2027" in {p["id"] for p in console.get("/api/recruiter/postings").json()["postings"]}
    assert console.get("/api/recruiter/postings/harbour-pilot-2027").status_code == 200
    edited = {"documents": [{"name": "posting.md", "text": "# Harbour Pilot\n\nYou guide ships into Calder."}]}
    assert console.put("/api/recruiter/postings/harbour-pilot-2027", json=edited).status_code == 200
    assert "Calder" in chat(console, "Where do I guide ships into?", "harbour-pilot-2027")["answer"]


def test_a_contact_published_in_the_console_survives_redaction_in_kept_answers(console, console_engine) -> None:
    contact = "access@crumb.example"
    posting = {
        "title": "Night Baker, Crumb & Co",
        "documents": [
            {
                "name": "posting.md",
                "text": "# Night Baker\n\n## Duties\n\n- Knead the dough.\n- Run the deck ovens.\n\n"
                f"## Accommodations\n\nIf you need an accommodation to apply or interview, email {contact} "
                "and we will arrange it with you.\n",
            }
        ],
    }
    assert console.put("/api/recruiter/postings/night-baker", json=posting).status_code == 200
    answer = chat(console, "Who do I contact to ask for an accommodation?", "night-baker")
    assert contact in answer["answer"]
    kept = console.get("/api/recruiter/export").text
    assert contact in kept and "[email]" not in kept
