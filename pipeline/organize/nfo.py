"""NFO files Jellyfin (and Kodi) read beside organized media: pure functions to XML bytes.

Contract:

- ``nfo_for(name, media, probe, match)`` builds the NFO a create entry of the
  plan names (``movie.nfo``, ``<video>.nfo``, ``tvshow.nfo``, ``season.nfo``,
  ``album.nfo``, ``artist.nfo``) from what the plan named the media file
  from (``PlanEntry``), what the probe measured (``ProbeRecord``) and what
  enrich matched (``EnrichRecord``, or None offline). It returns None when
  there is nothing worth writing and ``always`` is false (``organize.nfo:
  auto``): worth writing means a provider id or a plot, or stream details a
  file's name can't say.
- Elements follow the Kodi/Jellyfin NFO dialect: ``title``, ``originaltitle``,
  ``year``, ``premiered``, ``plot``, ``tagline``, ``runtime``, ``mpaa``,
  ``genre``\\ s, one ``uniqueid type="…"`` per provider id (``default="true"``
  on TMDB and MusicBrainz ids), and ``fileinfo/streamdetails`` (video codec,
  size, aspect, duration, HDR; each audio stream's codec, channels and
  language; each subtitle's language).
- Text goes through the XML library, never formatted by hand; characters XML
  1.0 forbids (most control characters, surrogates) are dropped first, so no
  title or plot can break the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.etree import ElementTree

from pipeline.core.records import EnrichRecord, PlanEntry, ProbeRecord, Technical

__all__ = ["NFO_ROOTS", "nfo_for"]

# Which root element an NFO's file name asks for; any other <name>.nfo is a video's.
NFO_ROOTS = {"movie.nfo": "movie", "tvshow.nfo": "tvshow", "season.nfo": "season",
             "album.nfo": "album", "artist.nfo": "artist"}
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Provider ids as NFO uniqueid types; the first present of each kind is the default.
_UNIQUE = {"tmdb": "tmdb", "imdb": "imdb", "tvdb": "tvdb",
           "musicbrainz_release": "musicbrainzalbum",
           "musicbrainz_release_group": "musicbrainzreleasegroup",
           "musicbrainz_artist": "musicbrainzartist"}
_DEFAULT = ("tmdb", "musicbrainz_release", "musicbrainz_artist")


def _text(value: object) -> str:
    return _FORBIDDEN.sub("", str(value))


def _add(parent: ElementTree.Element, tag: str, value: object | None,
         **attrs: str) -> ElementTree.Element | None:
    if value is None or _text(value).strip() == "":
        return None
    element = ElementTree.SubElement(parent, tag, attrs)
    element.text = _text(value)
    return element


def _document(root: ElementTree.Element) -> bytes:
    ElementTree.indent(root, space="  ")
    body = ElementTree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n' + body + "\n"
            ).encode("utf-8")


def _ids(root: ElementTree.Element, ids: dict[str, str], wanted: Iterable[str]) -> None:
    default = next((k for k in _DEFAULT if ids.get(k)), None)
    for key in wanted:
        if ids.get(key):
            attrs = {"type": _UNIQUE[key]}
            if key == default:
                attrs["default"] = "true"
            _add(root, "uniqueid", ids[key], **attrs)


def _details(root: ElementTree.Element, match: EnrichRecord | None, *, title: str | None,
             year: int | None) -> None:
    _add(root, "title", (match.title if match else None) or title)
    if match is not None and match.original_title and match.original_title != match.title:
        _add(root, "originaltitle", match.original_title)
    _add(root, "year", (match.year if match else None) or year)
    if match is None:
        return
    _add(root, "premiered", match.premiered)
    _add(root, "plot", match.overview)
    _add(root, "tagline", match.tagline)
    _add(root, "runtime", match.runtime)
    _add(root, "mpaa", match.certification)
    for genre in match.genres:
        _add(root, "genre", genre)


def _streams(root: ElementTree.Element, tech: Technical | None) -> bool:
    """``fileinfo/streamdetails`` from the probe; False when there was nothing to say."""
    if tech is None or not (tech.video_codec or tech.audio or tech.subtitles):
        return False
    details = ElementTree.SubElement(ElementTree.SubElement(root, "fileinfo"), "streamdetails")
    if tech.video_codec or tech.width:
        video = ElementTree.SubElement(details, "video")
        _add(video, "codec", (tech.video_codec or "").lower() or None)
        if tech.width and tech.height:
            _add(video, "aspect", f"{tech.width / tech.height:.2f}")
        _add(video, "width", tech.width)
        _add(video, "height", tech.height)
        if tech.duration_s:
            _add(video, "durationinseconds", round(tech.duration_s))
        _add(video, "hdrtype", (tech.hdr or "").lower().replace(" ", "") or None)
    for track in tech.audio:
        audio = ElementTree.SubElement(details, "audio")
        _add(audio, "codec", (track.codec or "").lower() or None)
        _add(audio, "language", track.language)
        _add(audio, "channels", track.channels)
    for sub in tech.subtitles:
        _add(ElementTree.SubElement(details, "subtitle"), "language", sub.language)
    return True


def _movie(media: PlanEntry, probe: ProbeRecord | None, match: EnrichRecord | None,
           always: bool) -> bytes | None:
    root = ElementTree.Element("movie")
    _details(root, match, title=media.title, year=media.year)
    ids = match.ids if match is not None else {}
    _ids(root, ids, ("tmdb", "imdb"))
    streams = _streams(root, probe.technical if probe else None)
    if not (always or ids or (match and match.overview) or streams):
        return None
    return _document(root)


def _episode(media: PlanEntry, probe: ProbeRecord | None, match: EnrichRecord | None,
             always: bool) -> bytes | None:
    if media.season is None:
        return None
    root = ElementTree.Element("episodedetails")
    number = media.episodes[0] if media.episodes else None
    key = f"S{media.season:02d}E{number:02d}" if number is not None else ""
    title = (match.episode_titles.get(key) if match is not None and key else None) or (
        probe.parse.episode_title if probe and probe.parse else None)
    _add(root, "title", title)
    _add(root, "showtitle", (match.title if match else None) or media.title)
    _add(root, "season", media.season)
    _add(root, "episode", number)
    streams = _streams(root, probe.technical if probe else None)
    if not (always or title or streams):
        return None
    return _document(root)


def _series(media: PlanEntry, match: EnrichRecord | None, always: bool) -> bytes | None:
    root = ElementTree.Element("tvshow")
    _details(root, match, title=media.title, year=media.year)
    ids = match.ids if match is not None else {}
    _ids(root, ids, ("tmdb", "tvdb", "imdb"))
    if not (always or ids or (match and match.overview)):
        return None
    return _document(root)


def _season(media: PlanEntry, always: bool) -> bytes | None:
    if media.season is None or not always:
        return None  # Jellyfin names a season from its folder; say more only if asked
    root = ElementTree.Element("season")
    _add(root, "title", "Specials" if media.season == 0 else f"Season {media.season}")
    _add(root, "seasonnumber", media.season)
    return _document(root)


def _album(media: PlanEntry, probe: ProbeRecord | None, match: EnrichRecord | None,
           always: bool) -> bytes | None:
    tags = probe.tags if probe is not None else None
    root = ElementTree.Element("album")
    album = (match.title if match else None) or (tags.album if tags else None)
    _add(root, "title", album)
    artist = (match.work.artist if match else None) or (
        (tags.album_artist or tags.artist) if tags else None)
    _add(root, "artist", artist)
    _add(root, "albumartist", artist)
    _add(root, "year", (match.year if match else None) or media.year)
    for genre in (tags.genre if tags else []):
        _add(root, "genre", genre)
    ids = dict(match.ids) if match is not None else {}
    if tags is not None:  # Picard's tags are MusicBrainz ids too
        ids.setdefault("musicbrainz_release", tags.musicbrainz.get("release", ""))
        ids.setdefault("musicbrainz_release_group", tags.musicbrainz.get("release_group", ""))
    _ids(root, ids, ("musicbrainz_release", "musicbrainz_release_group"))
    if not album or not (always or any(ids.values())):
        return None
    return _document(root)


def _artist(probe: ProbeRecord | None, match: EnrichRecord | None, always: bool
            ) -> bytes | None:
    tags = probe.tags if probe is not None else None
    name = (match.work.artist if match else None) or (
        (tags.album_artist or tags.artist) if tags else None)
    ids = {"musicbrainz_artist": (match.ids.get("musicbrainz_artist", "") if match else "")
           or (tags.musicbrainz.get("album_artist") or tags.musicbrainz.get("artist", "")
               if tags else "")}
    if not name or not (always or ids["musicbrainz_artist"]):
        return None
    root = ElementTree.Element("artist")
    _add(root, "name", name)
    _ids(root, ids, ("musicbrainz_artist",))
    return _document(root)


def nfo_for(name: str, media: PlanEntry, probe: ProbeRecord | None,
            match: EnrichRecord | None, *, always: bool = False) -> bytes | None:
    """The NFO file ``name`` for ``media`` (see the module contract)."""
    root = NFO_ROOTS.get(name)
    if root == "tvshow":
        return _series(media, match, always)
    if root == "season":
        return _season(media, always)
    if root == "album":
        return _album(media, probe, match, always)
    if root == "artist":
        return _artist(probe, match, always)
    if media.kind == "episode":
        return _episode(media, probe, match, always)
    if media.kind == "movie":
        return _movie(media, probe, match, always)
    return None
