"""Carry out one step, and settle a step a dead run left half done.

Contract:

- ``apply(step, op, tmp)`` performs one journaled step whose intent is
  already durable, and returns the line that ends it (``done``, or ``failed``
  with a code for a per-item error). It never replaces an existing file
  (``fsops.place``), copies into ``tmp`` in the destination folder first, and
  for a move across filesystems removes the source only after the copy is
  verified (size and BLAKE2b) and its new name is durable.
- ``settle(op)`` decides from the filesystem how an intent without an
  outcome ended — the journal could not say, the process died — and finishes
  what is safe to finish: a leftover temporary is removed; a move whose copy
  is complete and verified loses its source. It returns ``done`` or
  ``cancelled`` (nothing happened, the step can be done again). At every
  point a file is at its source or at its destination, intact.
- Errors that stop the whole run (the disk is full) raise ``Stop``.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable

from pipeline.core.errors import JforgError
from pipeline.core.fingerprint import fingerprint
from pipeline.core.paths import from_wire
from pipeline.organize import fsops
from pipeline.organize.artwork import ArtworkRefused
from pipeline.organize.journal import Line, Op
from pipeline.organize.steps import Step

__all__ = ["Fetch", "Stop", "apply", "backup_name", "prepare", "settle", "tmp_name"]


class Stop(JforgError):
    """The run can't go on (no space left): the journal is consistent, the next run resumes."""

    exit_code = 1


def tmp_name(dest: str, txn: str, op: int) -> str:
    # Short and hidden whatever the destination's name (a 255-byte name has no
    # room for a suffix); Jellyfin and file managers skip dot files.
    return os.path.join(os.path.dirname(dest), f".jforg-{txn}-{op}.tmp")


def backup_name(dest: str, txn: str, op: int) -> str:
    """Where a file a create replaces is kept (same folder: a rename, hidden), for
    rollback to put back."""
    return os.path.join(os.path.dirname(dest), f".jforg-{txn}-{op}.bak")


def _failed(op: int, code: str, message: str) -> Line:
    return Line("failed", op, code=code, message=message)


def _code(exc: OSError) -> str:
    return {errno.ENOENT: "vanished", errno.EEXIST: "conflict", errno.EACCES: "permission_denied",
            errno.EPERM: "permission_denied", errno.EROFS: "read_only", errno.EXDEV: "cross_device",
            errno.ENAMETOOLONG: "name_too_long", errno.ENOTDIR: "not_a_folder",
            errno.EISDIR: "conflict", errno.ENOTEMPTY: "conflict",
            errno.ESTALE: "changed"}.get(exc.errno or 0, "io_error")


def prepare(step: Step, tmp: str) -> None:
    """Write a created file's bytes to its temporary, not yet synced.

    The batch writes every such temporary, makes them durable with one syncfs
    and only then places them: one flush per batch instead of one per file.
    """
    assert step.content is not None
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(fd, step.content)
    finally:
        os.close(fd)


Fetch = Callable[[str, str], str]  # (url, tmp) -> BLAKE2b of what was written


def apply(step: Step, op: int, tmp: str | None, *, fetch: Fetch | None = None,
          backup: str | None = None) -> Line:
    try:
        return _apply(step, op, tmp, fetch, backup)
    except ArtworkRefused as exc:
        return _failed(op, "artwork_refused", str(exc))
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise Stop(f"{step.dest}: no space left on the destination; nothing was lost. "
                       "Free some space and run jforg organize again to finish") from None
        return _failed(op, _code(exc), f"{exc.strerror or exc}")


