"""Command-line commands for bringing questions in and out: ``import`` and ``export-bank``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from mlprep import bank as bank_mod
from mlprep import exporters, importers, paths, userbank
from mlprep.cli_output import emit
from mlprep.errors import CliError


def cmd_import(args: argparse.Namespace) -> int:
    """Import one file into <data dir>/banks; prints what was saved, notes go to stderr."""
    data_dir = paths.data_dir(args.data_dir)
    existing = userbank.load(data_dir, everything=True)
    try:
        result = importers.read_path(Path(args.file), existing.categories)
        plan = userbank.plan_import(data_dir, result, existing)
    except (importers.ImportFailed, userbank.BankEditError) as exc:
        raise CliError(str(exc)) from exc
    for message in result.messages + plan.messages:
        print(f"{'skipped' if message.skipped else 'note'}: {message}", file=sys.stderr)
    if not plan.questions:
        raise CliError(f"nothing imported from {result.name}: every question is already in your banks")
    categories = ", ".join(f"{name} {n}" for name, n in result.categories().items())
    if args.dry_run:
        print(f"would save {len(plan.questions)} question(s) from {result.name} to {plan.target} "
              f"(nothing written): {categories}")
        return 0
    try:
        target = userbank.save_import(data_dir, plan)
    except (userbank.BankEditError, OSError) as exc:
        raise CliError(f"{exc}") from exc
    replaced = f", replacing the earlier import ({plan.replaces} question(s))" if plan.replaces else ""
    print(f"saved {len(plan.questions)} question(s) from {result.name} to {target}{replaced}: {categories}")
    return 0


def cmd_export_bank(args: argparse.Namespace, bank_paths: Callable[[argparse.Namespace], list[Path]]) -> int:
    """Write the loaded bank (or one category) as CSV or Anki text, to stdout or --output."""
    loaded = bank_mod.load_bank(bank_paths(args))
    try:
        chosen = exporters.select_category(loaded.questions, args.category)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    text = exporters.export_questions(chosen, args.format)
    count = len(chosen)
    emit(text, args.output, f"wrote {count} question(s)")
    return 0


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None],
             bank_paths: Callable[[argparse.Namespace], list[Path]]) -> None:
    """Add this module's subcommands to the ``python -m mlprep`` parser."""
    p = sub.add_parser("import", help="import questions from YAML, CSV or an Anki plain-text export into your banks")
    p.add_argument("file", help=f"the file to import (.csv, .tsv, .txt, .yaml; at most {importers.MAX_IMPORT_MB} MB)")
    p.add_argument("--dry-run", action="store_true", help="show what would be saved, write nothing")
    common(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export-bank", help="export the question bank as CSV or Anki plain text")
    p.add_argument("--format", choices=exporters.EXPORT_FORMATS, default="csv")
    p.add_argument("--category", help="only this category (its name or slug)")
    p.add_argument("--output", help="write to FILE instead of stdout")
    common(p)
    p.set_defaults(func=lambda args: cmd_export_bank(args, bank_paths))
