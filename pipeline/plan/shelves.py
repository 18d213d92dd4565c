"""Music and book shelves: ``Artist/Album (Year)/`` and ``Author/Title (Year)/`` paths.

Pure functions like ``layout``'s, for the kinds Jellyfin identifies by their
tags or metadata first and by these folders second: the folder levels are
what it groups by (an album, its discs; a book or audiobook and its parts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pipeline.plan.names import (
    RC,
    TITLE_BYTES,
    checked,
    extension,
    keep_name,
    piece,
    safe_component,
    year_suffix,
)

__all__ = ["audiobook_path", "book_path", "music_path"]


def music_path(
    *,
    album_artist: str | None,
    artist: str | None,
    album: str | None,
    year: int | None,
    track: int | None,
    title: str | None,
    ext: str,
    disc: int | None = None,
    disc_total: int | None = None,
    compilation: bool = False,
    multi_disc: bool = False,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Artist/Album (Year)/[Disc N/]01 - Title.ext`` (album artist over track artist).

    The disc level is there when the album has several discs: ``multi_disc``
    (a ``CD1`` folder or ``1-01`` name said so), ``disc_total`` > 1 or ``disc`` > 1.
    """
    rc = replace_chars
    who = "Various Artists" if compilation else (album_artist or artist or "Unknown Artist")
    folder = safe_component(who, rc) + "/"
    folder += safe_component(piece(album or "Unknown Album", rc, TITLE_BYTES) + year_suffix(year),
                             rc) + "/"
    if multi_disc or (disc_total or 0) > 1 or (disc or 0) > 1:
        folder += f"Disc {max(disc or 1, 1)}/"
    name = title or "Unknown Title"
    if track is not None and track >= 0:
        name = f"{track:03d} - {name}" if track > 99 else f"{track:02d} - {name}"
    return folder + safe_component(name, rc, suffix=extension(ext, rc))


def _work_dir(author: str | None, title: str | None, year: int | None,
              rc: Mapping[str, str]) -> tuple[str, str]:
    safe_title = piece(title or "Unknown Title", rc, TITLE_BYTES)
    folder = safe_component(author or "Unknown Author", rc)
    return f"{folder}/{checked(safe_title + year_suffix(year))}", safe_title


def book_path(
    *,
    author: str | None,
    title: str | None,
    year: int | None,
    ext: str,
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Author/Title (Year)/Title.ext`` ("Unknown Author" / "Unknown Title" when missing)."""
    folder, safe_title = _work_dir(author, title, year, replace_chars)
    return f"{folder}/{checked(safe_title + extension(ext, replace_chars))}"


def audiobook_path(
    *,
    author: str | None,
    title: str | None,
    year: int | None,
    name: str,
    levels: Iterable[str] = (),
    replace_chars: Mapping[str, str] = RC,
) -> str:
    """``Author/Title (Year)/[CD 01/]<name>``: part folders and files keep their (safe) names."""
    folder, _ = _work_dir(author, title, year, replace_chars)
    kept = [safe_component(level, replace_chars) for level in levels]
    return "/".join([folder, *kept, keep_name(name, replace_chars)])
