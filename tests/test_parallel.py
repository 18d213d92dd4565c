from __future__ import annotations

import os
import time

import pytest

from pipeline.core.parallel import effective_jobs, map_batches
from tests.processes import children_of


def square_all(batch: list[int]) -> list[int]:
    return [n * n for n in batch]


def worker_pid(batch: list[int]) -> int:
    return os.getpid()


def fail_on_three(batch: list[int]) -> list[int]:
    if 3 in batch:
        raise ValueError("three is not allowed")
    return batch


BATCHES = [[i, i + 1] for i in range(0, 40, 2)]
WARMED: list[int] = []


def warm_here() -> None:
    WARMED.append(os.getpid())


def who_warmed(batch: list[int]) -> tuple[int, list[int]]:
    return os.getpid(), list(WARMED)


def die_on_three(batch: list[int]) -> list[int]:
    if 3 in batch:
        os.kill(os.getpid(), 9)  # as the OOM killer or a crashing parser library would
    return batch


def sleep_long(batch: list[int]) -> int:
    time.sleep(60)
    return os.getpid()


def test_one_job_runs_in_this_process_in_order() -> None:
    assert list(map_batches(worker_pid, [[1], [2]], jobs=1)) == [os.getpid()] * 2
    assert list(map_batches(square_all, BATCHES, jobs=1)) == [square_all(b) for b in BATCHES]


def test_process_pools_keep_the_input_order() -> None:
    results = list(map_batches(square_all, BATCHES, jobs=2))
    assert results == [square_all(b) for b in BATCHES]
    pids = set(map_batches(worker_pid, [[i] for i in range(8)], jobs=2))
    assert os.getpid() not in pids


def test_workers_start_warm_from_one_warm_up_in_this_process() -> None:
    WARMED.clear()
    results = list(map_batches(who_warmed, [[i] for i in range(8)], jobs=2, warm=warm_here))
    assert [os.getpid()] == WARMED  # warmed once, here, before the workers were forked
    assert all(warmed == [os.getpid()] for _, warmed in results)
    assert os.getpid() not in {pid for pid, _ in results}


def test_an_interrupt_while_waiting_ends_every_worker() -> None:
    import signal

    class Interrupted(Exception):
        pass

    def interrupt(signum: int, frame: object) -> None:
        raise Interrupted  # as Ctrl-C raises KeyboardInterrupt in the waiting stage

    results = map_batches(sleep_long, [[1], [2]], jobs=2)
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        with pytest.raises(Interrupted):
            next(results)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert children_of(os.getpid()) == []  # killed and reaped, long before their 60 s sleep ends


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    from concurrent.futures.process import BrokenProcessPool

    start = time.monotonic()
    with pytest.raises(BrokenProcessPool):
        list(map_batches(die_on_three, BATCHES, jobs=2))
    assert time.monotonic() - start < 30
    assert children_of(os.getpid()) == []


def test_an_exception_in_a_worker_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="three"):
        list(map_batches(fail_on_three, BATCHES, jobs=2))


def test_zero_jobs_means_every_usable_core() -> None:
    assert effective_jobs(0) == len(os.sched_getaffinity(0))
    assert effective_jobs(3) == 3


def test_dask_without_a_scheduler_is_a_usage_error() -> None:
    from pipeline.core.errors import UsageError

    with pytest.raises(UsageError, match="scheduler"):
        list(map_batches(square_all, BATCHES, jobs=2, backend="dask"))


def test_a_dask_cluster_runs_the_same_batches_in_order() -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        results = list(map_batches(square_all, BATCHES, jobs=2, backend="dask",
                                   scheduler=cluster.scheduler_address))
    assert results == [square_all(b) for b in BATCHES]
