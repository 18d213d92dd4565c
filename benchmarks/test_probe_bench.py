"""Probe benchmarks (make bench): process-pool speed-up and incremental re-runs.

(a) probe of ~2 000 generated video names, jobs=1 vs jobs=2 (target >= 1.8x);
(c) a re-run over an unchanged 10 000-file library vs the first run
    (target <= 5 %).
Files are zero-byte (sizes="empty") so the figures measure jforg's own work:
guessit, the wrapper, MediaInfo's open, the fingerprint, the manifests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from benchmarks.libgen import make_library
from pipeline.core.settings import Settings
from pipeline.probe import stage as probe
from pipeline.scan import stage as scan


def _settings(jobs: int) -> Settings:
    base = Settings()
    return msgspec.structs.replace(
        base, probe=msgspec.structs.replace(base.probe, jobs=jobs),
        scan=msgspec.structs.replace(base.scan, jobs=1, extensions=base.scan.extensions))


@pytest.fixture(scope="module")
def videos_2k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A work folder whose scan holds only the ~2 000 videos of a 4 000-file library."""
    root = tmp_path_factory.mktemp("probe2k")
    library = root / "library"
    make_library(library, 4_000, seed=3, sizes="empty")
    work = root / "work"
    base = Settings().scan
    only_video = msgspec.structs.replace(
        base, jobs=1, extensions=msgspec.structs.replace(
            base.extensions, audio=[], book=[], subtitle=[], image=[]))
    _, stats = scan.run(work, [str(library)], only_video)
    # Everything that is not a video is class "other": cheap, done in-process.
    assert stats.files["video"] > 1_800
    return work


@pytest.mark.parametrize("jobs", [1, 2])
def test_probe_2k_videos_by_jobs(benchmark, videos_2k: Path, jobs: int,
                                 record_figure: Callable[[str], None]) -> None:
    settings = _settings(jobs)
    probe.run(videos_2k, settings, force=True)  # warm: imports, pool, page cache
    _, stats = benchmark.pedantic(lambda: probe.run(videos_2k, settings, force=True),
                                  rounds=3, iterations=1)
    benchmark.extra_info["jobs"] = jobs
    TIMES[jobs] = benchmark.stats.stats.median
    line = f"probe 2k videos, jobs={jobs}: {TIMES[jobs]:.2f} s"
    if 1 in TIMES and 2 in TIMES:
        line += f"; speed-up jobs 2 / jobs 1 = {TIMES[1] / TIMES[2]:.2f}x (target >= 1.8)"
    record_figure(line)
    assert stats.total > 1_800


TIMES: dict[int, float] = {}


def test_probe_rerun_over_an_unchanged_10k_library(tmp_path: Path,
                                                    record_figure: Callable[[str], None]) -> None:
    library = tmp_path / "library"
    make_library(library, 10_000, seed=4, sizes="empty", media=24)
    work = tmp_path / "work"
    settings = _settings(0)
    scan.run(work, [str(library)], settings.scan)
    start = time.perf_counter()
    _, first = probe.run(work, settings)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    _, second = probe.run(work, settings)
    second_s = time.perf_counter() - start
    record_figure(f"probe 10k library: first run {first_s:.2f} s ({first.probed} probed), "
                  f"re-run {second_s:.2f} s ({second.reused} reused, {second.probed} sidecars "
                  f"looked at) = {100 * second_s / first_s:.1f} % (target <= 5 %)")
    assert second.reused > 0 and second.reused + second.probed == second.total
