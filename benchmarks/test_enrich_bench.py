"""Enrich benchmark (make bench): a generated 10 000-file library against the fake
providers (tests/fake_server.py) with 20 ms latency.

Reports requests per work on the first run (target <= 1.2 for movies and
series), requests on the second run (target 0), and the first run's wall
time with the rate limits lifted: jforg's own cost. What the configured limits
would add is stated by arithmetic (the slowest provider's requests / rate),
not by sleeping through it; `make bench-full` (``--full-rate``) runs under
the limits, about ten minutes. The fake TMDB answers every movie search (see
below), so the request counts are those of a library TMDB knows; match
quality is not measured here.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from pathlib import Path

import msgspec
import pytest

from benchmarks.conftest import RecordFigure
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


def _rate_bound_s(requests: Mapping[str, int], rates: Mapping[str, float]) -> float:
    """Seconds the rate limits alone impose: each provider has its own pool and limiter,
    so the providers wait side by side and the slowest one bounds the run."""
    return max((n / rates[name] for name, n in requests.items() if n), default=0.0)


@pytest.mark.timeout(1800)  # --full-rate waits on TMDB's 4/s: about ten minutes
def test_enrich_10k_library_against_fake_providers(tmp_path: Path, record_figure: RecordFigure,
                                                   request: pytest.FixtureRequest) -> None:
    full_rate = bool(request.config.getoption("--full-rate"))
    library = tmp_path / "library"
    make_library(library, 10_000, seed=11, sizes="empty", media=0)
    work = tmp_path / "work"
    base = Settings()
    scan.run(work, [str(library)], base.scan)
    probe.run(work, base)
    p = base.providers
    rates = {"tmdb": p.tmdb.rate, "musicbrainz": p.musicbrainz.rate,
             "openlibrary": p.openlibrary.rate, "coverart": p.coverart.rate}
    # Lifted, the limits leave what jforg itself costs: grouping, the request
    # chains, the cache, matching, the manifest. --full-rate keeps them.
    rate = (lambda name: rates[name]) if full_rate else (lambda name: 1e6)
    with FakeServer(latency_s=0.02) as server:
        server.add("/tmdb", _tmdb_that_knows_every_movie)
        for prefix, module in (("/mb", fake_musicbrainz), ("/ol", fake_openlibrary),
                               ("/caa", fake_coverart)):
            server.add(prefix, module.handle)
        settings = msgspec.structs.replace(
            base,
            cache=msgspec.structs.replace(base.cache, path=str(tmp_path / "cache")),
            enrich=msgspec.structs.replace(base.enrich, offline=False),
            providers=msgspec.structs.replace(
                p,
                tmdb=msgspec.structs.replace(p.tmdb, api_key=fake_tmdb.API_KEY,
                                             base_url=server.url("/tmdb/3"), rate=rate("tmdb")),
                musicbrainz=msgspec.structs.replace(p.musicbrainz, rate=rate("musicbrainz"),
                                                    base_url=server.url("/mb/ws/2")),
                openlibrary=msgspec.structs.replace(p.openlibrary, base_url=server.url("/ol"),
                                                    rate=rate("openlibrary")),
                coverart=msgspec.structs.replace(p.coverart, base_url=server.url("/caa"),
                                                 rate=rate("coverart"))))
        start = time.perf_counter()
        _, first = enrich.run(work, settings)
        first_s = time.perf_counter() - start
        asked = len(server.requests)
        movie_asks = len(server.recorded(r"^/tmdb/3/(?:search/)?movie(?:/|$)"))
        series_asks = len(server.recorded(r"^/tmdb/3/(?:search/)?tv(?:/|$)"))
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
    bound = _rate_bound_s(first.requests, rates)
    movies, series = per_kind.get("movie", 0), per_kind.get("series", 0)
    record_figure("enrich-requests-per-movie", movie_asks / max(movies, 1),
                  detail=f"{movie_asks} TMDB requests for {movies} movie works (search, and "
                         f"details when strong); {first.works} works {per_kind}; {asked} "
                         f"requests in all; {', '.join(ratios)}")
    record_figure("enrich-requests-per-series", series_asks / max(series, 1),
                  detail=f"{series_asks} TMDB requests for {series} series works (search, "
                         "details, one per season present)")
    record_figure("enrich-rerun-requests", again,
                  detail=f"second run {second_s:.2f} s, answered from the cache")
    if full_rate:
        record_figure("enrich-full-rate", first_s, "s",
                      detail=f"under the configured limits; the arithmetic says {bound:.0f} s")
    else:
        record_figure("enrich-overhead", first_s, "s",
                      detail=f"{asked / first_s:.0f} requests/s with 20 ms latency")
    record_figure("enrich-rate-bound", bound,
                  detail="max over providers of requests / rate at the configured rates "
                         + ", ".join(f"{n} {first.requests.get(n, 0)}/{r:g}/s"
                                     for n, r in rates.items() if first.requests.get(n)))
    assert again == 0
