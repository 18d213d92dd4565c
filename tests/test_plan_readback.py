"""The plan reads every media destination back as Jellyfin would, and keeps what it misreads."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from pipeline.core.manifest import read_manifest
from pipeline.core.records import PLAN_SCHEMA, PlanEntry
from pipeline.plan import stage as plan
from tests.conftest import MakeTree
from tests.naming_tables import KNOWN_FAILING
from tests.test_plan import _dest, _plan, _settings, example_plan
from tests.test_plan_music_books import KNOWN_FAILING as MUSIC_BOOKS_FAILING
from tests.test_plan_music_books import music_books_plan

__all__ = ["example_plan", "music_books_plan"]  # the public tables' plans, shared fixtures

MISREAD = "would not be recognised by Jellyfin: "


def test_a_title_jellyfin_would_cut_short_is_kept_with_its_subtitle(make_tree: MakeTree,
                                                                      tmp_path: Path) -> None:
    # Jellyfin's clean-up cuts a name at a release word between separators ("German").
    folder = "dl/The.German.Doctor.2013.1080p.BluRay.x264-GRP/"
    library = make_tree({folder + "The.German.Doctor.2013.1080p.BluRay.x264-GRP.mkv": 0,
                         folder + "The.German.Doctor.2013.1080p.BluRay.x264-GRP.en.srt": "1\n",
                         "dl/Heat.1995.1080p.BluRay.x264-GRP.mkv": 0})
    dest = tmp_path / "dest"
    entries = _plan(library, tmp_path / "work", dest)
    video = entries[folder + "The.German.Doctor.2013.1080p.BluRay.x264-GRP.mkv"]
    assert (video.action, video.kind) == ("skip", "movie")
    assert video.reason == MISREAD + "title read as 'The'"
    subtitle = entries[folder + "The.German.Doctor.2013.1080p.BluRay.x264-GRP.en.srt"]
    assert subtitle.action == "skip"  # it stays with its video
    assert _dest(entries["dl/Heat.1995.1080p.BluRay.x264-GRP.mkv"], dest) == \
        "Movies/Heat (1995)/Heat (1995).mkv"
    assert not any(e.action == "create" and "German" in (e.destination or "")
                   for e in entries.values())


def test_the_summary_counts_what_jellyfin_would_misread(make_tree: MakeTree,
                                                        tmp_path: Path) -> None:
    library = make_tree({"The.German.Doctor.2013.mkv": 0, "Que.Se.Mueran.Los.Feos.2010.mkv": 0,
                         "Heat.1995.mkv": 0})
    work = tmp_path / "work"
    _plan(library, work, tmp_path / "dest")
    manifest, stats = plan.run(work, str(tmp_path / "dest"), _settings())
    assert stats.unrecognised == 2
    assert stats.skip_reasons["would not be recognised by Jellyfin"] == 2
    _, entries = read_manifest(manifest, PLAN_SCHEMA, PlanEntry)
    assert sorted(e.reason or "" for e in entries if e.action == "skip") == [
        MISREAD + "title read as 'Que'", MISREAD + "title read as 'The'"]


def test_a_provider_id_in_the_folder_lets_jellyfin_look_the_title_up_by_id(
        make_tree: MakeTree, tmp_path: Path) -> None:
    from tests.test_plan import _enriched

    library = make_tree({"The.German.Doctor.2013.mkv": 0})
    work, dest = tmp_path / "work", tmp_path / "dest"
    _plan(library, work, dest)
    _enriched(work, [(str(library / "The.German.Doctor.2013.mkv"), {
        "confidence": "strong", "title": "The German Doctor", "year": 2013,
        "ids": {"tmdb": "218777"}})])
    manifest, stats = plan.run(work, str(dest), _settings())
    _, entries = read_manifest(manifest, PLAN_SCHEMA, PlanEntry)
    video = next(e for e in entries if e.source)
    assert video.action == "move" and stats.unrecognised == 0
    assert _dest(video, dest) == ("Movies/The German Doctor (2013) [tmdbid-218777]/"
                                  "The German Doctor (2013) [tmdbid-218777].mkv")


@pytest.mark.parametrize("policy", ["rename", "skip"])
def test_a_renamed_conflict_is_read_back_too(make_tree: MakeTree, tmp_path: Path,
                                             policy: str) -> None:
    library = make_tree({"a/Lost.S01E02.mkv": 0, "b/Lost.S01E02.mkv": 0})
    dest = tmp_path / "dest"
    entries = _plan(library, tmp_path / "work", dest, conflict=policy)
    second = entries["b/Lost.S01E02.mkv"]
    if policy == "rename":
        assert _dest(second, dest) == "Shows/Lost/Season 01/Lost S01E02 (2).mkv"
    else:
        assert (second.reason or "").startswith("conflict")
    assert not any(MISREAD in (e.reason or "") for e in entries.values())


def test_no_row_of_the_public_tables_is_lost_to_the_read_back(
        example_plan: tuple[Path, Path, dict[str, PlanEntry]],
        music_books_plan: tuple[Path, dict[str, PlanEntry]]) -> None:
    # Rows the plan still gets wrong (strict xfails) may well be misread: the read-back
    # is right to keep them. Every row planned right must pass it.
    wrong = {*KNOWN_FAILING, *MUSIC_BOOKS_FAILING}
    entries = [e for key, e in [*example_plan[2].items(), *music_books_plan[1].items()]
               if key not in wrong]
    assert len(entries) > 200
    assert [e for e in entries if MISREAD in (e.reason or "")] == []


@pytest.fixture(scope="module")
def generated_10k_plan(tmp_path_factory: pytest.TempPathFactory
                       ) -> tuple[plan.PlanStats, list[PlanEntry]]:
    from benchmarks.libgen import make_library
    from pipeline.probe import stage as probe
    from pipeline.scan import stage as scan

    base = tmp_path_factory.mktemp("generated")
    library, work = base / "library", base / "work"
    make_library(library, 10_000, seed=1, sizes="empty")
    settings = _settings()
    # Probing 10 000 names is this module's cost: both cores halve it.
    two = msgspec.structs.replace(settings, probe=msgspec.structs.replace(settings.probe, jobs=2))
    scan.run(work, [str(library)], settings.scan)
    probe.run(work, two)
    manifest, stats = plan.run(work, str(base / "dest"), settings)
    _, entries = read_manifest(manifest, PLAN_SCHEMA, PlanEntry)
    return stats, list(entries)


def test_a_generated_10k_library_plans_without_a_single_misread(
        generated_10k_plan: tuple[plan.PlanStats, list[PlanEntry]]) -> None:
    stats, entries = generated_10k_plan
    assert stats.moves > 8000
    assert stats.unrecognised == 0, {e.reason for e in entries if MISREAD in (e.reason or "")}
