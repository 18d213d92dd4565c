"""Book metadata from EPUB (OPF), PDF (document info) and CBZ (ComicInfo.xml).

Contract:

- ``book_meta(path) -> BookMeta`` for one book file (``path`` in os form),
  by extension: ``.epub``, ``.pdf``, ``.cbz``; every other book format
  (mobi, azw3, cbr, djvu ...) is ``BookMeta(format="other")``, read no
  further. It reads the file, never writes it, and raises nothing but
  ``ItemFailure``:

  ============  ==============================================================
  code          when
  ============  ==============================================================
  vanished      the path no longer exists
  unreadable    it can't be opened or read (permission, I/O error)
  empty         a zero-byte file
  unrecognised  an .epub or .cbz that is not a zip archive (a RAR named .cbz)
  corrupt       a damaged archive, PDF or XML document, a missing OPF, or
                ``max_read`` bytes read without getting through the file's
                structure (pypdf scans a PDF without a trailer to its start)
  refused       a document this module won't parse for safety: an XML
                document with a DTD, or a zip member over ``MAX_MEMBER_BYTES``
  ============  ==============================================================

  A PDF encrypted with a non-empty password is not a failure: it gives
  ``BookMeta(format="pdf")`` without metadata.
- It never loads PDF page content (only the trailer's /Info dictionary)
  and never reads more than ``MAX_MEMBER_BYTES`` from any zip member,
  whatever its header claims (zip bombs).
- ISBNs are stored as ISBN-13 (``normalise_isbn``): ISBN-10s are converted,
  and a value whose check digit is wrong is not an ISBN.
- pypdf is imported here only.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import zipfile
from collections.abc import Callable
from typing import BinaryIO
from xml.etree import ElementTree

from pipeline.core.errors import ItemFailure
from pipeline.core.records import BookMeta
from pipeline.probe.languages import normalise_language
from pipeline.probe.mediafile import ReadLimitReached, open_media, over_budget, reason

__all__ = ["MAX_MEMBER_BYTES", "book_meta", "normalise_isbn"]

logger = logging.getLogger(__name__)

MAX_MEMBER_BYTES = 4 * 1024 * 1024

_OPF_MEDIA_TYPE = "application/oebps-package+xml"
_DATE = re.compile(r"\s*(?:D:)?(\d{4})(?:-?(\d{2}))?(?:-?(\d{2}))?")
# Forms of "<!DOCTYPE" and "<!ENTITY" in every encoding expat can read: the
# ASCII-compatible ones and UTF-16 in both byte orders.
_DTD_MARKERS = tuple(marker.encode(codec) for marker in ("<!DOCTYPE", "<!ENTITY")
                     for codec in ("ascii", "utf-16-le", "utf-16-be"))


def book_meta(path: str, max_read: int | None = None) -> BookMeta:
    """Metadata of one book file; raises only ``ItemFailure`` (see module)."""
    reader = _READERS.get(os.path.splitext(path)[1].lower())
    with open_media(path, max_read=max_read) as handle:
        if reader is None:
            return BookMeta(format="other")
        try:
            return reader(handle)
        except ReadLimitReached as limit:
            raise over_budget(limit.limit, "readable document structure") from None
        except ItemFailure:
            raise
        except OSError as exc:
            # EINVAL is a parser seeking before the start, led there by damaged offsets.
            if exc.errno is not None and exc.errno != errno.EINVAL:  # EIO, ESTALE ...
                raise ItemFailure("unreadable", reason(exc)) from None
            raise ItemFailure("corrupt", reason(exc)) from None
        except Exception as exc:  # pypdf's, zipfile's and zlib's many error types
            raise ItemFailure("corrupt", reason(exc)) from None


def normalise_isbn(text: str | None) -> str | None:
    """The ISBN-13 of an ISBN-10 or ISBN-13 (hyphens, spaces, "urn:isbn:" allowed), else None."""
    if not text:
        return None
    value = re.sub(r"^(?:urn:)?isbn[:\s]*", "", text.strip(), flags=re.IGNORECASE)
    value = re.sub(r"[\s-]", "", value).upper()
    if re.fullmatch(r"\d{9}[\dX]", value):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(value))
        if total % 11:
            return None
        value = "978" + value[:9]
        return value + _isbn13_check(value)
    if re.fullmatch(r"97[89]\d{10}", value) and _isbn13_check(value[:12]) == value[12]:
        return value
    return None


def _isbn13_check(first12: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(first12))
    return str((10 - total % 10) % 10)


# --- files, archives and XML ---------------------------------------------------------



def _zip(handle: BinaryIO, kind: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(handle)
    except zipfile.BadZipFile:
        handle.seek(0)
        if handle.read(4) == b"PK\x03\x04":  # starts like a zip: cut short or damaged
            raise ItemFailure("corrupt", f"damaged {kind} archive (truncated?)") from None
        raise ItemFailure("unrecognised", f"a .{kind} that is not a zip archive") from None


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, never more than MAX_MEMBER_BYTES whatever its header claims."""
    with archive.open(name) as member:
        data = member.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise ItemFailure("refused", f"{name} is larger than {MAX_MEMBER_BYTES} bytes")
    return data


