"""Progress of a long stage: a live bar on a terminal, plain lines in logs.

On a terminal (stderr is a TTY) rich draws a transient status line. Under
cron, or when output goes to a file, one plain line is printed every
``interval`` seconds, so logs show that the run is alive without flooding.
rich is imported only in the terminal case: it costs ~40 ms of start-up.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any

from pipeline.core.streams import Output

__all__ = ["Progress", "human_bytes"]


def human_bytes(count: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(count) < 1024 or unit == "TiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} PiB"  # pragma: no cover - loop always returns


class Progress:
    """``with Progress("scan") as p: p.update(files=n, bytes=b)``."""

    def __init__(
        self,
        label: str,
        *,
        stream: Output | None = None,
        interval: float = 10.0,
        live: bool | None = None,
    ) -> None:
        self.label = label
        self.stream: Output = stream if stream is not None else sys.stderr
        self.interval = interval
        self.live = self.stream.isatty() if live is None else live
        self._start = time.monotonic()
        self._next = self._start + interval
        self._status: Any = None

    def __enter__(self) -> Progress:
        if self.live:
            from rich.console import Console

            console = Console(file=self.stream)  # type: ignore[arg-type]
            self._status = console.status(f"{self.label}…")
            self._status.start()
        return self

    def update(self, files: int, size: int | None = None, note: str = "") -> None:
        """Cheap to call often: only every ``interval`` seconds prints a line."""
        now = time.monotonic()
        if self._status is not None:
            self._status.update(f"{self.label}: {self._text(files, size, now, note)}")
            return
        if now >= self._next:
            self._next = now + self.interval
            print(f"{self.label}: {self._text(files, size, now, note)}", file=self.stream,
                  flush=True)

    def _text(self, files: int, size: int | None, now: float, note: str) -> str:
        amount = f", {human_bytes(size)}" if size is not None else ""
        text = f"{files} files{amount}, {now - self._start:.0f} s"
        return f"{text} ({note})" if note else text

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._status is not None:
            self._status.stop()
