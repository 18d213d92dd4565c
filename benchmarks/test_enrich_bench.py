"""Enrich benchmark (make bench): a generated 10 000-file library against the fake
providers (tests/fake_server.py) with 20 ms latency, under the configured rate limits.

Reports requests per work by kind on the first run (target <= 1.2 for movies),
requests on the second run (target 0), wall time and requests/s. The fake
catalogue is small, so most generated titles find no candidate: the figures
measure the request chains, the cache and the limits, not match quality.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import msgspec
import pytest

from benchmarks.libgen import make_library
from pipeline.core.settings import Settings
from pipeline.enrich import stage as enrich
from pipeline.probe import stage as probe
from pipeline.scan import stage as scan
from tests import fake_coverart, fake_musicbrainz, fake_openlibrary, fake_tmdb
from tests.fake_server import FakeServer


def _tmdb_that_knows_every_movie(path: str, query: dict[str, list[str]],
                                 headers: Mapping[str, str]) -> tuple[int, dict[str, str],
                                                                       bytes]:
    """The fake TMDB, plus a plausible answer for any movie it doesn't know.

    Real TMDB finds nearly every film of a real library; the small test
    catalogue finds none of the generated titles, which would make every
    search a miss (and a second search without the year). Only the
    benchmark widens it, so the request counts are those of a library TMDB knows.
    """
    status, head, body = fake_tmdb.handle(path, query, headers)
    if status != 200 or not path.endswith("/search/movie") or json.loads(body)["results"]:
        return status, head, body
    title = (query.get("query") or [""])[0]
    year = (query.get("year") or [""])[0]
    ident = int(hashlib.sha256(f"{title}|{year}".encode()).hexdigest()[:8], 16)
    result = {"id": ident, "title": title, "original_title": title, "popularity": 1.0,
              "release_date": f"{year}-06-01" if year else "", "poster_path": None,
              "backdrop_path": None, "adult": False, "genre_ids": [], "overview": "",
              "original_language": "en", "video": False, "vote_average": 6.0,
              "vote_count": 10}
    return 200, head, json.dumps({"page": 1, "results": [result], "total_pages": 1,
                                  "total_results": 1}).encode()


@pytest.mark.timeout(1800)  # bound by the configured rate limits: minutes, by design
def test_enrich_10k_library_against_fake_providers(tmp_path: Path,
                                                   record_figure: Callable[[str], None]) -> None:
    library = tmp_path / "library"
    make_library(library, 10_000, seed=11, sizes="empty", media=0)
    work = tmp_path / "work"
    base = Settings()
    scan.run(work, [str(library)], base.scan)
    probe.run(work, base)
    with FakeServer(latency_s=0.02) as server:
        server.add("/tmdb", _tmdb_that_knows_every_movie)
        for prefix, module in (("/mb", fake_musicbrainz), ("/ol", fake_openlibrary),
                               ("/caa", fake_coverart)):
            server.add(prefix, module.handle)
        p = base.providers
        settings = msgspec.structs.replace(
            base,
            cache=msgspec.structs.replace(base.cache, path=str(tmp_path / "cache")),
            enrich=msgspec.structs.replace(base.enrich, offline=False),
            providers=msgspec.structs.replace(
                p,
                tmdb=msgspec.structs.replace(p.tmdb, api_key=fake_tmdb.API_KEY,
                                             base_url=server.url("/tmdb/3")),
                musicbrainz=msgspec.structs.replace(p.musicbrainz,
                                                    base_url=server.url("/mb/ws/2")),
                openlibrary=msgspec.structs.replace(p.openlibrary, base_url=server.url("/ol")),
                coverart=msgspec.structs.replace(p.coverart, base_url=server.url("/caa"))))
        start = time.perf_counter()
        _, first = enrich.run(work, settings)
        first_s = time.perf_counter() - start
        asked = len(server.requests)
        server.clear()
        start = time.perf_counter()
        enrich.run(work, settings)
        second_s = time.perf_counter() - start
        again = len(server.requests)
    per_kind = {kind: n for kind, n in sorted(first.by_kind.items())}
    provider_of = {"movie": "tmdb", "series": "tmdb", "album": "musicbrainz",
                   "book": "openlibrary"}
    ratios = []
    for name in ("tmdb", "musicbrainz", "openlibrary"):
        works = sum(n for kind, n in per_kind.items() if provider_of[kind] == name)
        if works:
            ratios.append(f"{name} {first.requests.get(name, 0) / works:.2f}/work")
    record_figure(
        f"enrich 10k files, {first.works} works {per_kind}: first run {first_s:.1f} s, "
        f"{asked} requests ({asked / first_s:.1f}/s; {', '.join(ratios)}); "
        f"second run {second_s:.2f} s, {again} requests (target 0)")
    assert again == 0
