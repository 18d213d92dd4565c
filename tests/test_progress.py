from __future__ import annotations

import io

from pipeline.core.progress import Progress, human_bytes


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_without_a_terminal_progress_prints_plain_lines_at_the_interval() -> None:
    log = io.StringIO()
    with Progress("scan", stream=log, interval=0.0) as progress:
        progress.update(1024, 5 * 1024**3)
        progress.update(2048, 6 * 1024**3)
    lines = log.getvalue().splitlines()
    assert lines[0].startswith("scan: 1024 files, 5.0 GiB, ")
    assert len(lines) == 2 and "\x1b" not in log.getvalue()


def test_a_long_interval_keeps_the_log_quiet() -> None:
    log = io.StringIO()
    with Progress("scan", stream=log, interval=3600) as progress:
        for n in range(10_000):
            progress.update(n)
    assert log.getvalue() == ""


def test_on_a_terminal_progress_is_a_live_status_line() -> None:
    terminal = _Terminal()
    with Progress("scan", stream=terminal) as progress:
        assert progress.live
        progress.update(10, 100)
    assert "scan" in terminal.getvalue()


def test_sizes_read_in_binary_units() -> None:
    assert [human_bytes(n) for n in (0, 1023, 1024, 10 * 1024**4)] == [
        "0 B", "1023 B", "1.0 KiB", "10.0 TiB"]
