"""sidecars: languages and flags of subtitle names, owners, image types."""

from __future__ import annotations

import msgspec
import pytest

from pipeline.core.paths import from_wire
from pipeline.core.records import Sidecar
from pipeline.probe.sidecars import find_owner, image_type, sidecar_for, subtitle_language_and_flags

# --- language and flags ----------------------------------------------------------

# name, video stem (None: no owner known), language, flags
LANGUAGE_AND_FLAGS = [
    ("Movie.srt", "Movie", None, []),
    ("Movie.en.srt", "Movie", "en", []),
    ("Movie.eng.srt", "Movie", "en", []),
    ("Movie.English.srt", "Movie", "en", []),
    ("Movie.german.srt", "Movie", "de", []),
    ("Movie.ger.srt", "Movie", "de", []),
    ("Movie.fre.srt", "Movie", "fr", []),
    ("Movie.pt-BR.srt", "Movie", "pt", []),
    ("Movie.zh-Hans.ass", "Movie", "zh", []),
    ("Movie.es-419.srt", "Movie", "es", []),
    ("Movie.yue.srt", "Movie", "yue", []),
    # hi: Hindi alone, hearing impaired beside another language (Jellyfin's rule)
    ("Movie.hi.srt", "Movie", "hi", []),
    ("Movie.HI.srt", "Movie", "hi", []),
    ("Movie.en.hi.srt", "Movie", "en", ["sdh"]),
    ("Movie.hi.en.srt", "Movie", "en", ["sdh"]),
    ("Movie.hin.hi.srt", "Movie", "hi", ["sdh"]),
    ("Movie.hi.forced.srt", "Movie", "hi", ["forced"]),
    ("Movie.Hindi.srt", "Movie", "hi", []),
    # flags, always in the order default, forced, sdh
    ("Movie.en.forced.srt", "Movie", "en", ["forced"]),
    ("Movie.en.foreign.srt", "Movie", "en", ["forced"]),
    ("Movie.default.srt", "Movie", None, ["default"]),
    ("Movie.en.sdh.srt", "Movie", "en", ["sdh"]),
    ("Movie.en.cc.srt", "Movie", "en", ["sdh"]),
    ("Movie.cc.srt", "Movie", None, ["sdh"]),
    ("Movie.sdh.forced.default.eng.srt", "Movie", "en", ["default", "forced", "sdh"]),
    ("Film.default.en.forced.ass", "Film", "en", ["default", "forced"]),
    ("Movie.SDH.FORCED.EN.srt", "Movie", "en", ["forced", "sdh"]),
    # other separators, track numbers, unknown words
    ("Movie_eng_forced.srt", "Movie", "en", ["forced"]),
    ("Movie-fr-sdh.srt", "Movie", "fr", ["sdh"]),
    ("Movie.English SDH.srt", "Movie", "en", ["sdh"]),
    ("Movie.2.en.srt", "Movie", "en", []),
    ("Movie.English Commentary.srt", "Movie", "en", []),
    ("Movie (2010).English.Full.srt", "Movie (2010)", "en", []),
    ("Movie.en.de.srt", "Movie", "de", []),  # several languages: the last one, as Jellyfin
    ("movie.EN.srt", "Movie", "en", []),
    # a stem the name does not start with, or none: the trailing tokens only
    ("2_English.srt", None, "en", []),
    ("3_eng.srt", "Movie", "en", []),
    ("English.srt", None, "en", []),
    ("Movie_eng_forced.srt", None, "en", ["forced"]),
    ("Some.Release.2019.1080p.en.forced.srt", None, "en", ["forced"]),
    ("The.Dark.Knight.srt", None, None, []),
    ("The.One.srt", None, None, []),
    ("Chernobyl.S01E02.srt", None, None, []),
]


@pytest.mark.parametrize(("name", "stem", "language", "flags"), LANGUAGE_AND_FLAGS)
def test_a_subtitle_name_gives_its_language_and_flags(name, stem, language, flags):
    assert subtitle_language_and_flags(name, stem) == (language, flags)


def test_english_words_are_not_read_as_iso_639_3_codes():
    for word in ("the", "one", "and", "new", "srt", "sub"):
        assert subtitle_language_and_flags(f"Movie.{word}.srt", "Movie") == (None, [])


# --- owners ----------------------------------------------------------------------

M = "/lib/Movie (2010)"
R = "/lib/Show.S01.1080p.WEB-RARBG"

