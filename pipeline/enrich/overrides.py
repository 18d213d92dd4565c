"""The user's overrides file: forced provider ids for works that search gets wrong.

A YAML list of rules, each a path glob or a title (and year) with the ids
to use; the first rule that fits a work wins over any search.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

import msgspec

from pipeline.core.errors import ConfigError
from pipeline.core.paths import from_wire
from pipeline.core.records import Work
from pipeline.core.titles import fold

__all__ = ["Override", "load_overrides", "override_for"]


class Override(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One rule of the overrides file: a path glob or a title (and year) -> ids."""

    glob: str | None = None
    title: str | None = None
    year: int | None = None
    tmdb: int | str | None = None
    musicbrainz: str | None = None
    openlibrary: str | None = None


def load_overrides(path: str | None) -> list[Override]:
    if not path:
        return []
    import yaml

    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or []
        return msgspec.convert(data, list[Override])
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the overrides file: {exc.strerror}") from None
    except (yaml.YAMLError, msgspec.ValidationError) as exc:
        message = str(exc).replace("\n", " ")
        raise ConfigError(f"{path}: not a valid overrides file: {message}") from None


def override_for(work: Work, overrides: Sequence[Override]) -> Override | None:
    """The first rule that fits ``work`` (by one of its files, or by title and year)."""
    for rule in overrides:
        if rule.glob and any(fnmatch.fnmatch(from_wire(f), rule.glob) for f in work.files):
            return rule
        if rule.title and fold(rule.title) == fold(work.title) and (
                rule.year is None or rule.year == work.year):
            return rule
    return None
