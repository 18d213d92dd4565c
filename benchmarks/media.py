"""Tiny real media files for tests, benchmarks and the demo library.

Contract:

- ``make_media(path, kind)`` writes a complete, playable file of one *kind*
  (a container plus codecs, see ``KINDS``) at ``path``, replacing what is
  there. Audio files are 1 s long; videos run 120 s (a plain colour at
  1 fps over 2 s of sound) so that jforg's runtime rule (< 90 s is a
  sample) sees a feature. All are tiny in resolution, at most ~50 KB, and
  carry realistic metadata: stream languages and titles for video, full
  album tags for music. Tags are fixed per kind; they are not derived from
  the target name.
- Each kind is encoded at most once per process and backend; later calls
  copy the cached file, so a library with 24 media files costs a handful of
  ffmpeg runs. The cache is a private temporary folder removed at exit.
  Not thread-safe: call from one thread.
- With ffmpeg (found on ``PATH``) every kind is made by ffmpeg from
  ``-f lavfi`` sources. A kind whose preferred encoder is missing from the
  build uses the next one in its table below (the kind name describes the
  preferred content):

  ===================  ==================================  =================
  kind                 preferred                           fallbacks
  ===================  ==================================  =================
  mkv-h264-aac-subs    Matroska: H.264, AAC, 2 SRT tracks  MPEG-4 Part 2
  mp4-hevc-10bit       MP4: HEVC 10-bit (hvc1), AAC        H.264, MPEG-4 Pt2
  avi                  AVI: MPEG-4 Part 2 (XVID), MP3      MP2 audio
  m2ts                 BD transport stream: H.264, AC-3    MPEG-2 video
  webm                 WebM: VP9, Opus                     VP8, Vorbis
  mp3-id3              MP3 with ID3v2.3                    pure Python
  flac-vorbis          FLAC with Vorbis comments + MBIDs   pure Python
  m4a                  AAC in MP4 with iTunes atoms
  opus                 Ogg Opus with Vorbis comments       native opus
  wav                  PCM WAV (always pure Python)
  ===================  ==================================  =================

- Without ffmpeg, or when a kind's encoders are all missing, kinds with a
  pure-Python writer (``mp3-id3``, ``flac-vorbis``, ``avi``, ``wav``) are
  written by this module: genuine files of the named format (silent MP3
  frames after an ID3v2.3 tag; constant-subframe FLAC with Vorbis comments;
  uncompressed BGR video with 8-bit PCM in AVI). Everything else raises
  ``MediaUnavailable``; nothing is ever written under a misleading suffix.

Exceptions::

    MediaError              ffmpeg ran and failed (kind and ffmpeg's last line)
    └── MediaUnavailable    this kind cannot be made here (no ffmpeg or encoder,
                            and no pure-Python writer)
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import math
import shutil
import struct
import subprocess
import tempfile
import wave
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Final

__all__ = [
    "AUDIO_KINDS",
    "KINDS",
    "VIDEO_KINDS",
    "MediaError",
    "MediaUnavailable",
    "can_make",
    "encoders",
    "ffmpeg_available",
    "kind_for_suffix",
    "make_media",
]


class MediaError(Exception):
    """ffmpeg ran for a kind and failed."""


class MediaUnavailable(MediaError):
    """This kind cannot be made in this environment."""


#: kind -> the suffix its cached file carries (what the content really is).
KINDS: Final[Mapping[str, str]] = MappingProxyType({
    "mkv-h264-aac-subs": ".mkv",
    "mp4-hevc-10bit": ".mp4",
    "avi": ".avi",
    "m2ts": ".m2ts",
    "webm": ".webm",
    "mp3-id3": ".mp3",
    "flac-vorbis": ".flac",
    "m4a": ".m4a",
    "opus": ".opus",
    "wav": ".wav",
})
VIDEO_KINDS: Final = frozenset({"mkv-h264-aac-subs", "mp4-hevc-10bit", "avi", "m2ts", "webm"})
AUDIO_KINDS: Final = frozenset(KINDS) - VIDEO_KINDS
VIDEO_SECONDS: Final = 120

# Suffixes that share a container with a kind (audiobooks are MP4 audio).
_SUFFIX_KIND: Final = {suffix: kind for kind, suffix in KINDS.items()} | {
    ".m4v": "mp4-hevc-10bit", ".ts": "m2ts", ".m4b": "m4a", ".ogg": "opus",
}

_MUSIC_TAGS: Final = {
    "artist": "Nora Vale", "album_artist": "Nora Vale", "album": "Lanterns on the Water",
    "title": "Été sans fin", "track": "3/12", "disc": "1/2", "date": "2014", "genre": "Folk",
}
# Vorbis comments name the same fields differently and split "3/12" into two tags.
_VORBIS_TAGS: Final = {
    "ARTIST": "Nora Vale", "ALBUMARTIST": "Nora Vale", "ALBUM": "Lanterns on the Water",
    "TITLE": "Été sans fin", "TRACKNUMBER": "3", "TRACKTOTAL": "12", "DISCNUMBER": "1",
    "DISCTOTAL": "2", "DATE": "2014", "GENRE": "Folk",
}
_MBIDS: Final = {
    "MUSICBRAINZ_ALBUMID": "5b11f4ce-a62d-471e-81fc-a69a8278c7da",
    "MUSICBRAINZ_ARTISTID": "0383dadf-2a4e-4d10-a46a-e9e041da8eb3",
    "MUSICBRAINZ_TRACKID": "c5a3e8f1-7d3b-4a52-9f0e-2d6b8c41e9a7",
    "MUSICBRAINZ_RELEASEGROUPID": "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b",
}

# (encoder, its arguments) in order of preference, per kind.
_Choice = tuple[str, tuple[str, ...]]
_X264: Final = ("libx264", ("-preset", "ultrafast", "-crf", "40", "-pix_fmt", "yuv420p"))
_MPEG4: Final = ("mpeg4", ("-q:v", "20", "-pix_fmt", "yuv420p"))
_AAC: Final = ("aac", ("-b:a", "32k"))
_VIDEO: Final[Mapping[str, tuple[_Choice, ...]]] = {
    "mkv-h264-aac-subs": (_X264, _MPEG4),
    "mp4-hevc-10bit": (
        ("libx265", ("-preset", "ultrafast", "-crf", "40", "-pix_fmt", "yuv420p10le",
                     "-tag:v", "hvc1", "-x265-params", "log-level=error")),
        (_X264[0], (*_X264[1], "-tag:v", "avc1")),
        _MPEG4,
    ),
    "avi": (("mpeg4", ("-vtag", "XVID", "-q:v", "20", "-pix_fmt", "yuv420p")),),
    "m2ts": (_X264, ("mpeg2video", ("-q:v", "20"))),
    "webm": (
        ("libvpx-vp9", ("-deadline", "realtime", "-cpu-used", "8", "-b:v", "60k")),
        ("libvpx", ("-deadline", "realtime", "-cpu-used", "8", "-b:v", "60k")),
    ),
}
_AUDIO: Final[Mapping[str, tuple[_Choice, ...]]] = {
    "mkv-h264-aac-subs": (_AAC,),
    "mp4-hevc-10bit": (_AAC,),
    "avi": (("libmp3lame", ("-b:a", "32k")), ("mp2", ("-b:a", "64k"))),
    "m2ts": (("ac3", ("-b:a", "64k")),),
    "webm": (("libopus", ("-b:a", "24k")), ("libvorbis", ("-q:a", "0"))),
    "mp3-id3": (("libmp3lame", ("-b:a", "32k", "-id3v2_version", "3")),),
    "flac-vorbis": (("flac", ()),),
    "m4a": (_AAC,),
    # The native Opus encoder is "experimental" in ffmpeg and needs 48 kHz.
    "opus": (("libopus", ("-b:a", "24k")), ("opus", ("-strict", "-2", "-ar", "48000"))),
}


def _tag_args(tags: Mapping[str, str], spec: str = "") -> list[str]:
    return [arg for key, value in tags.items() for arg in (f"-metadata{spec}", f"{key}={value}")]


_MOVIE_TAGS: Final = {"title": "The Quiet Harbor", "date": "2006", "comment": "jforg test media"}
_LANG_ENG: Final = ("-metadata:s:a:0", "language=eng", "-metadata:s:a:0", "title=English Stereo")
_EXTRA: Final[Mapping[str, tuple[str, ...]]] = {
    "mkv-h264-aac-subs": (
        *_tag_args(_MOVIE_TAGS), *_LANG_ENG,
        "-metadata:s:s:0", "language=eng", "-metadata:s:s:0", "title=English",
        "-metadata:s:s:1", "language=ger", "-metadata:s:s:1", "title=Deutsch (Forced)",
        "-disposition:s:1", "forced",
    ),
    "mp4-hevc-10bit": (*_tag_args(_MOVIE_TAGS), *_LANG_ENG, "-movflags", "+faststart"),
    "avi": tuple(_tag_args(_MOVIE_TAGS)),
    "m2ts": ("-metadata:s:a:0", "language=eng", "-f", "mpegts", "-mpegts_m2ts_mode", "1"),
    "webm": (*_tag_args(_MOVIE_TAGS), *_LANG_ENG),
    "mp3-id3": (*_tag_args(_MUSIC_TAGS),
                *_tag_args({"MusicBrainz Album Id": _MBIDS["MUSICBRAINZ_ALBUMID"]})),
    "flac-vorbis": (*_tag_args(_VORBIS_TAGS), *_tag_args(_MBIDS)),
    "m4a": tuple(_tag_args(_MUSIC_TAGS)),
    "opus": tuple(_tag_args(_MUSIC_TAGS)),
}

_SRT: Final = "1\n00:00:00,000 --> 00:00:01,000\nHello.\n\n2\n00:00:01,000 --> 00:00:02,000\nBye.\n"


def kind_for_suffix(suffix: str) -> str | None:
    """The kind whose content suits a file with this suffix (any case), else None."""
    return _SUFFIX_KIND.get(suffix.lower())


def ffmpeg_available() -> bool:
    """Whether an ``ffmpeg`` executable is on ``PATH`` right now."""
    return shutil.which("ffmpeg") is not None


def can_make(kind: str) -> bool:
    """Whether ``make_media(..., kind)`` can succeed here (it may still fail if ffmpeg does)."""
    _check_kind(kind)
    return kind in _PURE or _ffmpeg_args(kind) is not None


def make_media(path: Path, kind: str) -> None:
    """Write a tiny real file of ``kind`` at ``path`` (replacing it); see the module contract.

    Raises ``ValueError`` for an unknown kind, ``MediaUnavailable`` when the
    kind cannot be made here, ``MediaError`` when ffmpeg fails.
    """
    _check_kind(kind)
    args = _ffmpeg_args(kind)
    backend = "ffmpeg" if args is not None else "python"
    if args is None and kind not in _PURE:
        why = "ffmpeg is not on PATH" if not ffmpeg_available() else "its encoders are missing"
        raise MediaUnavailable(f"cannot make {kind} media: {why}")
    cached = _CACHE.get((kind, backend))
    if cached is None:
        cached = _cache_dir() / f"{kind}-{backend}{KINDS[kind]}"
        if args is not None:
            _run_ffmpeg(kind, args, cached)
        else:
            _PURE[kind](cached)
        _CACHE[(kind, backend)] = cached
    shutil.copyfile(cached, path)


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown media kind {kind!r}; known: {', '.join(KINDS)}")


_CACHE: dict[tuple[str, str], Path] = {}


@functools.cache
def _cache_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="jforg-media-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@functools.cache
def encoders(ffmpeg: str) -> frozenset[str]:
    """Encoder names of this ffmpeg build (cached per executable path)."""
    out = subprocess.run([ffmpeg, "-hide_banner", "-nostdin", "-encoders"], capture_output=True,
                         text=True, check=False).stdout
    # The table follows a " ------" rule; each row is "<flags> <name> <description>".
    rows = out.partition(" ------\n")[2].splitlines()
    return frozenset(row.split()[1] for row in rows if len(row.split()) > 1)


def _ffmpeg_args(kind: str) -> list[str] | None:
    """The ffmpeg command for ``kind`` without its output, or None if it cannot run here."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None or kind == "wav":
        return None
    have = encoders(ffmpeg)

    def pick(choices: Sequence[_Choice], flag: str) -> list[str] | None:
        for name, extra in choices:
            if name in have:
                return [flag, name, *extra]
        return None

    audio = pick(_AUDIO[kind], "-c:a")
    if audio is None:
        return None
    args = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    if kind in VIDEO_KINDS:
        video = pick(_VIDEO[kind], "-c:v")
        if video is None:
            return None
        # A plain colour at 1 fps compresses to almost nothing, so two
        # minutes of video cost a few KB; the container runs as long as it.
        args += ["-f", "lavfi", "-i",
                 f"color=c=0x336699:size=160x90:rate=1:duration={VIDEO_SECONDS}",
                 "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2"]
        maps = ["-map", "0:v", "-map", "1:a", *video]
    else:
        args += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1"]
        maps = ["-map", "0:a"]
    if kind == "mkv-h264-aac-subs":
        # "{srt}" stands for the subtitle file that _run_ffmpeg writes beside the output;
        # it is mapped twice to give an English and a forced German track.
        args += ["-i", "{srt}"]
        maps += ["-map", "2:s", "-map", "2:s", "-c:s", "srt"]
    args += [*maps, *audio, "-ac", "1"]
    return [*args, *_EXTRA[kind]]


