"""Opening a file for a metadata parser, with the failure codes probe records use.

The parser wrappers (mediainfo, tags, books) open files here and hand the
parser a file object: libmediainfo can't open names that are not UTF-8,
and our own open gives one errno to map to a stable failure code.

A parser may be given a read budget (``max_read`` bytes): the file object
counts what the parser reads through it, and past the budget either ends
the file (``at_limit="eof"``: the parser finishes with what it has, as on a
truncated file) or raises ``ReadLimitReached`` (``at_limit="raise"``), which
the wrapper turns into an ``ItemFailure`` with ``over_budget``. Seeking is
free: a parser may jump to the end for a trailer, only bytes read count.
libmediainfo's own limit (``File_Partial_End``) applies only when it opens a
file by name itself, which names that are not UTF-8 rule out.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from typing import BinaryIO, Literal

from pipeline.core.errors import ItemFailure

__all__ = ["ReadLimitReached", "open_media", "over_budget", "reason"]


class ReadLimitReached(BaseException):
    """A parser read its whole budget. A BaseException so that parsers which
    catch every Exception to work around damage cannot swallow it and read on."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"read budget of {limit} bytes used up")
        self.limit = limit


class _Budgeted(io.FileIO):
    """A raw file that stops giving bytes once ``limit`` have been read through it."""

    def __init__(self, path: str, limit: int, at_limit: Literal["eof", "raise"]) -> None:
        super().__init__(path, "r", opener=_nonblocking)
        self.limit = limit
        self.left = limit
        self.at_limit = at_limit

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.left <= 0:
            if self.at_limit == "raise":
                raise ReadLimitReached(self.limit)
            return 0
        with memoryview(buffer) as view:
            got = super().readinto(view[: self.left]) or 0
        self.left -= got
        return got

    def readall(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            chunk = bytearray(64 * 1024)
            got = self.readinto(chunk)
            if not got:
                return b"".join(chunks)
            chunks.append(bytes(chunk[:got]))

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return self.readall()
        chunk = bytearray(size)
        got = self.readinto(chunk)
        return bytes(chunk[:got])


def _nonblocking(path: str, flags: int) -> int:
    # O_NONBLOCK: a FIFO put in the file's place since the scan must not hang the
    # worker; for regular files the flag changes nothing.
    return os.open(path, flags | os.O_NONBLOCK)


def open_media(path: str, *, allow_empty: bool = False, max_read: int | None = None,
               at_limit: Literal["eof", "raise"] = "raise") -> BinaryIO:
    """Open a regular file for reading, or raise the matching ItemFailure.

    A zero-byte file is ``empty`` unless ``allow_empty``; ``max_read`` bounds
    the bytes read through the returned object (see the module).
    """
    # open() keeps the name, which mutagen uses to weigh formats by extension.
    try:
        if max_read is None:
            handle: BinaryIO = open(path, "rb", opener=_nonblocking)  # noqa: SIM115
        else:
            handle = io.BufferedReader(_Budgeted(path, max_read, at_limit))
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise ItemFailure("vanished", "the file is gone") from None
        raise ItemFailure("unreadable", reason(exc)) from None
    info = os.fstat(handle.fileno())
    if not stat.S_ISREG(info.st_mode) or (info.st_size == 0 and not allow_empty):
        handle.close()
        if stat.S_ISREG(info.st_mode):
            raise ItemFailure("empty", "the file is empty (0 bytes)")
        raise ItemFailure("unreadable", "not a regular file")
    return handle


def over_budget(limit: int, what: str) -> ItemFailure:
    """The failure for a parser that read ``limit`` bytes without finding ``what``."""
    return ItemFailure("corrupt", f"no {what} in the first {limit / 2**20:g} MiB read "
                                  "(probe.max_read_mib): damaged or unfinished")


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