def _apply(step: Step, op: int, tmp: str | None, fetch: Fetch | None,
           backup: str | None) -> Line:
    if step.action == "mkdir":
        os.mkdir(step.dest)
        return Line("done", op)
    if step.action == "symlink":
        assert step.target is not None and step.source is not None
        os.lstat(step.source)  # a vanished source is an error, not a dangling link
        os.symlink(step.target, step.dest)
        return Line("done", op)
    if step.action == "hardlink":
        assert step.source is not None
        _check_source(step)
        os.link(step.source, step.dest, follow_symlinks=False)
        return Line("done", op)
    if step.action == "create":
        assert tmp is not None
        content_hash = step.content_hash
        if step.url is not None:
            if fetch is None:
                return _failed(op, "offline", "artwork is not downloaded offline")
            content_hash = fetch(step.url, tmp)
        elif not os.path.exists(tmp):  # not prepared by the batch (a folder was missing then)
            prepare(step, tmp)
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        if step.replace and backup is not None and os.path.lexists(step.dest):
            os.rename(step.dest, backup)  # kept aside: rollback puts it back
        fsops.place(tmp, step.dest)
        return _placed(op, step.dest, content_hash)
    assert step.source is not None
    _check_source(step)
    if step.action == "move" and step.via == "rename":
        fsops.place(step.source, step.dest)
        return Line("done", op)
    assert tmp is not None
    fsops.copy_into(step.source, tmp)
    source_hash = fsops.file_hash(step.source)
    if os.path.getsize(tmp) != os.path.getsize(step.source) or \
            fsops.file_hash(tmp) != source_hash:
        os.unlink(tmp)
        return _failed(op, "copy_mismatch", "the copy differs from the source (it changed "
                                            "while being copied?); the source was kept")
    fsops.place(tmp, step.dest)
    if step.action == "move":
        # The copy's name must be on disk before the original goes.
        fsops.fsync_dir(os.path.dirname(step.dest))
        os.unlink(step.source)
    return _placed(op, step.dest, source_hash)


def _placed(op: int, dest: str, content_hash: str | None) -> Line:
    """``done`` for a file this step wrote: what rollback checks before removing it."""
    return Line("done", op, fingerprint=fingerprint(dest), hash=content_hash,
                mtime_ns=os.lstat(dest).st_mtime_ns)


def _check_source(step: Step) -> None:
    """The source is still the file the plan saw (else: an error for this item)."""
    assert step.source is not None
    st = os.lstat(step.source)
    if step.ino is not None and \
            (st.st_ino, st.st_size, st.st_mtime_ns) != (step.ino, step.size, step.mtime_ns):
        raise OSError(errno.ESTALE, "the source changed since the plan was made; re-plan",
                      step.source)


def settle(op: Op, txn: str) -> Line:
    """How an in-flight intent ended (see the module contract)."""
    intent = op.intent
    dest = from_wire(intent.dest or "")
    source = from_wire(intent.source) if intent.source is not None else None
    tmp = from_wire(intent.tmp) if intent.tmp is not None else None
    if tmp is not None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # a copy that was not yet in place: the source still has it all
    number = intent.op
    if intent.action == "mkdir":
        return Line("done" if os.path.isdir(dest) else "cancelled", number)
    if intent.backup is not None and not os.path.lexists(dest):
        with contextlib.suppress(FileNotFoundError):  # set aside, never replaced: undo that
            os.rename(from_wire(intent.backup), dest)
    if not os.path.lexists(dest):
        return Line("cancelled", number)
    if intent.action == "symlink":
        ours = os.path.islink(dest) and os.readlink(dest) == intent.target
        return Line("done" if ours else "cancelled", number)
    if intent.action == "create":
        # Checked free (or set aside) before the intent and placed without replacing:
        # a file there now is ours, unless its bytes say otherwise.
        ours = intent.hash is None or fsops.file_hash(dest) == intent.hash
        if ours:
            return _placed(number, dest, intent.hash)
        return Line("cancelled", number)
    assert source is not None
    if intent.action == "hardlink":
        return Line("done" if fsops.same_file(source, dest) else "cancelled", number)
    source_there = os.path.lexists(source)
    if intent.action == "move" and intent.via == "rename":
        if not source_there:
            moved = intent.ino is None or os.lstat(dest).st_ino == intent.ino
            return Line("done" if moved else "cancelled", number)
        if fsops.same_file(source, dest):  # place()'s link fallback stopped halfway
            os.unlink(source)
            return Line("done", number)
        return Line("cancelled", number)  # the destination is someone else's file
    # A copy (or a move by copy): ours if it holds exactly the source's bytes.
    if not source_there:
        return _placed(number, dest, None)
    if os.path.getsize(dest) == os.path.getsize(source) and \
            fsops.file_hash(dest) == fsops.file_hash(source):
        if intent.action == "move":
            fsops.fsync_dir(os.path.dirname(dest))
            os.unlink(source)
        return _placed(number, dest, None)
    return Line("cancelled", number)