def _xml(data: bytes, name: str) -> ElementTree.Element:
    # Refuse any DTD: it is the only way to declare entities. The expat in
    # Python 3.11.7 already limits entity expansion (billion laughs) and
    # ElementTree never fetches external entities, but that depends on the
    # expat each build links, and no OPF, container.xml or ComicInfo.xml needs
    # a DTD: refusing them is simpler than trusting every parser version.
    if any(marker in data for marker in _DTD_MARKERS):
        raise ItemFailure("refused", f"{name} declares a DTD; not parsed")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise ItemFailure("corrupt", f"{name} is not well-formed XML: {exc}") from None


def _local(tag: object) -> str:
    """An element or attribute name without its namespace: "{ns}title" -> "title"."""
    return str(tag).rpartition("}")[2]


def _attr(element: ElementTree.Element, name: str) -> str:
    """An attribute by local name, in any namespace (opf:scheme, scheme ...)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value.strip()
    return ""


def _text(element: ElementTree.Element | None) -> str | None:
    text = "".join(element.itertext()).strip() if element is not None else ""
    return " ".join(text.split()) or None


def _date(text: str | None) -> tuple[str | None, int | None]:
    """ "2019-05-03T..." / "D:20190503..." / "2019" -> ("2019-05-03", 2019)."""
    match = _DATE.match(text) if text else None
    if not match:
        return None, None
    year, month, day = match.groups()
    parts = [year]
    if month and 1 <= int(month) <= 12:
        parts.append(month)
        if day and 1 <= int(day) <= 31:
            parts.append(day)
    return "-".join(parts), int(year)


def _number(text: str | None) -> str | None:
    """A series position: "2.0" -> "2"; anything else as written."""
    if not text:
        return None
    return re.sub(r"^(\d+)\.0*$", r"\1", text.strip()) or None


# --- EPUB ------------------------------------------------------------------------------

def _epub(handle: BinaryIO) -> BookMeta:
    with _zip(handle, "epub") as archive:
        try:
            container = _xml(_member(archive, "META-INF/container.xml"), "container.xml")
        except KeyError:
            raise ItemFailure("corrupt", "no META-INF/container.xml") from None
        rootfiles = [e for e in container.iter() if _local(e.tag) == "rootfile"]
        rootfiles.sort(key=lambda e: _attr(e, "media-type") != _OPF_MEDIA_TYPE)
        opf_name = _attr(rootfiles[0], "full-path") if rootfiles else ""
        try:
            package = _xml(_member(archive, opf_name), "the OPF")
        except KeyError:
            raise ItemFailure("corrupt", f"the OPF {opf_name!r} is missing") from None
    metadata = next((e for e in package.iter() if _local(e.tag) == "metadata"), package)
    elements = list(metadata.iter())
    # EPUB 3 qualifies elements with <meta refines="#id" property="...">.
    refines: dict[str, dict[str, str]] = {}
    for meta in elements:
        target = _attr(meta, "refines").lstrip("#")
        if _local(meta.tag) == "meta" and target:
            refines.setdefault(target, {})[_attr(meta, "property")] = _text(meta) or ""

    def dc(name: str) -> list[ElementTree.Element]:
        return [e for e in elements if _local(e.tag) == name and _text(e)]

    titles = dc("title")
    titles.sort(key=lambda e: refines.get(_attr(e, "id"), {}).get("title-type") != "main")
    dates = dc("date")
    dates.sort(key=lambda e: _attr(e, "event") not in ("", "publication"))
    date, year = _date(_text(dates[0]) if dates else None)
    creators: list[str] = []
    for element in dc("creator"):
        name = _text(element)
        if name and name not in creators:
            creators.append(name)
    languages = dc("language")
    publishers = dc("publisher")
    identifiers, isbn = _identifiers(dc("identifier"), refines)
    series, number = _series(elements, refines)
    return BookMeta(
        format="epub",
        title=_text(titles[0]) if titles else None,
        creators=creators,
        date=date,
        year=year,
        language=normalise_language(_text(languages[0]) or "") if languages else None,
        publisher=_text(publishers[0]) if publishers else None,
        isbn=isbn,
        identifiers=identifiers,
        series=series,
        number=number,
    )


def _identifiers(elements: list[ElementTree.Element], refines: dict[str, dict[str, str]]
                 ) -> tuple[dict[str, str], str | None]:
    """dc:identifier values by scheme, and the first valid ISBN as ISBN-13."""
    identifiers: dict[str, str] = {}
    isbn: str | None = None
    for element in elements:
        value = _text(element) or ""
        scheme = _attr(element, "scheme").lower()
        if not scheme and refines.get(_attr(element, "id"), {}).get("identifier-type") == "15":
            scheme = "isbn"  # ONIX code list 5, value 15: ISBN-13
        match = re.match(r"(?:urn:)?(isbn|uuid|doi|calibre|asin|amazon|google|goodreads):\s*(.+)",
                         value, re.IGNORECASE)
        if match and scheme in ("", match.group(1).lower()):
            scheme, value = match.group(1).lower(), match.group(2).strip()
        if scheme:
            identifiers.setdefault(scheme, value)
        # An ISBN without a scheme must be an unmistakable ISBN-13; a bare
        # ten-digit number is as likely a shop's id that happens to check.
        plain = re.sub(r"[\s-]", "", value)
        if isbn is None and (scheme == "isbn" or re.fullmatch(r"97[89]\d{10}", plain)):
            isbn = normalise_isbn(value)
    return identifiers, isbn


def _series(elements: list[ElementTree.Element], refines: dict[str, dict[str, str]]
            ) -> tuple[str | None, str | None]:
    """calibre's series meta, else an EPUB 3 belongs-to-collection of type series."""
    metas = {_attr(e, "name"): _attr(e, "content") for e in elements if _local(e.tag) == "meta"}
    if metas.get("calibre:series"):
        return metas["calibre:series"], _number(metas.get("calibre:series_index"))
    for element in elements:
        if _local(element.tag) == "meta" and _attr(element, "property") == \
                "belongs-to-collection" and _text(element):
            refined = refines.get(_attr(element, "id"), {})
            if refined.get("collection-type", "series") == "series":
                return _text(element), _number(refined.get("group-position"))
    return None, None


