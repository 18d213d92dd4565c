"""The journal's state read from its ends (``peek``) is the state a full replay (``load``) gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.organize import journal as jr
from pipeline.organize.journal import Header, Journal, Line, load, peek


def _header(txn: str) -> Header:
    return Header(jr.JOURNAL_SCHEMA, txn, "2026-12-02T03:00:00Z", "jforg test", "plan-hash",
                  "move", "/dest")


def _intent(op: int) -> Line:
    return Line("intent", op, action="move", entry=op, source=f"/lib/{op:06d}.mkv",
                dest=f"/dest/Movies/Film {op:06d} (2001)/Film {op:06d} (2001).mkv")


def _write(work: Path, txn: str, lines: list[Line], torn: bytes = b"") -> Path:
    with Journal.create(work, _header(txn)) as journal:
        for line in lines:
            journal.append(line)
    path = work / jr.FOLDER / f"{txn}.jsonl"
    if torn:
        with open(path, "ab") as handle:
            handle.write(torn)
    return path


MANY = 3000  # lines enough that the tail read starts far inside the file

CASES = [
    ("header only", [], b""),
    ("in flight", [_intent(0)], b""),
    ("done, no end yet", [_intent(0), Line("done", 0)], b""),
    ("committed", [_intent(0), Line("done", 0), Line("commit")], b""),
    ("interrupted", [_intent(0), Line("done", 0), Line("interrupted")], b""),
    ("resumed after an interruption", [Line("interrupted"), _intent(1)], b""),
    ("rolled back", [_intent(0), Line("done", 0), Line("commit"), Line("undo", 0),
                     Line("undone", 0), Line("rolled-back")], b""),
    ("a rollback that died", [_intent(0), Line("done", 0), Line("commit"), Line("undo", 0)],
     b""),
    ("torn last line", [_intent(0), Line("done", 0), Line("commit")], b'{"type":"int'),
    ("long, committed", [line for n in range(MANY) for line in (_intent(n), Line("done", n))]
     + [Line("commit")], b""),
    ("long, no terminal in the tail",
     [Line("interrupted")] + [line for n in range(MANY) for line in (Line("undo", n),
                                                                      Line("undone", n))],
     b""),
    ("long, all done lines after one intent",
     [_intent(0)] + [Line("done", n) for n in range(MANY * 3)], b""),
]


@pytest.mark.parametrize(("lines", "torn"), [(c[1], c[2]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_peek_gives_the_header_and_state_a_full_replay_gives(
        tmp_path: Path, lines: list[Line], torn: bytes) -> None:
    path = _write(tmp_path, "20261202T030000-000000Z-abcdef", lines, torn)
    header, state = peek(path)
    txn = load(path)
    assert (header, state) == (txn.header, txn.state)


def test_a_journal_without_a_whole_header_is_refused_like_load_refuses_it(
        tmp_path: Path) -> None:
    path = tmp_path / "torn.jsonl"
    path.write_bytes(b'{"journal":"jforg.journal/1","txn"')
    for read in (peek, load):
        with pytest.raises(ValueError, match="empty journal"):
            read(path)
