"""NFO files and artwork, end to end: real media, fake providers over HTTP, organize, rollback.

scan → probe → enrich (fake TMDB on 127.0.0.1, its posters served as tiny
JPEGs) → plan → organize: every movie folder holds ``movie.nfo`` with its ids
and plot, ``poster.jpg`` and ``fanart.jpg``; the series its ``tvshow.nfo`` and
season poster; ``verify`` finds nothing; a re-run downloads nothing; rollback
gives the original tree back byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree import ElementTree

import msgspec
import pytest

from benchmarks.media import can_make, make_media
from pipeline.core.settings import Settings
from pipeline.enrich import stage as enrich
from pipeline.organize import rollback
from pipeline.organize import stage as organize
from pipeline.organize.artwork import sniff_image
from pipeline.plan import stage as plan
from pipeline.plan.verify import format_text, verify
from pipeline.probe import stage as probe
from pipeline.scan import stage as scan
from tests import fake_tmdb
from tests.fake_server import FakeServer
from tests.organize_helpers import files_below, snapshot

MOVIES = {"The Matrix (1999)": ("603", "tt0133093"), "Heat (1995)": ("949", "tt0113277"),
          "Dune (2021)": ("438631", "tt1160419")}
EPISODE = "TV/The Office (2005)/Season 1/The.Office.2005.S01E02.720p.mkv"


def _settings(server: FakeServer, tmp_path: Path, **organize_: object) -> Settings:
    base = Settings()
    p = base.providers
    return msgspec.structs.replace(
        base,
        providers=msgspec.structs.replace(p, tmdb=msgspec.structs.replace(
            p.tmdb, api_key=fake_tmdb.API_KEY, base_url=server.url("/tmdb/3"),
            image_base_url=server.url("/images"), rate=1000.0)),
        scan=msgspec.structs.replace(base.scan, jobs=1),
        probe=msgspec.structs.replace(base.probe, jobs=1),
        cache=msgspec.structs.replace(base.cache, path=str(tmp_path / "cache")),
        enrich=msgspec.structs.replace(base.enrich, offline=False),
        organize=msgspec.structs.replace(base.organize, **organize_))


@pytest.fixture(scope="module")
def feature(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real two-minute film (1 fps, tiny): long enough not to be taken for a sample."""
    if not can_make("mkv-h264-aac-subs"):
        pytest.skip("this ffmpeg cannot make an h264 mkv")
    path = tmp_path_factory.mktemp("feature") / "feature.mkv"
    make_media(path, "mkv-h264-aac-subs")
    return path


@pytest.fixture
def planned(fake_server: FakeServer, tmp_path: Path, feature: Path
            ) -> tuple[Settings, Path, Path, Path]:
    fake_server.add("/tmdb", fake_tmdb.handle)
    fake_server.add("/images", fake_tmdb.images)
    library, work, dest = tmp_path / "library", tmp_path / "work", tmp_path / "dest"
    movie = feature
    for folder in MOVIES:
        (library / "Films" / folder).mkdir(parents=True)
        shutil.copy(movie, library / "Films" / folder / f"{folder}.mkv")
    (library / EPISODE).parent.mkdir(parents=True)
    shutil.copy(movie, library / EPISODE)
    settings = _settings(fake_server, tmp_path)
    scan.run(work, [str(library)], settings.scan)
    probe.run(work, settings)
    enrich.run(work, settings)
    plan.run(work, str(dest), settings)
    return settings, library, work, dest


def _organize(settings: Settings, work: Path, **flags: object) -> organize.OrganizeStats:
    return organize.run(work, settings, organize.OrganizeOptions.from_settings(settings, **flags))


