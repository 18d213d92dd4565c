"""SHA-256 of a few bytes, without loading OpenSSL.

Importing ``hashlib`` initialises OpenSSL's libcrypto: about 4 ms, a twentieth
of a whole ``jforg scan`` of an empty folder. The settings and header
fingerprints hash a few hundred bytes, for which CPython's built-in SHA-256
gives the same digest at no start-up cost. Manifests (megabytes) are still
hashed by ``hashlib``, imported where they are read (``manifest.file_sha256``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["sha256_hex"]

_sha256: Callable[[bytes], Any]
try:  # CPython's built-in module: _sha256 up to 3.11, _sha2 from 3.12
    from _sha256 import sha256 as _sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
except ImportError:
    try:
        from _sha2 import sha256 as _sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:  # another Python: hashlib's is the same digest
        from hashlib import sha256 as _sha256  # type: ignore[assignment,unused-ignore]


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 of ``data`` (meant for small data: settings, option lists)."""
    return str(_sha256(data).hexdigest())
