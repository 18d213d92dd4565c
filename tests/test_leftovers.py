"""What interrupted and piped runs leave behind: nothing.

A run killed with SIGKILL can't clean up; the next run that takes the work
folder's lock removes its temporaries and says so once. A reader that closes
the pipe early (``| head``) stops the output, never the work.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipeline.core.workdir import WorkLock, sweep_leftovers
from tests.conftest import MakeTree

JFORG = Path(sys.executable).with_name("jforg")


def _touch(path: Path, mtime_ns: int) -> None:
    path.write_bytes(b"x")
    os.utime(path, ns=(mtime_ns, mtime_ns))


def test_taking_the_lock_removes_leftovers_of_dead_runs_and_nothing_else(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    old, new = 1_700_000_000_000_000_000, 1_800_000_000_000_000_000
    _touch(work / "probe.jsonl", new)
    leftovers = [".probe.jsonl.4242.tmp", ".report.html.17.tmp", ".scan.part-4242-3",
                 "probe.partial.4242-a1b2c3.jsonl"]
    for name in leftovers:
        _touch(work / name, old)
    # A checkpoint newer than probe.jsonl is what the next probe resumes from.
    _touch(work / "probe.partial.4343-d4e5f6.jsonl", new + 1)
    keep = [".DS_Store", "notes.tmp", ".hidden", "my.partial.list.jsonl", "Heat (1995).mkv"]
    for name in keep:
        _touch(work / name, old)
    with WorkLock(work) as lock:
        assert sorted(lock.swept) == sorted(leftovers)
    assert sorted(p.name for p in work.iterdir()) == sorted(
        [".jforg.lock", "probe.jsonl", "probe.partial.4343-d4e5f6.jsonl", *keep])
    assert sweep_leftovers(work) == []


def test_a_probe_killed_with_sigkill_leaves_nothing_the_next_run_keeps(
        make_tree: MakeTree, tmp_path: Path) -> None:
    names = {f"Show Name {n // 20}/Season 1/Show.Name.S01E{n % 20 + 1:02d}.720p.mkv": 0
             for n in range(600)}
    library = make_tree(names)
    work = tmp_path / "work"
    env = dict(os.environ)
    assert subprocess.run([str(JFORG), "scan", str(library), "--work", str(work)], env=env,
                          capture_output=True, check=False).returncode == 0
    probe = subprocess.Popen([str(JFORG), "probe", "--work", str(work), "--jobs", "1"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(work.glob("probe.partial.*.jsonl")) and time.monotonic() < deadline:
        time.sleep(0.01)
    probe.send_signal(signal.SIGKILL)
    probe.wait()
    left = sorted(p.name for p in work.iterdir() if p.name.endswith(".tmp"))
    assert left and left[0].startswith(".probe.jsonl."), left  # what a killed run leaves
    again = subprocess.run([str(JFORG), "probe", "--work", str(work)], env=env,
                           capture_output=True, text=True, check=False)
    assert again.returncode == 1, again.stderr  # zero-byte videos are "empty" errors
    assert again.stderr.count("leftover file(s) of an interrupted run") == 1
    assert left[0] in again.stderr
    assert not [p for p in work.iterdir() if p.name.endswith(".tmp")]
    assert not list(work.glob("probe.partial.*"))  # the finished probe removed its checkpoint
    third = subprocess.run([str(JFORG), "probe", "--work", str(work)], env=env,
                           capture_output=True, text=True, check=False)
    assert "leftover" not in third.stderr


def test_a_reader_that_closes_the_pipe_early_stops_the_output_not_the_run(
        make_tree: MakeTree, tmp_path: Path) -> None:
    library = make_tree({f"Film.Number.{n}.20{n % 20 + 10}.1080p.BluRay.x264-GRP.mkv": 0
                         for n in range(300)})
    reference = subprocess.run([str(JFORG), "run", str(library), "--work",
                                str(tmp_path / "reference")], capture_output=True, check=False)
    work = tmp_path / "work"
    run = subprocess.Popen([str(JFORG), "run", str(library), "--work", str(work)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert run.stdout is not None and run.stderr is not None
    first = run.stdout.readline()  # the scan's line; the probe has hundreds of names to go
    run.stdout.close()  # like `| head -1`
    err = run.stderr.read().decode()
    run.stderr.close()
    assert run.wait(timeout=300) == reference.returncode == 1  # zero-byte files fail probe
    assert first.startswith(b"scan: 300 files")
    assert "Broken pipe" not in err and "BrokenPipeError" not in err, err
    assert "Exception ignored" not in err and "internal error" not in err, err
    for manifest in ("scan.jsonl", "probe.jsonl", "enrich.jsonl", "report.json"):
        assert (work / manifest).is_file(), manifest
    assert (work / "probe.jsonl").read_bytes().count(b"\n") == 301
