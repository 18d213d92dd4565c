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
from collections.abc import Callable, Iterable, Iterator
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


def _loky(fn: Callable[[T], R], batches: Iterable[T], workers: int) -> Iterator[R]:
    from joblib import Parallel, delayed

    # One task per batch (the caller already batches by >= 64 files), and at
    # most two tasks queued per worker so results stream back in order.
    parallel = Parallel(n_jobs=workers, backend="loky", return_as="generator",
                        batch_size=1, pre_dispatch="2*n_jobs")
    try:
        yield from parallel(delayed(fn)(batch) for batch in batches)
    except BaseException:
        _kill_loky_workers()
        raise


def _kill_loky_workers() -> None:
    # joblib restarts a fresh pool after an abort so the next call is fast;
    # a stage that is being interrupted wants no worker left at all.
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=False, kill_workers=True)


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
