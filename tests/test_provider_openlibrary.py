"""Open Library provider against the in-process fake (no HTTP)."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from pipeline.core.errors import LookupFailed, ProviderUnusable
from pipeline.core.records import Work
from pipeline.enrich.providers.base import Provider
from pipeline.enrich.providers.openlibrary import PROVIDER
from tests import fake_openlibrary
from tests.handler_client import HandlerClient


def book(title: str, artist: str | None = None, isbn: str | None = None) -> Work:
    return Work(kind="book", key=f"book|{title.lower()}", title=title, artist=artist, isbn=isbn)


def test_provider_serves_books_only() -> None:
    provider: Provider = PROVIDER  # mypy checks the protocol
    assert provider.name == "openlibrary"
    assert PROVIDER.kinds == frozenset({"book"})


def test_isbn_lookup_finds_dune_with_year_author_ids_and_cover() -> None:
    client = HandlerClient(fake_openlibrary.handle)
    [dune] = PROVIDER.lookup(client, book("whatever", isbn="9780441013593"))
    assert client.calls[0][0] == "/search.json"
    assert client.calls[0][1]["isbn"] == "9780441013593"
    assert dune.provider == "openlibrary"
    assert dune.kind == "book"
    assert (dune.id, dune.title, dune.year, dune.artist) == ("OL893415W", "Dune", 1965,
                                                            "Frank Herbert")
    assert dune.ids == {"openlibrary_work": "OL893415W", "openlibrary_edition": "OL26242482M",
                        "isbn": "9780441013593"}
    assert dune.artwork == {"cover": "https://covers.openlibrary.org/b/id/11481354-L.jpg"}


def test_unknown_isbn_falls_back_to_title_and_author() -> None:
    client = HandlerClient(fake_openlibrary.handle)
    found = PROVIDER.lookup(client, book("The Hobbit", "Tolkien", isbn="9780000000002"))
    assert [c.id for c in found] == ["OL27482W"]
    assert [r[1].get("isbn") for r in client.calls] == ["9780000000002", None]


def test_title_and_author_search_asks_for_the_fields_it_needs() -> None:
    client = HandlerClient(fake_openlibrary.handle)
    [hobbit] = PROVIDER.lookup(client, book("the hobbit", "j.r.r. tolkien"))
    _, params = client.calls[0]
    assert params == {"title": "the hobbit", "author": "j.r.r. tolkien",
                      "fields": "key,title,author_name,first_publish_year,cover_i,edition_key,isbn",
                      "limit": "8"}
    assert (hobbit.id, hobbit.title, hobbit.year, hobbit.artist) == ("OL27482W", "The Hobbit",
                                                                    1937, "J.R.R. Tolkien")
    assert hobbit.ids["isbn"] == "9780547928227"


def test_both_emmas_are_returned_with_their_authors_for_the_matcher_to_choose() -> None:
    found = PROVIDER.lookup(HandlerClient(fake_openlibrary.handle), book("Emma"))
    assert [(c.id, c.artist, c.year) for c in found] == [
        ("OL66562W", "Jane Austen", 1815),
        ("OL17356814W", "Alexander McCall Smith", 2014),
    ]


def test_a_doc_without_cover_or_isbn13_has_no_artwork_and_no_isbn_id() -> None:
    [emma] = PROVIDER.lookup(HandlerClient(fake_openlibrary.handle), book("Emma", "McCall"))
    assert emma.artwork == {}
    assert emma.ids == {"openlibrary_work": "OL17356814W", "openlibrary_edition": "OL26885234M"}


def test_nothing_found_is_an_empty_list() -> None:
    assert PROVIDER.lookup(HandlerClient(fake_openlibrary.handle), book("Nonexistent")) == []


def test_details_returns_the_candidate_unchanged() -> None:
    client = HandlerClient(fake_openlibrary.handle)
    [dune] = PROVIDER.lookup(client, book("Dune", "Herbert"))
    assert PROVIDER.details(client, dune, book("Dune")) is dune
    assert len(client.calls) == 1


def test_a_malformed_answer_fails_this_lookup_only() -> None:
    def broken(path: str, query: dict[str, list[str]], headers: Mapping[str, str]) -> tuple[
            int, dict[str, str], bytes]:
        return 200, {}, b'{"error": "oops"}'

    with pytest.raises(LookupFailed):
        PROVIDER.lookup(HandlerClient(broken), book("Dune"))


def test_a_refused_key_makes_the_provider_unusable() -> None:
    def refused(path: str, query: dict[str, list[str]], headers: Mapping[str, str]) -> tuple[
            int, dict[str, str], bytes]:
        return 403, {}, b""

    with pytest.raises(ProviderUnusable):
        PROVIDER.lookup(HandlerClient(refused), book("Dune"))


def test_fake_answers_the_real_search_envelope() -> None:
    status, headers, body = fake_openlibrary.handle("/search.json", {"isbn": ["0441013597"]}, {})
    data = json.loads(body)
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert {"numFound", "start", "numFoundExact", "docs"} <= data.keys()
    assert data["docs"][0]["key"] == "/works/OL893415W"
    assert data["docs"][0]["language"] == ["eng"]
