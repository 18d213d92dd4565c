"""Tags and stream facts of an audio file, from mutagen: the only module importing mutagen.

Contract:

- ``audio_info(path) -> (Tags, Technical)`` for one audio file (``path`` in
  os form). It reads the file, never writes its tags, and raises nothing
  but ``ItemFailure``: "vanished" (gone), "unreadable" (permission, I/O
  error), "empty" (0 bytes), "unrecognised" (mutagen knows no format in
  it, or it lacks the header its name promises: a text file called
  ``.mp3``), "corrupt" (the format is known but the file is damaged or
  truncated past its header, or mutagen read ``max_read`` bytes without
  getting through it).
- Tags are normalised across the families mutagen reads (ID3 in MP3, WAV,
  AIFF; Vorbis comments in FLAC, Ogg, Opus; MP4 atoms; APEv2; ASF) with
  one alias table per family (``_FIELDS``). MusicBrainz ids use Picard's
  names (https://picard.musicbrainz.org/docs/mappings/), keyed by role:
  ``recording`` (ID3 UFID http://musicbrainz.org, MUSICBRAINZ_TRACKID,
  "MusicBrainz Track Id"), ``track`` ("MusicBrainz Release Track Id"),
  ``release`` ("MusicBrainz Album Id"), ``release_group``, ``artist``,
  ``album_artist``. Only well-formed UUIDs are kept (the first, lower
  case): enrich puts them straight into MusicBrainz URLs.
- Genres are split on ";" (how most taggers join several genres in one
  field); "/" is kept, since it appears inside genre names.
- Technical: ``container`` is the usual extension (mp3, flac, m4a, opus,
  ogg, wav, aiff, wv, ape, wma, tta, mpc, aac, ac3, dsf, dff ...), one
  ``AudioTrack`` with a codec from the same vocabulary as ``mediainfo``
  (mp3, flac, aac, alac, opus, vorbis, pcm ...). mutagen reports 2 channels
  for mono AAC in MP4 (it can't rule out implicit Parametric Stereo); that
  is passed on as read.
"""

from __future__ import annotations

import errno
import logging
import os
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from pipeline.core.errors import ItemFailure
from pipeline.core.records import AudioTrack, Tags, Technical
from pipeline.probe.mediafile import ReadLimitReached, open_media, over_budget, reason

__all__ = ["audio_info"]

logger = logging.getLogger(__name__)

# Canonical field -> lower-case keys to look up, in order, per tag family.
_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "id3": {
        "artist": ("tpe1",), "album_artist": ("tpe2",), "album": ("talb",), "title": ("tit2",),
        "track": ("trck",), "disc": ("tpos",), "date": ("tdrc", "tyer"), "genre": ("tcon",),
        # iTunes' TCMP; ffmpeg writes the flag as TXXX:compilation (2.3) or TXXX:TCMP (2.4).
        "compilation": ("tcmp", "txxx:compilation", "txxx:tcmp"),
    },
    "vorbis": {
        "artist": ("artist",), "album_artist": ("albumartist", "album artist", "album_artist"),
        "album": ("album",), "title": ("title",), "track": ("tracknumber",),
        "track_total": ("tracktotal", "totaltracks"), "disc": ("discnumber",),
        "disc_total": ("disctotal", "totaldiscs"), "date": ("date", "year"),
        "genre": ("genre",), "compilation": ("compilation",),
    },
    "mp4": {
        "artist": ("©art",), "album_artist": ("aart",), "album": ("©alb",), "title": ("©nam",),
        "track": ("trkn",), "disc": ("disk",), "date": ("©day",), "genre": ("©gen",),
        "compilation": ("cpil",),
    },
    "ape": {
        "artist": ("artist",), "album_artist": ("album artist", "albumartist", "album_artist"),
        "album": ("album",), "title": ("title",), "track": ("track",), "disc": ("disc",),
        "date": ("year", "date"), "genre": ("genre",), "compilation": ("compilation",),
    },
    "asf": {
        "artist": ("author",), "album_artist": ("wm/albumartist",), "album": ("wm/albumtitle",),
        "title": ("title",), "track": ("wm/tracknumber", "wm/track"), "disc": ("wm/partofset",),
        "date": ("wm/year", "date"), "genre": ("wm/genre",), "compilation": ("wm/iscompilation",),
    },
}
# role -> (Picard's spaced name, its Vorbis comment name).
_MUSICBRAINZ = {
    "recording": ("MusicBrainz Track Id", "MUSICBRAINZ_TRACKID"),
    "track": ("MusicBrainz Release Track Id", "MUSICBRAINZ_RELEASETRACKID"),
    "release": ("MusicBrainz Album Id", "MUSICBRAINZ_ALBUMID"),
    "release_group": ("MusicBrainz Release Group Id", "MUSICBRAINZ_RELEASEGROUPID"),
    "artist": ("MusicBrainz Artist Id", "MUSICBRAINZ_ARTISTID"),
    "album_artist": ("MusicBrainz Album Artist Id", "MUSICBRAINZ_ALBUMARTISTID"),
}
_CONTAINERS = {
    "MP3": "mp3", "FLAC": "flac", "MP4": "m4a", "OggOpus": "opus", "OggVorbis": "ogg",
    "OggFLAC": "ogg", "OggSpeex": "ogg", "OggTheora": "ogg", "WAVE": "wav", "AIFF": "aiff",
    "WavPack": "wv", "MonkeysAudio": "ape", "ASF": "wma", "TrueAudio": "tta",
    "Musepack": "mpc", "OptimFROG": "ofr", "TAK": "tak", "AAC": "aac", "AC3": "ac3",
    "DSF": "dsf", "DSDIFF": "dff", "SMF": "mid",
}
_CODECS = {
    "FLAC": "flac", "OggOpus": "opus", "OggVorbis": "vorbis", "OggFLAC": "flac",
    "OggSpeex": "speex", "OggTheora": "theora", "WAVE": "pcm", "AIFF": "pcm",
    "WavPack": "wavpack", "MonkeysAudio": "ape", "ASF": "wma", "TrueAudio": "tta",
    "Musepack": "musepack", "OptimFROG": "ofr", "TAK": "tak", "AAC": "aac", "DSF": "dsd",
    "DSDIFF": "dsd", "SMF": "midi",
}
# MP4 sample-entry codecs (mutagen's ``info.codec``) by prefix.
_MP4_CODECS = (("mp4a.40.34", "mp3"), ("mp4a.40", "aac"), ("mp4a.6b", "mp3"),
               ("mp4a.69", "mp3"), ("alac", "alac"), ("ac-3", "ac3"), ("ec-3", "eac3"),
               ("opus", "opus"), ("flac", "flac"))
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NUMBER_PAIR = re.compile(r"\s*(\d+)\s*(?:(?:/|of)\s*(\d+))?")
_YEAR = re.compile(r"\s*(\d{4})")
_TRUE = frozenset({"1", "true", "yes"})


