"""Scale: a synthetic corpus of many postings next to the original one.

The postings are generated from templates with a fixed seed, written to a
temporary folder and labelled synthetic in their front matter; they are never
committed. They deliberately talk about the same topics as the real posting
(start dates, accommodations, pay) so they compete with it for every query.
"""

from __future__ import annotations

import calendar
import gc
import random
import shutil
import time
from pathlib import Path

from bench.common import percentile
from bench.quality import golden
from bot.config import Settings
from bot.engine.engine import Engine
from bot.evaluation.golden import load_golden

ORIGINAL = "doubao-llm-research"
SEED = 7

COMPANIES = [
    "Northwind",
    "Fabrikam",
    "Contoso",
    "Tailspin",
    "Litware",
    "Adatum",
    "Proseware",
    "Wingtip",
    "Lamna",
    "Trey",
]
ROLES = [
    "Data Engineer",
    "Research Scientist",
    "Backend Engineer",
    "Product Designer",
    "ML Engineer",
    "Site Reliability Engineer",
    "Recruiting Coordinator",
    "Security Analyst",
]
CITIES = ["Lisbon", "Toronto", "Nairobi", "Osaka", "Austin", "Berlin", "Singapore", "Bogota", "Dublin", "Seoul"]
MONTHS = list(calendar.month_name)[1:]
SKILLS = ["Python", "SQL", "Kubernetes", "PyTorch", "Figma", "Go", "Rust", "Spark", "TypeScript", "statistics"]

POSTING = """---
posting_id: {pid}
title: "SYNTHETIC: {company} {role}"
source: synthetic/bench-template
---

# The posting (synthetic benchmark data)

## About the role

{company} is hiring a {role} in {city}. This posting is synthetic, generated for benchmarks. The team builds {product} for {customers} customers and works with {skill_a} and {skill_b} every day.

## Qualifications

Candidates should have {years} years of experience with {skill_a}, good written communication and an interest in {product}. Experience with {skill_b} is a plus.

## Start dates

Successful candidates start on one of these dates:

{dates}

## Applications

Candidates may apply to at most {limit} positions at {company} per year. The application has {stages} stages, including a take-home assessment.
"""

POLICIES = """---
posting_id: {pid}
title: "SYNTHETIC: {company} {role}"
source: synthetic/bench-template
---

# Pay, benefits and accommodations (synthetic benchmark data)

## Pay

The base salary range for this role in {city} is ${low},000 to ${high},000 per year, plus a {bonus}% annual bonus.

## Benefits

Benefits include {leave} days of paid leave, health insurance and a learning budget of ${budget} a year.

## Accommodations

Candidates who need an accommodation during the process can write to {contact}. We respond within {days} business days.
"""


def synthetic_posting(index: int, rng: random.Random) -> dict[str, str]:
    """Return the files of one synthetic posting, keyed by file name."""
    company, role, city = rng.choice(COMPANIES), rng.choice(ROLES), rng.choice(CITIES)
    skill_a, skill_b = rng.sample(SKILLS, 2)
    year = rng.choice([2025, 2026, 2027])
    dates = sorted(rng.sample(range(12), 4))
    low = rng.randint(60, 180)
    values = {
        "pid": f"synthetic-{index:04d}",
        "company": company,
        "role": role,
        "city": city,
        "skill_a": skill_a,
        "skill_b": skill_b,
        "product": rng.choice(["search", "payments", "maps", "speech", "analytics", "robotics"]),
        "customers": rng.choice(["enterprise", "consumer", "public-sector"]),
        "years": rng.randint(1, 8),
        "dates": "\n".join(f"- {MONTHS[m]} {rng.randint(1, 28)}, {year}" for m in dates),
        "limit": rng.randint(2, 5),
        "stages": rng.randint(2, 5),
        "low": low,
        "high": low + rng.randint(20, 80),
        "bonus": rng.randint(5, 20),
        "leave": rng.randint(20, 30),
        "budget": rng.randint(1, 5) * 500,
        "contact": f"talent-{index:04d}@{company.lower()}.example",
        "days": rng.randint(2, 5),
    }
    return {"01-posting.md": POSTING.format(**values), "02-policies.md": POLICIES.format(**values)}


def build_corpus(root: Path, knowledge_dir: Path, postings: int) -> Path:
    """Write the original posting plus `postings` synthetic ones under root; return root."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(knowledge_dir / ORIGINAL, root / ORIGINAL)
    rng = random.Random(SEED)
    for index in range(1, postings + 1):
        folder = root / f"synthetic-{index:04d}"
        folder.mkdir(parents=True)
        for name, text in synthetic_posting(index, rng).items():
            (folder / name).write_text(text, encoding="utf-8")
    return root


def _size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1024 / 1024


def measure(work: Path, knowledge_dir: Path, postings: int, golden_path: Path, runs: int, today=None) -> dict:
    """Ingest a corpus of `postings` synthetic postings plus the original; time queries and score recall."""
    corpus = build_corpus(work / f"corpus-{postings}", knowledge_dir, postings)
    settings = Settings(_env_file=None, knowledge_dir=corpus, data_dir=work / f"data-{postings}", today=today)
    started = time.perf_counter()
    engine = Engine.build(settings)
    build_seconds = time.perf_counter() - started
    questions = [c.question for c in load_golden(golden_path)]
    for question in questions[:5]:
        engine.ask(question, [], ORIGINAL)
    retrieval, totals = [], []
    for _ in range(runs):
        for question in questions:
            timings = engine.ask(question, [], ORIGINAL).trace["timings"]
            totals.append(timings["total_ms"])
            if "embed_ms" in timings:
                retrieval.append(sum(timings[s] for s in ("embed_ms", "dense_ms", "lexical_ms", "fuse_ms")))
    quality = golden(engine, golden_path, ORIGINAL)
    result = {
        "synthetic_postings": postings,
        "postings": postings + 1,
        "chunks": len(engine.chunks),
        "ingest_seconds": round(engine.last_ingest.seconds if engine.last_ingest else 0.0, 2),
        "build_seconds": round(build_seconds, 2),
        "index_mb": round(_size_mb(settings.chroma_dir), 2),
        "retrieval_p50_ms": round(percentile(retrieval, 50), 2),
        "retrieval_p95_ms": round(percentile(retrieval, 95), 2),
        "ask_p50_ms": round(percentile(totals, 50), 2),
        "ask_p95_ms": round(percentile(totals, 95), 2),
        "recall_at_1": quality["recall_at_1"],
        "recall_at_4": quality["recall_at_4"],
        "mrr": quality["mrr"],
        "pass_rate": quality["pass_rate"],
    }
    del engine
    gc.collect()
    return result
