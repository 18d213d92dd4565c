"""Forked walkers: run ``work(slot, i)`` for ``i`` in ``range(count)`` in child processes.

Why not ``multiprocessing.Pool``: importing it and starting its threads cost
about 30 ms of CPU per scan (the whole start-up of ``jforg scan`` is meant to
take 100 ms), tasks and results went through pickle, and a worker killed from
outside (the OOM killer) left ``imap`` waiting for ever. Here:

- every task is in the children's memory already: they are forked after the
  caller built the task list, so only indexes travel;
- one pipe holds all indexes, written before the first fork; each child takes
  the next one with a 4-byte read (the kernel hands the bytes of one read to
  one reader), so a child that finishes early simply takes more tasks;
- each child answers on its own pipe with ``index, length, payload``; the
  parent yields the payloads in index order as they become available;
- a child that dies without answering is an error naming its signal or exit
  status, never a hang; Ctrl-C or SIGTERM in the parent kills the children.

Linux and other POSIX systems only (``os.fork``).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import struct
from collections.abc import Callable, Generator, Iterator

__all__ = ["MAX_TASKS", "WalkerFailed", "run_forked"]

# The index pipe is filled before any child exists, so it must hold every
# index without blocking: 4 bytes each in the one page every pipe holds, even
# one made when the user's pipe buffers are over their limit.
MAX_TASKS = select.PIPE_BUF // 4
_HEADER = struct.Struct("=II")  # task index, payload length
_FAILED = 0xFFFFFFFF  # index of a message that carries a child's traceback
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class WalkerFailed(RuntimeError):
    """A child raised, or died before answering every task it took."""


def run_forked(count: int, work: Callable[[int, int], bytes], jobs: int
               ) -> Generator[tuple[int, int, bytes], None, None]:
    """Yield ``(index, slot, work(slot, index))`` for every index, in index order.

    ``slot`` (0 … children - 1) names the child that did the task, so a task
    can write to a file of its child's own. ``work`` must not touch the
    caller's open files or threads: it runs in a forked copy of this process.
    """
    if not 0 < count <= MAX_TASKS:
        raise ValueError(f"run_forked takes 1 to {MAX_TASKS} tasks, not {count}")
    children = max(1, min(jobs, count))
    task_read, task_write = os.pipe()
    try:
        os.write(task_write, b"".join(struct.pack("=I", i) for i in range(count)))
    finally:
        os.close(task_write)  # the children see end-of-file once the indexes run out
    pids: dict[int, int] = {}  # result pipe -> child pid
    slots: dict[int, int] = {}  # result pipe -> slot
    finished = False
    try:
        for slot in range(children):
            _fork(slot, work, task_read, pids, slots)
        os.close(task_read)
        task_read = -1
        yield from _collect(count, pids, slots)
        finished = True
    finally:
        if task_read >= 0:
            os.close(task_read)
        _reap(pids, kill=not finished)


def _fork(slot: int, work: Callable[[int, int], bytes], tasks: int, pids: dict[int, int],
          slots: dict[int, int]) -> None:
    """Start the child of ``slot``; record it in ``pids`` before any signal can land."""
    result_read, result_write = os.pipe()
    # A Ctrl-C between the fork and the bookkeeping would leave a child that
    # nobody kills: the signals wait until the child is in ``pids``.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        try:
            pid = os.fork()
        except OSError:
            os.close(result_read)
            os.close(result_write)
            raise
        if pid == 0:  # pragma: no cover - the child: coverage can't follow a fork
            _child(slot, work, tasks, result_write, [*pids, result_read], mask)
        os.close(result_write)
        pids[result_read] = pid
        slots[result_read] = slot
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _child(slot: int, work: Callable[[int, int], bytes], tasks: int, out: int,
           inherited: list[int], mask: set[int | signal.Signals]) -> None:  # pragma: no cover
    code = 0
    try:
        # Ctrl-C reaches the whole process group: only the parent reacts, then
        # kills the children; SIGTERM must simply end a child.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for fd in inherited:
            os.close(fd)
        while len(raw := os.read(tasks, 4)) == 4:
            index = struct.unpack("=I", raw)[0]
            _send(out, index, work(slot, index))
    except BaseException:
        code = 1
        with contextlib.suppress(BaseException):
            import traceback

            _send(out, _FAILED, traceback.format_exc().encode("utf-8", "replace"))
    finally:
        # Never return into the parent's code (or flush its stdio buffers twice).
        os._exit(code)


def _send(fd: int, index: int, payload: bytes) -> None:
    view = memoryview(_HEADER.pack(index, len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


def _collect(count: int, pids: dict[int, int], slots: dict[int, int]
             ) -> Iterator[tuple[int, int, bytes]]:
    buffers = dict.fromkeys(pids, b"")
    done: dict[int, tuple[int, bytes]] = {}
    open_fds = list(pids)
    next_index = 0
    while next_index < count:
        if next_index in done:
            slot, payload = done.pop(next_index)
            yield next_index, slot, payload
            next_index += 1
            continue
        if not open_fds:  # every child has exited, and some task has no answer
            raise WalkerFailed(f"a walker process died before finishing its task "
                               f"({_statuses(pids)})")
        readable, _, _ = select.select(open_fds, [], [])
        for fd in readable:
            data = os.read(fd, 1 << 16)
            if not data:
                open_fds.remove(fd)
                continue
            buffer = buffers[fd] + data
            while len(buffer) >= _HEADER.size:
                index, length = _HEADER.unpack_from(buffer)
                end = _HEADER.size + length
                if len(buffer) < end:
                    break
                payload, buffer = buffer[_HEADER.size:end], buffer[end:]
                if index == _FAILED:
                    raise _failure(payload.decode("utf-8", "replace"))
                done[index] = (slots[fd], payload)
            buffers[fd] = buffer


def _failure(child_traceback: str) -> WalkerFailed:
    # One line for the message (the exception), the child's traceback as a
    # note, which --debug shows with the parent's.
    lines = [line for line in child_traceback.splitlines() if line.strip()]
    error = WalkerFailed(f"a walker process failed: {lines[-1] if lines else 'no traceback'}")
    error.add_note(f"in the walker process:\n{child_traceback}")
    return error


def _statuses(pids: dict[int, int]) -> str:
    """How the children ended (they all have: their pipes are closed); reaps them."""
    found = []
    for fd, pid in list(pids.items()):
        _, status = os.waitpid(pid, 0)
        del pids[fd]
        os.close(fd)
        if os.WIFSIGNALED(status):
            found.append(f"killed by {signal.Signals(os.WTERMSIG(status)).name}")
        elif os.WIFEXITED(status) and os.WEXITSTATUS(status):
            found.append(f"exit status {os.WEXITSTATUS(status)}")
    return ", ".join(found) or "no status"


def _reap(pids: dict[int, int], *, kill: bool) -> None:
    """Wait for every child not reaped yet (after SIGKILL when ``kill``)."""
    for fd, pid in pids.items():
        if kill:
            os.kill(pid, signal.SIGKILL)  # not reaped yet, so the pid is still ours
        os.waitpid(pid, 0)
        os.close(fd)
    pids.clear()
