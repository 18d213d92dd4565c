"""Dead files cost the probe one head read: unfinished downloads, wrong contents, read budgets.

The bytes a call reads come from the kernel's count for this process
(``rchar`` in /proc/self/io): a parser that was not called read nothing,
one under a budget read no more than it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from pipeline.core.errors import ItemFailure
from pipeline.core.manifest import read_manifest
from pipeline.core.paths import from_wire, to_wire
from pipeline.core.records import (
    PLAN_SCHEMA,
    PROBE_SCHEMA,
    FileClass,
    PlanEntry,
    ProbeRecord,
    ScanRecord,
)
from pipeline.core.settings import Settings
from pipeline.plan import stage as plan
from pipeline.probe import stage as probe
from pipeline.probe.mediainfo import technical
from pipeline.scan import stage as scan

pytest_plugins = ["tests.media_fixtures"]

Media = Callable[[str], Path]
GIB4 = 4 * 2**30
MIB = 2**20
PROC_IO = Path("/proc/self/io")
needs_proc_io = pytest.mark.skipif(not PROC_IO.exists(), reason="no /proc/self/io here")


def _read_so_far() -> int:
    for line in PROC_IO.read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def _bytes_read(call: Callable[[], object]) -> int:
    before = _read_so_far()
    call()
    return _read_so_far() - before


def _sparse(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of ``size`` bytes: ``head``, then a hole (no disk used)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


def _settings(**probe_overrides: object) -> Settings:
    base = Settings()
    return msgspec.structs.replace(
        base, scan=msgspec.structs.replace(base.scan, jobs=1),
        probe=msgspec.structs.replace(base.probe, jobs=1, **probe_overrides))


def _record(path: Path, root: Path, cls: FileClass) -> ScanRecord:
    info = path.stat()
    return ScanRecord(path=to_wire(os.fspath(path)), root=to_wire(os.fspath(root)), cls=cls,
                      size=info.st_size, mtime_ns=info.st_mtime_ns, inode=info.st_ino,
                      device=info.st_dev)


def _probe(path: Path, root: Path, cls: FileClass = "video", **options: object) -> ProbeRecord:
    return probe.probe_one(_record(path, root, cls), probe.ProbeOptions(**options))  # type: ignore[arg-type]


def _code(record: ProbeRecord) -> str | None:
    return record.error.code if record.error is not None else None


# --- unfinished downloads ------------------------------------------------------------------

MOVIE = "Movies/Heat.1995.1080p.BluRay.x264-GRP/Heat.1995.1080p.BluRay.x264-GRP.mkv"
BOOK = "Audiobooks/Ursula K. Le Guin/A Wizard of Earthsea/A Wizard of Earthsea.m4b"


@pytest.fixture
def dead_library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    _sparse(root / MOVIE, GIB4)
    _sparse(root / BOOK, GIB4)
    return root


def test_4_gib_sparse_mkv_and_m4b_files_are_incomplete(tmp_path: Path, dead_library: Path) -> None:
    work = tmp_path / "work"
    scan.run(work, [str(dead_library)], _settings().scan)
    _, stats = probe.run(work, _settings())
    _, records = read_manifest(work / probe.MANIFEST, PROBE_SCHEMA, ProbeRecord)
    by_path = {os.path.relpath(from_wire(r.path), dead_library): r for r in records}
    movie, book = by_path[MOVIE], by_path[BOOK]
    assert _code(movie) == "incomplete" and _code(book) == "incomplete"
    assert movie.error is not None and movie.error.message == (
        "looks like an unfinished download: the first 64 KiB are zeros")
    # What the name says is kept: the plan still knows where the file belongs.
    assert movie.parse is not None and (movie.parse.title, movie.parse.year) == ("Heat", 1995)
    assert movie.role == "main" and movie.technical is None
    assert movie.fingerprint is not None and movie.fingerprint.startswith(f"{GIB4}:")
    assert book.tags is None and book.fingerprint is not None
    assert stats.failures == {"incomplete": 2}


@needs_proc_io
@pytest.mark.parametrize(("rel", "cls"), [(MOVIE, "video"), (BOOK, "audio")])
def test_an_unfinished_download_costs_the_head_and_tail_and_no_parser(
        dead_library: Path, rel: str, cls: FileClass) -> None:
    _probe(dead_library / rel, dead_library, cls)  # warm: guessit's rules, imports
    read = _bytes_read(lambda: _probe(dead_library / rel, dead_library, cls))
    assert read <= 2 * 64 * 1024 + 64 * 1024  # the fingerprint's two chunks, and little else


def test_no_parser_is_asked_even_when_one_would_find_a_stream_past_the_zeros(
        media: Media, tmp_path: Path) -> None:
    # A movie written after 64 KiB of zeros: MediaInfo hunts past them and finds
    # it. The probe must not ask: a zero head is what an unfinished download has.
    path = tmp_path / "library" / "Heat (1995).mkv"
    _sparse(path, 64 * 1024, b"")
    with open(path, "ab") as handle:
        handle.write(media("movie.mkv").read_bytes())
    found = technical(str(path))
    assert found.video_codec == "h264"  # what a parser would have said
    record = _probe(path, tmp_path / "library")
    assert _code(record) == "incomplete" and record.technical is None


def test_an_incomplete_download_is_still_planned_by_its_name(tmp_path: Path,
                                                             dead_library: Path) -> None:
    work, dest = tmp_path / "work", tmp_path / "dest"
    settings = _settings()
    scan.run(work, [str(dead_library)], settings.scan)
    probe.run(work, settings)
    manifest, _ = plan.run(work, str(dest), settings)
    _, entries = read_manifest(manifest, PLAN_SCHEMA, PlanEntry)
    movie = next(e for e in entries if e.source and e.source.endswith(".mkv"))
    assert movie.action == "move", movie.reason
    assert movie.destination is not None
    assert os.path.relpath(from_wire(movie.destination), dest).startswith("Movies/Heat (1995)/")


# --- files that hold something else ------------------------------------------------------------

def test_an_mkv_that_is_really_mp4_is_still_probed(media: Media, tmp_path: Path) -> None:
    path = tmp_path / "library" / "Movie (2010).mkv"
    path.parent.mkdir()
    shutil.copyfile(media("hevc10.mp4"), path)
    record = _probe(path, tmp_path / "library")
    assert _code(record) is None
    assert record.technical is not None and record.technical.container == "mp4"


def test_a_cut_file_with_a_valid_head_still_gets_its_technical_data(media: Media,
                                                                    tmp_path: Path) -> None:
    path = tmp_path / "library" / "The Quiet Harbor (2021).mkv"
    path.parent.mkdir()
    shutil.copyfile(media("truncated.mkv"), path)
    record = _probe(path, tmp_path / "library")
    assert _code(record) is None
    assert record.technical is not None and record.technical.video_codec == "h264"
    assert record.technical.width == 160


def test_a_zero_byte_video_stays_empty_and_keeps_its_name(tmp_path: Path) -> None:
    path = _sparse(tmp_path / "library" / "Heat (1995).mkv", 0)
    record = _probe(path, tmp_path / "library")
    assert _code(record) == "empty"
    assert record.parse is not None and record.parse.title == "Heat"


@needs_proc_io
def test_a_repeated_digest_named_mkv_is_unrecognised_without_mediainfo(tmp_path: Path) -> None:
    # The pattern that kept MediaInfo reading a whole file: a sha256 digest
    # repeated, with a plausible MPEG audio sync in it.
    digest = hashlib.sha256(b"343").digest()
    path = tmp_path / "library" / "Movie (2010).mkv"
    path.parent.mkdir()
    path.write_bytes(digest * (8 * MIB // 32))
    _probe(path, tmp_path / "library")
    read = _bytes_read(lambda: _probe(path, tmp_path / "library"))
    record = _probe(path, tmp_path / "library")
    assert _code(record) == "unrecognised" and "32-byte pattern" in (record.error.message
                                                                    if record.error else "")
    assert read <= 3 * 64 * 1024


# --- read budgets ---------------------------------------------------------------------------

@needs_proc_io
def test_mediainfo_stops_at_the_read_budget_and_reports_what_it_found(media: Media,
                                                                       tmp_path: Path) -> None:
    # A valid Matroska header, then 256 MiB of nothing: MediaInfo hunts for
    # clusters through the zeros (it read 64 MiB here without a budget).
    path = _sparse(tmp_path / "Movie (2010).mkv", 256 * MIB,
                   media("header-only.mkv").read_bytes())
    found = technical(str(path), max_read=MIB)
    capped = _bytes_read(lambda: technical(str(path), max_read=MIB))
    assert found.video_codec == "h264"
    assert capped <= MIB + 64 * 1024
    assert _bytes_read(lambda: technical(str(path))) > 4 * MIB  # the budget is what stopped it


@needs_proc_io
def test_a_pdf_without_its_end_marker_is_corrupt_without_pypdf(tmp_path: Path) -> None:
    # A PDF header and no %%EOF at the end: pypdf would search backwards for one
    # through the whole file (minutes and gigabytes of memory for a 4 GiB one).
    path = _sparse(tmp_path / "library" / "Paper.pdf", 256 * MIB,
                   b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    record = _probe(path, tmp_path / "library", "book")
    read = _bytes_read(lambda: _probe(path, tmp_path / "library", "book"))
    assert _code(record) == "corrupt"
    assert record.error is not None and "%%EOF" in record.error.message
    assert read <= 3 * 64 * 1024


@needs_proc_io
def test_pypdf_stops_at_the_read_budget_and_the_pdf_is_corrupt(tmp_path: Path) -> None:
    # A trailer pointing nowhere: pypdf rebuilds the cross-reference table by
    # reading the whole file (it found it empty and said so, after 256 MiB).
    path = _sparse(tmp_path / "library" / "Paper.pdf", 256 * MIB,
                   b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    with open(path, "ab") as handle:
        handle.write(b"\nstartxref\n999999999\n%%EOF\n")
    record = _probe(path, tmp_path / "library", "book", max_read=MIB)  # and warm pypdf's imports
    read = _bytes_read(lambda: _probe(path, tmp_path / "library", "book", max_read=MIB))
    assert _code(record) == "corrupt"
    assert record.error is not None and "probe.max_read_mib" in record.error.message
    assert read <= MIB + 3 * 64 * 1024


@needs_proc_io
def test_mutagen_stops_at_the_read_budget_on_a_tag_that_claims_200_mib(tmp_path: Path) -> None:
    # An ID3v2.4 header whose size says 200 MiB, then nothing: mutagen reads the
    # whole claimed tag, then hunts for a frame past it.
    size = 200 * MIB
    syncsafe = bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
    path = _sparse(tmp_path / "library" / "01 - Song.mp3", 256 * MIB,
                   b"ID3\x04\x00\x00" + syncsafe + b"TIT2\x00\x00\x00\x05\x00\x00\x03Song")
    record = _probe(path, tmp_path / "library", "audio", max_read=MIB)  # and warm the imports
    read = _bytes_read(lambda: _probe(path, tmp_path / "library", "audio", max_read=MIB))
    assert _code(record) == "corrupt"
    assert record.error is not None and "probe.max_read_mib" in record.error.message
    assert read <= MIB + 3 * 64 * 1024


def test_a_budget_failure_in_a_parser_wrapper_is_an_item_failure(tmp_path: Path) -> None:
    from pipeline.probe.books import book_meta

    path = _sparse(tmp_path / "Paper.pdf", 8 * MIB, b"%PDF-1.7\n")
    with open(path, "ab") as handle:
        handle.write(b"\nstartxref\n999999999\n%%EOF\n")
    with pytest.raises(ItemFailure) as caught:
        book_meta(str(path), max_read=64 * 1024)
    assert caught.value.code == "corrupt"


def test_the_default_settings_give_parsers_64_mib_and_files_20_seconds() -> None:
    options = probe.ProbeOptions.from_settings(Settings())
    assert options.max_read == 64 * MIB and options.timeout_s == 20.0
    unlimited = _settings(max_read_mib=0)
    assert probe.ProbeOptions.from_settings(unlimited).max_read is None
