"""The real `jforg` command in a subprocess: exit codes, one-line errors, signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, MakeTree, jforg_cmd
from tests.processes import children_of

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.mark.parametrize("command", [[], ["scan"], ["run"]])
def test_every_command_has_help(run_jforg: Run, command: list[str]) -> None:
    result = run_jforg(*command, "--help")
    assert result.returncode == 0
    assert "--work" in result.stdout and "--config" in result.stdout


def test_version_prints_the_package_version(run_jforg: Run) -> None:
    from pipeline import __version__

    result = run_jforg("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"jforg {__version__}")


def test_scan_writes_the_manifest_and_prints_the_summary(
    run_jforg: Run, make_tree: MakeTree, tmp_path: Path
) -> None:
    lib = make_tree({"Heat (1995)/Heat (1995).mkv": 100, "Heat (1995)/Heat.en.srt": "x"})
    result = run_jforg("scan", str(lib), "--work", str(tmp_path / "w"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("scan: 2 files (video 1, subtitle 1), 101 B, 0 errors")
    assert (tmp_path / "w" / "scan.jsonl").is_file()


# What `jforg scan` must not import: its start-up is the floor of every run.
NOT_FOR_SCAN = ("yaml", "multiprocessing", "concurrent.futures", "joblib", "rich", "guessit",
                "pymediainfo", "requests", "pipeline.probe", "pipeline.enrich", "pipeline.report",
                "pipeline.plan", "pipeline.organize", "pipeline.scan.forked")


def test_scan_of_an_empty_folder_imports_only_what_it_needs(make_tree: MakeTree,
                                                             tmp_path: Path) -> None:
    empty = make_tree({})
    env = {k: v for k, v in os.environ.items() if k != "JFORG_CONFIG"}  # no config file
    code = ("import sys; from pipeline.cli import main; code = main(sys.argv[1:]); "
            "print(code, *sorted(sys.modules), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code, "scan", str(empty), "--work",
                             str(tmp_path / "w")], capture_output=True, text=True, env=env,
                            cwd=REPO, check=True)
    assert result.stdout.startswith("scan: 0 files (none)")
    code_and_modules = result.stderr.split()
    assert code_and_modules[0] == "0"
    loaded = [m for m in code_and_modules[1:]
              if any(m == bad or m.startswith(bad + ".") for bad in NOT_FOR_SCAN)]
    assert loaded == []


def test_item_errors_give_exit_1_and_are_listed(run_jforg: Run, make_tree: MakeTree,
                                                tmp_path: Path) -> None:
    lib = make_tree({"ok.mkv": 1})
    os.symlink(lib / "gone.mkv", lib / "dangling.mkv")
    result = run_jforg("scan", str(lib), "--work", str(tmp_path / "w"))
    assert result.returncode == 1
    assert "1 errors" in result.stdout
    assert f"error: {lib}/dangling.mkv: broken_symlink" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "/no/such/library"], "/no/such/library: library root does not exist"),
        (["scan", "."], None),  # replaced below by a bad config
        (["scan", "--min-size", "lots", "."], "invalid int value"),
        ([], "required"),
    ],
)
def test_usage_and_config_errors_give_exit_2_and_one_line(
    run_jforg: Run, tmp_path: Path, args: list[str], message: str | None
) -> None:
    if message is None:
        bad = tmp_path / "bad.yaml"
        bad.write_text("scan:\n  colour: blue\n")
        args = ["scan", str(tmp_path), "--config", str(bad)]
        message = f"{bad}: unknown key 'scan.colour'"
    result = run_jforg(*args, "--work", str(tmp_path / "w"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert message in lines[-1] and "Traceback" not in result.stderr
    if "usage:" not in result.stderr:  # ours, not argparse's usage block
        assert len(lines) == 1


def test_debug_adds_the_traceback(run_jforg: Run, tmp_path: Path) -> None:
    result = run_jforg("scan", "/no/such/library", "--debug", "--work", str(tmp_path / "w"))
    assert result.returncode == 2 and "Traceback" in result.stderr


def test_config_file_then_flags_decide_what_is_scanned(
    run_jforg: Run, make_tree: MakeTree, tmp_path: Path
) -> None:
    lib = make_tree({"small.srt": 10, "big.mkv": 1000, "x.part": 5000})
    config = tmp_path / "c.yaml"
    config.write_text("scan:\n  min_size: 100\n  exclude: ['*.part']\n")
    work = str(tmp_path / "w")
    from_file = run_jforg("scan", str(lib), "--work", work, "--config", str(config))
    assert from_file.stdout.startswith("scan: 1 files (video 1)")
    from_flag = run_jforg("scan", str(lib), "--work", work, "--min-size", "5",
                          env={"JFORG_CONFIG": str(config)})
    assert from_flag.stdout.startswith("scan: 2 files (video 1, subtitle 1)")


def test_the_work_folder_defaults_to_jforg_work(run_jforg: Run, make_tree: MakeTree,
                                                tmp_path: Path) -> None:
    lib = make_tree({"a.mkv": 1})
    result = run_jforg("scan", str(lib), env={"JFORG_WORK": str(tmp_path / "envwork")})
    assert result.returncode == 0
    assert (tmp_path / "envwork" / "scan.jsonl").is_file()


def test_run_without_a_work_flag_uses_a_per_library_folder(run_jforg: Run, make_tree: MakeTree,
                                                           tmp_path: Path) -> None:
    lib = make_tree({"notes.txt": 1})
    result = run_jforg("run", str(lib), env={"XDG_STATE_HOME": str(tmp_path / "st")})
    assert result.returncode == 0, result.stderr
    manifests = list((tmp_path / "st" / "jforg").glob("*/scan.jsonl"))
    assert len(manifests) == 1 and manifests[0].parent.name.startswith(lib.name + "-")


def test_a_second_run_on_a_locked_work_folder_exits_3(run_jforg: Run, make_tree: MakeTree,
                                                      tmp_path: Path) -> None:
    lib = make_tree({"a.mkv": 1})
    work = tmp_path / "w"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from pathlib import Path; from pipeline.core.workdir import WorkLock;"
         "WorkLock(Path(sys.argv[1])).__enter__(); print('locked', flush=True); time.sleep(60)",
         str(work)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = run_jforg("scan", str(lib), "--work", str(work))
        assert result.returncode == 3
        assert "another jforg run holds this work folder" in result.stderr
        assert f"pid {holder.pid}" in result.stderr
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    after = run_jforg("scan", str(lib), "--work", str(work))
    assert after.returncode == 0
    assert "took over a stale lock" in after.stderr


@pytest.fixture(scope="module")
def big_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 000 empty files: long enough to be interrupted mid-walk."""
    root = tmp_path_factory.mktemp("big")
    for d in range(600):
        folder = root / f"Show {d:03d}" / "Season 01"
        folder.mkdir(parents=True)
        for e in range(100):
            os.close(os.open(folder / f"Show {d:03d} S01E{e:02d}.mkv", os.O_CREAT | os.O_WRONLY))
    return root


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_mid_scan_exits_130_and_changes_nothing(
    run_jforg: Run, big_library: Path, make_tree: MakeTree, tmp_path: Path, signum: int
) -> None:
    work = tmp_path / "w"
    small = make_tree({"a.mkv": 1})
    assert run_jforg("scan", str(small), "--work", str(work)).returncode == 0
    before = (work / "scan.jsonl").read_bytes()

    env = {**os.environ, "JFORG_PROGRESS_INTERVAL": "0"}
    child = subprocess.Popen(jforg_cmd("scan", str(big_library), "--work", str(work)),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=REPO, env=env)
    assert child.stderr is not None
    first = child.stderr.readline()  # a plain progress line: the walk is under way
    assert first.startswith("scan: ") and " files, " in first
    workers = children_of(child.pid)
    assert workers, "the scan should be walking in worker processes"
    child.send_signal(signum)
    _, err = child.communicate(timeout=10)
    assert child.returncode == 130, err
    for pid in workers:  # no orphan left walking
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert "interrupted" in err and "Traceback" not in err
    assert (work / "scan.jsonl").read_bytes() == before
    assert sorted(p.name for p in work.iterdir()) == [".jforg.lock", "scan.jsonl"]

    again = run_jforg("scan", str(big_library), "--work", str(work))
    assert again.returncode == 0
    assert "stale" not in again.stderr  # the interrupted run released its lock
    assert again.stdout.startswith("scan: 60000 files")


