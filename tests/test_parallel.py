from __future__ import annotations

import os

import pytest

from pipeline.core.parallel import effective_jobs, map_batches


def square_all(batch: list[int]) -> list[int]:
    return [n * n for n in batch]


def worker_pid(batch: list[int]) -> int:
    return os.getpid()


def fail_on_three(batch: list[int]) -> list[int]:
    if 3 in batch:
        raise ValueError("three is not allowed")
    return batch


BATCHES = [[i, i + 1] for i in range(0, 40, 2)]


def test_one_job_runs_in_this_process_in_order() -> None:
    assert list(map_batches(worker_pid, [[1], [2]], jobs=1)) == [os.getpid()] * 2
    assert list(map_batches(square_all, BATCHES, jobs=1)) == [square_all(b) for b in BATCHES]


def test_process_pools_keep_the_input_order() -> None:
    results = list(map_batches(square_all, BATCHES, jobs=2))
    assert results == [square_all(b) for b in BATCHES]
    pids = set(map_batches(worker_pid, [[i] for i in range(8)], jobs=2))
    assert os.getpid() not in pids


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
