"""Scan's forked walkers: order, load sharing, and failures that never hang."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from pipeline.scan.forked import MAX_TASKS, WalkerFailed, run_forked


def _pid_of(slot: int, index: int) -> bytes:
    return f"{index}:{os.getpid()}".encode()


def test_results_come_back_in_task_order_from_child_processes() -> None:
    results = list(run_forked(40, _pid_of, 3))
    assert [index for index, _, _ in results] == list(range(40))
    assert all(payload.startswith(f"{index}:".encode()) for index, _, payload in results)
    pids = {int(payload.split(b":")[1]) for _, _, payload in results}
    assert os.getpid() not in pids and 1 <= len(pids) <= 3
    assert {slot for _, slot, _ in results} <= {0, 1, 2}


def test_a_child_that_finishes_early_takes_the_remaining_tasks() -> None:
    def slow_first(slot: int, index: int) -> bytes:
        if index == 0:
            time.sleep(1.0)
        return str(os.getpid()).encode()

    results = list(run_forked(30, slow_first, 2))
    first = results[0][2]
    # While one child sleeps on task 0 the other does every other task.
    assert [payload for _, _, payload in results[1:]].count(first) <= 1


def test_an_exception_in_a_child_is_one_line_with_its_traceback_as_a_note() -> None:
    def fail_on_three(slot: int, index: int) -> bytes:
        if index == 3:
            raise ValueError("three is not allowed")
        return b""

    with pytest.raises(WalkerFailed) as info:
        list(run_forked(8, fail_on_three, 2))
    # One line for the user; the child's traceback for --debug.
    assert str(info.value) == "a walker process failed: ValueError: three is not allowed"
    assert "in fail_on_three" in "".join(info.value.__notes__)


def test_a_child_killed_mid_task_is_an_error_not_a_hang() -> None:
    def die_on_five(slot: int, index: int) -> bytes:
        if index == 5:
            os.kill(os.getpid(), signal.SIGKILL)
        return b""

    start = time.monotonic()
    with pytest.raises(WalkerFailed, match="killed by SIGKILL"):
        list(run_forked(10, die_on_five, 2))
    assert time.monotonic() - start < 30


def test_stopping_early_kills_every_child(tmp_path: Path) -> None:
    def note_pid_then_wait(slot: int, index: int) -> bytes:
        (tmp_path / str(os.getpid())).touch()
        if index > 0:
            time.sleep(60)
        return b""

    results = run_forked(4, note_pid_then_wait, 2)
    assert next(results)[0] == 0
    deadline = time.monotonic() + 10
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = [int(p.name) for p in tmp_path.iterdir()]
    results.close()  # as when the consumer is interrupted
    for pid in pids:  # reaped, not only killed: no zombie is left either
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_the_task_count_is_bounded() -> None:
    with pytest.raises(ValueError, match="tasks"):
        list(run_forked(MAX_TASKS + 1, _pid_of, 2))
