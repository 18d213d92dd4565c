from __future__ import annotations

import inspect

import msgspec
import pytest

from pipeline.core import records

STRUCTS = [obj for _, obj in inspect.getmembers(records, inspect.isclass)
           if issubclass(obj, msgspec.Struct) and obj.__module__ == records.__name__]


@pytest.mark.parametrize("struct", STRUCTS, ids=lambda s: s.__name__)
def test_manifest_structs_default_only_to_values_msgspec_omits_reliably(
    struct: type[msgspec.Struct],
) -> None:
    # omit_defaults compares str and float defaults by identity: a decoded
    # "main" would be written where a fresh one is omitted.
    for field in msgspec.structs.fields(struct):
        default = field.default
        if default is msgspec.NODEFAULT:
            continue
        assert default is None or isinstance(default, bool) or default in ([], {}), (
            f"{struct.__name__}.{field.name} defaults to {default!r}")


def test_a_decoded_record_encodes_to_the_same_bytes() -> None:
    scan = records.ScanRecord(path="/m/a.mkv", root="/m", cls="video", size=1, mtime_ns=2,
                              inode=3, device=4)
    fresh = records.ProbeRecord(scan=scan, role="main", parse=records.Parse(
        type="movie", title="A", year=2000, episodes=[], source_of_title=None))
    line = msgspec.json.encode(fresh)
    again = msgspec.json.decode(line, type=records.ProbeRecord)
    assert msgspec.json.encode(again) == line
