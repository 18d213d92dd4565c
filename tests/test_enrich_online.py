"""Enrich against fake providers over real HTTP on 127.0.0.1 (tests/fake_server.py).

Assertions are made at the server: requests per work, none on a re-run,
retries bounded, Retry-After honoured, secrets never stored or printed,
MusicBrainz at most one request a second.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import msgspec
import pytest

from benchmarks.media import can_make, make_media
from pipeline.core.manifest import read_manifest
from pipeline.core.records import ENRICH_SCHEMA, EnrichRecord
from pipeline.core.settings import Settings
from pipeline.enrich import stage as enrich
from pipeline.probe import stage as probe
from pipeline.scan import stage as scan
from tests import fake_coverart, fake_musicbrainz, fake_openlibrary, fake_tmdb
from tests.conftest import MakeTree
from tests.fake_server import FakeServer

KEY = fake_tmdb.API_KEY

LIBRARY = {
    "Movies/The Matrix (1999)/The Matrix (1999).mkv": 0,
    "Downloads/The.Matrix.1999.1080p.BluRay.x264-GRP.mkv": 0,
    "Movies/Dune (2021)/Dune (2021).mkv": 0,
    "Movies/Dune (1984)/Dune (1984).mkv": 0,
    "Unsorted/Heat.mkv": 0,
    "Shows/The Office (2005)/Season 01/The Office (2005) S01E01.mkv": 0,
    "Shows/The Office (2005)/Season 01/The Office (2005) S01E02.mkv": 0,
    "Books/Frank Herbert/Dune (1965)/Dune.epub": 0,
}


@pytest.fixture
def providers(fake_server: FakeServer) -> FakeServer:
    fake_server.add("/tmdb", fake_tmdb.handle)
    fake_server.add("/mb", fake_musicbrainz.handle)
    fake_server.add("/ol", fake_openlibrary.handle)
    fake_server.add("/caa", fake_coverart.handle)
    return fake_server


def _settings(server: FakeServer, tmp_path: Path, *, key: str | None = KEY,
              bearer: str | None = None, rate: float = 1000.0, mb_rate: float = 1000.0,
              overrides: Path | None = None, threads: int = 4) -> Settings:
    base = Settings()
    p = base.providers
    providers = msgspec.structs.replace(
        p,
        tmdb=msgspec.structs.replace(p.tmdb, api_key=key, bearer_token=bearer,
                                     base_url=server.url("/tmdb/3"), rate=rate),
        musicbrainz=msgspec.structs.replace(p.musicbrainz, base_url=server.url("/mb/ws/2"),
                                            rate=mb_rate),
        openlibrary=msgspec.structs.replace(p.openlibrary, base_url=server.url("/ol"),
                                            rate=rate),
        coverart=msgspec.structs.replace(p.coverart, base_url=server.url("/caa"), rate=rate))
    return msgspec.structs.replace(
        base, providers=providers,
        scan=msgspec.structs.replace(base.scan, jobs=1),
        probe=msgspec.structs.replace(base.probe, jobs=1),
        cache=msgspec.structs.replace(base.cache, path=str(tmp_path / "cache")),
        enrich=msgspec.structs.replace(base.enrich, offline=False, threads=threads,
                                       overrides=str(overrides) if overrides else None))


def _prepare(make_tree: MakeTree, tmp_path: Path, files: dict[str, int] | None = None) -> Path:
    library = make_tree(files or LIBRARY)
    work = tmp_path / "work"
    base = Settings()
    settings = msgspec.structs.replace(base, scan=msgspec.structs.replace(base.scan, jobs=1),
                                       probe=msgspec.structs.replace(base.probe, jobs=1))
    scan.run(work, [str(library)], settings.scan)
    probe.run(work, settings)
    return work


def _records(work: Path) -> dict[str, EnrichRecord]:
    _, records = read_manifest(work / "enrich.jsonl", ENRICH_SCHEMA, EnrichRecord)
    return {r.work.key: r for r in records}


def test_one_request_chain_per_work_and_none_on_the_second_run(
    providers: FakeServer, make_tree: MakeTree, tmp_path: Path
) -> None:
    work = _prepare(make_tree, tmp_path)
    settings = _settings(providers, tmp_path)
    _, stats = enrich.run(work, settings)
    records = _records(work)
    tmdb = providers.recorded("^/tmdb")
    searches = [r for r in tmdb if "/search/" in r.path]
    movie_works = [r for r in records.values() if r.work.kind == "movie"]
    series_works = [r for r in records.values() if r.work.kind == "series"]
    assert len(movie_works) == 4 and len(series_works) == 1
    # One search per movie (two files of The Matrix share it) and one details
    # request per strong movie match (none for the medium Heat); a series adds
    # its details and the seasons it has.
    movie_searches = [s for s in searches if "/search/movie" in s.path]
    movie_details = [r for r in tmdb if r.path.startswith("/tmdb/3/movie/")]
    strong_movies = [r for r in movie_works if r.confidence == "strong"]
    assert len(movie_searches) == len(movie_works)
    assert len(movie_details) == len(strong_movies) == 3
    assert (len(movie_searches) + len(movie_details)) / len(movie_works) <= 2
    tv = [r for r in tmdb if "/tv/" in r.path or "/search/tv" in r.path]
    assert len(tv) <= 1 + 1 + len(series_works[0].work.seasons)  # search, details, seasons
    assert stats.requests["tmdb"] == len(tmdb)
    providers.clear()
    _, again = enrich.run(work, settings)
    assert providers.requests == [] and sum(again.requests.values()) == 0
    assert _records(work) == records


def test_strong_matches_ambiguity_and_season_lists(providers: FakeServer, make_tree: MakeTree,
                                                   tmp_path: Path) -> None:
    work = _prepare(make_tree, tmp_path)
    enrich.run(work, _settings(providers, tmp_path))
    records = _records(work)
    matrix = records["movie|the matrix|1999"]
    assert (matrix.confidence, matrix.ids.get("tmdb")) == ("strong", "603")
    assert len(matrix.work.files) == 2
    # A strong match carries what its NFO needs: the details request was made.
    assert (matrix.ids.get("imdb"), matrix.certification, matrix.runtime) == \
        ("tt0133093", "R", 136)
    assert matrix.overview and matrix.genres == ["Action", "Science Fiction"]
    office = next(r for r in records.values() if r.work.kind == "series")
    assert (office.ids.get("tvdb"), office.ids.get("imdb")) == ("73244", "tt0386676")
    assert "season01" in office.artwork and office.runtime == 22
    assert records["movie|dune|2021"].ids.get("tmdb") == "438631"  # the remake, by year
    assert records["movie|dune|1984"].ids.get("tmdb") == "841"
    heat = records["movie|heat|"]  # no year: two films of one name
    assert heat.confidence in ("medium", "low")
    assert {c["id"] for c in heat.candidates} >= {"949", "9976"}
    office = records["series|the office|2005"]
    assert office.confidence == "strong" and office.ids.get("tvdb")
    assert office.season_episodes.get("1") and office.episode_titles.get("S01E01")
    book = records[next(k for k in records if k.startswith("book|"))]
    assert book.candidates and book.candidates[0]["id"] == "OL893415W"


def test_the_override_file_wins_over_search(providers: FakeServer, make_tree: MakeTree,
                                            tmp_path: Path) -> None:
    work = _prepare(make_tree, tmp_path)
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text("- title: Heat\n  tmdb: 9976\n- glob: '*/Dune (1984)/*'\n  tmdb: 841\n")
    enrich.run(work, _settings(providers, tmp_path, overrides=overrides))
    records = _records(work)
    heat = records["movie|heat|"]
    assert (heat.confidence, heat.ids.get("tmdb"), heat.reasons) == ("strong", "9976",
                                                                     ["override"])
    assert records["movie|dune|1984"].reasons == ["override"]


def test_retry_after_is_honoured_and_retries_are_bounded(providers: FakeServer,
                                                        make_tree: MakeTree,
                                                        tmp_path: Path) -> None:
    work = _prepare(make_tree, tmp_path, {"Movies/Dune (2021)/Dune (2021).mkv": 0})
    providers.fail("^/tmdb/3/search/movie", "429", times=1, retry_after=1)
    enrich.run(work, _settings(providers, tmp_path, threads=1))
    calls = providers.recorded("^/tmdb/3/search/movie")
    assert len(calls) == 2 and calls[1].time - calls[0].time >= 0.95
    assert _records(work)["movie|dune|2021"].confidence == "strong"


def test_an_outage_disables_the_provider_once_after_bounded_retries(
    providers: FakeServer, make_tree: MakeTree, tmp_path: Path
) -> None:
    work = _prepare(make_tree, tmp_path)
    providers.fail("^/tmdb", "500", times=1000)
    _, stats = enrich.run(work, _settings(providers, tmp_path, threads=1))
    assert len(stats.disabled) == 1 and stats.disabled[0].startswith("tmdb:")
    assert len(providers.recorded("^/tmdb")) == 5  # one work's attempts, then disabled
    records = _records(work)
    assert sum(bool(r.errors) for r in records.values()) == 1


def test_a_bad_key_disables_tmdb_with_one_message(providers: FakeServer, make_tree: MakeTree,
                                                  tmp_path: Path) -> None:
    from pipeline.report import stage as report
    from pipeline.report.model import enrich_notice

    work = _prepare(make_tree, tmp_path)
    _, stats = enrich.run(work, _settings(providers, tmp_path, key="wrong", threads=1))
    assert len(providers.recorded("^/tmdb")) == 1
    assert [d.split(":")[0] for d in stats.disabled] == ["tmdb"]
    notice = enrich_notice(report.build(work))
    assert notice.startswith("Enrich: tmdb disabled: /search/movie: HTTP 401"), notice
    assert "(1 request)" in notice and "musicbrainz had nothing to look up" in notice


@pytest.mark.parametrize("secret", ["key", "bearer"])
def test_keys_and_tokens_are_never_stored_or_printed(
    providers: FakeServer, make_tree: MakeTree, tmp_path: Path,
    capfd: pytest.CaptureFixture[str], secret: str,
) -> None:
    from pipeline.report import stage as report

    work = _prepare(make_tree, tmp_path)
    value = KEY if secret == "key" else fake_tmdb.BEARER_TOKEN
    settings = _settings(providers, tmp_path, key=value if secret == "key" else None,
                         bearer=value if secret == "bearer" else None)
    enrich.run(work, settings)
    report.run(work)
    assert providers.recorded("^/tmdb")  # the secret really went to the server
    needle = value.encode()
    for path in [*(tmp_path / "cache").rglob("*"), *work.iterdir()]:
        if path.is_file():
            assert needle not in path.read_bytes(), path
    out, err = capfd.readouterr()
    assert value not in out and value not in err


def test_musicbrainz_never_gets_more_than_one_request_a_second(
    providers: FakeServer, make_tree: MakeTree, tmp_path: Path
) -> None:
    if not can_make("mp3-id3"):
        pytest.skip("cannot make an mp3 here")
    from mutagen.id3 import ID3, TALB, TPE1, TPE2

    library = tmp_path / "music"
    for album, artist in (("OK Computer", "Radiohead"), ("Kind of Blue", "Miles Davis")):
        track = library / artist / album / "01 - x.mp3"
        track.parent.mkdir(parents=True)
        make_media(track, "mp3-id3")
        tags = ID3(track)
        tags.add(TALB(encoding=3, text=album))
        tags.add(TPE1(encoding=3, text=artist))
        tags.add(TPE2(encoding=3, text=artist))
        tags.save()
    work = tmp_path / "work"
    base = Settings()
    scan.run(work, [str(library)], msgspec.structs.replace(base.scan, jobs=1))
    probe.run(work, msgspec.structs.replace(base, probe=msgspec.structs.replace(base.probe,
                                                                                jobs=1)))
    start = time.monotonic()
    enrich.run(work, _settings(providers, tmp_path, mb_rate=1.0, threads=4))
    times = [r.time for r in providers.recorded("^/mb")]
    assert len(times) >= 3
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.9, gaps  # 1/s; arrival times jitter a little
    assert time.monotonic() - start >= 0.9 * (len(times) - 1)
    assert all("jforg/" in r.headers.get("User-Agent", "") for r in providers.recorded("^/mb"))
    ok = next(r for r in _records(work).values() if r.work.title == "OK Computer")
    assert ok.artwork.get("front")  # the Cover Art Archive's front image


def test_the_report_lists_ambiguous_works_with_their_candidates(
    providers: FakeServer, make_tree: MakeTree, tmp_path: Path
) -> None:
    from pipeline.report import stage as report
    from pipeline.report.model import enrich_notice

    work = _prepare(make_tree, tmp_path)
    enrich.run(work, _settings(providers, tmp_path))
    built = report.build(work)
    assert built.enriched
    asked = len(providers.recorded("^/tmdb"))
    assert built.enrich_run is not None and built.enrich_run.requests["tmdb"] == asked
    assert f"tmdb asked ({asked} requests)" in enrich_notice(built)
    enrich.run(work, _settings(providers, tmp_path))  # the same works again: all cached
    assert len(providers.recorded("^/tmdb")) == asked
    assert "tmdb answered from the cache;" in enrich_notice(report.build(work))
    heat = [item for item in built.review if item.path.endswith("Heat.mkv")]
    assert heat and heat[0].reason in ("movie without a year",
                                       "enrich matched at medium confidence")
    assert any("9976" in c for c in heat[0].candidates)
    assert any("949" in c for c in heat[0].candidates)


def test_a_malformed_answer_is_an_error_for_that_work_and_is_asked_again_next_run(
    providers: FakeServer, make_tree: MakeTree, tmp_path: Path
) -> None:
    work = _prepare(make_tree, tmp_path, {"Movies/Dune (2021)/Dune (2021).mkv": 0})
    providers.fail("^/tmdb/3/search/movie", "malformed", times=1)
    settings = _settings(providers, tmp_path, threads=1)
    enrich.run(work, settings)
    first = _records(work)["movie|dune|2021"]
    assert first.confidence == "none" and [e.code for e in first.errors] == ["lookup_failed"]
    enrich.run(work, settings)
    assert _records(work)["movie|dune|2021"].confidence == "strong"


RELEASES = {
    "TV/The.Office.US.S01E02.720p.HDTV.x264-GRP.mkv": 0,
    "TV/Queer.as.Folk.UK.S01E01.DVDRip.x264-GRP.mkv": 0,
    "TV/Law.and.Order.SVU.S01E01.720p.WEB.x264-GRP.mkv": 0,
    "Movies/The.Road.Warrior.1981.1080p.BluRay.x264-GRP.mkv": 0,
    "Movies/Rogue.One.2016.1080p.BluRay.x264-GRP.mkv": 0,
    "Movies/The.Godfather.Part.II.1974.1080p.BluRay.x264-GRP.mkv": 0,
    "Movies/The.Godfather.1080p.BluRay.x264-GRP.mkv": 0,
    "Movies/WALL-E.2008.720p.BluRay.x264-GRP.mkv": 0,
}


def test_release_names_match_by_country_alternative_title_and_head_within_the_budget(
        providers: FakeServer, make_tree: MakeTree, tmp_path: Path) -> None:
    work = _prepare(make_tree, tmp_path, RELEASES)
    _, stats = enrich.run(work, _settings(providers, tmp_path))
    got = {r.work.title: (r.confidence, r.ids.get("tmdb")) for r in _records(work).values()}
    assert got["The Office (US)"] == ("strong", "2316")  # its country, against origin_country
    assert got["Queer as Folk (UK)"] == ("strong", "1421")
    assert got["Law and Order SVU"] == ("strong", "2734")  # "&" searched, an alternative title
    assert got["The Road Warrior"] == ("strong", "8810")  # Mad Max 2, by an alternative title
    assert got["Rogue One"] == ("strong", "330459")  # the head of its title, with the year
    assert got["The Godfather Part II"] == ("strong", "240")
    assert got["The Godfather"][0] == "medium"  # "Part II" may have been lost on the way
    # The probe reads "WALL-E" as "E" (a parse matter): whatever it finds is not strong.
    assert all(conf != "strong" for title, (conf, _) in got.items() if title == "E")
    tmdb = providers.recorded("^/tmdb")
    movies = [r for r in tmdb if "/search/movie" in r.path or r.path.startswith("/tmdb/3/movie/")]
    assert len(movies) / stats.by_kind["movie"] <= 2.5
    assert stats.requests["tmdb"] == len(tmdb)
    providers.clear()
    enrich.run(work, _settings(providers, tmp_path))
    assert providers.requests == []  # alternative titles and season lists come from the cache
