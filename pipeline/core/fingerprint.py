"""A fast content fingerprint for spotting duplicate files.

size + BLAKE2b over the first and last 64 KiB: two reads per file whatever
its size, so a nightly run over a NAS stays cheap. Equal fingerprints mean
"almost certainly the same file" (same size, same head, same tail), which
is what the duplicate report needs; it is not a proof of identity.
Organize records it for every file it places, so rollback can tell that a
file is still the one it put there before moving it back.
"""

from __future__ import annotations

import hashlib
import os
from typing import BinaryIO

__all__ = ["CHUNK", "fingerprint", "fingerprint_ends"]

CHUNK = 64 * 1024


def fingerprint(path: str) -> str:
    """``"<size>:<hex>"`` of the file at ``path`` (os form); OSError passes through."""
    with open(path, "rb") as handle:
        return fingerprint_ends(handle)[0]


def fingerprint_ends(handle: BinaryIO) -> tuple[str, bytes, bytes]:
    """The fingerprint of an open file, with the two chunks it read: (fingerprint, head, tail).

    ``head`` is the first CHUNK bytes; ``tail`` the last CHUNK bytes that are
    not in ``head`` (empty for a file of CHUNK bytes or less). The probe sniffs
    the file's format from them: one read serves both.
    """
    digest = hashlib.blake2b(digest_size=16)
    size = os.fstat(handle.fileno()).st_size
    handle.seek(0)
    head = handle.read(CHUNK)
    digest.update(head)
    tail = b""
    if size > CHUNK:
        handle.seek(max(CHUNK, size - CHUNK))
        tail = handle.read(CHUNK)
        digest.update(tail)
    return f"{size}:{digest.hexdigest()}", head, tail
