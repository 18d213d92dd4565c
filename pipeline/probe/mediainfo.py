"""Technical facts of a video file, from MediaInfo: the only module importing pymediainfo.

Contract:

- ``technical(path, parse_speed=0.0, max_read=None) -> Technical`` for one
  video file (``path`` in os form). It reads the file, never writes, renames or
  locks it, and raises nothing but ``ItemFailure``:

  ============  ==============================================================
  code          when
  ============  ==============================================================
  vanished      the path no longer exists (or a folder on it is gone)
  unreadable    it exists but can't be opened or read (permission, EIO, ...)
  empty         a zero-byte file
  unrecognised  MediaInfo knows no container in it, or finds no video track
  corrupt       MediaInfo itself failed on the file
  ============  ==============================================================

  A truncated file whose header survived is *not* a failure: MediaInfo
  reads stream facts from the header and this returns them (its overall
  bitrate, computed from the size on disk, is dropped as meaningless).

- Values use fixed vocabularies (the tables below), so later stages and
  the report compare plain strings, never MediaInfo's display names:
  containers are the usual file extension (mkv, webm, mp4, mov, 3gp, avi,
  ts, m2ts, mpeg, wmv, flv, ogg, rm, dv, mxf), video codecs ffmpeg-style
  (h264, hevc, av1, vp9, vp8, mpeg4, msmpeg4, mpeg2, mpeg1, vc1, wmv1,
  wmv2, theora, prores, mjpeg, ffv1, h263 ...), audio codecs (aac, ac3,
  eac3, dts, dts-hd, truehd, mlp, flac, opus, vorbis, mp3, mp2, pcm, alac,
  wma ...), subtitle codecs (srt, ass, ssa, pgs, vobsub, webvtt, mov_text,
  dvbsub, eia-608 ...). A name not in a table is MediaInfo's own, lower
  case with spaces as dashes, so nothing is ever silently lost.

- ``parse_speed`` is MediaInfo's ParseSpeed. At 0 MediaInfo reads the
  container header and the first packets only (128 KiB of a 33 MB mkv,
  against 5 MiB at 0.5; 7x faster on a 15 MB mkv, 2x on mp4). Measured
  (pymediainfo 7.0.1, libmediainfo 24.12, ffmpeg-made mkv/mp4/avi/ts):
  container, duration, overall bitrate, codecs, width/height, bit depth,
  HDR format and compatibility, transfer characteristics, channels,
  languages, titles and default/forced flags are the same at 0 as at 0.5.
  What needs frames to be timed can go: the frame count, and the frame
  rate when neither the container header nor the codec header states it
  (ffmpeg's Matroska with x264's default preset or x265); then
  ``original_frame_rate`` or ``framerate_num/den`` stand in when present,
  else ``frame_rate`` is None. HDR10+ is signalled in per-frame SEI only
  and may need a higher speed (not verified: this ffmpeg's x265 has no
  HDR10+). MPEG-TS and AVI read the same amount at 0 and at 0.5.

- ``max_read`` caps the bytes MediaInfo reads: past it the file ends for
  MediaInfo, which reports what it found so far, as for a truncated file.
  Healthy files stay far below 64 MiB (measured, libmediainfo 24.12 at
  parse speed 0: mkv and mp4 0.1-0.2 MB, avi 0.6 MB, MPEG-TS up to 15 MB,
  MPEG-PS up to 17 MB); without a cap it read a 512 MiB file to its end
  when the file repeated a 32-byte pattern holding a plausible sync (an
  MPEG audio free-format header), and 64 MiB of a valid Matroska header
  followed by zeros. libmediainfo's ``File_Partial_End`` would cap
  it only when it opens the file by name itself.

- The file is opened here and handed to MediaInfo as a file object, never
  by name: libmediainfo cannot open names that are not valid UTF-8 (such
  names exist and must be probed), and opening it ourselves maps errno to
  the codes above without a race between a check and the parse.

- pymediainfo sets libmediainfo options that threads share: do not call
  this from several threads with different ``parse_speed`` values in one
  process (separate processes are fine).
"""

from __future__ import annotations

import errno
import logging
import re
from typing import Any

from pipeline.core.errors import ItemFailure
from pipeline.core.records import AudioTrack, SubtitleTrack, Technical
from pipeline.probe.languages import normalise_language
from pipeline.probe.mediafile import open_media, reason

__all__ = ["RESOLUTIONS", "resolution_label", "technical"]

logger = logging.getLogger(__name__)

# (label, minimum long side, minimum short side): a frame gets the first label
# whose size it reaches in *either* dimension. Width alone catches scope crops
# (1920x800 is 1080p), height alone catches 4:3 and anamorphic frames
# (1440x1080 is 1080p, 720x576 PAL is 576p). The minimums sit ~10 % under
# the nominal sizes so DCI widths (4096, 2048) and odd crops keep their class.
# Everything smaller is the SD bucket, "480p" (also 160x90 test files).
RESOLUTIONS: tuple[tuple[str, int, int], ...] = (
    ("4320p", 6400, 4000),
    ("2160p", 3200, 2000),
    ("1440p", 2300, 1300),
    ("1080p", 1700, 1000),
    ("720p", 1100, 650),
    ("576p", 1000, 540),
)

