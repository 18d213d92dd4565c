"""MusicBrainz provider against the fake ws/2 (tests/fake_musicbrainz.py), in process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode

import pytest

from pipeline.core.errors import LookupFailed, ProviderUnusable
from pipeline.core.records import Work
from pipeline.enrich.providers import musicbrainz
from pipeline.enrich.providers.base import Candidate
from tests import fake_musicbrainz as fake
from tests.handler_client import HandlerClient

AGENT = {"User-Agent": "jforg/0.1 ( https://example.invalid/jforg )"}
OK_COMPUTER_GROUP = "b1392450-e666-3926-a536-22c65f834433"
RADIOHEAD = "a74b1b7f-71a5-4011-9441-d0b5e4122711"




@pytest.fixture
def client() -> Iterator[HandlerClient]:
    fake.QUERIES.clear()
    yield HandlerClient(fake.handle, headers=AGENT)
    fake.QUERIES.clear()


def album(title: str, artist: str | None = None, year: int | None = None) -> Work:
    return Work(kind="album", key=f"album|{artist}|{title}", title=title, artist=artist,
                year=year)


def test_the_provider_is_named_musicbrainz_and_serves_albums() -> None:
    assert musicbrainz.PROVIDER.name == "musicbrainz"
    assert musicbrainz.PROVIDER.kinds == frozenset({"album"})


def test_lucene_special_characters_are_escaped() -> None:
    assert musicbrainz.lucene_escape('Kid A: "Live"') == 'Kid A\\: \\"Live\\"'
    assert musicbrainz.lucene_escape("AC/DC && (x) || y+z-1!^~*?[]{}\\") == (
        "AC\\/DC \\&\\& \\(x\\) \\|\\| y\\+z\\-1\\!\\^\\~\\*\\?\\[\\]\\{\\}\\\\")
    assert musicbrainz.search_query('Kid A: "Live"', "Radiohead") == (
        'release:"Kid A\\: \\"Live\\"" AND artist:"Radiohead"')
    assert musicbrainz.search_query("Kind of Blue") == 'release:"Kind of Blue"'


def test_a_title_with_quotes_and_colons_reaches_the_server_intact(
        client: HandlerClient) -> None:
    assert musicbrainz.PROVIDER.lookup(client, album('Kid A: "Live"', "Radiohead")) == []
    assert fake.QUERIES == [{"release": 'Kid A: "Live"', "artist": "Radiohead"}]


def test_an_unescaped_quote_is_a_broken_query_for_the_fake_server() -> None:
    status, _, body = fake.handle(
        "/ws/2/release/", {"query": ['release:"Kid A: "Live""'], "fmt": ["json"]}, AGENT)
    assert status == 400 and "Invalid query" in json.loads(body)["error"]


def test_a_search_sends_the_lucene_query_as_json_with_a_limit_of_8(
        client: HandlerClient) -> None:
    musicbrainz.PROVIDER.lookup(client, album("Kind of Blue", "Miles Davis"))
    assert client.calls == [("/release/", {
        "query": 'release:"Kind of Blue" AND artist:"Miles Davis"', "fmt": "json",
        "limit": "8"})]


def test_kind_of_blue_is_one_candidate_with_artist_ids_track_count_and_score(
        client: HandlerClient) -> None:
    [kob] = musicbrainz.PROVIDER.lookup(client, album("Kind of Blue", "Miles Davis", 1959))
    assert (kob.provider, kob.id, kob.title, kob.kind, kob.year) == (
        "musicbrainz", fake._fake(101), "Kind of Blue", "album", 1959)
    assert kob.artist == "Miles Davis"
    assert kob.track_count == 5
    assert kob.popularity == 1.0
    assert kob.ids == {"musicbrainz_release": fake._fake(101),
                       "musicbrainz_release_group": fake._fake(201),
                       "musicbrainz_artist": "561d854a-6a28-4aa7-8c99-323e6ce46c2a"}


def test_two_releases_of_ok_computer_share_one_release_group(client: HandlerClient) -> None:
    found = musicbrainz.PROVIDER.lookup(client, album("OK Computer", "Radiohead"))
    assert [(c.id, c.year) for c in found] == [(fake._fake(102), 1997), (fake._fake(103), 1997)]
    assert {c.ids["musicbrainz_release_group"] for c in found} == {OK_COMPUTER_GROUP}
    assert {c.ids["musicbrainz_artist"] for c in found} == {RADIOHEAD}
    assert {c.track_count for c in found} == {12}


def test_an_ambiguous_greatest_hits_lists_both_artists_with_join_phrases(
        client: HandlerClient) -> None:
    found = musicbrainz.PROVIDER.lookup(client, album("Greatest Hits"))
    assert {c.artist: (c.year, c.track_count) for c in found} == {
        "Queen": (1981, 17), "Marvin Gaye & Tammi Terrell": (1970, 12)}
    duo = next(c for c in found if c.artist and "&" in c.artist)
    assert duo.ids["musicbrainz_artist"] == fake.ARTISTS["marvin"]["id"]
    [queen] = musicbrainz.PROVIDER.lookup(client, album("Greatest Hits", "Queen"))
    assert queen.id == fake._fake(104)


def test_artist_credit_parsing_joins_names_and_takes_the_first_artist_id() -> None:
    credit = [{"name": "Simon", "joinphrase": " & ", "artist": {"id": "a1", "name": "Paul Simon"}},
              {"name": "Garfunkel", "artist": {"id": "a2", "name": "Art Garfunkel"}}]
    assert musicbrainz.artist_credit(credit) == ("Simon & Garfunkel", "a1")
    assert musicbrainz.artist_credit([{"artist": {"id": "x", "name": "Only Artist"}}]) == (
        "Only Artist", "x")
    assert musicbrainz.artist_credit(None) == (None, None)


def test_details_complete_the_track_count_and_ids_from_the_release_lookup(
        client: HandlerClient) -> None:
    work = album("OK Computer", "Radiohead")
    bare = Candidate(provider="musicbrainz", id=fake._fake(103), title="OK Computer",
                     kind="album", ids={"musicbrainz_release": fake._fake(103)})
    full = musicbrainz.PROVIDER.details(client, bare, work)
    assert full.track_count == 12
    assert full.artist == "Radiohead"
    assert full.year == 1997
    assert full.ids == {"musicbrainz_release": fake._fake(103),
                        "musicbrainz_release_group": OK_COMPUTER_GROUP,
                        "musicbrainz_artist": RADIOHEAD}
    assert client.calls == [(f"/release/{fake._fake(103)}", {
        "inc": "recordings release-groups artist-credits", "fmt": "json"})]


def test_the_release_lookup_url_carries_inc_joined_with_plus_signs() -> None:
    assert urlencode({"inc": "recordings release-groups artist-credits"}) == (
        "inc=recordings+release-groups+artist-credits")


def test_the_fake_release_lookup_lists_tracks_with_titles_and_lengths() -> None:
    status, _, body = fake.handle(
        f"/ws/2/release/{fake._fake(101)}",
        parse_qs("inc=recordings+release-groups+artist-credits&fmt=json"), AGENT)
    release = json.loads(body)
    assert status == 200
    tracks = release["media"][0]["tracks"]
    assert [(t["title"], t["length"]) for t in tracks][:2] == [
        ("So What", 562000), ("Freddie Freeloader", 586000)]
    assert release["release-group"]["id"] == fake._fake(201)


def test_details_of_an_unknown_release_fail_the_lookup(client: HandlerClient) -> None:
    ghost = Candidate(provider="musicbrainz", id=fake._fake(999), title="?", kind="album")
    with pytest.raises(LookupFailed):
        musicbrainz.PROVIDER.details(client, ghost, album("?"))
    status, _, body = fake.handle(f"/ws/2/release/{fake._fake(999)}", {}, AGENT)
    assert status == 404 and json.loads(body)["error"] == "Not Found"
    status, _, body = fake.handle("/ws/2/release/not-an-mbid", {}, AGENT)
    assert status == 400 and json.loads(body)["error"] == "Invalid mbid."


def test_an_anonymous_user_agent_is_blocked_and_the_provider_becomes_unusable() -> None:
    anonymous = HandlerClient(fake.handle, headers={"User-Agent": "python-requests/2.32"})
    with pytest.raises(ProviderUnusable, match="403"):
        musicbrainz.PROVIDER.lookup(anonymous, album("Kind of Blue", "Miles Davis"))


def test_no_match_is_an_empty_list(client: HandlerClient) -> None:
    assert musicbrainz.PROVIDER.lookup(client, album("No Such Album", "Nobody")) == []


def test_movies_are_not_looked_up_on_musicbrainz(client: HandlerClient) -> None:
    assert musicbrainz.PROVIDER.lookup(client, Work(kind="movie", key="m", title="Heat")) == []
    assert client.calls == []


def test_the_fake_parses_lucene_escapes_terms_and_operators() -> None:
    assert fake.parse_query('release:"a\\"b" AND artist:Queen') == {
        "release": 'a"b', "artist": "Queen"}
    assert fake.parse_query("Kid\\:A") == {"release": "Kid:A"}
    for broken in ('release:"open', "release:x\\", 'release:"a"b"'):
        with pytest.raises(fake.QuerySyntaxError):
            fake.parse_query(broken)
