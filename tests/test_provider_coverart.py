"""Cover Art Archive provider against the in-process fake (no HTTP)."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from pipeline.core.errors import LookupFailed
from pipeline.core.records import Work
from pipeline.enrich.providers.base import Candidate, Provider
from pipeline.enrich.providers.coverart import PROVIDER
from tests import fake_coverart
from tests.fake_coverart import NO_ART, OK_COMPUTER, THRILLER
from tests.handler_client import HandlerClient

ALBUM = Work(kind="album", key="album|radiohead|ok computer", title="OK Computer",
             artist="Radiohead", year=1997)


def mb_candidate(mbid: str | None, artwork: dict[str, str] | None = None) -> Candidate:
    ids = {"musicbrainz_release_group": "b1392450-e666-3926-a536-22c65f834433"}
    if mbid:
        ids["musicbrainz_release"] = mbid
    return Candidate(provider="musicbrainz", id=mbid or "x", title="OK Computer", kind="album",
                     year=1997, artist="Radiohead", ids=ids, artwork=artwork or {})


def test_provider_serves_albums_only() -> None:
    provider: Provider = PROVIDER  # mypy checks the protocol
    assert provider.name == "coverart"
    assert PROVIDER.kinds == frozenset({"album"})


def test_lookup_cannot_search_and_returns_nothing() -> None:
    client = HandlerClient(fake_coverart.handle)
    assert PROVIDER.lookup(client, ALBUM) == []
    assert client.paths == []


def test_details_fills_the_front_url_from_the_1200_thumbnail_of_the_front_image() -> None:
    client = HandlerClient(fake_coverart.handle)
    done = PROVIDER.details(client, mb_candidate(OK_COMPUTER), ALBUM)
    assert client.paths == [f"/release/{OK_COMPUTER}"]
    assert done.artwork == {"front": "https://coverartarchive.org/release/"
                                     f"{OK_COMPUTER}/829521837-1200.jpg"}
    assert done.ids == mb_candidate(OK_COMPUTER).ids
    assert done.provider == "musicbrainz"


def test_details_keeps_artwork_it_already_had() -> None:
    client = HandlerClient(fake_coverart.handle)
    done = PROVIDER.details(client, mb_candidate(THRILLER, {"back": "b.jpg"}), ALBUM)
    assert done.artwork == {"back": "b.jpg", "front": "https://coverartarchive.org/release/"
                                                      f"{THRILLER}/4166049366-1200.jpg"}


def test_details_falls_back_to_large_then_the_original_image() -> None:
    def no_1200(path: str, query: dict[str, list[str]], headers: Mapping[str, str]) -> tuple[
            int, dict[str, str], bytes]:
        image = {"front": True, "types": ["Front"], "image": "https://x/full.jpg",
                 "thumbnails": {"large": "https://x/500.jpg", "small": "https://x/250.jpg"}}
        return 200, {}, json.dumps({"images": [image], "release": "r"}).encode()

    done = PROVIDER.details(HandlerClient(no_1200), mb_candidate(THRILLER), ALBUM)
    assert done.artwork == {"front": "https://x/500.jpg"}


def test_a_release_without_art_leaves_the_candidate_unchanged() -> None:
    candidate = mb_candidate(NO_ART)
    assert PROVIDER.details(HandlerClient(fake_coverart.handle), candidate, ALBUM) is candidate


def test_a_candidate_without_a_release_id_is_returned_without_a_request() -> None:
    client = HandlerClient(fake_coverart.handle)
    candidate = mb_candidate(None)
    assert PROVIDER.details(client, candidate, ALBUM) is candidate
    assert client.paths == []


def test_a_malformed_listing_fails_this_lookup_only() -> None:
    def broken(path: str, query: dict[str, list[str]], headers: Mapping[str, str]) -> tuple[
            int, dict[str, str], bytes]:
        return 200, {}, b"[]"

    with pytest.raises(LookupFailed):
        PROVIDER.details(HandlerClient(broken), mb_candidate(THRILLER), ALBUM)


def test_fake_redirects_front_to_the_image_and_rejects_bad_uuids() -> None:
    status, headers, _ = fake_coverart.handle(f"/release/{THRILLER}/front", {}, {})
    assert (status, headers["Location"]) == (
        307, f"https://coverartarchive.org/release/{THRILLER}/4166049366.jpg")
    assert fake_coverart.handle(f"/release/{NO_ART}/front", {}, {})[0] == 404
    assert fake_coverart.handle("/release/not-a-uuid", {}, {})[0] == 400
