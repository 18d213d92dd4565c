from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.core.errors import LockedError, UsageError
from pipeline.core.workdir import LOCK_NAME, WorkLock, remember_work, resolve_work

HOLD_LOCK = """
import sys, time
from pathlib import Path
from pipeline.core.workdir import WorkLock
lock = WorkLock(Path(sys.argv[1])).__enter__()
print("locked", flush=True)
time.sleep(60)
"""


def _hold_lock_in_child(work: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(work)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "locked"
    return child


def test_a_second_holder_is_refused_while_the_first_runs(tmp_path: Path) -> None:
    child = _hold_lock_in_child(tmp_path)
    try:
        with pytest.raises(LockedError, match=f"pid {child.pid}"), WorkLock(tmp_path):
            pass
    finally:
        _end(child)


def _end(child: subprocess.Popen[str]) -> None:
    child.kill()
    child.wait()
    assert child.stdout is not None
    child.stdout.close()


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    child = _hold_lock_in_child(tmp_path)
    os.kill(child.pid, signal.SIGKILL)
    _end(child)
    assert (tmp_path / LOCK_NAME).read_text().startswith(f"pid {child.pid}")
    with WorkLock(tmp_path) as lock:
        assert lock.stale_owner is not None and f"pid {child.pid}" in lock.stale_owner
    assert (tmp_path / LOCK_NAME).read_text() == ""  # released cleanly: not stale next time
    with WorkLock(tmp_path) as again:
        assert again.stale_owner is None


def test_the_work_folder_comes_from_the_flag_then_env_then_the_library(tmp_path: Path) -> None:
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    assert resolve_work(str(tmp_path / "w"), ["/media"], env) == tmp_path / "w"
    assert resolve_work(None, ["/media"], {**env, "JFORG_WORK": str(tmp_path / "e")}) == (
        tmp_path / "e")
    per_lib = resolve_work(None, ["/media/b", "/media/a"], env)
    assert per_lib.parent == tmp_path / "state" / "jforg" and per_lib.name.startswith("a-")
    assert resolve_work(None, ["/media/a", "/media/b"], env) == per_lib
    assert resolve_work(None, ["/other/a"], env) != per_lib


def test_stages_without_a_library_use_the_last_scanned_work_folder(tmp_path: Path) -> None:
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    with pytest.raises(UsageError, match="no work folder"):
        resolve_work(None, [], env)
    remember_work(tmp_path / "w1", env)
    assert resolve_work(None, [], env) == tmp_path / "w1"
