"""Benchmarks for careers-chat: answer quality on the development sets, speed, LLM mode and scale.

`python -m bench` (or `make bench`) runs everything and writes BENCHMARKS.md,
BENCHMARKS.json and docs/latency-vs-corpus.png; `python -m bench --quick` is a
short run over every section with smaller samples. LLM mode is measured
against a local fake model; REAL_ENDPOINT says how to run the same quality
evaluation against a real one (the report prints it too).
"""

REAL_ENDPOINT = (
    "The quality figures above are extractive mode; LLM mode is measured here only against a local fake model. "
    "To run the same evaluation (the same sets, halves, checks and breakdown) against a real OpenAI-compatible "
    "endpoint, set `OPENAI_API_KEY` (any non-empty key switches answers to LLM mode), `OPENAI_BASE_URL` (leave unset "
    "for OpenAI itself) and `CHAT_MODEL` (default `gpt-4o-mini`; `LLM_TIMEOUT_SECONDS`, `LLM_MAX_RETRIES` and "
    "`LLM_TEMPERATURE` as needed), then run `careers-chat eval --sets tests/evals/sets.yaml --report-only` "
    "(or `python -m bot eval ...`; add `--verbose` to see every case). Embeddings stay the local e5 model unless "
    "`EMBEDDINGS=openai` (with `EMBEDDING_MODEL`). Each answerable question is one model call, so a run over every "
    "set makes about a thousand calls."
)
