"""The rules a strong match must pass (pipeline/enrich/match.py), one table per rule.

Candidates are built by hand here, shaped as TMDB's search results; the
same rules run against the fake TMDB over HTTP in tests/test_match_cases.py.
"""

from __future__ import annotations

import pytest

from pipeline.core.records import Work
from pipeline.core.settings import Confidence
from pipeline.enrich.match import classify, expansions, rank, score
from pipeline.enrich.providers.base import Candidate

THRESHOLDS = Confidence()


def film(id: str, title: str, year: int | None, *, alt: tuple[str, ...] = (),
         original: str | None = None, popularity: float = 1.0) -> Candidate:
    return Candidate("tmdb", id, title, "movie", year, original_title=original,
                     alternative_titles=list(alt), popularity=popularity)


def show(id: str, title: str, year: int, country: str,
         seasons: dict[str, int] | None = None) -> Candidate:
    lists = {s: list(range(1, n + 1)) for s, n in (seasons or {}).items()}
    return Candidate("tmdb", id, title, "series", year, countries=[country],
                     season_episodes=lists, detailed=bool(seasons))


def name(value: object) -> str:
    """Test ids that read: the work's name and year, then what is expected."""
    if isinstance(value, Work):
        return f"{value.title} ({value.year or '-'})"
    if isinstance(value, tuple):
        return ":".join(map(str, value))
    return "" if isinstance(value, list) else str(value)


def verdict(work: Work, candidates: list[Candidate]) -> tuple[str, str | None]:
    ranked = rank(work, candidates)
    confidence, _ = classify(work, ranked, THRESHOLDS)
    return confidence, ranked[0].candidate.id if ranked else None


def movie(title: str, year: int | None = None) -> Work:
    return Work("movie", f"movie|{title}|{year}", title, year)


def series(title: str, year: int | None = None, seasons: dict[str, list[int]] | None = None
           ) -> Work:
    return Work("series", f"series|{title}|{year}", title, year, seasons=seasons or {})


HEAT = [film("949", "Heat", 1995, popularity=54), film("9976", "Heat", 1986, popularity=6)]
GODFATHER = [film("238", "The Godfather", 1972, popularity=120),
             film("240", "The Godfather Part II", 1974, popularity=70),
             film("242", "The Godfather Part III", 1990, popularity=45)]
ROGUE = [film("330459", "Rogue One: A Star Wars Story", 2016, popularity=50)]
OFFICE = [show("2316", "The Office", 2005, "US"), show("2996", "The Office", 2001, "GB")]


@pytest.mark.parametrize(("work", "candidates", "expected"), [
    (movie("Heat", 1995), HEAT, ("strong", "949")),
    (movie("Heat", 1986), HEAT, ("strong", "9976")),
    (movie("Heat", 1996), HEAT, ("strong", "949")),  # festival and release a year apart
    (movie("Heat", 1997), HEAT, ("medium", "949")),  # two years: not this film
    (movie("Heat", 2003), HEAT, ("medium", "949")),
    (movie("Heat"), HEAT, ("medium", "949")),  # remakes without a year: popularity orders only
    (movie("Heat"), HEAT[:1], ("strong", "949")),  # one film of the name: no doubt
    (movie("Heat", 1995), [film("949", "Heat", None)], ("medium", "949")),  # TMDB has no date
], ids=name)
def test_a_year_in_the_name_must_agree_within_one(
        work: Work, candidates: list[Candidate], expected: tuple[str, str]) -> None:
    assert verdict(work, candidates) == expected


@pytest.mark.parametrize(("work", "expected"), [
    (movie("The Godfather", 1972), ("strong", "238")),
    (movie("The Godfather Part II", 1974), ("strong", "240")),
    (movie("The Godfather Part II"), ("strong", "240")),  # a name never gains a number
    (movie("The Godfather Part 3"), ("strong", "242")),
    (movie("The Godfather"), ("medium", "238")),  # "Part II" may have been lost on the way
    (movie("The Godfather", 1974), ("medium", "240")),  # the year says II, the name says I
    (movie("The Godfather", 1990), ("medium", "242")),
], ids=name)
def test_a_sequels_number_in_one_title_and_not_the_other_blocks_strong(
        work: Work, expected: tuple[str, str]) -> None:
    assert verdict(work, GODFATHER) == expected


@pytest.mark.parametrize(("work", "candidates", "expected"), [
    (movie("Rogue One", 2016), ROGUE, ("strong", "330459")),
    (movie("Rogue One"), ROGUE, ("strong", "330459")),  # the rest are clearly worse: none
    (movie("Rogue One"), [*ROGUE, film("9", "Rogue One", 2009)], ("medium", "9")),
    # With the year, a film of the very name beats one it is the head of.
    (movie("Heat", 1995), [*HEAT, film("7", "Heat: The Making Of", 1995)], ("strong", "949")),
    # Without it, the head is as plausible a reading as the very name.
    (movie("Heat"), [HEAT[0], film("7", "Heat: The Making Of", 1995)], ("medium", "949")),
    (movie("Star Wars"), [film("11", "Star Wars", 1977),
                          film("140607", "Star Wars: The Force Awakens", 2015)],
     ("medium", "11")),
    # A sequel that may have lost its number on the way is a rival, year or not.
    (movie("Star Wars", 1980), [film("11", "Star Wars", 1980),
                                film("1891", "Star Wars: Episode V - The Empire Strikes Back",
                                     1980)], ("medium", "11")),
    (movie("Star Wars", 2015), [film("140607", "Star Wars: The Force Awakens", 2015)],
     ("strong", "140607")),
    # A head needs the year when another candidate has a head of that name too.
    (movie("Mad Max"), [film("76341", "Mad Max: Fury Road", 2015, popularity=80),
                        film("1", "Mad Max: Beyond the Wasteland", 2030)], ("medium", "76341")),
], ids=name)
def test_a_short_name_for_a_long_title_is_strong_only_with_the_year_or_no_rival(
        work: Work, candidates: list[Candidate], expected: tuple[str, str]) -> None:
    assert verdict(work, candidates) == expected


