"""Opening a file for a metadata parser, with the failure codes probe records use.

The parser wrappers (mediainfo, tags, books) open files here and hand the
parser a file object: libmediainfo can't open names that are not UTF-8,
and our own open gives one errno to map to a stable failure code.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

from pipeline.core.errors import ItemFailure

__all__ = ["open_media", "reason"]


def open_media(path: str) -> BinaryIO:
    """Open a regular, non-empty file for reading, or raise the matching ItemFailure."""
    # O_NONBLOCK: a FIFO put in the file's place since the scan must not hang the
    # worker; for regular files the flag changes nothing. open() keeps the name,
    # which mutagen uses to weigh formats by extension.
    try:
        handle = open(path, "rb", opener=lambda p, f: os.open(p, f | os.O_NONBLOCK))  # noqa: SIM115
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise ItemFailure("vanished", "the file is gone") from None
        raise ItemFailure("unreadable", reason(exc)) from None
    info = os.fstat(handle.fileno())
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0:
        handle.close()
        if stat.S_ISREG(info.st_mode):
            raise ItemFailure("empty", "the file is empty (0 bytes)")
        raise ItemFailure("unreadable", "not a regular file")
    return handle


def reason(exc: BaseException, detail: str | None = None, *, with_type: bool = True) -> str:
    """A one-line reason without the path (the record has it; an undecodable name
    would not survive JSON)."""
    if detail is None:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    if with_type:
        detail = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    else:
        detail = detail or type(exc).__name__
    return detail.encode("utf-8", "backslashreplace").decode()