def audio_info(path: str, max_read: int | None = None) -> tuple[Tags, Technical]:
    """Normalised tags and stream facts of one audio file; raises only ``ItemFailure``."""
    with open_media(path, max_read=max_read) as handle:
        size = os.fstat(handle.fileno()).st_size
        try:
            audio = _load(handle)
        except ReadLimitReached as limit:
            raise over_budget(limit.limit, "readable audio stream") from None
    family, fields = _fields(audio.tags)
    return _tags(family, fields), _technical(audio, size)


# --- reading -------------------------------------------------------------------

def _load(handle: BinaryIO) -> Any:
    import mutagen
    from mutagen.flac import FLACNoHeaderError
    from mutagen.mp3 import HeaderNotFoundError

    try:
        audio = mutagen.File(handle)
    except (HeaderNotFoundError, FLACNoHeaderError):
        # mutagen picked the format by the name's extension and found no header.
        raise ItemFailure("unrecognised", "no audio header where the file name promises one"
                          ) from None
    except Exception as exc:  # mutagen's errors, and whatever a damaged file provokes
        cause = _os_error(exc)
        if cause is not None:
            raise ItemFailure("unreadable", reason(cause)) from None
        # mutagen sometimes quotes the name it was given; the record has the path.
        detail = str(exc).replace(str(getattr(handle, "name", "")), "the file")
        raise ItemFailure("corrupt", reason(exc, detail)) from None
    if audio is None:
        raise ItemFailure("unrecognised", "mutagen does not recognise this file's format")
    return audio


def _os_error(exc: BaseException) -> OSError | None:
    """An OS-level read error behind mutagen's wrapping (it re-raises IOError as its own).

    EINVAL does not count: it is a seek before the start of the file, where
    damaged offsets led the parser, not a failing disk.
    """
    seen: BaseException | None = exc
    while seen is not None:
        for candidate in (seen, seen.args[0] if seen.args else None):
            if isinstance(candidate, OSError) and candidate.errno not in (None, errno.EINVAL):
                return candidate
        seen = seen.__cause__ or seen.__context__
    return None




# --- tags ----------------------------------------------------------------------

def _fields(tags: Any) -> tuple[str, dict[str, list[str]]]:
    """The tag family and its fields as lower-case key -> text values."""
    from mutagen._vorbis import VComment
    from mutagen.apev2 import APETextValue, APEv2
    from mutagen.asf import ASFTags
    from mutagen.id3 import ID3
    from mutagen.mp4 import MP4Tags

    fields: dict[str, list[str]] = {}
    if isinstance(tags, ID3):
        family, pairs = "id3", _id3_pairs(tags)
    elif isinstance(tags, VComment):
        family, pairs = "vorbis", ((key, str(value)) for key, value in tags)
    elif isinstance(tags, MP4Tags):
        family, pairs = "mp4", _mp4_pairs(tags)
    elif isinstance(tags, APEv2):
        family = "ape"
        items: list[tuple[str, Any]] = list(tags.items())  # type: ignore[no-untyped-call]
        pairs = ((key, part) for key, value in items if isinstance(value, APETextValue)
                 for part in str(value).split("\0"))
    elif isinstance(tags, ASFTags):
        family = "asf"
        pairs = ((key, _text(attr.value)) for key, attr in tags)
    else:
        return "none", fields
    for key, raw in pairs:
        value = raw.strip().strip("\0")
        if value:
            fields.setdefault(key.lower(), []).append(value)
    return family, fields


