"""What `jforg run` may skip: the scan kept byte-identical, the ledger, its hash cache."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec
import pytest

from pipeline import freshness
from pipeline.core.records import SCAN_SCHEMA, Header, ScanRecord
from pipeline.core.settings import Settings
from pipeline.core.workdir import sweep_leftovers

ROOT = "/media"


def _record(rel: str, size: int = 10, mtime_ns: int = 1) -> ScanRecord:
    return ScanRecord(f"{ROOT}/{rel}", ROOT, "video", size, mtime_ns, 1, 1)


def _write_scan(path: Path, records: list[ScanRecord], created: str,
                settings: str = "abc") -> None:
    """As scan.run writes it: a new file renamed into place, never an edit in place."""
    header = Header(SCAN_SCHEMA, created, "0.1.0", {"settings": settings})
    encoder = msgspec.json.Encoder()
    tmp = path.with_name(".new")
    tmp.write_bytes(encoder.encode(header) + b"\n" + encoder.encode_lines(records))
    tmp.replace(path)


@pytest.fixture
def scan_path(tmp_path: Path) -> Path:
    return tmp_path / "scan.jsonl"


def test_a_scan_with_the_same_records_keeps_the_previous_file_bytes_and_all(
        scan_path: Path) -> None:
    records = [_record("a.mkv"), _record("b/c.mkv")]
    _write_scan(scan_path, records, "2026-12-01T03:00:00+00:00")
    before = scan_path.read_bytes()
    held = freshness.hold_previous(scan_path)
    _write_scan(scan_path, records, "2026-12-02T03:00:00+00:00")  # what scan.run writes
    change = freshness.settle_scan(scan_path, held, len(records))
    assert change.unchanged and (change.new, change.changed, change.gone) == (0, 0, 0)
    assert scan_path.read_bytes() == before
    assert os.listdir(scan_path.parent) == ["scan.jsonl"]  # nothing held aside is left


@pytest.mark.parametrize(("after", "expected"), [
    ([_record("a.mkv"), _record("b/c.mkv"), _record("b/d.mkv")], (1, 0, 0)),
    ([_record("a.mkv", size=11), _record("b/c.mkv")], (0, 1, 0)),
    ([_record("a.mkv"), _record("b/c.mkv", mtime_ns=2)], (0, 1, 0)),
    ([_record("b/c.mkv")], (0, 0, 1)),
    ([_record("a b.mkv"), _record("b/c.mkv")], (1, 0, 1)),
    ([_record("0.mkv"), _record("b/c.mkv"), _record("z/z.mkv")], (2, 0, 1)),
])
def test_a_changed_scan_counts_new_changed_and_gone_files(
        scan_path: Path, after: list[ScanRecord], expected: tuple[int, int, int]) -> None:
    _write_scan(scan_path, [_record("a.mkv"), _record("b/c.mkv")], "2026-12-01T03:00:00+00:00")
    held = freshness.hold_previous(scan_path)
    _write_scan(scan_path, after, "2026-12-02T03:00:00+00:00")
    change = freshness.settle_scan(scan_path, held, len(after))
    assert not change.unchanged
    assert (change.new, change.changed, change.gone) == expected


def test_other_scan_settings_are_a_change_even_with_the_same_records(scan_path: Path) -> None:
    _write_scan(scan_path, [_record("a.mkv")], "2026-12-01T03:00:00+00:00")
    held = freshness.hold_previous(scan_path)
    _write_scan(scan_path, [_record("a.mkv")], "2026-12-02T03:00:00+00:00", settings="xyz")
    assert not freshness.settle_scan(scan_path, held, 1).unchanged


def test_a_first_scan_counts_every_file_as_new(scan_path: Path) -> None:
    assert freshness.hold_previous(scan_path) is None
    _write_scan(scan_path, [_record("a.mkv")], "2026-12-02T03:00:00+00:00")
    change = freshness.settle_scan(scan_path, None, 1)
    assert change.first and change.new == 1


def test_a_failed_scan_leaves_the_previous_manifest(scan_path: Path) -> None:
    _write_scan(scan_path, [_record("a.mkv")], "2026-12-01T03:00:00+00:00")
    before = scan_path.read_bytes()
    held = freshness.hold_previous(scan_path)
    assert held is not None
    os.replace(held, scan_path.with_name("moved-aside"))  # as the rename fallback leaves it
    os.replace(scan_path.with_name("moved-aside"), held)
    scan_path.unlink()
    freshness.release_previous(scan_path, held)
    assert scan_path.read_bytes() == before and not held.exists()


def test_what_a_killed_run_held_aside_is_swept_by_the_next_one(scan_path: Path) -> None:
    _write_scan(scan_path, [_record("a.mkv")], "2026-12-01T03:00:00+00:00")
    held = freshness.hold_previous(scan_path)
    assert held is not None and held.exists()
    assert sweep_leftovers(scan_path.parent) == [held.name]
    assert scan_path.exists()


def test_the_ledger_rehashes_a_file_only_when_its_stat_changed(tmp_path: Path) -> None:
    (tmp_path / "probe.jsonl").write_text("one\n")
    ledger = freshness.Ledger(tmp_path)
    first = ledger.sha("probe.jsonl")
    ledger.save()
    again = freshness.Ledger(tmp_path)
    assert again.sha("probe.jsonl") == first
    replacement = tmp_path / ".probe.jsonl.tmp"
    replacement.write_text("two\n")
    replacement.replace(tmp_path / "probe.jsonl")  # how manifests are always written
    assert again.sha("probe.jsonl") != first
    assert again.sha("absent.jsonl") is None


def test_a_stage_is_fresh_only_with_the_same_inputs_and_its_own_outputs(tmp_path: Path) -> None:
    (tmp_path / "scan.jsonl").write_text("scan\n")
    (tmp_path / "verify.json").write_text("{}\n")
    ledger = freshness.Ledger(tmp_path)
    flags = freshness.RunFlags(roots=("/media",))
    inputs, entry = ledger.check("verify", Settings(), flags)
    assert entry is None  # never ran
    ledger.record("verify", inputs, failed=2)
    _, entry = freshness.Ledger(tmp_path).check("verify", Settings(), flags)
    assert entry is not None and entry.failed == 2
    other_roots = freshness.RunFlags(roots=("/media", "/more"))
    assert freshness.Ledger(tmp_path).check("verify", Settings(), other_roots)[1] is None
    (tmp_path / "verify.json").write_text('{"edited": true}\n')
    assert freshness.Ledger(tmp_path).check("verify", Settings(), flags)[1] is None


def test_an_unreadable_ledger_skips_nothing(tmp_path: Path) -> None:
    (tmp_path / "run.json").write_text("not json")
    (tmp_path / "scan.jsonl").write_text("scan\n")
    assert freshness.Ledger(tmp_path).check("probe", Settings(), freshness.RunFlags())[1] is None


def test_enrich_inputs_know_whether_a_key_is_set_but_never_the_key(tmp_path: Path) -> None:
    def with_key(key: str | None) -> Settings:
        base = Settings()
        tmdb = msgspec.structs.replace(base.providers.tmdb, api_key=key)
        return msgspec.structs.replace(
            base, providers=msgspec.structs.replace(base.providers, tmdb=tmdb))

    ledger = freshness.Ledger(tmp_path)
    flags = freshness.RunFlags()
    one = freshness.stage_inputs("enrich", with_key("key-one-0123456789"), flags, ledger.sha)
    two = freshness.stage_inputs("enrich", with_key("key-two-9876543210"), flags, ledger.sha)
    none = freshness.stage_inputs("enrich", with_key(None), flags, ledger.sha)
    assert one == two != none
    ledger.record("enrich", one, failed=0)
    assert b"key-one" not in (tmp_path / "run.json").read_bytes()


@pytest.mark.parametrize(("providers", "usable"), [
    ({"tmdb": "asked", "musicbrainz": "offline"}, True),
    ({"tmdb": "disabled: 401 Unauthorized", "musicbrainz": "asked"}, False),
])
def test_enrich_is_asked_again_when_a_provider_was_down(
        tmp_path: Path, providers: dict[str, str], usable: bool) -> None:
    (tmp_path / "enrich.summary.json").write_text(msgspec.json.encode(
        {"schema": "jforg.enrich-summary/1", "manifest": "x", "providers": providers,
         "requests": {}}).decode())
    assert freshness.no_provider_was_down(tmp_path) is usable
    assert not freshness.no_provider_was_down(tmp_path / "nowhere")


def test_enrich_answers_older_than_the_cache_ttl_are_asked_again(tmp_path: Path) -> None:
    for name in ("probe.jsonl", "enrich.jsonl", "enrich.summary.json"):
        (tmp_path / name).write_text("{}\n")
    ledger = freshness.Ledger(tmp_path)
    inputs = freshness.stage_inputs("enrich", Settings(), freshness.RunFlags(), ledger.sha)
    ledger.record("enrich", inputs, failed=0)
    assert ledger.fresh("enrich", inputs, max_age_s=3600) is not None
    assert ledger.fresh("enrich", inputs, max_age_s=-1) is None


def test_settings_that_only_change_the_speed_do_not_make_a_stage_run_again(
        tmp_path: Path) -> None:
    base = Settings()
    ledger = freshness.Ledger(tmp_path)
    flags = freshness.RunFlags()

    def probe_inputs(**changes: object) -> dict[str, str]:
        settings = msgspec.structs.replace(base, probe=msgspec.structs.replace(base.probe,
                                                                              **changes))
        return freshness.stage_inputs("probe", settings, flags, ledger.sha)

    assert probe_inputs(jobs=7, batch_size=8, backend="dask") == probe_inputs()
    assert probe_inputs(timeout_s=5.0) != probe_inputs()
    faster = msgspec.structs.replace(base, enrich=msgspec.structs.replace(base.enrich,
                                                                         threads=2))
    assert freshness.stage_inputs("enrich", faster, flags, ledger.sha) == \
        freshness.stage_inputs("enrich", base, flags, ledger.sha)