@pytest.fixture(scope="module")
def many_videos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 400 zero-byte videos: a few seconds of guessit, long enough to interrupt."""
    root = tmp_path_factory.mktemp("videos")
    for show in range(60):
        folder = root / f"Show {show:02d} (20{show % 25:02d})" / "Season 01"
        folder.mkdir(parents=True)
        for episode in range(40):
            name = f"Show.{show:02d}.S01E{episode:02d}.720p.WEB-DL.x264-GRP.mkv"
            os.close(os.open(folder / name, os.O_CREAT | os.O_WRONLY))
    return root


def test_ctrl_c_mid_probe_keeps_finished_batches_and_leaves_no_worker(
    run_jforg: Run, many_videos: Path, tmp_path: Path
) -> None:
    work = tmp_path / "w"
    assert run_jforg("scan", str(many_videos), "--work", str(work)).returncode == 0
    env = {**os.environ, "JFORG_PROGRESS_INTERVAL": "0"}
    child = subprocess.Popen(jforg_cmd("probe", "--work", str(work), "--jobs", "2"),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=REPO, env=env)
    assert child.stderr is not None
    for _ in range(3):  # a few batches done
        line = child.stderr.readline()
        assert line.startswith("probe: "), line
    workers = _descendants(child.pid)
    assert workers, "the probe should run in worker processes"
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=20)
    assert child.returncode == 130, err
    assert not (work / "probe.jsonl").exists()
    assert list(work.glob("probe.partial.*.jsonl"))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "worker processes outlived the run"

    resumed = run_jforg("probe", "--work", str(work), "--jobs", "2")
    assert resumed.returncode == 1  # zero-byte videos are "empty": done, with failed items
    reused = int(resumed.stdout.split(" probed, ")[1].split(" reused")[0])
    assert reused >= 64
    assert not list(work.glob("probe.partial.*"))


def _descendants(pid: int) -> list[int]:
    found = children_of(pid)
    for child in list(found):
        found += _descendants(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_verify_lists_violations_and_strict_makes_them_an_exit_1(
    run_jforg: Run, make_tree: MakeTree
) -> None:
    library = make_tree({"Shows/Lost/S1/Lost S01E01.mkv": 0,
                         "Movies/Heat (1995)/Heat (1995).mkv": 0})
    plain = run_jforg("verify", str(library))
    assert plain.returncode == 0
    assert "season-folder-name: " in plain.stdout
    strict = run_jforg("verify", str(library), "--strict", "--json")
    assert strict.returncode == 1
    import json

    rules = {v["rule"] for v in json.loads(strict.stdout)}
    assert "season-folder-name" in rules
    clean = make_tree({"Movies/Heat (1995)/Heat (1995).mkv": 0})
    assert run_jforg("verify", str(clean), "--strict").returncode == 0
    assert run_jforg("verify", str(clean / "nope")).returncode == 2
