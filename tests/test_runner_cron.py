"""`jforg run` for cron: unchanged stages are skipped and say so, one summary line, a log."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from pipeline import runner
from pipeline.core.settings import Settings
from tests.conftest import MakeTree

RunJforg = Callable[..., subprocess.CompletedProcess[str]]

LIBRARY: dict[str, str | int] = {
    "Movies/Heat (1995)/Heat (1995).mkv": 0,  # zero bytes: probe lists it as failed
    "Movies/Heat (1995)/Heat (1995).en.srt": "1\n00:00:01,000 --> 00:00:02,000\nHi\n",
    "Shows/Lost/Season 1/Lost.S01E01.Pilot.mkv": 0,
    "Books/Ann Leckie - Ancillary Justice (2013).epub": "not really a book",
    "notes.txt": "x",
}
SKIPPED = ["scan: unchanged", "probe: unchanged", "enrich: unchanged", "verify: unchanged",
           "plan: unchanged", "report: unchanged"]
SUMMARY = re.compile(r"run: (?P<files>[\d,]+) files, (?P<new>[\d,]+) new, "
                     r"(?P<changed>[\d,]+) changed, (?P<identified>[\d,]+) identified, "
                     r"(?P<review>[\d,]+) need review, (?P<planned>[\d,]+) planned, "
                     r"(?P<organized>[\d,]+) organized, (?P<errors>[\d,]+) errors, "
                     r"(?P<elapsed>[\d.]+) s")


def _settings(tmp_path: Path, **run: int) -> Settings:
    base = Settings()
    return msgspec.structs.replace(
        base, scan=msgspec.structs.replace(base.scan, jobs=1),
        probe=msgspec.structs.replace(base.probe, jobs=1),
        cache=msgspec.structs.replace(base.cache, path=str(tmp_path / "cache")),
        run=msgspec.structs.replace(base.run, **run))


class Run(msgspec.Struct):
    lines: list[str]
    code: int

    @property
    def summary(self) -> dict[str, str]:
        match = SUMMARY.fullmatch(self.lines[-1])
        assert match is not None, self.lines[-1]
        return match.groupdict()

    def ran(self, stage: str) -> bool:
        return any(line.startswith(f"{stage}: ") and line != f"{stage}: unchanged"
                   for line in self.lines)


def run_in_process(library: Path, work: Path, settings: Settings, **flags: object) -> Run:
    out, err = io.StringIO(), io.StringIO()
    flags.setdefault("offline", True)
    ctx = runner.Context(work=work, settings=settings, out=out, err=err,
                         **flags)  # type: ignore[arg-type]
    results = runner.run_pipeline(ctx, [str(library)])
    return Run(out.getvalue().splitlines(), max(r.exit_code for r in results))


class Cron:
    """The same nightly command over one library, again and again."""

    def __init__(self, library: Path, tmp_path: Path) -> None:
        self.library = library
        self.work = tmp_path / "work"
        self.dest = tmp_path / "dest"
        self.settings = _settings(tmp_path)

    def __call__(self, **flags: object) -> Run:
        flags.setdefault("dest", str(self.dest))
        return run_in_process(self.library, self.work, self.settings, **flags)


@pytest.fixture
def cron(make_tree: MakeTree, tmp_path: Path) -> Cron:
    return Cron(make_tree(LIBRARY), tmp_path)


def test_an_unchanged_rerun_skips_every_stage_after_scan_and_says_so_in_one_word(
        cron: Cron) -> None:
    first = cron()
    scan_bytes = (cron.work / "scan.jsonl").read_bytes()
    second = cron()
    assert second.lines[:-1] == SKIPPED
    # The scan walked again, found the same records, and kept last night's file.
    assert (cron.work / "scan.jsonl").read_bytes() == scan_bytes
    assert second.summary["files"] == first.summary["files"] == "5"
    assert second.summary["new"] == "0" and second.summary["changed"] == "0"
    for key in ("identified", "review", "planned", "errors"):
        assert second.summary[key] == first.summary[key], key
    assert first.summary["new"] == "5"
    # The failures are still there, so cron sees the same exit code.
    assert first.code == second.code == 1
    assert int(first.summary["errors"]) >= 1


def test_a_new_file_reruns_the_stages_and_is_counted(cron: Cron) -> None:
    cron()
    (cron.library / "Movies" / "Alien (1979).mkv").write_bytes(b"")
    after = cron()
    assert after.lines[0].startswith("scan: 6 files")
    assert "  since the last scan: 1 new, 0 changed, 0 gone" in after.lines
    assert all(after.ran(stage) for stage in ("probe", "enrich", "verify", "plan", "report"))
    assert after.summary["new"] == "1" and after.summary["changed"] == "0"
    assert cron().lines[:-1] == SKIPPED


def test_a_file_that_changed_size_or_went_away_is_counted(cron: Cron) -> None:
    cron()
    (cron.library / "notes.txt").write_text("a longer note")
    (cron.library / "Books" / "Ann Leckie - Ancillary Justice (2013).epub").unlink()
    after = cron()
    assert "  since the last scan: 0 new, 1 changed, 1 gone" in after.lines
    assert after.summary["changed"] == "1" and after.summary["files"] == "4"


def test_a_flag_only_the_plan_reads_reruns_the_plan_and_what_reads_it(cron: Cron) -> None:
    cron()
    after = cron(dest=str(cron.dest) + "-elsewhere")
    assert after.lines[:4] == SKIPPED[:4]
    assert after.ran("plan") and after.ran("report")
    assert cron(dest=str(cron.dest) + "-elsewhere", accept="low").ran("plan")


def test_going_online_reruns_enrich(cron: Cron) -> None:
    cron()
    # Online, but only TMDB, which has no key here: nothing reaches the network.
    after = cron(offline=False, providers=("tmdb",))
    assert after.lines[:2] == SKIPPED[:2]
    assert after.ran("enrich")


def test_force_probes_again(cron: Cron) -> None:
    cron()
    assert cron(force=True).ran("probe")


def test_a_stage_run_alone_in_between_is_not_trusted_by_the_next_run(
        cron: Cron, run_jforg: RunJforg) -> None:
    cron()
    alone = run_jforg("plan", "--work", str(cron.work), "--dest", str(cron.dest) + "-by-hand")
    assert alone.returncode == 0, alone.stderr
    after = cron()
    assert after.lines[:4] == SKIPPED[:4]
    # plan.jsonl is not the one the ledger knows: the nightly plan is made again.
    assert after.ran("plan")


def test_a_damaged_output_is_made_again(cron: Cron) -> None:
    cron()
    (cron.work / "verify.json").write_text("{}")
    after = cron()
    assert after.ran("verify")


def test_the_run_appends_to_the_days_log_in_the_work_folder(cron: Cron) -> None:
    cron()
    second = cron()
    log = cron.work / "logs" / f"jforg-{dt.date.today().isoformat()}.log"
    text = log.read_text()
    assert text.count(" run ") >= 2 and text.count("(pid ") == 2
    stamped = [line.split(" ", 1) for line in text.splitlines()]
    assert all(re.fullmatch(r"\d\d:\d\d:\d\d", stamp) for stamp, _ in stamped)
    logged = [rest for _, rest in stamped]
    assert second.lines[-1] in logged and all(line in logged for line in SKIPPED)


def test_log_days_zero_writes_no_log(make_tree: MakeTree, tmp_path: Path) -> None:
    library = make_tree({"a.mkv": 0})
    run_in_process(library, tmp_path / "w", _settings(tmp_path, log_days=0))
    assert not (tmp_path / "w" / "logs").exists()


def test_the_cli_run_holds_the_lock_logs_and_ends_with_the_summary(
        make_tree: MakeTree, tmp_path: Path, run_jforg: RunJforg) -> None:
    library = make_tree({"Heat (1995).mkv": 0})
    work = tmp_path / "w"
    first = run_jforg("run", str(library), "--work", str(work))
    again = run_jforg("run", str(library), "--work", str(work))
    assert first.returncode == again.returncode == 1, first.stderr
    assert SUMMARY.fullmatch(again.stdout.splitlines()[-1])
    assert again.stdout.splitlines()[:-1] == ["scan: unchanged", "probe: unchanged",
                                              "enrich: unchanged", "verify: unchanged",
                                              "report: unchanged"]
    assert len(os.listdir(work / "logs")) == 1


def test_a_nightly_organize_applies_the_plan_once_then_says_unchanged(cron: Cron) -> None:
    from pipeline.organize.stage import OrganizeOptions

    # Hard links leave the library as it was, as configs/nightly.yaml does for seeding files.
    options = OrganizeOptions.from_settings(cron.settings, dest=str(cron.dest), mode="hardlink")
    first = cron(organize=options)
    assert any(line.startswith("organize: transaction ") for line in first.lines)
    assert int(first.summary["organized"]) == int(first.summary["planned"]) > 0
    assert (cron.dest / "Movies" / "Heat (1995)" / "Heat (1995).mkv").is_file()
    second = cron(organize=options)
    assert second.lines[:-1] == [*SKIPPED[:5], "organize: unchanged", "report: unchanged"]
    assert second.summary["organized"] == "0"


def test_options_before_the_command_count_as_in_the_crontab_line(
        make_tree: MakeTree, tmp_path: Path, run_jforg: RunJforg) -> None:
    library = make_tree({"Heat (1995).mkv": 0})
    config = tmp_path / "nightly.yaml"
    config.write_text(f"enrich:\n  offline: true\ncache:\n  path: {tmp_path / 'cache'}\n"
                      "run:\n  log_days: 0\n")
    work = tmp_path / "w"
    result = run_jforg("--config", str(config), "--work", str(work), "run", str(library))
    assert result.returncode == 1, result.stderr
    assert (work / "scan.jsonl").is_file()  # --work was not lost to run's own default
    assert not (work / "logs").exists()  # nor --config: its log_days 0 wrote no log
