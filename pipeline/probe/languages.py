"""Language codes: one policy for every part that names a language.

A language is stored as ISO 639-1 ("en") where one exists, else ISO 639-3
("yue"). Input may be a 639-1/639-2 B or T/639-3 code, an IETF tag
("pt-BR" -> "pt"), an English name ("German"), or a babelfish Language.
babelfish (a guessit dependency) is imported here only.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["code_of", "normalise_language"]

# Tokens that look like language codes in file names but usually are not.
_NOT_LANGUAGES = frozenset({"und", "zxx", "mul", "mis", "qaa", "sdh", "cc", "forced", "default"})


def code_of(language: Any) -> str | None:
    """The stored code of a babelfish Language (None for "undetermined")."""
    alpha3 = getattr(language, "alpha3", None)
    if not alpha3 or alpha3 in _NOT_LANGUAGES:
        return None
    try:
        alpha2: str = language.alpha2
    except Exception:  # babelfish raises when no 639-1 code exists
        return str(alpha3)
    return alpha2


@lru_cache(maxsize=4096)
def normalise_language(token: str) -> str | None:
    """Map a code, IETF tag or English name to the stored code; None if it is none."""
    import babelfish

    text = token.strip()
    lower = text.lower()
    if not text or lower in _NOT_LANGUAGES:
        return None
    candidates: list[Any] = []
    if len(lower) == 2 and lower.isalpha():
        candidates.append(lambda: babelfish.Language.fromalpha2(lower))
    elif len(lower) == 3 and lower.isalpha():
        candidates.append(lambda: babelfish.Language.fromcode(lower, "alpha3b"))
        candidates.append(lambda: babelfish.Language(lower))
    elif "-" in lower or "_" in lower:
        candidates.append(lambda: babelfish.Language.fromietf(text.replace("_", "-")))
    else:
        candidates.append(lambda: babelfish.Language.fromname(text.title()))
    for make in candidates:
        try:
            return code_of(make())
        except (ValueError, KeyError, babelfish.Error):
            continue
    return None
