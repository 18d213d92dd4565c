"""Metadata providers behind one interface (see ``base``); the registry is a plain dict
filled by ``registry()`` so importing this package costs nothing."""

from __future__ import annotations

from pipeline.enrich.providers.base import Provider

__all__ = ["registry"]


def registry() -> dict[str, Provider]:
    from pipeline.enrich.providers import coverart, musicbrainz, openlibrary, tmdb

    return {p.PROVIDER.name: p.PROVIDER for p in (tmdb, musicbrainz, openlibrary, coverart)}
