"""The one owner of joblib: map a batch function over batches, in order.

``map_batches(fn, batches, ...)`` yields ``fn(batch)`` for each batch in
input order while later batches still run, so a stage can write and
checkpoint results as they come. ``jobs=1`` runs in this process (tests and
debuggers take the same path); otherwise processes on this machine
(``backend="loky"``), or a Dask cluster through joblib's dask backend
(``backend="dask"``).

Processes on this machine start warm. On Linux they are forked from this
process after ``warm()`` ran here once (guessit's rules, ~0.35 s, built once
instead of once per worker, and no interpreter start or imports in the
workers); elsewhere they are loky's, with ``warm`` as their initializer
(figures: benchmarks/test_probe_bench.py). Forked workers run nothing
from the current folder: they never start a new interpreter, and ``jforg``
took that folder off ``sys.path`` before anything was imported.

The mapped function must be a module-level function of picklable
arguments. Interrupting the consumer (Ctrl-C, SIGTERM) ends the workers:
they are killed, none is left running.
"""

from __future__ import annotations

import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

from pipeline.core.errors import UsageError

__all__ = ["effective_jobs", "map_batches"]

T = TypeVar("T")
R = TypeVar("R")


def effective_jobs(jobs: int) -> int:
    """``jobs`` with 0 meaning every core this process may use."""
    if jobs > 0:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def map_batches(
    fn: Callable[[T], R],
    batches: Iterable[T],
    *,
    jobs: int,
    backend: Literal["loky", "dask"] = "loky",
    scheduler: str | None = None,
    warm: Callable[[], None] | None = None,
) -> Iterator[R]:
    """Yield ``fn(batch)`` for every batch, in order.

    ``warm`` (a module-level function) readies a process for ``fn``: it runs
    once before the first batch in every local worker process, and here
    before forking them. One process (``jobs=1``) and Dask workers leave
    warming to ``fn``.
    """
    if backend == "dask":
        yield from _dask(fn, batches, scheduler, jobs)
        return
    workers = effective_jobs(jobs)
    if workers == 1:
        for batch in batches:
            yield fn(batch)
        return
    if sys.platform.startswith("linux"):
        yield from _forked(fn, batches, workers, warm)
    else:  # pragma: no cover - macOS's system libraries are not fork-safe
        yield from _loky(fn, batches, workers, warm)


def _in_order(submit: Callable[[T], Future[R]], batches: Iterable[T], workers: int
              ) -> Iterator[R]:
    # One task per batch (the caller already batches by >= 64 files), and at
    # most two tasks queued per worker so results stream back in order.
    pending: deque[Future[R]] = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= 2 * workers:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _forked(fn: Callable[[T], R], batches: Iterable[T], workers: int,
            warm: Callable[[], None] | None) -> Iterator[R]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if warm is not None:
        warm()  # here, once: every worker is forked with its result
    # The pool forks all its workers at the first submit, before it starts a thread.
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_forked_worker)
    try:
        yield from _in_order(lambda batch: executor.submit(fn, batch), batches, workers)
    except BaseException:
        _kill(executor)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _forked_worker() -> None:
    # Ctrl-C reaches the whole process group: only the parent reacts, then
    # kills the workers; SIGTERM (the parent's handler raises) must simply end one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A thread of the parent (a live progress line) may have held the lock of
    # sys.stderr at the moment of the fork, and nothing would release it here.
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 - lives as long as the worker
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115


def _kill(executor: ProcessPoolExecutor) -> None:
    """End every worker now: a stage that is being interrupted wants none left."""
    # No public way to reach the workers before Python 3.14 (kill_workers).
    processes = list((executor._processes or {}).values())
    for process in processes:
        process.kill()
    for process in processes:
        process.join()


# Workers never import from the folder jforg was started in: loky starts
# them with ``python -m``, which would put that folder first on sys.path
# (and Python 3.11's ``copy`` module itself tries ``import org``).
_WORKER_ENV = {"PYTHONSAFEPATH": "1"}


def _loky(fn: Callable[[T], R], batches: Iterable[T], workers: int,
          warm: Callable[[], None] | None) -> Iterator[R]:  # pragma: no cover - not Linux
    from joblib.externals.loky import get_reusable_executor

    # loky's resource tracker is started with ``python -c`` and sees only our
    # environment, not the workers' ``env``: it needs the flag here too.
    os.environ.update(_WORKER_ENV)
    executor = get_reusable_executor(max_workers=workers, env=_WORKER_ENV, initializer=warm)
    try:
        yield from _in_order(lambda batch: executor.submit(fn, batch), batches, workers)
    except BaseException:
        # The reusable executor would otherwise keep its workers for the next
        # call; a stage that is being interrupted wants none left at all.
        executor.shutdown(wait=False, kill_workers=True)
        raise


def _dask(fn: Callable[[T], R], batches: Iterable[T], scheduler: str | None,
          jobs: int) -> Iterator[R]:
    try:
        from distributed import Client
        from joblib import Parallel, delayed, parallel_config
    except ImportError:
        raise UsageError("backend dask needs the dask extra: pip install 'jforg[dask]'") from None
    if not scheduler:
        raise UsageError("backend dask needs a scheduler address (--scheduler tcp://host:8786)")
    try:
        client: Any = Client(scheduler, timeout="10s", set_as_default=False)  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise UsageError(f"dask scheduler {scheduler}: cannot connect ({exc})") from None
    try:
        with parallel_config(backend="dask", client=client, wait_for_workers_timeout=30):
            parallel = Parallel(n_jobs=-1 if jobs <= 0 else jobs, return_as="generator",
                                batch_size=1)
            yield from parallel(delayed(fn)(batch) for batch in batches)
    finally:
        client.close()
