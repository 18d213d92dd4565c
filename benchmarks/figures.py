"""The figures of `make bench`: what each benchmark measured, against its goal and the baseline.

A benchmark calls the ``record_figure`` fixture (benchmarks/conftest.py):

    record_figure("scan-vs-find", 1.62, detail="jforg 0.61 s, find 0.38 s")
    record_figure("report 10k records", 0.28, "s")            # a row of its own
    record_figure("any text")                                 # the old form: a note

A name in ``ROWS`` takes its title, unit, goal and direction from there, so
the table of the issue's figures is defined once, in the order it is read,
and a figure nobody measured shows as "not measured" instead of vanishing.
Any other name is a row of its own after those (unit and goal as given).

Every run's figures go into its pytest-benchmark JSON (``jforg.figures``) in
benchmarks/results/; ``ratio baseline`` is this run's value over the value in
the committed benchmarks/results/baseline.json. ``compare`` (make bench-compare)
flags a figure 20 % or more worse than the baseline: for a figure where lower
is better when this / baseline >= 1.2, where higher is better when
baseline / this >= 1.2.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

import msgspec

__all__ = ["RESULTS", "ROWS", "Figure", "Row", "factor_worse", "figures_of", "render_table"]

RESULTS = Path(__file__).resolve().parent / "results"
WORSE = 1.2  # 20 % worse than the baseline is flagged

Better = Literal["lower", "higher"]


class Row(msgspec.Struct, frozen=True):
    """A figure the issue asks for: how it is shown and judged."""

    title: str
    unit: str
    goal: float | None = None
    better: Better = "lower"
    always: bool = True  # False: a row only when measured (a make bench-full figure)


class Figure(msgspec.Struct, frozen=True):
    """One measured figure (``value`` None: a free-text note from the old call form)."""

    name: str
    value: float | None = None
    unit: str = ""
    goal: float | None = None
    better: Better = "lower"
    detail: str = ""


# The table of make bench, in reading order. Keys are what benchmarks pass as name.
ROWS: dict[str, Row] = {
    "scan-vs-find": Row("scan vs find, whole command (60 000 files)", "x", 2.0),
    "scan-startup": Row("scan start-up, empty folder", "s", 0.10),
    "probe-jobs": Row("probe --jobs 2 vs --jobs 1, 1 200 names", "x", 1.75, "higher"),
    "parse-vs-guessit": Row("parse_video vs bare guessit, 2 000 names", "x", 1.1),
    "dead-file-sniff": Row("dead-file sniff, 4 GiB sparse .mkv", "ms", 50.0),
    "rerun-sparse": Row("unchanged re-run / first run, 20 000 sparse files", "%", 3.0),
    "rerun-empty": Row("unchanged re-run / first run, 20 000 empty files", "%", 3.0),
    "enrich-requests-per-movie": Row("enrich TMDB requests per movie work", "req", 2.5),
    "enrich-requests-per-series": Row("enrich TMDB requests per series work", "req"),
    "enrich-rerun-requests": Row("enrich re-run requests", "req", 0.0),
    "enrich-overhead": Row("enrich 10 000 files, rate limits lifted", "s"),
    "enrich-rate-bound": Row("enrich at the default rate limits, at least (arithmetic)", "s"),
    "enrich-full-rate": Row("enrich 10 000 files at the default rate limits", "s",
                            always=False),
    "report-rss-ratio": Row("report peak RSS 100k / 10k records", "x", 2.0),
    "report-100k-time": Row("report 100k records", "s", 10.0),
    "plan-100k-time": Row("plan 100k records", "s", 9.75),  # 1.5x the 6.50 s before read-back
    "plan-100k-rss": Row("plan 100k records, peak RSS", "MiB", 70.0),  # 1.2x 58.4 MiB
    "organize-overhead": Row("organize journal overhead vs bare rename loop", "x", 3.0),
}


def _resolved(figure: Figure) -> Figure:
    row = ROWS.get(figure.name)
    if row is None:
        return figure
    return msgspec.structs.replace(figure, unit=figure.unit or row.unit,
                                   goal=figure.goal if figure.goal is not None else row.goal,
                                   better=row.better)


def _title(name: str) -> str:
    return ROWS[name].title if name in ROWS else name


def _number(value: float, unit: str) -> str:
    if unit in ("x", "%"):
        text = f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
        return f"{text}{unit}" if unit == "x" else f"{text} %"
    if (value == int(value) and abs(value) >= 1) or value == 0:
        text = f"{int(value):,}"
    elif abs(value) >= 100:
        text = f"{value:,.0f}"
    else:
        text = f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"
    return f"{text} {unit}".strip()


def factor_worse(value: float, baseline: float, better: Better) -> float:
    """How many times worse than the baseline (1.0 = the same; < 1 = better)."""
    ours, theirs = (value, baseline) if better == "lower" else (baseline, value)
    if theirs == 0:
        return 1.0 if ours == 0 else math.inf
    return ours / theirs


def _goal(figure: Figure) -> str:
    if figure.goal is None or figure.value is None:
        return ""
    sign = "<=" if figure.better == "lower" else ">="
    met = figure.value <= figure.goal if figure.better == "lower" else figure.value >= figure.goal
    return f"{sign} {_number(figure.goal, figure.unit)} {'met' if met else 'MISSED'}"


def _ratio(figure: Figure, baseline: Mapping[str, Figure]) -> str:
    base = baseline.get(figure.name)
    if figure.value is None or base is None or base.value is None:
        return ""
    if base.value == 0:
        text = "=" if figure.value == 0 else "new > 0"
    else:
        text = f"{figure.value / base.value:.2f}"
    if factor_worse(figure.value, base.value, figure.better) >= WORSE:
        text += " WORSE"
    return text


def render_table(figures: Sequence[Figure], baseline: Mapping[str, Figure]) -> list[str]:
    """The Markdown table (figure, this run, goal, ratio baseline), then the notes."""
    measured: dict[str, Figure] = {}
    notes: list[str] = []
    for figure in figures:
        if figure.value is None:
            notes.append(figure.name)
            continue
        measured[figure.name] = _resolved(figure)
        if figure.detail:
            notes.append(f"{_title(figure.name)}: {figure.detail}")
    rows = [["figure", "this run", "goal", "ratio baseline"]]
    for name in [*ROWS, *(n for n in measured if n not in ROWS)]:
        found = measured.get(name)
        if found is None:
            if ROWS[name].always:
                rows.append([_title(name), "not measured", "", ""])
        else:
            rows.append([_title(name), _number(found.value or 0.0, found.unit),
                         _goal(found), _ratio(found, baseline)])
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
             + " |" for row in rows]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return lines + ([""] + [f"- {note}" for note in notes] if notes else [])


def figures_of(document: Mapping[str, object]) -> list[Figure]:
    """The figures saved in one results JSON (``{"jforg": {"figures": [...]}}``)."""
    jforg = document.get("jforg")
    if not isinstance(jforg, dict):
        return []
    return msgspec.convert(jforg.get("figures", []), list[Figure])


def load_figures(path: Path) -> dict[str, Figure]:
    """name -> figure of a results JSON; empty when there is none."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {f.name: _resolved(f) for f in figures_of(document) if f.value is not None}


def measured(figures: Iterable[Figure]) -> list[Figure]:
    return [_resolved(f) for f in figures if f.value is not None]
