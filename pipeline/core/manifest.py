"""JSON Lines manifests: atomic writes, streaming reads, versioned headers.

Why msgspec: it encodes and decodes typed structs straight to and from
JSON bytes several times faster than the standard ``json`` module (and
faster than orjson once validation into typed records is counted), and it
validates while decoding, so a corrupt or foreign line is an error that
names its line instead of a ``KeyError`` three stages later.

A manifest is written to a temporary file in the same folder, fsynced and
renamed into place: a stage killed at any point leaves the previous
manifest (or none), never half of one.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, TypeVar

import msgspec

from pipeline import __version__
from pipeline.core.errors import ManifestError
from pipeline.core.records import Header

__all__ = ["ManifestWriter", "file_sha256", "read_header", "read_manifest", "write_file_atomic"]

T = TypeVar("T", bound=msgspec.Struct)

_BATCH = 4096


def file_sha256(path: Path) -> str:
    """Hash of a whole input manifest, recorded in the header of its outputs."""
    import hashlib  # here: loading OpenSSL costs every command's start (core.digest)

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ManifestWriter(Generic[T]):
    """Write one manifest atomically: ``with ManifestWriter(...) as w: w.write(r)``.

    On a clean exit the temporary file replaces ``path``; on any exception
    (KeyboardInterrupt included) it is removed and ``path`` is untouched.
    """

    def __init__(self, path: Path, schema: str, inputs: dict[str, str] | None = None, *,
                 dest: str | None = None) -> None:
        self.path = path
        self.schema = schema
        self.inputs = dict(inputs or {})
        self.dest = dest
        self.count = 0
        self._encoder = msgspec.json.Encoder()
        self._pending: list[T] = []
        self._tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self._handle: Any = None

    def __enter__(self) -> ManifestWriter[T]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = open(self._tmp, "wb")
        created = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        header = Header(schema=self.schema, created=created, tool=__version__, inputs=self.inputs,
                        dest=self.dest)
        self._handle.write(self._encoder.encode(header) + b"\n")
        return self

    def write(self, record: T) -> None:
        self._pending.append(record)
        if len(self._pending) >= _BATCH:
            self._flush()

    def write_all(self, records: Iterable[T]) -> None:
        for record in records:
            self.write(record)

    def append_encoded(self, part: Path, count: int) -> None:
        """Append a file of ``count`` already-encoded record lines (a worker's part)."""
        self._flush()
        self._handle.flush()
        with open(part, "rb") as source:
            size = os.fstat(source.fileno()).st_size
            offset = 0
            with contextlib.suppress(OSError):  # not every filesystem can; then copy below
                while offset < size:  # in-kernel copy: the parent never touches the bytes
                    copied = os.copy_file_range(source.fileno(), self._handle.fileno(),
                                                size - offset)
                    if copied == 0:
                        break
                    offset += copied
            if offset < size:
                self._handle.seek(0, os.SEEK_END)
                source.seek(offset)
                # A plain loop: shutil would cost every command its import (bz2, lzma).
                while chunk := source.read(1 << 20):
                    self._handle.write(chunk)
        self._handle.seek(0, os.SEEK_END)
        self.count += count

    def _flush(self) -> None:
        if self._pending:
            self._handle.write(self._encoder.encode_lines(self._pending))
            self.count += len(self._pending)
            self._pending.clear()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self._flush()
            handle, self._handle = self._handle, None
            if exc_type is None:
                handle.flush()
                os.fsync(handle.fileno())
            handle.close()
            if exc_type is None:
                os.replace(self._tmp, self.path)
                _fsync_dir(self.path.parent)
        finally:
            if self._tmp.exists():
                self._tmp.unlink()


def write_file_atomic(path: Path, data: bytes) -> None:
    """``data`` as ``path``, all or nothing: a temporary, fsynced, renamed into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
        _fsync_dir(path.parent)
    finally:
        if tmp.exists():
            tmp.unlink()


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_header(path: Path, schema: str) -> Header:
    """Read and check only the header line of a manifest."""
    with open(path, "rb") as handle:
        return _check_header(path, handle.readline(), schema)


def _check_header(path: Path, line: bytes, schema: str) -> Header:
    if not line.strip():
        raise ManifestError(f"{path}: empty manifest (no header line)")
    try:
        header = msgspec.json.decode(line, type=Header)
    except msgspec.DecodeError as exc:
        raise ManifestError(f"{path}: line 1 is not a jforg manifest header ({exc})") from None
    if header.schema != schema:
        raise ManifestError(
            f"{path}: schema {header.schema!r} is not {schema!r}, the one this jforg "
            f"{__version__} reads; re-run the stage that writes it"
        )
    return header


def read_manifest(path: Path, schema: str, record_type: type[T]) -> tuple[Header, Iterator[T]]:
    """Check the header now, then stream the records one line at a time."""
    if not path.exists():
        raise ManifestError(f"{path}: manifest not found; run the stage that writes it first")
    header = read_header(path, schema)
    return header, _records(path, record_type)


def _records(path: Path, record_type: type[T]) -> Iterator[T]:
    decoder = msgspec.json.Decoder(record_type)
    with open(path, "rb") as handle:
        handle.readline()
        for number, line in enumerate(handle, start=2):
            try:
                yield decoder.decode(line)
            except msgspec.DecodeError as exc:
                raise ManifestError(f"{path}: line {number}: {exc}") from None
