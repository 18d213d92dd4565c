"""Kill organize with SIGKILL at random moments: nothing is ever lost.

Each round starts ``jforg organize`` in a subprocess, waits until its journal
exists (the operations have begun), sleeps a random part of the time the
operations take, and kills it with SIGKILL. Then:
- every original file's content is still there — exactly once for a move on
  one filesystem (a rename is atomic), at most twice across filesystems (a
  verified copy whose source was not yet removed), intact in every case;
- alternately ``rollback --last`` gives back the original tree byte for byte,
  or a second ``organize`` finishes the transaction (then rollback restores).
``make test`` runs 60 kills; ``make test-slow`` 520. The trees live on a
tmpfs where one can be mounted: a SIGKILL tests the process dying, not the
disk, and fsync there costs nothing, so a round takes a fraction of a second.
"""

from __future__ import annotations

import collections
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.organize.journal import load
from tests.organize_helpers import (
    JFORG,
    Lib,
    build,
    files_below,
    replan,
    rollback_last,
    run,
    snapshot,
    tmpfs,
)


def _library() -> dict[str | bytes, int | bytes]:
    files: dict[str | bytes, int | bytes] = {}
    for n in range(60):
        movie = f"Film {n:02d} ({1960 + n})"
        files[f"Films/{movie}/{movie}.mkv"] = 2048 + n
        if n % 3 == 0:
            files[f"Films/{movie}/{movie}.en.srt"] = 300 + n
    for season in (1, 2):
        for episode in range(1, 16):
            files[f"TV/Show {season}/Season {season}/Show.{season}.S0{season}E{episode:02d}.mkv"] \
                = 1500 + episode
    return files


def _contents(lib: Lib) -> collections.Counter[str]:
    seen = collections.Counter(snapshot(lib.root).values())
    if lib.dest.exists():
        seen.update(v for k, v in snapshot(lib.dest).items()
                    if not k.endswith(b".nfo") and b".jforg-" not in k)
    return seen


def _has_intents(journals: Path, known: set[Path]) -> bool:
    new = set(journals.iterdir()) - known if journals.is_dir() else set()
    for path in new:
        if path.name.startswith("."):
            continue  # a journal still being created aside
        try:
            if path.read_bytes().count(b"\n") >= 2:
                return True
        except FileNotFoundError:
            continue
    return False


def _kill_once(lib: Lib, mode: str, rng: random.Random, window: float) -> bool:
    """Start organize, kill it mid-operations; True when it was killed, not finished."""
    journals = lib.work / "journal"
    known = set(journals.iterdir()) if journals.is_dir() else set()
    proc = subprocess.Popen([str(JFORG), "organize", "--mode", mode, "--work", str(lib.work)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    # Aim at the operations: wait for the first intents (a line after the header).
    while time.monotonic() < deadline and proc.poll() is None and not _has_intents(
            journals, known):
        time.sleep(0.0005)
    time.sleep(rng.uniform(0, window))
    proc.send_signal(signal.SIGKILL)
    return proc.wait() == -signal.SIGKILL


def _in_flight(lib: Lib) -> int:
    """Steps the killed run's journal left without an outcome."""
    newest = max((lib.work / "journal").iterdir(), default=None) \
        if (lib.work / "journal").is_dir() else None
    return len(load(newest).in_flight()) if newest is not None else 0


def _crash_rounds(lib: Lib, mode: str, kills: int, seed: int, *, across: bool = False) -> int:
    rng = random.Random(seed)
    original = snapshot(lib.root)
    expected = collections.Counter(original.values())
    planned = len(original)  # every file of this library is planned as a move
    start = time.monotonic()
    full = run(lib, mode=mode)  # one whole run in this process: how long the steps take
    window = max(0.005, 1.5 * (time.monotonic() - start))
    assert full.failed == 0
    assert not rollback_last(lib).kept
    assert snapshot(lib.root) == original
    killed = rounds = mid_step = 0
    while killed < kills and rounds < kills * 4:
        rounds += 1
        if across:
            replan(lib)  # copied back, the sources have new inodes
        if not _kill_once(lib, mode, rng, window):
            assert not rollback_last(lib).kept
            continue
        killed += 1
        mid_step += _in_flight(lib) > 0
        seen = _contents(lib)
        for digest, count in expected.items():
            if mode == "move" and not across:
                assert seen[digest] == count, f"round {rounds}: a file is not exactly once"
            else:
                assert count <= seen[digest] <= 2 * count, f"round {rounds}: a file was lost"
        # What the next run does is this same code in this process (a fresh
        # interpreter per round would only add start-up time).
        if killed % 2:
            done = run(lib, mode=mode)
            assert done.failed == 0, done.examples
            if mode == "move":
                assert files_below(lib.root) == [], f"round {rounds}: organize did not finish"
            assert len([p for p in files_below(lib.dest) if not p.endswith(b".nfo")]) == planned
        back = rollback_last(lib)
        assert not back.kept, back.kept
        assert snapshot(lib.root) == original, f"round {rounds}: the tree did not come back"
        assert files_below(lib.dest) == [], f"round {rounds}: rollback left files behind"
    print(f"{mode}{' across filesystems' if across else ''}: {killed} kills in {rounds} runs, "
          f"{mid_step} with a step in flight")  # the counts, for `pytest -s`
    assert killed == kills, f"only {killed} of {rounds} runs were killed before they finished"
    # Aimed at the operations: a good share of kills land while steps are in flight
    # (renames take microseconds, so most land between batches or after them).
    assert mid_step >= kills // 10, f"only {mid_step} of {killed} kills hit a step in flight"
    return killed


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Lib]:
    with tmpfs(tmp_path / "fs", "64m", required=False) as place:
        yield build(place, _library())


def test_moves_killed_at_random_moments_lose_nothing(lib: Lib) -> None:
    assert _crash_rounds(lib, "move", kills=40, seed=1) == 40


def test_copies_killed_at_random_moments_lose_nothing(lib: Lib) -> None:
    assert _crash_rounds(lib, "copy", kills=10, seed=2) == 10


def test_moves_across_filesystems_killed_at_random_moments_lose_nothing(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "fs", "64m", required=False) as place, \
            tmpfs(tmp_path / "other", "64m") as other:
        lib = build(place, _library(), dest=other / "dest")
        assert _crash_rounds(lib, "move", kills=10, seed=3, across=True) == 10


@pytest.mark.slow
def test_five_hundred_kills_lose_nothing(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "fs", "64m", required=False) as place:
        lib = build(place / "one", _library())
        killed = _crash_rounds(lib, "move", kills=360, seed=11)
        killed += _crash_rounds(lib, "copy", kills=80, seed=12)
        with tmpfs(tmp_path / "other", "64m") as other:
            across = build(place / "two", _library(), dest=other / "dest")
            killed += _crash_rounds(across, "move", kills=80, seed=13, across=True)
    assert killed == 520
