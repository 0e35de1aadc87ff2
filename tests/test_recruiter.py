"""The recruiter console over HTTP: auth on every route, each action, storage and redaction end to end."""

from __future__ import annotations

import base64
import csv
import io
import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bot.web.gaps import DEFAULT_SIMILARITY

PASSWORD = "test-recruiter-secret"  # the live_server fixture's RECRUITER_PASSWORD
CONSOLE_ROUTES = {
    ("GET", "/api/recruiter/session"),
    ("POST", "/api/recruiter/try"),
    ("GET", "/api/recruiter/golden"),
    ("PUT", "/api/recruiter/golden"),
    ("POST", "/api/recruiter/golden/run"),
    ("POST", "/api/recruiter/golden/upload"),
    ("GET", "/api/recruiter/feedback"),
    ("GET", "/api/recruiter/gaps"),
    ("POST", "/api/recruiter/reload"),
    ("GET", "/api/recruiter/overview"),
    ("GET", "/api/recruiter/export"),
    ("GET", "/api/recruiter/postings"),
    ("GET", "/api/recruiter/postings/{posting_id}"),
    ("PUT", "/api/recruiter/postings/{posting_id}"),
    ("DELETE", "/api/recruiter/postings/{posting_id}"),
    ("POST", "/api/recruiter/postings/{posting_id}/preview"),
    ("POST", "/api/recruiter/postings/{posting_id}/documents"),
    ("GET", "/api/recruiter/postings/{posting_id}/versions"),
    ("GET", "/api/recruiter/postings/{posting_id}/versions/{n}"),
    ("POST", "/api/recruiter/postings/{posting_id}/versions/{n}/restore"),
    ("GET", "/api/recruiter/postings/{posting_id}/answers"),
    ("POST", "/api/recruiter/postings/{posting_id}/answers"),
    ("DELETE", "/api/recruiter/postings/{posting_id}/answers/{answer_id}"),
    ("POST", "/api/recruiter/convert"),
    ("POST", "/api/recruiter/import"),
}
PLANTED = {
    "email": "jane.candidate@example.org",
    "phone": "415-555-0123",
    "ssn": "123-45-6789",
    "card": "4111 1111 1111 1111",
    "passport": "533380006",
    "address": "742 Evergreen Terrace",
}
REMOTE_PHRASINGS = ("Is this role remote?", "is the job remote", "Do you allow remote work?")


@pytest.fixture(scope="module")
def client(live_server):
    with live_server.client() as http:
        yield http


@pytest.fixture(scope="module")
def recruiter(live_server):
    with live_server.client(headers={"Authorization": f"Bearer {PASSWORD}"}) as http:
        yield http


def console_routes(client: httpx.Client) -> set[tuple[str, str]]:
    paths = client.get("/openapi.json").json()["paths"]
    return {
        (method.upper(), path) for path, item in paths.items() if path.startswith("/api/recruiter") for method in item
    }


def chat(client: httpx.Client, message: str, session_id: str) -> dict:
    response = client.post("/api/chat", json={"message": message, "session_id": session_id})
    assert response.status_code == 200, response.text
    return response.json()


# --- auth ---------------------------------------------------------------


def test_every_console_route_is_in_openapi(client) -> None:
    assert console_routes(client) == CONSOLE_ROUTES


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer wrong-password",
        f"Bearer {PASSWORD}x",
        "Basic " + base64.b64encode(b"recruiter:wrong").decode(),
        f"Token {PASSWORD}",
        "Bearer",
    ],
)
def test_every_console_route_refuses_without_the_credential(client, authorization) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    for method, path in sorted(console_routes(client)):
        response = client.request(method, path, headers=headers, json={"message": "hi", "csv": "question\n"})
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["detail"] == "The recruiter console needs the recruiter password."


def test_basic_auth_with_the_password_is_accepted(client) -> None:
    token = base64.b64encode(f"anyone:{PASSWORD}".encode()).decode()
    assert client.get("/api/recruiter/session", headers={"Authorization": f"Basic {token}"}).status_code == 200


def test_console_page_asks_for_the_password_and_has_no_data(client) -> None:
    page = client.get("/recruiter")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert 'type="password"' in page.text
    assert client.get("/recruiter/recruiter.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/recruiter/recruiter.css").status_code == 200
    assert client.get("/recruiter/../app.py").status_code == 404
    assert client.get("/recruiter/secrets.txt").status_code == 404


