"""Where a library's manifests live, and the lock that keeps runs apart.

The work folder is ``--work DIR``, else ``$JFORG_WORK``, else one folder
per library under the user's state dir (``$XDG_STATE_HOME/jforg``). Stages
that take no library (``probe``, ``report``…) use the folder of the most
recent scan, which the state dir remembers in ``last-work``.

The lock is an ``flock`` on ``WORK/.jforg.lock``: the kernel drops it when
its holder dies, however it dies, so a lock left by a killed run is simply
taken over; the pid written inside only serves the messages.

Temporaries in the work folder are named ``.<file>.<pid>.tmp`` (manifests,
reports) and ``.scan.part-<pid>-<n>`` (scan's parts); checkpoints are
``<stage>.partial.<pid>-<hex>.jsonl``. Whoever holds the lock is the only
run writing here, so on taking it every temporary is a leftover of a run
that died, and so is a checkpoint older than its stage's finished manifest:
both are removed. Nothing else is: the work folder may be shared with files
that are not jforg's.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from pipeline.core.digest import sha256_hex
from pipeline.core.errors import LockedError, UsageError

__all__ = ["CHECKPOINT_INFIX", "WorkLock", "remember_work", "resolve_work", "state_dir",
           "sweep_leftovers"]

LOCK_NAME = ".jforg.lock"
CHECKPOINT_INFIX = ".partial."
_TEMPORARY = re.compile(r"\..+\.\d+\.tmp|\.scan\.part-\d+-\d+")
_CHECKPOINT = re.compile(r"([a-z]+)\.partial\.\d+-[0-9a-f]+\.jsonl")


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "jforg"


def resolve_work(
    work: str | None, libraries: Sequence[str] = (), environ: Mapping[str, str] | None = None
) -> Path:
    """Pick the work folder by the precedence in the module docstring."""
    env = os.environ if environ is None else environ
    if work:
        return Path(work).absolute()
    if env.get("JFORG_WORK"):
        return Path(env["JFORG_WORK"]).absolute()
    state = state_dir(env)
    if libraries:
        roots = sorted(os.path.abspath(lib) for lib in libraries)
        digest = sha256_hex("\0".join(roots).encode("utf-8", "surrogateescape"))
        name = os.path.basename(roots[0].rstrip("/")) or "root"
        return state / f"{name}-{digest[:10]}"
    last = state / "last-work"
    if last.is_file():
        return Path(last.read_text(encoding="utf-8", errors="surrogateescape").strip())
    raise UsageError(
        "no work folder: pass --work DIR, set JFORG_WORK, or run `jforg scan LIB` first"
    )


def remember_work(work: Path, environ: Mapping[str, str] | None = None) -> None:
    """Record ``work`` as the folder later stages use by default."""
    state = state_dir(environ)
    state.mkdir(parents=True, exist_ok=True)
    tmp = state / f".last-work.{os.getpid()}"
    tmp.write_text(str(work) + "\n", encoding="utf-8", errors="surrogateescape")
    tmp.replace(state / "last-work")


class WorkLock:
    """Exclusive lock on a work folder for one run (context manager).

    ``stale_owner`` is set when the lock file still named a process that had
    died without releasing it (the kernel had already dropped its lock).
    """

    def __init__(self, work: Path) -> None:
        self.path = work / LOCK_NAME
        self.stale_owner: str | None = None
        self.swept: list[str] = []  # names of leftovers removed on taking the lock
        self._fd: int | None = None

    def __enter__(self) -> WorkLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = _read_owner(fd)
            os.close(fd)
            raise LockedError(
                f"{self.path.parent}: another jforg run holds this work folder"
                f"{f' ({owner})' if owner else ''}; wait for it to finish or stop it"
            ) from None
        previous = _read_owner(fd)
        if previous:
            self.stale_owner = previous
        os.ftruncate(fd, 0)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
        os.pwrite(fd, f"pid {os.getpid()} on {os.uname().nodename} since {stamp}".encode(), 0)
        self._fd = fd
        self.swept = sweep_leftovers(self.path.parent)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        # Empty the file before unlocking: a non-empty lock file that we can
        # lock means its writer died, which is how stale locks are told apart.
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _read_owner(fd: int) -> str:
    return os.pread(fd, 512, 0).decode("utf-8", "replace").strip()


def sweep_leftovers(work: Path) -> list[str]:
    """Remove what dead runs left in ``work`` (see the module docstring); their names.

    Only call while holding the lock: a live run's temporaries look the same.
    """
    removed: list[str] = []
    entries: list[os.DirEntry[str]] = []
    for folder in (work, work / "journal"):  # organize writes its journals aside first
        try:
            entries += [e for e in os.scandir(folder) if e.path != str(work / "journal")]
        except OSError:
            continue
    for entry in entries:
        name = entry.name
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if _TEMPORARY.fullmatch(name):
                stale = True
                name = os.path.relpath(entry.path, work)
            elif (checkpoint := _CHECKPOINT.fullmatch(name)) is not None:
                finished = work / f"{checkpoint.group(1)}.jsonl"
                stale = (finished.is_file()
                         and finished.stat().st_mtime_ns >= entry.stat().st_mtime_ns)
            else:
                stale = False
            if stale:
                os.unlink(entry.path)
                removed.append(name)
        except FileNotFoundError:
            continue
    return removed
