"""The synthetic library generator: determinism, shape, names, real media, CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks import media
from benchmarks.libgen import classify, main, make_library

REPO = Path(__file__).resolve().parent.parent
FFPROBE = shutil.which("ffprobe")
needs_ffmpeg = pytest.mark.skipif(
    not media.ffmpeg_available() or FFPROBE is None, reason="ffmpeg/ffprobe not installed")


def tree(root: Path) -> dict[str, int]:
    """Relative POSIX path -> apparent size of every file under root."""
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            found[path.relative_to(root).as_posix()] = path.stat().st_size
    return found


def probe(path: Path) -> dict[str, Any]:
    assert FFPROBE is not None
    out = subprocess.run([FFPROBE, "-v", "error", "-of", "json", "-show_format", "-show_streams",
                          str(path)], capture_output=True, text=True, check=True).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def test_the_same_seed_gives_the_same_paths_and_sizes_in_two_directories(tmp_path: Path) -> None:
    first = make_library(tmp_path / "a", 400, seed=7)
    second = make_library(tmp_path / "b", 400, seed=7)
    assert first.paths == second.paths
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert set(tree(tmp_path / "a")) == set(first.paths)


def test_a_different_seed_gives_a_different_tree(tmp_path: Path) -> None:
    one = make_library(tmp_path / "a", 300, seed=1, sizes="empty")
    two = make_library(tmp_path / "b", 300, seed=2, sizes="empty")
    assert len(set(one.paths) & set(two.paths)) < 30


@pytest.mark.parametrize("n", [0, 1, 37, 400])
def test_exactly_n_files_are_written(tmp_path: Path, n: int) -> None:
    info = make_library(tmp_path / "lib", n, sizes="empty")
    assert len(tree(tmp_path / "lib")) == n == len(info.paths) == sum(info.counts.values())


def test_a_smaller_library_is_the_start_of_a_larger_one(tmp_path: Path) -> None:
    small = make_library(tmp_path / "a", 250, seed=3, sizes="empty")
    large = make_library(tmp_path / "b", 600, seed=3, sizes="empty")
    assert large.paths[:250] == small.paths


def test_classes_come_out_in_roughly_the_intended_proportions(tmp_path: Path) -> None:
    info = make_library(tmp_path / "lib", 2000, sizes="empty")
    share = {cls: count / 2000 for cls, count in info.counts.items()}
    assert 0.40 <= share["video"] <= 0.65  # movies ~30% + TV ~30%, less their sidecars
    assert 0.12 <= share["audio"] <= 0.30  # music ~20% (+ audiobooks)
    assert 0.01 <= share["book"] <= 0.10
    assert 0.05 <= share["subtitle"] <= 0.13
    assert 0.05 <= share["image"] + share["nfo"] + share["other"] + share["hidden"] <= 0.20
    assert info.hidden > 0
    assert Counter(classify(path) for path in info.paths) == +Counter(info.counts)


def test_names_are_valid_utf8_fit_255_bytes_and_include_non_ascii(tmp_path: Path) -> None:
    make_library(tmp_path / "lib", 2000, sizes="empty")
    names = []
    for _, folders, files in os.walk(os.fsencode(tmp_path / "lib")):
        names += folders + files
    decoded = [name.decode("utf-8") for name in names]  # strict: raises on invalid bytes
    assert max(map(len, names)) <= 255
    assert any(not name.isascii() for name in decoded)
    assert any(unicodedata.normalize("NFC", name) != name for name in decoded)  # macOS NFD
    assert not any(set(name) & set('<>:"\\|?*') for name in decoded)


def test_folders_hold_1_to_40_files_at_depth_2_to_5(tmp_path: Path) -> None:
    info = make_library(tmp_path / "lib", 2000, sizes="empty")
    per_folder = Counter(path.rpartition("/")[0] for path in info.paths)
    assert max(per_folder.values()) <= 40
    assert {path.count("/") + 1 for path in info.paths} <= {2, 3, 4, 5}


def test_sparse_files_have_realistic_sizes_but_take_almost_no_disk(tmp_path: Path) -> None:
    info = make_library(tmp_path / "lib", 300)
    sizes = tree(tmp_path / "lib")
    assert info.total_bytes == sum(sizes.values()) > 10**11
    for path, size in sizes.items():
        cls = classify(path)
        if cls == "video":
            assert 20_000_000 <= size <= 8_000_000_000, path
        elif cls == "subtitle":
            assert 20_000 <= size <= 120_000, path
    used = sum((tmp_path / "lib" / path).stat().st_blocks * 512 for path in sizes)
    assert used < 1_000_000


def test_empty_sizes_make_zero_byte_files_with_the_same_paths(tmp_path: Path) -> None:
    sparse = make_library(tmp_path / "a", 200)
    empty = make_library(tmp_path / "b", 200, sizes="empty")
    assert sparse.paths == empty.paths
    assert set(tree(tmp_path / "b").values()) == {0} and empty.total_bytes == 0


@pytest.mark.parametrize(("path", "expected"), [
    ("Movies/Contact (1997)/Contact (1997).mkv", "video"),
    ("Unsorted/Some.Movie.2001.720p.BluRay.x264-GRP.MKV", "video"),
    ("Music/Artist/Album (2001)/01 - Song.flac", "audio"),
    ("Audiobooks/Author/Title/Title.m4b", "audio"),
    ("Books/Author/Title (1999)/Title.azw3", "book"),
    ("Comics/Series/Series 001 (2019).cbz", "book"),
    ("Movies/Contact (1997)/Contact (1997).en.forced.srt", "subtitle"),
    ("Downloads/Rel/Subs/Rel.idx", "subtitle"),
    ("Movies/Contact (1997)/poster.jpg", "image"),
    ("Movies/Contact (1997)/movie.nfo", "nfo"),
    ("Music/Artist/Album (2001)/Artist - Album.cue", "other"),
    ("Downloads/incomplete/Rel.mkv.part", "other"),
    ("Music/Artist/Album (2001)/.DS_Store", "other"),
    ("Movies/Contact (1997)/._Contact (1997).mkv", "other"),
    ("Movies/Contact (1997)/.AppleDouble/Contact (1997).mkv", "hidden"),
    ("Music/Artist/Album (2001)/.@__thumb/s100cover.jpg", "hidden"),
])
def test_classify_goes_by_extension_except_in_hidden_folders(path: str, expected: str) -> None:
    assert classify(path) == expected


@needs_ffmpeg
def test_media_files_are_real_files_that_ffprobe_reads(tmp_path: Path) -> None:
    info = make_library(tmp_path / "lib", 400, media=6)
    assert info.ffmpeg and info.media_written == 6 and not info.media_unavailable
    assert {classify(path) for path in info.media_paths} == {"video", "audio"}
    found = {}
    for rel in info.media_paths:
        assert rel in info.paths
        facts = probe(tmp_path / "lib" / rel)
        assert float(facts["format"]["duration"]) > 0
        found[Path(rel).suffix.lower()] = facts
    assert info.total_bytes == sum(tree(tmp_path / "lib").values())
    mkv = found[".mkv"]
    # benchmarks.media documents MPEG-4 Part 2 as the fallback for builds without libx264.
    encoders = subprocess.run(["ffmpeg", "-hide_banner", "-encoders"], capture_output=True,
                              text=True, check=True).stdout
    video = "h264" if " libx264 " in encoders else "mpeg4"
    assert [s["codec_name"] for s in mkv["streams"]] == [video, "aac", "subrip", "subrip"]
    assert [s["tags"].get("language") for s in mkv["streams"][1:]] == ["eng", "eng", "ger"]
    tags = found[".mp3"]["format"]["tags"]
    assert tags["artist"] == "Nora Vale" and tags["album"] == "Lanterns on the Water"
    assert (tags["track"], tags["disc"], tags["date"]) == ("3/12", "1/2", "2014")


@pytest.mark.parametrize(("kind", "suffix", "magic"), [
    ("mp3-id3", ".mp3", b"ID3"), ("flac-vorbis", ".flac", b"fLaC"), ("avi", ".avi", b"RIFF"),
    ("wav", ".wav", b"RIFF"),
])
def test_without_ffmpeg_pure_python_kinds_are_still_real_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, suffix: str,
        magic: bytes) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no ffmpeg here
    target = tmp_path / f"out{suffix}"
    media.make_media(target, kind)
    assert target.read_bytes().startswith(magic) and target.stat().st_size < 50_000
    if FFPROBE is not None:
        assert float(probe(target)["format"]["duration"]) > 0


def test_without_ffmpeg_libgen_writes_only_what_python_can(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    info = make_library(tmp_path / "lib", 400, media=6)
    assert not info.ffmpeg and info.media_written == 6
    assert {Path(rel).suffix.lower() for rel in info.media_paths} <= {".mp3", ".flac", ".avi"}
    assert "mkv-h264-aac-subs" in info.media_unavailable
    with pytest.raises(media.MediaUnavailable):
        media.make_media(tmp_path / "x.mkv", "mkv-h264-aac-subs")


def test_the_cli_refuses_a_non_empty_destination_with_exit_2(tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    done = subprocess.run([sys.executable, "-m", "benchmarks.libgen", str(dest)], cwd=REPO,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "not empty" in done.stderr
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]


def test_the_cli_writes_a_library_and_prints_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "lib"), "--files", "50", "--empty"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "50 files" in out
    assert len(tree(tmp_path / "lib")) == 50
