"""Works: the things providers know, grouped from probe records.

A movie (title, year), a series (title, year) with the seasons and
episodes present, an album (album artist, album, year), a book (author,
title, ISBN). Enrichment looks up each work once and joins the answer back
to every file of it. Keys are folded (case, punctuation and accents of
Latin letters kept apart from script) so "breaking bad" and "Breaking Bad"
are one series.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from pipeline.core.paths import from_wire
from pipeline.core.records import ProbeRecord, Work
from pipeline.core.titles import fold

__all__ = ["group_works", "work_of"]


def work_of(record: ProbeRecord) -> tuple[str, Work] | None:
    """The work one file belongs to (without files filled in), or None."""
    scan = record.scan
    if scan.error is not None or (record.error is not None and record.error.code == "vanished"):
        return None
    if scan.cls == "video" and record.role in (None, "main") and record.parse is not None:
        parse = record.parse
        if not parse.title:
            return None
        if parse.type == "episode":
            key = f"series|{fold(parse.title)}|{parse.year or ''}"
            seasons = ({str(parse.season): sorted(parse.episodes)}
                       if parse.season is not None and parse.episodes else {})
            return key, Work("series", key, parse.title, parse.year, seasons=seasons)
        key = f"movie|{fold(parse.title)}|{parse.year or ''}"
        return key, Work("movie", key, parse.title, parse.year)
    if scan.cls == "audio" and record.tags is not None and record.tags.album:
        tags = record.tags
        artist = "Various Artists" if tags.compilation else (tags.album_artist or tags.artist)
        key = f"album|{fold(artist or '')}|{fold(tags.album or '')}|{tags.year or ''}"
        return key, Work("album", key, tags.album or "", tags.year, artist=artist)
    if scan.cls == "book":
        meta = record.book
        title = meta.title if meta is not None and meta.title else None
        if title is None:
            title = os.path.splitext(os.path.basename(from_wire(record.path)))[0]
        author = meta.creators[0] if meta is not None and meta.creators else None
        isbn = meta.isbn if meta is not None else None
        key = f"book|{fold(author or '')}|{fold(title)}|{isbn or ''}"
        return key, Work("book", key, title, meta.year if meta else None, artist=author,
                         isbn=isbn)
    return None


def group_works(records: Iterable[ProbeRecord]) -> list[Work]:
    """Every work of ``records`` with its files, sorted by its first file's path."""
    found: dict[str, Work] = {}
    files: dict[str, list[str]] = {}
    seasons: dict[str, dict[str, set[int]]] = {}
    for record in records:
        hit = work_of(record)
        if hit is None:
            continue
        key, work = hit
        found.setdefault(key, work)
        files.setdefault(key, []).append(record.path)
        for season, episodes in work.seasons.items():
            seasons.setdefault(key, {}).setdefault(season, set()).update(episodes)
    works = []
    for key, work in found.items():
        merged = {s: sorted(e) for s, e in sorted(seasons.get(key, {}).items(),
                                                  key=lambda kv: int(kv[0]))}
        works.append(Work(work.kind, key, work.title, work.year, work.artist, work.isbn,
                          merged, files[key]))
    return sorted(works, key=lambda w: (w.files[0], w.key))
