"""MediaInfo throughput: ``mediainfo.technical`` at parse_speed 0 against 0.5.

Run with `make bench` (or `.venv/bin/python -m pytest benchmarks/test_mediainfo_bench.py
-o addopts='' -p no:cacheprovider`). Two sets, each timed in-process, warm
page cache, one file after another:

- the tiny test media of tests/media_fixtures.py (~1 s, 160x90, 1-20 KB):
  what a library of small files costs, mostly libmediainfo's fixed cost
  per file;
- one 30 s 1280x720 H.264 Matroska file (~15 MB), made here: where the
  parse speed matters, since at 0.5 MediaInfo reads megabytes of frames
  and at 0 only the header.

Figures (files/s and the ratio) land in "jforg benchmark figures"; nothing
fails on time.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from benchmarks.conftest import RecordFigure
from pipeline.probe.mediainfo import technical
from tests.media_fixtures import build_media

SPEEDS = (0.0, 0.5)
VIDEOS = ("movie.mkv", "hevc10.mp4", "hlg.mkv", "clip.avi", "truncated.mkv", "header-only.mkv")
ROUNDS = 30
_RATES: dict[tuple[str, float], float] = {}


@pytest.fixture(scope="module")
def fixture_videos(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("mediainfo-bench")
    missing = build_media(folder)
    names = [name for name in VIDEOS if name not in missing]
    if not names:
        pytest.skip(f"no video fixture media here: {missing.get(VIDEOS[0])}")
    return [str(folder / name) for name in names]


@pytest.fixture(scope="module")
def large_mkv(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.skip("ffmpeg is not installed")
    out = tmp_path_factory.mktemp("mediainfo-bench-large") / "large.mkv"
    done = subprocess.run(
        [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=24:duration=30",
         "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=30",
         "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "4M", "-c:a", "aac", "-b:a", "96k",
         str(out)], capture_output=True, text=True, check=False, timeout=300)
    if done.returncode != 0:
        pytest.skip(f"ffmpeg could not make the large file: {done.stderr.strip()[-200:]}")
    return [str(out)]


def _measure(benchmark, paths: list[str], speed: float, label: str,
             record_figure: RecordFigure) -> None:
    def probe_all() -> None:
        for path in paths:
            technical(path, speed)

    benchmark.pedantic(probe_all, rounds=ROUNDS, iterations=1, warmup_rounds=2)
    rate = len(paths) / benchmark.stats.stats.median
    _RATES[(label, speed)] = rate
    benchmark.extra_info.update(files=len(paths), files_per_s=rate)
    detail = ""
    if speed != 0.0 and (label, 0.0) in _RATES:
        detail = f"parse_speed 0 is {_RATES[(label, 0.0)] / rate:.1f}x that"
    record_figure(f"mediainfo {label}, parse_speed {speed:g}", rate, "files/s", better="higher",
                  detail=detail)


@pytest.mark.parametrize("speed", SPEEDS)
def test_mediainfo_throughput_on_the_tiny_fixture_videos(
        benchmark, fixture_videos: list[str], speed: float,
        record_figure: RecordFigure) -> None:
    _measure(benchmark, fixture_videos, speed, f"{len(fixture_videos)} tiny fixture videos",
             record_figure)


@pytest.mark.parametrize("speed", SPEEDS)
def test_mediainfo_throughput_on_a_15_mb_matroska_file(
        benchmark, large_mkv: list[str], speed: float,
        record_figure: RecordFigure) -> None:
    size_mb = Path(large_mkv[0]).stat().st_size / 1e6
    _measure(benchmark, large_mkv, speed, f"one {size_mb:.0f} MB 720p mkv", record_figure)
