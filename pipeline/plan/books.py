"""Author, title and year of a book or an audiobook: metadata first, then names.

``read_book`` and ``read_audiobook`` are pure; ``folders`` are relative to
the library root, containers (``Books``, ``Calibre Library``, ``Audiobooks``
…) already meaning nothing.

Books, nearest the file first:

- Calibre's ``Author/Title (id)/Title - Author.ext``: when the file repeats
  its folder's title and the folder above's author, the number in
  parentheses is Calibre's id, whatever its value; elsewhere a number in
  parentheses is a year only if it is a plausible one (1400-2100).
- ``Author/Title (Year)/Title.ext``: the folder is the title when it has a
  year or id, or when the file repeats it; the folder above is the author.
- ``Author/Title.ext``: otherwise the folder is the author.
- ``Author - Title (Year).ext``: a file with no author folder splits on its
  first spaced dash; next to a known author, the part that is the author is
  dropped from either side (``Title - Author``).

Embedded metadata wins when it is plausible: a title that is a file name
(``draft.docx``), a word processor's ("Microsoft Word - …"), or a
placeholder ("Untitled") is not, nor is an author such as "Administrator".

Audiobooks: ``Author/Title/…``, ``Author - Title/…``, a flat
``Author/Title.m4b``, ``Author/Title (Year)/Title - Part 1.m4b``; part levels
(``CD 01``, ``Disc 2``, ``Part 01``) stay below the title as they are.
"""

from __future__ import annotations

import re

import msgspec

from pipeline.core.records import BookMeta, Tags
from pipeline.plan.folders import (
    dash_parts,
    disc_label,
    fold,
    is_container,
    levels,
    nfc,
    plain_spaces,
    split_year,
    strip_tags,
)

__all__ = ["BookName", "plausible_author", "plausible_title", "read_audiobook", "read_book"]

_BOOK_YEARS = range(1400, 2101)
_CALIBRE = frozenset({"calibre", "calibre library", "calibre bibliothek", "bibliothèque calibre"})
_ID = re.compile(r"\s*\((\d{1,7})\)\s*$")
_FILE_LIKE = re.compile(r"\.(?:docx?|pdf|rtf|odt|txt|tex|dvi|e?ps|indd|qxd|p65|pages|html?|"
                        r"xml|epub|mobi|azw3?|fb2|djvu|cb[zr7]|pptx?|xlsx?|wpd|lit|md)\s*$",
                        re.IGNORECASE)
_APP_TITLE = re.compile(r"^(?:microsoft\s+\w+|word|powerpoint|adobe\s+\w+|acrobat|writer|"
                        r"openoffice|libreoffice)(?:\.\w+)?\s*-\s", re.IGNORECASE)
_PLACEHOLDERS = frozenset({"untitled", "unknown", "title", "document", "book", "ebook",
                           "no title", "none", "null", "n a", "test", "draft", "layout 1",
                           "cover", "front matter", "contents", "index"})
_BAD_AUTHORS = frozenset({"unknown", "administrator", "admin", "user", "owner", "author",
                          "default", "root", "guest", "customer", "none", "null", "n a",
                          "calibre", "unknown author", "various", "anonymous user"})
# "Part 01", "CD 2", "Chapter 3 - …", "01", "01 - Chapter 1", "7. Title" — not "12 Rules".
_PART = re.compile(r"^(?:(?:cd|disc|disk|part|pt|teil|partie|parte|vol(?:ume)?|book|"
                   r"chapter|kapitel|chapitre|track|side)\s*[-_.]?\s*\d{1,3}\b.*|"
                   r"0\d{1,3}\b.*|\d{1,3}\s*[-._)]\s*.*|\d{1,3})$", re.IGNORECASE)
# "Title - Part 1", "Title, CD 2", "Title - 03", "Title 01" (a zero-padded number).
_PART_SUFFIX = re.compile(r"\s*[-–—,]?\s*\b(?:part|pt|cd|disc|disk|chapter|track|teil)"
                          r"\s*[-_.]?\s*\d{1,3}\s*$|\s*[-–—_]\s*\d{1,3}\s*$|\s+0\d{1,2}\s*$",
                          re.IGNORECASE)
_ONE_FILE = frozenset({".m4b", ".m4a", ".aax", ".aa"})  # formats that hold a whole book


class BookName(msgspec.Struct, frozen=True):
    """What a book or audiobook is; ``levels`` are an audiobook's kept part folders."""

    author: str | None
    title: str | None
    year: int | None
    levels: list[str] = []


def plausible_title(title: str | None) -> bool:
    """A human title, not a file name, an application's or a placeholder."""
    if not title or not title.strip():
        return False
    text = title.strip()
    key = fold(text)
    return (bool(key) and key not in _PLACEHOLDERS and not _FILE_LIKE.search(text)
            and not _APP_TITLE.match(text) and "\\" not in text and not _code_like(text))


def _code_like(text: str) -> bool:
    """An id or a file stem rather than a title: one word, many digits (``B00K3ABCD1234``)."""
    if any(c.isspace() for c in text):
        return False
    digits = sum(c.isdigit() for c in text)
    return digits >= 5 or (digits >= 4 and any(c.isalpha() for c in text))