def _id3_pairs(tags: Any) -> Iterator[tuple[str, str]]:
    for frame in tags.values():
        key = frame.HashKey
        if frame.FrameID == "UFID":
            yield key, frame.data.decode("ascii", "replace")
        elif frame.FrameID == "TCON":  # resolves ID3v1 "(17)" references to names
            yield from ((key, genre) for genre in frame.genres)
        elif frame.FrameID.startswith("T"):
            yield from ((key, str(text)) for text in frame.text)


def _mp4_pairs(tags: Any) -> Iterator[tuple[str, str]]:
    for key, values in tags.items():
        if key == "covr":
            continue
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, tuple):  # trkn / disk: (number, total)
                number, total = (*value, 0, 0)[:2]
                yield key, f"{number}/{total}" if total else str(number)
            else:
                yield key, _text(value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, bytes):  # MP4 freeform atoms hold UTF-8 bytes
        return value.decode("utf-8", "replace")
    return str(value)


def _tags(family: str, fields: dict[str, list[str]]) -> Tags:
    keys = _FIELDS.get(family, {})

    def values(field: str) -> list[str]:
        for key in keys.get(field, ()):
            if key in fields:
                return fields[key]
        return []

    def first(field: str) -> str | None:
        found = values(field)
        return found[0] if found else None

    track, track_total = _number_pair(first("track"))
    disc, disc_total = _number_pair(first("disc"))
    date = first("date")
    year = _YEAR.match(date) if date else None
    genres: list[str] = []
    for value in values("genre"):
        genres += [g.strip() for g in value.split(";") if g.strip() and g.strip() not in genres]
    return Tags(
        artist=first("artist"),
        album_artist=first("album_artist"),
        album=first("album"),
        title=first("title"),
        track=track,
        track_total=track_total or _number_pair(first("track_total"))[0],
        disc=disc,
        disc_total=disc_total or _number_pair(first("disc_total"))[0],
        date=date,
        year=int(year.group(1)) if year else None,
        genre=genres,
        compilation=(first("compilation") or "").lower() in _TRUE,
        musicbrainz=_musicbrainz(family, fields),
    )


def _number_pair(text: str | None) -> tuple[int | None, int | None]:
    """ "3/12" -> (3, 12); "03" -> (3, None); zeros and junk -> None."""
    match = _NUMBER_PAIR.match(text) if text else None
    if not match:
        return None, None
    number, total = int(match.group(1)), int(match.group(2) or 0)
    return number or None, total or None


def _musicbrainz(family: str, fields: dict[str, list[str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for role, (spaced, vorbis) in _MUSICBRAINZ.items():
        if family == "id3":
            keys = [f"txxx:{spaced}", f"txxx:{vorbis}"]
            if role == "recording":
                keys.insert(0, "ufid:http://musicbrainz.org")
        elif family == "mp4":
            keys = [f"----:com.apple.itunes:{spaced}"]
        elif family == "asf":
            keys = [f"musicbrainz/{spaced.removeprefix('MusicBrainz ')}"]
        else:
            keys = [vorbis, spaced]
        for key in keys:
            # Several ids may share one field ("a/b" in ID3v2.3): keep the first.
            ids = [u for v in fields.get(key.lower(), []) for u in _UUID.findall(v.lower())]
            if ids:
                found[role] = ids[0]
                break
    return found


# --- technical -------------------------------------------------------------------

def _technical(audio: Any, size: int) -> Technical:
    kind = type(audio).__name__
    info = audio.info
    length = getattr(info, "length", None)
    # A stub Ogg page can give a negative length; treat anything not positive as unknown.
    duration = round(float(length), 3) if length and length > 0 else None
    bitrate = getattr(info, "bitrate", None)
    if not bitrate or bitrate <= 0:
        bitrate = None
    if bitrate is None and duration:
        bitrate = round(size * 8 / duration)
    channels = getattr(info, "channels", None)
    return Technical(
        container=_CONTAINERS.get(kind, kind.lower()),
        duration_s=duration,
        bitrate=int(bitrate) if bitrate else None,
        audio=[AudioTrack(codec=_codec(kind, info),
                          channels=int(channels) if channels else None)],
    )


def _codec(kind: str, info: Any) -> str:
    if kind == "MP3":
        return {1: "mp1", 2: "mp2"}.get(getattr(info, "layer", 3), "mp3")
    if kind in ("MP4", "AC3"):
        codec = str(getattr(info, "codec", "")).lower()
        for prefix, name in _MP4_CODECS:
            if codec.startswith(prefix):
                return name
        return codec or "unknown"
    return _CODECS.get(kind, kind.lower())
