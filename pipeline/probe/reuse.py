"""Incremental stages: find a file's earlier record, and checkpoint new ones.

Manifests are sorted (``paths.sort_key``), so earlier records are found by
walking each earlier manifest alongside the new input, a merge join: no
index of the library is ever held in memory.

A checkpoint is an append-only JSON Lines file of records finished by a run
that may yet be interrupted. A torn last line (the process died mid-write)
is ignored. Checkpoints are removed once the stage's manifest is in place.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Generic, TypeVar

import msgspec

from pipeline.core.errors import ManifestError
from pipeline.core.manifest import read_manifest
from pipeline.core.paths import from_wire, sort_key
from pipeline.core.records import Header

__all__ = ["Checkpoint", "EarlierRecords", "checkpoints"]

log = logging.getLogger(__name__)

T = TypeVar("T", bound=msgspec.Struct)


def _key(path: str) -> tuple[str, ...]:
    return sort_key(from_wire(path))


class _Source(Generic[T]):
    """One sorted stream of earlier records with a one-record look-ahead."""

    def __init__(self, records: Iterator[T]) -> None:
        self._records = records
        self._head: T | None = None
        self._head_key: tuple[str, ...] = ()
        self._advance()

    def _advance(self) -> None:
        try:
            self._head = next(self._records)
            self._head_key = _key(self._head.path)  # type: ignore[attr-defined]
        except (StopIteration, ManifestError):
            # A corrupt line ends what can be trusted of this source.
            self._head = None

    def find(self, key: tuple[str, ...]) -> T | None:
        while self._head is not None and self._head_key < key:
            self._advance()
        if self._head is not None and self._head_key == key:
            found = self._head
            self._advance()
            return found
        return None


class EarlierRecords(Generic[T]):
    """Look up records of earlier runs, for input paths asked in sorted order."""

    def __init__(self, paths: list[Path], schema: str, record_type: type[T]) -> None:
        self.sources: list[_Source[T]] = []
        for path in paths:
            try:
                _, records = read_manifest(path, schema, record_type)
            except (ManifestError, OSError) as exc:
                log.info("not reusing %s: %s", path, exc)
                continue
            self.sources.append(_Source(records))

    def find(self, path: str) -> T | None:
        """The newest earlier record of ``path`` (checkpoints before the manifest)."""
        key = _key(path)
        found: T | None = None
        for source in self.sources:
            record = source.find(key)
            if found is None:
                found = record
        return found


def checkpoints(work: Path, prefix: str) -> list[Path]:
    """Checkpoint files of interrupted runs, newest first."""
    found = [p for p in work.glob(f"{prefix}*.jsonl") if p.is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime_ns, reverse=True)


class Checkpoint(Generic[T]):
    """Append records as batches finish; flushed to the OS after every batch."""

    def __init__(self, work: Path, prefix: str, schema: str) -> None:
        self.path = work / f"{prefix}{os.getpid()}-{os.urandom(3).hex()}.jsonl"
        self.schema = schema
        self._encoder = msgspec.json.Encoder()
        self._handle = open(self.path, "ab")  # noqa: SIM115 - closed in close()
        header = Header(schema=schema, created="", tool="checkpoint")
        self._handle.write(self._encoder.encode(header) + b"\n")
        self.written = 0

    def add(self, records: list[T]) -> None:
        if records:
            self._handle.write(self._encoder.encode_lines(records))
            self._handle.flush()
            self.written += len(records)

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> Checkpoint[T]:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
        if self.written == 0:  # nothing worth resuming from
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
