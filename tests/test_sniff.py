"""Sniffing a file's format from its first bytes: hand-made heads, real files, the gate."""

from __future__ import annotations

import hashlib
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.core.errors import ItemFailure
from pipeline.probe.sniff import LABELS, check, sniff

pytest_plugins = ["tests.media_fixtures"]

Media = Callable[[str], Path]
KIB64 = 64 * 1024


def _noise(n: int, seed: int = 7) -> bytes:
    """Bytes that look like compressed payload: no structure, no repeats."""
    return random.Random(seed).randbytes(n)


def _head(start: bytes, at: int = 0) -> bytes:
    """64 KiB: ``start`` at offset ``at``, payload-like noise around it."""
    noise = _noise(KIB64)
    return (noise[:at] + start + noise[at + len(start):])[:KIB64]


def _box(kind: bytes, body: bytes) -> bytes:
    return (8 + len(body)).to_bytes(4, "big") + kind + body


def _mp3_frames(count: int, silent: bool = False) -> bytes:
    """MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417 bytes a frame.

    Frames of digital silence are all alike; others each carry their own payload.
    """
    return b"".join(b"\xff\xfb\x90\x64" + (bytes(413) if silent else _noise(413, seed=i))
                    for i in range(count))


def _adts_frames(count: int) -> bytes:
    length = 300  # AAC LC, 48 kHz, 2 channels; the 13-bit frame length field spans bytes 3-5
    header = bytes([0xFF, 0xF1, 0x4C, 0x80 | (length >> 11), (length >> 3) & 0xFF,
                    ((length & 7) << 5) | 0x1F, 0xFC])
    return b"".join(header + _noise(length - 7, seed=i) for i in range(count))


def _ts_packets(count: int, size: int = 188, cut: int = 0) -> bytes:
    packets = []
    for i in range(count):
        pid = (0, 0x100, 0x101)[i % 3]
        packet = bytes([0x47, 0x40 | pid >> 8, pid & 0xFF, 0x10 | i % 16]) + _noise(184, seed=i)
        packets.append(_noise(4, seed=i) + packet if size == 192 else packet)
    return b"".join(packets)[cut:]


def _pdb(kind: bytes) -> bytes:
    return b"My_Book_Title".ljust(32, b"\0") + bytes(28) + kind


_ISO = bytes(0x8000) + b"\x01CD001\x01" + bytes(2041)
_UDF = bytes(0x8000) + b"\x00BEA01\x01" + bytes(2041)
_DIGEST = hashlib.sha256(b"the quick brown fox").digest()