def test_no_console_at_all_without_a_password(make_client) -> None:
    with make_client(recruiter_password="") as http:
        http.headers["Authorization"] = "Bearer anything"
        assert http.get("/recruiter").status_code == 404
        assert http.get("/api/recruiter/session").status_code == 404
        assert http.post("/api/recruiter/reload").status_code in (404, 405)
        assert console_routes(http) == set()
        answer = chat(http, "Is this role remote?", "s")
        stored = http.post(
            "/api/feedback", json={"session_id": "s", "message_id": answer["message_id"], "rating": "up"}
        )
        assert stored.status_code == 201


# --- actions ------------------------------------------------------------


def test_try_shows_status_scores_used_sentences_and_timings(recruiter) -> None:
    response = recruiter.post("/api/recruiter/try", json={"message": "What are the start dates?"})
    assert response.status_code == 200
    body = response.json()
    assert body["response"]["status"] == "answered" and body["response"]["mode"] == "extractive"
    chunks = body["trace"]["chunks"]
    assert chunks and {"dense", "lexical", "fused", "section", "source"} <= set(chunks[0])
    assert chunks[0]["section"] == "Start dates" and isinstance(chunks[0]["fused"], float)
    assert body["trace"]["used"] and all(u["text"] for u in body["trace"]["used"])
    assert body["trace"]["timings"]["total_ms"] > 0


def test_try_refuses_bad_input_clearly(recruiter) -> None:
    too_long = recruiter.post("/api/recruiter/try", json={"message": "x" * 5000})
    assert too_long.status_code == 422 and "longer than" in too_long.json()["detail"]
    unknown = recruiter.post("/api/recruiter/try", json={"message": "When?", "posting": "no-such-posting"})
    assert unknown.status_code == 422 and "no-such-posting" in unknown.json()["detail"]


def test_questions_asked_in_the_console_are_not_stored(recruiter) -> None:
    marker = f"console-only question {uuid.uuid4().hex}"
    recruiter.post("/api/recruiter/try", json={"message": marker})
    assert marker not in recruiter.get("/api/recruiter/export").text


GOLDEN = """question,must_mention,must_not_mention,expected_status,notes
What are the start dates?,"January 15, 2024|August 12, 2024",,answered,passes
What are the start dates?,December 25,,answered,fails: date not in the posting
Is this role remote?,,,answered,fails: the posting does not say
"""


def test_golden_run_gives_pass_fail_with_reasons_and_a_csv(recruiter) -> None:
    response = recruiter.post("/api/recruiter/golden/run", json={"csv": GOLDEN})
    assert response.status_code == 200
    body = response.json()
    assert body["summary"] == {"total": 3, "passed": 1, "failed": 2}
    first, second, third = body["results"]
    assert first["passed"] and first["reasons"] == []
    assert not second["passed"] and "does not mention 'December 25'" in second["reasons"]
    assert not third["passed"] and any("not_found" in r for r in third["reasons"])
    rows = list(csv.DictReader(io.StringIO(body["csv"])))
    assert [r["passed"] for r in rows] == ["pass", "fail", "fail"]


def test_a_golden_set_is_saved_checked_and_served_back(recruiter) -> None:
    missing = recruiter.get("/api/recruiter/golden")
    assert missing.status_code == 404 and "No golden set is saved yet" in missing.json()["detail"]
    malformed = recruiter.put("/api/recruiter/golden", json={"csv": "question,expected_status\nIs it remote?,maybe\n"})
    assert malformed.status_code == 422 and "Row 2" in malformed.json()["detail"]
    unclosed = recruiter.put("/api/recruiter/golden", json={"csv": "question,expected_status\n" + "x" * 140_000})
    assert unclosed.status_code == 422 and "CSV cannot be read" in unclosed.json()["detail"]
    mac = recruiter.put("/api/recruiter/golden", json={"csv": GOLDEN.replace("\n", "\r")})  # Excel's "CSV (Macintosh)"
    assert mac.json() == {"saved": 3}
    assert recruiter.put("/api/recruiter/golden", json={"csv": GOLDEN}).json() == {"saved": 3}
    served = recruiter.get("/api/recruiter/golden")
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/csv")
    assert served.text == GOLDEN


