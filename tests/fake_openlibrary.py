"""A fake Open Library answering ``/search.json`` in the real shape for a tiny catalogue.

``handle(path, query, headers)`` is transport-free: ``query`` is what
``urllib.parse.parse_qs`` gives. Search by ``isbn`` (ISBN-10 or -13, exact),
or by ``title`` / ``author`` / ``q`` (case-insensitive contains); ``fields``
and ``limit`` are honoured like the real API. ``/works/{id}.json`` answers
the work record; anything else is 404.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = ["CATALOGUE", "handle"]

Response = tuple[int, dict[str, str], bytes]

CATALOGUE: list[dict[str, Any]] = [
    {
        "key": "/works/OL893415W",
        "type": "work",
        "title": "Dune",
        "author_name": ["Frank Herbert"],
        "author_key": ["OL79034A"],
        "first_publish_year": 1965,
        "cover_i": 11481354,
        "edition_count": 3,
        "edition_key": ["OL26242482M", "OL7353617M", "OL22929442M"],
        "isbn": ["0441013597", "9780441013593", "9780340960196", "0340960191"],
        "language": ["eng"],
    },
    {
        "key": "/works/OL27482W",
        "type": "work",
        "title": "The Hobbit",
        "author_name": ["J.R.R. Tolkien"],
        "author_key": ["OL26320A"],
        "first_publish_year": 1937,
        "cover_i": 14627509,
        "edition_count": 2,
        "edition_key": ["OL51694024M", "OL7998591M"],
        "isbn": ["054792822X", "9780547928227", "9780261103344"],
        "language": ["eng"],
    },
    {
        "key": "/works/OL66562W",
        "type": "work",
        "title": "Emma",
        "author_name": ["Jane Austen"],
        "author_key": ["OL21594A"],
        "first_publish_year": 1815,
        "cover_i": 9278292,
        "edition_count": 2,
        "edition_key": ["OL7034883M", "OL24364628M"],
        "isbn": ["0141439580", "9780141439587"],
        "language": ["eng", "fre"],
    },
    {
        # The other "Emma": no cover, only an ISBN-10.
        "key": "/works/OL17356814W",
        "type": "work",
        "title": "Emma",
        "author_name": ["Alexander McCall Smith"],
        "author_key": ["OL1433006A"],
        "first_publish_year": 2014,
        "edition_count": 1,
        "edition_key": ["OL26885234M"],
        "isbn": ["0804172374"],
        "language": ["eng"],
    },
]


def _json(status: int, body: Any) -> Response:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


def _one(query: Mapping[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None


def _matches(doc: dict[str, Any], query: Mapping[str, list[str]]) -> bool:
    isbn = _one(query, "isbn")
    if isbn is not None and isbn.replace("-", "") not in doc["isbn"]:
        return False
    title = _one(query, "title")
    if title is not None and title.casefold() not in doc["title"].casefold():
        return False
    author = _one(query, "author")
    if author is not None and not any(
        author.casefold() in a.casefold() for a in doc["author_name"]
    ):
        return False
    q = _one(query, "q")
    if q is not None:
        hay = " ".join([doc["title"], *doc["author_name"]]).casefold()
        if q.casefold() not in hay:
            return False
    return True


def _search(query: Mapping[str, list[str]]) -> Response:
    if not any(_one(query, k) for k in ("isbn", "title", "author", "q")):
        return _json(422, {"error": "missing query"})
    found = [d for d in CATALOGUE if _matches(d, query)]
    limit = int(_one(query, "limit") or "100")
    fields = _one(query, "fields")
    wanted = fields.split(",") if fields and fields != "*" else None
    docs = [
        {k: v for k, v in d.items() if wanted is None or k in wanted} for d in found[:limit]
    ]
    q = " ".join(f"{k}:{v[0]}" for k, v in query.items() if k not in ("fields", "limit"))
    return _json(200, {
        "numFound": len(found),
        "start": 0,
        "numFoundExact": True,
        "num_found": len(found),
        "documentation_url": "https://openlibrary.org/dev/docs/api/search",
        "q": q,
        "offset": None,
        "docs": docs,
    })


def _work(work_id: str) -> Response:
    for doc in CATALOGUE:
        if doc["key"] == f"/works/{work_id}":
            return _json(200, {
                "key": doc["key"],
                "title": doc["title"],
                "type": {"key": "/type/work"},
                "authors": [{"author": {"key": f"/authors/{a}"}, "type": {"key":
                            "/type/author_role"}} for a in doc["author_key"]],
                "covers": [doc["cover_i"]] if "cover_i" in doc else [],
            })
    return _json(404, {"error": "notfound", "key": f"/works/{work_id}"})


def handle(path: str, query: dict[str, list[str]], headers: Mapping[str, str]) -> Response:
    if path == "/search.json":
        return _search(query)
    if path.startswith("/works/") and path.endswith(".json"):
        return _work(path[len("/works/"):-len(".json")])
    return _json(404, {"error": "notfound", "key": path})
