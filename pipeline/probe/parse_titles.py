"""Corrections to the title guessit reads: words it drops that belong to the title.

Same shape as ``parse_numbers``: each rule is a pure function
``rule(fields, text) -> changes`` over guessit's reading (plain ``Parse``
fields) and the prepared name it read, without extension.

- A "Part II" / "Part 2" / "Vol. 1" that belongs to the title stays in it.
  How a reader tells it from one film split over files (``-part1``): a
  volume is always the title's (Jellyfin stacks ``part``/``cd``/``disc``,
  never ``vol``); a part is the title's when it stands before the year
  (``Mockingjay.Part.1.2014``: the year closes the title), when it is
  spelled in roman numerals or words (``Part III``, ``Part One``: files are
  numbered in digits), or when the folder holding the file names the same
  part. After the year, or with no year and no such folder, ``part1``,
  ``CD2`` and ``Disc 1`` stay parts.
- A series told apart by its country keeps it the way TMDB names it:
  ``The.Office.US.S01E01`` is ``The Office (US)``, ``UK`` for Britain.
- A censored word (``The B----``) does not cut the title in two.
- A number in parentheses that is not a year, next to the title, is part
  of it: ``(500) Days of Summer``.
- A hyphenated first word is one word: guessit reads ``Spider-Man.2.2004``
  as group "Spider", title "Man 2". A group in front of a scene name is
  written in another case than the title (``sparks-ironman``,
  ``GRP-Movie.Name``); two halves written alike (``Spider-Man``, ``WALL-E``,
  ``Jay-Z``: capitalised or capitals, or one a single letter) are a word.
- Brackets that open a name hold its group only when a title follows:
  ``[REC].2007.720p`` has no other title before its year, so the brackets
  hold it.
"""

from __future__ import annotations

import re
from typing import Final

from pipeline.probe.parse_fields import Fields
from pipeline.probe.parse_rules import words

__all__ = ["TITLE_RULES", "bracketed_title", "censored_word", "country_suffix",
           "hyphenated_word", "number_in_parentheses", "title_part"]

_ROMAN: Final = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8,
                 "ix": 9, "x": 10}
_WORDS: Final = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_PART: Final = re.compile(
    r"(?i)(?<![^\W_])(?P<word>part|pt|vol(?:ume)?)\.?[\s._-]*"
    r"(?P<num>\d{1,2}|x|i{1,3}|iv|vi{0,3}|ix|one|two|three|four|five|six)(?![^\W_])")
_CENSORED: Final = re.compile(r"(?<=[^\W\d_])(-{2,})(?=[\s._]|$)")
_LEADING_COUNT: Final = re.compile(r"^\((\d{1,4})\)[\s._]*")
_TRAILING_COUNT: Final = re.compile(r"[\s._]*\((\d{1,4})\)$")
_HALF: Final = re.compile(r"[^\W_]+")
_OPENING: Final = re.compile(r"\[([^\[\]]*[^\W\d_][^\[\]]*)\]")  # "[REC]", a word inside


def hyphenated_word(fields: Fields, text: str) -> Fields:
    """``Spider-Man.2.2004``: "Spider-Man 2", not group "Spider" and title "Man 2"."""
    group, title = fields["release_group"], fields["title"]
    if not group or not title or not text.startswith(f"{group}-"):
        return {}
    rest = text[len(group) + 1:]
    second = _HALF.match(rest)
    if second is None or not title.startswith(second.group()) or not _written_alike(
            group, second.group()):
        return {}
    return {"title": f"{group}-{title}", "release_group": None}


def _written_alike(first: str, second: str) -> bool:
    if not _HALF.fullmatch(first):
        return False
    if len(first) == 1 or len(second) == 1:
        return first[0].isupper() or first[0].isdigit()
    if first.isupper() and second.isupper():
        return True
    return first.istitle() and (second.istitle() or second[:1].isdigit())


def bracketed_title(fields: Fields, text: str) -> Fields:
    """``[REC] (2007)``: with no other title, the opening brackets hold the title."""
    opening = _OPENING.match(text)
    if (opening is None or fields["title"] is not None or fields["year"] is None
            or fields["episodes"] or fields["season"] is not None):
        return {}
    inside = opening.group(1).strip()
    changes: Fields = {"title": inside}
    if fields["release_group"] == inside:
        changes["release_group"] = None
    return changes


def title_part(fields: Fields, text: str, folder: str | None = None) -> Fields:
    """``Mockingjay.Part.1.2014``: title "... Part 1"; ``Movie (2010) Part 2`` stays part 2.

    ``folder`` is the name of the folder holding the file, when one may say
    that the part is the title's (``... Part 2 (2011)/... Part 2.mkv``).
    """
    if fields["type"] == "episode" or fields["date"] or fields["title"] is None:
        return {}
    if fields["part"] is None and fields.get("_volume") is None:
        return {}
    for match in _PART.finditer(text):
        number = _number(match.group("num"))
        word = match.group("word").casefold()
        volume = word.startswith("vol")
        if not volume and number != fields["part"]:
            continue
        spelled = not match.group("num").isdigit()
        before_year = _before_year(match.start(), text, fields["year"])
        named_by_folder = folder is not None and _names_part(folder, word, number)
        if not (volume or spelled or before_year or named_by_folder):
            return {}
        changes: Fields = {"part": None} if fields["part"] == number else {}
        label = f"{_label(word)} {_numeral(match.group('num'))}"
        subtitle = _subtitle_before(match.start(), text, fields["alternative_titles"])
        if subtitle is not None:  # "Mission.Impossible.-.Dead.Reckoning.Part.One"
            alternatives = list(fields["alternative_titles"])
            if not set(words(label)) <= set(words(subtitle)):
                alternatives[0] = f"{subtitle} {label}"
            changes["alternative_titles"] = alternatives
        elif not set(words(label)) <= set(words(fields["title"])):
            changes["title"] = f"{fields['title']} {label}"
        return changes
    return {}


