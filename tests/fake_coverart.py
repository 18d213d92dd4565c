"""A fake Cover Art Archive answering ``/release/{mbid}`` in the real shape.

Two releases have a front image (and one also a back image); one known
release has no art, and unknown releases are 404 like the real archive.
``/release/{mbid}/front`` redirects (307) to the front image.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["NO_ART", "OK_COMPUTER", "RELEASES", "THRILLER", "handle"]

Response = tuple[int, dict[str, str], bytes]

OK_COMPUTER = "b1392450-e666-3926-a536-22c65f834433"
THRILLER = "6c88bbc1-0ae5-4a6f-8cd0-f7b2ea1f8b7a"
NO_ART = "8a2d1f0e-5b3c-4e6a-9f7d-0c1b2a3d4e5f"

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_BASE = "https://coverartarchive.org/release"


def _image(mbid: str, image_id: int, *, front: bool, types: list[str]) -> dict[str, Any]:
    stem = f"{_BASE}/{mbid}/{image_id}"
    return {
        "approved": True,
        "back": "Back" in types,
        "comment": "",
        "edit": 20000000 + image_id % 1000,
        "front": front,
        "id": image_id,
        "image": f"{stem}.jpg",
        "thumbnails": {
            "1200": f"{stem}-1200.jpg",
            "250": f"{stem}-250.jpg",
            "500": f"{stem}-500.jpg",
            "large": f"{stem}-500.jpg",
            "small": f"{stem}-250.jpg",
        },
        "types": types,
    }


RELEASES: dict[str, list[dict[str, Any]]] = {
    OK_COMPUTER: [
        _image(OK_COMPUTER, 829521842, front=False, types=["Back"]),
        _image(OK_COMPUTER, 829521837, front=True, types=["Front"]),
    ],
    THRILLER: [_image(THRILLER, 4166049366, front=True, types=["Front", "Booklet"])],
    # The fake MusicBrainz catalogue's OK Computer releases (tests/fake_musicbrainz.py),
    # so an album enriched end to end gets its front cover too.
    "00000000-0000-4000-8000-000000000102": [
        _image("00000000-0000-4000-8000-000000000102", 829521901, front=True,
               types=["Front"])],
    "00000000-0000-4000-8000-000000000103": [
        _image("00000000-0000-4000-8000-000000000103", 829521902, front=True,
               types=["Front"])],
    NO_ART: [],
}


def _not_found() -> Response:
    return 404, {"Content-Type": "text/plain"}, b"Not Found"


def handle(path: str, query: dict[str, list[str]], headers: Mapping[str, str]) -> Response:
    parts = path.strip("/").split("/")
    if len(parts) not in (2, 3) or parts[0] != "release":
        return _not_found()
    mbid = parts[1]
    if not _UUID.match(mbid):
        return 400, {"Content-Type": "text/plain"}, b"invalid UUID"
    images = RELEASES.get(mbid)
    if not images:  # unknown release, or a release without art
        return _not_found()
    if len(parts) == 3:
        if parts[2] != "front":
            return _not_found()
        front = next(i for i in images if i["front"])
        return 307, {"Location": front["image"]}, b""
    body = {"images": images, "release": f"https://musicbrainz.org/release/{mbid}"}
    return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()
