"""The scan stage over real temporary trees (no fake filesystem)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline.core.manifest import read_manifest
from pipeline.core.paths import from_wire, sort_key
from pipeline.core.records import SCAN_SCHEMA, ScanRecord
from pipeline.core.settings import ScanSettings, Settings
from pipeline.scan.stage import ScanStats, classifier, normalise_roots, run, walk
from tests.conftest import MakeTree

DEFAULTS = Settings().scan


def _scan(work: Path, *roots: Path, **overrides: object) -> tuple[list[ScanRecord], ScanStats]:
    settings = ScanSettings(**{**_as_kwargs(DEFAULTS), **overrides})  # type: ignore[arg-type]
    manifest, stats = run(work, [str(r) for r in roots], settings)
    _, records = read_manifest(manifest, SCAN_SCHEMA, ScanRecord)
    return list(records), stats


def _as_kwargs(settings: ScanSettings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in settings.__struct_fields__}


def _rels(records: list[ScanRecord], root: Path) -> list[bytes]:
    prefix = os.fsencode(root) + b"/"
    return [os.fsencode(from_wire(r.path)).removeprefix(prefix) for r in records]


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("Movie (2001).mkv", "video"), ("EP.S01E01.MKV", "video"), ("a.m2ts", "video"),
        ("01 - Song.flac", "audio"), ("Book.epub", "book"), ("Comic.cbz", "book"),
        ("Movie.en.forced.srt", "subtitle"), ("poster.JPG", "image"), ("movie.nfo", "nfo"),
        ("notes.txt", "other"), ("Makefile", "other"), ("trailing.", "other"),
    ],
)
def test_files_are_classified_by_extension_case_insensitively(name: str, cls: str) -> None:
    assert classifier(DEFAULTS)(name) == cls


def test_scan_records_every_file_with_its_stat_and_class(tmp_path: Path,
                                                         make_tree: MakeTree) -> None:
    lib = make_tree({"Movies/Heat (1995)/Heat (1995).mkv": 2048,
                     "Movies/Heat (1995)/Heat (1995).en.srt": "1\n00:00:01,000 --> x\nhi\n",
                     "Music/Artist/Album/01 - A.flac": 300})
    records, stats = _scan(tmp_path / "work", lib)
    assert _rels(records, lib) == [b"Movies/Heat (1995)/Heat (1995).en.srt",
                                   b"Movies/Heat (1995)/Heat (1995).mkv",
                                   b"Music/Artist/Album/01 - A.flac"]
    mkv = records[1]
    st = os.stat(from_wire(mkv.path))
    assert (mkv.cls, mkv.size, mkv.mtime_ns, mkv.inode, mkv.device, mkv.root) == (
        "video", 2048, st.st_mtime_ns, st.st_ino, st.st_dev, str(lib))
    assert stats.files["video"] == 1 and stats.files["subtitle"] == 1
    assert stats.files["audio"] == 1
    assert stats.bytes == 2048 + 300 + len("1\n00:00:01,000 --> x\nhi\n")


def test_names_that_are_not_utf8_or_hold_newlines_round_trip_exactly(
    tmp_path: Path, make_tree: MakeTree
) -> None:
    raw = [b"caf\xe9.mkv", b"\xff\xfe.srt", b"two\nlines.mkv", "日本語.mkv".encode(),
           b"dir\xe9/inner.mkv"]
    lib = make_tree(dict.fromkeys(raw, 1))
    records, _ = _scan(tmp_path / "work", lib)
    assert sorted(_rels(records, lib)) == sorted(raw)
    for record in records:
        assert os.path.exists(from_wire(record.path))


def test_a_255_byte_name_is_recorded(tmp_path: Path, make_tree: MakeTree) -> None:
    name = "é" * 125 + "x.mkv"  # 250 + 5 bytes: the longest name Linux allows
    assert len(name.encode()) == 255
    lib = make_tree({f"deep/{name}": 5})
    records, _ = _scan(tmp_path / "work", lib)
    assert _rels(records, lib) == [f"deep/{name}".encode()]


def test_records_are_sorted_by_path_component_by_component(tmp_path: Path,
                                                            make_tree: MakeTree) -> None:
    lib = make_tree({n: 1 for n in ["b.mkv", "a.txt", "a/z.mkv", "a b/c.mkv", "A/x.mkv",
                                    "a/b/c/d.mkv", "é/e.mkv"]})
    records, _ = _scan(tmp_path / "work", lib)
    paths = [r.path for r in records]
    assert paths == sorted(paths, key=sort_key)
    assert len(paths) == 7


def test_a_rerun_over_the_same_tree_writes_byte_identical_records(
    tmp_path: Path, make_tree: MakeTree
) -> None:
    lib = make_tree({f"d{i % 7}/f{i}.mkv": i for i in range(200)} | {b"x\xe9.srt": 3})
    work = tmp_path / "work"
    _scan(work, lib)
    first = (work / "scan.jsonl").read_bytes().split(b"\n", 1)
    _scan(work, lib)
    second = (work / "scan.jsonl").read_bytes().split(b"\n", 1)
    assert first[1] == second[1]
    assert len(first[1].splitlines()) == 201


def test_hidden_entries_and_the_work_folder_are_not_scanned(make_tree: MakeTree) -> None:
    lib = make_tree({".hidden/a.mkv": 1, ".DS_Store": 1, "@eaDir/x.jpg": 1, "ok.mkv": 1,
                     "work/scan.jsonl": 1})
    records, stats = _scan(lib / "work", lib)
    assert _rels(records, lib) == [b"@eaDir/x.jpg", b"ok.mkv"]
    assert stats.skipped["hidden"] == 2
    assert stats.skipped["work folder"] == 1


def test_an_empty_ignore_file_skips_its_folder_and_everything_below(
    tmp_path: Path, make_tree: MakeTree
) -> None:
    lib = make_tree({"keep/a.mkv": 1, "skip/.ignore": "", "skip/b.mkv": 1, "skip/sub/c.mkv": 1})
    records, stats = _scan(tmp_path / "work", lib)
    assert _rels(records, lib) == [b"keep/a.mkv"]
    assert stats.skipped["folder with empty .ignore"] == 1


def test_a_non_empty_ignore_file_skips_only_what_its_patterns_match(
    tmp_path: Path, make_tree: MakeTree
) -> None:
    lib = make_tree({"show/.ignore": "# extras we don't want\n*.txt\nSample\n",
                     "show/e1.mkv": 1, "show/notes.txt": 1, "show/Sample/s.mkv": 1,
                     "show/deep/readme.txt": 1, "other/notes.txt": 1})
    records, _ = _scan(tmp_path / "work", lib)
    assert _rels(records, lib) == [b"other/notes.txt", b"show/e1.mkv"]


def test_excludes_match_relative_paths_and_bare_names(tmp_path: Path,
                                                      make_tree: MakeTree) -> None:
    lib = make_tree({"a.mkv": 1, "a.mkv.part": 1, "Downloads/x.mkv": 1, "m/@eaDir/t.jpg": 1,
                     "m/keep.mkv": 1})
    records, stats = _scan(tmp_path / "work", lib, exclude=["*.part", "Downloads/*", "@eaDir"])
    assert _rels(records, lib) == [b"a.mkv", b"m/keep.mkv"]
    assert stats.skipped["excluded"] == 3


def test_min_size_leaves_out_smaller_files(tmp_path: Path, make_tree: MakeTree) -> None:
    lib = make_tree({"empty.mkv": 0, "small.srt": 10, "big.mkv": 1000})
    records, stats = _scan(tmp_path / "work", lib, min_size=11)
    assert _rels(records, lib) == [b"big.mkv"]
    assert stats.skipped["below min_size"] == 2
    everything, _ = _scan(tmp_path / "work", lib, min_size=0)
    assert len(everything) == 3


def test_several_roots_are_scanned_in_order_and_nested_roots_once(
    tmp_path: Path, make_tree: MakeTree
) -> None:
    movies = make_tree({"m.mkv": 1, "sub/n.mkv": 1})
    music = make_tree({"s.flac": 1})
    records, _ = _scan(tmp_path / "work", music, movies, movies / "sub")
    assert [from_wire(r.path) for r in records] == [
        str(movies / "m.mkv"), str(movies / "sub/n.mkv"), str(music / "s.flac")]
    assert [r.root for r in records] == [str(movies), str(movies), str(music)]
    assert normalise_roots([str(movies / "sub"), str(movies)]) == [str(movies)]


def test_a_symlink_loop_ends_with_each_file_once_when_following_links(
    tmp_path: Path, make_tree: MakeTree
) -> None:
    lib = make_tree({"a/file.mkv": 1, "b/other.mkv": 1})
    os.symlink("..", lib / "a" / "up")  # a/up -> lib: a loop
    os.symlink(lib / "b", lib / "a" / "to_b")  # a second way into b
    records, stats = _scan(tmp_path / "work", lib, follow_symlinks=True)
    assert sorted(_rels(records, lib)) == [b"a/file.mkv", b"a/to_b/other.mkv"]
    assert stats.skipped["folder already walked (symlink loop or duplicate)"] == 2


def test_symlinked_folders_are_not_entered_by_default(tmp_path: Path,
                                                     make_tree: MakeTree) -> None:
    lib = make_tree({"a/file.mkv": 1})
    outside = make_tree({"secret.mkv": 1})
    os.symlink(outside, lib / "link")
    os.symlink("..", lib / "a" / "loop")
    records, stats = _scan(tmp_path / "work", lib)
    assert _rels(records, lib) == [b"a/file.mkv"]
    assert stats.skipped["symlinked folder"] == 2


def test_file_symlinks_are_recorded_and_broken_ones_are_error_records(
    tmp_path: Path, make_tree: MakeTree
) -> None:
    lib = make_tree({"real.mkv": 42})
    os.symlink(lib / "real.mkv", lib / "alias.mkv")
    os.symlink(lib / "missing.mkv", lib / "broken.mkv")
    records, stats = _scan(tmp_path / "work", lib)
    by_name = {Path(r.path).name: r for r in records}
    assert by_name["alias.mkv"].link and by_name["alias.mkv"].size == 42
    assert not by_name["real.mkv"].link
    assert by_name["broken.mkv"].error is not None
    assert by_name["broken.mkv"].error.code == "broken_symlink"
    assert stats.errors == 1


def test_a_folder_removed_mid_walk_becomes_an_error_record(tmp_path: Path,
                                                           make_tree: MakeTree) -> None:
    lib = make_tree({"a/1.mkv": 1, "b/2.mkv": 1, "c/3.mkv": 1})
    stats = ScanStats()
    records = walk([str(lib)], DEFAULTS, stats)
    first = next(records)  # the walk has listed the root; now b disappears under it
    shutil.rmtree(lib / "b")
    rest = list(records)
    assert first.path.endswith("a/1.mkv")
    assert [(Path(r.path).name, r.error.code if r.error else None) for r in rest] == [
        ("b", "vanished"), ("3.mkv", None)]
    assert stats.errors == 1


def test_a_file_removed_mid_walk_becomes_an_error_record(tmp_path: Path,
                                                         make_tree: MakeTree) -> None:
    lib = make_tree({"a/1.mkv": 1, "a/2.mkv": 1, "a/3.mkv": 1})
    records = walk([str(lib)], DEFAULTS, ScanStats())
    next(records)
    (lib / "a" / "2.mkv").unlink()
    rest = list(records)
    assert rest[0].error is not None and rest[0].error.code == "vanished"
    assert rest[1].path.endswith("3.mkv") and rest[1].error is None


def test_a_library_root_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    from pipeline.core.errors import UsageError

    with pytest.raises(UsageError, match="does not exist"):
        normalise_roots([str(tmp_path / "nope")])
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="not a folder"):
        normalise_roots([str(tmp_path / "file")])


def _walk_as_nobody(root: Path) -> list[ScanRecord]:
    """Walk in a forked child without root's right to read every folder."""
    import msgspec

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            found = list(walk([str(root)], DEFAULTS, ScanStats()))
            os.write(write_end, msgspec.json.encode(found))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as handle:
        data = handle.read()
    os.waitpid(pid, 0)
    return msgspec.json.decode(data, type=list[ScanRecord])


