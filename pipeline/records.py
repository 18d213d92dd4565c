"""Typed, frozen, versioned records: one struct per manifest line.

Later stages' records *contain* earlier ones instead of inheriting from
them. Paths inside records are always in wire form (see ``paths``).
A record that could not be produced carries ``error`` instead of data and
still flows through every stage, so the report can count it.

Bump a ``*_SCHEMA`` constant whenever the meaning or shape of its record
changes: readers refuse manifests of another version by name.
"""

from __future__ import annotations

from typing import Literal

import msgspec

__all__ = [
    "FILE_CLASSES",
    "SCAN_SCHEMA",
    "FileClass",
    "Header",
    "ItemError",
    "ScanRecord",
]

SCAN_SCHEMA = "jforg.scan/1"

FileClass = Literal["video", "audio", "book", "subtitle", "image", "nfo", "other", "folder"]
FILE_CLASSES: tuple[str, ...] = ("video", "audio", "book", "subtitle", "image", "nfo", "other")


class Header(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """First line of every manifest."""

    schema: str
    created: str
    tool: str
    inputs: dict[str, str] = {}


class ItemError(msgspec.Struct, frozen=True):
    """Why one item failed: a stable machine code and a human message."""

    code: str
    message: str


class ScanRecord(msgspec.Struct, frozen=True, omit_defaults=True):
    """One file found by the scan (or one folder/file that could not be read).

    ``path`` is absolute; ``root`` is the library root it was found under.
    For error records only ``path``, ``root``, ``cls`` and ``error`` are set.
    """

    path: str
    root: str
    cls: FileClass = msgspec.field(name="class")
    size: int | None = None
    mtime_ns: int | None = None
    inode: int | None = None
    device: int | None = None
    link: bool = False
    error: ItemError | None = None
