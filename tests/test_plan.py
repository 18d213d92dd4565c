"""The plan stage: scan → probe → plan over real temporary trees."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import msgspec
import pytest

from pipeline.core.errors import JforgError
from pipeline.core.manifest import read_manifest
from pipeline.core.paths import from_wire, to_wire
from pipeline.core.records import PLAN_SCHEMA, PlanEntry
from pipeline.core.settings import Settings
from pipeline.plan import stage as plan
from pipeline.probe import stage as probe
from pipeline.scan import stage as scan
from tests.conftest import MakeTree
from tests.naming_tables import KNOWN_FAILING, VIDEO, Example, examples, params


def _settings(**organize: object) -> Settings:
    base = Settings()
    return msgspec.structs.replace(
        base, scan=msgspec.structs.replace(base.scan, jobs=1),
        probe=msgspec.structs.replace(base.probe, jobs=1),
        organize=msgspec.structs.replace(base.organize, **organize))


def _plan(library: Path, work: Path, dest: Path, settings: Settings | None = None,
          **kwargs: object) -> dict[str, PlanEntry]:
    settings = settings or _settings()
    scan.run(work, [str(library)], settings.scan)
    probe.run(work, settings)
    manifest, _ = plan.run(work, str(dest), settings, **kwargs)  # type: ignore[arg-type]
    _, entries = read_manifest(manifest, PLAN_SCHEMA, PlanEntry)
    out: dict[str, PlanEntry] = {}
    for entry in entries:
        key = (os.path.relpath(from_wire(entry.source), library) if entry.source
               else "create:" + os.path.relpath(from_wire(entry.destination or ""), dest))
        assert key not in out, f"{key} planned twice"
        out[key] = entry
    return out


def _dest(entry: PlanEntry, dest: Path) -> str:
    assert entry.destination is not None
    return os.path.relpath(from_wire(entry.destination), dest)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    # Punctuation goes ("Bueller's" ~ "Buellers", "WALL-E" ~ "WALL·E"); spaces stay.
    kept = "".join(c for c in text.replace("_", " ") if c.isalnum() or c.isspace())
    return " ".join(kept.split())


EXAMPLES = examples(VIDEO)


def test_the_naming_table_is_there() -> None:
    assert len(EXAMPLES) >= 100, f"{VIDEO} truncated"


@pytest.fixture(scope="module")
def example_plan(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, dict[str, PlanEntry]]:
    base = tmp_path_factory.mktemp("examples")
    library, dest = base / "library", base / "dest"
    for row in EXAMPLES:
        path = library / row.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()  # zero-byte files: the plan must work from names alone
    return library, dest, _plan(library, base / "work", dest)


@pytest.mark.parametrize("row", params(EXAMPLES))
def test_every_naming_example_is_planned_as_a_jellyfin_user_expects(
    example_plan: tuple[Path, Path, dict[str, PlanEntry]], row: Example
) -> None:
    _, _, entries = example_plan
    entry = entries[row.relpath]
    if row.kind == "skip":
        assert entry.kind not in ("movie", "episode"), entry
        return
    assert (entry.action, entry.kind) == ("move", row.kind), entry
    assert _fold(entry.title or "") == _fold(row.title)
    assert entry.year == row.year or (row.kind == "episode" and row.year is None)
    if row.kind == "episode":
        assert entry.season == row.season
        assert entry.episodes == row.episodes


def test_every_scanned_file_is_planned_exactly_once_and_the_plan_is_deterministic(
    example_plan: tuple[Path, Path, dict[str, PlanEntry]], tmp_path: Path
) -> None:
    library, dest, entries = example_plan
    planned = {k for k, e in entries.items() if e.action in ("move", "skip")}
    on_disk = {os.path.relpath(os.path.join(d, f), library)
               for d, _, files in os.walk(library) for f in files}
    assert planned == on_disk
    again = _plan(library, tmp_path / "work", dest)
    assert again == entries


def test_a_movie_its_subtitle_and_poster_go_together(make_tree: MakeTree,
                                                     tmp_path: Path) -> None:
    release = "dl/Heat.1995.1080p.BluRay.x264-GRP/"
    library = make_tree({release + "Heat.1995.1080p.BluRay.x264-GRP.mkv": 0,
                         release + "Heat.1995.1080p.BluRay.x264-GRP.en.forced.srt": "1\n",
                         "dl/Heat.1995.1080p.BluRay.x264-GRP/poster.jpg": "jpg",
                         "dl/Heat.1995.1080p.BluRay.x264-GRP/Sample/sample.mkv": 0,
                         "dl/Heat.1995.1080p.BluRay.x264-GRP/RARBG.txt": "x",
                         "dl/lonely.en.srt": "1\n"})
    dest = tmp_path / "dest"
    entries = _plan(library, tmp_path / "work", dest)
    video = entries[release + "Heat.1995.1080p.BluRay.x264-GRP.mkv"]
    assert _dest(video, dest) == "Movies/Heat (1995)/Heat (1995).mkv"
    subtitle = entries[release + "Heat.1995.1080p.BluRay.x264-GRP.en.forced.srt"]
    assert _dest(subtitle, dest) == "Movies/Heat (1995)/Heat (1995).en.forced.srt"
    assert _dest(entries[release + "poster.jpg"], dest).startswith("Movies/Heat (1995)/")
    assert entries[release + "Sample/sample.mkv"].action == "skip"
    assert entries[release + "RARBG.txt"].reason == "not a media file"
    assert entries["dl/lonely.en.srt"].action == "skip"
    assert entries["create:Movies/Heat (1995)/movie.nfo"].describes == video.source


def test_episodes_music_and_books_fall_back_to_their_folders(make_tree: MakeTree,
                                                            tmp_path: Path) -> None:
    library = make_tree({"TV/Lost/Season 1/Lost.S01E02.720p.mkv": 0,
                         "Music/Nora Vale/Lanterns (2014)/03 - Harbour.mp3": 0,
                         "Books/Mara Quill/Tides of Glass (2019)/Tides of Glass.mobi": 0})
    dest = tmp_path / "dest"
    entries = _plan(library, tmp_path / "work", dest)
    assert _dest(entries["TV/Lost/Season 1/Lost.S01E02.720p.mkv"], dest) == \
        "Shows/Lost/Season 01/Lost S01E02.mkv"
    assert _dest(entries["Music/Nora Vale/Lanterns (2014)/03 - Harbour.mp3"], dest) == \
        "Music/Nora Vale/Lanterns (2014)/03 - Harbour.mp3"
    assert _dest(entries["Books/Mara Quill/Tides of Glass (2019)/Tides of Glass.mobi"], dest) \
        == "Books/Mara Quill/Tides of Glass (2019)/Tides of Glass.mobi"


@pytest.mark.parametrize(("policy", "second"), [("skip", "skip"), ("rename", "move")])
def test_two_files_for_one_place_are_resolved_by_the_conflict_policy(
    make_tree: MakeTree, tmp_path: Path, policy: str, second: str
) -> None:
    library = make_tree({"a/Heat (1995).mkv": 0, "b/Heat (1995).mkv": 0})
    dest = tmp_path / "dest"
    entries = _plan(library, tmp_path / "work", dest, conflict=policy)
    assert entries["a/Heat (1995).mkv"].action == "move"
    other = entries["b/Heat (1995).mkv"]
    assert other.action == second
    if second == "skip":
        assert other.reason is not None and other.reason.startswith("conflict")
    else:
        assert _dest(other, dest) == "Movies/Heat (1995)/Heat (1995) (2).mkv"


def test_conflict_policy_fail_stops_without_a_plan(make_tree: MakeTree, tmp_path: Path) -> None:
    library = make_tree({"a/Heat (1995).mkv": 0, "b/Heat (1995).mkv": 0})
    with pytest.raises(JforgError, match="conflict"):
        _plan(library, tmp_path / "work", tmp_path / "dest", conflict="fail")
    assert not (tmp_path / "work" / "plan.jsonl").exists()


def test_an_existing_file_at_the_destination_is_never_overwritten(make_tree: MakeTree,
                                                                  tmp_path: Path) -> None:
    library = make_tree({"Heat (1995).mkv": 0})
    dest = tmp_path / "dest"
    (dest / "Movies/Heat (1995)").mkdir(parents=True)
    (dest / "Movies/Heat (1995)/Heat (1995).mkv").write_text("someone else's")
    entries = _plan(library, tmp_path / "work", dest)
    assert entries["Heat (1995).mkv"].action == "skip"
    assert entries["Heat (1995).mkv"].reason == "conflict: the destination exists"


def test_an_organized_library_planned_onto_itself_stays_in_place(make_tree: MakeTree,
                                                                 tmp_path: Path) -> None:
    library = make_tree({"Movies/Heat (1995)/Heat (1995).mkv": 0,
                         "Shows/Lost/Season 01/Lost S01E02.mkv": 0})
    entries = _plan(library, tmp_path / "work", library, _settings(nfo=False))
    assert {e.reason for e in entries.values()} == {"already in place"}


def test_titles_from_tags_can_never_leave_the_destination(tmp_path: Path) -> None:
    from benchmarks.media import can_make, make_media

    if not can_make("mp3-id3"):
        pytest.skip("cannot make an mp3 here")
    from mutagen.id3 import ID3, TALB, TIT2, TPE1, TPE2

    library = tmp_path / "library"
    library.mkdir()
    track = library / "x.mp3"
    make_media(track, "mp3-id3")
    tags = ID3(track)
    tags.delall("TPE2")
    tags.add(TPE1(encoding=3, text="../../../etc"))
    tags.add(TPE2(encoding=3, text=".."))
    tags.add(TALB(encoding=3, text="/abs/olute"))
    tags.add(TIT2(encoding=3, text="a/b\\c\x00d"))
    tags.save()
    dest = tmp_path / "dest"
    entries = _plan(library, tmp_path / "work", dest)
    target = from_wire(entries["x.mp3"].destination or "")
    assert target.startswith(str(dest / "Music") + "/")
    parts = os.path.relpath(target, dest).split("/")
    assert all(part not in ("", ".", "..") for part in parts), parts


def test_a_library_laid_out_by_the_plan_verifies_clean(
    example_plan: tuple[Path, Path, dict[str, PlanEntry]], tmp_path: Path
) -> None:
    from pipeline.organize.nfo import nfo_for
    from pipeline.plan.verify import format_text, verify

    library, dest, entries = example_plan
    built = tmp_path / "built"
    # Rows the plan is known to get wrong are left out: their misreadings
    # (a year as a season) are what verify exists to catch.
    wrong = {to_wire(str(library / relpath)) for relpath in KNOWN_FAILING}
    media = {e.source: e for e in entries.values() if e.action == "move"}
    for entry in entries.values():
        if entry.source in wrong or entry.describes in wrong:
            continue
        if entry.action in ("move", "create") and entry.destination is not None:
            target = built / os.path.relpath(from_wire(entry.destination), dest)
            target.parent.mkdir(parents=True, exist_ok=True)
            body = b""
            if entry.kind == "nfo":  # what organize writes there, so verify reads real XML
                body = nfo_for(target.name, media[entry.describes], None, None,
                               always=True) or b""
            target.write_bytes(body)
    assert len([p for p in built.rglob("*") if p.suffix in (".mkv", ".avi", ".mp4")]) > 80
    violations = verify(str(built))
    assert violations == [], format_text(violations)


def test_run_with_a_destination_plans_and_the_report_shows_the_plan(
    make_tree: MakeTree, tmp_path: Path, run_jforg: object
) -> None:
    import json
    import subprocess
    from collections.abc import Callable

    run = run_jforg
    assert callable(run)
    runner: Callable[..., subprocess.CompletedProcess[str]] = run
    library = make_tree({"Heat (1995).mkv": 0, "notes.txt": "x"})
    work, dest = tmp_path / "work", tmp_path / "dest"
    result = runner("run", str(library), "--work", str(work), "--dest", str(dest))
    assert result.returncode == 1, result.stderr  # the zero-byte video is listed as failed
    assert "plan: 1 moves, 1 skips" in result.stdout
    report = json.loads((work / "report.json").read_text())
    assert report["plan"]["moves"] == 1 and report["plan"]["skip_reasons"] == {
        "not a media file": 1}
    alone = runner("plan", "--work", str(work), "--dest", str(dest), "--conflict", "rename")
    assert alone.returncode == 0 and alone.stdout.startswith("plan: 1 moves")
    missing = runner("plan", "--work", str(work))
    assert missing.returncode == 2 and "--dest" in missing.stderr


def test_two_cuts_of_one_movie_become_versions_jellyfin_groups(make_tree: MakeTree,
                                                               tmp_path: Path) -> None:
    library = make_tree({"a/Blade.Runner.1982.2160p.UHD.BluRay.x265-GRP.mkv": 0,
                         "b/Blade.Runner.1982.1080p.BluRay.x264-GRP.mkv": 0,
                         "c/Blade Runner (1982) Final Cut.mkv": 0,
                         "d/Heat (1995).mkv": 0})
    dest = tmp_path / "dest"
    entries = _plan(library, tmp_path / "work", dest)
    names = sorted(_dest(e, dest) for k, e in entries.items() if k.startswith(("a/", "b/", "c/")))
    assert names == ["Movies/Blade Runner (1982)/Blade Runner (1982) - 1080p.mkv",
                     "Movies/Blade Runner (1982)/Blade Runner (1982) - 2160p.mkv",
                     "Movies/Blade Runner (1982)/Blade Runner (1982) - [Final Cut].mkv"]
    assert _dest(entries["d/Heat (1995).mkv"], dest) == "Movies/Heat (1995)/Heat (1995).mkv"


def _enriched(work: Path, records: list[tuple[str, dict[str, object]]]) -> None:
    """Write an enrich.jsonl for the current probe: (file, EnrichRecord fields) per work."""
    from pipeline.core.manifest import ManifestWriter, file_sha256
    from pipeline.core.paths import to_wire
    from pipeline.core.records import ENRICH_SCHEMA, EnrichRecord, Work

    with ManifestWriter[EnrichRecord](work / "enrich.jsonl", ENRICH_SCHEMA,
                                      {"probe.jsonl": file_sha256(work / "probe.jsonl")}) as out:
        for path, fields in records:
            out.write(EnrichRecord(work=Work("movie", path, "x", files=[to_wire(path)]),
                                   **fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(("confidence", "accept", "expected"), [
    ("strong", None, "Movies/Heat (1995) [tmdbid-949]/Heat (1995) [tmdbid-949].mkv"),
    ("medium", None, None),
    ("medium", "medium", "Movies/Heat (1995) [tmdbid-949]/Heat (1995) [tmdbid-949].mkv"),
    ("low", "medium", None),
])
def test_enrich_matches_name_the_movie_only_at_an_accepted_confidence(
    make_tree: MakeTree, tmp_path: Path, confidence: str, accept: str | None,
    expected: str | None,
) -> None:
    library = make_tree({"heat.mkv": 0})
    work, dest = tmp_path / "work", tmp_path / "dest"
    _plan(library, work, dest)
    _enriched(work, [(str(library / "heat.mkv"), {
        "confidence": confidence, "title": "Heat", "year": 1995, "ids": {"tmdb": "949"}})])
    manifest, _ = plan.run(work, str(dest), _settings(), accept=accept)
    _, entries = read_manifest(manifest, PLAN_SCHEMA, PlanEntry)
    entry = next(e for e in entries if e.source)
    if expected is None:
        assert entry.action == "skip" and (entry.reason or "").startswith("needs review")
    else:
        assert _dest(entry, dest) == expected and (entry.title, entry.year) == ("Heat", 1995)


def test_anime_absolute_numbers_map_to_seasons_through_the_providers_season_lists(
    make_tree: MakeTree, tmp_path: Path
) -> None:
    name = "[SubsPlease] Hana no Kanata - 15 (1080p) [ABCD1234].mkv"
    library = make_tree({name: 0})
    work, dest = tmp_path / "work", tmp_path / "dest"
    _plan(library, work, dest)
    _enriched(work, [(str(library / name), {
        "confidence": "strong", "title": "Hana no Kanata", "year": 2019,
        "season_episodes": {"0": [1], "1": list(range(1, 13)), "2": list(range(1, 13))},
        "episode_titles": {"S02E03": "Harbour"}})])
    manifest, _ = plan.run(work, str(dest), _settings())
    _, entries = read_manifest(manifest, PLAN_SCHEMA, PlanEntry)
    entry = next(e for e in entries if e.source)
    assert (entry.season, entry.episodes) == (2, [3])
    assert _dest(entry, dest) == ("Shows/Hana no Kanata (2019)/Season 02/"
                                  "Hana no Kanata (2019) S02E03 - Harbour.mkv")


def test_an_enrich_manifest_of_an_older_probe_is_not_used(make_tree: MakeTree,
                                                         tmp_path: Path) -> None:
    library = make_tree({"heat.mkv": 0})
    work, dest = tmp_path / "work", tmp_path / "dest"
    _plan(library, work, dest)
    _enriched(work, [(str(library / "heat.mkv"), {"confidence": "strong", "title": "Heat",
                                                  "year": 1995})])
    (library / "other.mkv").touch()
    entries = _plan(library, work, dest)  # a new scan and probe: enrich.jsonl is stale
    assert _dest(entries["heat.mkv"], dest) == "Movies/heat/heat.mkv"


def test_extras_go_with_the_movie_of_their_folder(make_tree: MakeTree, tmp_path: Path) -> None:
    library = make_tree({"Films/Heat (1995)/Heat (1995).mkv": 0,
                         "Films/Heat (1995)/trailers/Official Trailer.mkv": 0,
                         "Films/Heat (1995)/Featurettes/On the Set.mkv": 0,
                         "Films/Alien.1979.1080p.BluRay-GRP/Alien.1979.1080p.BluRay-GRP.mkv": 0,
                         "Films/Alien.1979.1080p.BluRay-GRP/alien-trailer.mkv": 0})
    dest = tmp_path / "dest"
    entries = _plan(library, tmp_path / "work", dest)
    assert _dest(entries["Films/Heat (1995)/trailers/Official Trailer.mkv"], dest) == \
        "Movies/Heat (1995)/trailers/Official Trailer.mkv"
    assert _dest(entries["Films/Heat (1995)/Featurettes/On the Set.mkv"], dest) == \
        "Movies/Heat (1995)/featurettes/On the Set.mkv"
    assert _dest(entries["Films/Alien.1979.1080p.BluRay-GRP/alien-trailer.mkv"], dest) == \
        "Movies/Alien (1979)/trailers/alien-trailer.mkv"


def test_episodes_known_only_by_their_air_date_are_planned_by_date(make_tree: MakeTree,
                                                                    tmp_path: Path) -> None:
    library = make_tree({"TV/The Daily Show/The.Daily.Show.2023.05.01.720p.WEB.h264-GRP.mkv": 0,
                         "TV/Late Night 2021-03-04 Guest Name.mkv": 0,
                         "TV/Show.E56.190121.720p.HDTV.x264-GRP.mkv": 0})
    dest = tmp_path / "dest"
    entries = _plan(library, tmp_path / "work", dest)
    daily = entries["TV/The Daily Show/The.Daily.Show.2023.05.01.720p.WEB.h264-GRP.mkv"]
    assert _dest(daily, dest) == "Shows/The Daily Show/Season 2023/The Daily Show 2023-05-01.mkv"
    assert (daily.season, daily.episodes) == (2023, [])
    assert _dest(entries["TV/Late Night 2021-03-04 Guest Name.mkv"], dest) == \
        "Shows/Late Night/Season 2021/Late Night 2021-03-04 - Guest Name.mkv"
    # With a number and a date, the number wins (season 1 when none is given).
    assert _dest(entries["TV/Show.E56.190121.720p.HDTV.x264-GRP.mkv"], dest) == \
        "Shows/Show/Season 01/Show S01E56.mkv"
