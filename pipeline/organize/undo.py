"""Undo one step a transaction did: put a file back, remove what it created.

Contract:

- ``undo(op, txn)`` reverses one ``done`` step if what is on disk is still
  what the step left there — same inode for renames and links, same size,
  mtime and first/last 64 KiB for copies and created files, same target for
  symlinks — and returns ``undone``. Otherwise nothing is touched and it
  returns ``kept`` with the reason (the user changed, moved or deleted it, or
  the source's name is taken again). Folders are removed only when empty.
- It deletes only files the transaction created: a moved file is moved back
  (renamed, or copied back, verified, then the copy removed), never deleted.
"""

from __future__ import annotations

import contextlib
import errno
import os

from pipeline.core.fingerprint import fingerprint
from pipeline.core.paths import from_wire
from pipeline.organize import fsops
from pipeline.organize.journal import Line, Op

__all__ = ["undo", "undo_tmp"]


def undo_tmp(source: str, txn: str, op: int) -> str:
    return os.path.join(os.path.dirname(source), f".jforg-{txn}-{op}-undo.tmp")


def _kept(op: int, why: str, path: str) -> Line:
    return Line("kept", op, message=why, dest=path)


def _unchanged(path: str, op: Op) -> str | None:
    """Why ``path`` is not what ``op`` left there, or None when it still is."""
    intent, done = op.intent, op.last
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return "missing at the destination (moved or deleted since)"
    if intent.action == "hardlink" or (intent.action == "move" and intent.via == "rename"):
        # A rename or a link keeps the source's inode, size and mtime.
        same = st.st_ino == intent.ino and st.st_size == intent.size and \
            st.st_mtime_ns == intent.mtime_ns
        return None if same or intent.ino is None else "changed since it was organized"
    if intent.action == "symlink":
        ours = os.path.islink(path) and os.readlink(path) == intent.target
        return None if ours else "changed since it was organized"
    recorded = done.fingerprint if done is not None else None
    if recorded is None or fingerprint(path) != recorded or (
            done is not None and done.mtime_ns is not None and st.st_mtime_ns != done.mtime_ns):
        return "changed since it was organized"
    return None


def undo(op: Op, txn: str) -> Line:
    intent = op.intent
    number = intent.op
    dest = from_wire(intent.dest or "")
    if intent.action == "mkdir":
        try:
            os.rmdir(dest)
        except FileNotFoundError:
            pass
        except OSError as exc:
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                return _kept(number, "folder not empty", intent.dest or "")
            raise
        return Line("undone", number)
    why = _unchanged(dest, op)
    if why is not None:
        return _kept(number, why, intent.dest or "")
    if intent.action != "move":
        os.unlink(dest)  # a copy, link or file the transaction made: never the original
        if intent.backup is not None:  # a file the create replaced: back in its place
            with contextlib.suppress(FileNotFoundError):
                fsops.place(from_wire(intent.backup), dest)
        return Line("undone", number)
    source = from_wire(intent.source or "")
    if os.path.lexists(source):
        return _kept(number, "its source path is taken again", intent.source or "")
    os.makedirs(os.path.dirname(source), exist_ok=True)
    if intent.via == "rename":
        fsops.place(dest, source)
        return Line("undone", number)
    tmp = undo_tmp(source, txn, number)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    fsops.copy_into(dest, tmp)
    if fsops.file_hash(tmp) != fsops.file_hash(dest):
        os.unlink(tmp)
        return _kept(number, "could not copy it back intact", intent.dest or "")
    fsops.place(tmp, source)
    fsops.fsync_dir(os.path.dirname(source))
    os.unlink(dest)
    return Line("undone", number)


def settle_undo(op: Op, txn: str) -> Line | None:
    """An undo a dead rollback left in flight: ``undone`` if it finished, else None (redo)."""
    intent = op.intent
    dest = from_wire(intent.dest or "")
    if intent.source is not None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(undo_tmp(from_wire(intent.source), txn, intent.op))
    if intent.action == "mkdir":
        return None if os.path.isdir(dest) else Line("undone", intent.op)
    if intent.backup is not None:
        backup = from_wire(intent.backup)
        if not os.path.lexists(dest):
            with contextlib.suppress(FileNotFoundError):  # ours removed, theirs not yet back
                fsops.place(backup, dest)
            return Line("undone", intent.op)
        if not os.path.lexists(backup):
            return Line("undone", intent.op)  # theirs is back already
    if os.path.lexists(dest):
        source = from_wire(intent.source) if intent.source is not None else None
        if intent.action == "move" and source is not None and os.path.lexists(source) and (
                fsops.same_file(dest, source)  # place()'s link fallback stopped halfway back
                or fsops.file_hash(dest) == fsops.file_hash(source)):  # copied back, verified
            os.unlink(dest)
            return Line("undone", intent.op)
        return None
    if intent.action == "move" and intent.source is not None and \
            not os.path.lexists(from_wire(intent.source)):
        return None  # neither name exists: let undo() report it as missing
    return Line("undone", intent.op)