_CONTAINERS = {
    "matroska": "mkv", "webm": "webm", "mpeg-4": "mp4", "avi": "avi", "divx": "avi",
    "bdav": "m2ts", "mpeg-ts": "ts", "mpeg-ps": "mpeg", "windows media": "wmv",
    "flash video": "flv", "ogg": "ogg", "realmedia": "rm", "dv": "dv", "mxf": "mxf",
}
_VIDEO_CODECS = {
    "avc": "h264", "hevc": "hevc", "av1": "av1", "vp9": "vp9", "vp8": "vp8",
    "mpeg-4 visual": "mpeg4", "xvid": "mpeg4", "divx": "mpeg4", "dx50": "mpeg4",
    "vc-1": "vc1", "wmv1": "wmv1", "wmv2": "wmv2", "theora": "theora", "prores": "prores",
    "jpeg": "mjpeg", "ffv1": "ffv1", "h.263": "h263", "sorenson spark": "flv1", "vvc": "vvc",
    "realvideo 4": "rv40", "dv": "dv",
}
# MPEG-4 Visual fourccs that are really Microsoft's pre-standard MPEG-4 (DivX 3).
_MSMPEG4_IDS = frozenset({"MP41", "MP42", "MP43", "DIV3", "DIV4", "DIV5", "DIV6"})
_AUDIO_CODECS = {
    "aac": "aac", "ac-3": "ac3", "e-ac-3": "eac3", "mlp fba": "truehd", "truehd": "truehd",
    "mlp": "mlp", "flac": "flac", "opus": "opus", "vorbis": "vorbis", "pcm": "pcm",
    "alac": "alac", "wma": "wma", "ac-4": "ac4", "amr": "amr", "speex": "speex",
    "wavpack": "wavpack", "monkey's audio": "ape", "adpcm": "adpcm",
}
_SUBTITLE_CODECS = {
    "utf-8": "srt", "subrip": "srt", "ass": "ass", "ssa": "ssa", "pgs": "pgs",
    "vobsub": "vobsub", "webvtt": "webvtt", "timed text": "mov_text",
    "dvb subtitle": "dvbsub", "eia-608": "eia-608", "eia-708": "eia-708", "ttml": "ttml",
}
# Matroska codec ids, for tracks whose format MediaInfo leaves unnamed.
_SUBTITLE_IDS = {
    "S_TEXT/UTF8": "srt", "S_TEXT/ASS": "ass", "S_TEXT/SSA": "ssa", "S_HDMV/PGS": "pgs",
    "S_VOBSUB": "vobsub", "S_TEXT/WEBVTT": "webvtt", "D_WEBVTT/SUBTITLES": "webvtt",
}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def technical(path: str, parse_speed: float = 0.0, max_read: int | None = None) -> Technical:
    """What MediaInfo finds in one video file; raises only ``ItemFailure`` (see module)."""
    info = _parse(path, parse_speed, max_read)
    general = next((t for t in info.tracks if t.track_type == "General"), None)
    if general is None or not general.format:
        raise ItemFailure("unrecognised", "MediaInfo does not recognise this file's format")
    video = next((t for t in info.tracks if t.track_type == "Video"), None)
    if video is None:
        raise ItemFailure("unrecognised", f"no video track in this {general.format} file")
    truncated = general.istruncated == "Yes"
    if truncated:
        logger.debug("%r is truncated; keeping what its header says", path)
    width, height = _int(video.width), _int(video.height)
    duration_ms = _float(general.duration) or _float(video.duration)
    return Technical(
        container=_container(general),
        duration_s=round(duration_ms / 1000, 3) if duration_ms else None,
        bitrate=None if truncated else _int(general.overall_bit_rate),
        video_codec=_video_codec(video),
        width=width,
        height=height,
        resolution=resolution_label(width, height),
        frame_rate=_frame_rate(video),
        bit_depth=_int(video.bit_depth),
        hdr=_hdr(video),
        audio=[_audio_track(t) for t in info.tracks if t.track_type == "Audio"],
        subtitles=[_subtitle_track(t) for t in info.tracks if t.track_type == "Text"],
    )


def resolution_label(width: int | None, height: int | None) -> str | None:
    """The resolution class of a frame ("1080p" ...), by width *and* height; None if unknown.

    Sides are taken as long and short, so a portrait phone video
    (1080x1920) is 1080p like its landscape twin.
    """
    if width is None or height is None or width <= 0 or height <= 0:
        return None
    long_side, short_side = max(width, height), min(width, height)
    for label, min_long, min_short in RESOLUTIONS:
        if long_side >= min_long or short_side >= min_short:
            return label
    return "480p"


# --- reading -------------------------------------------------------------------

