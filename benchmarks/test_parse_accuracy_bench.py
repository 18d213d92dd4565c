"""Parse accuracy: jforg's ``parse_video`` against plain guessit, per naming table in tests/data/.

Run with `make bench`. A row counts as right when the reading a Jellyfin
user sees (type, title casefolded without punctuation, year, season,
episodes) equals the row's; plain guessit reads the row's relative path the
way a user calls it (``no_user_config``). The timed part is jforg over every
row of every table, once warmed; the figures are the accuracies. Nothing
fails on a figure: `make test` holds the rows themselves.
"""

from __future__ import annotations

import pytest

from benchmarks.conftest import RecordFigure
from pipeline.probe.parse import warm
from tests.naming_tables import (
    VIDEO_TABLES,
    examples,
    expected_reading,
    guessit_reading,
    jforg_reading,
)


@pytest.mark.timeout(600)
def test_parse_accuracy_per_table_against_plain_guessit(
        benchmark, record_figure: RecordFigure) -> None:
    tables = {table.name: [row for row in examples(table) if row.kind in ("movie", "episode")]
              for table in VIDEO_TABLES}
    relpaths = [row.relpath for rows in tables.values() for row in rows]
    warm()
    benchmark.pedantic(lambda: [jforg_reading(relpath) for relpath in relpaths],
                       rounds=3, iterations=1)
    for name, rows in tables.items():
        mine = sum(jforg_reading(row.relpath) == expected_reading(row) for row in rows)
        plain = sum(guessit_reading(row.relpath) == expected_reading(row) for row in rows)
        benchmark.extra_info[name] = {"rows": len(rows), "jforg": mine, "guessit": plain}
        # The goal is plain guessit's accuracy on the same table: never worse.
        record_figure(f"parse accuracy, {name} (plain guessit is the goal)",
                      100 * mine / len(rows), "%", goal=100 * plain / len(rows),
                      better="higher",
                      detail=f"jforg {mine}/{len(rows)}, plain guessit {plain}/{len(rows)}")
