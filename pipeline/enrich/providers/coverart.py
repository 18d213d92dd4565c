"""Cover Art Archive: the front cover of a MusicBrainz release.

A follow-up provider: it cannot search, so ``lookup`` returns nothing;
``details`` takes a candidate carrying ``ids["musicbrainz_release"]``
(a MusicBrainz candidate) and GETs ``/release/{mbid}``. The front image's
1200 px thumbnail (else the "large" one, else the original) becomes
``artwork["front"]``. No art (404) leaves the candidate unchanged.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import msgspec

from pipeline.core.errors import LookupFailed
from pipeline.core.records import Work
from pipeline.enrich.providers.base import Candidate, JsonClient

__all__ = ["PROVIDER", "CoverArt", "front_url"]

_PREFERRED = ("1200", "large")


def front_url(listing: Any) -> str | None:
    """The URL to use for the front image of a ``/release/{mbid}`` listing, or None."""
    images = listing.get("images") if isinstance(listing, dict) else None
    if not isinstance(images, list):
        raise LookupFailed("coverart: release listing without an images list")
    images = [i for i in images if isinstance(i, dict)]
    front = next((i for i in images if i.get("front") is True), None)
    if front is None:
        front = next((i for i in images if "Front" in (i.get("types") or [])), None)
    if front is None:
        return None
    thumbnails = front.get("thumbnails")
    if isinstance(thumbnails, dict):
        for size in _PREFERRED:
            url = thumbnails.get(size)
            if isinstance(url, str) and url:
                return url
    image = front.get("image")
    return image if isinstance(image, str) and image else None


class CoverArt:
    name = "coverart"
    kinds = frozenset({"album"})

    def lookup(self, client: JsonClient, work: Work) -> list[Candidate]:
        return []

    def details(self, client: JsonClient, candidate: Candidate, work: Work) -> Candidate:
        mbid = candidate.ids.get("musicbrainz_release")
        if not mbid:
            return candidate
        listing = client.get_json(f"/release/{quote(mbid, safe='')}")
        if listing is None:
            return candidate
        url = front_url(listing)
        if url is None:
            return candidate
        return msgspec.structs.replace(candidate, artwork={**candidate.artwork, "front": url})


PROVIDER = CoverArt()
