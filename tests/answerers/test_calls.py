"""How a provider fault is named in the answer's trace and logs."""

from __future__ import annotations

import httpx
import openai

from bot.answerers.calls import failure_name

REQUEST = httpx.Request("POST", "http://model.example/v1/chat/completions")


def test_the_clients_read_timeout_and_the_token_wait_are_both_a_timeout() -> None:
    """Which of the two equal deadlines fires first must not change what the trace says."""
    assert failure_name(openai.APITimeoutError(request=REQUEST)) == "timeout"
    assert failure_name(httpx.ReadTimeout("slow", request=REQUEST)) == "timeout"
    assert failure_name(TimeoutError()) == "timeout"


def test_other_faults_keep_their_class_and_status() -> None:
    response = httpx.Response(503, request=REQUEST)
    assert failure_name(openai.InternalServerError("down", response=response, body=None)) == "InternalServerError:503"
    assert failure_name(openai.APIConnectionError(request=REQUEST)) == "APIConnectionError"
