"""organize on one filesystem: every mode, the dry run, refusals, NFOs, hostile names."""

from __future__ import annotations

import os
from pathlib import Path
from xml.etree import ElementTree

import pytest

from pipeline.core.errors import UsageError
from pipeline.core.paths import from_wire
from pipeline.organize.journal import load, transactions
from tests.organize_helpers import LIBRARY, Lib, build, files_below, jforg, replan, run, snapshot


@pytest.fixture
def lib(tmp_path: Path) -> Lib:
    return build(tmp_path)


def _moves(lib: Lib) -> dict[str, str]:
    """source relpath -> destination relpath, from the journal of the last transaction."""
    txn = load(list(transactions(lib.work))[-1])
    return {os.path.relpath(from_wire(op.intent.source), lib.root):
            os.path.relpath(from_wire(op.intent.dest or ""), lib.dest)
            for op in txn.ops if op.intent.source is not None}


def test_move_puts_every_planned_file_in_its_jellyfin_place(lib: Lib) -> None:
    before = snapshot(lib.root)
    inode = os.stat(lib.root / "Films/Heat (1995)/Heat (1995).mkv").st_ino
    stats = run(lib)
    assert stats.failed == 0 and stats.steps["move (rename)"] == 10
    heat = lib.dest / "Movies/Heat (1995)/Heat (1995).mkv"
    assert os.stat(heat).st_ino == inode  # a rename: the same file, not a copy
    assert (lib.dest / "Movies/Heat (1995)/Heat (1995).en.srt").is_file()
    assert (lib.dest / "Shows/Lost/Season 02/Lost S02E01.mkv").is_file()
    assert (lib.dest / "Music/Nora Vale/Lanterns (2014)/02 - Tide.mp3").is_file()
    # Only the file the plan skipped stays; every content is now at its destination.
    assert files_below(lib.root) == [b"Downloads/readme.txt"]
    after = snapshot(lib.dest)
    moved = _moves(lib)
    for source, digest in before.items():
        if source != b"Downloads/readme.txt":
            assert after[os.fsencode(moved[os.fsdecode(source)])] == digest


def test_copy_leaves_the_sources_and_keeps_mode_and_times(lib: Lib) -> None:
    source = lib.root / "Films/The Matrix (1999).mp4"
    os.chmod(source, 0o640)
    os.utime(source, ns=(1_600_000_000_000_000_000, 1_600_000_000_123_456_789))
    replan(lib)
    before = snapshot(lib.root)
    stats = run(lib, mode="copy")
    assert stats.failed == 0 and stats.steps["copy"] == 10
    assert snapshot(lib.root) == before
    copy = lib.dest / "Movies/The Matrix (1999)/The Matrix (1999).mp4"
    assert copy.read_bytes() == source.read_bytes()
    st = os.stat(copy)
    assert (st.st_mode & 0o777, st.st_mtime_ns) == (0o640, 1_600_000_000_123_456_789)
    assert st.st_ino != os.stat(source).st_ino


def test_copy_keeps_extended_attributes(lib: Lib) -> None:
    source = lib.root / "Films/The Matrix (1999).mp4"
    try:
        os.setxattr(source, "user.jforg.test", b"kept")
    except OSError as exc:
        pytest.skip(f"this filesystem has no user xattrs: {exc}")
    replan(lib)
    run(lib, mode="copy")
    copy = lib.dest / "Movies/The Matrix (1999)/The Matrix (1999).mp4"
    assert os.getxattr(copy, "user.jforg.test") == b"kept"


@pytest.mark.parametrize("mode", ["hardlink", "hardlink-or-copy"])
def test_hardlinks_share_the_inode_on_one_filesystem(lib: Lib, mode: str) -> None:
    run(lib, mode=mode)
    source = lib.root / "TV/Lost/Season 1/Lost.S01E02.720p.mkv"
    link = lib.dest / "Shows/Lost/Season 01/Lost S01E02.mkv"
    assert os.stat(link).st_ino == os.stat(source).st_ino


