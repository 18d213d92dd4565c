"""NFO files Jellyfin reads beside organized media: pure functions to XML bytes.

What the plan knows of a file is enough for a minimal NFO: a movie's title
and year, an episode's series, season and numbers. Text goes through the XML
library (never formatted by hand), and characters XML 1.0 forbids (most
control characters) are dropped, so no title can break the document.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from pipeline.core.records import PlanEntry

__all__ = ["nfo_for"]

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 on,
# except surrogates and U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: object) -> str:
    return _FORBIDDEN.sub("", str(value))


def _document(root: ElementTree.Element) -> bytes:
    ElementTree.indent(root, space="  ")
    body = ElementTree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n' + body + "\n"
            ).encode("utf-8")


def _add(parent: ElementTree.Element, tag: str, value: object | None) -> None:
    if value is not None and str(value) != "":
        ElementTree.SubElement(parent, tag).text = _text(value)


def nfo_for(media: PlanEntry) -> bytes | None:
    """The NFO describing the media file ``media`` was planned as; None if nothing to say."""
    if media.kind == "movie" and media.title:
        root = ElementTree.Element("movie")
        _add(root, "title", media.title)
        _add(root, "year", media.year)
        return _document(root)
    if media.kind == "episode" and media.title and media.season is not None and media.episodes:
        root = ElementTree.Element("episodedetails")
        _add(root, "showtitle", media.title)
        _add(root, "season", media.season)
        _add(root, "episode", media.episodes[0])
        return _document(root)
    return None