def test_golden_upload_runs_a_file(recruiter) -> None:
    files = {"file": ("golden.csv", ("\ufeff" + GOLDEN).encode(), "text/csv")}
    response = recruiter.post("/api/recruiter/golden/upload", files=files)
    assert response.status_code == 200 and response.json()["summary"]["total"] == 3


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ("question,expected_status\nWhere is it?,answered\nIs it remote?,perhaps\n", "Row 3"),
        ("question,expected_status\n,answered\n", "Row 2"),
        ("question,notes\nWhere is it?,x\n", "Row 1"),
        ("question,expected_status\nWhere is it?,answered,extra,cells\n", "Row 2"),
    ],
)
def test_malformed_golden_csv_is_a_422_naming_the_row(recruiter, text, row) -> None:
    response = recruiter.post("/api/recruiter/golden/run", json={"csv": text})
    assert response.status_code == 422 and response.json()["detail"].startswith(row)
    upload = recruiter.post("/api/recruiter/golden/upload", files={"file": ("g.csv", text.encode(), "text/csv")})
    assert upload.status_code == 422 and upload.json()["detail"].startswith(row)


def test_a_golden_set_too_long_to_run_in_one_request_is_refused(recruiter) -> None:
    rows = "".join(f"Question {n}?,not_found\n" for n in range(2_001))
    response = recruiter.post("/api/recruiter/golden/run", json={"csv": "question,expected_status\n" + rows})
    assert response.status_code == 422
    assert (
        response.json()["detail"] == "The golden set has 2001 questions; run at most 2000 at a time (split the file)."
    )


def test_golden_upload_that_is_not_text_is_refused(recruiter) -> None:
    response = recruiter.post("/api/recruiter/golden/upload", files={"file": ("g.csv", b"\xff\xfe\x00bad", "text/csv")})
    # The app's request guard refuses a non-UTF-8 body (400) before the console's own check (422) runs.
    assert response.status_code in (400, 422) and "UTF-8" in response.json()["detail"]


def test_feedback_is_listed_newest_first_with_what_was_rated(client, recruiter) -> None:
    session = uuid.uuid4().hex
    first = chat(client, "What are the start dates?", session)
    second = chat(client, "Is this role remote?", session)
    assert (
        client.post(
            "/api/feedback", json={"session_id": session, "message_id": first["message_id"], "rating": "up"}
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/feedback",
            json={
                "session_id": session,
                "answer": second["answer"],
                "rating": "down",
                "comment": "tell me about remote",
            },
        ).status_code
        == 201
    )
    rows = recruiter.get("/api/recruiter/feedback").json()["feedback"]
    assert rows[0]["rating"] == "down" and rows[0]["question"] == "Is this role remote?"
    assert rows[0]["comment"] == "tell me about remote" and rows[0]["answer"] == second["answer"]
    assert rows[1]["rating"] == "up" and rows[1]["question"] == "What are the start dates?"


@pytest.mark.parametrize(
    "body",
    [
        {"session_id": "s", "message_id": "1", "rating": "meh"},
        {"session_id": "s", "rating": "up"},
        {"message_id": "1", "rating": "up"},
        {"session_id": "s", "message_id": "not-a-number", "rating": "up"},
        {"session_id": "s", "answer": "a", "rating": "down", "comment": "x" * 1001},
    ],
)
def test_bad_feedback_is_a_readable_422(client, body) -> None:
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)


def test_a_rating_of_a_message_the_session_does_not_have_is_a_404_and_stores_nothing(client, recruiter) -> None:
    owner = chat(client, "What are the start dates?", "owner-session")
    before = len(recruiter.get("/api/recruiter/feedback").json()["feedback"])
    for session, message_id in (("owner-session", 999_999), ("stranger-session", owner["message_id"])):
        response = client.post("/api/feedback", json={"session_id": session, "message_id": message_id, "rating": "up"})
        assert response.status_code == 404
        assert "message_id" in response.json()["detail"]
    assert len(recruiter.get("/api/recruiter/feedback").json()["feedback"]) == before