HEADS: dict[str, tuple[bytes, str | None]] = {
    "matroska": (_head(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01"), "matroska"),
    "webm": (_head(b"\x1a\x45\xdf\xa3\x9f\x42\x82\x84webm"), "matroska"),
    "mp4 ftyp": (_head(_box(b"ftyp", b"isom\0\0\2\0isomiso2avc1mp41")), "mp4"),
    "m4b ftyp": (_head(_box(b"ftyp", b"M4B \0\0\0\0M4B mp42isom")), "mp4"),
    "quicktime wide then mdat": (_head(b"\0\0\0\x08wide\0\x10\0\0mdat"), "mp4"),
    "quicktime moov first": (_head(_box(b"moov", bytes(100))), "mp4"),
    "mp4 with a 64-bit mdat": (_head(b"\0\0\0\x01mdat\0\0\0\x01\0\0\0\0"), "mp4"),
    "avi": (_head(b"RIFF\xe6\x28\x0a\x00AVI LIST"), "avi"),
    "wav": (_head(b"RIFF\x24\x08\x00\x00WAVEfmt "), "wav"),
    "rf64 wav": (_head(b"RF64\xff\xff\xff\xffWAVEds64"), "wav"),
    "aiff": (_head(b"FORM\0\0\x10\0AIFFCOMM"), "aiff"),
    "asf": (_head(bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")), "asf"),
    "flv": (_head(b"FLV\x01\x05\0\0\0\x09"), "flv"),
    "ogg": (_head(b"OggS\x00\x02" + bytes(20) + b"\x01\x13OpusHead"), "ogg"),
    "flac": (_head(b"fLaC\x00\x00\x00\x22"), "flac"),
    "id3v2.4": (_head(b"ID3\x04\x00\x00\x00\x00\x10\x00TIT2"), "id3"),
    "id3v2.3": (_head(b"ID3\x03\x00\x00\x00\x01\x00\x00TPE1"), "id3"),
    "mp3 without a tag": (_mp3_frames(160)[:KIB64], "mpeg-audio"),
    "mp3 cut mid-frame": (_mp3_frames(160)[200:KIB64 + 200], "mpeg-audio"),
    "mp3 of digital silence": (_mp3_frames(160, silent=True)[:KIB64], "mpeg-audio"),
    "silence cut mid-frame": (_mp3_frames(160, silent=True)[99:KIB64 + 99], "mpeg-audio"),
    "aac adts": (_adts_frames(230)[:KIB64], "adts"),
    "ape": (_head(b"MAC \x96\x0f"), "ape"),
    "wavpack": (_head(b"wvpk\x20\x00\x00\x00"), "wavpack"),
    "mpeg-ts": (_ts_packets(400)[:KIB64], "mpeg-ts"),
    "mpeg-ts cut mid-packet": (_ts_packets(400, cut=77)[:KIB64], "mpeg-ts"),
    "m2ts": (_ts_packets(400, size=192)[:KIB64], "m2ts"),
    "mpeg-ts of null packets": ((b"\x47\x1f\xff\x10" + b"\xff" * 184) * 400, "mpeg-ts"),
    "vob pack header": (_head(b"\0\0\1\xba\x44\0\x04\0\x04\x01"), "mpeg-ps"),
    "mpg after zero stuffing": (_head(bytes(2048) + b"\0\0\1\xba\x44"), "mpeg-ps"),
    "mpeg-1 video": (_head(b"\0\0\1\xb3\x0a\x00\x78"), "mpeg-video"),
    "raw h264": (_head(b"\0\0\0\1\x67\x64\x00\x28"), "h264"),
    "realmedia": (_head(b".RMF\0\0\0\x12"), "realmedia"),
    "iso 9660": (_head(_ISO), "disc-image"),
    "udf": (_head(_UDF), "disc-image"),
    "zip (epub, cbz)": (_head(b"PK\x03\x04\x14\0\0\0\0\0mimetypeapplication/epub+zip"), "zip"),
    "pdf": (_head(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "pdf"),
    "pdf after junk": (_head(b"\r\n\r\n%PDF-1.4\n", at=300), "pdf"),
    "a whole small pdf": (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n", "pdf"),
    "mobi": (_head(_pdb(b"BOOKMOBI")), "mobi"),
    "palmdoc": (_head(_pdb(b"TEXtREAd")), "mobi"),
    "rar 4": (_head(b"Rar!\x1a\x07\x00"), "rar"),
    "rar 5": (_head(b"Rar!\x1a\x07\x01\x00"), "rar"),
    "7z": (_head(b"7z\xbc\xaf\x27\x1c\x00\x04"), "7z"),
    "djvu": (_head(b"AT&TFORM\0\0\x10\0DJVU"), "djvu"),
    # What is not a known format.
    "payload noise": (_noise(KIB64), None),
    "a jpeg": (_head(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01"), None),
    "html": (b"<!DOCTYPE html><html><body>" + b"Not found. " * 5000, None),
    "a repeated sha256 digest": (_DIGEST * 2048, None),
    "all 0xff": (b"\xff" * KIB64, None),
    "zeros": (bytes(KIB64), None),
    "nothing": (b"", None),
}


@pytest.mark.parametrize(("head", "expected"), HEADS.values(), ids=HEADS.keys())
def test_each_format_is_named_from_its_first_bytes(head: bytes, expected: str | None) -> None:
    assert sniff(head) == expected


def test_every_name_sniff_gives_has_a_label() -> None:
    assert {found for _, found in HEADS.values() if found} <= set(LABELS)


def test_a_repeated_pattern_is_not_taken_for_sync_bytes_whatever_it_holds() -> None:
    # Digests holding 0x47 or 0xFFF would pass a sync-only check for MPEG-TS or
    # MPEG audio; MediaInfo took some of them for streams and read on.
    for n in range(300):
        digest = hashlib.sha256(str(n).encode()).digest()
        assert sniff(digest * 2048) is None, digest.hex()


# --- real files ---------------------------------------------------------------------------

REAL = {"movie.mkv": "matroska", "hlg.mkv": "matroska", "hevc10.mp4": "mp4", "clip.avi": "avi",
        "song.mp3": "id3", "song.flac": "flac", "song.m4a": "mp4", "song.opus": "ogg",
        "truncated.mkv": "matroska", "header-only.mkv": "matroska", "book.epub": "zip",
        "paper.pdf": "pdf", "comic.cbz": "zip"}


@pytest.mark.parametrize(("name", "expected"), REAL.items(), ids=REAL.keys())
def test_the_fixture_media_are_sniffed_as_what_they_are(media: Media, name: str,
                                                        expected: str) -> None:
    assert sniff(media(name).read_bytes()[:KIB64]) == expected


def test_an_mp3_without_its_id3_tag_is_found_by_its_frames(media: Media) -> None:
    data = media("song.mp3").read_bytes()
    assert data[:3] == b"ID3"
    tag_size = 10 + sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(data[6:10]))  # syncsafe
    assert sniff(data[tag_size:][:KIB64]) == "mpeg-audio"


# name -> (ffmpeg output arguments, expected)
FFMPEG = {
    "clip.ts": (["-c:v", "mpeg2video", "-c:a", "mp2"], "mpeg-ts"),
    "clip.m2ts": (["-c:v", "mpeg2video", "-c:a", "mp2", "-f", "mpegts",
                   "-mpegts_m2ts_mode", "1"], "m2ts"),
    "clip.vob": (["-c:v", "mpeg2video", "-c:a", "mp2", "-f", "vob"], "mpeg-ps"),
    "clip.wmv": (["-c:v", "wmv2", "-c:a", "wmav2"], "asf"),
    "clip.flv": (["-c:v", "flv", "-c:a", "aac"], "flv"),
    "clip.mov": (["-c:v", "mpeg4", "-c:a", "aac"], "mp4"),
    "clip.webm": (["-c:v", "libvpx", "-c:a", "libvorbis"], "matroska"),
    "tone.wav": (["-vn", "-c:a", "pcm_s16le"], "wav"),
    "tone.aac": (["-vn", "-c:a", "aac"], "adts"),
    "tone.mp2": (["-vn", "-c:a", "mp2", "-f", "mp2"], "mpeg-audio"),
    "tone.ogg": (["-vn", "-c:a", "libvorbis"], "ogg"),
    "tone.aiff": (["-vn", "-c:a", "pcm_s16be"], "aiff"),
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    ffmpeg = shutil.which("ffmpeg")
    folder = tmp_path_factory.mktemp("sniff-media")

    def make(name: str) -> Path:
        if ffmpeg is None:
            pytest.skip("ffmpeg is not installed")
        out = folder / name
        command = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                   "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10:duration=2",
                   "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
                   *FFMPEG[name][0], str(out)]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
        if done.returncode != 0:
            pytest.skip(f"this ffmpeg can't make {name}: {done.stderr.strip()[-200:]}")
        return out

    return make


@pytest.mark.parametrize("name", FFMPEG)
def test_containers_ffmpeg_writes_are_sniffed_as_what_they_are(made: Callable[[str], Path],
                                                               name: str) -> None:
    assert sniff(made(name).read_bytes()[:KIB64]) == FFMPEG[name][1]


# --- the gate -------------------------------------------------------------------------------

def _code(head: bytes, name: str, cls: str) -> str | None:
    try:
        check(head, f"/library/{name}", cls)
    except ItemFailure as failure:
        return failure.code
    return None


def test_a_head_of_zeros_is_an_unfinished_download_with_the_issues_wording() -> None:
    with pytest.raises(ItemFailure) as caught:
        check(bytes(KIB64), "/library/Heat (1995).mkv", "video")
    assert caught.value.code == "incomplete"
    assert caught.value.message == ("looks like an unfinished download: "
                                    "the first 64 KiB are zeros")


@pytest.mark.parametrize(("name", "cls"), [("a.mkv", "video"), ("b.m4b", "audio"),
                                           ("c.epub", "book"), ("d.weird", "video")])
def test_zeros_are_incomplete_whatever_the_name_and_however_short(name: str, cls: str) -> None:
    assert _code(bytes(KIB64), name, cls) == "incomplete"
    assert _code(bytes(1000), name, cls) == "incomplete"


def test_no_bytes_at_all_stay_empty() -> None:
    assert _code(b"", "a.mkv", "video") == "empty"


# (what the head is, the file's name, its class) -> passes the gate?
GATE = [
    ("mp4 ftyp", "Movie (2010).mkv", "video", True),  # an .mkv that is really MP4
    ("matroska", "Movie (2010).mp4", "video", True),
    ("mp3 without a tag", "Movie (2010).avi", "video", True),  # MediaInfo's to judge
    ("mpeg-ts", "Recording.m2ts", "video", True),
    ("vob pack header", "VTS_01_1.VOB", "video", True),
    ("iso 9660", "Disc.iso", "video", True),
    ("m4b ftyp", "Book.m4b", "audio", True),
    ("matroska", "Album.mka", "audio", True),
    ("aac adts", "Track.aac", "audio", True),
    ("rar 4", "Comic 001.cbz", "book", True),  # books.py names the mismatch itself
    ("zip (epub, cbz)", "Comic 001.cbr", "book", True),
    ("mobi", "Novel.azw3", "book", True),
    ("a whole small pdf", "Paper.pdf", "book", True),
    ("payload noise", "Something.xyz", "video", True),  # an extension we have no rule for
    ("pdf", "Movie (2010).mkv", "video", False),
    ("html", "Movie (2010).mp4", "video", False),
    ("a jpeg", "Movie (2010).mkv", "video", False),
    ("payload noise", "Movie (2010).mkv", "video", False),
    ("a repeated sha256 digest", "Movie (2010).mkv", "video", False),
    ("zip (epub, cbz)", "Track.mp3", "audio", False),
    ("rar 4", "Novel.epub", "book", False),
    ("zip (epub, cbz)", "Paper.pdf", "book", False),
    ("pdf", "Novel.mobi", "book", False),
]


def test_a_pdf_is_judged_by_its_end_too() -> None:
    start = b"%PDF-1.7\n" + _noise(KIB64 - 10) + b"%"
    check(start, "/library/Paper.pdf", "book", tail=_noise(KIB64 - 6) + b"%%EOF\n")
    # A file of 64 KiB and a bit: the marker may sit in what both chunks hold.
    check(start, "/library/Paper.pdf", "book", tail=b"%EOF\n")
    with pytest.raises(ItemFailure, match=r"no %%EOF in its last 64 KiB") as caught:
        check(start, "/library/Paper.pdf", "book", tail=bytes(KIB64))
    assert caught.value.code == "corrupt"


@pytest.mark.parametrize(("head", "name", "cls", "passes"), GATE,
                         ids=[f"{h} as {n}" for h, n, _, _ in GATE])
def test_a_head_passes_when_the_parser_for_its_name_can_read_it(head: str, name: str, cls: str,
                                                                 passes: bool) -> None:
    assert _code(HEADS[head][0], name, cls) == (None if passes else "unrecognised")


def test_the_message_names_what_the_file_holds_instead() -> None:
    with pytest.raises(ItemFailure, match=r"its first bytes are a PDF document, not what a "
                                          r"\.mkv file holds"):
        check(HEADS["pdf"][0], "/library/Movie (2010).mkv", "video")
    with pytest.raises(ItemFailure, match=r"repeat one 32-byte pattern"):
        check(HEADS["a repeated sha256 digest"][0], "/library/Movie (2010).mkv", "video")


@pytest.mark.parametrize(("name", "label"), [("Title.azw3", "mobi"), ("Title.mobi", "mobi"),
                                             ("Issue 001.cbr", "rar")])
def test_the_generators_kindle_and_rar_heads_read_as_their_format(
        tmp_path: Path, name: str, label: str) -> None:
    from benchmarks.books import make_book

    path = tmp_path / name
    assert make_book(path)
    head = path.read_bytes()[:65536]
    assert sniff(head) == label
    check(head, str(path), "book")  # a book its extension promises: no failure
