"""Command line: `python -m bot ingest|ask|eval`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.config import get_settings
from bot.knowledge.documents import KnowledgeError


def _ingest(args: argparse.Namespace) -> int:
    from bot.knowledge.embeddings import make_embeddings
    from bot.knowledge.vectorstore import index_is_stale, ingest, open_store

    settings = get_settings()
    if args.if_stale and not index_is_stale(settings):
        print("Index is up to date.")
        return 0
    _, report = ingest(settings, open_store(settings, make_embeddings(settings)))
    print(
        f"Ingested {report.total} chunks: {report.added} added, {report.changed} changed, "
        f"{report.removed} removed, {report.unchanged} unchanged ({report.seconds:.1f} s)."
    )
    return 0


def _print_answer(response) -> None:
    print(response.answer)
    if response.citations:
        print()
        for citation in response.citations:
            quote = " ".join(citation.quote.split())
            print(f"[{citation.id}] {citation.section} ({citation.source}): \"{quote}\"")


def _ask(args: argparse.Namespace) -> int:
    from bot.engine.pipeline import Engine

    engine = Engine.build(get_settings())
    result = engine.ask(args.question, [], args.posting)
    if args.json:
        print(json.dumps(result.response.model_dump(), indent=2, ensure_ascii=False))
    else:
        _print_answer(result.response)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from bot.evaluation import load_golden, run_golden, summary
    from bot.engine.pipeline import Engine

    cases = load_golden(Path(args.file))
    engine = Engine.build(get_settings())
    if args.calibrate:
        from bot.evaluation import calibrate_threshold

        found = calibrate_threshold(engine, cases, args.posting)
        print(
            f"Suggested NOT_FOUND_THRESHOLD={found['threshold']} "
            f"({found['errors']} of {found['cases']} labelled cases on the wrong side)."
        )
        return 0
    results = run_golden(engine, cases, args.posting)
    for r in results:
        if not r.passed or args.verbose:
            mark = "PASS" if r.passed else "FAIL"
            print(f"{mark} row {r.row}: {r.question} -> {r.status}; {'; '.join(r.reasons)}")
    stats = summary(results)
    print(
        f"{stats['passed']}/{stats['cases']} passed; retrieval recall@1 {stats['recall_at_1']:.2f}, "
        f"recall@4 {stats['recall_at_4']:.2f}, MRR {stats['mrr']:.2f} over {stats['retrieval_cases']} cases"
    )
    return 0 if stats["passed"] == stats["cases"] else 1


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="careers-chat command line")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="load knowledge/ into the vector store")
    ingest.add_argument("--if-stale", action="store_true", help="only when knowledge/ changed")
    ingest.set_defaults(run=_ingest)
    ask = commands.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the API's JSON")
    ask.add_argument("--posting", default=None)
    ask.set_defaults(run=_ask)
    evaluate = commands.add_parser("eval", help="run a golden-set CSV")
    evaluate.add_argument("file")
    evaluate.add_argument("--posting", default=None)
    evaluate.add_argument("--verbose", action="store_true", help="print passing cases too")
    evaluate.add_argument("--calibrate", action="store_true", help="suggest the not-found threshold")
    evaluate.set_defaults(run=_eval)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (KnowledgeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
