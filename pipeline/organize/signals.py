"""Ctrl-C and SIGTERM during organize and rollback: finish the step, then stop.

Raising KeyboardInterrupt between two system calls of one step (after a copy,
before the source is removed) would leave the step for recovery to settle;
a flag checked between steps lets the step end and its outcome be journaled.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

__all__ = ["Deferred"]


class Deferred:
    """``with Deferred() as signals: ... if signals.requested: stop cleanly``."""

    def __init__(self) -> None:
        self.requested = False
        self._saved: dict[int, Any] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.requested = True

    def __enter__(self) -> Deferred:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._saved[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._saved.items():
            signal.signal(sig, handler)
