"""The one name a conflicting file gets under ``--conflict rename``: ``Name (2).ext``.

Plan picks it when two files claim one destination; organize picks it again
when the destination appeared after the plan. Both must agree on the rule,
so it lives here.
"""

from __future__ import annotations

import os
from collections.abc import Container

__all__ = ["free_name"]


def free_name(path: str, taken: Container[str]) -> str | None:
    """``path`` with `` (N)`` before its extension, the first N from 2 that is neither in
    ``taken`` nor on disk; None when all of 2..9999 are."""
    stem, ext = os.path.splitext(path)
    for n in range(2, 10_000):
        candidate = f"{stem} ({n}){ext}"
        if candidate not in taken and not os.path.lexists(candidate):
            return candidate
    return None
