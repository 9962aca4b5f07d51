"""The command line: ``python -m mlprep COMMAND``. Errors are one line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from mlprep import backups, brief, cli_bank, paths, progress, userbank, weak_areas
from mlprep import bank as bank_mod
from mlprep.cli_output import emit
from mlprep.db import StoreError, backup
from mlprep.errors import CliError
from mlprep.workspace import Workspace


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help=f"progress folder (default: ${paths.DATA_DIR_ENV} or the user data dir)")
    parser.add_argument("--bank", action="append", help="bank file or folder (repeatable; default: the shipped bank "
                        "plus your imported banks)")


def _bank_paths(args: argparse.Namespace) -> list[Path]:
    if args.bank:
        missing = [b for b in args.bank if not Path(b).exists()]
        if missing:
            raise CliError(f"bank path not found: {missing[0]}")
        return [Path(b) for b in args.bank]
    return userbank.enabled_bank_paths(paths.data_dir(args.data_dir))  # minus the banks switched off


def cmd_validate(args: argparse.Namespace) -> int:
    targets = [Path(p) for p in args.paths]
    missing = [p for p in targets if not p.exists()]
    if missing:
        raise CliError(f"path not found: {missing[0]}")
    targets = targets or [p for p in _bank_paths(args) if p.exists()]
    count, problems = bank_mod.problems_in_paths(targets)
    if count == 0:
        raise CliError("no .yaml bank files found in " + ", ".join(map(str, targets)))
    for problem in problems:
        print(problem)
    errors = [p for p in problems if p.skipped]
    print(f"{count} file(s) checked: {len(errors)} error(s), {len(problems) - len(errors)} warning(s)",
          file=sys.stderr)
    return 1 if errors else 0


def cmd_stats(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    q = workspace.bank.questions
    stats = {
        "questions": len(q),
        "categories": dict(sorted(Counter(q["category"]).items())),
        "difficulty": dict(sorted(Counter(q["difficulty"]).items())),
        "kind": dict(sorted(Counter(q["kind"]).items())),
        "problems": len(workspace.bank.problems),
        "tracks": progress.track_progress(workspace),
    }
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, sort_keys=False))
        return 0
    print(f"{stats['questions']} questions in {len(stats['categories'])} categories")
    for title in ("categories", "difficulty", "kind"):
        print(f"\n{title}:")
        for name, n in stats[title].items():
            print(f"  {n:5d}  {name}")
    print("\ntracks (readiness):")
    for track, figures in stats["tracks"].items():
        print(f"  {figures['readiness']:4.0%}  {track} ({figures['practised']} of {figures['questions']} practised, "
              f"{figures['due_today']} due today)")
    if workspace.bank.problems:
        print(f"\n{len(workspace.bank.problems)} problem(s) in the bank; run `python -m mlprep validate` to see them")
    return 0


def _workspace(args: argparse.Namespace) -> Workspace:
    return Workspace.open(args.data_dir, _bank_paths(args))


def _chosen_track(workspace: Workspace, args: argparse.Namespace) -> str:
    if args.track is None:
        return workspace.track
    if args.track not in workspace.tracks:
        raise CliError(f"no track named {args.track!r}; the tracks are: {', '.join(workspace.tracks)}")
    return args.track


def cmd_weak_areas(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    track = _chosen_track(workspace, args)
    if args.areas is not None and args.areas < 1:
        raise CliError("--areas needs a number of at least 1")
    areas = workspace.weak_areas(track=track, top=args.top, include_ready=args.all)
    limit = args.areas if args.areas is not None else (None if args.all else weak_areas.PLAN_AREAS)
    text = weak_areas.render(areas, args.format, limit=limit, track=track if len(workspace.tracks) > 1 else "")
    emit(text, args.output, f"wrote {len(areas)} weak area(s)")
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    store, scheduler = workspace.store, workspace.scheduler
    if args.action == "rebuild":
        n = store.rebuild_cards(scheduler)
        print(f"rebuilt {n} card(s) from {store.review_count()} review(s)")
        return 0
    if not args.file:
        raise CliError(f"progress {args.action} needs a FILE")
    path = Path(args.file)
    data_dir = store.directory
    try:
        if args.action == "export":
            suffix = path.suffix.lower().lstrip(".")
            fmt = args.format or (suffix if suffix in ("csv", "zip") else "json")
            content = backups.export(store, data_dir, fmt)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            what = {"json": "and your banks", "zip": "your banks and recordings", "csv": "only"}[fmt]
            print(f"wrote {store.review_count()} live review(s) {what} to {path} ({fmt})")
        else:
            result = backups.restore(store, data_dir, backups.read_file(path), scheduler)
            print(f"imported from {path}: {result.summary()}")
    except (backup.BackupError, backups.RestoreError) as exc:
        raise CliError(f"{path}: {exc}") from exc
    except OSError as exc:
        raise CliError(f"cannot {'write' if args.action == 'export' else 'read'} {path}: {exc.strerror}") from exc
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    text = brief.render(brief.build(workspace, track=_chosen_track(workspace, args)), args.format)
    emit(text, args.output, f"wrote the interview-day brief ({args.format})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mlprep", description="mlprep: ML interview prep, beyond the math.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check bank files; prints file:line: id: field: message")
    p.add_argument("paths", nargs="*", help="files or folders (default: the bank)")
    _common(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("stats", help="questions per category, difficulty and kind, and your progress per track")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    _common(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("weak-areas", help="the weak-area study list")
    p.add_argument("--format", choices=weak_areas.FORMATS, default="md")
    p.add_argument("--top", type=int, default=None, help="only the N weakest categories (every format)")
    p.add_argument("--areas", type=int, default=None, help=f"categories in the Markdown plan (default "
                   f"{weak_areas.PLAN_AREAS}; with --all, every one)")
    p.add_argument("--all", action="store_true", help="include ready areas too")
    p.add_argument("--track", help="the track (default: the one last chosen in the app, else the shipped track)")
    p.add_argument("--output", help="write to FILE instead of stdout")
    _common(p)
    p.set_defaults(func=cmd_weak_areas)

    p = sub.add_parser("brief", help="the interview-day brief: your loop, weakest areas and stories by theme")
    p.add_argument("--format", choices=brief.FORMATS, default="md", help="md, or html that prints on A4 and Letter")
    p.add_argument("--track", help="the track (default: the one last chosen in the app, else the shipped track)")
    p.add_argument("--output", help="write to FILE instead of stdout")
    _common(p)
    p.set_defaults(func=cmd_brief)

    p = sub.add_parser("progress", help="rebuild card states, or back up and restore your progress")
    p.add_argument("action", choices=["rebuild", "export", "import"],
                   help="rebuild: recompute card states from the review log; export FILE / import FILE: backup "
                        "and restore (JSON: everything; CSV: the review log); importing twice adds nothing")
    p.add_argument("file", nargs="?", help="the backup file (for export and import)")
    p.add_argument("--format", choices=["json", "zip", "csv"], help="export format (default: from the file name, else "
                   "json). json: progress, settings and your banks; zip: the same plus recordings; csv: the review log")
    _common(p)
    p.set_defaults(func=cmd_progress)
    cli_bank.register(sub, _common, _bank_paths)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (CliError, StoreError) as exc:
        print(f"mlprep: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
