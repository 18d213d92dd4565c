"""The report stage: aggregates, the golden report.json, edge cases, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from benchmarks.libgen import make_library
from pipeline.core.errors import ManifestError
from pipeline.core.settings import Settings
from pipeline.probe import stage as probe
from pipeline.report import stage as report
from pipeline.report.model import Report
from pipeline.scan import stage as scan

GOLDEN = Path(__file__).parent / "golden" / "report-seed5-400.json"
Run = Callable[..., subprocess.CompletedProcess[str]]


def _settings() -> Settings:
    base = Settings()
    return msgspec.structs.replace(base, scan=msgspec.structs.replace(base.scan, jobs=1),
                                   probe=msgspec.structs.replace(base.probe, jobs=1))


def _pipeline(work: Path, library: Path) -> Report:
    from pipeline.runner import write_naming_issues

    scan.run(work, [str(library)], _settings().scan)
    probe.run(work, _settings())
    write_naming_issues(work, [str(library)])  # what `jforg run` does before the report
    built, _, _ = report.run(work)
    return built


def _normalised(built: Report, root: Path) -> dict[str, object]:
    data = json.loads(msgspec.json.encode(built).decode().replace(str(root), "<root>"))
    data.pop("created")
    data.pop("inputs")  # hashes of manifests that hold mtimes and inodes
    return data  # type: ignore[no-any-return]


def test_a_fixed_generated_library_gives_the_golden_report(tmp_path: Path) -> None:
    library = tmp_path / "library"
    make_library(library, 400, seed=5, sizes="empty")
    built = _pipeline(tmp_path / "work", library)
    data = _normalised(built, library)
    if os.environ.get("JFORG_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert data == json.loads(GOLDEN.read_text("utf-8"))


def test_the_report_counts_what_the_probe_found(tmp_path: Path) -> None:
    library = tmp_path / "library"
    info = make_library(library, 400, seed=5, sizes="empty")
    built = _pipeline(tmp_path / "work", library)
    assert built.totals.files == 400 - info.hidden
    assert built.kinds["video"].files == info.video
    ident = built.identification
    assert ident.identified + ident.needs_review + ident.unidentified > 0
    assert not built.enriched and built.plan is None
    empty = [g for g in built.errors if g.code == "empty"]
    assert empty and empty[0].stage == "probe"  # zero-byte media are listed, by code
    assert not [g for g in built.duplicates if g.kind == "same content"]  # empties aren't copies
    assert sum(built.extras_by_role.values()) == len(built.extras)


def test_an_empty_library_gives_an_empty_report(tmp_path: Path) -> None:
    library = tmp_path / "empty"
    library.mkdir()
    built = _pipeline(tmp_path / "work", library)
    assert built.totals.files == 0 and built.errors == [] and built.duplicates == []
    assert (tmp_path / "work" / "report.html").stat().st_size > 1000


def test_a_library_of_only_errors_reports_them_grouped(tmp_path: Path) -> None:
    library = tmp_path / "broken"
    library.mkdir()
    for name in ("a.mkv", "b.mkv", "c.srt"):
        os.symlink(library / f"missing-{name}", library / name)
    built = _pipeline(tmp_path / "work", library)
    assert [(g.stage, g.code, g.count) for g in built.errors] == [("scan", "broken_symlink", 3)]
    assert built.identification.identified == 0


def test_without_a_probe_manifest_the_report_says_which_stage_to_run(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=r"probe\.jsonl.*not found"):
        report.build(tmp_path)


def test_duplicates_same_content_and_same_work_are_grouped(tmp_path: Path) -> None:
    library = tmp_path / "library"
    (library / "a").mkdir(parents=True)
    (library / "b").mkdir()
    for rel in ("a/Heat (1995).mkv", "b/Heat.1995.1080p.BluRay.x264-GRP.mkv"):
        (library / rel).write_bytes(b"same bytes" * 100)
    (library / "a/Show.S01E01.mkv").write_bytes(b"x" * 10)
    (library / "a/Show.S01E03.mkv").write_bytes(b"y" * 10)
    built = _pipeline(tmp_path / "work", library)
    kinds = {(g.kind, g.key): len(g.files) for g in built.duplicates}
    assert kinds[("same work", "heat (1995)")] == 2
    assert [k for k in kinds if k[0] == "same content"]
    gaps = [(m.series, m.season, m.missing) for m in built.missing_episodes]
    assert gaps == [("Show", 1, [2])]


def test_report_prints_a_summary_that_fits_100_columns_and_ends_with_the_html_path(
    run_jforg: Run, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    make_library(library, 300, seed=5, sizes="empty")
    work = tmp_path / "work"
    result = run_jforg("run", str(library), "--work", str(work))
    assert result.returncode == 1  # zero-byte media: done, with failed items
    *lines, summary = result.stdout.rstrip("\n").split("\n")
    assert summary.startswith("run: ") and " new, " in summary  # the run's own last line
    assert lines[-1] == f"report.html: {work / 'report.html'}"
    report_lines = lines[next(i for i, ln in enumerate(lines) if ln.startswith("report: ")):]
    assert max(len(line) for line in report_lines) <= 100
    as_json = run_jforg("report", "--work", str(work), "--format", "json")
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout)["schema"] == "jforg.report/1"
