"""The live children of a process, from /proc (Linux), for tests of process clean-up."""

from __future__ import annotations

from pathlib import Path

__all__ = ["children_of"]


def children_of(pid: int) -> list[int]:
    """Pids whose parent is ``pid`` (zombies included: not yet reaped is not cleaned up)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone while we looked
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found
