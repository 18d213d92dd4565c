"""Tiny real books (EPUB, PDF, CBZ; Kindle and CBR heads) whose metadata is exactly known.

Used by the tests (through tests/media_fixtures.py) and by the library
generator, so the demo library's books are real files the probe can read.
"""

from __future__ import annotations

import struct
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = ["BOOK", "BOOK_CREATORS", "COMIC", "PDF", "About", "make_book", "make_cbr",
           "make_cbz", "make_epub", "make_kindle", "make_pdf"]

BOOK_CREATORS = ["Mara Quill", "Ode Lindqvist"]
BOOK = {"title": "Tides of Glass", "date": "2019-05-03", "publisher": "Harbour Press",
        "isbn10": "0-306-40615-2", "isbn13": "9780306406157",
        "uuid": "urn:uuid:6f1c2a9e-0d4b-4e8f-9a3c-7b5d1e2f3a4b",
        "series": "The Glass Trilogy", "series_index": "2.0"}
PDF = {"title": "Field Notes on Harbours", "author": "Ann Ink; Bo Pen",
       "creation_date": "D:20190503120000+02'00'"}
COMIC = {"Series": "Harbour Tales", "Number": "7", "Title": "The Lighthouse",
         "Writer": "Ann Ink, Bo Pen", "Year": "2019", "Month": "5", "LanguageISO": "en",
         "Publisher": "Tidewater Comics", "GTIN": "978-0-306-40615-7"}


@dataclass(frozen=True)
class About:
    """What a book's path says about it, for metadata that agrees with the path."""

    title: str
    author: str | None = None
    year: int | None = None
    series: str | None = None  # a comic's series and issue number
    number: int | None = None


# --- books, written by hand so their contents are exactly known -------------------

def _opf() -> str:
    creators = "".join(f'<dc:creator opf:role="aut">{name}</dc:creator>'
                       for name in BOOK_CREATORS)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>{BOOK["title"]}</dc:title>{creators}
    <dc:date opf:event="modification">2021-01-01</dc:date>
    <dc:date opf:event="publication">{BOOK["date"]}</dc:date>
    <dc:language>en-GB</dc:language>
    <dc:publisher>{BOOK["publisher"]}</dc:publisher>
    <dc:identifier id="uid">{BOOK["uuid"]}</dc:identifier>
    <dc:identifier opf:scheme="ISBN">{BOOK["isbn10"]}</dc:identifier>
    <meta name="calibre:series" content="{BOOK["series"]}"/>
    <meta name="calibre:series_index" content="{BOOK["series_index"]}"/>
  </metadata>
  <manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest>
  <spine><itemref idref="c1"/></spine>
</package>
"""


def _opf_about(about: About) -> str:
    """An OPF saying only what the path says, with an identifier of its own: ``BOOK``'s
    ISBN on every book would let enrich match them all to the one book with that ISBN."""
    creator = (f'<dc:creator opf:role="aut">{escape(about.author)}</dc:creator>'
               if about.author else "")
    date = f"<dc:date>{about.year}</dc:date>" if about.year is not None else ""
    uid = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:jforg-libgen:{about.author}/{about.title}")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>{escape(about.title)}</dc:title>{creator}{date}
    <dc:identifier id="uid">urn:uuid:{uid}</dc:identifier>
  </metadata>
  <manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest>
  <spine><itemref idref="c1"/></spine>
</package>
"""


def make_epub(path: Path, opf: str | bytes | None = None,
              opf_name: str = "OEBPS/content.opf") -> None:
    """An EPUB whose OPF is ``opf`` (default: one describing ``BOOK``)."""
    container = f"""<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="{opf_name}" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>"""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        # The mimetype entry comes first and uncompressed, as the OCF spec asks.
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container)
        archive.writestr(opf_name, _opf() if opf is None else opf)
        archive.writestr("OEBPS/c1.xhtml", "<html xmlns='http://www.w3.org/1999/xhtml'>"
                                           "<body><p>Tide.</p></body></html>")


def make_pdf(path: Path, info: dict[str, str] | None = None) -> None:
    """A valid one-page PDF with the /Info of ``PDF``; its page content is deliberately
    not valid PDF operators, so reading it would show (metadata must not need it)."""
    fields = PDF if info is None else info
    info_dict = " ".join(f"/{key.title().replace('_', '')} {_pdf_text(value)}"
                         for key, value in fields.items())
    content = b"this is not a content stream: @@ ]] >> <<"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        f"<< {info_dict} >>".encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))