def test_an_alternative_or_original_title_counts_as_the_title() -> None:
    warrior = film("8810", "Mad Max 2", 1981, alt=("The Road Warrior",))
    assert verdict(movie("The Road Warrior", 1981), [warrior]) == ("strong", "8810")
    assert verdict(movie("The Road Warrior", 1981),
                   [film("8810", "Mad Max 2", 1981)])[0] not in ("strong", "medium")
    host = film("1255", "The Host", 2006, original="괴물")
    assert verdict(movie("괴물", 2006), [host]) == ("strong", "1255")


def test_spelling_differences_are_strong_only_with_the_year() -> None:
    blue = [film("108", "Three Colors: Blue", 1993)]
    assert verdict(movie("Three Colours Blue", 1993), blue) == ("strong", "108")
    assert verdict(movie("Three Colours Blue"), blue)[0] == "medium"


def test_a_merely_similar_title_is_never_strong() -> None:
    assert verdict(movie("Theater", 1995), [film("1", "Heat", 1995)])[0] != "strong"
    assert verdict(movie("The Fast and the Furious", 2009),
                   [film("13804", "Fast & Furious", 2009)])[0] != "strong"


@pytest.mark.parametrize(("work", "expected"), [
    (series("The Office (US)"), ("strong", "2316")),
    (series("The Office (UK)"), ("strong", "2996")),
    (series("The Office (AU)"), ("medium", "2316")),  # neither is Australian
    (series("The Office"), ("medium", "2316")),
    (series("The Office", 2001), ("strong", "2996")),
], ids=name)
def test_the_names_country_is_checked_against_origin_country(
        work: Work, expected: tuple[str, str]) -> None:
    assert verdict(work, OFFICE) == expected


@pytest.mark.parametrize(("episodes", "expected"), [
    ({"3": [5]}, ("strong", "2316")),  # the British one has two series
    ({"2": [15, 16]}, ("strong", "2316")),  # of six episodes each
    ({"1": [1, 2]}, ("medium", "2316")),  # both have these
    ({"9": [1]}, ("medium", "2316")),  # neither has them
], ids=name)
def test_when_names_tie_the_episodes_present_decide(episodes: dict[str, list[int]],
                                                    expected: tuple[str, str]) -> None:
    listed = [show("2316", "The Office", 2005, "US", {"1": 6, "2": 22, "3": 25}),
              show("2996", "The Office", 2001, "GB", {"0": 2, "1": 6, "2": 6})]
    assert verdict(series("The Office", None, episodes), listed) == expected


def test_a_field_the_name_does_not_have_is_left_out_of_the_score() -> None:
    heat = HEAT[0]
    assert score(movie("Heat"), heat) == (1.0, ["title 1.00", "kind 1.00"])
    assert score(movie("Heat", 1995), heat)[0] == 1.0
    assert score(movie("Heat", 1986), heat)[0] == pytest.approx(0.7)


def test_only_candidates_that_could_still_decide_are_looked_at_closer() -> None:
    warrior = film("8810", "Mad Max 2", 1981)
    other = film("1", "Road Warriors", 1981)
    far = film("2", "The Road Warrior Returns", 2010)
    work = movie("The Road Warrior", 1981)
    # Not the name yet (an alternative title may be), and not ruled out by the year.
    assert {c.id for c in expansions(work, rank(work, [warrior, other, far]))} == {"8810", "1"}
    assert expansions(movie("Heat"), rank(movie("Heat"), HEAT)) == []  # names tie: no help
    many = [film(str(i), f"Road {i}", 1981) for i in range(6)]
    assert len(expansions(work, rank(work, many))) == 3  # a bounded number of requests
    # Series tied on the name: their season lists may tell them apart.
    bare = [show("2316", "The Office", 2005, "US"), show("2996", "The Office", 2001, "GB")]
    tied = series("The Office", None, {"3": [1]})
    assert {c.id for c in expansions(tied, rank(tied, bare))} == {"2316", "2996"}
    assert expansions(series("The Office"), rank(series("The Office"), bare)) == []


def test_albums_and_books_keep_the_plain_lead_rule() -> None:
    album = Work("album", "album|x", "Kind of Blue", 1959, artist="Miles Davis")
    found = [Candidate("musicbrainz", "a", "Kind of Blue", "album", 1959, artist="Miles Davis"),
             Candidate("musicbrainz", "b", "Kind of Blue", "album", 1997, artist="Chet Baker")]
    assert classify(album, rank(album, found), THRESHOLDS)[0] == "strong"
    assert classify(album, rank(album, found[:1] * 2), THRESHOLDS)[0] == "medium"
