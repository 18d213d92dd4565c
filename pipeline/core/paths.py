"""How file system paths travel through manifests.

Linux names are bytes. Python hands them to us as ``str`` decoded with
``surrogateescape`` (``os.fsdecode``), so bytes that are not UTF-8 become
lone surrogates U+DC80..U+DCFF. Strict JSON encoders (msgspec, orjson)
refuse lone surrogates, and escaping them as ``\\udcXX`` is not valid UTF-16
for most readers. So on the wire each such byte is written as NUL followed
by two hex digits: NUL can never occur in a POSIX path, which makes the
escape unambiguous, and valid UTF-8 names (nearly all) are stored verbatim.

    os form   "/m/caf\\udce9.mkv"   (what os.* functions take)
    wire form "/m/caf\\x00e9.mkv"   (what manifests hold; JSON shows \\u0000e9)

This module owns that mapping; nothing else may build wire paths by hand.
"""

from __future__ import annotations

import re

__all__ = ["display", "from_wire", "sort_key", "to_wire"]

_SURROGATE = re.compile("[\udc80-\udcff]")
_ESCAPE = re.compile("\x00([0-9a-f]{2})")


def to_wire(path: str) -> str:
    """Map an os-form path to the JSON-safe wire form (identity for UTF-8 names)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(lambda m: f"\x00{ord(m.group()) - 0xDC00:02x}", path)
    return path


def from_wire(path: str) -> str:
    """Map a wire-form path back to the exact os-form path it came from."""
    if "\x00" not in path:
        return path
    return _ESCAPE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), path)


def display(path: str) -> str:
    """A printable form of an os- or wire-form path, for humans only.

    Undecodable bytes show as ``\\xNN`` and control characters (a newline in
    a name) as escapes, so one file always prints as one line.
    """
    text = from_wire(path)
    text = _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def sort_key(path: str) -> tuple[str, ...]:
    """The order manifests are sorted in: component by component.

    This is the order a depth-first walk with sorted directory entries
    produces, so the scan can stream records without holding the library.
    """
    return tuple(path.split("/"))
