from __future__ import annotations

import os

import msgspec
import pytest

from pipeline.core.paths import display, from_wire, sort_key, to_wire

RAW_NAMES = [
    b"/media/Movies/Plain (2001).mkv",
    b"/media/caf\xe9 latin-1.mkv",
    b"/media/\xff\xfe\x80 binary",
    b"/media/line\nbreak.srt",
    b"/media/tab\tand\x01ctrl.nfo",
    "/media/日本語/アニメ 01.mkv".encode(),
    b"/media/emoji \xf0\x9f\x8e\xac.mkv",
    b"/media/mixed caf\xc3\xa9 and caf\xe9",
    b"/media/backslash\\x00e9 lookalike",
]


@pytest.mark.parametrize("raw", RAW_NAMES)
def test_every_name_round_trips_through_json_byte_for_byte(raw: bytes) -> None:
    wire = to_wire(os.fsdecode(raw))
    decoded = msgspec.json.decode(msgspec.json.encode(wire), type=str)
    assert os.fsencode(from_wire(decoded)) == raw


def test_valid_utf8_names_are_stored_verbatim() -> None:
    assert to_wire("/m/Amélie (2001)/Amélie.mkv") == "/m/Amélie (2001)/Amélie.mkv"


def test_undecodable_bytes_become_nul_escapes_that_no_real_name_can_contain() -> None:
    assert to_wire(os.fsdecode(b"/m/caf\xe9")) == "/m/caf\x00e9"


def test_display_is_one_printable_line_for_any_name() -> None:
    shown = display(to_wire(os.fsdecode(b"/m/caf\xe9\nnext")))
    assert shown == "/m/caf\\xe9\\nnext"
    assert shown.isprintable()


def test_sort_key_orders_a_folder_before_a_sibling_sharing_its_prefix() -> None:
    paths = ["/m/a.txt", "/m/a/b.mkv", "/m/a b/c.mkv"]
    assert sorted(paths, key=sort_key) == ["/m/a/b.mkv", "/m/a b/c.mkv", "/m/a.txt"]
