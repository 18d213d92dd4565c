"""Artwork downloads over real HTTP on 127.0.0.1: images kept, everything else refused."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from pipeline.core.settings import Settings
from pipeline.organize.artwork import Artwork, ArtworkRefused, sniff_image
from tests.fake_server import FakeServer
from tests.fake_tmdb import TINY_JPEG

MIB = 1024 * 1024


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG, built by the format's rules (signature, IHDR, IDAT, IEND)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + \
        chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")


def _images(path: str, query: dict[str, list[str]], headers: object) -> tuple[int, dict[str, str],
                                                                            object]:
    if path == "/w780/poster.jpg":
        return 200, {"Content-Type": "image/jpeg"}, TINY_JPEG
    if path == "/w780/poster.png":
        return 200, {"Content-Type": "image/png"}, tiny_png()
    if path == "/w780/error-page.jpg":  # a CDN's error page, served as a success
        return 200, {"Content-Type": "text/html"}, b"<html><body>Oops</body></html>"
    if path == "/w780/text-type.jpg":
        return 200, {"Content-Type": "text/plain"}, TINY_JPEG
    if path == "/w780/html-bytes.jpg":
        return 200, {"Content-Type": "image/jpeg"}, b"<html>not really a jpeg</html>"
    if path == "/original/huge.jpg":
        return 200, {"Content-Type": "image/jpeg"}, TINY_JPEG + bytes(50 * MIB)
    if path == "/original/huge-stream.jpg":  # no Content-Length: only the stream tells
        def chunks() -> Iterator[bytes]:
            yield TINY_JPEG
            for _ in range(50 * 16):
                yield bytes(64 * 1024)
        return 200, {"Content-Type": "image/jpeg"}, chunks()
    return 404, {"Content-Type": "text/html"}, b"<html>Not Found</html>"


@pytest.fixture
def art(fake_server: FakeServer, tmp_path: Path) -> Iterator[tuple[Artwork, FakeServer]]:
    fake_server.add("/img", _images)
    base = Settings()
    p = base.providers
    settings = msgspec.structs.replace(
        base,
        cache=msgspec.structs.replace(base.cache, path=str(tmp_path / "cache")),
        providers=msgspec.structs.replace(p, tmdb=msgspec.structs.replace(
            p.tmdb, image_base_url=fake_server.url("/img"), rate=1000.0)),
        organize=msgspec.structs.replace(base.organize, artwork_max_bytes=20 * MIB))
    artwork = Artwork(settings)
    yield artwork, fake_server
    artwork.close()


@pytest.mark.parametrize(("name", "kind"), [("poster.jpg", "jpeg"), ("poster.png", "png")])
def test_a_real_image_is_saved_whole_and_hashed(art: tuple[Artwork, FakeServer], tmp_path: Path,
                                                name: str, kind: str) -> None:
    artwork, server = art
    tmp = tmp_path / "x.tmp"
    digest = artwork.fetch(server.url(f"/img/w780/{name}"), str(tmp))
    body = tmp.read_bytes()
    assert sniff_image(body) == kind
    assert digest == hashlib.blake2b(body, digest_size=32).hexdigest()


@pytest.mark.parametrize(("name", "why"), [
    ("w780/error-page.jpg", "not an image: the server said 'text/html'"),
    ("w780/text-type.jpg", "not an image: the server said 'text/plain'"),
    ("w780/html-bytes.jpg", "not an image: it starts"),
    ("original/huge.jpg", "more than artwork_max_bytes"),
    ("w780/gone.jpg", r"not found \(404\)"),
])
def test_what_is_not_a_usable_image_is_refused_and_leaves_nothing(
        art: tuple[Artwork, FakeServer], tmp_path: Path, name: str, why: str) -> None:
    artwork, server = art
    tmp = tmp_path / "x.tmp"
    with pytest.raises(ArtworkRefused, match=why):
        artwork.fetch(server.url(f"/img/{name}"), str(tmp))
    assert not tmp.exists()


def test_a_huge_stream_is_cut_off_long_before_its_end(art: tuple[Artwork, FakeServer],
                                                      tmp_path: Path) -> None:
    artwork, server = art
    with pytest.raises(ArtworkRefused, match="more than artwork_max_bytes"):
        artwork.fetch(server.url("/img/original/huge-stream.jpg"), str(tmp_path / "x.tmp"))
    assert server.streamed < 30 * MIB  # 50 MiB were on offer


def test_a_slow_image_still_arrives(art: tuple[Artwork, FakeServer], tmp_path: Path) -> None:
    artwork, server = art
    server.fail(r"/img/w780/poster.jpg", "slow", seconds=1.0)
    artwork.fetch(server.url("/img/w780/poster.jpg"), str(tmp_path / "x.tmp"))
    assert (tmp_path / "x.tmp").read_bytes() == TINY_JPEG


def test_a_url_from_an_unknown_host_is_never_fetched(art: tuple[Artwork, FakeServer],
                                                     tmp_path: Path) -> None:
    artwork, server = art
    with pytest.raises(ArtworkRefused, match="not a configured artwork host"):
        artwork.fetch("http://127.0.0.1:9/elsewhere/poster.jpg", str(tmp_path / "x.tmp"))
    assert server.requests == []