def _subtitle_before(position: int, text: str, alternatives: list[str]) -> str | None:
    """The subtitle (first alternative title) when it is written before ``position``."""
    if not alternatives or not alternatives[0].split():
        return None
    first = re.escape(alternatives[0].split()[0])
    found = re.search(rf"(?i)(?<![^\W_]){first}(?![^\W_])", text)
    return alternatives[0] if found is not None and found.start() < position else None


def _number(numeral: str) -> int:
    key = numeral.casefold()
    return int(key) if key.isdigit() else _ROMAN.get(key) or _WORDS[key]


def _numeral(numeral: str) -> str:
    if numeral.isdigit():
        return str(int(numeral))
    key = numeral.casefold()
    return key.upper() if key in _ROMAN else key.capitalize()


def _label(word: str) -> str:
    return {"pt": "Part", "vol": "Vol.", "volume": "Volume"}.get(word, "Part")


def _before_year(position: int, text: str, year: int | None) -> bool:
    if year is None:
        return False
    found = [m.start() for m in re.finditer(rf"(?<!\d){year}(?!\d)", text)]
    return bool(found) and position < found[-1]


def _names_part(folder: str, word: str, number: int) -> bool:
    for match in _PART.finditer(folder):
        if _number(match.group("num")) == number and (
                match.group("word").casefold()[:2] == word[:2]):
            return True
    return False


def country_suffix(fields: Fields, text: str) -> Fields:
    """``Queer.as.Folk.UK.S01E01`` -> "Queer as Folk (UK)": the country tells remakes apart.

    Only for a country guessit found right after the title, written as a
    code: in capitals (``US``), in parentheses, or in an all-lowercase scene
    name. Written as a word (``Among.Us``) it is the title's last word.
    Movies keep it only when written in parentheses.
    """
    code, title = fields.get("_country"), fields["title"]
    if code is None or title is None or not title.split():
        return {}
    last = re.escape(title.split()[-1])
    match = re.search(rf"(?i)(?<![^\W_]){last}[\s._-]*(\()?(us|uk|gb|au)(?![^\W_])", text)
    if match is None:
        return {}
    written, paren = match.group(2), match.group(1) is not None
    if not (paren or written.isupper() or text == text.lower()):
        return {"title": f"{title} {written}"}  # "Among Us"
    if not paren and fields["type"] != "episode":
        return {}
    label = "UK" if code == "GB" else code
    return {"title": f"{title} ({label})"}


def censored_word(fields: Fields, text: str) -> Fields:
    """``Never.Trust.The.B----.in.Code.23`` is one title, not "Never Trust The B" + "in Code 23"."""
    title = fields["title"]
    if title is None or "--" not in text:
        return {}
    match = _CENSORED.search(text)
    if match is None or not text[:match.start()].casefold().endswith(title[-1:].casefold()):
        return {}
    joined = f"{title}{match.group(1)}"
    rest = fields["alternative_titles"]
    if rest and text[match.end():].lstrip(" ._").casefold().startswith(
            rest[0].split()[0].casefold()):
        return {"title": f"{joined} {rest[0]}", "alternative_titles": rest[1:]}
    return {"title": joined}


def number_in_parentheses(fields: Fields, text: str) -> Fields:
    """``(500).Days.Of.Summer.(2009)``: a non-year number in parentheses by the title is its own.

    guessit drops it, or at the end of a name reads ``(500)`` as S05E00.
    """
    title = fields["title"]
    if title is None or "(" not in text:
        return {}
    leading = _LEADING_COUNT.match(text)
    if leading and not _year_like(leading.group(1)) and leading.group(1) not in title:
        return {"title": f"({leading.group(1)}) {title}"}
    trailing = _TRAILING_COUNT.search(text)
    if trailing is None or _year_like(trailing.group(1)) or trailing.group(1) in title:
        return {}
    number, season, episodes = int(trailing.group(1)), fields["season"], fields["episodes"]
    split = season is not None and len(episodes) == 1 and season * 100 + episodes[0] == number
    if not (split or not episodes) or not text[:trailing.start()].rstrip(" ._").endswith(
            title.split()[-1]):
        return {}
    return {"title": f"{title} ({number})", "season": None, "episodes": [], "type": "movie"}


def _year_like(digits: str) -> bool:
    return len(digits) == 4 and 1878 <= int(digits) <= 2099


TITLE_RULES: Final = (hyphenated_word, bracketed_title, title_part, country_suffix, censored_word,
                      number_in_parentheses)
