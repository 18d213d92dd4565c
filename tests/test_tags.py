"""pipeline.probe.tags on tiny real audio files made by ffmpeg (see tests/media_fixtures.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.core.errors import ItemFailure
from pipeline.probe.tags import audio_info
from tests.media_fixtures import MBIDS, MUSIC, unreadable_code

Media = Callable[[str], Path]

SONGS = ["song.mp3", "song.flac", "song.m4a", "song.opus"]


def _failure(path: Path | str) -> str:
    with pytest.raises(ItemFailure) as caught:
        audio_info(str(path))
    return caught.value.code


@pytest.mark.parametrize("name", SONGS)
def test_every_tag_family_gives_the_same_normalised_fields(media: Media, name: str) -> None:
    tags, _ = audio_info(str(media(name)))
    assert (tags.artist, tags.album_artist, tags.album, tags.title) == (
        MUSIC["artist"], MUSIC["album_artist"], MUSIC["album"], MUSIC["title"])
    assert (tags.track, tags.track_total, tags.disc, tags.disc_total) == (3, 12, 1, 2)
    assert (tags.date, tags.year, tags.genre, tags.compilation) == (
        MUSIC["date"], 2019, [MUSIC["genre"]], False)


@pytest.mark.parametrize(("name", "roles"), [
    ("song.mp3", ["release", "release_group", "artist"]),  # ID3 TXXX frames
    ("song.flac", list(MBIDS)),  # every Vorbis comment name Picard writes
    ("song.opus", list(MBIDS)),
    ("song.m4a", ["release", "recording", "album_artist"]),  # iTunes freeform atoms
])
def test_musicbrainz_ids_are_read_under_picards_names(
        media: Media, name: str, roles: list[str]) -> None:
    tags, _ = audio_info(str(media(name)))
    assert tags.musicbrainz == {role: MBIDS[role] for role in roles}


def test_a_picard_style_mp3_gives_its_recording_from_ufid_and_its_compilation_flag(
        media: Media, tmp_path: Path) -> None:
    # Picard writes with mutagen, so mutagen writing these frames is what Picard leaves.
    from mutagen.id3 import ID3, TCMP, TXXX, UFID

    path = tmp_path / "picard.mp3"
    shutil.copyfile(media("song.mp3"), path)
    tags = ID3(path)
    tags.add(UFID(owner="http://musicbrainz.org", data=MBIDS["recording"].encode()))
    tags.add(TXXX(encoding=3, desc="MusicBrainz Release Track Id", text=[MBIDS["track"]]))
    tags.add(TXXX(encoding=3, desc="MusicBrainz Album Artist Id",
                  text=[f"{MBIDS['album_artist']}/{MBIDS['artist']}"]))
    tags.add(TCMP(encoding=3, text=["1"]))
    tags.save(path, v2_version=4)
    found, _ = audio_info(str(path))
    assert found.compilation is True
    assert found.musicbrainz == MBIDS  # the first of several album artists


def test_ids_that_are_not_uuids_are_dropped(media: Media, tmp_path: Path) -> None:
    from mutagen.flac import FLAC

    path = tmp_path / "junk.flac"
    shutil.copyfile(media("song.flac"), path)
    audio = FLAC(path)
    audio["MUSICBRAINZ_ALBUMID"] = ["not-an-id"]
    audio.save()
    tags, _ = audio_info(str(path))
    assert "release" not in tags.musicbrainz and tags.musicbrainz["artist"] == MBIDS["artist"]


@pytest.mark.parametrize(("name", "container", "codec", "channels"), [
    ("song.mp3", "mp3", "mp3", 1),
    ("song.flac", "flac", "flac", 1),
    ("song.m4a", "m4a", "aac", 2),
    ("song.opus", "opus", "opus", 1),
])
def test_the_stream_facts_name_container_codec_and_channels(
        media: Media, name: str, container: str, codec: str, channels: int) -> None:
    _, found = audio_info(str(media(name)))
    assert (found.container, found.video_codec) == (container, None)
    assert [(t.codec, t.channels) for t in found.audio] == [(codec, channels)]
    assert found.duration_s is not None and 0.4 < found.duration_s < 1.2
    assert found.bitrate is not None and found.bitrate > 10_000


def test_a_zero_byte_file_fails_as_empty(tmp_path: Path) -> None:
    (tmp_path / "empty.mp3").write_bytes(b"")
    assert _failure(tmp_path / "empty.mp3") == "empty"


def test_a_path_that_is_gone_fails_as_vanished(tmp_path: Path) -> None:
    assert _failure(tmp_path / "gone.flac") == "vanished"


@pytest.mark.parametrize("name", ["notes.mp3", "notes.flac", "notes.xyz"])
def test_text_under_an_audio_name_fails_as_unrecognised(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("not music\n" * 50)
    assert _failure(tmp_path / name) == "unrecognised"


def test_a_video_file_is_not_audio_mutagen_knows(media: Media) -> None:
    assert _failure(media("movie.mkv")) == "unrecognised"


@pytest.mark.parametrize("keep", [100, 2000])
def test_a_flac_cut_inside_its_metadata_fails_as_corrupt(
        media: Media, tmp_path: Path, keep: int) -> None:
    cut = tmp_path / "cut.flac"
    cut.write_bytes(media("song.flac").read_bytes()[:keep])
    assert _failure(cut) == "corrupt"


def test_a_file_its_reader_may_not_open_fails_as_unreadable(media: Media) -> None:
    assert unreadable_code(audio_info, media("song.flac")) == "unreadable"
