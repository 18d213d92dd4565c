"""The ``jforg`` command: parse arguments, load settings, call one stage.

Nothing here knows how a stage works. Every failure ends as one line on
stderr and an exit code from ``errors`` (a traceback only with --debug);
Ctrl-C and SIGTERM end the run with 130 after the stage has cleaned up.
A reader that closes the pipe early (``| head``) only stops the output.

``entry`` is the process entry point (console script, ``python -m
pipeline``): before anything is imported on demand it takes the current
folder off ``sys.path`` and sets ``PYTHONSAFEPATH`` for every Python process
jforg starts, because media folders hold downloaded files and a ``copy.py``
or ``yaml.py`` there must never run as code.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from types import FrameType
from typing import Any

from pipeline import __version__
from pipeline.core.errors import EXIT_INTERRUPTED, JforgError
from pipeline.core.streams import Output, PipeSafe, silence_broken_stdio

__all__ = ["build_parser", "entry", "main"]


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, without importing shutil for the terminal's width.

    argparse builds a formatter for every option it adds, and its default one
    imports shutil (and with it bz2 and lzma): a few ms of every command's start.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        if width is None:
            width = _columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


def _columns() -> int:
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size().columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def _common(*, defaults: bool = True) -> _Parser:
    # Each command gets these options again without defaults: argparse lets a
    # command's defaults overwrite what was given before it, and
    # `jforg --config FILE run LIB` (the cron line) would lose FILE.
    common = _Parser(
        add_help=False, argument_default=None if defaults else argparse.SUPPRESS)
    common.add_argument("--work", metavar="DIR",
                        help="folder of the manifests (default: $JFORG_WORK, else one per "
                             "library under ~/.local/state/jforg)")
    common.add_argument("--config", metavar="FILE",
                        help="YAML settings over configs/default.yaml (default: $JFORG_CONFIG)")
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    return common


def _scan_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-size", type=int, metavar="BYTES",
                        help="leave out files smaller than this")
    parser.add_argument("--exclude", action="append", metavar="GLOB", default=None,
                        help="skip paths matching GLOB (repeatable; adds to scan.exclude)")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="walker processes (default scan.jobs; 0 = one per core)")
    parser.add_argument("--follow-symlinks", action=argparse.BooleanOptionalAction, default=None,
                        help="enter symlinked folders (each real folder once)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="jforg",
        description="Audit and organize a media library for Jellyfin.",
        parents=[_common()],
    )
    common = _common(defaults=False)
    parser.add_argument("--version", action="version", version=f"jforg {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    scan = commands.add_parser("scan", parents=[common], help="walk library roots into scan.jsonl",
                               description="Walk LIB folders and record every file in "
                                           "WORK/scan.jsonl.")
    scan.add_argument("libraries", nargs="+", metavar="LIB", help="library root folder")
    _scan_flags(scan)

    probe = commands.add_parser("probe", parents=[common],
                                help="identify and measure every scanned file",
                                description="Parse names, read MediaInfo, tags and book "
                                            "metadata of WORK/scan.jsonl into WORK/probe.jsonl.")
    _probe_flags(probe)

    enrich = commands.add_parser("enrich", parents=[common],
                                 help="group files into works and look them up",
                                 description="Group WORK/probe.jsonl into works (movies, "
                                             "series, albums, books) and write "
                                             "WORK/enrich.jsonl.")
    _enrich_flags(enrich)

    report = commands.add_parser("report", parents=[common],
                                 help="summarise the library: report.json and report.html",
                                 description="Write WORK/report.json and WORK/report.html from "
                                             "the manifests and print a summary.")
    report.add_argument("--format", choices=["text", "json", "html"], default="text",
                        help="what to print: a summary (default), report.json or report.html")

    plan = commands.add_parser("plan", parents=[common],
                               help="decide where every file goes under --dest",
                               description="Write WORK/plan.jsonl: every scanned file moved to "
                                           "its Jellyfin place under DEST, or skipped with a "
                                           "reason. Touches no file.")
    plan.add_argument("--dest", required=True, metavar="DIR", help="the organized library")
    plan.add_argument("--conflict", choices=["skip", "rename", "fail"],
                      help="two files for one place, or an existing file there "
                           "(default organize.conflict)")
    plan.add_argument("--accept", choices=["strong", "medium", "low"],
                      help="lowest enrich confidence used without review "
                           "(default enrich.confidence.accept)")

    verify = commands.add_parser("verify", parents=[common],
                                 help="list what breaks Jellyfin's naming in a library",
                                 description="Walk an organized Jellyfin library (or one kind's "
                                             "root) and list every naming violation with a "
                                             "rule id, the path and a suggested fix.")
    verify.add_argument("directory", metavar="DIR", help="the library to check")
    verify.add_argument("--json", action="store_true", help="print the violations as JSON")
    verify.add_argument("--strict", action="store_true",
                        help="exit 1 when there is any violation")

    organize = commands.add_parser(
        "organize", parents=[common], help="apply the plan: put every file in its place",
        description="Apply WORK/plan.jsonl behind a write-ahead journal (WORK/journal/): "
                    "every change can be rolled back, and a killed run is finished by the "
                    "next organize or undone by rollback.")
    organize.add_argument("--dest", metavar="DIR",
                          help="the plan's destination (default: the one the plan was made for)")
    organize.add_argument("--mode", choices=["move", "copy", "hardlink", "hardlink-or-copy",
                                             "symlink"],
                          help="how files get there (default organize.mode)")
    organize.add_argument("--conflict", choices=["skip", "rename", "fail"],
                          help="a destination that appeared since the plan "
                               "(default organize.conflict)")
    organize.add_argument("--dry-run", action="store_true",
                          help="say what would happen; change nothing")
    organize.add_argument("--absolute-links", action="store_true",
                          help="symlink mode: absolute targets instead of relative ones")
    organize.add_argument("--nfo", action=argparse.BooleanOptionalAction, default=None,
                          help="write the plan's NFO files (default organize.nfo: only those "
                               "with something to say)")
    organize.add_argument("--artwork", action=argparse.BooleanOptionalAction, default=None,
                          help="download the plan's posters and covers (default "
                               "organize.artwork)")
    organize.add_argument("--offline", action="store_true", default=None,
                          help="download nothing (default enrich.offline)")
    organize.add_argument("--overwrite-nfo", action="store_true", default=None,
                          help="replace NFO files already there (kept aside for rollback)")
    organize.add_argument("--overwrite-artwork", action="store_true", default=None,
                          help="replace images already there (kept aside for rollback)")

    rollback = commands.add_parser(
        "rollback", parents=[common], help="undo an organize transaction",
        description="Put back what an organize transaction moved and remove what it created; "
                    "files changed since are left as they are and listed.")
    rollback.add_argument("txn", nargs="?", metavar="TXN_ID", help="the transaction to undo")
    rollback.add_argument("--last", action="store_true", help="undo the latest transaction")
    rollback.add_argument("--list", action="store_true", help="list the transactions")
    rollback.add_argument("--show", metavar="TXN_ID", help="show one transaction's steps")

    run = commands.add_parser("run", parents=[common], help="all stages, for cron",
                              description="Run every stage of the pipeline over LIB.")
    run.add_argument("libraries", nargs="+", metavar="LIB", help="library root folder")
    _scan_flags(run)
    _probe_flags(run, jobs=False)
    run.add_argument("--dest", metavar="DIR", help="also plan the organized library under DIR")
    run.add_argument("--organize", action="store_true",
                     help="with --dest: apply the plan too (organize.* settings)")
    _enrich_flags(run)
    return parser


def _enrich_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--offline", action="store_true", default=None,
                        help="ask no provider; identify from names and file metadata")
    parser.add_argument("--provider", action="append", default=[], metavar="NAME",
                        choices=["tmdb", "musicbrainz", "openlibrary", "coverart"],
                        help="only this provider (repeatable)")


def _probe_flags(parser: argparse.ArgumentParser, *, jobs: bool = True) -> None:
    if jobs:
        parser.add_argument("--jobs", type=int, metavar="N",
                            help="worker processes (default probe.jobs; 0 = one per core)")
    parser.add_argument("--backend", choices=["loky", "dask"],
                        help="loky process pools here, or a Dask cluster")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler, e.g. tcp://host:8786 (with --backend dask)")
    parser.add_argument("--force", action="store_true",
                        help="probe every file again instead of reusing unchanged records")


def _flags(args: argparse.Namespace) -> dict[str, Any]:
    jobs = getattr(args, "jobs", None)
    flags: dict[str, Any] = {
        "scan.min_size": getattr(args, "min_size", None),
        "scan.follow_symlinks": getattr(args, "follow_symlinks", None),
        "scan.jobs": jobs if args.command in ("scan", "run") else None,
        "probe.jobs": jobs if args.command in ("probe", "run") else None,
        "probe.backend": getattr(args, "backend", None),
        "probe.scheduler": getattr(args, "scheduler", None),
    }
    return flags


def _print_traceback() -> None:
    import traceback

    traceback.print_exc()


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def entry() -> None:
    """The ``jforg`` process: no imports from the current folder, then ``main``."""
    never_import_from_cwd()
    sys.exit(main())


def never_import_from_cwd() -> None:
    """Take the current folder off ``sys.path``, here and in every child Python.

    ``python -m`` and ``-c`` put the current folder first on ``sys.path``, and
    an empty ``PYTHONPATH`` entry does too; loky starts its workers and its
    resource tracker with ``-m`` and ``-c``. ``PYTHONSAFEPATH`` (Python 3.11)
    stops that in every process started from here, which inherit it.
    """
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        cwd = os.path.realpath(os.getcwd())
    except OSError:  # the folder was deleted under us: nothing there to import
        cwd = None
    sys.path[:] = [entry for entry in sys.path
                   if entry not in ("", ".") and os.path.realpath(entry) != cwd]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # SIGTERM (systemd, kill, cron timeouts) takes the same clean path as Ctrl-C.
    signal.signal(signal.SIGTERM, _raise_interrupt)
    out, err = PipeSafe(sys.stdout), PipeSafe(sys.stderr)
    try:
        return _dispatch(args, out, err)
    except JforgError as exc:
        print(f"jforg: error: {exc}", file=err)
        if args.debug:
            _print_traceback()
        return exc.exit_code
    except KeyboardInterrupt:
        print("jforg: interrupted; no manifest was half-written, the next run resumes",
              file=err)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: one line, not a traceback
        if args.debug:
            _print_traceback()
        print(f"jforg: internal error: {type(exc).__name__}: {exc} (--debug shows the traceback)",
              file=err)
        return 1
    finally:
        out.flush()
        err.flush()
        silence_broken_stdio(out, err)


def _progress_interval() -> float:
    """Seconds between plain progress lines (``JFORG_PROGRESS_INTERVAL``, default 10)."""
    raw = os.environ.get("JFORG_PROGRESS_INTERVAL", "10")
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise JforgError(f"JFORG_PROGRESS_INTERVAL={raw!r}: not a number of seconds") from None


def _verify(args: argparse.Namespace, out: PipeSafe) -> int:
    from pipeline.core.errors import UsageError
    from pipeline.plan.verify import format_text, to_json, verify

    if not os.path.isdir(args.directory):
        raise UsageError(f"{args.directory}: not a folder")
    violations = verify(os.path.abspath(args.directory))
    if args.json:
        out.write_bytes(to_json(violations) + b"\n")
    else:
        out.write(format_text(violations))
        print(f"verify: {len(violations)} violations in {args.directory}", file=out)
    return 1 if violations and args.strict else 0


def _organize_options(args: argparse.Namespace, settings: Any) -> Any:
    """organize's options from its flags over the settings (None: not organizing)."""
    if args.command == "run" and getattr(args, "organize", False):
        if not args.dest:
            from pipeline.core.errors import UsageError

            raise UsageError("run --organize needs --dest DIR: where the library goes")
    elif args.command != "organize":
        return None
    from pipeline.organize.options import OrganizeOptions

    return OrganizeOptions.from_settings(
        settings, dest=getattr(args, "dest", None), mode=getattr(args, "mode", None),
        conflict=getattr(args, "conflict", None), dry_run=getattr(args, "dry_run", None),
        absolute_links=getattr(args, "absolute_links", None), nfo=getattr(args, "nfo", None),
        artwork=getattr(args, "artwork", None),
        offline=getattr(args, "offline", None),
        overwrite_nfo=getattr(args, "overwrite_nfo", None),
        overwrite_artwork=getattr(args, "overwrite_artwork", None))


