"""The probe stage over a real library: reuse, resume, parity of backends, failures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import msgspec
import pytest

from benchmarks.media import ffmpeg_available, make_media
from pipeline.core.manifest import read_manifest
from pipeline.core.paths import from_wire
from pipeline.core.records import PROBE_SCHEMA, ProbeRecord, ScanRecord
from pipeline.core.settings import Settings
from pipeline.probe import stage as probe
from pipeline.scan import stage as scan

needs_ffmpeg = pytest.mark.skipif(not ffmpeg_available(), reason="ffmpeg is not installed")


def _settings(**probe_overrides: object) -> Settings:
    base = Settings()
    return msgspec.structs.replace(
        base, probe=msgspec.structs.replace(base.probe, **probe_overrides),
        scan=msgspec.structs.replace(base.scan, jobs=1))


@pytest.fixture(scope="module")
def media_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real tiny media in a Jellyfin-ish tree, made once for the module."""
    if not ffmpeg_available():
        pytest.skip("ffmpeg is not installed")
    root = tmp_path_factory.mktemp("media") / "library"
    videos = [
        "Movies/Heat (1995)/Heat (1995).mkv",
        "Movies/Heat (1995)/Heat (1995)-trailer.mkv",
        "Prisoners.2013.1080p.BluRay.x264-SPARKS/abc123xyz.mkv",
        "Shows/The Crown/Season 3/The.Crown.S03E02.mkv",
        "Shows/The Crown/Season 3/The.Crown.S03E03.mkv",
    ]
    for rel in videos:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        make_media(root / rel, "mkv-h264-aac-subs")
    for rel, kind in [("Music/Nora Vale/First (2019)/03 - Song.mp3", "mp3-id3"),
                      ("Music/Nora Vale/First (2019)/04 - Other.flac", "flac-vorbis")]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        make_media(root / rel, kind)
    extra = {
        "Movies/Heat (1995)/Heat (1995).en.forced.srt": "1\n00:00:01,000 --> 00:00:02,000\nHi\n",
        "Movies/Heat (1995)/poster.jpg": "jpg",
        "Movies/Heat (1995)/movie.nfo": "<movie/>",
        "Music/Nora Vale/First (2019)/03 - Song.lrc": "[00:01.00]la",
        "Movies/empty.mkv": "",
        "notes.txt": "hello",
    }
    for rel, text in extra.items():
        (root / rel).write_text(text)
    return root


def _work(tmp_path: Path, library: Path, name: str = "work") -> Path:
    work = tmp_path / name
    scan.run(work, [str(library)], _settings().scan)
    return work


def _records(work: Path) -> dict[str, ProbeRecord]:
    _, records = read_manifest(work / probe.MANIFEST, PROBE_SCHEMA, ProbeRecord)
    return {os.path.relpath(from_wire(r.path), from_wire(r.scan.root)): r for r in records}


@needs_ffmpeg
def test_every_scanned_file_gets_one_record_with_what_its_class_needs(
    tmp_path: Path, media_library: Path
) -> None:
    work = _work(tmp_path, media_library)
    _, stats = probe.run(work, _settings(jobs=1))
    records = _records(work)
    assert stats.total == len(records) == 13
    heat = records["Movies/Heat (1995)/Heat (1995).mkv"]
    assert heat.parse is not None and heat.parse.title == "Heat" and heat.parse.year == 1995
    assert heat.technical is not None and heat.technical.video_codec == "h264"
    assert heat.role == "main" and heat.fingerprint is not None
    assert records["Movies/Heat (1995)/Heat (1995)-trailer.mkv"].role == "trailer"
    obfuscated = records["Prisoners.2013.1080p.BluRay.x264-SPARKS/abc123xyz.mkv"].parse
    assert obfuscated is not None and (obfuscated.title, obfuscated.year) == ("Prisoners", 2013)
    episode = records["Shows/The Crown/Season 3/The.Crown.S03E02.mkv"].parse
    assert episode is not None and (episode.season, episode.episodes) == (3, [2])
    song = records["Music/Nora Vale/First (2019)/03 - Song.mp3"]
    assert song.tags is not None and song.tags.track == 3 and song.parse is None
    subtitle = records["Movies/Heat (1995)/Heat (1995).en.forced.srt"].sidecar
    assert subtitle is not None and (subtitle.language, subtitle.flags) == ("en", ["forced"])
    assert subtitle.belongs_to is not None
    assert subtitle.belongs_to.endswith("Heat (1995)/Heat (1995).mkv")
    lyrics = records["Music/Nora Vale/First (2019)/03 - Song.lrc"].sidecar
    assert lyrics is not None and lyrics.belongs_to is not None
    assert lyrics.belongs_to.endswith("03 - Song.mp3")
    empty = records["Movies/empty.mkv"]
    assert empty.error is not None and empty.error.code == "empty"
    assert empty.parse is not None  # the name was still understood
    assert records["notes.txt"].error is None
    assert stats.failed == 1 and stats.failures == {"empty": 1}


