"""guessit's answer as plain ``Parse`` fields, and the type made to agree with the numbers.

``plain`` turns guessit's dict (babelfish objects, guessit types, one value
or a list) into the plain values a ``Parse`` holds, plus two hints the
correction rules read and ``parse`` drops (``_country``, ``_volume``).
``settle`` runs last: an "episode" with no number becomes a movie, a movie
with numbers an episode, and an episode with no season gets season 1.
No guessit import here: guessit is called in ``parse`` only.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Final

from pipeline.probe.languages import code_of
from pipeline.probe.parse_rules import clean_title, part_of

__all__ = ["Fields", "plain", "settle"]

Fields = dict[str, Any]

_EDITION_WORDS: Final = re.compile(
    r"\b(?:cut|edition|version|remaster(?:ed)?|uncut|extended|unrated|imax|criterion)\b",
    re.IGNORECASE)

def settle(fields: Fields, *, in_season_folder: bool) -> None:
    """Make the type agree with the numbers, and give season-less episodes season 1."""
    numbered = bool(fields["episodes"] or fields["season"] is not None or fields["date"]
                    or fields["absolute_episodes"])
    if fields["type"] == "episode" and not numbered and not in_season_folder:
        # "Blade Runner (1982) Final Cut": guessit calls "Final Cut" an episode title.
        fields["type"] = "movie"
        leftover, fields["episode_title"] = fields["episode_title"], None
        if leftover and fields["edition"] is None and _EDITION_WORDS.search(leftover):
            fields["edition"] = leftover
        elif leftover:
            fields["alternative_titles"] = [*fields["alternative_titles"], leftover]
    elif fields["type"] == "movie" and (fields["episodes"] or fields["season"] is not None):
        fields["type"] = "episode"
    if fields["type"] == "episode" and fields["season"] is None and fields["episodes"]:
        # Absolute numbering (anime, "Show - 03"): Jellyfin files it in season 1,
        # and the number itself is kept for lookups by absolute episode. A
        # number beside an air date wins over the date ("Show.E56.190121").
        fields["season"] = 1
        if not fields["absolute_episodes"]:
            fields["absolute_episodes"] = list(fields["episodes"])


def plain(guess: dict[str, Any]) -> Fields:
    """guessit's dict as plain ``Parse`` fields, plus ``_country`` and ``_volume`` for the rules."""
    titles = [t for t in (clean_title(str(v)) for v in _many(guess.get("title"))) if t]
    alternatives = [t for t in (clean_title(str(v)) for v in _many(guess.get("alternative_title")))
                    if t]
    episodes = [v for v in _many(guess.get("episode")) if isinstance(v, int)]
    country = _first(guess.get("country"))
    part = _first_int(guess.get("part"))
    for key in ("cd", "disc"):
        part = part if part is not None else _first_int(guess.get(key))
    for alternative in list(alternatives):
        number = part_of(alternative)
        if number is not None:  # "The Ten Commandments 1956 Disc 1"
            alternatives.remove(alternative)
            part = part if part is not None else number
    seasons = [v for v in _many(guess.get("season")) if isinstance(v, int)]
    editions = [str(v) for v in _many(guess.get("edition"))]
    day = _first(guess.get("date"))
    return {
        "type": guess.get("type") if guess.get("type") in ("movie", "episode") else None,
        "title": titles[0] if titles else None,
        "year": _first_int(guess.get("year")),
        "season": min(seasons) if seasons else None,
        "episodes": sorted(set(episodes)),
        "episode_title": clean_title(str(_first(guess.get("episode_title")) or "")),
        "alternative_titles": titles[1:] + alternatives,
        "absolute_episodes": sorted({v for v in _many(guess.get("absolute_episode"))
                                     if isinstance(v, int)}),
        "part": part,
        "edition": ", ".join(editions) or None,
        "screen_size": _first_text(guess.get("screen_size")),
        "source": _first_text(guess.get("source")),
        "release_group": _first_text(guess.get("release_group")),
        "other": [str(v) for v in _many(guess.get("other"))],
        "date": f"{day:%Y-%m-%d}" if isinstance(day, date) else None,
        "languages": _codes(guess.get("language")),
        "subtitle_languages": _codes(guess.get("subtitle_language")),
        "_country": getattr(country, "alpha2", None),
        "_volume": _first_int(guess.get("volume")),
    }


def _many(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _first_int(value: Any) -> int | None:
    value = _first(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _first_text(value: Any) -> str | None:
    value = _first(value)
    return str(value) if value is not None and value != [] else None


def _codes(value: Any) -> list[str]:
    codes: list[str] = []
    for language in _many(value):
        code = code_of(language)
        if code is not None and code not in codes:
            codes.append(code)
    return codes