def test_gaps_group_phrasings_of_one_unanswered_question(client, recruiter) -> None:
    for n, question in enumerate(REMOTE_PHRASINGS * 2):
        assert chat(client, question, f"gap-{n}")["status"] == "not_found"
    gaps = recruiter.get("/api/recruiter/gaps").json()
    assert gaps["similarity"] == DEFAULT_SIMILARITY  # the console shows the grouping it got
    remote = [g for g in gaps["not_found"] if set(REMOTE_PHRASINGS) <= set(g["examples"])]
    assert len(remote) == 1 and remote[0]["count"] >= 6
    assert recruiter.get("/api/recruiter/gaps", params={"similarity": 2}).status_code == 422


def test_reload_reports_what_changed(recruiter) -> None:
    # As `curl -X POST -H 'Content-Type: application/json'` sends it: a JSON type and no body.
    response = recruiter.post("/api/recruiter/reload", headers={"content-type": "application/json"})
    assert response.status_code == 200
    report = response.json()
    assert {"added", "changed", "removed", "unchanged", "total"} <= set(report)
    assert report["added"] == report["changed"] == report["removed"] == 0
    assert report["unchanged"] == report["total"] > 0


def test_overview_counts_questions_and_shares(client, recruiter) -> None:
    before = recruiter.get("/api/recruiter/overview").json()
    chat(client, "What are the start dates?", "overview")
    after = recruiter.get("/api/recruiter/overview").json()
    assert after["questions"] == before["questions"] + 1
    assert sum(day["questions"] for day in after["questions_per_day"]) == after["questions"]
    assert abs(sum(after["share"].values()) - 1) < 1e-9
    assert after["median_latency_ms"] > 0 and after["health"]["status"] == "ok"


def test_export_as_json_and_csv(client, recruiter) -> None:
    chat(client, "What are the start dates?", "export")
    as_json = recruiter.get("/api/recruiter/export")
    assert "attachment" in as_json.headers["content-disposition"]
    data = as_json.json()
    assert set(data) == {"messages", "feedback"} and data["messages"]
    assert "export" not in {m["session_hash"] for m in data["messages"]}
    messages = recruiter.get("/api/recruiter/export", params={"format": "csv", "table": "messages"})
    assert list(csv.DictReader(io.StringIO(messages.text)))[-1]["question"] == "What are the start dates?"
    assert recruiter.get("/api/recruiter/export", params={"format": "xml"}).status_code == 422


# --- storage end to end ---------------------------------------------------


def test_concurrent_chats_are_all_stored(client, recruiter) -> None:
    run = "run-" + uuid.uuid4().hex[:8]  # a letter prefix: an all-digit id would be redacted as [id]
    questions = [f"What are the start dates? ({run} {n})" for n in range(24)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda q: chat(client, q, f"{run}-{q}"), questions))
    assert len({a["message_id"] for a in answers}) == len(questions)
    stored = {m["question"] for m in recruiter.get("/api/recruiter/export").json()["messages"]}
    assert set(questions) <= stored


def test_planted_personal_data_reaches_neither_database_nor_logs(live_server, client) -> None:
    session = uuid.uuid4().hex
    messages = [
        f"I live at {PLANTED['address']}, do you pay for relocation?",
        f"Write to {PLANTED['email']} about the start dates",
        f"My phone is {PLANTED['phone']} and my SSN is {PLANTED['ssn']}, when can I start?",
        f"Can I pay the fee with card {PLANTED['card']}?",
        f"My passport {PLANTED['passport']} is from Canada, can I apply?",
    ]
    last = None
    for message in messages:
        last = chat(client, message, session)
    with client.stream("POST", "/api/chat/stream", json={"message": messages[0], "session_id": session}) as stream:
        assert stream.status_code == 200
        "".join(stream.iter_text())
    comment = " ".join(PLANTED.values())
    assert (
        client.post(
            "/api/feedback",
            json={"session_id": session, "message_id": last["message_id"], "rating": "down", "comment": comment},
        ).status_code
        == 201
    )

    files = [p for p in live_server.data_dir.rglob("*") if p.is_file() and "chroma" not in p.parts]
    assert any(p.name.startswith("careers-chat.sqlite3") for p in files)
    assert any(p.suffix == ".log" for p in files)
    for path in files:
        content = path.read_bytes()
        for kind, value in PLANTED.items():
            assert value.encode() not in content, f"{kind} found in {path.name}"
        assert session.encode() not in content, f"raw session id found in {path.name}"
    export = json.dumps(client.get("/api/recruiter/export", headers={"Authorization": f"Bearer {PASSWORD}"}).json())
    assert "[address]" in export and "[phone]" in export
