"""core.digest gives hashlib's SHA-256 (it only avoids loading OpenSSL at start-up)."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.core.digest import sha256_hex


@pytest.mark.parametrize("data", [b"", b"abc", "caf\u00e9\0x".encode("utf-8", "surrogateescape"),
                                  bytes(range(256)) * 300])
def test_the_digest_is_hashlibs(data: bytes) -> None:
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
