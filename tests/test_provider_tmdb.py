"""TMDB provider against the fake TMDB (tests/fake_tmdb.py), in process: no HTTP."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from pipeline.core.errors import LookupFailed, ProviderUnusable
from pipeline.core.records import Work
from pipeline.enrich.providers import tmdb
from pipeline.enrich.providers.base import Candidate
from tests import fake_tmdb
from tests.handler_client import HandlerClient


@pytest.fixture
def client() -> HandlerClient:
    return HandlerClient(fake_tmdb.handle, params={"api_key": fake_tmdb.API_KEY})


def movie(title: str, year: int | None = None) -> Work:
    return Work(kind="movie", key=f"movie|{title.lower()}|{year}", title=title, year=year)


def series(title: str, year: int | None = None,
           seasons: dict[str, list[int]] | None = None) -> Work:
    return Work(kind="series", key=f"series|{title.lower()}|{year}", title=title, year=year,
                seasons=seasons or {})


def by_id(candidates: list[Candidate]) -> dict[str, Candidate]:
    return {c.id: c for c in candidates}


def test_the_provider_is_named_tmdb_and_serves_movies_and_series() -> None:
    assert tmdb.PROVIDER.name == "tmdb"
    assert tmdb.PROVIDER.kinds == frozenset({"movie", "series"})
    assert tmdb.PROVIDER.language == "en-US"


def test_a_movie_search_returns_candidates_with_ids_years_and_popularity(
        client: HandlerClient) -> None:
    [matrix] = tmdb.PROVIDER.lookup(client, movie("The Matrix", 1999))
    assert (matrix.provider, matrix.id, matrix.title, matrix.year, matrix.kind) == (
        "tmdb", "603", "The Matrix", 1999, "movie")
    assert matrix.popularity == pytest.approx(85.3)
    assert matrix.ids == {"tmdb": "603"}
    assert client.calls == [("/search/movie", {"query": "The Matrix", "language": "en-US",
                                               "include_adult": "false", "page": "1",
                                               "year": "1999"})]


def test_two_films_named_heat_are_both_candidates_with_their_own_years(
        client: HandlerClient) -> None:
    found = by_id(tmdb.PROVIDER.lookup(client, movie("Heat")))
    assert {k: (c.title, c.year) for k, c in found.items()} == {
        "949": ("Heat", 1995), "9976": ("Heat", 1986)}


def test_heat_with_year_1995_searches_that_year_first_and_finds_the_1995_film(
        client: HandlerClient) -> None:
    found = tmdb.PROVIDER.lookup(client, movie("Heat", 1995))
    assert [(c.id, c.year) for c in found] == [("949", 1995)]
    assert len(client.calls) == 1


def test_a_year_with_no_result_retries_without_the_year_and_gets_both_heat_films(
        client: HandlerClient) -> None:
    found = by_id(tmdb.PROVIDER.lookup(client, movie("Heat", 2003)))
    assert {k: c.year for k, c in found.items()} == {"949": 1995, "9976": 1986}
    assert [call[1].get("year") for call in client.calls] == ["2003", None]


def test_the_dune_remake_is_told_apart_from_the_original_by_year(client: HandlerClient) -> None:
    assert [(c.id, c.year) for c in tmdb.PROVIDER.lookup(client, movie("Dune", 2021))] == [
        ("438631", 2021)]
    assert [(c.id, c.year) for c in tmdb.PROVIDER.lookup(client, movie("Dune", 1984))] == [
        ("841", 1984)]
    both = tmdb.PROVIDER.lookup(client, movie("Dune"))
    assert [(c.id, c.year) for c in both] == [  # by popularity; the sequel's title holds it
        ("693134", 2024), ("438631", 2021), ("841", 1984)]


def test_movie_details_fill_the_ids_plot_rating_and_artwork_in_one_request(
        client: HandlerClient) -> None:
    work = movie("The Matrix", 1999)
    [candidate] = tmdb.PROVIDER.lookup(client, work)
    full = tmdb.PROVIDER.details(client, candidate, work)
    assert full.ids == {"tmdb": "603", "imdb": "tt0133093"}
    assert full.alternative_titles == ["Matrix"]
    assert full.artwork == {
        "poster": "https://image.tmdb.org/t/p/w780/f89U3ADr1oiB1s9GkdPOEpXUk5H.jpg",
        "backdrop": "https://image.tmdb.org/t/p/original/fNG7i7RqMErkcqhohV2a6cV1Ehy.jpg"}
    assert full.overview is not None and full.overview.startswith("A hacker learns")
    assert (full.tagline, full.genres, full.runtime, full.premiered) == (
        "Reality is a thing of the past.", ["Action", "Science Fiction"], 136, "1999-03-30")
    assert full.certification == "R"  # the US theatrical release, not the premiere's blank
    assert client.calls[-1] == ("/movie/603", {
        "append_to_response": "external_ids,release_dates,alternative_titles",
        "language": "en-US"})


def test_the_certification_is_the_configured_countrys(client: HandlerClient) -> None:
    french = tmdb.Tmdb(country="FR")
    work = movie("Heat", 1995)
    [candidate] = french.lookup(client, work)
    assert french.details(client, candidate, work).certification == "12"
    assert tmdb.Tmdb(country="JP").details(client, candidate, work).certification is None


def test_images_come_from_the_configured_base_and_size(client: HandlerClient) -> None:
    local = tmdb.Tmdb(image_base="http://127.0.0.1:9/img/", poster_size="w342")
    [candidate] = local.lookup(client, movie("Heat", 1995))
    assert candidate.artwork["poster"] == \
        "http://127.0.0.1:9/img/w342/umSVjVdbVwtx5ryCA2QXL44Durm.jpg"


def test_amelie_keeps_its_original_french_title(client: HandlerClient) -> None:
    work = movie("Amélie", 2001)
    [candidate] = tmdb.PROVIDER.lookup(client, work)
    assert (candidate.id, candidate.title) == ("194", "Amélie")
    assert candidate.original_title == "Le Fabuleux Destin d'Amélie Poulain"
    full = tmdb.PROVIDER.details(client, candidate, work)
    assert full.original_title == "Le Fabuleux Destin d'Amélie Poulain"
    assert full.ids["imdb"] == "tt0211915"
    assert "Die fabelhafte Welt der Amélie" in full.alternative_titles


def test_a_search_by_original_title_finds_the_film_too(client: HandlerClient) -> None:
    found = tmdb.PROVIDER.lookup(client, movie("Le Fabuleux Destin d'Amélie Poulain"))
    assert [c.id for c in found] == ["194"]


def test_the_provider_language_is_sent_and_changes_the_localised_title(
        client: HandlerClient) -> None:
    french = tmdb.Tmdb(language="fr-FR")
    [candidate] = french.lookup(client, movie("Amélie", 2001))
    assert candidate.title == "Le Fabuleux Destin d'Amélie Poulain"
    assert client.calls[-1][1]["language"] == "fr-FR"


def test_the_office_search_returns_the_us_and_uk_series(client: HandlerClient) -> None:
    found = by_id(tmdb.PROVIDER.lookup(client, series("The Office")))
    assert {k: (c.title, c.year, c.kind) for k, c in found.items()} == {
        "2316": ("The Office", 2005, "series"), "2996": ("The Office", 2001, "series")}
    us = tmdb.PROVIDER.lookup(client, series("The Office", 2005))
    assert [c.id for c in us] == ["2316"]
    assert client.calls[-1][1]["first_air_date_year"] == "2005"


def test_series_details_fill_tvdb_and_imdb_ids_season_lists_and_episode_titles(
        client: HandlerClient) -> None:
    work = series("The Office", 2005, {"1": [1, 2, 3]})
    [candidate] = tmdb.PROVIDER.lookup(client, work)
    full = tmdb.PROVIDER.details(client, candidate, work)
    assert full.ids == {"tmdb": "2316", "tvdb": "73244", "imdb": "tt0386676"}
    assert full.season_episodes == {"1": [1, 2, 3, 4, 5, 6], "2": list(range(1, 23))}
    assert full.episode_titles == {
        "S01E01": "Pilot", "S01E02": "Diversity Day", "S01E03": "Health Care",
        "S01E04": "The Alliance", "S01E05": "Basketball", "S01E06": "Hot Girl"}
    assert [path for path, _ in client.calls[1:]] == ["/tv/2316", "/tv/2316/season/1"]


def test_only_the_seasons_the_work_has_are_fetched_and_unknown_ones_are_skipped(
        client: HandlerClient) -> None:
    work = series("The Office", 2001, {"0": [1], "2": [6], "7": [1]})
    [candidate] = tmdb.PROVIDER.lookup(client, work)
    full = tmdb.PROVIDER.details(client, candidate, work)
    assert full.ids == {"tmdb": "2996", "tvdb": "78107", "imdb": "tt0290978"}
    assert [path for path, _ in client.calls[1:]] == [
        "/tv/2996", "/tv/2996/season/0", "/tv/2996/season/2"]
    assert full.season_episodes == {"0": [1, 2], "1": list(range(1, 7)), "2": list(range(1, 7))}
    assert full.episode_titles["S00E01"] == "Christmas Special (1)"
    assert full.episode_titles["S02E06"] == "Interview"
    assert not any(k.startswith("S01") for k in full.episode_titles)


def test_the_anime_is_found_by_its_romanised_title_with_one_season_of_28(
        client: HandlerClient) -> None:
    work = series("Sousou no Frieren", 2023, {"1": [1, 2]})
    [candidate] = tmdb.PROVIDER.lookup(client, work)
    assert (candidate.id, candidate.title, candidate.original_title, candidate.year) == (
        "209867", "Frieren: Beyond Journey's End", "葬送のフリーレン", 2023)
    full = tmdb.PROVIDER.details(client, candidate, work)
    assert full.season_episodes == {"1": list(range(1, 29))}
    assert len(full.episode_titles) == 28
    assert full.episode_titles["S01E01"] == "The Journey's End"
    assert full.ids == {"tmdb": "209867", "tvdb": "424536", "imdb": "tt22248376"}


def test_nothing_found_is_an_empty_list(client: HandlerClient) -> None:
    assert tmdb.PROVIDER.lookup(client, movie("No Such Film Anywhere", 1970)) == []


def test_details_of_an_unknown_id_fail_the_lookup(client: HandlerClient) -> None:
    ghost = Candidate(provider="tmdb", id="999999999", title="Ghost", kind="movie")
    with pytest.raises(LookupFailed):
        tmdb.PROVIDER.details(client, ghost, movie("Ghost"))


def test_a_bad_api_key_makes_the_provider_unusable() -> None:
    bad = HandlerClient(fake_tmdb.handle, params={"api_key": "wrong"})
    with pytest.raises(ProviderUnusable, match="401"):
        tmdb.PROVIDER.lookup(bad, movie("The Matrix", 1999))


def test_no_key_at_all_makes_the_provider_unusable() -> None:
    with pytest.raises(ProviderUnusable):
        tmdb.PROVIDER.lookup(HandlerClient(fake_tmdb.handle), movie("Heat"))


def test_a_bearer_token_is_accepted_instead_of_an_api_key() -> None:
    bearer = HandlerClient(fake_tmdb.handle,
                           headers={"Authorization": f"Bearer {fake_tmdb.BEARER_TOKEN}"})
    assert [c.id for c in tmdb.PROVIDER.lookup(bearer, movie("The Matrix"))] == ["603"]


def test_the_fake_answers_401_with_tmdbs_body_and_404_with_tmdbs_body() -> None:
    status, headers, body = fake_tmdb.handle("/3/movie/603", {}, {})
    assert status == 401 and json.loads(body)["status_code"] == 7
    assert headers["Content-Type"].startswith("application/json")
    status, _, body = fake_tmdb.handle("/3/movie/1", {"api_key": ["test-key"]}, {})
    assert status == 404 and json.loads(body) == {
        "success": False, "status_code": 34,
        "status_message": "The resource you requested could not be found."}


def test_albums_are_not_looked_up_on_tmdb(client: HandlerClient) -> None:
    album = Work(kind="album", key="album|x", title="Kind of Blue", artist="Miles Davis")
    assert tmdb.PROVIDER.lookup(client, album) == []
    assert client.calls == []


def test_a_malformed_search_answer_fails_the_lookup() -> None:
    def broken(path: str, query: Mapping[str, list[str]],
               headers: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
        return 200, {}, b'{"page": 1}'

    with pytest.raises(LookupFailed):
        tmdb.PROVIDER.lookup(HandlerClient(broken), movie("Heat"))


def test_a_series_country_is_not_searched_for_and_origin_country_comes_back(
        client: HandlerClient) -> None:
    found = by_id(tmdb.PROVIDER.lookup(client, series("The Office (US)")))
    assert client.calls[0][1]["query"] == "The Office"
    assert {k: c.countries for k, c in found.items()} == {"2316": ["US"], "2996": ["GB"]}


def test_a_search_that_finds_nothing_tries_and_for_ampersand_then_roman_numbers(
        client: HandlerClient) -> None:
    [svu] = tmdb.PROVIDER.lookup(client, series("Law and Order SVU"))
    assert svu.id == "2734"
    assert [q["query"] for _, q in client.calls] == ["Law and Order SVU", "Law & Order SVU"]
    client.calls.clear()
    [rocky] = tmdb.PROVIDER.lookup(client, movie("Rocky 2", 1979))
    assert rocky.id == "1367"
    assert [(q["query"], q.get("year")) for _, q in client.calls] == [
        ("Rocky 2", "1979"), ("Rocky 2", None), ("Rocky II", None)]


def test_a_year_without_a_film_of_the_very_name_also_searches_without_the_year(
        client: HandlerClient) -> None:
    # "Dune" in 2024 finds only "Dune: Part Two"; the films called "Dune" must be seen too.
    found = tmdb.PROVIDER.lookup(client, movie("Dune", 2024))
    assert [c.id for c in found] == ["693134", "438631", "841"]
    assert [q.get("year") for _, q in client.calls] == ["2024", None]
    client.calls.clear()
    assert [c.id for c in tmdb.PROVIDER.lookup(client, movie("Heat", 1995))] == ["949"]
    assert len(client.calls) == 1  # the year found the name itself: one search


def test_expanding_a_movie_is_its_details_request_and_details_then_cost_nothing(
        client: HandlerClient) -> None:
    work = movie("The Road Warrior", 1981)
    [candidate] = tmdb.PROVIDER.lookup(client, work)
    assert candidate.alternative_titles == [] and not candidate.detailed
    closer = tmdb.PROVIDER.expand(client, candidate, work)
    assert closer.detailed and "The Road Warrior" in closer.alternative_titles
    assert closer.ids == {"tmdb": "8810", "imdb": "tt0082694"}
    calls = len(client.calls)
    assert tmdb.PROVIDER.details(client, closer, work) == closer
    assert tmdb.PROVIDER.expand(client, closer, work) == closer
    assert len(client.calls) == calls


def test_expanding_a_series_brings_alternative_titles_countries_and_season_lists(
        client: HandlerClient) -> None:
    work = series("Shingeki no Kyojin", None, {"2": [3]})
    [candidate] = tmdb.PROVIDER.lookup(client, work)
    closer = tmdb.PROVIDER.expand(client, candidate, work)
    assert client.calls[-1] == ("/tv/1429", {
        "append_to_response": "external_ids,content_ratings,alternative_titles",
        "language": "en-US"})
    assert "Shingeki no Kyojin" in closer.alternative_titles and closer.countries == ["JP"]
    assert {k: len(v) for k, v in closer.season_episodes.items()} == {
        "1": 25, "2": 12, "3": 22, "4": 30}
    assert not closer.episode_titles
    full = tmdb.PROVIDER.details(client, closer, work)
    assert client.paths[-1] == "/tv/1429/season/2"  # only the season: the rest is known
    assert full.episode_titles["S02E03"] == "Episode 3"
    assert full.ids == {"tmdb": "1429", "tvdb": "267440", "imdb": "tt2560140"}


def test_without_a_year_a_search_that_finds_something_is_the_only_search(
        client: HandlerClient) -> None:
    # Found through its US title: no other spelling of the name is searched for.
    [stone] = tmdb.PROVIDER.lookup(client, movie("Harry Potter and the Sorcerers Stone"))
    assert stone.id == "671" and len(client.calls) == 1
