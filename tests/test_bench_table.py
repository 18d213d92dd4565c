"""make bench's table and make bench-compare: goals, the baseline, 20 % worse flagged."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec
import pytest

from benchmarks import compare
from benchmarks.figures import ROWS, Figure, factor_worse, load_figures, render_table


@pytest.mark.parametrize(("value", "baseline", "better", "factor"), [
    (1.2, 1.0, "lower", 1.2),
    (0.8, 1.0, "lower", 0.8),
    (1.5, 1.8, "higher", 1.2),
    (2.0, 1.8, "higher", 0.9),
    (0.0, 0.0, "lower", 1.0),
])
def test_how_much_worse_depends_on_which_way_is_better(
        value: float, baseline: float, better: str, factor: float) -> None:
    assert factor_worse(value, baseline, better) == pytest.approx(factor)  # type: ignore[arg-type]


def test_requests_on_a_rerun_that_was_zero_are_flagged_when_they_appear() -> None:
    assert factor_worse(3, 0, "lower") == float("inf")


def test_the_table_has_every_row_of_the_issue_and_says_what_was_not_measured() -> None:
    lines = render_table([Figure("rerun-empty", 0.54, detail="first 246 s, re-run 1.3 s"),
                          Figure("probe-jobs", 1.5), Figure("free text from an old caller")],
                         {"rerun-empty": Figure("rerun-empty", 0.40)})
    header, _, *rows = lines[:2 + sum(r.always for r in ROWS.values())]
    assert [cell.strip() for cell in header.split("|")[1:5]] == [
        "figure", "this run", "goal", "ratio baseline"]
    by_title = {row.split("|")[1].strip(): [c.strip() for c in row.split("|")[2:5]]
                for row in rows}
    assert by_title[ROWS["rerun-empty"].title] == ["0.54 %", "<= 3.00 % met", "1.35 WORSE"]
    assert by_title[ROWS["probe-jobs"].title] == ["1.50x", ">= 1.75x MISSED", ""]
    assert by_title[ROWS["scan-startup"].title][0] == "not measured"
    assert "- free text from an old caller" in lines
    assert f"- {ROWS['rerun-empty'].title}: first 246 s, re-run 1.3 s" in lines


def _results(path: Path, figures: list[Figure], median: float) -> Path:
    path.write_text(json.dumps({
        "machine_info": {"python_version": "3.11"}, "datetime": "2026-12-02",
        "benchmarks": [{"fullname": "benchmarks/test_x.py::test_y",
                        "stats": {"median": median}}],
        "jforg": {"figures": msgspec.to_builtins(figures), "cores": 2}}))
    return path


def test_bench_compare_flags_figures_20_percent_worse_and_exits_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = _results(tmp_path / "baseline.json",
                        [Figure("report-100k-time", 2.0), Figure("probe-jobs", 1.8)], 1.0)
    same = _results(tmp_path / "bench-1.json",
                    [Figure("report-100k-time", 2.1), Figure("probe-jobs", 1.7)], 1.1)
    assert compare.main([str(same), "--baseline", str(baseline)]) == 0
    worse = _results(tmp_path / "bench-2.json",
                     [Figure("report-100k-time", 2.5), Figure("probe-jobs", 1.8)], 1.0)
    assert compare.main([str(worse), "--baseline", str(baseline)]) == 1
    out = capsys.readouterr().out
    assert "report-100k-time" in out and "1 of 3 figures" in out
    assert load_figures(worse)["report-100k-time"].unit == "s"  # from ROWS


def test_bench_compare_picks_the_newest_run_and_needs_a_baseline(tmp_path: Path) -> None:
    for name in ("bench-20261201-030000.json", "bench-20261202-030000.json", "baseline.json"):
        _results(tmp_path / name, [Figure("rerun-empty", 1.0)], 1.0)
    assert compare.latest_result(tmp_path) == tmp_path / "bench-20261202-030000.json"
    assert compare.main([str(tmp_path / "bench-20261202-030000.json"), "--baseline",
                         str(tmp_path / "missing.json")]) == 2