_PDF_ESCAPES = str.maketrans({"\\": "\\\\", "(": "\\(", ")": "\\)"})


def _pdf_text(value: str) -> str:
    """A PDF string: literal for plain ASCII; else UTF-16BE after a byte order mark,
    since PDF's one-byte encoding has no 静かな港 or Żółta Łódź."""
    if value.isascii() and value.isprintable():
        return f"({value.translate(_PDF_ESCAPES)})"
    return f"<FEFF{value.encode('utf-16-be').hex().upper()}>"


def _pdf_about(about: About) -> dict[str, str]:
    return {"title": about.title, **({"author": about.author} if about.author else {})}


def _comic_xml(fields: dict[str, str]) -> str:
    body = "".join(f"<{key}>{escape(value)}</{key}>" for key, value in fields.items())
    return ('<?xml version="1.0" encoding="utf-8"?>\n<ComicInfo xmlns:xsi='
            f'"http://www.w3.org/2001/XMLSchema-instance">{body}</ComicInfo>')


def _comic_about(about: About) -> str:
    fields = {"Series": about.series or "", "Number": str(about.number or ""),
              "Title": about.title, "Year": str(about.year or ""), "Writer": about.author or ""}
    return _comic_xml({key: value for key, value in fields.items() if value})


def make_cbz(path: Path, comic_info: str | None = None) -> None:
    """A CBZ with one page and a ComicInfo.xml (default: from ``COMIC``; "" for none)."""
    if comic_info is None:
        comic_info = _comic_xml(COMIC)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("001.png", b"\x89PNG\r\n\x1a\n")
        if comic_info:
            archive.writestr("ComicInfo.xml", comic_info)


def make_kindle(path: Path, title: str = "Tides of Glass") -> None:
    """A Mobipocket book as Kindle files start: a Palm database of one text record.

    The 78-byte Palm header (name, type ``BOOK``, creator ``MOBI``, one record),
    the record list, and record 0: a PalmDOC header and a MOBI header naming
    the full title. Enough for anything that reads the head; no text follows.
    """
    name = title.encode("ascii", "replace")[:31]
    record0 = (struct.pack(">HHIHHI", 1, 0, 0, 0, 4096, 0)  # PalmDOC: no compression
               + b"MOBI" + struct.pack(">I", 232) + bytes(224))
    full = name + b"\0\0"
    record0 += full
    header = (name.ljust(32, b"\0") + struct.pack(">HHIIIIII", 0, 0, 0, 0, 0, 0, 0, 0)
              + b"BOOKMOBI" + struct.pack(">IIH", 0, 0, 1))
    offset = len(header) + 8 + 2
    path.write_bytes(header + struct.pack(">II", offset, 0) + b"\0\0" + record0)


def make_cbr(path: Path) -> None:
    """An empty RAR 4 archive (marker, archive header, end of archive): a CBR's head."""
    marker = b"Rar!\x1a\x07\x00"
    main = struct.pack("<HBHH", 0x90CF, 0x73, 0x0000, 13) + bytes(6)
    end = struct.pack("<HBHH", 0x3DC4, 0x7B, 0x4000, 7)
    path.write_bytes(marker + main + end)


def make_book(path: Path, about: About | None = None) -> bool:
    """Write a real book of ``path``'s kind (.epub, .pdf, .cbz, Kindle, .cbr); False for others.

    Its metadata is the fixed ``BOOK``, ``PDF`` or ``COMIC``, or with ``about`` only what
    that says (a CBR carries none either way).
    """
    suffix = path.suffix.lower()
    if suffix == ".epub":
        make_epub(path, None if about is None else _opf_about(about))
    elif suffix == ".pdf":
        make_pdf(path, None if about is None else _pdf_about(about))
    elif suffix == ".cbz":
        make_cbz(path, None if about is None else _comic_about(about))
    elif suffix in (".mobi", ".azw", ".azw3"):
        make_kindle(path, path.stem if about is None else about.title)
    elif suffix == ".cbr":
        make_cbr(path)
    else:
        return False
    return True
