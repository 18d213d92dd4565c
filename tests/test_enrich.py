"""Enrich, offline: files grouped into works, providers skipped once with their reason."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from pipeline.core.manifest import file_sha256, read_manifest
from pipeline.core.records import (
    ENRICH_SCHEMA,
    EnrichRecord,
    EnrichSummary,
    Parse,
    ProbeRecord,
    ScanRecord,
    Tags,
)
from pipeline.core.settings import Settings
from pipeline.core.titles import fold
from pipeline.enrich import stage as enrich
from pipeline.enrich.works import group_works
from pipeline.probe import stage as probe
from pipeline.scan import stage as scan
from tests.conftest import MakeTree

Run = Callable[..., subprocess.CompletedProcess[str]]


def _video(path: str, **parse: object) -> ProbeRecord:
    scan_record = ScanRecord(path=path, root="/m", cls="video", size=1, mtime_ns=1, inode=1,
                             device=1)
    return ProbeRecord(scan=scan_record, role="main", parse=Parse(**parse))  # type: ignore[arg-type]


@pytest.mark.parametrize(("a", "b"), [("Breaking Bad", "breaking bad"), ("WALL-E", "WALL·E"),
                                      ("Ocean's Twelve", "Oceans Twelve"), ("Amélie", "AMÉLIE")])
def test_titles_that_differ_only_in_case_or_punctuation_fold_alike(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_files_are_grouped_into_works_one_lookup_each() -> None:
    records = [
        _video("/m/a/Heat (1995).mkv", type="movie", title="Heat", year=1995),
        _video("/m/b/Heat.1995.720p.mkv", type="movie", title="heat", year=1995),
        _video("/m/c/Heat (1986).mkv", type="movie", title="Heat", year=1986),
        _video("/m/Lost/S1/e1.mkv", type="episode", title="Lost", season=1, episodes=[1]),
        _video("/m/Lost/S1/e3.mkv", type="episode", title="lost", season=1, episodes=[3, 4]),
        _video("/m/Lost/S2/e1.mkv", type="episode", title="Lost", season=2, episodes=[1]),
        ProbeRecord(scan=ScanRecord(path="/m/x/01.flac", root="/m", cls="audio", size=1),
                    tags=Tags(album_artist="Nora Vale", album="Lanterns", year=2014)),
        ProbeRecord(scan=ScanRecord(path="/m/x/02.flac", root="/m", cls="audio", size=1),
                    tags=Tags(artist="Nora Vale", album="lanterns", year=2014)),
    ]
    works = {w.key: w for w in group_works(records)}
    assert len(works["movie|heat|1995"].files) == 2
    assert len(works["movie|heat|1986"].files) == 1
    assert works["series|lost|"].seasons == {"1": [1, 3, 4], "2": [1]}
    assert len(works["album|nora vale|lanterns|2014"].files) == 2
    assert len(works) == 4


def test_offline_enrich_writes_every_work_with_no_confidence_and_says_why(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    library = make_tree({"Heat (1995).mkv": 0, "Heat.1995.1080p.mkv": 0,
                         "Lost/Season 1/Lost.S01E01.mkv": 0, "notes.txt": "x"})
    base = Settings()
    settings = msgspec.structs.replace(base, scan=msgspec.structs.replace(base.scan, jobs=1),
                                       probe=msgspec.structs.replace(base.probe, jobs=1))
    work = tmp_path / "work"
    scan.run(work, [str(library)], settings.scan)
    probe.run(work, settings)
    manifest, stats = enrich.run(work, settings, offline=True)
    _, records = read_manifest(manifest, ENRICH_SCHEMA, EnrichRecord)
    found = list(records)
    assert [(r.work.kind, r.work.title, len(r.work.files)) for r in found] == [
        ("movie", "Heat", 2), ("series", "Lost", 1)]
    assert all(r.confidence == "none" and not r.ids for r in found)
    assert stats.skipped == ["tmdb: offline", "musicbrainz: offline", "openlibrary: offline",
                             "coverart: offline"]
    _, without_key = enrich.run(work, settings, offline=False, providers=["tmdb"])
    assert without_key.skipped == ["tmdb: no API key (TMDB_API_KEY or TMDB_BEARER_TOKEN)"]
    summary = msgspec.json.decode((work / "enrich.summary.json").read_bytes(),
                                  type=EnrichSummary)
    assert summary.manifest == file_sha256(work / "enrich.jsonl")
    assert summary.providers == {"tmdb": "no API key (TMDB_API_KEY or TMDB_BEARER_TOKEN)",
                                 "musicbrainz": "not selected", "openlibrary": "not selected",
                                 "coverart": "not selected"}
    assert summary.requests == {}


def test_run_goes_scan_probe_enrich_report_and_enrich_says_so_once(
    run_jforg: Run, make_tree: MakeTree, tmp_path: Path
) -> None:
    library = make_tree({"Heat (1995).mkv": 0, "Lost.S01E01.mkv": 0})
    result = run_jforg("run", str(library), "--work", str(tmp_path / "w"), "--offline")
    stages = [line.split(":")[0] for line in result.stdout.splitlines()
              if line.split(":")[0] in ("scan", "probe", "enrich", "report")]
    assert stages == ["scan", "probe", "enrich", "report"]
    assert result.stdout.count("providers skipped") == 1
    # The report knows enrich ran, and why it asked no one.
    said = " ".join(result.stdout.split())  # the terminal report wraps at 100 columns
    assert "No enrich run" not in said
    assert ("Enrich ran but asked no provider (tmdb offline; musicbrainz offline; "
            "openlibrary offline; coverart offline)") in said
    alone = run_jforg("enrich", "--work", str(tmp_path / "w"), "--offline")
    assert alone.returncode == 0 and alone.stdout.startswith("enrich: 2 works")
