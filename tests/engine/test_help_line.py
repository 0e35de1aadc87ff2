"""What the assistant says it can help with, when it cannot answer."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config import Settings
from tests.conftest import FICTIONAL, KNOWLEDGE, TODAY
from tests.fakes import FakeEmbeddings


def _engine(tmp_path, knowledge, today):
    from bot.engine.engine import Engine

    return Engine(
        Settings(_env_file=None, data_dir=tmp_path, knowledge_dir=knowledge, today=today), embeddings=FakeEmbeddings()
    )


@pytest.mark.parametrize("message", ["What's the weather in Singapore today?", "¿Qué tiempo hace hoy en Madrid?"])
def test_a_one_document_posting_names_its_sections_not_its_title(tmp_path, message):
    reply = _engine(tmp_path, FICTIONAL, dt.date(2031, 6, 1)).ask(message).response
    assert reply.answer_type == "refusal"
    assert "What you will do, Requirements, Start dates, Applying, Accommodations, Pay" in reply.answer
    assert "Zephyr Pretzel Works" not in reply.answer.split(":", 1)[1]


def test_a_posting_kept_as_several_documents_names_them(tmp_path):
    reply = _engine(tmp_path, KNOWLEDGE, TODAY).ask("What's the weather in Singapore today?").response
    assert "The role, Start dates and application policy, Accommodations, Applicant privacy" in reply.answer
