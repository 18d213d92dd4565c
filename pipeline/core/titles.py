"""The comparable form of a title, shared by every stage that groups by title.

Enrich keys works by it and the report groups "same work" duplicates by it;
both must fold alike, or one series would count as two in one place only.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]


def fold(text: str) -> str:
    """Casefolded, punctuation-free, single-spaced: the comparable form of a title."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(c for c in text.replace("_", " ") if c.isalnum() or c.isspace())
    return " ".join(kept.split())
