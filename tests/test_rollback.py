"""rollback: the original tree back exactly, and nothing the user changed is touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.organize_helpers import (
    Lib,
    build,
    files_below,
    jforg,
    replan,
    run,
    snapshot,
    write_files,
)


@pytest.fixture
def lib(tmp_path: Path) -> Lib:
    return build(tmp_path)


@pytest.mark.parametrize("mode", ["move", "copy", "hardlink", "symlink"])
def test_rollback_gives_back_the_original_tree_exactly(lib: Lib, mode: str) -> None:
    before = snapshot(lib.root)
    run(lib, mode=mode)
    assert snapshot(lib.root) != before or mode != "move"
    result = jforg(lib, "rollback", "--last")
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(lib.root) == before
    assert not lib.dest.exists()  # every folder it made, and only those, is gone
    assert "0 left as they are" in result.stdout


def test_rolling_back_twice_is_a_no_op_that_says_so(lib: Lib) -> None:
    run(lib)
    jforg(lib, "rollback", "--last")
    again = jforg(lib, "rollback", "--last")
    assert again.returncode == 0 and "already rolled back; nothing to do" in again.stdout


def test_a_file_edited_since_is_left_in_place_and_reported(lib: Lib) -> None:
    before = snapshot(lib.root)
    run(lib)
    edited = lib.dest / "Movies/Heat (1995)/Heat (1995).mkv"
    with open(edited, "ab") as handle:
        handle.write(b"the user's own edit")
    result = jforg(lib, "rollback", "--last")
    assert result.returncode == 1
    assert "changed since it was organized" in result.stdout and "Heat (1995).mkv" in result.stdout
    assert edited.read_bytes().endswith(b"the user's own edit")  # still where the user left it
    back = snapshot(lib.root)
    del before[b"Films/Heat (1995)/Heat (1995).mkv"]
    assert back == before
    assert files_below(lib.dest) == [b"Movies/Heat (1995)/Heat (1995).mkv"]


def test_a_destination_folder_the_user_deleted_is_reported_not_invented(lib: Lib) -> None:
    import shutil

    run(lib)
    shutil.rmtree(lib.dest / "Shows")
    result = jforg(lib, "rollback", "--last")
    assert result.returncode == 1
    # The three episodes were in the deleted folder (offline, no NFO was worth writing).
    assert result.stdout.count("missing at the destination") == 3
    assert not (lib.root / "TV/Lost/Season 1").exists() or \
        not list((lib.root / "TV/Lost/Season 1").iterdir())
    assert (lib.root / "Films/Heat (1995)/Heat (1995).mkv").is_file()


def test_a_file_the_user_added_keeps_its_folder(lib: Lib) -> None:
    run(lib)
    mine = lib.dest / "Movies/Heat (1995)/notes.txt"
    mine.write_text("mine")
    jforg(lib, "rollback", "--last")
    assert mine.read_text() == "mine"  # never deleted: the transaction did not create it


def test_rolling_back_an_older_transaction_leaves_the_newer_ones_files(lib: Lib) -> None:
    run(lib)
    write_files(lib.root, {"Films/Dune (2021)/Dune (2021).mkv": 2222})
    replan(lib)
    second = run(lib)
    assert second.steps["move (rename)"] == 1
    first_txn = jforg(lib, "rollback", "--list").stdout.splitlines()[0].split()[0]
    result = jforg(lib, "rollback", first_txn)
    assert result.returncode == 0, result.stdout
    assert "later transactions were not rolled back first" in result.stdout
    assert (lib.dest / "Movies/Dune (2021)/Dune (2021).mkv").is_file()
    assert (lib.root / "Films/Heat (1995)/Heat (1995).mkv").is_file()
    jforg(lib, "rollback", "--last")
    assert (lib.root / "Films/Dune (2021)/Dune (2021).mkv").is_file()
    # dest/ and dest/Movies were the first transaction's and held Dune when it was
    # rolled back; the second did not make them, so they stay, empty.
    assert files_below(lib.dest) == []


def test_list_and_show_describe_the_transactions(lib: Lib) -> None:
    run(lib)
    listing = jforg(lib, "rollback", "--list").stdout.splitlines()
    assert len(listing) == 1 and listing[0].endswith("committed") and " move " in listing[0]
    txn = listing[0].split()[0]
    shown = jforg(lib, "rollback", "--show", txn).stdout
    assert shown.startswith(f"transaction {txn}: committed")
    assert "move done 10" in shown and "Heat (1995).mkv" in shown
    jforg(lib, "rollback", txn)
    assert jforg(lib, "rollback", "--list").stdout.rstrip().endswith("rolled back")


def test_rollback_needs_to_be_told_which(lib: Lib) -> None:
    result = jforg(lib, "rollback")
    assert result.returncode == 2 and "TXN_ID, --last, --list" in result.stderr
    assert jforg(lib, "rollback", "--last").returncode == 2  # nothing organized yet
    run(lib)
    assert "no single transaction" in jforg(lib, "rollback", "nope").stderr


def test_a_user_file_at_a_source_path_is_never_replaced(lib: Lib) -> None:
    run(lib)
    squatter = lib.root / "Films/Heat (1995)/Heat (1995).mkv"
    squatter.write_bytes(b"a new file with the old name")
    result = jforg(lib, "rollback", "--last")
    assert result.returncode == 1 and "its source path is taken again" in result.stdout
    assert squatter.read_bytes() == b"a new file with the old name"
    assert (lib.dest / "Movies/Heat (1995)/Heat (1995).mkv").is_file()
    assert os.path.getsize(lib.dest / "Movies/Heat (1995)/Heat (1995).mkv") == 3000
