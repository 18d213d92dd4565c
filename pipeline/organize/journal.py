"""The write-ahead journal: one JSON Lines file per transaction in ``WORK/journal/``.

Contract:

- ``<txn>.jsonl`` starts with a ``header`` line (transaction id, plan and
  probe hashes, mode, destination). Every filesystem change is an ``intent``
  line (what will happen, with the source's identity: device, inode, size,
  mtime) that is on disk — written and fsynced — *before* the change, and a
  ``done`` line after the change is durable. Lines are only ever appended.
- Transaction ids sort by time and end in a random part
  (``20261202T031500-123456Z-9f3a1c``), so ``--last`` and ``--list`` need no index.
- ``load(path)`` replays the lines into a ``Transaction``: each op's latest
  state, and the transaction's state: ``open`` (intents may be in flight),
  ``committed``, ``interrupted`` (stopped, nothing in flight), ``rolled back``.
  A torn last line (the process died mid-write) is ignored: its intent was
  not yet durable, so its change was never started.
- ``peek(path)`` gives the header and that same state from the first line and
  the file's tail only: the state is decided by the last intent or terminal
  line, so organize and rollback need not replay every past transaction to
  find the unfinished ones.
- The file and its folder are fsynced when the transaction is created, so a
  crash can't lose the journal while leaving its changes.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Literal

import msgspec

from pipeline.organize.fsops import fsync_dir

__all__ = ["JOURNAL_SCHEMA", "Header", "Journal", "Line", "Op", "Transaction", "load",
           "new_txn_id", "peek", "transactions"]

JOURNAL_SCHEMA = "jforg.journal/1"
FOLDER = "journal"

OpAction = Literal["mkdir", "move", "copy", "hardlink", "symlink", "create"]
LineType = Literal["header", "intent", "placed", "done", "failed", "cancelled", "undo",
                   "undone", "kept", "commit", "interrupted", "rolled-back"]
TxnState = Literal["open", "committed", "interrupted", "rolled back"]


class Header(msgspec.Struct, frozen=True, omit_defaults=True):
    journal: str
    txn: str
    created: str
    tool: str
    plan: str  # sha256 of the plan.jsonl applied
    mode: str
    dest: str  # wire form
    probe: str | None = None
    absolute_links: bool = False


class Line(msgspec.Struct, frozen=True, omit_defaults=True):
    """Every line but the header; ``type`` says which, ``op`` which operation."""

    type: LineType
    op: int = -1
    action: OpAction | None = None
    entry: int | None = None  # the plan entry's index (its line number minus 2)
    source: str | None = None  # wire form
    dest: str | None = None  # wire form
    tmp: str | None = None  # a copy's temporary name in the destination folder
    via: str | None = None  # rename or copy (a move), the copy method used
    target: str | None = None  # a symlink's target text
    url: str | None = None  # a created image: where it was downloaded from
    backup: str | None = None  # a replaced file's hidden copy (--overwrite-nfo/-artwork)
    dev: int | None = None  # the source's identity when the intent was written
    ino: int | None = None
    size: int | None = None
    mtime_ns: int | None = None
    hash: str | None = None  # BLAKE2b of what was placed (copies and created files)
    fingerprint: str | None = None  # core.fingerprint of the placed file
    code: str | None = None
    message: str | None = None


class Op(msgspec.Struct):
    """One operation and the latest thing the journal says about it."""

    intent: Line
    state: LineType = "intent"
    last: Line | None = None  # the line that set ``state``

    @property
    def number(self) -> int:
        return self.intent.op


class Transaction(msgspec.Struct):
    path: Path
    header: Header
    ops: list[Op]
    state: TxnState
    torn: bool = False  # the last line was cut short

    @property
    def id(self) -> str:
        return self.header.txn

    def in_flight(self) -> list[Op]:
        """Intents whose outcome the journal does not know (the filesystem must tell)."""
        return [op for op in self.ops if op.state in ("intent", "placed", "undo")]

    def next_entry(self) -> int:
        """The first plan entry no op of this transaction was started for."""
        return max((op.intent.entry for op in self.ops if op.intent.entry is not None),
                   default=-1) + 1


def new_txn_id(now: _dt.datetime | None = None) -> str:
    # Microseconds keep two runs of one second in order; the random part keeps
    # two machines writing to one work folder apart.
    stamp = (now or _dt.datetime.now(_dt.UTC)).strftime("%Y%m%dT%H%M%S-%fZ")
    return f"{stamp}-{os.urandom(3).hex()}"


_encoder = msgspec.json.Encoder()
_line_decoder = msgspec.json.Decoder(Line)
_header_decoder = msgspec.json.Decoder(Header)


class Journal:
    """Append-only writer of one transaction; ``sync()`` makes what was appended durable."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._buffer: list[bytes] = []

    @classmethod
    def create(cls, work: Path, header: Header) -> Journal:
        """A new journal holding its header: written aside, fsynced, then renamed into
        place, so a journal file never exists without one."""
        folder = work / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{header.txn}.jsonl"
        tmp = folder / f".{path.name}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, _encoder.encode(header) + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        fsync_dir(str(folder))  # the journal's name must survive a crash too
        return cls(path)

    def append(self, line: Line) -> None:
        self.append_raw(_encoder.encode(line))

    def append_raw(self, data: bytes) -> None:
        self._buffer.append(data + b"\n")

    def sync(self) -> None:
        """Write what was appended and fsync it: after this, those lines survive a crash."""
        if self._buffer:
            data = b"".join(self._buffer)
            self._buffer.clear()
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            try:
                self.sync()
            finally:
                os.close(self._fd)
                self._fd = -1

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()



