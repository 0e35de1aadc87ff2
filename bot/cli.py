"""Command line: `careers-chat serve|ingest|ask|eval|user` (also `python -m bot ...`)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings, get_settings
from bot.knowledge.documents import KnowledgeError
from bot.records.database import StorageError

if TYPE_CHECKING:
    from bot.records.accounts import Accounts


def _settings(args: argparse.Namespace) -> Settings:
    settings = get_settings()
    overrides: dict[str, object] = {}
    if getattr(args, "knowledge", None):
        overrides["knowledge_dir"] = Path(args.knowledge)
    if getattr(args, "today", None):
        overrides["today"] = dt.date.fromisoformat(args.today)
    if getattr(args, "data", None):
        overrides["data_dir"] = Path(args.data)
    return settings.model_copy(update=overrides) if overrides else settings


def _serve(args: argparse.Namespace) -> int:
    from bot.web.app import serve

    serve(get_settings())
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from bot.knowledge.embeddings import make_embeddings
    from bot.knowledge.vectorstore import index_is_stale, ingest, open_store

    settings = _settings(args)
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
            print(f'[{citation.id}] {citation.section} ({citation.source}): "{quote}"')


def _ask(args: argparse.Namespace) -> int:
    from bot.engine.engine import Engine

    engine = Engine.build(_settings(args))
    result = engine.ask(args.question, [], args.posting)
    if args.json:
        print(json.dumps(result.response.model_dump(), indent=2, ensure_ascii=False))
    else:
        _print_answer(result.response)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from bot.evaluation.report import breakdown, format_breakdown

    if args.sets:
        return _eval_sets(args)
    if not args.file:
        raise ValueError("give a golden-set CSV, or --sets with a manifest")
    from bot.engine.engine import Engine
    from bot.evaluation.golden import load_golden, run_golden, summary

    cases = load_golden(Path(args.file))
    engine = Engine.build(_settings(args))
    if args.train:
        from bot.evaluation.train import fit, samples

        _save(fit(samples(engine, cases, args.posting), engine.settings.current_date()))
        engine = Engine.build(_settings(args))
    results = run_golden(engine, cases, args.posting)
    _print_failures(results, args.verbose)
    stats = summary(results)
    print(format_breakdown(breakdown(results)))
    print(
        f"{stats['passed']}/{stats['cases']} passed; retrieval recall@1 {stats['recall_at_1']:.2f}, "
        f"recall@4 {stats['recall_at_4']:.2f}, MRR {stats['mrr']:.2f} over {stats['retrieval_cases']} cases"
    )
    return 0 if stats["passed"] == stats["cases"] or args.report_only else 1


def _save(model) -> None:
    model.save()
    print(f"Trained the answerability model: {json.dumps(model.trained_on)}")


def _print_failures(results, verbose: bool, prefix: str = "") -> None:
    for r in results:
        if not r.passed or verbose:
            mark = "PASS" if r.passed else "FAIL"
            print(
                f"{mark} {prefix}row {r.row} [{r.split or '-'}/{r.lang}]: {r.question} -> {r.status}; {'; '.join(r.reasons)}"
            )


def _eval_sets(args: argparse.Namespace) -> int:
    """Run every set of a manifest; with --train, fit on all their calibration rows first."""
    import tempfile

    from bot.evaluation.golden import run_golden
    from bot.evaluation.report import breakdown, format_breakdown
    from bot.evaluation.sets import Engines, load_sets

    sets = load_sets(Path(args.sets))
    with tempfile.TemporaryDirectory(prefix="careers-chat-eval-") as tmp:
        engines = Engines(_settings(args), Path(args.data) if args.data else Path(tmp))
        if args.train:
            from bot.evaluation.train import fit, samples

            rows = [s for item in sets for s in samples(engines.for_set(item), item.cases, item.posting)]
            _save(fit(rows, sets[0].today))
            engines = Engines(_settings(args), Path(tmp) / "after-training")
        everything = []
        for item in sets:
            results = run_golden(engines.for_set(item), item.cases, item.posting)
            _print_failures(results, args.verbose, prefix=f"{item.name} ")
            print(f"== {item.name}")
            print(format_breakdown(breakdown(results)))
            everything += results
        print("== all sets")
        print(format_breakdown(breakdown(everything)))
    passed = sum(r.passed for r in everything)
    return 0 if passed == len(everything) or args.report_only else 1


def _accounts(args: argparse.Namespace) -> Accounts:
    from bot.records.accounts import Accounts
    from bot.records.database import Database
    from bot.records.migrations import migrate

    database = Database(_settings(args).database_address)
    migrate(database)
    return Accounts(database)


def _read_password(args: argparse.Namespace) -> str:
    """Read the new password: the first line of stdin with --password-stdin, else prompt twice on the terminal."""
    import getpass

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValueError("no terminal to ask for the password on; pipe it in with --password-stdin")
    password = getpass.getpass(f"Password for {args.name}: ")
    if getpass.getpass("Once more: ") != password:
        raise ValueError("the two passwords differ")
    return password


def _user_add(args: argparse.Namespace) -> int:
    from bot.records.accounts import check_name, check_password

    check_name(args.name)
    created = _accounts(args).add(args.name, check_password(_read_password(args)))
    print(f"Created recruiter account {args.name}." if created else f"Set a new password for {args.name}.")
    return 0


def _user_remove(args: argparse.Namespace) -> int:
    if not _accounts(args).remove(args.name):
        raise ValueError(f"there is no account {args.name}")
    print(f"Removed recruiter account {args.name}.")
    return 0


def _user_list(args: argparse.Namespace) -> int:
    for account in _accounts(args).names():
        print(f"{account['name']}\tcreated {account['created_at']}\tpassword set {account['updated_at']}")
    return 0


def _user_commands(commands: argparse._SubParsersAction) -> None:
    user = commands.add_parser("user", help="manage recruiter console accounts")
    verbs = user.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="create an account, or set a new password for it (asks for the password)")
    add.add_argument("name", help="account name: letters, digits, '.', '_', '@' or '-'")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(run=_user_add)
    remove = verbs.add_parser("remove", help="delete an account")
    remove.add_argument("name")
    remove.set_defaults(run=_user_remove)
    verbs.add_parser("list", help="list the accounts").set_defaults(run=_user_list)


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    parser = argparse.ArgumentParser(prog="careers-chat", description="careers-chat command line")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the app on HOST:PORT")
    serve.set_defaults(run=_serve)
    ingest = commands.add_parser("ingest", help="load knowledge/ into the vector store")
    ingest.add_argument("--if-stale", action="store_true", help="only when knowledge/ changed")
    ingest.set_defaults(run=_ingest)
    ask = commands.add_parser("ask", help="answer one question")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true", help="print the API's JSON")
    ask.add_argument("--posting", default=None)
    ask.set_defaults(run=_ask)
    evaluate = commands.add_parser("eval", help="run a golden-set or development-set CSV")
    evaluate.add_argument("file", nargs="?", help="a golden-set or development-set CSV")
    evaluate.add_argument("--sets", help="a manifest of evaluation sets (tests/evals/sets.yaml)")
    evaluate.add_argument("--posting", default=None)
    evaluate.add_argument("--knowledge", help="knowledge folder to answer from (default: KNOWLEDGE_DIR)")
    evaluate.add_argument("--today", help="today's date for date questions, YYYY-MM-DD")
    evaluate.add_argument("--data", help="data folder for the index (default: DATA_DIR)")
    evaluate.add_argument("--verbose", action="store_true", help="print passing cases too")
    evaluate.add_argument(
        "--train", action="store_true", help="fit the answerability model on the calibration half first"
    )
    evaluate.add_argument("--report-only", action="store_true", help="exit 0 even when cases fail")
    evaluate.set_defaults(run=_eval)
    _user_commands(commands)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (KnowledgeError, ValueError, StorageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
