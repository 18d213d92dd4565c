"""Titles compared as a careful human compares them: a name from a file against a provider's title.

What counts as the same title (``compare_title`` → ``TitleMatch``):

- accents, case and the shapes of letters fold (``TÁR`` = ``Tar``, ``Æon`` =
  ``Aeon``); ``&`` reads "and"; an apostrophe joins (``Ocean's`` = ``Oceans``);
  every other punctuation mark, ``/`` included, is a space (``Face/Off`` =
  ``Face Off``), and spacing never matters (``WALL·E`` = ``WALL-E`` = ``WALLE``,
  ``S.W.A.T.`` = ``SWAT``);
- roman numerals and number words are numbers (``Rocky II`` = ``Rocky 2``,
  ``Part Two`` = ``Part 2``, ``Twelve Monkeys`` = ``12 Monkeys``); a lone
  ``I`` is a number only after "Part", "Vol." and the like, a lone ``V`` or
  ``X`` only at the end (``Rocky V``);
- a leading English article is optional (``The Office`` = ``Office``,
  ``Office, The`` = ``The Office``);
- a *head*: the name is the leading part of the official title before a
  subtitle mark (``:``, `` - ``, ``;``, ``(``, "…or: …") — "Rogue One" is the
  head of "Rogue One: A Star Wars Story", "Dr Strangelove" of "Dr. Strangelove
  or: How I Learned…". A head is weaker evidence than the whole title:
  ``match`` decides when it is enough.

And what tells two titles apart however alike they look: the *numbers* in
them. "The Godfather" and "The Godfather Part II", "Blade Runner" and "Blade
Runner 2049" never count as the same title (``numbers_differ``), though the
sequel is a *close* title for the shorter name: a name may have lost a
sequel's number on the way, but never gains one.

A series' country, as the probe writes it (``The Office (US)``), is not part
of the title: ``split_country`` takes it off for the search and the
comparison, and gives the ISO code TMDB uses in ``origin_country`` (UK → GB).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Final, Literal

__all__ = ["CLOSE_RATIO", "HEAD_SIMILARITY", "TitleMatch", "compare_title", "heads",
           "normalize", "numbers", "roman_sequel", "split_country", "swap_and"]

# Letters that carry no combining mark to strip but fold to Latin ones all the same.
_LETTERS: Final = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d",
                                 "ð": "d", "ł": "l", "þ": "th", "ı": "i", "ħ": "h"})
_APOSTROPHES: Final = re.compile(r"['’ʼ`´]")
_ARTICLES: Final = frozenset({"the", "a", "an"})
_TRAILING_ARTICLE: Final = re.compile(r"(?i),\s*(the|a|an)\s*$")
# Words after which a number is a sequel's or a part's, even a lone "I".
_MARKERS: Final = frozenset({"part", "pt", "vol", "volume", "chapter", "episode", "book",
                             "chapitre", "teil", "parte"})
_WORDS: Final = {w: str(n) for n, w in enumerate((
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty"), start=1)}
_ROMAN: Final = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES: Final = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7,
                        "viii": 8, "ix": 9}
# Where an official title's subtitle starts: "Title: Sub", "Title - Sub", "Title (Sub)",
# "Title; or, Sub", "Title or: Sub".
_SUBTITLE: Final = re.compile(r"\s*(?::|;|\s[-–—]\s|\(|\[|,\s*or\b|\sor:)")
_TRAILING_OR: Final = re.compile(r"(?i)[\s,]+or$")
# A country the probe keeps in a title, and a year a provider may put in one.
_COUNTRY: Final = re.compile(r"\s*\((US|UK|GB|AU|NZ|CA|IE)\)\s*$")
_ISO: Final = {"UK": "GB"}
_TITLE_YEAR: Final = re.compile(r"\s*\((?:19|20)\d\d\)\s*$")

# The evidence a head gives, against 1.0 for the whole title.
HEAD_SIMILARITY: Final = 0.9
# Two titles this alike (SequenceMatcher ratio of their normal forms) are close.
CLOSE_RATIO: Final = 0.9
# Two words this alike are one word spelt two ways ("colour", "color"; "theatre", "theater").
SPELLING_RATIO: Final = 0.8


@dataclass(frozen=True)
class TitleMatch:
    """How a name compares with one title.

    ``level``: "exact" (the same title), "head" (the name is the title's head),
    "spelling" (word for word the same words, spelt a little differently:
    ``Three Colours Blue`` for ``Three Colors: Blue``) or "fuzzy";
    ``similarity`` 0..1 (1 exact, ``HEAD_SIMILARITY`` for a head, else the
    ratio of the normal forms, halved when the numbers differ); ``numbers_differ``: the two carry
    different numbers (then level is never exact or head); ``close``: a name
    a human could mean for this title (see ``close``).
    """

    level: Literal["exact", "head", "spelling", "fuzzy"]
    similarity: float
    numbers_differ: bool
    close: bool
    title: str


def split_country(title: str) -> tuple[str, str | None]:
    """``"The Office (US)"`` → ``("The Office", "US")``; ``(UK)`` gives ``GB``, as TMDB has it."""
    match = _COUNTRY.search(title)
    if match is None or not title[:match.start()].strip():
        return title, None
    code = match.group(1)
    return title[:match.start()], _ISO.get(code, code)


def swap_and(title: str) -> str | None:
    """The title with ``&`` written "and" or the reverse (for a search that found nothing)."""
    if "&" in title:
        return " ".join(title.replace("&", " and ").split())
    swapped = re.sub(r"(?i)(?<=\s)and(?=\s)", "&", title)
    return swapped if swapped != title else None


def roman_sequel(title: str) -> str | None:
    """``"Rocky 2"`` → ``"Rocky II"``: a sequel's number as titles often write it (for a search
    that found nothing). Only a number at the end or after "Part", "Vol." and the like."""
    words = title.split()

    def roman(number: int) -> str:
        tens, ones = divmod(number, 10)
        return "X" * tens + ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[ones]

    changed = [roman(int(w)) if w.isdigit() and 2 <= int(w) <= 39 and i and (
        i == len(words) - 1 or words[i - 1].casefold().rstrip(".") in _MARKERS) else w
        for i, w in enumerate(words)]
    return " ".join(changed) if changed != words else None


def _bare(title: str) -> str:
    """A title without what is not its words: a trailing country or year, ", The"."""
    title = split_country(title)[0]
    if _TITLE_YEAR.search(title) and _TITLE_YEAR.sub("", title).strip():
        title = _TITLE_YEAR.sub("", title)
    moved = _TRAILING_ARTICLE.search(title)
    if moved:  # "Office, The" is how sorted lists write "The Office"
        title = f"{moved.group(1)} {title[:moved.start()]}"
    return title


def _number(token: str, before: str | None, last: bool) -> str:
    if token in _WORDS:
        return _WORDS[token]
    match = _ROMAN.match(token)
    if not token or match is None:
        return token
    if len(token) == 1 and not (before in _MARKERS or (last and token != "i" and before)):
        return token  # "I, Robot", "V for Vendetta": a letter, not a number
    return str(10 * len(match.group(1)) + _ROMAN_VALUES.get(match.group(2), 0))


@lru_cache(maxsize=65536)
def normalize(title: str) -> tuple[str, ...]:
    """The comparable words of ``title`` (see the module docstring), articles included."""
    text = unicodedata.normalize("NFKD", _bare(title).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_LETTERS)
    text = _APOSTROPHES.sub("", text.replace("&", " and "))
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return tuple(_number(w, words[i - 1] if i else None, i == len(words) - 1)
                 for i, w in enumerate(words))


def _core(words: tuple[str, ...]) -> tuple[str, ...]:
    """Words without a leading article (``The Office`` and ``Office`` are one title)."""
    return words[1:] if len(words) > 1 and words[0] in _ARTICLES else words


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    a, b = _core(a), _core(b)
    return bool(a) and (a == b or "".join(a) == "".join(b))


def numbers(words: tuple[str, ...]) -> frozenset[str]:
    """The numbers a title carries (sequel numbers, parts, years in the title)."""
    return frozenset(w for w in words if w.isdigit())


def _without_numbers(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in words if not w.isdigit() and w not in _MARKERS)


@lru_cache(maxsize=65536)
def heads(title: str) -> tuple[tuple[str, ...], ...]:
    """The normal forms of every leading part of ``title`` before a subtitle mark."""
    found = []
    bare = _bare(title)
    for match in _SUBTITLE.finditer(bare):
        head = _TRAILING_OR.sub("", bare[:match.start()].rstrip(" ,"))
        words = normalize(head)
        if _core(words) and words != normalize(bare):
            found.append(words)
    return tuple(found)


def _spelt_alike(ours: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    """The same words in the same order, each at most a spelling apart (colour, color)."""
    return len(ours) == len(theirs) and all(
        a == b or (not a.isdigit() and SequenceMatcher(None, a, b).ratio() >= SPELLING_RATIO)
        for a, b in zip(ours, theirs, strict=True))


@lru_cache(maxsize=65536)
def compare_title(name: str, title: str) -> TitleMatch:
    """How ``name`` (from a file) compares with ``title`` (a provider's)."""
    ours, theirs = normalize(name), normalize(title)
    if not _core(ours) or not _core(theirs):
        return TitleMatch("fuzzy", 0.0, False, False, title)
    differ = numbers(ours) != numbers(theirs)
    if _same(ours, theirs):
        return TitleMatch("exact", 1.0, False, True, title)
    ratio = SequenceMatcher(None, " ".join(_core(ours)), " ".join(_core(theirs))).ratio()
    head = any(_same(ours, h) for h in heads(title))
    if head and not differ:
        return TitleMatch("head", HEAD_SIMILARITY, False, True, title)
    # A name may have lost a sequel's number on the way ("The Godfather" for "Part II"),
    # never gained one: "Part II" is no name for the first film, nor for "Part III".
    plain_ours = _without_numbers(ours)
    sequel = numbers(ours) < numbers(theirs) and (
        _same(plain_ours, _without_numbers(theirs))
        or any(_same(plain_ours, _without_numbers(h)) for h in heads(title)))
    if differ and not (head or sequel):
        ratio /= 2  # "Part II" against "Part III": alike to the eye, another film for sure
    if not differ and ratio >= CLOSE_RATIO and _spelt_alike(_core(ours), _core(theirs)):
        return TitleMatch("spelling", round(ratio, 4), False, True, title)
    return TitleMatch("fuzzy", round(ratio, 4), differ,
                      head or sequel or (ratio >= CLOSE_RATIO and not differ), title)
