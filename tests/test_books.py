"""pipeline.probe.books on EPUB, PDF and CBZ files written by tests/media_fixtures.py."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.core.errors import ItemFailure
from pipeline.core.records import BookMeta
from pipeline.probe import books
from pipeline.probe.books import book_meta, normalise_isbn
from tests.media_fixtures import (
    BOOK,
    BOOK_CREATORS,
    COMIC,
    PDF,
    make_cbz,
    make_epub,
    make_pdf,
    unreadable_code,
)

Media = Callable[[str], Path]

EPUB3_OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:title id="t2">A Subtitle First</dc:title>
    <dc:title id="t1">Salt Roads</dc:title>
    <meta refines="#t1" property="title-type">main</meta>
    <meta refines="#t2" property="title-type">subtitle</meta>
    <dc:creator id="c1">Ines Moor</dc:creator>
    <dc:identifier id="id">urn:isbn:978-0-306-40615-7</dc:identifier>
    <dc:language>fr</dc:language>
    <dc:date>2021</dc:date>
    <meta property="belongs-to-collection" id="s1">Roads</meta>
    <meta refines="#s1" property="collection-type">series</meta>
    <meta refines="#s1" property="group-position">3</meta>
  </metadata>
</package>"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<package xmlns="http://www.idpf.org/2007/opf"><metadata>
<dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">&lol2;</dc:title></metadata></package>"""


def _failure(path: Path) -> str:
    with pytest.raises(ItemFailure) as caught:
        book_meta(str(path))
    return caught.value.code


def test_an_epub_gives_its_opf_metadata(media: Media) -> None:
    found = book_meta(str(media("book.epub")))
    assert (found.format, found.title, found.creators) == ("epub", BOOK["title"], BOOK_CREATORS)
    # The publication date is chosen over the modification date listed first.
    assert (found.date, found.year, found.language, found.publisher) == (
        BOOK["date"], 2019, "en", BOOK["publisher"])
    assert found.isbn == BOOK["isbn13"]  # from the ISBN-10 in the OPF
    assert found.identifiers["uuid"] == BOOK["uuid"].removeprefix("urn:uuid:")
    assert (found.series, found.number) == (BOOK["series"], "2")


def test_an_epub3_gives_its_main_title_urn_isbn_and_collection(tmp_path: Path) -> None:
    make_epub(tmp_path / "salt.epub", EPUB3_OPF, opf_name="content/package.opf")
    found = book_meta(str(tmp_path / "salt.epub"))
    assert (found.title, found.creators, found.language, found.year) == (
        "Salt Roads", ["Ines Moor"], "fr", 2021)
    assert (found.isbn, found.series, found.number) == ("9780306406157", "Roads", "3")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_an_opf_with_a_dtd_is_refused_not_expanded(tmp_path: Path, encoding: str) -> None:
    text = LAUGHS if encoding == "utf-8" else LAUGHS.replace('version="1.0"', 'version="1.0" '
                                                             'encoding="UTF-16"')
    make_epub(tmp_path / "laughs.epub", text.encode(encoding))
    assert _failure(tmp_path / "laughs.epub") == "refused"


def test_a_zip_member_over_the_cap_is_refused_without_reading_it_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(books, "MAX_MEMBER_BYTES", 4096)
    make_cbz(tmp_path / "bomb.cbz", "<ComicInfo>" + " " * 10_000 + "</ComicInfo>")
    assert _failure(tmp_path / "bomb.cbz") == "refused"


