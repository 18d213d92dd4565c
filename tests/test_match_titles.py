"""Titles compared as a careful human compares them (pipeline/enrich/compare.py)."""

from __future__ import annotations

import pytest

from pipeline.enrich.compare import (
    compare_title,
    normalize,
    roman_sequel,
    split_country,
    swap_and,
)

# name from a file, official title -> level
SAME: list[tuple[str, str]] = [
    ("Tar", "TÁR"),
    ("Amelie", "Amélie"),
    ("Aeon Flux", "Æon Flux"),
    ("Die Fälscher", "Die Falscher"),
    ("Straße", "Strasse"),
    ("WALL-E", "WALL·E"),
    ("WALLE", "WALL·E"),
    ("Spiderman", "Spider-Man"),
    ("SWAT", "S.W.A.T."),
    ("REC", "[REC]"),
    ("Face Off", "Face/Off"),
    ("Law and Order SVU", "Law & Order: SVU"),
    ("Mr and Mrs Smith", "Mr. & Mrs. Smith"),
    ("Oceans Eleven", "Ocean's Eleven"),
    ("Oceans 11", "Ocean's Eleven"),
    ("12 Monkeys", "Twelve Monkeys"),
    ("Rocky 2", "Rocky II"),
    ("Godfather Part 3", "The Godfather Part III"),
    ("Dune Part 2", "Dune: Part Two"),
    ("Kill Bill Vol 1", "Kill Bill: Vol. I"),
    ("Rocky V", "Rocky 5"),
    ("Office", "The Office"),
    ("Office, The", "The Office"),
    ("Doctor Who", "Doctor Who (2005)"),
    ("500 Days of Summer", "(500) Days of Summer"),
    ("Crouching Tiger Hidden Dragon", "Crouching Tiger, Hidden Dragon"),
    ("Your Name", "Your Name."),
    ("Lord of the Rings The Return of the King", "The Lord of the Rings: The Return of the King"),
]

HEADS: list[tuple[str, str]] = [
    ("Rogue One", "Rogue One: A Star Wars Story"),
    ("Dr Strangelove", "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb"),
    ("Borat", "Borat: Cultural Learnings of America for Make Benefit Glorious Nation of "
              "Kazakhstan"),
    ("Birdman", "Birdman or (The Unexpected Virtue of Ignorance)"),
    ("Leon", "Léon: The Professional"),
    ("Mission Impossible", "Mission: Impossible - Fallout"),
    ("Frankenstein", "Frankenstein; or, The Modern Prometheus"),
    ("Demon Slayer", "Demon Slayer: Kimetsu no Yaiba"),
]

# A name that lost a sequel's number: a close title, never the same one.
SEQUELS: list[tuple[str, str]] = [
    ("The Godfather", "The Godfather Part II"),
    ("Spider-Man", "Spider-Man 2"),
    ("Kill Bill", "Kill Bill: Vol. 1"),
    ("Blade Runner", "Blade Runner 2049"),
    ("Dune", "Dune: Part Two"),
    ("Star Wars", "Star Wars: Episode V - The Empire Strikes Back"),
    ("Mission Impossible", "Mission: Impossible - Dead Reckoning Part One"),
]

# Never the same title, nor a close one.
OTHERS: list[tuple[str, str]] = [
    ("The Godfather Part II", "The Godfather"),  # a name never gains a number
    ("The Godfather Part II", "The Godfather Part III"),
    ("Spider-Man 3", "Spider-Man 2"),
    ("Oceans Twelve", "Ocean's Eleven"),
    ("Die Hard", "Hard"),  # "Die" is no article here
    ("The Matrix", "The Matrix Reloaded"),
    ("Borat", "Borat Subsequent Moviefilm"),
    ("Heat", "Theater"),
    ("The Fast and the Furious", "Fast & Furious"),
    ("Cars", "Cats"),
    ("I Robot", "Robot"),
    ("Monsters", "Monsters, Inc."),  # a comma is no subtitle mark
]


@pytest.mark.parametrize(("name", "title"), SAME)
def test_titles_a_human_reads_as_one_are_the_same(name: str, title: str) -> None:
    match = compare_title(name, title)
    assert (match.level, match.similarity, match.close) == ("exact", 1.0, True)