def _run_ffmpeg(kind: str, args: list[str], out: Path) -> None:
    srt = out.with_suffix(".srt")
    if "{srt}" in args:
        srt.write_text(_SRT, encoding="utf-8")
    command = [str(srt) if arg == "{srt}" else arg for arg in args] + [str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not out.is_file():
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        raise MediaError(f"ffmpeg failed to make {kind} media: {lines[-1]}")


# --- pure-Python writers: real files of the named format, no encoder needed ---

def _sine(rate: int, seconds: float, amplitude: float) -> list[float]:
    return [amplitude * math.sin(2 * math.pi * 440 * i / rate) for i in range(int(rate * seconds))]


def _write_wav(path: Path) -> None:
    samples = _sine(8000, 1.0, 8000.0)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(struct.pack(f"<{len(samples)}h", *(round(s) for s in samples)))


def _utf16(text: str) -> bytes:
    # ID3v2.3 encoding 1 is UTF-16 with a BOM; fix the byte order so output is the same anywhere.
    return b"\xff\xfe" + text.encode("utf-16-le")


def _write_mp3(path: Path) -> None:
    ids = {"TPE1": "artist", "TPE2": "album_artist", "TALB": "album", "TIT2": "title",
           "TRCK": "track", "TPOS": "disc", "TYER": "date", "TCON": "genre"}
    bodies = [(fid, b"\x01" + _utf16(_MUSIC_TAGS[key])) for fid, key in ids.items()]
    bodies.append(("TXXX", b"\x01" + _utf16("MusicBrainz Album Id") + b"\x00\x00"
                   + _utf16(_MBIDS["MUSICBRAINZ_ALBUMID"])))
    frames = b"".join(fid.encode() + struct.pack(">IH", len(body), 0) + body
                      for fid, body in bodies)
    size = bytes((len(frames) >> shift) & 0x7F for shift in (21, 14, 7, 0))  # syncsafe
    # MPEG-1 Layer III, 64 kbit/s, 44.1 kHz, mono, no CRC. Zeroed side info and
    # main data decode as silence: 1152 samples per 208-byte frame.
    frame = b"\xff\xfb\x50\xc0" + bytes(204)
    path.write_bytes(b"ID3\x03\x00\x00" + size + frames + frame * 39)


def _crc(data: bytes, poly: int, width: int) -> int:
    crc, top, mask = 0, 1 << (width - 1), (1 << width) - 1
    for byte in data:
        crc ^= byte << (width - 8)
        for _ in range(8):
            crc = ((crc << 1) ^ poly if crc & top else crc << 1) & mask
    return crc


def _write_flac(path: Path) -> None:
    rate, block, blocks = 44100, 4096, 11
    total = block * blocks
    info = struct.pack(">HH", block, block) + bytes(6)  # frame sizes: 0 = unknown
    info += ((rate << 44) | (15 << 36) | total).to_bytes(8, "big")  # mono, 16-bit
    info += hashlib.md5(bytes(total * 2)).digest()
    tags = {**_VORBIS_TAGS, **_MBIDS}
    comments = [f"{key}={value}".encode() for key, value in tags.items()]
    vendor = b"jforg benchmarks.media"
    vorbis = struct.pack("<I", len(vendor)) + vendor + struct.pack("<I", len(comments))
    vorbis += b"".join(struct.pack("<I", len(c)) + c for c in comments)
    out = [b"fLaC", b"\x00" + len(info).to_bytes(3, "big") + info,
           b"\x84" + len(vorbis).to_bytes(3, "big") + vorbis]  # 0x80: last metadata block
    for number in range(blocks):  # frame numbers < 128 are one UTF-8 byte
        # Sync, 4096-sample block, 44.1 kHz, mono, 16-bit; then a CONSTANT subframe of 0.
        header = bytes([0xFF, 0xF8, 0xC9, 0x08, number])
        frame = header + bytes([_crc(header, 0x07, 8)]) + b"\x00\x00\x00"
        out.append(frame + _crc(frame, 0x8005, 16).to_bytes(2, "big"))
    path.write_bytes(b"".join(out))


def _chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + b"\x00" * (len(data) % 2)


def _write_avi(path: Path) -> None:
    width, height, fps, rate = 64, 36, 5, 8000
    bars = [bytes(c) for c in ((255, 255, 255), (0, 255, 255), (255, 255, 0), (0, 255, 0),
                               (255, 0, 255), (0, 0, 255), (255, 0, 0), (0, 0, 0))]  # BGR
    frames = [b"".join(bars[(x // 8 + t) % 8] for x in range(width)) * height for t in range(fps)]
    pcm = bytes(128 + round(s) for s in _sine(rate, 1.0, 60.0))
    step = rate // fps
    movi, index = [b"movi"], []
    for t, frame in enumerate(frames):
        for fourcc, data in ((b"00db", frame), (b"01wb", pcm[t * step:(t + 1) * step])):
            offset = sum(map(len, movi))  # idx1 offsets count from the "movi" tag
            index.append(struct.pack("<4sIII", fourcc, 0x10, offset, len(data)))
            movi.append(_chunk(fourcc, data))
    frame_size = len(frames[0])
    avih = struct.pack("<14I", 1_000_000 // fps, frame_size * fps + rate, 0, 0x10, fps, 0, 2,
                       frame_size, width, height, 0, 0, 0, 0)
    vstrh = struct.pack("<4s4sIHHIIIIIIII4h", b"vids", b"\0\0\0\0", 0, 0, 0, 0, 1, fps, 0,
                        fps, frame_size, 0xFFFFFFFF, 0, 0, 0, width, height)
    vstrf = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, frame_size, 0, 0, 0, 0)
    astrh = struct.pack("<4s4sIHHIIIIIIII4h", b"auds", b"\0\0\0\0", 0, 0, 0, 0, 1, rate, 0,
                        rate, step, 0xFFFFFFFF, 1, 0, 0, 0, 0)
    astrf = struct.pack("<HHIIHHH", 1, 1, rate, rate, 1, 8, 0)  # PCM u8 mono
    hdrl = _chunk(b"LIST", b"hdrl" + _chunk(b"avih", avih)
                  + _chunk(b"LIST", b"strl" + _chunk(b"strh", vstrh) + _chunk(b"strf", vstrf))
                  + _chunk(b"LIST", b"strl" + _chunk(b"strh", astrh) + _chunk(b"strf", astrf)))
    body = b"AVI " + hdrl + _chunk(b"LIST", b"".join(movi)) + _chunk(b"idx1", b"".join(index))
    path.write_bytes(_chunk(b"RIFF", body))


_PURE: Final = {"mp3-id3": _write_mp3, "flac-vorbis": _write_flac, "avi": _write_avi,
                "wav": _write_wav}