# sidecar, candidate owners, scan class, expected owner
OWNERS = [
    # same stem, the longest one wins
    (f"{M}/Movie (2010).en.forced.srt", [f"{M}/Movie (2010).mkv", f"{M}/Movie (2010) - extras.mkv"],
     "subtitle", f"{M}/Movie (2010).mkv"),
    (f"{M}/Movie (2010) - extras.en.srt",
     [f"{M}/Movie (2010).mkv", f"{M}/Movie (2010) - extras.mkv"],
     "subtitle", f"{M}/Movie (2010) - extras.mkv"),
    (f"{M}/Movie (2010).srt", [f"{M}/Movie (2010).mkv"], "subtitle", f"{M}/Movie (2010).mkv"),
    (f"{M}/Movie (2010)_eng_forced.srt", [f"{M}/Movie (2010).mkv"], "subtitle",
     f"{M}/Movie (2010).mkv"),
    (f"{M}/movie (2010).EN.srt", [f"{M}/Movie (2010).mkv"], "subtitle", f"{M}/Movie (2010).mkv"),
    # a stem that is only a prefix of another word is no match
    (f"{M}/Movie (2010)x.srt", [f"{M}/Movie (2010).mkv"], "subtitle", None),
    # the same stem twice: the first by path, deterministically
    (f"{M}/Movie (2010).en.srt", [f"{M}/Movie (2010).mp4", f"{M}/Movie (2010).mkv"],
     "subtitle", f"{M}/Movie (2010).mkv"),
    # Subs folder: same stem in the parent, else the parent's single video
    (f"{M}/Subs/Movie (2010).en.srt", [f"{M}/Movie (2010).mkv"], "subtitle",
     f"{M}/Movie (2010).mkv"),
    (f"{M}/Subs/2_English.srt", [f"{M}/Movie (2010).mkv"], "subtitle", f"{M}/Movie (2010).mkv"),
    (f"{M}/Subtitles/English.srt", [f"{M}/Movie (2010).mkv"], "subtitle",
     f"{M}/Movie (2010).mkv"),
    (f"{M}/subs/eng.idx", [f"{M}/Movie (2010).mkv"], "subtitle", f"{M}/Movie (2010).mkv"),
    (f"{M}/Subs/2_English.srt", [f"{M}/Movie (2010) - 1080p.mkv", f"{M}/Movie (2010) - 720p.mkv"],
     "subtitle", None),
    (f"{M}/Subs/2_English.srt", [], "subtitle", None),
    # RARBG packs: Subs/<episode stem>/2_English.srt
    (f"{R}/Subs/Show.S01E02.1080p.WEB-RARBG/2_English.srt",
     [f"{R}/Show.S01E01.1080p.WEB-RARBG.mp4", f"{R}/Show.S01E02.1080p.WEB-RARBG.mp4"],
     "subtitle", f"{R}/Show.S01E02.1080p.WEB-RARBG.mp4"),
    (f"{R}/Subs/Show.S01E09.1080p.WEB-RARBG/2_English.srt",
     [f"{R}/Show.S01E01.1080p.WEB-RARBG.mp4", f"{R}/Show.S01E02.1080p.WEB-RARBG.mp4"],
     "subtitle", None),
    # a name of only language and flags beside a lone video; orphans otherwise
    (f"{M}/English.forced.srt", [f"{M}/Movie (2010).mkv"], "subtitle", f"{M}/Movie (2010).mkv"),
    (f"{M}/English.srt", [f"{M}/Movie (2010) - 1080p.mkv", f"{M}/Movie (2010) - 720p.mkv"],
     "subtitle", None),
    (f"{M}/Other Film (1999).en.srt", [f"{M}/Movie (2010).mkv"], "subtitle", None),
    ("/lib/Downloads/Lost.S01E01.en.srt", [], "subtitle", None),
    # a video of another folder is no same-folder owner for images and NFO
    (f"{M}/Extras/Movie (2010)-poster.jpg", [f"{M}/Movie (2010).mkv"], "image", None),
    # lyrics: same stem as an audio file
    ("/music/A/Album/01 - Song.lrc", ["/music/A/Album/01 - Song.flac",
                                      "/music/A/Album/02 - Other.flac"],
     "subtitle", "/music/A/Album/01 - Song.flac"),
    ("/music/A/Album/01 - Song.en.lrc", ["/music/A/Album/01 - Song.flac"], "other",
     "/music/A/Album/01 - Song.flac"),
    ("/music/A/Album/Lyrics.lrc", ["/music/A/Album/01 - Song.flac"], "subtitle", None),
    # NFO: the video stem, movie.nfo, tvshow.nfo / season.nfo
    (f"{M}/Movie (2010).nfo", [f"{M}/Movie (2010).mkv"], "nfo", f"{M}/Movie (2010).mkv"),
    (f"{M}/movie.nfo", [f"{M}/Movie (2010).mkv"], "nfo", f"{M}/Movie (2010).mkv"),
    (f"{M}/movie.nfo", [f"{M}/Movie (2010) - 1080p.mkv", f"{M}/Movie (2010) - 720p.mkv"], "nfo",
     M),
    ("/lib/Show/tvshow.nfo", [], "nfo", "/lib/Show"),
    ("/lib/Show/Season 01/season.nfo", ["/lib/Show/Season 01/Show S01E01.mkv"], "nfo",
     "/lib/Show/Season 01"),
    ("/lib/Show/Season 01/Show S01E01.nfo", ["/lib/Show/Season 01/Show S01E01.mkv",
                                             "/lib/Show/Season 01/Show S01E02.mkv"],
     "nfo", "/lib/Show/Season 01/Show S01E01.mkv"),
    (f"{M}/sparks-movie-1080p.nfo", [f"{M}/Movie (2010).mkv"], "nfo", None),
    # images: folder-level names belong to the folder, <stem>[-type] to the video
    (f"{M}/poster.jpg", [f"{M}/Movie (2010).mkv"], "image", M),
    (f"{M}/folder.jpg", [f"{M}/Movie (2010).mkv"], "image", M),
    (f"{M}/fanart.jpg", [], "image", M),
    (f"{M}/fanart2.jpg", [f"{M}/Movie (2010).mkv"], "image", M),
    (f"{M}/backdrop-1.png", [f"{M}/Movie (2010).mkv"], "image", M),
    (f"{M}/banner.jpg", [f"{M}/Movie (2010).mkv"], "image", M),
    (f"{M}/landscape.jpg", [f"{M}/Movie (2010).mkv"], "image", M),
    (f"{M}/logo.png", [f"{M}/Movie (2010).mkv"], "image", M),
    (f"{M}/clearart.png", [f"{M}/Movie (2010).mkv"], "image", M),
    (f"{M}/disc.png", [f"{M}/Movie (2010).mkv"], "image", M),
    (f"{M}/cover.jpg", [f"{M}/Movie (2010).mkv"], "image", M),
    (f"{M}/Backdrop.jpg", [f"{M}/Movie (2010).mkv"], "image", M),
    ("/lib/Show/season01-poster.jpg", [], "image", "/lib/Show"),
    ("/lib/Show/season-specials-poster.jpg", [], "image", "/lib/Show"),
    (f"{M}/extrafanart/abc.jpg", [], "image", M),
    (f"{M}/Movie (2010)-poster.jpg", [f"{M}/Movie (2010).mkv"], "image", f"{M}/Movie (2010).mkv"),
    ("/lib/Show/Season 01/Show S01E01-thumb.jpg", ["/lib/Show/Season 01/Show S01E01.mkv",
                                                   "/lib/Show/Season 01/Show S01E02.mkv"],
     "image", "/lib/Show/Season 01/Show S01E01.mkv"),
    (f"{M}/Movie (2010).jpg", [f"{M}/Movie (2010).mkv"], "image", f"{M}/Movie (2010).mkv"),
    ("/lib/Films/Contact (1997)/movie.jpg", ["/lib/Films/Contact (1997)/movie.mkv"], "image",
     "/lib/Films/Contact (1997)/movie.mkv"),
    (f"{M}/screenshot.jpg", [f"{M}/Movie (2010).mkv"], "image", None),
    (f"{M}/Movie (2010)-screenshot.jpg", [f"{M}/Movie (2010).mkv"], "image", None),
]