@pytest.mark.parametrize("absolute", [False, True])
def test_symlinks_point_back_at_the_sources(lib: Lib, absolute: bool) -> None:
    run(lib, mode="symlink", absolute_links=absolute)
    link = lib.dest / "Movies/Heat (1995)/Heat (1995).mkv"
    target = os.readlink(link)
    assert os.path.isabs(target) == absolute
    assert link.read_bytes() == (lib.root / "Films/Heat (1995)/Heat (1995).mkv").read_bytes()


def test_the_nfo_files_of_the_plan_are_written_as_valid_xml(lib: Lib) -> None:
    run(lib, nfo=True)
    movie = ElementTree.parse(lib.dest / "Movies/Heat (1995)/movie.nfo").getroot()
    assert (movie.tag, movie.findtext("title"), movie.findtext("year")) == \
        ("movie", "Heat", "1995")
    episode = ElementTree.parse(lib.dest / "Shows/Lost/Season 01/Lost S01E02.nfo").getroot()
    assert (episode.tag, episode.findtext("showtitle"), episode.findtext("season"),
            episode.findtext("episode")) == ("episodedetails", "Lost", "1", "2")
    show = ElementTree.parse(lib.dest / "Shows/Lost/tvshow.nfo").getroot()
    assert (show.tag, show.findtext("title")) == ("tvshow", "Lost")
    season = ElementTree.parse(lib.dest / "Shows/Lost/Season 02/season.nfo").getroot()
    assert (season.tag, season.findtext("seasonnumber")) == ("season", "2")


def test_auto_writes_no_nfo_that_would_only_repeat_the_file_name(lib: Lib) -> None:
    stats = run(lib)  # offline, and these files hold no streams MediaInfo could read
    assert not list(lib.dest.rglob("*.nfo")) and stats.not_created > 0


def test_no_nfo_writes_none(lib: Lib) -> None:
    stats = run(lib, nfo=False)
    assert not list(lib.dest.rglob("*.nfo")) and stats.not_created > 0


def test_a_dry_run_changes_nothing_and_says_what_would_happen(lib: Lib) -> None:
    before = snapshot(lib.root)
    stats = run(lib, dry_run=True)
    assert snapshot(lib.root) == before
    assert not lib.dest.exists() and not (lib.work / "journal").exists()
    assert any(line.startswith("steps:") and "move (rename) 10" in line
               for line in stats.dry_run)
    assert any("Heat (1995).mkv -> " in line for line in stats.dry_run)


def test_a_plan_is_applied_once(lib: Lib) -> None:
    run(lib)
    again = run(lib)
    assert again.journal is None and "was applied by transaction" in again.notes[0]


def test_a_plan_older_than_its_probe_is_refused(lib: Lib) -> None:
    from pipeline.probe import stage as probe
    from tests.organize_helpers import quiet_settings

    (lib.root / "Films/New (2020).mkv").write_bytes(b"new")
    from pipeline.scan import stage as scan

    scan.run(lib.work, [str(lib.root)], quiet_settings().scan)
    probe.run(lib.work, quiet_settings())
    with pytest.raises(UsageError, match=r"probe.jsonl changed since it was made; run jforg "
                                         r"plan again"):
        run(lib)
    assert not lib.dest.exists()


def test_a_source_changed_since_the_plan_is_refused_and_nothing_moves(lib: Lib) -> None:
    before = snapshot(lib.root)
    with open(lib.root / "Films/Heat (1995)/Heat (1995).mkv", "ab") as handle:
        handle.write(b"more")
    with pytest.raises(UsageError, match=r"1 source file\(s\) changed since the plan was made"):
        run(lib)
    assert not lib.dest.exists() and not (lib.work / "journal").exists()
    assert len(snapshot(lib.root)) == len(before)


def test_another_destination_than_the_plans_is_a_usage_error_naming_both(
        lib: Lib, tmp_path: Path) -> None:
    result = jforg(lib, "organize", "--dest", str(tmp_path / "elsewhere"))
    assert result.returncode == 2
    assert str(tmp_path / "elsewhere") in result.stderr and str(lib.dest) in result.stderr


def test_a_source_that_vanished_after_planning_is_one_error_and_the_rest_goes_on(
        lib: Lib) -> None:
    os.unlink(lib.root / "TV/Lost/Season 1/Lost.S01E01.720p.mkv")
    stats = run(lib)
    assert stats.failures == {"vanished": 1}
    assert stats.steps["move (rename)"] == 9
    assert (lib.dest / "Shows/Lost/Season 01/Lost S01E02.mkv").is_file()


