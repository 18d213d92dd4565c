"""`make bench-compare`: the latest `make bench` run against benchmarks/results/baseline.json.

    python -m benchmarks.compare [LATEST.json] [--baseline PATH]

Prints every figure and every pytest-benchmark median found in both files,
with how many times worse the latest is (direction-aware, see figures.py),
and flags those 20 % or more worse. Exits 1 when any is flagged, 2 when a
file is missing. A 2-core machine shared with other work is noisy: read a
flag as "measure again", and compare runs made under similar load (both
files record it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.figures import RESULTS, WORSE, factor_worse, load_figures

__all__ = ["latest_result", "main"]


def latest_result(folder: Path = RESULTS) -> Path | None:
    """The newest results JSON other than the baseline (names sort by time)."""
    runs = sorted(p for p in folder.glob("*.json") if p.name != "baseline.json")
    return runs[-1] if runs else None


def _medians(document: dict[str, Any]) -> dict[str, float]:
    out = {}
    for bench in document.get("benchmarks", []):
        stats = bench.get("stats", {})
        if "median" in stats:
            out[bench["fullname"]] = float(stats["median"])
        elif stats.get("data"):
            out[bench["fullname"]] = statistics.median(stats["data"])
    return out


def _machine(document: dict[str, Any]) -> str:
    info = document.get("machine_info", {})
    jforg = document.get("jforg", {})
    load = jforg.get("load_start") or ["?"]
    cpu = info.get("cpu", {}).get("brand_raw", info.get("processor", "?"))
    return (f"{jforg.get('started', document.get('datetime', '?'))}: {cpu}, "
            f"{jforg.get('cores', '?')} cores, Python {info.get('python_version', '?')}, "
            f"load {load[0]} at the start, wall {jforg.get('wall_s', '?')} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("latest", nargs="?", type=Path, help="a results JSON (default: newest)")
    parser.add_argument("--baseline", type=Path, default=RESULTS / "baseline.json")
    args = parser.parse_args(argv)
    latest = args.latest or latest_result()
    if latest is None or not latest.is_file() or not args.baseline.is_file():
        print(f"bench-compare: need {args.baseline} and a run in {RESULTS} (make bench)",
              file=sys.stderr)
        return 2
    new_doc = json.loads(latest.read_text(encoding="utf-8"))
    old_doc = json.loads(args.baseline.read_text(encoding="utf-8"))
    print(f"baseline {args.baseline.name}: {_machine(old_doc)}")
    print(f"latest   {latest.name}: {_machine(new_doc)}")
    rows: list[tuple[str, str, str, float]] = []
    new_figures, old_figures = load_figures(latest), load_figures(args.baseline)
    for name, figure in new_figures.items():
        base = old_figures.get(name)
        if base is None or figure.value is None or base.value is None:
            continue
        rows.append((name, f"{base.value:g} {figure.unit}", f"{figure.value:g} {figure.unit}",
                     factor_worse(figure.value, base.value, figure.better)))
    new_times, old_times = _medians(new_doc), _medians(old_doc)
    for name in sorted(new_times.keys() & old_times.keys()):
        rows.append((name.removeprefix("benchmarks/"), f"{old_times[name]:.3f} s",
                     f"{new_times[name]:.3f} s",
                     factor_worse(new_times[name], old_times[name], "lower")))
    if not rows:
        print("bench-compare: no figure is in both files")
        return 2
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'baseline':>14}  {'latest':>14}  times worse")
    flagged = 0
    for name, old, new, factor in rows:
        flag = "  <- 20 % or more worse" if factor >= WORSE else ""
        flagged += bool(flag)
        print(f"{name:<{width}}  {old:>14}  {new:>14}  {factor:11.2f}{flag}")
    print(f"bench-compare: {flagged} of {len(rows)} figures 20 % or more worse than the baseline")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