@pytest.mark.parametrize(("name", "title"), HEADS)
def test_a_name_that_is_the_head_of_the_official_title_is_a_head_match(name: str,
                                                                        title: str) -> None:
    match = compare_title(name, title)
    assert (match.level, match.numbers_differ, match.close) == ("head", False, True)
    assert 0.85 <= match.similarity < 1.0


@pytest.mark.parametrize(("name", "title"), SEQUELS)
def test_a_name_without_the_sequels_number_is_close_but_never_the_same(name: str,
                                                                       title: str) -> None:
    match = compare_title(name, title)
    assert (match.level, match.numbers_differ, match.close) == ("fuzzy", True, True)


@pytest.mark.parametrize(("name", "title"), OTHERS)
def test_different_titles_are_neither_the_same_nor_close(name: str, title: str) -> None:
    match = compare_title(name, title)
    assert match.level == "fuzzy" and not match.close


@pytest.mark.parametrize(("name", "title"), [
    ("Three Colours Blue", "Three Colors: Blue"),
    ("Theatre of Blood", "Theater of Blood"),
    ("Amercian Beauty", "American Beauty"),
])
def test_word_for_word_spelling_differences_are_spelling_matches(name: str, title: str) -> None:
    match = compare_title(name, title)
    assert (match.level, match.close) == ("spelling", True)


def test_a_letter_that_makes_another_word_is_no_spelling_variant() -> None:
    assert compare_title("The Last World", "The Lost World").level == "fuzzy"
    assert compare_title("Cars", "Cats").level == "fuzzy"


def test_numbers_that_differ_halve_the_likeness_of_titles_that_look_alike() -> None:
    assert compare_title("Spider-Man 3", "Spider-Man 2").similarity < 0.5
    assert compare_title("The Godfather", "The Godfather Part II").similarity > 0.7


@pytest.mark.parametrize(("text", "words"), [
    ("I, Robot", ("i", "robot")),  # a pronoun, not a numeral
    ("V for Vendetta", ("v", "for", "vendetta")),
    ("Malcolm X", ("malcolm", "10")),
    ("Kill Bill Vol I", ("kill", "bill", "vol", "1")),
    ("Rocky IV", ("rocky", "4")),
    ("Dune: Part Two", ("dune", "part", "2")),
    ("Ocean's Eleven", ("oceans", "11")),
    ("Le Fabuleux Destin d'Amélie Poulain", ("le", "fabuleux", "destin", "damelie", "poulain")),
])
def test_normal_forms(text: str, words: tuple[str, ...]) -> None:
    assert normalize(text) == words


@pytest.mark.parametrize(("title", "expected"), [
    ("The Office (US)", ("The Office", "US")),
    ("Queer as Folk (UK)", ("Queer as Folk", "GB")),
    ("Ghosts (AU)", ("Ghosts", "AU")),
    ("The Office", ("The Office", None)),
    ("(US)", ("(US)", None)),
    ("Among Us", ("Among Us", None)),
])
def test_a_series_country_comes_off_the_title_as_tmdbs_code(
        title: str, expected: tuple[str, str | None]) -> None:
    assert split_country(title) == expected


@pytest.mark.parametrize(("title", "swapped"), [
    ("Law and Order SVU", "Law & Order SVU"),
    ("Law & Order", "Law and Order"),
    ("Heat", None),
    ("Andor", None),
])
def test_and_and_ampersand_swap_for_a_second_search(title: str, swapped: str | None) -> None:
    assert swap_and(title) == swapped


@pytest.mark.parametrize(("title", "roman"), [
    ("Rocky 2", "Rocky II"),
    ("Godfather Part 3", "Godfather Part III"),
    ("Saw 10", "Saw X"),
    ("Police Academy 4 Citizens on Patrol", None),  # not at the end, not after "Part"
    ("12 Monkeys", None),
    ("Blade Runner 2049", None),
    ("Heat", None),
])
def test_a_sequels_number_in_roman_numerals_for_a_second_search(title: str,
                                                                roman: str | None) -> None:
    assert roman_sequel(title) == roman