def plausible_author(author: str | None) -> bool:
    """A person or body, not an account name or a tool."""
    if not author or not author.strip():
        return False
    key = fold(author)
    return bool(key) and key not in _BAD_AUTHORS and "@" not in author \
        and not key.startswith("calibre ")


def _title_year(text: str, *, calibre: bool = False) -> tuple[str, int | None]:
    """``Title (1969)`` -> year; ``Title (12)`` -> the id dropped; tags dropped."""
    text = plain_spaces(text)
    bare = strip_tags(text)
    found = _ID.search(bare)
    if found and (calibre or int(found.group(1)) not in _BOOK_YEARS):
        text = bare[: found.start()]
    title, year = split_year(text, _BOOK_YEARS)
    return strip_tags(title), year


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and fold(a or "") == fold(b or "")


def _drop_author(parts: list[str], author: str | None) -> list[str]:
    """``Title - Author`` or ``Author - Title`` next to a known author: the title's parts."""
    if len(parts) >= 2 and _same(parts[-1], author):
        return parts[:-1]
    if len(parts) >= 2 and _same(parts[0], author):
        return parts[1:]
    return parts


def read_book(folders: list[str], stem: str, meta: BookMeta | None) -> BookName:
    """A book's author, title and year (see the module's rules)."""
    found = levels([nfc(folder) for folder in folders])
    stem = nfc(stem)
    file_text, file_year = _title_year(stem)
    parts = dash_parts(file_text)
    author = title = None
    year = None
    if found:
        folder, above = found[-1], (found[-2] if len(found) >= 2 else None)
        above = None if above is not None and is_container(above) else above
        loose, _ = _title_year(folder)
        # Title - Author (Calibre) or Author - Title, next to both folders: the folder is the title.
        ends = {fold(parts[0]), fold(parts[-1])} if len(parts) >= 2 else set()
        shaped = above is not None and {fold(loose), fold(plain_spaces(above))} == ends
        # Inside a Calibre library even "(1850)" is an id; elsewhere a plausible year.
        calibre = shaped and any(fold(f) in _CALIBRE for f in folders)
        folder_title, folder_year = _title_year(folder, calibre=calibre)
        marked = shaped or folder_year is not None or _ID.search(folder) is not None
        if marked or _same(file_text, folder_title):  # Author/Title (Year)/Title.ext
            title, year = folder_title, folder_year
            if above is not None:
                author = plain_spaces(strip_tags(above))
            else:
                rest = [p for p in parts if not _same(p, folder_title)]
                author = rest[0] if rest else None
        else:  # Author/Title.ext, Author/Author - Title.ext, Author/Title - Author.ext
            author = plain_spaces(strip_tags(folder))
    if title is None:
        kept = _drop_author(parts, author)
        if author is None and len(kept) >= 2:
            author, kept = kept[0], kept[1:]
        title = " - ".join(kept) or file_text or stem
    year = year or file_year
    if meta is not None:
        if plausible_title(meta.title):
            title = meta.title
        good = [c for c in meta.creators if plausible_author(c)]
        author = good[0] if good else author
        year = meta.year or year
    return BookName(author, title, year)


def _part_level(folder: str) -> bool:
    return disc_label(folder) is not None or bool(_PART.match(plain_spaces(folder).strip()))


def read_audiobook(folders: list[str], stem: str, ext: str, tags: Tags | None) -> BookName:
    """An audiobook's author, title, year and the part folders kept below the title.

    A lone folder holding a single-file book (``.m4b``) is its author; holding
    chapter files (``.mp3``), it is the book.
    """
    found = levels([nfc(folder) for folder in folders])
    stem = nfc(stem)
    kept: list[str] = []
    while len(found) > 1 and _part_level(found[-1]):
        kept.insert(0, found[-1])
        found = found[:-1]
    author = title = None
    year = None
    file_text, file_year = _title_year(stem)
    is_part = bool(kept) or bool(_PART.match(file_text)) or bool(_PART_SUFFIX.search(file_text))
    if found:
        folder, above = found[-1], (found[-2] if len(found) >= 2 else None)
        above = None if above is not None and is_container(above) else above
        folder_title, folder_year = _title_year(folder)
        base = _PART_SUFFIX.sub("", file_text)
        names = [folder_title, *dash_parts(folder_title)]
        repeats = any(_same(p, n) for p in [base, *dash_parts(base)] for n in names)
        chapters = ext.lower() not in _ONE_FILE
        if is_part or repeats or folder_year is not None or above is not None or chapters:
            title, year = folder_title, folder_year
            author = plain_spaces(strip_tags(above)) if above is not None else None
            parts = dash_parts(title)
            if len(parts) >= 2 and (author is None or _same(parts[0], author)):
                author, title = parts[0], " - ".join(parts[1:])
        else:  # Author/Title.m4b: one file is the whole book
            author = plain_spaces(strip_tags(folder))
    if title is None:
        parts = _drop_author(dash_parts(_PART_SUFFIX.sub("", file_text)) or [file_text], author)
        if author is None and len(parts) >= 2:
            author, parts = parts[0], parts[1:]
        title, year = " - ".join(parts), file_year
    if tags is not None:
        title = tags.album or title
        author = tags.album_artist or tags.artist or author
        year = tags.year or year
    return BookName(author, title or stem, year, kept)
