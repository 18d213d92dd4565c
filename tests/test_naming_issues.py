"""The report's naming issues: verify over the library roots, grouped by rule, capped."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from pipeline.core.paths import from_wire
from pipeline.plan.verify import ByRule, verify
from pipeline.report import stage as report
from pipeline.runner import write_naming_issues
from pipeline.scan import stage as scan
from tests.conftest import MakeTree
from tests.test_report import _settings

Run = Callable[..., subprocess.CompletedProcess[str]]


def _messy(make_tree: MakeTree, movies: int) -> Path:
    files: dict[str, str | bytes | int] = {f"Movies/Film {i:03d}/Film {i:03d} (2001).mkv": 0
                                for i in range(movies)}
    files["Shows/Lost (2004)/Season 1/Lost (2004) S01E01.mkv"] = 0
    files["Shows/Lost (2004)/Lost (2004) S01E02.mkv"] = 0
    return make_tree(files)


def test_a_rule_broken_many_times_is_one_group_with_a_count_and_20_files(
        make_tree: MakeTree, tmp_path: Path) -> None:
    library = _messy(make_tree, 45)
    work = tmp_path / "work"
    scan.run(work, [str(library)], _settings().scan)
    path, counts = write_naming_issues(work, [str(library)])
    assert counts == [("movie-without-year", 45), ("episode-outside-season", 1),
                      ("mixed-series-root", 1), ("season-folder-name", 1)]
    written = json.loads(path.read_text())
    assert written["schema"] == "jforg.verify/1"
    first = written["rules"][0]
    assert (first["rule"], first["count"], len(first["files"])) == ("movie-without-year", 45, 20)
    shown = [Path(from_wire(f["path"])).name for f in first["files"]]
    assert shown == [f"Film {i:03d}" for i in range(20)]  # the first by path, not by walk
    assert first["files"][0]["fix"] == "rename to Film 000 (2001)"


def test_the_report_shows_the_groups_made_beside_its_scan_only(make_tree: MakeTree,
                                                                tmp_path: Path) -> None:
    from pipeline.probe import stage as probe

    library = _messy(make_tree, 3)
    work = tmp_path / "work"
    scan.run(work, [str(library)], _settings().scan)
    probe.run(work, _settings())
    write_naming_issues(work, [str(library)])
    built, _, _ = report.run(work)
    assert [(g.rule, g.count) for g in built.naming_issues] == [
        ("movie-without-year", 3), ("episode-outside-season", 1), ("mixed-series-root", 1),
        ("season-folder-name", 1)]
    assert "verify.json" in built.inputs
    (library / "Movies" / "new.mkv").touch()
    scan.run(work, [str(library)], _settings().scan)  # a new scan: verify.json is stale
    probe.run(work, _settings())
    again, _, _ = report.run(work)
    assert again.naming_issues == [] and "verify.json" not in again.inputs


def test_grouping_keeps_the_smallest_paths_whatever_the_walk_order(make_tree: MakeTree) -> None:
    library = _messy(make_tree, 30)
    everything = verify(str(library))
    grouped = ByRule(5)
    for violation in reversed(everything):
        grouped.append(violation)
    rule, count, first = grouped.groups()[0]
    assert (rule, count) == ("movie-without-year", 30)
    assert first == [v for v in everything if v.rule == rule][:5]


def test_jforg_run_verifies_the_library_and_the_report_lists_it(make_tree: MakeTree,
                                                                tmp_path: Path,
                                                                run_jforg: Run) -> None:
    library = _messy(make_tree, 2)
    work = tmp_path / "work"
    result = run_jforg("run", str(library), "--work", str(work), "--offline")
    assert result.returncode in (0, 1), result.stderr
    assert "verify: 5 naming issues (movie-without-year 2, episode-outside-season 1," \
        in result.stdout
    assert "naming: movie-without-year" in result.stdout  # the terminal report's findings
    data = json.loads((work / "report.json").read_text())
    first = data["naming_issues"][0]
    assert (first["rule"], first["count"]) == ("movie-without-year", 2)
    assert "Naming issues" in (work / "report.html").read_text()