@pytest.mark.parametrize("what", ["folder", "symlink", "file"])
def test_a_destination_that_appeared_is_a_conflict_for_that_file_only(
        lib: Lib, what: str) -> None:
    target = lib.dest / "Movies/Heat (1995)/Heat (1995).mkv"
    target.parent.mkdir(parents=True)
    if what == "folder":
        target.mkdir()
    elif what == "symlink":
        target.symlink_to("/nonexistent")
    else:
        target.write_bytes(b"someone else's")
    stats = run(lib)
    assert stats.failures == {"conflict": 1}
    assert (lib.root / "Films/Heat (1995)/Heat (1995).mkv").is_file()  # untouched
    assert os.path.lexists(target) and stats.steps["move (rename)"] == 9
    if what == "file":
        assert target.read_bytes() == b"someone else's"  # never overwritten


def test_conflict_rename_picks_a_free_name(lib: Lib) -> None:
    target = lib.dest / "Movies/Heat (1995)/Heat (1995).mkv"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"someone else's")
    stats = run(lib, conflict="rename")
    assert stats.failed == 0
    assert (lib.dest / "Movies/Heat (1995)/Heat (1995) (2).mkv").is_file()
    assert target.read_bytes() == b"someone else's"


def test_conflict_fail_refuses_before_any_change(lib: Lib) -> None:
    target = lib.dest / "Movies/Heat (1995)/Heat (1995).mkv"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"x")
    with pytest.raises(UsageError, match="exists, and --conflict is fail"):
        run(lib, conflict="fail")
    assert len(files_below(lib.root)) == len(LIBRARY)


def test_non_utf8_and_255_byte_names_are_organized(tmp_path: Path) -> None:
    # An extra keeps its own name: 255 bytes here, so no suffix fits beside it.
    long_name = "Making of " + "x" * 233 + "-trailer.mkv"
    assert len(long_name.encode()) == 255
    lib = build(tmp_path, {b"Films/Caf\xe9 (2001)/Caf\xe9 (2001).mkv": 1000,
                           b"Films/Caf\xe9 (2001)/trailers/" + long_name.encode(): 1000})
    stats = run(lib)
    assert stats.failed == 0, stats.examples
    assert files_below(lib.root) == []
    names = [os.path.basename(p) for p in files_below(lib.dest)]
    assert long_name.encode() in names and "Café (2001).mkv".encode() in names
    assert not [n for n in names if n.startswith(b".jforg-")]  # no temporary left


def test_run_with_organize_applies_the_plan_for_cron(tmp_path: Path) -> None:
    from tests.organize_helpers import JFORG, write_files

    library = tmp_path / "library"
    write_files(library, {"Films/Heat (1995)/Heat (1995).mkv": 2000})
    import subprocess

    result = subprocess.run([str(JFORG), "run", str(library), "--work", str(tmp_path / "w"),
                             "--dest", str(tmp_path / "dest"), "--organize"],
                            capture_output=True, text=True, check=False)
    assert "organize: transaction" in result.stdout, result.stdout + result.stderr
    assert (tmp_path / "dest/Movies/Heat (1995)/Heat (1995).mkv").is_file()
    alone = subprocess.run([str(JFORG), "run", str(library), "--work", str(tmp_path / "w"),
                            "--organize"], capture_output=True, text=True, check=False)
    assert alone.returncode == 2 and "needs --dest" in alone.stderr


def test_organize_with_a_destination_and_no_plan_yet_plans_first(tmp_path: Path) -> None:
    import subprocess

    from tests.organize_helpers import JFORG, write_files

    library = tmp_path / "library"
    write_files(library, {"Films/Heat (1995)/Heat (1995).mkv": 2000})
    work = str(tmp_path / "w")
    subprocess.run([str(JFORG), "run", str(library), "--work", work], capture_output=True,
                   check=False)
    result = subprocess.run([str(JFORG), "organize", "--work", work, "--dest",
                             str(tmp_path / "dest")], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("organize: no plan yet, so planned first:")
    assert (tmp_path / "dest/Movies/Heat (1995)/Heat (1995).mkv").is_file()