@pytest.mark.parametrize(("path", "candidates", "cls", "owner"), OWNERS)
def test_a_sidecar_finds_the_file_or_folder_it_belongs_to(path, candidates, cls, owner):
    assert find_owner(path, candidates, cls) == owner


# --- image types -----------------------------------------------------------------

IMAGE_TYPES = [
    ("poster.jpg", "poster"), ("folder.jpg", "folder"), ("cover.jpg", "cover"),
    ("fanart.jpg", "fanart"), ("fanart3.jpg", "fanart"), ("fanart-2.jpg", "fanart"),
    ("banner.jpg", "banner"), ("landscape.jpg", "landscape"), ("logo.png", "logo"),
    ("clearlogo.png", "logo"), ("clearart.png", "clearart"), ("disc.png", "disc"),
    ("discart.png", "disc"), ("cdart.png", "disc"), ("backdrop.jpg", "backdrop"),
    ("backdrop2.webp", "backdrop"), ("background.jpg", "backdrop"), ("thumb.jpg", "thumb"),
    ("jacket.jpg", "cover"), ("default.jpg", "poster"), ("POSTER.JPG", "poster"),
    ("Movie (2010)-poster.jpg", "poster"), ("Show S01E01-thumb.jpg", "thumb"),
    ("Movie (2010)-fanart.jpg", "fanart"), ("season01-poster.jpg", "poster"),
    ("season-specials-banner.jpg", "banner"), ("season-all-landscape.jpg", "landscape"),
    ("Movie (2010).jpg", None), ("Spider-Man.jpg", None), ("screenshot.png", None),
]


