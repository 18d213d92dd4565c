"""Open Library: books, looked up by ISBN or by title and author.

One request per work: ``/search.json?isbn=…`` when the work carries an ISBN
(falling back to title + author when that finds nothing), else
``/search.json?title=…&author=…``. A search doc already carries what the
report needs (work key, first publication year, authors, cover id, edition
keys, ISBNs), so ``details`` returns the candidate unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pipeline.core.errors import LookupFailed
from pipeline.core.records import Work
from pipeline.enrich.providers.base import Candidate, JsonClient

__all__ = ["COVER_URL", "FIELDS", "LIMIT", "PROVIDER", "OpenLibrary"]

FIELDS = "key,title,author_name,first_publish_year,cover_i,edition_key,isbn"
LIMIT = 8
COVER_URL = "https://covers.openlibrary.org/b/id/{cover_i}-L.jpg"


def _search(client: JsonClient, params: Mapping[str, str]) -> list[dict[str, Any]]:
    data = client.get_json("/search.json", {**params, "fields": FIELDS, "limit": str(LIMIT)})
    if data is None:
        return []
    docs = data.get("docs") if isinstance(data, dict) else None
    if not isinstance(docs, list):
        raise LookupFailed("openlibrary: search.json answered without a docs list")
    return [d for d in docs if isinstance(d, dict)]


def _isbn13(values: Any) -> str | None:
    """The first ISBN-13 (978/979 + 10 digits) in a doc's isbn list."""
    if not isinstance(values, list):
        return None
    for value in values:
        text = str(value).replace("-", "")
        if len(text) == 13 and text.isdigit() and text[:3] in ("978", "979"):
            return text
    return None


def _first_str(values: Any) -> str | None:
    if isinstance(values, list) and values and isinstance(values[0], str):
        return values[0]
    return None


def _candidate(doc: dict[str, Any]) -> Candidate | None:
    key, title = doc.get("key"), doc.get("title")
    if not isinstance(key, str) or not isinstance(title, str):
        return None
    work_id = key.rsplit("/", 1)[-1]  # "/works/OL893415W" -> "OL893415W"
    ids = {"openlibrary_work": work_id}
    edition = _first_str(doc.get("edition_key"))
    if edition:
        ids["openlibrary_edition"] = edition
    isbn = _isbn13(doc.get("isbn"))
    if isbn:
        ids["isbn"] = isbn
    year = doc.get("first_publish_year")
    cover = doc.get("cover_i")
    has_cover = isinstance(cover, int) and not isinstance(cover, bool) and cover > 0
    return Candidate(
        provider="openlibrary",
        id=work_id,
        title=title,
        kind="book",
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        artist=_first_str(doc.get("author_name")),
        ids=ids,
        artwork={"cover": COVER_URL.format(cover_i=cover)} if has_cover else {},
    )


class OpenLibrary:
    name = "openlibrary"
    kinds = frozenset({"book"})

    def lookup(self, client: JsonClient, work: Work) -> list[Candidate]:
        docs: list[dict[str, Any]] = []
        if work.isbn:
            docs = _search(client, {"isbn": work.isbn})
        if not docs and work.title:
            params = {"title": work.title}
            if work.artist:
                params["author"] = work.artist
            docs = _search(client, params)
        out: list[Candidate] = []
        seen: set[str] = set()
        for doc in docs:
            candidate = _candidate(doc)
            if candidate is not None and candidate.id not in seen:
                seen.add(candidate.id)
                out.append(candidate)
        return out[:LIMIT]

    def details(self, client: JsonClient, candidate: Candidate, work: Work) -> Candidate:
        return candidate


PROVIDER = OpenLibrary()
