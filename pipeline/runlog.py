"""The day's log of ``jforg run``, and the one line a run ends with.

``RunLog`` appends every line a run prints to ``WORK/logs/jforg-YYYY-MM-DD.log``
(the local date: a cron user looks for "last night"), each line stamped with
the time, colour codes dropped, and how the run ended (done, interrupted,
failed and why) even when it ended by an exception. It removes the logs of
days older than ``run.log_days`` — only files named as it names them; the
folder may hold others'. ``log_days: 0`` writes no log.

``summary_line`` is the last line of every run: files, what changed since the
last scan, how much is identified, planned and organized, errors, time.
It must stay one line: monitoring greps it.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

import msgspec

from pipeline.core.streams import Output

__all__ = ["LOG_FOLDER", "LoggedOutput", "RunLog", "RunTotals", "log_name", "prune_logs",
           "report_counts", "summary_line", "totals"]

LOG_FOLDER = "logs"
_LOG = re.compile(r"jforg-(\d{4}-\d{2}-\d{2})\.log")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def log_name(day: _dt.date) -> str:
    return f"jforg-{day.isoformat()}.log"


def prune_logs(folder: Path, days: int, today: _dt.date) -> list[str]:
    """Remove this folder's ``jforg-DATE.log`` files older than ``days`` days; their names.

    Kept: the logs of the last ``days`` days, today's included.
    """
    removed: list[str] = []
    oldest_kept = today - _dt.timedelta(days=max(days, 1) - 1)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _LOG.fullmatch(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        try:
            day = _dt.date.fromisoformat(match.group(1))
        except ValueError:
            continue
        if day < oldest_kept:
            try:
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(entry.name)
    return sorted(removed)


class RunLog:
    """``with RunLog(work, days, "run /media") as log: out = LoggedOutput(out, log)``.

    Lines reach the file as they are printed (a ``tail -f`` follows the run).
    """

    def __init__(self, work: Path, days: int, title: str, *,
                 now: _dt.datetime | None = None) -> None:
        self.folder = work / LOG_FOLDER
        self.days = days
        self.title = title
        self._now = now
        self._handle: IO[str] | None = None
        self._partial = ""
        self.path: Path | None = None

    def _clock(self) -> _dt.datetime:
        return self._now or _dt.datetime.now()

    def __enter__(self) -> RunLog:
        if self.days <= 0:
            return self
        now = self._clock()
        self.folder.mkdir(parents=True, exist_ok=True)
        prune_logs(self.folder, self.days, now.date())
        self.path = self.folder / log_name(now.date())
        self._handle = open(self.path, "a", encoding="utf-8", errors="surrogateescape")
        self._emit(f"{self.title} (pid {os.getpid()}, started {now:%Y-%m-%d %H:%M:%S})")
        return self

    def write(self, text: str) -> None:
        """Take printed text; whole lines go to the file."""
        if self._handle is None:
            return
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            self._emit(line)
        if lines:
            self._handle.flush()

    def _emit(self, line: str) -> None:
        assert self._handle is not None
        self._handle.write(f"{self._clock():%H:%M:%S} {_ANSI.sub('', line)}\n")

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._handle is None:
            return
        if self._partial:
            self._emit(self._partial)
            self._partial = ""
        if exc_type is not None:
            if issubclass(exc_type, KeyboardInterrupt):
                self._emit("run: interrupted; no manifest was half-written, the next run "
                           "resumes")
            else:
                self._emit(f"run: stopped by an error: {exc}")
        handle, self._handle = self._handle, None
        handle.close()


class LoggedOutput:
    """An ``Output`` that also hands what it prints to a ``RunLog``."""

    def __init__(self, out: Output, log: RunLog) -> None:
        self.out = out
        self.log = log

    def write(self, text: str) -> int:
        self.log.write(text)
        return self.out.write(text)

    def flush(self) -> None:
        self.out.flush()

    def isatty(self) -> bool:
        return self.out.isatty()


class RunTotals(msgspec.Struct, frozen=True):
    files: int = 0
    new: int = 0
    changed: int = 0
    identified: int = 0
    needs_review: int = 0
    planned: int = 0
    organized: int = 0
    errors: int = 0
    elapsed: float = 0.0


def totals(counts: Sequence[Mapping[str, int]], errors: int, report_json: Path,
           elapsed: float) -> RunTotals:
    """The run's totals from its stages' counts and the report it ends with."""
    summed: dict[str, int] = {}
    for stage_counts in counts:
        for key, n in stage_counts.items():
            summed[key] = summed.get(key, 0) + n
    identified, review, planned = report_counts(report_json)
    return RunTotals(files=summed.get("files", 0), new=summed.get("new", 0),
                     changed=summed.get("changed", 0), identified=identified,
                     needs_review=review, planned=planned,
                     organized=summed.get("organized", 0), errors=errors, elapsed=elapsed)


def summary_line(t: RunTotals) -> str:
    return (f"run: {t.files:,} files, {t.new:,} new, {t.changed:,} changed, "
            f"{t.identified:,} identified, {t.needs_review:,} need review, "
            f"{t.planned:,} planned, {t.organized:,} organized, {t.errors:,} errors, "
            f"{t.elapsed:.2f} s")


# The few fields of report.json (jforg.report/1) the summary shows; the rest is
# ignored, so the report may grow without this module knowing.
class _Identification(msgspec.Struct):
    identified: int = 0
    needs_review: int = 0


class _Plan(msgspec.Struct):
    moves: int = 0


class _ReportCounts(msgspec.Struct):
    identification: _Identification = msgspec.field(default_factory=_Identification)
    plan: _Plan | None = None


def report_counts(report_json: Path) -> tuple[int, int, int]:
    """(identified, needing review, planned moves) from a report.json; zeros without one."""
    try:
        found = msgspec.json.decode(report_json.read_bytes(), type=_ReportCounts)
    except (OSError, msgspec.DecodeError):
        return 0, 0, 0
    planned = found.plan.moves if found.plan is not None else 0
    return found.identification.identified, found.identification.needs_review, planned