def _rollback(args: argparse.Namespace, ctx: Any, runner: Any) -> Any:
    from pipeline.core.errors import UsageError

    chosen = sum(bool(x) for x in (args.txn, args.last, args.list, args.show))
    if chosen != 1:
        raise UsageError("rollback needs one of: TXN_ID, --last, --list, --show TXN_ID")
    result = runner.rollback(ctx, args.txn, last=args.last, show=args.show, listing=args.list)
    for line in result.summary:
        print(line, file=ctx.out, flush=True)
    return result


def _dispatch(args: argparse.Namespace, out: PipeSafe, err: Output) -> int:
    from pathlib import Path

    if args.command == "verify":
        return _verify(args, out)  # reads a library, writes nothing: no work folder, no lock

    from pipeline import runner
    from pipeline.core.settings import load_settings
    from pipeline.core.workdir import WorkLock, remember_work, resolve_work

    config = Path(args.config) if args.config else None
    settings = load_settings(config, flags=_flags(args))
    if getattr(args, "exclude", None):
        # --exclude adds to the configured globs rather than replacing them.
        import msgspec

        scan = msgspec.structs.replace(settings.scan,
                                       exclude=[*settings.scan.exclude, *args.exclude])
        settings = msgspec.structs.replace(settings, scan=scan)
    libraries = getattr(args, "libraries", [])
    work = resolve_work(args.work, libraries)
    organize = _organize_options(args, settings)
    ctx = runner.Context(work=work, settings=settings, out=out, err=err, organize=organize,
                         progress_interval=_progress_interval(),
                         force=getattr(args, "force", False),
                         report_format=getattr(args, "format", "text"),
                         dest=getattr(args, "dest", None),
                         conflict=getattr(args, "conflict", None),
                         offline=getattr(args, "offline", None),
                         providers=tuple(getattr(args, "provider", ())),
                         accept=getattr(args, "accept", None))
    with WorkLock(work) as lock:
        if lock.stale_owner:
            print(f"jforg: took over a stale lock in {work} ({lock.stale_owner}, no longer "
                  "running)", file=err)
        if lock.swept:
            print(f"jforg: removed {len(lock.swept)} leftover file(s) of an interrupted run "
                  f"from {work}: {', '.join(sorted(lock.swept))}", file=err)
        if args.command == "run":
            results = runner.run_pipeline(ctx, libraries)
        elif args.command == "rollback":
            results = [_rollback(args, ctx, runner)]
        else:
            results = runner.run_pipeline(ctx, libraries, only=args.command)
        if libraries:
            remember_work(work)
    return max(result.exit_code for result in results)