def test_an_epub_without_a_container_file_fails_as_corrupt(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "bare.epub", "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
    assert _failure(tmp_path / "bare.epub") == "corrupt"


def test_an_epub_cut_in_half_fails_as_corrupt(media: Media, tmp_path: Path) -> None:
    data = media("book.epub").read_bytes()
    (tmp_path / "cut.epub").write_bytes(data[: len(data) // 2])
    assert _failure(tmp_path / "cut.epub") == "corrupt"


@pytest.mark.parametrize("name", ["fake.epub", "fake.cbz"])
def test_an_archive_that_is_not_a_zip_fails_as_unrecognised(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"Rar!\x1a\x07\x00" + bytes(200))
    assert _failure(tmp_path / name) == "unrecognised"


def test_a_pdf_gives_title_authors_and_creation_date_without_reading_pages(
        media: Media) -> None:
    found = book_meta(str(media("paper.pdf")))  # its page content is deliberately garbage
    assert (found.format, found.title, found.creators) == ("pdf", PDF["title"],
                                                          ["Ann Ink", "Bo Pen"])
    assert (found.date, found.year) == ("2019-05-03", 2019)


def test_a_pdf_without_an_info_dictionary_gives_only_its_format(tmp_path: Path) -> None:
    make_pdf(tmp_path / "bare.pdf", info={})
    assert book_meta(str(tmp_path / "bare.pdf")) == BookMeta(format="pdf")


def test_a_pdf_locked_with_a_password_gives_only_its_format(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    writer.add_metadata({"/Title": "Secret"})
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    with open(tmp_path / "locked.pdf", "wb") as out:
        writer.write(out)
    assert book_meta(str(tmp_path / "locked.pdf")) == BookMeta(format="pdf")


@pytest.mark.parametrize("content", [b"%PDF-1.4\n" + bytes(300), b"just text, no pdf\n"])
def test_a_damaged_pdf_fails_as_corrupt(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "bad.pdf").write_bytes(content)
    assert _failure(tmp_path / "bad.pdf") == "corrupt"


def test_a_cbz_gives_its_comicinfo_fields(media: Media) -> None:
    found = book_meta(str(media("comic.cbz")))
    assert (found.format, found.series, found.number, found.title) == (
        "cbz", COMIC["Series"], COMIC["Number"], COMIC["Title"])
    assert (found.creators, found.year, found.date) == (["Ann Ink", "Bo Pen"], 2019, "2019-05")
    assert (found.language, found.publisher, found.isbn) == (
        "en", COMIC["Publisher"], "9780306406157")
    assert found.identifiers == {"gtin": COMIC["GTIN"]}


def test_a_cbz_without_comicinfo_gives_only_its_format(tmp_path: Path) -> None:
    make_cbz(tmp_path / "plain.cbz", comic_info="")
    assert book_meta(str(tmp_path / "plain.cbz")) == BookMeta(format="cbz")


@pytest.mark.parametrize("name", ["a.mobi", "a.azw3", "a.cbr", "a.djvu"])
def test_other_book_formats_are_other_without_being_parsed(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"anything at all")
    assert book_meta(str(tmp_path / name)) == BookMeta(format="other")


@pytest.mark.parametrize("name", ["a.epub", "a.pdf", "a.mobi"])
def test_missing_and_empty_books_fail_as_vanished_and_empty(tmp_path: Path, name: str) -> None:
    assert _failure(tmp_path / name) == "vanished"
    (tmp_path / name).write_bytes(b"")
    assert _failure(tmp_path / name) == "empty"


@pytest.mark.parametrize("name", ["book.epub", "paper.pdf", "comic.cbz"])
def test_a_book_its_reader_may_not_open_fails_as_unreadable(media: Media, name: str) -> None:
    assert unreadable_code(book_meta, media(name)) == "unreadable"


@pytest.mark.parametrize(("text", "isbn13"), [
    ("9780306406157", "9780306406157"),
    ("978-0-306-40615-7", "9780306406157"),
    ("urn:isbn:9780306406157", "9780306406157"),
    ("ISBN 978 0 306 40615 7", "9780306406157"),
    ("0-306-40615-2", "9780306406157"),  # ISBN-10 converted
    ("080442957X", "9780804429573"),  # ISBN-10 with an X check digit
    ("080442957x", "9780804429573"),
    ("979-10-343-0402-8", "9791034304028"),  # 979 prefix
    ("9780306406158", None),  # wrong ISBN-13 check digit
    ("0-306-40615-3", None),  # wrong ISBN-10 check digit
    ("1234567890123", None),  # not a Bookland prefix
    ("30640615", None),
    ("", None),
    (None, None),
    ("not an isbn", None),
])
def test_isbns_are_normalised_to_isbn13_only_when_their_check_digit_holds(
        text: str | None, isbn13: str | None) -> None:
    assert normalise_isbn(text) == isbn13