@pytest.mark.parametrize(("name", "kind"), IMAGE_TYPES)
def test_an_image_name_states_its_type(name, kind):
    assert image_type(name) == kind


# --- the record ------------------------------------------------------------------

SIDECARS = [
    (f"{M}/Movie (2010).en.forced.srt", "subtitle", [f"{M}/Movie (2010).mkv"],
     Sidecar(language="en", flags=["forced"], belongs_to=f"{M}/Movie (2010).mkv")),
    (f"{M}/Subs/2_English.srt", "subtitle", [f"{M}/Movie (2010).mkv"],
     Sidecar(language="en", belongs_to=f"{M}/Movie (2010).mkv")),
    (f"{M}/Movie (2010).hi.srt", "subtitle", [f"{M}/Movie (2010).mkv"],
     Sidecar(language="hi", belongs_to=f"{M}/Movie (2010).mkv")),
    (f"{M}/orphan.en.srt", "subtitle", [], Sidecar(language="en")),
    (f"{M}/poster.jpg", "image", [f"{M}/Movie (2010).mkv"],
     Sidecar(belongs_to=M, image_type="poster")),
    (f"{M}/Movie (2010).jpg", "image", [f"{M}/Movie (2010).mkv"],
     Sidecar(belongs_to=f"{M}/Movie (2010).mkv", image_type="poster")),
    (f"{M}/extrafanart/x1.jpg", "image", [], Sidecar(belongs_to=M, image_type="fanart")),
    (f"{M}/movie.nfo", "nfo", [f"{M}/Movie (2010).mkv"],
     Sidecar(belongs_to=f"{M}/Movie (2010).mkv")),
    ("/music/A/01 - Song.en.lrc", "subtitle", ["/music/A/01 - Song.flac"],
     Sidecar(language="en", belongs_to="/music/A/01 - Song.flac")),
    ("/music/A/01 - Song.lrc", "other", ["/music/A/01 - Song.flac"],
     Sidecar(belongs_to="/music/A/01 - Song.flac")),
    (f"{M}/notes.txt", "other", [f"{M}/Movie (2010).mkv"], Sidecar()),
]


@pytest.mark.parametrize(("path", "cls", "siblings", "expected"), SIDECARS)
def test_sidecar_for_fills_language_flags_owner_and_image_type(path, cls, siblings, expected):
    assert sidecar_for(path, cls, siblings) == expected


@pytest.mark.parametrize(("path", "cls", "siblings", "expected"), SIDECARS)
def test_every_sidecar_encodes_as_json(path, cls, siblings, expected):
    record = sidecar_for(path, cls, siblings)
    assert msgspec.json.decode(msgspec.json.encode(record), type=Sidecar) == record


def test_an_owner_whose_name_is_not_utf8_is_stored_in_wire_form():
    video = "/lib/caf\udce9/caf\udce9.mkv"
    record = sidecar_for("/lib/caf\udce9/caf\udce9.en.srt", "subtitle", [video])
    assert record.belongs_to is not None and "\udce9" not in record.belongs_to
    assert from_wire(record.belongs_to) == video
    assert record.language == "en"
    msgspec.json.encode(record)
