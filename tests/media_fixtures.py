"""Tiny real media and books for the tests of mediainfo, tags and books, and their benchmark.

Contract:

- ``media_dir`` (session fixture) is one folder holding every file of
  ``MEDIA`` that can be made here: audio and video by ffmpeg from
  ``-f lavfi`` sources (each ~1 s, 160x90, < 60 KB), books written by the
  Python code below (always), plus damaged copies (``DAMAGED``). It is
  built once per session; tests must not change it (copy into
  ``tmp_path`` to alter a file).
- ``media`` (session fixture) is ``media(name) -> Path`` that skips the
  calling test, with the reason, when that file could not be made (no
  ffmpeg, or its encoder missing from the build).
- The values written are the constants below, so tests assert against
  them rather than against literals that could drift.
- ``build_media(folder)`` and the ``make_*`` writers are plain functions,
  imported by ``benchmarks/test_mediainfo_bench.py``; they need no pytest.
- ``unreadable_code(function, source)`` is the failure code a probe gives
  for a copy of ``source`` that its reader may not open; as root it runs
  the probe as uid 65534 in a forked child (chmod does not stop root).

Register with ``pytest_plugins = ["tests.media_fixtures"]`` (the root
conftest, or each test module that uses it). PYTEST_DONT_REWRITE: test
modules import its constants before their ``pytest_plugins`` line is
read, too late for pytest to rewrite this module's asserts, and pytest
would warn (an error under ``-W error``); it has no asserts that need it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.books import BOOK, BOOK_CREATORS, COMIC, PDF, make_cbz, make_epub, make_pdf
from benchmarks.media import encoders

__all__ = [
    "BOOK",
    "BOOK_CREATORS",
    "COMIC",
    "DAMAGED",
    "MBIDS",
    "MEDIA",
    "MOVIE",
    "MUSIC",
    "PDF",
    "build_media",
    "make_cbz",
    "make_epub",
    "make_pdf",
    "media",
    "media_dir",
    "unreadable_code",
]

MOVIE = {"title": "The Quiet Harbor", "audio_en": "English Stereo", "audio_de": "Deutsch",
         "subtitle": "English (Forced)"}
MUSIC = {"artist": "Nora Vale", "album_artist": "Harbour Lights", "album": "Lanterns on the Water",
         "title": "Été sans fin", "date": "2019", "genre": "Folk"}
MBIDS = {
    "release": "5b11f4ce-a62d-471e-81fc-a69a8278c7da",
    "release_group": "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
    "artist": "0383dadf-2a4e-4d10-a46a-e9e041da8eb3",
    "album_artist": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    "recording": "c5a3e8f1-7d3b-4a52-9f0e-2d6b8c41e9a7",
    "track": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a",
}
_LAVFI_VIDEO = ["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10:duration=1"]
_LAVFI_AUDIO = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1"]
_X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", "-pix_fmt", "yuv420p"]
_AAC = ["-c:a", "aac", "-b:a", "32k"]
_SRT = "1\n00:00:00,000 --> 00:00:00,900\nHello.\n"
_HDR10 = ("colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:hdr10=1:max-cll=1000,400:"
          "master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,1)")


def _tags(pairs: dict[str, str], spec: str = "") -> list[str]:
    return [arg for key, value in pairs.items() for arg in (f"-metadata{spec}", f"{key}={value}")]


_ID3 = {"artist": MUSIC["artist"], "album_artist": MUSIC["album_artist"], "album": MUSIC["album"],
        "title": MUSIC["title"], "track": "3/12", "disc": "1/2", "date": MUSIC["date"],
        "genre": MUSIC["genre"], "MusicBrainz Album Id": MBIDS["release"],
        "MusicBrainz Release Group Id": MBIDS["release_group"],
        "MusicBrainz Artist Id": MBIDS["artist"]}
_VORBIS = {"ARTIST": MUSIC["artist"], "ALBUMARTIST": MUSIC["album_artist"],
           "ALBUM": MUSIC["album"], "TITLE": MUSIC["title"], "TRACKNUMBER": "3",
           "DISCNUMBER": "1", "DISCTOTAL": "2", "DATE": MUSIC["date"], "GENRE": MUSIC["genre"],
           "MUSICBRAINZ_ALBUMID": MBIDS["release"],
           "MUSICBRAINZ_RELEASEGROUPID": MBIDS["release_group"],
           "MUSICBRAINZ_ARTISTID": MBIDS["artist"],
           "MUSICBRAINZ_ALBUMARTISTID": MBIDS["album_artist"],
           "MUSICBRAINZ_TRACKID": MBIDS["recording"],
           "MUSICBRAINZ_RELEASETRACKID": MBIDS["track"]}

# name -> (encoders it needs, ffmpeg arguments between the inputs and the output).
_FFMPEG: dict[str, tuple[tuple[str, ...], list[str]]] = {
    "movie.mkv": (("libx264", "aac", "srt"), [
        *_LAVFI_VIDEO, *_LAVFI_AUDIO, *_LAVFI_AUDIO, "-i", "{srt}",
        "-map", "0:v", "-map", "1:a", "-map", "2:a", "-map", "3:s", *_X264, *_AAC,
        "-ac:a:0", "2", "-ac:a:1", "1", "-c:s", "srt", *_tags({"title": MOVIE["title"]}),
        "-metadata:s:a:0", "language=eng", "-metadata:s:a:0", f"title={MOVIE['audio_en']}",
        "-metadata:s:a:1", "language=ger", "-metadata:s:a:1", f"title={MOVIE['audio_de']}",
        "-metadata:s:s:0", "language=eng", "-metadata:s:s:0", f"title={MOVIE['subtitle']}",
        "-disposition:a:0", "default", "-disposition:a:1", "0", "-disposition:s:0", "forced"]),
    "hevc10.mp4": (("libx265", "aac"), [
        *_LAVFI_VIDEO, *_LAVFI_AUDIO, "-map", "0:v", "-map", "1:a", "-c:v", "libx265",
        "-preset", "ultrafast", "-crf", "40", "-pix_fmt", "yuv420p10le", "-tag:v", "hvc1",
        "-x265-params", f"log-level=error:{_HDR10}", *_AAC, "-ac", "1",
        "-metadata:s:a:0", "language=eng", "-movflags", "+faststart"]),
    "hlg.mkv": (("libx265",), [
        *_LAVFI_VIDEO, "-c:v", "libx265", "-preset", "ultrafast", "-crf", "40",
        "-pix_fmt", "yuv420p10le", "-x265-params",
        "log-level=error:colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc"]),
    "clip.avi": (("mpeg4", "libmp3lame"), [
        *_LAVFI_VIDEO, *_LAVFI_AUDIO, "-c:v", "mpeg4", "-vtag", "XVID", "-q:v", "20",
        "-c:a", "libmp3lame", "-b:a", "32k", "-ac", "1"]),
    "song.mp3": (("libmp3lame",), [
        *_LAVFI_AUDIO, "-c:a", "libmp3lame", "-b:a", "32k", "-ac", "1",
        "-id3v2_version", "3", *_tags(_ID3)]),
    "song.flac": (("flac",), [
        *_LAVFI_AUDIO, "-c:a", "flac", "-ac", "1", "-ar", "22050", "-t", "0.5",
        *_tags({**_VORBIS, "TRACKTOTAL": "12"})]),
    "song.m4a": (("aac",), [*_LAVFI_AUDIO, *_AAC, "-ac", "2", *_tags(_ID3)]),
    "song.opus": (("libopus",), [
        *_LAVFI_AUDIO, "-c:a", "libopus", "-b:a", "24k", "-ac", "1",
        *_tags({**_VORBIS, "TOTALTRACKS": "12"})]),
}
# Damaged copies: name -> (source, how many bytes to keep; None means half).
DAMAGED: dict[str, tuple[str, int | None]] = {
    "truncated.mkv": ("movie.mkv", None),
    "header-only.mkv": ("movie.mkv", 1024),
}
MEDIA = (*_FFMPEG, *DAMAGED, "empty.mkv", "book.epub", "paper.pdf", "comic.cbz")


def build_media(folder: Path) -> dict[str, str]:
    """Write every file of ``MEDIA`` that can be made here; return {name: why not} for the rest."""
    folder.mkdir(parents=True, exist_ok=True)
    missing: dict[str, str] = {}
    ffmpeg = shutil.which("ffmpeg")
    for name, (needed, args) in _FFMPEG.items():
        lacking = [e for e in needed if e not in encoders(ffmpeg)] if ffmpeg else []
        if ffmpeg is None or lacking:
            missing[name] = "ffmpeg is not installed" if ffmpeg is None else \
                f"this ffmpeg lacks the {', '.join(lacking)} encoder(s)"
            continue
        try:
            _ffmpeg(ffmpeg, args, folder / name)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            missing[name] = str(exc)  # its tests skip and say why; the others still run
    if "song.m4a" not in missing:
        _add_itunes_musicbrainz_ids(folder / "song.m4a")
    for name, (source, keep) in DAMAGED.items():
        if source in missing:
            missing[name] = missing[source]
            continue
        data = (folder / source).read_bytes()
        (folder / name).write_bytes(data[: len(data) // 2 if keep is None else keep])
    (folder / "empty.mkv").write_bytes(b"")
    make_epub(folder / "book.epub")
    make_pdf(folder / "paper.pdf")
    make_cbz(folder / "comic.cbz")
    return missing


def _ffmpeg(ffmpeg: str, args: list[str], out: Path) -> None:
    srt = out.with_name(f"{out.stem}-input.srt")  # read by the "{srt}" input, then removed
    srt.write_text(_SRT, encoding="utf-8")
    command = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
               *[str(srt) if arg == "{srt}" else arg for arg in args], str(out)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    finally:
        srt.unlink()
    if done.returncode != 0 or not out.is_file():
        raise RuntimeError(f"ffmpeg failed making {out.name}: {done.stderr.strip()[-500:]}")


def _add_itunes_musicbrainz_ids(path: Path) -> None:
    # ffmpeg's MP4 muxer writes no freeform "----" atoms; Picard writes them with
    # mutagen, so mutagen writing them here is what a tagged library holds.
    from mutagen.mp4 import MP4, MP4FreeForm

    audio = MP4(path)
    assert audio.tags is not None
    for role, name in (("release", "MusicBrainz Album Id"), ("recording", "MusicBrainz Track Id"),
                       ("album_artist", "MusicBrainz Album Artist Id")):
        audio.tags[f"----:com.apple.iTunes:{name}"] = [MP4FreeForm(MBIDS[role].encode())]
    audio.save()


# --- fixtures ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def _built_media(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("media")
    return folder, build_media(folder)


@pytest.fixture(scope="session")
def media_dir(_built_media: tuple[Path, dict[str, str]]) -> Path:
    """The folder of tiny real media and books (see the module contract)."""
    return _built_media[0]


@pytest.fixture(scope="session")
def media(_built_media: tuple[Path, dict[str, str]]) -> Callable[[str], Path]:
    """``media("movie.mkv")`` -> its path; skips the test when it could not be made here."""
    folder, missing = _built_media

    def get(name: str) -> Path:
        if name in missing:
            pytest.skip(f"{name} not available: {missing[name]}")
        return folder / name

    return get


# --- a file its reader may not open ------------------------------------------------

def unreadable_code(function: Callable[[str], object], source: Path) -> str | None:
    """The ItemFailure code ``function`` raises for a mode-000 copy of ``source``.

    As root, chmod does not stop reads, so the call runs in a forked child
    as uid/gid 65534. The copy sits in a fresh world-traversable folder so
    the failure is the file's own, not a parent's (pytest's tmp folders are
    0700).
    """
    from pipeline.core.errors import ItemFailure

    folder = Path(tempfile.mkdtemp(prefix="jforg-locked-"))
    try:
        folder.chmod(0o755)
        target = folder / source.name
        shutil.copyfile(source, target)
        target.chmod(0)
        if os.geteuid() == 0:
            return _call_as_nobody(function, str(target))
        try:
            function(str(target))
        except ItemFailure as failure:
            return failure.code
        return None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _call_as_nobody(function: Callable[[str], object], path: str) -> str | None:
    from pipeline.core.errors import ItemFailure

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code: str | None = "the child crashed"
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            function(path)
            code = None
        except ItemFailure as failure:
            code = failure.code
        finally:
            os.write(write_end, json.dumps(code).encode())
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as handle:
        data = handle.read()
    os.waitpid(pid, 0)
    result: str | None = json.loads(data)
    return result
