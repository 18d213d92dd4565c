"""Dead-file benchmarks (make bench): what an unfinished download costs the probe.

(a) classifying one 4 GiB sparse file (``.mkv``, ``.m4b``) with
    ``probe_one`` — name parse, head and tail read, sniff — against MediaInfo
    alone on the same file, as the probe called it before it sniffed (goal
    < 50 ms per file; the baseline is capped at ``BASELINE_CAP_S``);
(b) the whole ``jforg probe`` command over a generated library in its
    default sparse form (every file a preallocated hole of a realistic
    size): files per second. Issue 13 measured ~6 files/s on 20 000 files
    before the sniff.

In-process timings use a warm guessit (workers warm it once per batch);
the library timing is the whole command, as a user runs it. Figures land in
"jforg benchmark figures"; nothing fails on time.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from benchmarks.conftest import RecordFigure, jforg_argv, run_command
from benchmarks.libgen import make_library
from pipeline.core.errors import ItemFailure
from pipeline.core.manifest import read_manifest
from pipeline.core.paths import to_wire
from pipeline.core.records import PROBE_SCHEMA, FileClass, ProbeRecord, ScanRecord
from pipeline.core.settings import Settings
from pipeline.probe.mediainfo import technical
from pipeline.probe.stage import ProbeOptions, probe_one

GIB4 = 4 * 2**30
LIBRARY_FILES = 3_000
BASELINE_CAP_S = 5.0
DEAD = {
    "mkv": ("Movies/Heat.1995.1080p.BluRay.x264-GRP/Heat.1995.1080p.BluRay.x264-GRP.mkv",
            "video"),
    "m4b": ("Audiobooks/Ursula K. Le Guin/A Wizard of Earthsea/A Wizard of Earthsea.m4b",
            "audio"),
}


@pytest.fixture(scope="module")
def dead_files(tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[tuple[Path, dict[str, Path]]]:
    root = tmp_path_factory.mktemp("sniff-bench") / "library"
    paths: dict[str, Path] = {}
    for ext, (rel, _) in DEAD.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            handle.truncate(GIB4)  # a hole: 4 GiB of zeros, no disk
        paths[ext] = path
    yield root, paths


class _Capped(BaseException):
    pass


def _raise_capped(signum: int, frame: FrameType | None) -> None:
    raise _Capped


def _mediainfo_alone(path: Path) -> float | None:
    """Seconds MediaInfo takes on ``path`` with no sniff and no read budget; None past the cap."""
    previous = signal.signal(signal.SIGALRM, _raise_capped)
    start = time.perf_counter()
    try:
        signal.setitimer(signal.ITIMER_REAL, BASELINE_CAP_S)
        try:
            technical(str(path), 0.0, max_read=None)
        except ItemFailure:
            pass  # "unrecognised" after reading what it reads: the time is the point
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Capped:
        return None
    finally:
        signal.signal(signal.SIGALRM, previous)
    return time.perf_counter() - start


@pytest.mark.parametrize("ext", DEAD)
def test_classify_a_4_gib_sparse_file(benchmark, dead_files: tuple[Path, dict[str, Path]],
                                      ext: str, record_figure: RecordFigure) -> None:
    root, paths = dead_files
    path = paths[ext]
    cls: FileClass = "video" if DEAD[ext][1] == "video" else "audio"
    info = path.stat()
    record = ScanRecord(path=to_wire(os.fspath(path)), root=to_wire(os.fspath(root)), cls=cls,
                        size=info.st_size, mtime_ns=info.st_mtime_ns)
    options = ProbeOptions.from_settings(Settings())
    probe_one(record, options)  # warm: imports and guessit's rules
    result = benchmark.pedantic(lambda: probe_one(record, options), rounds=30, iterations=1,
                                warmup_rounds=2)
    assert result.error is not None and result.error.code == "incomplete"
    sniffed_ms = benchmark.stats.stats.median * 1000
    baselines = [_mediainfo_alone(path) for _ in range(3)]
    finished = [b for b in baselines if b is not None]
    if finished:
        base_ms = sorted(finished)[len(finished) // 2] * 1000
        base = f"MediaInfo alone {base_ms:.0f} ms ({base_ms / sniffed_ms:.0f}x)"
    else:
        base_ms, base = None, f"MediaInfo alone > {BASELINE_CAP_S:g} s (capped)"
    benchmark.extra_info.update(mediainfo_alone_ms=base_ms)
    # The table's row is the .mkv (a Matroska head is parsed, an m4b's is a
    # single box test); the other extensions are rows of their own.
    name = "dead-file-sniff" if ext == "mkv" else f"dead-file sniff, 4 GiB sparse .{ext}"
    record_figure(name, sniffed_ms, "ms", goal=50.0, detail=f".{ext}; {base}")


@pytest.fixture(scope="module")
def sparse_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("sniff-library")
    library, work = base / "library", base / "work"
    make_library(library, LIBRARY_FILES, seed=13, sizes="sparse")
    run_command(jforg_argv("scan", str(library), "--work", str(work)))
    return library, work


def test_probe_a_sparse_library_whole_command(benchmark, sparse_library: tuple[Path, Path],
                                              record_figure: RecordFigure) -> None:
    _, work = sparse_library
    argv = jforg_argv("probe", "--work", str(work), "--force")
    benchmark.pedantic(lambda: run_command(argv), rounds=2, iterations=1, warmup_rounds=1)
    elapsed = benchmark.stats.stats.median
    _, records = read_manifest(work / "probe.jsonl", PROBE_SCHEMA, ProbeRecord)
    files = 0
    codes: dict[str, int] = {}
    for record in records:
        files += 1
        if record.error is not None:
            codes[record.error.code] = codes.get(record.error.code, 0) + 1
    rate = files / elapsed
    benchmark.extra_info.update(files=files, files_per_s=rate, codes=codes)
    shown = ", ".join(f"{code} {n}" for code, n in sorted(codes.items()))
    record_figure("probe of a sparse library, whole command", rate, "files/s", better="higher",
                  detail=f"{files} files in {elapsed:.1f} s (about 6 files/s before the "
                  f"sniff); {shown}")
    assert files > LIBRARY_FILES * 0.8
    assert codes.get("incomplete", 0) > files // 3  # the sniff, not the parsers, decided them
