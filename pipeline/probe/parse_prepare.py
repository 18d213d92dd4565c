"""A name tidied before guessit reads it: junk that is no part of the name goes, nothing else.

Pure string functions, no guessit. Each rule removes or rewrites something a
careful reader skips without thinking, because guessit would otherwise take
it for a title word or a number:

- a download site's name in front (``www.site.ca - Movie 2023``,
  ``[ site.org ] Movie``), with or without ``www.``;
- a broadcast date stamp in front (``221208 Series ep34``: YYMMDD), which
  is kept as the air date;
- CJK and full-width brackets (``【Group】``, full-width ``[05]``), read as ``[...]``;
- a revision or segment letter glued to an episode (``S02E01v2``,
  ``S06E01b``), which guessit cannot read past;
- a name written backwards (``10E10S.emaN.wohS``), read forwards.

Nothing here drops a word of the title. Most names are ASCII, start with a
letter and hold no glued suffix: they pass one quick regex test per rule.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final, NamedTuple

__all__ = ["Prepared", "prepare"]


class Prepared(NamedTuple):
    text: str
    date: str | None = None  # ISO date of a leading broadcast stamp


_BRACKETS: Final = str.maketrans({"【": "[", "】": "]", "〔": "[", "〕": "]", "［": "[", "］": "]",
                                  "「": "[", "」": "]", "『": "[", "』": "]", "（": "(", "）": ")"})
# Top-level domains that site prefixes use. A prefix without "www." needs one
# of these and a dash or brackets after it, so "Dr.Who - 01" keeps its words.
_TLDS: Final = ("com|net|org|info|biz|cc|tv|ws|io|co|ca|cz|tc|ru|pl|nl|eu|se|nu|xyz|lol|club|"
                "site|online|top|vip|link|pro|mx|ag|sx|li|bz|st|to|unblocked")
_WWW: Final = re.compile(
    r"^[\s\[({]*(?:https?://)?www\d?\.(?:[a-z0-9-]+\.)+?[a-z]{2,6}(?![a-z0-9-])"
    r"[\s\])}]*(?:[-–—:|~_]+[\s._]*|(?<=[\])}])[\s._]*|\s+)", re.IGNORECASE)
_DOMAIN: Final = re.compile(
    r"^[\s\[({]*[a-z0-9][a-z0-9-]{2,}\.(?:" + _TLDS + r")(?![a-z0-9-])"
    r"(?:\s*[-–—:|~]+[\s._]*|\s*[\])}][\s._]*(?:[-–—:|~]+[\s._]*)?)", re.IGNORECASE)
# "221208 Series ep34": a six-digit YYMMDD stamp before the words.
_STAMP: Final = re.compile(r"^(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[\s._-]+(?=[^\W\d_])")
# "S02E01v2", "S06E01b", "1x05a": a version or a segment of the same episode.
_GLUED: Final = re.compile(r"(?i)((?<![a-z0-9])(?:s\d{1,4}[\s._-]?e\d{1,4}|\d{1,2}x\d{2,3}))"
                           r"(?:v\d|[a-d])(?=$|[\s._\-\[\]()])")
_FORWARD: Final = re.compile(r"(?i)(?<![a-z0-9])s\d{1,4}[\s._-]?e\d{1,4}(?![0-9])")
# "10E10S", "p027": an episode marker or a resolution spelt backwards.
_BACKWARD: Final = re.compile(r"(?<![A-Za-z0-9])(?:\d{1,4}E\d{1,4}S|[pP](?:027|0801|0612|084))"
                              r"(?![A-Za-z0-9])")


def prepare(name: str) -> Prepared:
    """``name`` (a file name or a folder name) as guessit should read it."""
    text = name.translate(_BRACKETS) if not name.isascii() else name
    text = unglue(reverse_if_backwards(text))
    text = strip_site(text)
    return strip_stamp(text)


def strip_site(text: str) -> str:
    """Without a leading download site (``www.site.ca - ``, ``[ site.org ] ``)."""
    if "." not in text[:60]:
        return text
    match = _WWW.match(text) or _DOMAIN.match(text)
    if match is None or match.end() >= len(text):
        return text
    return text[match.end():]


def strip_stamp(text: str) -> Prepared:
    """Without a leading YYMMDD broadcast stamp, which becomes the air date."""
    if not text[:1].isdigit():
        return Prepared(text)
    match = _STAMP.match(text)
    if match is None:
        return Prepared(text)
    year, month, day = (int(g) for g in match.groups())
    try:
        stamp = date(2000 + year, month, day)
    except ValueError:  # "310231": no such day
        return Prepared(text)
    return Prepared(text[match.end():], stamp.isoformat())


def unglue(text: str) -> str:
    """``S02E01v2`` -> ``S02E01``: the version or segment letter is no part of the number."""
    return _GLUED.sub(r"\1", text) if _GLUED.search(text) else text


def reverse_if_backwards(text: str) -> str:
    """A name written backwards (its episode marker reads ``10E10S``), turned around."""
    if "E" not in text and "p0" not in text:
        return text
    stem, dot, ext = text.rpartition(".")
    body = stem if dot and ext.isalnum() and len(ext) <= 4 else text
    if not _BACKWARD.search(body) or _FORWARD.search(body):
        return text
    turned = body[::-1]
    return turned + text[len(body):]
