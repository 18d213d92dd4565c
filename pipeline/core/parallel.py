"""The one owner of joblib: map a batch function over batches, in order.

``map_batches(fn, batches, ...)`` yields ``fn(batch)`` for each batch in
input order while later batches still run, so a stage can write and
checkpoint results as they come. ``jobs=1`` runs in this process (tests and
debuggers take the same path); otherwise loky process pools, or a Dask
cluster through joblib's dask backend (``backend="dask"``).

The mapped function must be a module-level function of picklable
arguments. Interrupting the consumer (Ctrl-C, SIGTERM) ends the workers:
loky's are killed, none is left running.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from typing import Any, Literal, TypeVar

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
) -> Iterator[R]:
    """Yield ``fn(batch)`` for every batch, in order."""
    if backend == "dask":
        yield from _dask(fn, batches, scheduler, jobs)
        return
    workers = effective_jobs(jobs)
    if workers == 1:
        for batch in batches:
            yield fn(batch)
        return
    yield from _loky(fn, batches, workers)


# Workers never import from the folder jforg was started in: loky starts
# them with ``python -m``, which would put that folder first on sys.path
# (and Python 3.11's ``copy`` module itself tries ``import org``).
_WORKER_ENV = {"PYTHONSAFEPATH": "1"}


def _loky(fn: Callable[[T], R], batches: Iterable[T], workers: int) -> Iterator[R]:
    from joblib.externals.loky import get_reusable_executor

    # loky's resource tracker is started with ``python -c`` and sees only our
    # environment, not the workers' ``env``: it needs the flag here too.
    os.environ.update(_WORKER_ENV)
    executor = get_reusable_executor(max_workers=workers, env=_WORKER_ENV)
    # One task per batch (the caller already batches by >= 64 files), and at
    # most two tasks queued per worker so results stream back in order.
    pending: deque[Future[R]] = deque()
    try:
        for batch in batches:
            pending.append(executor.submit(fn, batch))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
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
