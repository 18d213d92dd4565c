"""pipeline.probe.mediainfo on tiny real files made by ffmpeg (see tests/media_fixtures.py)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.core.errors import ItemFailure
from pipeline.core.records import Technical
from pipeline.probe.mediainfo import resolution_label, technical
from tests.media_fixtures import MOVIE, unreadable_code

Media = Callable[[str], Path]


def _failure(path: Path | str) -> str:
    with pytest.raises(ItemFailure) as caught:
        technical(str(path))
    return caught.value.code


def test_a_matroska_movie_gives_its_container_codec_size_and_timing(media: Media) -> None:
    found = technical(str(media("movie.mkv")))
    assert (found.container, found.video_codec) == ("mkv", "h264")
    assert (found.width, found.height, found.resolution) == (160, 90, "480p")
    assert (found.bit_depth, found.hdr, found.frame_rate) == (8, None, 10.0)
    assert found.duration_s == pytest.approx(1.0, abs=0.1)
    assert found.bitrate is not None and 50_000 < found.bitrate < 500_000


def test_each_audio_track_keeps_its_codec_channels_language_title_and_flags(
        media: Media) -> None:
    tracks = technical(str(media("movie.mkv"))).audio
    assert [(t.codec, t.channels, t.language, t.title, t.default, t.forced) for t in tracks] == [
        ("aac", 2, "en", MOVIE["audio_en"], True, False),
        ("aac", 1, "de", MOVIE["audio_de"], False, False),
    ]


def test_the_embedded_subtitle_is_an_english_forced_srt_track(media: Media) -> None:
    [track] = technical(str(media("movie.mkv"))).subtitles
    assert (track.codec, track.language, track.title, track.forced, track.default) == (
        "srt", "en", MOVIE["subtitle"], True, False)


def test_a_10_bit_hevc_mp4_with_mastering_metadata_is_hdr10(media: Media) -> None:
    found = technical(str(media("hevc10.mp4")))
    assert (found.container, found.video_codec, found.bit_depth, found.hdr) == (
        "mp4", "hevc", 10, "HDR10")
    assert [(t.codec, t.language) for t in found.audio] == [("aac", "en")]


def test_an_hlg_transfer_is_reported_as_hlg(media: Media) -> None:
    found = technical(str(media("hlg.mkv")))
    assert (found.video_codec, found.bit_depth, found.hdr, found.audio) == ("hevc", 10, "HLG", [])


def test_an_xvid_avi_is_mpeg4_video_with_mp3_audio(media: Media) -> None:
    found = technical(str(media("clip.avi")))
    assert (found.container, found.video_codec) == ("avi", "mpeg4")
    assert [t.codec for t in found.audio] == ["mp3"]


@pytest.mark.parametrize("name", ["movie.mkv", "hevc10.mp4", "hlg.mkv", "clip.avi"])
def test_parse_speed_zero_keeps_every_field_a_fuller_parse_finds(media: Media, name: str) -> None:
    path = str(media(name))
    assert technical(path, parse_speed=0) == technical(path, parse_speed=0.5)


def test_a_file_cut_in_half_still_gives_what_its_header_says(media: Media) -> None:
    found = technical(str(media("truncated.mkv")))
    whole = technical(str(media("movie.mkv")))
    assert found.video_codec == "h264" and found.audio == whole.audio
    assert found.subtitles == whole.subtitles and found.duration_s == whole.duration_s
    assert found.bitrate is None  # computed from the size on disk, it would be wrong


def test_a_file_cut_to_its_first_kilobyte_still_names_its_tracks(media: Media) -> None:
    found = technical(str(media("header-only.mkv")))
    assert (found.video_codec, len(found.audio), len(found.subtitles)) == ("h264", 2, 1)


@pytest.mark.parametrize("keep", [1, 40, 200, 400, 700, 2048, 6000])
def test_a_file_cut_anywhere_gives_tracks_or_an_item_failure_and_nothing_else(
        media: Media, tmp_path: Path, keep: int) -> None:
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(media("movie.mkv").read_bytes()[:keep])
    try:
        found = technical(str(cut))
    except ItemFailure as failure:
        assert failure.code == "unrecognised"
    else:
        assert isinstance(found, Technical) and found.video_codec == "h264"


def test_a_zero_byte_file_fails_as_empty(media: Media) -> None:
    assert _failure(media("empty.mkv")) == "empty"


def test_a_path_that_is_gone_fails_as_vanished(tmp_path: Path) -> None:
    assert _failure(tmp_path / "gone.mkv") == "vanished"
    assert _failure(tmp_path / "no-folder" / "gone.mkv") == "vanished"


def test_a_text_file_named_mkv_fails_as_unrecognised(tmp_path: Path) -> None:
    (tmp_path / "notes.mkv").write_text("not a film\n" * 50)
    assert _failure(tmp_path / "notes.mkv") == "unrecognised"


def test_an_audio_file_has_no_video_track_and_fails_as_unrecognised(media: Media) -> None:
    assert _failure(media("song.flac")) == "unrecognised"


def test_a_folder_in_place_of_a_file_fails_as_unreadable(tmp_path: Path) -> None:
    (tmp_path / "folder.mkv").mkdir()
    assert _failure(tmp_path / "folder.mkv") == "unreadable"


def test_a_file_its_reader_may_not_open_fails_as_unreadable(media: Media) -> None:
    assert unreadable_code(technical, media("movie.mkv")) == "unreadable"


def test_a_name_that_is_not_valid_utf8_is_probed_like_any_other(
        media: Media, tmp_path: Path) -> None:
    odd = os.path.join(os.fsencode(tmp_path), b"caf\xe9.mkv")
    shutil.copyfile(media("movie.mkv"), odd)
    assert technical(os.fsdecode(odd)) == technical(str(media("movie.mkv")))


@pytest.mark.parametrize(("width", "height", "label"), [
    (7680, 4320, "4320p"),
    (3840, 2160, "2160p"),
    (4096, 2160, "2160p"),  # DCI 4K
    (3840, 1600, "2160p"),  # scope crop: the width decides
    (2560, 1440, "1440p"),
    (1920, 1080, "1080p"),
    (1920, 800, "1080p"),  # scope crop
    (1440, 1080, "1080p"),  # 4:3 / anamorphic: the height decides
    (1998, 1080, "1080p"),  # DCI flat
    (2048, 858, "1080p"),  # DCI 2K scope
    (1080, 1920, "1080p"),  # portrait phone video
    (1280, 720, "720p"),
    (1280, 536, "720p"),
    (960, 720, "720p"),
    (1024, 576, "576p"),  # square-pixel PAL widescreen
    (720, 576, "576p"),
    (704, 576, "576p"),
    (720, 480, "480p"),
    (640, 480, "480p"),
    (854, 480, "480p"),
    (160, 90, "480p"),  # everything smaller is the SD bucket
    (0, 0, None),
    (None, 1080, None),
    (1920, None, None),
])
def test_the_resolution_label_looks_at_width_and_height(
        width: int | None, height: int | None, label: str | None) -> None:
    assert resolution_label(width, height) == label
