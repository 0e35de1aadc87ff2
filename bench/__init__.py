"""Benchmarks for careers-chat: quality against a LangChain baseline, speed and scale.

`python -m bench` (or `make bench`) runs everything and writes BENCHMARKS.md
and docs/latency-vs-corpus.png; `python -m bench --quick` is a short run.
"""
