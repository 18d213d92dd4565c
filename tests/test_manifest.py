from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.core.errors import ManifestError
from pipeline.core.manifest import ManifestWriter, read_header, read_manifest
from pipeline.core.paths import from_wire, to_wire
from pipeline.core.records import SCAN_SCHEMA, ItemError, ScanRecord


def _record(raw: bytes, size: int = 1) -> ScanRecord:
    return ScanRecord(path=to_wire(os.fsdecode(raw)), root="/m", cls="video", size=size,
                      mtime_ns=1, inode=2, device=3)


def test_records_round_trip_with_the_header_first(tmp_path: Path) -> None:
    records = [_record(b"/m/a.mkv"), _record(b"/m/caf\xe9\n.mkv", 0),
               ScanRecord(path="/m/gone", root="/m", cls="folder",
                          error=ItemError("vanished", "No such file or directory"))]
    out = tmp_path / "scan.jsonl"
    with ManifestWriter[ScanRecord](out, SCAN_SCHEMA, {"settings": "abc"}) as writer:
        writer.write_all(records)
    header, stream = read_manifest(out, SCAN_SCHEMA, ScanRecord)
    assert header.schema == SCAN_SCHEMA and header.inputs == {"settings": "abc"}
    assert list(stream) == records
    assert os.fsencode(from_wire(records[1].path)) == b"/m/caf\xe9\n.mkv"
    assert len(out.read_bytes().splitlines()) == 4  # a newline in a name stays escaped


def test_a_failed_write_leaves_the_previous_manifest_untouched(tmp_path: Path) -> None:
    out = tmp_path / "scan.jsonl"
    with ManifestWriter[ScanRecord](out, SCAN_SCHEMA) as writer:
        writer.write(_record(b"/m/old.mkv"))
    before = out.read_bytes()
    with pytest.raises(KeyboardInterrupt), ManifestWriter[ScanRecord](out, SCAN_SCHEMA) as writer:
        for i in range(10_000):
            writer.write(_record(f"/m/new{i}.mkv".encode()))
        raise KeyboardInterrupt
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scan.jsonl"]  # no temp file left


def test_a_manifest_of_another_schema_version_is_refused_by_name(tmp_path: Path) -> None:
    out = tmp_path / "scan.jsonl"
    with ManifestWriter[ScanRecord](out, "jforg.scan/999"):
        pass
    with pytest.raises(ManifestError, match=r"jforg\.scan/999.*jforg\.scan/1"):
        read_header(out, SCAN_SCHEMA)


def test_a_corrupt_line_is_reported_with_its_line_number(tmp_path: Path) -> None:
    out = tmp_path / "scan.jsonl"
    with ManifestWriter[ScanRecord](out, SCAN_SCHEMA) as writer:
        writer.write(_record(b"/m/a.mkv"))
    with open(out, "ab") as handle:
        handle.write(b'{"path": 12}\n')
    _, stream = read_manifest(out, SCAN_SCHEMA, ScanRecord)
    with pytest.raises(ManifestError, match="line 3"):
        list(stream)


@pytest.mark.parametrize("content", [b"", b"not json\n", b'{"schema": 1}\n'])
def test_a_file_that_is_not_a_manifest_is_refused(tmp_path: Path, content: bytes) -> None:
    out = tmp_path / "scan.jsonl"
    out.write_bytes(content)
    with pytest.raises(ManifestError, match=r"scan\.jsonl"):
        read_header(out, SCAN_SCHEMA)


def test_a_missing_manifest_says_which_stage_to_run(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="not found"):
        read_manifest(tmp_path / "scan.jsonl", SCAN_SCHEMA, ScanRecord)
