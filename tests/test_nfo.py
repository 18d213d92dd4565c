"""organize/nfo.py: NFO bytes from records, parsed back as Jellyfin's XML reader would."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from pipeline.core.records import (
    AudioTrack,
    EnrichRecord,
    Parse,
    PlanEntry,
    ProbeRecord,
    ScanRecord,
    SubtitleTrack,
    Tags,
    Technical,
    Work,
)
from pipeline.organize.nfo import nfo_for

MATRIX = EnrichRecord(
    work=Work("movie", "movie|the matrix|1999", "The Matrix", 1999, files=["/m/a.mkv"]),
    confidence="strong", ids={"tmdb": "603", "imdb": "tt0133093"}, title="The Matrix",
    original_title="The Matrix", year=1999, overview="A hacker learns the truth.",
    tagline="Reality is a thing of the past.", genres=["Action", "Science Fiction"],
    runtime=136, certification="R", premiered="1999-03-30")
TECH = Technical(container="Matroska", duration_s=8160.4, video_codec="AVC", width=1920,
                 height=800, hdr="HDR10",
                 audio=[AudioTrack(codec="AAC", channels=6, language="en"),
                        AudioTrack(codec="AC-3", channels=2, language="de")],
                 subtitles=[SubtitleTrack(language="en"), SubtitleTrack(language="fr")])


def _probe(path: str = "/m/a.mkv", **fields: object) -> ProbeRecord:
    return ProbeRecord(scan=ScanRecord(path=path, root="/m", cls="video"),
                       **fields)  # type: ignore[arg-type]


def _movie(title: str = "The Matrix", **fields: object) -> PlanEntry:
    return PlanEntry("move", "movie", source="/m/a.mkv", destination="/d/x.mkv", title=title,
                     year=1999, **fields)  # type: ignore[arg-type]


def _parse(data: bytes | None) -> ElementTree.Element:
    assert data is not None
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"')
    return ElementTree.fromstring(data)


def test_a_matched_movie_carries_its_details_ids_and_streams() -> None:
    root = _parse(nfo_for("movie.nfo", _movie(ids=MATRIX.ids), _probe(technical=TECH), MATRIX))
    assert root.tag == "movie"
    assert [root.findtext(t) for t in ("title", "year", "premiered", "runtime", "mpaa",
                                       "tagline")] == [
        "The Matrix", "1999", "1999-03-30", "136", "R", "Reality is a thing of the past."]
    assert root.findtext("plot") == "A hacker learns the truth."
    assert [g.text for g in root.iter("genre")] == ["Action", "Science Fiction"]
    ids = {u.get("type"): (u.text, u.get("default")) for u in root.iter("uniqueid")}
    assert ids == {"tmdb": ("603", "true"), "imdb": ("tt0133093", None)}
    video = root.find("fileinfo/streamdetails/video")
    assert video is not None
    assert [video.findtext(t) for t in ("codec", "width", "height", "aspect",
                                        "durationinseconds", "hdrtype")] == [
        "avc", "1920", "800", "2.40", "8160", "hdr10"]
    audio = root.findall("fileinfo/streamdetails/audio")
    assert [(a.findtext("codec"), a.findtext("channels"), a.findtext("language"))
            for a in audio] == [("aac", "6", "en"), ("ac-3", "2", "de")]
    assert [s.findtext("language") for s in root.findall("fileinfo/streamdetails/subtitle")] \
        == ["en", "fr"]


@pytest.mark.parametrize("title", [
    "Fast & Furious <Tokyo Drift>",
    "Ends ]]> here",
    "Bell\x07 and\x00 nul\x1b",
    "🎬 Emoji 映画 Ünïcödé",
    "Tab\tand\nnewline",
])
def test_any_title_round_trips_and_forbidden_characters_are_dropped(title: str) -> None:
    root = _parse(nfo_for("movie.nfo", _movie(title), None, None, always=True))
    expected = "".join(c for c in title if c in "\t\n" or ord(c) >= 0x20)
    assert root.findtext("title") == expected


def test_auto_writes_nothing_that_only_repeats_the_name() -> None:
    assert nfo_for("movie.nfo", _movie(), _probe(), None) is None
    assert nfo_for("movie.nfo", _movie(), _probe(technical=TECH), None) is not None
    assert nfo_for("movie.nfo", _movie(), _probe(), None, always=True) is not None


def test_an_episode_series_and_season_get_their_own_roots() -> None:
    episode = PlanEntry("move", "episode", source="/m/a.mkv", destination="/d/x.mkv",
                        title="The Office", year=2005, season=2, episodes=[3, 4])
    office = EnrichRecord(
        work=Work("series", "series|the office|2005", "The Office", 2005),
        confidence="strong", ids={"tmdb": "2316", "tvdb": "73244", "imdb": "tt0386676"},
        title="The Office", year=2005, overview="A mockumentary.", genres=["Comedy"],
        episode_titles={"S02E03": "Office Olympics"}, certification="TV-14")
    root = _parse(nfo_for("The Office (2005) S02E03-E04.nfo", episode,
                          _probe(parse=Parse(type="episode", episode_title="Olympics")), office))
    assert (root.tag, root.findtext("title"), root.findtext("showtitle"),
            root.findtext("season"), root.findtext("episode")) == (
        "episodedetails", "Office Olympics", "The Office", "2", "3")
    show = _parse(nfo_for("tvshow.nfo", episode, None, office))
    assert (show.tag, show.findtext("plot"), show.findtext("mpaa")) == \
        ("tvshow", "A mockumentary.", "TV-14")
    assert {u.get("type"): u.get("default") for u in show.iter("uniqueid")} == \
        {"tmdb": "true", "tvdb": None, "imdb": None}
    season = _parse(nfo_for("season.nfo", episode, None, office, always=True))
    assert (season.tag, season.findtext("seasonnumber")) == ("season", "2")
    assert nfo_for("season.nfo", episode, None, office) is None  # auto: the folder says it


def test_an_album_and_its_artist_carry_the_musicbrainz_ids() -> None:
    track = PlanEntry("move", "music", source="/m/01.flac", destination="/d/01.flac",
                      title="Airbag", year=1997)
    tags = Tags(artist="Radiohead", album_artist="Radiohead", album="OK Computer", year=1997,
                genre=["Rock"], musicbrainz={"release": "b1", "release_group": "g1",
                                             "album_artist": "a1"})
    probe = ProbeRecord(scan=ScanRecord(path="/m/01.flac", root="/m", cls="audio"), tags=tags)
    album = _parse(nfo_for("album.nfo", track, probe, None))
    assert (album.tag, album.findtext("title"), album.findtext("artist")) == \
        ("album", "OK Computer", "Radiohead")
    assert {u.get("type"): u.text for u in album.iter("uniqueid")} == \
        {"musicbrainzalbum": "b1", "musicbrainzreleasegroup": "g1"}
    artist = _parse(nfo_for("artist.nfo", track, probe, None))
    assert (artist.tag, artist.findtext("name")) == ("artist", "Radiohead")
    assert [(u.get("type"), u.text, u.get("default")) for u in artist.iter("uniqueid")] == \
        [("musicbrainzartist", "a1", "true")]