def test_every_movie_gets_its_nfo_and_artwork_and_the_library_verifies_clean(
        planned: tuple[Settings, Path, Path, Path], fake_server: FakeServer) -> None:
    settings, library, work, dest = planned
    before = snapshot(library)
    stats = _organize(settings, work)
    assert stats.failed == 0, stats.examples
    for folder, (tmdb, imdb) in MOVIES.items():
        movie = dest / "Movies" / f"{folder[:-7]} {folder[-6:]} [tmdbid-{tmdb}]"
        nfo = ElementTree.parse(movie / "movie.nfo").getroot()
        ids = {u.get("type"): u.text for u in nfo.iter("uniqueid")}
        assert ids == {"tmdb": tmdb, "imdb": imdb}
        assert nfo.findtext("mpaa") and nfo.find("fileinfo/streamdetails/video") is not None
        for image in ("poster.jpg", "fanart.jpg"):
            assert sniff_image((movie / image).read_bytes()) == "jpeg", movie / image
    matrix = ElementTree.parse(next(dest.rglob("The Matrix*/movie.nfo"))).getroot()
    assert matrix.findtext("plot", "").startswith("A hacker learns")
    series = next(p for p in (dest / "Shows").iterdir())
    show = ElementTree.parse(series / "tvshow.nfo").getroot()
    assert {u.get("type"): u.text for u in show.iter("uniqueid")}["tvdb"] == "73244"
    assert sniff_image((series / "season01-poster.jpg").read_bytes()) == "jpeg"
    episode = ElementTree.parse(next(series.rglob("*S01E02*.nfo"))).getroot()
    assert episode.findtext("title") == "Diversity Day"
    violations = verify(str(dest))
    assert violations == [], format_text(violations)
    images = len(fake_server.recorded("^/images"))
    assert images == 3 * 2 + 3  # per movie poster + fanart; the series' two and its season
    # The same plan again: applied already, nothing downloaded.
    assert _organize(settings, work).journal is None
    assert len(fake_server.recorded("^/images")) == images
    # Everything back, byte for byte; the downloads and NFO files gone with it.
    back = rollback.rollback(work, rollback.find(work, None, last=True))
    assert not back.kept
    assert snapshot(library) == before
    assert files_below(dest) == []


def test_artwork_already_there_is_kept_unless_asked_and_rollback_restores_it(
        planned: tuple[Settings, Path, Path, Path], fake_server: FakeServer) -> None:
    settings, _, work, dest = planned
    mine = next(iter(MOVIES))
    poster = dest / "Movies" / f"{mine[:-7]} {mine[-6:]} [tmdbid-603]" / "poster.jpg"
    poster.parent.mkdir(parents=True)
    poster.write_bytes(b"the user's own poster")
    kept = _organize(settings, work)
    assert kept.kept_existing == 1 and poster.read_bytes() == b"the user's own poster"
    rollback.rollback(work, rollback.find(work, None, last=True))
    assert poster.read_bytes() == b"the user's own poster"
    plan.run(work, str(dest), settings)
    replaced = _organize(settings, work, overwrite_artwork=True)
    assert replaced.failed == 0 and sniff_image(poster.read_bytes()) == "jpeg"
    rollback.rollback(work, rollback.find(work, None, last=True))
    assert poster.read_bytes() == b"the user's own poster"  # put back, not lost
    assert not [p for p in poster.parent.iterdir() if p.name.startswith(".jforg-")]


def test_offline_organize_downloads_nothing_and_says_so(
        planned: tuple[Settings, Path, Path, Path], fake_server: FakeServer) -> None:
    settings, _, work, dest = planned
    before = len(fake_server.requests)
    stats = _organize(settings, work, offline=True)
    assert stats.failed == 0 and len(fake_server.requests) == before
    assert stats.artwork_offline == 3 * 2 + 3
    assert any("not downloaded: offline" in note for note in stats.notes)
    assert list(dest.rglob("movie.nfo")) and not list(dest.rglob("*.jpg"))


def test_a_refused_image_is_one_error_and_the_rest_goes_on(
        planned: tuple[Settings, Path, Path, Path], fake_server: FakeServer) -> None:
    settings, _, work, dest = planned
    fake_server.fail(r"^/images/.*/f89U3ADr1oiB1s9GkdPOEpXUk5H", "500")  # the Matrix poster
    fake_server.fail(r"^/images/.*/f89U3ADr1oiB1s9GkdPOEpXUk5H", "500", times=10)
    stats = _organize(settings, work)
    assert stats.failures == {"artwork_refused": 1}, stats.examples
    assert len(list(dest.rglob("poster.jpg"))) == 3  # the other movies' and the series'