_TERMINAL: dict[str, TxnState] = {"commit": "committed", "interrupted": "interrupted",
                                  "rolled-back": "rolled back"}


def load(path: Path) -> Transaction:
    """Replay one journal file (see the module contract)."""
    with open(path, "rb") as handle:
        raw = handle.read()
    lines = raw.split(b"\n")
    torn = bool(lines and lines[-1])  # no final newline: the last write was cut short
    if torn:
        lines = lines[:-1]
    if not lines or not lines[0]:
        raise ValueError(f"{path}: empty journal")
    header = _header_decoder.decode(lines[0])
    if header.journal != JOURNAL_SCHEMA:
        raise ValueError(f"{path}: journal schema {header.journal!r} is not {JOURNAL_SCHEMA!r}")
    ops: dict[int, Op] = {}
    state: TxnState = "open"
    for data in lines[1:]:
        if not data:
            continue
        line = _line_decoder.decode(data)
        if line.type == "intent":
            ops[line.op] = Op(line)
            state = "open"
        elif line.type in _TERMINAL:
            state = _TERMINAL[line.type]
        elif line.op in ops:
            ops[line.op].state = line.type
            ops[line.op].last = line
    return Transaction(path, header, sorted(ops.values(), key=lambda o: o.number), state, torn)


_TAIL = 1 << 16


def peek(path: Path) -> tuple[Header, TxnState]:
    """The header and state ``load`` would give, from the first line and the tail."""
    with open(path, "rb") as handle:
        first = handle.readline()
        if not first.endswith(b"\n") or not first.strip():
            raise ValueError(f"{path}: empty journal")
        header = _header_decoder.decode(first)
        if header.journal != JOURNAL_SCHEMA:
            raise ValueError(f"{path}: journal schema {header.journal!r} is not "
                             f"{JOURNAL_SCHEMA!r}")
        body = handle.tell()
        start = max(body, os.fstat(handle.fileno()).st_size - _TAIL)
        handle.seek(start)
        lines = handle.read().split(b"\n")
    lines.pop()  # after the last newline: nothing, or a torn line ``load`` ignores too
    if start > body:
        lines = lines[1:]  # the tail may begin inside a line
    for data in reversed(lines):
        if not data:
            continue
        line = _line_decoder.decode(data)
        if line.type == "intent":
            return header, "open"
        if line.type in _TERMINAL:
            return header, _TERMINAL[line.type]
    return header, load(path).state if start > body else "open"


def transactions(work: Path) -> Iterator[Path]:
    """Journal files of ``work``, oldest first (ids sort by time)."""
    folder = work / FOLDER
    if not folder.is_dir():
        return iter(())
    return iter(sorted(p for p in folder.iterdir() if p.suffix == ".jsonl" and p.is_file()))
