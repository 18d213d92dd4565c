"""Never worse than plain guessit: on every movie and episode row of every table in tests/data/.

Plain guessit is called the way a user calls it on a path (the relative path
of the row, ``no_user_config``), and judged like jforg on what a Jellyfin
user sees: the type, the title (casefolded, without punctuation), the year,
the season and the episodes. A row plain guessit gets right and jforg gets
wrong fails here, whatever jforg gains elsewhere.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.naming_tables import (
    DATA,
    VIDEO_TABLES,
    Example,
    Reading,
    expected_reading,
    guessit_reading,
    jforg_reading,
    video_rows,
)

ROWS = video_rows()


def _has_video_rows(table: Path) -> bool:
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return any(row.get("kind") in ("movie", "episode") for row in rows)


def test_every_video_table_in_tests_data_is_compared() -> None:
    tables = {path.name for path in DATA.glob("*.tsv") if _has_video_rows(path)}
    assert tables == {table.name for table in VIDEO_TABLES}
    assert len(ROWS) >= 170


@pytest.mark.parametrize(("table", "row"),
                         [pytest.param(table, row, id=f"{table}: {row.note}")
                          for table, row in ROWS])
def test_jforg_gets_right_every_row_plain_guessit_gets_right(table: str, row: Example) -> None:
    want, guess, mine = expected_reading(row), guessit_reading(row.relpath), jforg_reading(
        row.relpath)
    # Rows guessit gets wrong too are judged by jforg's own table test (test_parse).
    assert no_worse(want, guess, mine), f"plain guessit: {guess}; jforg: {mine}"


def no_worse(want: Reading, guess: Reading, mine: Reading) -> bool:
    return mine == want or guess != want


def test_the_comparison_catches_jforg_doing_worse() -> None:
    relpath = "Knives.Out.2019.1080p.WEB-DL.DD5.1.H264-FGT.mkv"
    right = Reading("movie", "knives out", 2019, None, [])
    assert guessit_reading(relpath) == right == jforg_reading(relpath)
    worse = right._replace(title="knives")
    assert not no_worse(right, guessit_reading(relpath), worse)
    assert no_worse(right, worse, worse)  # both wrong: not this test's business
