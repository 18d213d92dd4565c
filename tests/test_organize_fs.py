"""organize across two filesystems, onto a full disk, into read-only folders, under signals.

The second filesystem is a small tmpfs mounted for the test (root only: CI
runs as root; elsewhere these tests skip and say why).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.core.errors import JforgError, UsageError
from pipeline.organize.journal import load, transactions
from tests.organize_helpers import (
    JFORG,
    LIBRARY,
    Lib,
    build,
    files_below,
    jforg,
    run,
    snapshot,
    tmpfs,
)


@pytest.fixture
def other_fs(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "other", "64m") as mount:
        yield mount


@pytest.fixture
def across(tmp_path: Path, other_fs: Path) -> Lib:
    return build(tmp_path, dest=other_fs / "dest")


def test_a_move_across_filesystems_copies_verifies_then_removes_the_source(across: Lib) -> None:
    before = snapshot(across.root)
    mtime = os.stat(across.root / "Films/Heat (1995)/Heat (1995).mkv").st_mtime_ns
    stats = run(across)
    assert stats.failed == 0 and stats.steps["move (copy)"] == 10
    heat = across.dest / "Movies/Heat (1995)/Heat (1995).mkv"
    assert os.stat(heat).st_mtime_ns == mtime
    assert files_below(across.root) == [b"Downloads/readme.txt"]
    moved = sorted(v for k, v in before.items() if k != b"Downloads/readme.txt")
    placed = snapshot(across.dest)
    assert sorted(v for k, v in placed.items() if not k.endswith(b".nfo")) == moved
    assert not [p for p in files_below(across.dest) if b".jforg-" in p]


def test_rollback_across_filesystems_copies_back_the_original_tree(across: Lib) -> None:
    before = snapshot(across.root)
    run(across)
    result = jforg(across, "rollback", "--last")
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(across.root) == before
    assert not across.dest.exists()


def test_hardlinks_across_filesystems_are_refused_before_any_change(across: Lib) -> None:
    with pytest.raises(UsageError, match="a hard link can't cross devices"):
        run(across, mode="hardlink")
    assert not across.dest.exists() and len(files_below(across.root)) == len(LIBRARY)


def test_hardlink_or_copy_copies_across_filesystems(across: Lib) -> None:
    stats = run(across, mode="hardlink-or-copy")
    assert stats.steps.get("copy") == 10 and "hardlink" not in stats.steps
    assert len(files_below(across.root)) == len(LIBRARY)


def test_a_full_disk_mid_run_loses_nothing_and_the_next_run_finishes(tmp_path: Path) -> None:
    files: dict[str | bytes, int | bytes] = {
        f"Films/Movie Number {n} (20{10 + n})/Movie Number {n} (20{10 + n}).mkv": 150_000
        for n in range(8)}
    with tmpfs(tmp_path / "small", "2m") as small:
        lib = build(tmp_path, files, dest=small / "dest")
        before = snapshot(lib.root)
        filler = small / "filler"

        def fill_after_first(done: int, size: int) -> None:
            if done >= 1 and not filler.exists():  # someone else fills the disk meanwhile
                with open(filler, "wb") as handle:
                    handle.write(b"\0" * (1_700_000))

        from pipeline.organize import stage as organize
        from tests.organize_helpers import quiet_settings

        settings = quiet_settings()
        with pytest.raises(JforgError, match="no space left on the destination; nothing was "
                                             "lost") as stopped:
            organize.run(lib.work, settings, organize.OrganizeOptions.from_settings(settings),
                         tick=fill_after_first)
        assert stopped.value.exit_code == 1
        txn = load(next(transactions(lib.work)))
        assert txn.state == "interrupted" and not txn.in_flight()
        # Every file is whole at its source or its destination; no temporary is left.
        everywhere = {**snapshot(lib.root), **{b"dest/" + k: v for k, v in
                                                 snapshot(lib.dest).items()}}
        assert sorted(v for k, v in everywhere.items() if not k.endswith(b".nfo")) == \
            sorted(before.values())
        assert not [p for p in files_below(small) if b".jforg-" in p]
        filler.unlink()
        finished = run(lib)
        assert finished.resumed == txn.id and finished.failed == 0
        assert files_below(lib.root) == []
        assert load(next(transactions(lib.work))).state == "committed"


def test_a_read_only_folder_is_an_error_for_its_files_only(tmp_path: Path) -> None:
    lib = build(tmp_path)
    locked = lib.dest / "Movies/Heat (1995)"
    with tmpfs(locked, "1m"):
        subprocess.run(["mount", "-o", "remount,ro", str(locked)], check=True)
        stats = run(lib)
        assert set(stats.failures) == {"read_only"}, stats.examples
        assert (lib.root / "Films/Heat (1995)/Heat (1995).mkv").is_file()
        assert (lib.dest / "Shows/Lost/Season 02/Lost S02E01.mkv").is_file()


def test_a_read_only_destination_is_refused_before_any_change(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "1m") as mount:
        lib = build(tmp_path, dest=mount / "dest")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        with pytest.raises(UsageError, match="the destination is not writable"):
            run(lib)
        assert len(files_below(lib.root)) == len(LIBRARY)


def test_sigterm_finishes_the_step_and_the_next_organize_completes(tmp_path: Path) -> None:
    files: dict[str | bytes, int | bytes] = {
        f"Films/Film {n:03d} ({1950 + n % 70})/Film {n:03d} ({1950 + n % 70}).mkv": 262_144
        for n in range(300)}
    lib = build(tmp_path, files)
    before = snapshot(lib.root)
    proc = subprocess.Popen([str(JFORG), "organize", "--mode", "copy", "--work", str(lib.work)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    first = lib.dest / "Movies/Film 000 (1950)/Film 000 (1950).mkv"
    # Signal while copies are under way: the first one has landed, the rest have not.
    while time.monotonic() < deadline and not first.exists():
        time.sleep(0.002)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, out + err
    assert "interrupted" in err
    txn = load(next(transactions(lib.work)))
    assert txn.state == "interrupted" and not txn.in_flight()
    done = sum(1 for op in txn.ops if op.state == "done" and op.intent.action == "copy")
    assert 0 < done < 300  # it stopped partway, after finishing a step
    assert snapshot(lib.root) == before  # copy mode: the sources are untouched
    other_mode = jforg(lib, "organize", "--mode", "move")
    assert other_mode.returncode == 2 and "--mode copy to finish it" in other_mode.stderr
    again = jforg(lib, "organize", "--mode", "copy")
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"finished the interrupted transaction {txn.id}" in again.stdout
    assert len([p for p in files_below(lib.dest) if p.endswith(b".mkv")]) == 300
