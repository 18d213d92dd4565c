"""Organize benchmark (make bench): 10 000 files of 1 KiB, journal against a bare rename loop.

The library is laid out like a real one: 5 000 movies in folders of their own
and 5 000 episodes, ten to a season folder. The plan and probe manifests are
written directly (as the stages would), so this measures organize alone.

Figures, all in the same run on the same files and destinations:
- ``move`` (renames on one filesystem) and ``hardlink``: the whole
  ``jforg organize`` command (interpreter start included) and the stage in
  this process, as operations per second;
- the journal's overhead: organize's in-process time over a bare loop that
  makes the same folders and renames the same files with ``os.rename``
  (target: at most 3x);
- ``rollback`` of the same move transaction: operations per second.
Nothing fails on time.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

import msgspec

from benchmarks.conftest import RecordFigure, jforg_argv, run_command
from pipeline.core.manifest import ManifestWriter, file_sha256
from pipeline.core.paths import to_wire
from pipeline.core.records import PLAN_SCHEMA, PROBE_SCHEMA, PlanEntry, ProbeRecord, ScanRecord
from pipeline.core.settings import Settings
from pipeline.organize import rollback as undo
from pipeline.organize import stage as organize

FILES = 10_000
ROUNDS = 3


def _pairs(root: Path, dest: Path) -> list[tuple[str, str]]:
    pairs = []
    for n in range(FILES // 2):
        title = f"Film Number {n:05d} ({1950 + n % 70})"
        pairs.append((f"{root}/incoming/films/{title}.mkv", f"{dest}/Movies/{title}/{title}.mkv"))
    for n in range(FILES // 2):
        show, season, episode = n // 100, n // 10 % 10 + 1, n % 10 + 1
        name = f"Show {show:03d} S{season:02d}E{episode:02d}.mkv"
        pairs.append((f"{root}/incoming/tv/{name}",
                      f"{dest}/Shows/Show {show:03d}/Season {season:02d}/{name}"))
    return pairs


def _write_library(work: Path, root: Path, dest: Path) -> list[tuple[str, str]]:
    pairs = _pairs(root, dest)
    for folder in {os.path.dirname(s) for s, _ in pairs}:
        os.makedirs(folder, exist_ok=True)
    block = os.urandom(1024)
    records = []
    for source, _ in pairs:
        with open(source, "wb") as handle:
            handle.write(block)
        st = os.stat(source)
        records.append(ScanRecord(path=to_wire(source), root=to_wire(str(root)), cls="video",
                                  size=st.st_size, mtime_ns=st.st_mtime_ns, inode=st.st_ino,
                                  device=st.st_dev))
    order = sorted(range(len(pairs)), key=lambda i: tuple(records[i].path.split("/")))
    with ManifestWriter[ProbeRecord](work / "probe.jsonl", PROBE_SCHEMA, {}) as writer:
        writer.write_all(ProbeRecord(scan=records[i]) for i in order)
    inputs = {"probe.jsonl": file_sha256(work / "probe.jsonl")}
    with ManifestWriter[PlanEntry](work / "plan.jsonl", PLAN_SCHEMA, inputs,
                                   dest=to_wire(str(dest))) as writer:
        writer.write_all(PlanEntry("move", "movie", source=records[i].path,
                                   destination=to_wire(pairs[i][1])) for i in order)
    return pairs


def _bare_loop(pairs: list[tuple[str, str]]) -> float:
    """The floor: the same folders made and the same renames, no journal, no checks."""
    start = time.perf_counter()
    made: set[str] = set()
    for source, target in pairs:
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        os.rename(source, target)
    elapsed = time.perf_counter() - start
    for source, target in pairs:  # put everything back for the next round
        os.rename(target, source)
    return elapsed


def _settings() -> Settings:
    base = Settings()
    return msgspec.structs.replace(base, organize=msgspec.structs.replace(base.organize,
                                                                          nfo=False))


def test_organize_10k_files_against_a_bare_rename_loop(
        benchmark, tmp_path: Path, record_figure: RecordFigure) -> None:
    work, root, dest = tmp_path / "work", tmp_path / "library", tmp_path / "dest"
    work.mkdir()
    pairs = _write_library(work, root, dest)
    steps = FILES + len({os.path.dirname(t) for _, t in pairs}) + 3  # files + new folders
    settings = _settings()
    bare, staged, undone = [], [], []
    for _ in range(ROUNDS):
        bare.append(_bare_loop(pairs))
        start = time.perf_counter()
        stats = organize.run(work, settings, organize.OrganizeOptions(mode="move"))
        staged.append(time.perf_counter() - start)
        assert stats.failed == 0 and stats.steps["move (rename)"] == FILES
        start = time.perf_counter()
        restored = undo.rollback(work, undo.find(work, None, last=True))
        undone.append(time.perf_counter() - start)
        assert restored.put_back == FILES and not restored.kept

    def whole_command(mode: str) -> float:
        elapsed, _ = run_command(jforg_argv("organize", "--work", str(work), "--mode", mode,
                                            "--no-nfo"))
        undo.rollback(work, undo.find(work, None, last=True))
        return elapsed

    moves = benchmark.pedantic(lambda: whole_command("move"), rounds=ROUNDS, iterations=1)
    links = statistics.median(whole_command("hardlink") for _ in range(ROUNDS))
    del moves
    command = benchmark.stats.stats.median
    floor, inner, back = (statistics.median(x) for x in (bare, staged, undone))
    record_figure("organize-overhead", inner / floor,
                  detail=f"10,000 files x 1 KiB, move on one filesystem: in-process "
                         f"{inner:.2f} s vs bare os.rename loop {floor:.2f} s; whole command "
                         f"{command:.2f} s ({steps / command:,.0f} steps/s)")
    record_figure("organize 10,000 files, hardlink, whole command", links, "s",
                  detail=f"{steps / links:,.0f} steps/s")
    record_figure("rollback of the 10,000-file move", back, "s",
                  detail=f"{steps / back:,.0f} steps/s")
