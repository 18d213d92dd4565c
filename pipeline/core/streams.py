"""Output streams that a closed reader can't break.

``jforg probe | head -3`` closes the pipe while jforg still has lines to
print. A write then raises ``BrokenPipeError``; raised from a summary line,
it would abort a stage that had nothing left to do but talk. ``PipeSafe``
swallows that one error: output stops, the work goes on, and the exit code
is what it would have been without the pipe. Every other error still raises.
"""

from __future__ import annotations

import errno
import os
from typing import Protocol, TextIO

__all__ = ["Output", "PipeSafe", "silence_broken_stdio"]


class Output(Protocol):
    """What stages print to: ``sys.stdout``, a ``PipeSafe``, or a test's StringIO."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...

    def isatty(self) -> bool: ...


class PipeSafe:
    """A text stream that drops writes once its reader has gone (EPIPE)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self.stream.write(text)
            except OSError as exc:
                self._closed(exc)
        return len(text)

    def write_bytes(self, data: bytes) -> None:
        """Raw bytes (JSON output) through the same guard."""
        if not self.broken:
            try:
                self.stream.flush()
                self.stream.buffer.write(data)
            except OSError as exc:
                self._closed(exc)

    def flush(self) -> None:
        if not self.broken:
            try:
                self.stream.flush()
            except OSError as exc:
                self._closed(exc)

    def isatty(self) -> bool:
        return not self.broken and self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def _closed(self, exc: OSError) -> None:
        if exc.errno != errno.EPIPE:
            raise exc
        self.broken = True


def silence_broken_stdio(*streams: PipeSafe) -> None:
    """Point each broken stream's descriptor at /dev/null.

    The interpreter flushes stdout and stderr at exit; on a closed pipe that
    flush fails and Python prints "Exception ignored ... BrokenPipeError".
    """
    for safe in streams:
        if safe.broken:
            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, safe.stream.fileno())
                os.close(devnull)
            except (OSError, ValueError):
                pass