# --- PDF -------------------------------------------------------------------------------

def _pdf(handle: BinaryIO) -> BookMeta:
    from pypdf import PdfReader

    # pypdf logs a warning for every flaw it works around; for a batch over a
    # library that is noise in cron mail (the record says whether the file
    # failed). Quieten it unless logging was configured for pypdf on purpose.
    pypdf_logger = logging.getLogger("pypdf")
    if pypdf_logger.level == logging.NOTSET:
        pypdf_logger.setLevel(logging.ERROR)
    # A file object, not the path: given a path, pypdf reads the whole file into
    # memory. It then reads the xref table and trailer; pages stay unparsed.
    reader = PdfReader(handle, strict=False)
    if reader.is_encrypted:
        try:  # most "encrypted" PDFs only restrict printing: the user password is empty
            if not reader.decrypt(""):
                return BookMeta(format="pdf")
        except Exception:  # wrong password, or AES without the cryptography package
            return BookMeta(format="pdf")
    info = reader.metadata
    if info is None:
        return BookMeta(format="pdf")
    raw_date = info.get("/CreationDate")
    date, year = _date(str(raw_date) if raw_date is not None else None)
    author = info.author or ""
    return BookMeta(
        format="pdf",
        title=_clean(info.title),
        # PDF has one free-text author field; ";" is the usual separator.
        creators=[name for part in author.split(";") if (name := _clean(part))],
        date=date,
        year=year,
        publisher=None,
    )


def _clean(text: str | None) -> str | None:
    """Info strings often carry NULs and runs of spaces; "" means absent."""
    if not text:
        return None
    return " ".join(str(text).replace("\0", " ").split()) or None


# --- CBZ -------------------------------------------------------------------------------

def _cbz(handle: BinaryIO) -> BookMeta:
    with _zip(handle, "cbz") as archive:
        names = [n for n in archive.namelist() if n.rpartition("/")[2].lower() == "comicinfo.xml"]
        if not names:
            return BookMeta(format="cbz")
        names.sort(key=lambda n: n.count("/"))  # the archive root's first
        info = _xml(_member(archive, names[0]), "ComicInfo.xml")
    fields = {_local(e.tag): _text(e) for e in info}
    numbers: list[int] = []
    for key in ("Year", "Month", "Day"):  # a date as precise as the fields allow
        value = fields.get(key) or ""
        if not value.isdigit():
            break
        numbers.append(int(value))
    date, year = _date("-".join(f"{n:02d}" for n in numbers)) if numbers else (None, None)
    gtin = fields.get("GTIN")
    writers = fields.get("Writer") or ""
    return BookMeta(
        format="cbz",
        title=fields.get("Title"),
        # ComicRack lists several names in one field, comma-separated.
        creators=[name.strip() for name in writers.split(",") if name.strip()],
        date=date,
        year=year,
        language=normalise_language(fields.get("LanguageISO") or ""),
        publisher=fields.get("Publisher"),
        isbn=normalise_isbn(gtin),
        identifiers={"gtin": gtin} if gtin else {},
        series=fields.get("Series"),
        number=_number(fields.get("Number")),
    )


_READERS: dict[str, Callable[[BinaryIO], BookMeta]] = {
    ".epub": _epub, ".pdf": _pdf, ".cbz": _cbz,
}
