"""Property: any identity named by ``layout`` reads back, as Jellyfin would, as that identity.

Titles are generated with punctuation, numbers, Unicode (composed and not,
CJK), reserved characters, years, seasons, episodes, versions and parts.
Names that Jellyfin itself reads otherwise whatever the layout does are left
out by ``_jellyfin_cuts`` (each class is a rule of Jellyfin's, stated there);
those are read back as mismatches, which ``test_reader`` checks by example.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from pipeline.plan import layout, shelves
from pipeline.plan.names import DEFAULT_REPLACE_CHARS, clean
from pipeline.plan.reader import mismatch, read, same_title

# Hypothesis keeps a cache of constants; not in the checkout (a test run leaves nothing).
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "jforg-hypothesis")
SETTINGS = settings(max_examples=300, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèàüößçñøÅ日本語漢字映画"
_WORD = st.text(alphabet=_LETTERS + "0123456789", min_size=1, max_size=9)
_DECOMPOSED = st.sampled_from(["Ame\u0301lie", "Cafe\u0301", "Mu\u0308nchen"])
_MARK = st.sampled_from(["", "", "", ":", "?", "'s", ".", "!", ",", "/", "*", '"', "|", "&",
                         "<", ">", "\\", "+"])
_PIECE = st.one_of(st.tuples(_WORD, _MARK).map("".join), _DECOMPOSED,
                   st.sampled_from(["-", "&", "+", "13", "1.5", "No. 9", "S01E02", "1x02"]))
TITLES = st.lists(_PIECE, min_size=1, max_size=5).map(" ".join)
YEARS = st.one_of(st.none(), st.integers(1900, 2099))

# Jellyfin's own clean-up cuts a name at these words between separators, whatever
# the layout does (Emby.Naming CleanStrings): "The German Doctor" reads as "The".
_RELEASE_WORDS = re.compile(
    r"(?i)(?:^|[ _,.()\[\]-])(?:3d|sbs|tab|hsbs|htab|mvc|hdr|hdc|uhd|ultrahd|4k|ac3|dts|custom|"
    r"dc|divx|divx5|dsr|dsrip|dutch|dvd|dvdrip|dvdscr|dvdscreener|screener|dvdivx|cam|fragment|"
    r"fs|hdtv|hdrip|hdtvrip|internal|limited|multi|subs|ntsc|ogg|ogm|pal|pdtv|proper|repack|"
    r"rerip|retail|cd[1-9]|r5|bd5|bd|se|svcd|swedish|german|read.nfo|nfofix|unrated|ws|"
    r"telesync|ts|telecine|tc|brrip|bdrip|480p|480i|576p|576i|720p|720i|1080p|1080i|2160p|hrhd|"
    r"hrhdtv|hddvd|bluray|blu-ray|x264|x265|h264|h265|xvid|xvidvd|xxx|www.www|aac)"
    r"(?=[ _,.()\[\]-]|$)")


def _jellyfin_cuts(title: str, year: int | None) -> bool:
    """True for titles Jellyfin's name rules read otherwise, however they are written.

    Brackets and a trailing ``: 2`` are not among them: the layout writes those
    so that they read back (tested below)."""
    text = unicodedata.normalize("NFC", title)
    return bool(
        _RELEASE_WORDS.search(text)
        or re.search(r"(?i)[-._ ](?:trailer|sample)$|-(?:scene|clip|interview|extra|other|short|"
                     r"deleted\w*|featurette|behindthescenes)$", text)
        or re.search(r"(?i)\bE\d+[-~]E?\d+", text)
        or (year is None and re.search(r"[ _.()\[\]-](?:19|20)\d\d(?!\d)", text))
        or not any(c.isalnum() for c in text))


def _series_cuts(title: str) -> bool:
    """Series folders: a season marker ("S2", "Season 3") ends the series name."""
    return bool(re.search(r"(?i)(?:^|[. _-])s(?:eason)?[. _-]*\d", title))


@SETTINGS
@given(title=TITLES, year=YEARS, ext=st.sampled_from(["mkv", "MP4", "avi"]),
       label=st.one_of(st.none(), st.sampled_from(["2160p", "1080p", "Director's Cut", "3D"])),
       tmdb=st.one_of(st.none(), st.integers(1, 10**7)))
def test_a_movie_reads_back_as_the_identity_it_was_named_from(
        title: str, year: int | None, ext: str, label: str | None, tmdb: int | None) -> None:
    assume(not _jellyfin_cuts(title, year))
    rel = layout.movie_path(title, year, ext, version=label, tmdb_id=tmdb)
    found = read(rel, "movies")
    assert mismatch("movie", title, year, None, [], found) is None, (rel, found)
    assert found.grouped
    if tmdb is None:
        assert same_title(title, found.title) and found.year == year, (rel, found)
    else:
        assert found.ids == {"tmdb": str(tmdb)}


@SETTINGS
@given(title=TITLES, year=YEARS, part=st.integers(1, 9))
def test_a_movie_part_reads_back_as_that_part_of_the_movie(title: str, year: int | None,
                                                          part: int) -> None:
    assume(not _jellyfin_cuts(title, year))
    rel = layout.movie_path(title, year, "mkv", part=part)
    found = read(rel, "movies")
    assert mismatch("movie", title, year, None, [], found) is None, (rel, found)
    assert found.part == part and found.version is None, (rel, found)


@SETTINGS
@given(series=TITLES, year=YEARS, season=st.integers(0, 60), first=st.integers(1, 400),
       extra=st.integers(0, 2), episode_title=st.one_of(st.none(), TITLES))
def test_an_episode_reads_back_as_its_series_season_and_episodes(
        series: str, year: int | None, season: int, first: int, extra: int,
        episode_title: str | None) -> None:
    assume(not _jellyfin_cuts(series, year) and not _series_cuts(series))
    episodes = list(range(first, first + extra + 1))
    rel = layout.episode_path(series, year, season, episodes, "mkv",
                              episode_title=episode_title)
    found = read(rel, "shows")
    assert mismatch("episode", series, year, season, episodes, found) is None, (rel, found)


@SETTINGS
@given(artist=TITLES, album=TITLES, title=TITLES, year=YEARS,
       track=st.one_of(st.none(), st.integers(1, 120)),
       disc=st.one_of(st.none(), st.integers(2, 9)))
def test_a_track_reads_back_with_its_album_disc_and_number(
        artist: str, album: str, title: str, year: int | None, track: int | None,
        disc: int | None) -> None:
    assume(re.match(r"(?i)\s*(?:digital media|volume|disc|disk|vol|cd)", album) is None)
    assume(track is not None or re.match(r"\s*\d", title) is None)
    rel = shelves.music_path(album_artist=artist, artist=None, album=album, year=year,
                            track=track, title=title, ext="flac", disc=disc)
    found = read(rel, "music")
    assert mismatch("music", title, year, None, [], found) is None, (rel, found)
    assert (found.track, found.disc) == (track, disc), (rel, found)
    assert same_title(artist, found.artist) and same_title(album, found.album), (rel, found)


@SETTINGS
@given(author=TITLES, title=TITLES, year=YEARS, audio=st.booleans())
def test_a_book_or_audiobook_reads_back_with_its_author(author: str, title: str,
                                                        year: int | None, audio: bool) -> None:
    # Book titles: "Name #2" and "2 - Name" (or "2 -") are series numbers to Jellyfin,
    # and ":" is written " -".
    written = clean(title, DEFAULT_REPLACE_CHARS).replace(":", " -")
    assume(re.search(r"#\d|^\s*\d+(?:\.0)?\s-(?:\s|$)|\s[vc]\d", written) is None)
    if audio:
        rel = shelves.audiobook_path(author=author, title=title, year=year, name="01 - Part.mp3")
        kind = "audiobook"
        found = read(rel, "audiobooks")
    else:
        rel = shelves.book_path(author=author, title=title, year=year, ext="epub")
        kind = "book"
        found = read(rel, "books")
    assert mismatch(kind, title, year, None, [], found) is None, (rel, found)
    assert same_title(author, found.author), (rel, found)


@pytest.mark.parametrize(("title", "year"), [
    ("Rocky: 2", 1979),  # ':' is written ' - ', and Jellyfin drops a trailing ' - 2'
    ("[REC]", 2007),  # Jellyfin drops bracketed text from names
    ("Spider-Man: Into the [Spider-Verse]", 2018),
])
def test_titles_jellyfin_would_cut_are_written_so_they_read_back(title: str, year: int) -> None:
    rel = layout.movie_path(title, year, "mkv")
    assert mismatch("movie", title, year, None, [], read(rel, "movies")) is None, rel