def _parse(path: str, parse_speed: float, max_read: int | None) -> Any:
    from pymediainfo import MediaInfo

    with open_media(path, max_read=max_read, at_limit="eof") as handle:
        try:
            return MediaInfo.parse(handle, parse_speed=parse_speed, encoding_errors="replace")
        except OSError as exc:
            # A read failing half-way (EIO on a NAS, a yanked disk); EINVAL is a
            # seek before the start, where damaged offsets led the parser.
            if exc.errno is not None and exc.errno != errno.EINVAL:
                raise ItemFailure("unreadable", reason(exc, with_type=False)) from None
            # pymediainfo's own OSError: libmediainfo could not be loaded.
            why = reason(exc, with_type=False)
            raise ItemFailure("corrupt", f"MediaInfo failed: {why}") from None
        except Exception as exc:  # libmediainfo or its XML: the file defeated the parser
            why = reason(exc, with_type=False)
            raise ItemFailure("corrupt", f"MediaInfo failed: {why}") from None




# --- mapping MediaInfo's names to ours -------------------------------------------

def _slug(name: str) -> str:
    return "-".join(name.lower().split())


def _container(general: Any) -> str:
    name = str(general.format)
    key = name.lower()
    if key == "mpeg-4":
        profile = str(general.format_profile or "")
        if profile == "QuickTime" or str(general.codec_id or "").strip() == "qt":
            return "mov"
        if profile.startswith("3GPP"):
            return "3gp"
    return _CONTAINERS.get(key) or _slug(name)


def _video_codec(track: Any) -> str | None:
    name = str(track.format or track.codec_id or "")
    key = name.lower()
    if not key:
        return None
    if key == "mpeg video":
        return "mpeg1" if str(track.format_version or "").endswith("1") else "mpeg2"
    if key == "mpeg-4 visual" and str(track.codec_id or "").upper() in _MSMPEG4_IDS:
        return "msmpeg4"
    return _VIDEO_CODECS.get(key) or _slug(name)


def _audio_codec(track: Any) -> str | None:
    name = str(track.format or track.codec_id or "")
    key = name.lower()
    if not key:
        return None
    if key == "dts":
        # XLL is DTS-HD Master Audio (and DTS:X), XBR High Resolution Audio.
        features = str(track.format_additionalfeatures or "")
        return "dts-hd" if "XLL" in features or "XBR" in features else "dts"
    if key == "mpeg audio":
        layer = str(track.format_profile or "")
        return {"Layer 1": "mp1", "Layer 2": "mp2"}.get(layer, "mp3")
    return _AUDIO_CODECS.get(key) or _slug(name)


def _subtitle_codec(track: Any) -> str | None:
    name = str(track.format or "")
    codec_id = str(track.codec_id or "").upper()
    if name.lower() in _SUBTITLE_CODECS:
        return _SUBTITLE_CODECS[name.lower()]
    if codec_id in _SUBTITLE_IDS:
        return _SUBTITLE_IDS[codec_id]
    return _slug(name) if name else None


def _hdr(track: Any) -> str | None:
    """HDR10 / HDR10+ / Dolby Vision / HLG from MediaInfo's HDR and colour fields.

    Dolby Vision wins over the HDR10 or HLG base layer it is compatible
    with, as Jellyfin shows it; HDR10+ over plain HDR10.
    """
    formats = str(track.hdr_format or "")
    compatibility = str(track.hdr_format_compatibility or "")
    transfer = str(track.transfer_characteristics or "")
    if "Dolby Vision" in formats:
        return "Dolby Vision"
    if "HDR10+" in compatibility or "2094" in formats:
        return "HDR10+"
    if "HDR10" in compatibility or "2086" in formats or "PQ" in transfer or "2084" in transfer:
        return "HDR10"
    if "HLG" in transfer or "HLG" in compatibility or "B67" in transfer:
        return "HLG"
    return None


def _frame_rate(track: Any) -> float | None:
    rate = _float(track.frame_rate) or _float(track.original_frame_rate)
    if rate is None:
        num, den = _float(track.framerate_num), _float(track.framerate_den)
        rate = num / den if num and den else None
    return round(rate, 3) if rate else None


def _audio_track(track: Any) -> AudioTrack:
    # Channels may read "8 / 6" (a 7.1 stream with a 5.1 core) or
    # "Object Based / 8": the largest count is what the stream carries.
    counts = [int(float(n)) for n in _NUMBER.findall(str(track.channel_s or ""))]
    return AudioTrack(
        codec=_audio_codec(track),
        channels=max(counts) if counts else None,
        language=_language(track),
        title=_text(track.title),
        default=track.default == "Yes",
        forced=track.forced == "Yes",
    )


def _subtitle_track(track: Any) -> SubtitleTrack:
    return SubtitleTrack(
        codec=_subtitle_codec(track),
        language=_language(track),
        title=_text(track.title),
        default=track.default == "Yes",
        forced=track.forced == "Yes",
    )


def _language(track: Any) -> str | None:
    value = _text(track.language)
    return normalise_language(value) if value else None


def _text(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def _float(value: Any) -> float | None:
    """The first number in a MediaInfo value (an int, "1000.000000", "23.976 (24000/1001)")."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    match = _NUMBER.search(str(value)) if value is not None else None
    return float(match.group()) if match else None


def _int(value: Any) -> int | None:
    number = _float(value)
    return round(number) if number is not None else None
