"""The day's log of `jforg run` and its summary line."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from pipeline.runlog import (
    LoggedOutput,
    RunLog,
    RunTotals,
    prune_logs,
    report_counts,
    summary_line,
)

NOW = dt.datetime(2026, 12, 2, 3, 0, 5)


def test_logs_older_than_log_days_go_and_nothing_else_is_touched(tmp_path: Path) -> None:
    names = ["jforg-2026-12-02.log", "jforg-2026-11-03.log", "jforg-2026-11-02.log",
             "jforg-2025-01-01.log", "jforg-notadate.log", "other-2020-01-01.log", "notes.txt"]
    for name in names:
        (tmp_path / name).write_text("x")
    removed = prune_logs(tmp_path, 30, NOW.date())
    assert removed == ["jforg-2025-01-01.log", "jforg-2026-11-02.log"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(set(names) - set(removed))


def test_one_log_day_keeps_only_today(tmp_path: Path) -> None:
    (tmp_path / "jforg-2026-12-01.log").write_text("x")
    (tmp_path / "jforg-2026-12-02.log").write_text("x")
    assert prune_logs(tmp_path, 1, NOW.date()) == ["jforg-2026-12-01.log"]


def test_printed_lines_reach_the_log_stamped_and_without_colour(tmp_path: Path) -> None:
    shown = io.StringIO()
    with RunLog(tmp_path, 30, "jforg 0.1.0 run /media", now=NOW) as log:
        out = LoggedOutput(shown, log)
        print("\x1b[1mscan:\x1b[0m unchanged", file=out)
        out.write("probe: ")
        out.write("unchanged\nrun: half a line")
    text = (tmp_path / "logs" / "jforg-2026-12-02.log").read_text()
    assert text.splitlines() == [
        f"03:00:05 jforg 0.1.0 run /media (pid {__import__('os').getpid()}, "
        "started 2026-12-02 03:00:05)",
        "03:00:05 scan: unchanged", "03:00:05 probe: unchanged", "03:00:05 run: half a line"]
    assert shown.getvalue().startswith("\x1b[1mscan:")  # the terminal keeps its colours


@pytest.mark.parametrize(("error", "said"), [
    (KeyboardInterrupt(), "run: interrupted"),
    (RuntimeError("disk full"), "run: stopped by an error: disk full"),
])
def test_how_a_run_ended_is_logged_even_when_it_ended_by_an_exception(
        tmp_path: Path, error: BaseException, said: str) -> None:
    with pytest.raises(type(error)), RunLog(tmp_path, 30, "jforg run /m", now=NOW):
        raise error
    last = (tmp_path / "logs" / "jforg-2026-12-02.log").read_text().splitlines()[-1]
    assert last.startswith(f"03:00:05 {said}")


def test_runs_of_one_day_append_to_one_file(tmp_path: Path) -> None:
    for _ in range(2):
        with RunLog(tmp_path, 30, "jforg run /m", now=NOW) as log:
            log.write("run: done\n")
    assert (tmp_path / "logs" / "jforg-2026-12-02.log").read_text().count("run: done") == 2


def test_the_summary_is_one_line_with_every_figure() -> None:
    line = summary_line(RunTotals(files=20_000, new=3, changed=1, identified=12_345,
                                  needs_review=67, planned=890, organized=4, errors=2,
                                  elapsed=1.234))
    assert line == ("run: 20,000 files, 3 new, 1 changed, 12,345 identified, 67 need review, "
                    "890 planned, 4 organized, 2 errors, 1.23 s")


def test_report_counts_read_the_report_and_are_zero_without_one(tmp_path: Path) -> None:
    assert report_counts(tmp_path / "report.json") == (0, 0, 0)
    (tmp_path / "report.json").write_text(
        '{"schema": "jforg.report/1", "identification": {"identified": 7, "needs_review": 2, '
        '"unidentified": 1}, "plan": {"moves": 5, "skips": 1}, "more": []}')
    assert report_counts(tmp_path / "report.json") == (7, 2, 5)