def test_an_unreadable_folder_becomes_an_error_record_and_the_walk_goes_on() -> None:
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="jforg-perm-"))
    try:
        base.chmod(0o755)
        for rel in ("locked/secret.mkv", "open/a.mkv"):
            (base / rel).parent.mkdir(parents=True, exist_ok=True)
            (base / rel).write_bytes(b"x")
        (base / "locked").chmod(0)
        if os.geteuid() == 0:
            records = _walk_as_nobody(base)
        else:
            records = list(walk([str(base)], DEFAULTS, ScanStats()))
        assert [(Path(r.path).name, r.error.code if r.error else None) for r in records] == [
            ("locked", "permission_denied"), ("a.mkv", None)]
        assert records[0].cls == "folder"
    finally:
        (base / "locked").chmod(0o755)
        shutil.rmtree(base)


def test_one_process_and_several_write_the_same_bytes(tmp_path: Path,
                                                      make_tree: MakeTree) -> None:
    files: dict[str | bytes, int | str] = {}
    for show in range(12):
        for episode in range(8):
            files[f"Shows/Show {show}/Season 1/S01E{episode:02d}.mkv"] = episode
        files[f"Shows/Show {show}/poster.jpg"] = 3
    files.update({"Shows/Show 3/.ignore": "", "Shows/Show 4/.ignore": "*.jpg\n",
                  "Movies/a.part": 1, "Movies/M (2000)/M (2000).mkv": 9, "top.nfo": "x",
                  b"Movies/caf\xe9/x.mkv": 4, "Music/A/B/01.flac": 2, ".hidden/x.mkv": 1})
    lib = make_tree(files)
    os.symlink(lib / "nowhere", lib / "Movies" / "broken.mkv")
    outputs = []
    for jobs in (1, 2, 3):
        records, stats = _scan(tmp_path / f"w{jobs}", lib, jobs=jobs, exclude=["*.part"])
        lines = (tmp_path / f"w{jobs}" / "scan.jsonl").read_bytes().split(b"\n", 1)[1]
        outputs.append((lines, stats.files, stats.bytes, stats.errors, stats.skipped))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0][3] == 1  # the broken symlink, counted once
    assert outputs[0][4]["folder with empty .ignore"] == 1
    assert len(records) == 12 * 9 - 9 - 1 + 5