@needs_ffmpeg
def test_a_rerun_over_an_unchanged_library_reuses_every_costly_record(
    tmp_path: Path, media_library: Path
) -> None:
    work = _work(tmp_path, media_library)
    probe.run(work, _settings(jobs=1))
    first = (work / probe.MANIFEST).read_bytes().split(b"\n", 1)[1]
    _, stats = probe.run(work, _settings(jobs=1))
    assert stats.reused == 8  # 6 videos + 2 audio; the empty one is reused as it failed for good
    assert stats.probed == 5  # sidecars and other files are cheap and always looked at
    assert (work / probe.MANIFEST).read_bytes().split(b"\n", 1)[1] == first
    _, forced = probe.run(work, _settings(jobs=1), force=True)
    assert forced.reused == 0 and forced.probed == 13


@needs_ffmpeg
def test_exactly_the_touched_file_is_probed_again(tmp_path: Path, media_library: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    library = tmp_path / "copy"
    shutil.copytree(media_library, library)
    work = _work(tmp_path, library)
    probe.run(work, _settings(jobs=1))
    touched = library / "Shows/The Crown/Season 3/The.Crown.S03E03.mkv"
    os.utime(touched, ns=(1, 1_000_000_000))
    scan.run(work, [str(library)], _settings().scan)
    seen: list[str] = []
    original = probe.probe_one

    def spy(record: ScanRecord, options: probe.ProbeOptions) -> ProbeRecord:
        seen.append(record.path)
        return original(record, options)

    monkeypatch.setattr(probe, "probe_one", spy)
    _, stats = probe.run(work, _settings(jobs=1))
    heavy = [p for p in seen if p.endswith((".mkv", ".mp3", ".flac"))]
    assert heavy == [str(touched)]
    assert stats.reused == 7


@needs_ffmpeg
def test_loky_and_dask_write_the_same_records_as_one_process(
    tmp_path: Path, media_library: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    work = _work(tmp_path, media_library)
    outputs = []
    probe.run(work, _settings(jobs=1, batch_size=2), force=True)
    outputs.append((work / probe.MANIFEST).read_bytes().split(b"\n", 1)[1])
    probe.run(work, _settings(jobs=2, batch_size=2), force=True)
    outputs.append((work / probe.MANIFEST).read_bytes().split(b"\n", 1)[1])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        probe.run(work, _settings(jobs=2, batch_size=2, backend="dask",
                                  scheduler=cluster.scheduler_address), force=True)
    outputs.append((work / probe.MANIFEST).read_bytes().split(b"\n", 1)[1])
    assert outputs[0] == outputs[1] == outputs[2]


@needs_ffmpeg
def test_an_interrupted_probe_resumes_without_redoing_finished_batches(
    tmp_path: Path, media_library: Path
) -> None:
    work = _work(tmp_path, media_library)
    ticks = []

    def interrupt_after_two_batches(stats: probe.ProbeStats) -> None:
        ticks.append(stats.probed)
        if len(ticks) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        probe.run(work, _settings(jobs=1, batch_size=2), tick=interrupt_after_two_batches)
    assert not (work / probe.MANIFEST).exists()
    checkpoints = list(work.glob("probe.partial.*.jsonl"))
    assert len(checkpoints) == 1
    _, stats = probe.run(work, _settings(jobs=1, batch_size=2))
    assert stats.reused >= 3  # the finished batches' costly files
    assert stats.reused + stats.probed == 13
    assert not list(work.glob("probe.partial.*"))  # a complete run removes its checkpoints


@needs_ffmpeg
def test_a_file_deleted_after_the_scan_is_an_error_record(tmp_path: Path,
                                                          media_library: Path) -> None:
    library = tmp_path / "copy"
    shutil.copytree(media_library, library)
    work = _work(tmp_path, library)
    (library / "Music/Nora Vale/First (2019)/04 - Other.flac").unlink()
    (library / "notes.txt").unlink()
    _, stats = probe.run(work, _settings(jobs=1))
    records = _records(work)
    gone = records["Music/Nora Vale/First (2019)/04 - Other.flac"]
    assert gone.error is not None and gone.error.code == "vanished"
    assert records["notes.txt"].error is not None
    assert stats.failures["vanished"] == 2


@needs_ffmpeg
def test_a_file_over_the_time_limit_becomes_a_timeout_record(tmp_path: Path,
                                                             media_library: Path) -> None:
    work = _work(tmp_path, media_library)
    _, stats = probe.run(work, _settings(jobs=1, timeout_s=0.000_001))
    assert stats.failures.get("timeout", 0) >= 6
    _, again = probe.run(work, _settings(jobs=1))
    assert again.failures.get("timeout", 0) == 0  # timeouts are retried, not reused


def test_probe_without_a_scan_says_which_stage_to_run(tmp_path: Path) -> None:
    from pipeline.core.errors import ManifestError

    with pytest.raises(ManifestError, match=r"scan\.jsonl.*not found"):
        probe.run(tmp_path, _settings())
