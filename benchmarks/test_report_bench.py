"""Report benchmark (make bench): time and peak RSS over 10k and 100k generated records.

The manifests are synthesised from the library generator's paths (no files
on disk, no probing), with plausible probe data drawn from a seeded RNG, so
the benchmark measures the report alone. Target: RSS(100k) / RSS(10k) <= 2
and 100k in under 10 s. Nothing fails on time.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from benchmarks.conftest import RecordFigure, jforg_argv, run_command
from benchmarks.libgen import classify
from benchmarks.namepools import plan_paths
from pipeline.core.manifest import ManifestWriter
from pipeline.core.paths import sort_key
from pipeline.core.records import (
    PROBE_SCHEMA,
    SCAN_SCHEMA,
    AudioTrack,
    Parse,
    ProbeRecord,
    ScanRecord,
    Tags,
    Technical,
)

RESULTS: dict[int, tuple[float, int]] = {}


def _write_manifests(work: Path, n: int) -> None:
    rng = random.Random(n)
    root = "/media/library"
    planned = sorted(((f"{root}/{rel}", size) for rel, size in plan_paths(n, seed=7)),
                     key=lambda item: sort_key(item[0]))
    classes = {"video": "video", "audio": "audio", "book": "book", "subtitle": "subtitle",
               "image": "image", "nfo": "nfo"}
    with ManifestWriter[ScanRecord](work / "scan.jsonl", SCAN_SCHEMA) as scan_out, \
            ManifestWriter[ProbeRecord](work / "probe.jsonl", PROBE_SCHEMA) as probe_out:
        for i, (path, size) in enumerate(planned):
            cls = classes.get(classify(path[len(root) + 1:]), "other")
            record = ScanRecord(path, root, cls, size, 1_700_000_000_000_000_000 + i,  # type: ignore[arg-type]
                                i, 2049)
            scan_out.write(record)
            probe_out.write(_probe(record, rng, i))


def _probe(record: ScanRecord, rng: random.Random, i: int) -> ProbeRecord:
    if record.cls == "video":
        episode = rng.random() < 0.5
        title = f"Title {rng.randrange(n_titles := 2000)}"
        return ProbeRecord(
            scan=record, role="main" if rng.random() > 0.05 else "sample",
            parse=Parse(type="episode" if episode else "movie", title=title,
                        year=None if episode else 1950 + n_titles % 70,
                        season=rng.randrange(1, 6) if episode else None,
                        episodes=[rng.randrange(1, 13)] if episode else []),
            technical=Technical(container=rng.choice(["mkv", "mp4", "avi"]),
                                video_codec=rng.choice(["h264", "hevc", "av1"]),
                                resolution=rng.choice(["720p", "1080p", "2160p"]),
                                duration_s=5400.0, audio=[AudioTrack("aac", 2, "en")]),
            fingerprint=f"{record.size}:{rng.getrandbits(128):032x}")
    if record.cls == "audio":
        return ProbeRecord(scan=record, tags=Tags(artist="A", album=f"Album {i // 12}",
                                                  title=f"Song {i}", track=i % 12 + 1),
                           fingerprint=f"{record.size}:{i:032x}")
    return ProbeRecord(scan=record)


@pytest.mark.parametrize("n", [10_000, 100_000])
def test_report_over_generated_manifests(benchmark, tmp_path: Path, n: int,
                                         record_figure: RecordFigure) -> None:
    _write_manifests(tmp_path, n)
    argv = jforg_argv("report", "--work", str(tmp_path))
    peaks: list[int] = []
    benchmark.pedantic(lambda: peaks.append(run_command(argv)[1]), rounds=3, iterations=1)
    RESULTS[n] = (benchmark.stats.stats.median, max(peaks))
    seconds, rss = RESULTS[n]
    if n == 100_000:
        record_figure("report-100k-time", seconds, detail=f"peak RSS {rss / 1024:.1f} MiB")
    if len(RESULTS) == 2:
        small = RESULTS[10_000]
        record_figure("report-rss-ratio", RESULTS[100_000][1] / small[1],
                      detail=f"10k records: {small[0]:.2f} s, peak RSS {small[1] / 1024:.1f} MiB")
    assert (tmp_path / "report.html").stat().st_size > 0
