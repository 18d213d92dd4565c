"""What ``jforg run`` may skip: a stage whose inputs are those it last wrote its output from.

The contract, which a nightly run over an unchanged library relies on:

- **scan always walks** (the library may have changed). When its records come
  out the same as those of the previous ``scan.jsonl``, the previous file is
  kept, bytes and all: only the header's ``created`` would differ, and keeping
  it means every later stage sees its input's sha256 unchanged.
- **a later stage is skipped** when the ledger ``WORK/run.json`` says its
  outputs were written from inputs equal to today's: the sha256 of each input
  manifest (what the outputs' headers record), the settings and flags the
  stage reads (which no header holds), and the jforg version; and when its
  outputs are still the files it wrote then (same sha256). Anything else —
  no ledger, an output changed by a command run alone, a newer jforg, a
  provider that was down last time — runs the stage.
- **hashes are cached** by (size, mtime_ns, inode): manifests are only ever
  replaced by a rename, never edited in place, so an unchanged stat is an
  unchanged file and a nightly run re-reads no manifest it did not write.

This module decides; ``runner`` walks the stage table and asks it. It
imports no stage.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import msgspec

from pipeline import __version__
from pipeline.core.digest import sha256_hex
from pipeline.core.manifest import file_sha256, read_manifest, write_file_atomic
from pipeline.core.paths import from_wire, sort_key
from pipeline.core.records import SCAN_SCHEMA, Header
from pipeline.core.settings import Settings

__all__ = ["LEDGER", "SKIPPABLE", "Ledger", "RunFlags", "ScanChange", "StageEntry",
           "hold_previous", "no_provider_was_down", "release_previous", "settle_scan",
           "stage_inputs"]

LEDGER = "run.json"
LEDGER_SCHEMA = "jforg.run/1"
_CHUNK = 1 << 20


class RunFlags(msgspec.Struct, frozen=True):
    """The flags of one ``jforg run`` that decide what a stage writes (resolved)."""

    roots: tuple[str, ...] = ()
    offline: bool = False
    providers: tuple[str, ...] = ()
    dest: str | None = None
    conflict: str | None = None
    accept: str | None = None
    force: bool = False


class _Stamp(msgspec.Struct, frozen=True, array_like=True):
    size: int
    mtime_ns: int
    inode: int
    sha256: str


class StageEntry(msgspec.Struct, frozen=True):
    """What a stage was last made from, what it wrote, how many items failed, when."""

    inputs: dict[str, str]
    outputs: dict[str, str]
    failed: int = 0
    at: float = 0.0  # seconds since the epoch


class _LedgerFile(msgspec.Struct):
    schema: str = LEDGER_SCHEMA
    files: dict[str, _Stamp] = msgspec.field(default_factory=dict)
    stages: dict[str, StageEntry] = msgspec.field(default_factory=dict)


# stage -> (input files, output files); the options each stage reads are in _options.
_FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "probe": (("scan.jsonl",), ("probe.jsonl",)),
    "enrich": (("probe.jsonl",), ("enrich.jsonl", "enrich.summary.json")),
    "verify": (("scan.jsonl",), ("verify.json",)),
    "plan": (("probe.jsonl", "enrich.jsonl"), ("plan.jsonl",)),
    "report": (("scan.jsonl", "probe.jsonl", "enrich.jsonl", "enrich.summary.json",
                "verify.json", "plan.jsonl"), ("report.json", "report.html")),
}

SKIPPABLE = frozenset(_FILES)


def _options(stage: str, settings: Settings, flags: RunFlags) -> Any:
    """The settings and flags ``stage`` reads; what only changes its speed is left out."""
    if stage == "probe":
        # How many workers, where and in what batches: the records are the same.
        return msgspec.structs.replace(settings.probe, jobs=0, backend="loky", scheduler=None,
                                       batch_size=0)
    if stage == "enrich":
        providers = msgspec.to_builtins(settings.providers)
        tmdb = providers["tmdb"]
        # Whether a key is set changes the answers; the key itself is never written down.
        tmdb["api_key"], tmdb["bearer_token"] = bool(tmdb["api_key"]), bool(tmdb["bearer_token"])
        for conf in providers.values():
            conf.pop("rate", None)
        overrides = settings.enrich.overrides
        return [flags.offline, sorted(flags.providers),
                msgspec.structs.replace(settings.enrich, threads=0),
                _sha_or_absent(Path(overrides)) if overrides else None, providers,
                settings.cache]
    if stage == "verify":
        return sorted(flags.roots)
    if stage == "plan":
        return [flags.dest, flags.conflict, flags.accept, settings.naming, settings.organize,
                settings.enrich.confidence]
    return None


def _sha_or_absent(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError:
        return "absent"


def stage_inputs(stage: str, settings: Settings, flags: RunFlags,
                 sha: Callable[[str], str | None]) -> dict[str, str]:
    """Everything ``stage``'s outputs depend on, as strings to compare with the ledger."""
    inputs = {name: sha(name) or "absent" for name in _FILES[stage][0]}
    options = msgspec.json.encode(_options(stage, settings, flags))
    inputs["options"] = sha256_hex(options)
    inputs["tool"] = __version__
    return inputs


class Ledger:
    """``WORK/run.json``: per stage its last inputs and outputs, and a hash cache.

    Read once per run, written only when something in it changed.
    """

    def __init__(self, work: Path) -> None:
        self.work = work
        self._dirty = False
        try:
            data = msgspec.json.decode((work / LEDGER).read_bytes(), type=_LedgerFile)
        except (OSError, msgspec.DecodeError):
            data = _LedgerFile()  # no ledger (or an unreadable one): nothing is skipped
        if data.schema != LEDGER_SCHEMA:
            data = _LedgerFile()
        self._data = data

    def sha(self, name: str) -> str | None:
        """sha256 of ``WORK/name`` (None when it does not exist), re-read only when its
        stat changed since it was last hashed."""
        path = self.work / name
        try:
            st = os.stat(path)
        except OSError:
            return None
        known = self._data.files.get(name)
        if known is not None and (known.size, known.mtime_ns, known.inode) == (
                st.st_size, st.st_mtime_ns, st.st_ino):
            return known.sha256
        digest = file_sha256(path)
        self._data.files[name] = _Stamp(st.st_size, st.st_mtime_ns, st.st_ino, digest)
        self._dirty = True
        return digest

    def check(self, stage: str, settings: Settings, flags: RunFlags
              ) -> tuple[dict[str, str], StageEntry | None]:
        """``stage``'s inputs now, and its ledger entry when it can be skipped."""
        inputs = stage_inputs(stage, settings, flags, self.sha)
        if stage == "probe" and flags.force:
            return inputs, None
        if stage == "enrich" and not flags.offline:
            # Answers age out of the HTTP cache; a provider that was down is asked again.
            return inputs, self.fresh(stage, inputs, max_age_s=settings.cache.ttl_days * 86400.0,
                                      still_good=no_provider_was_down)
        return inputs, self.fresh(stage, inputs)

    def fresh(self, stage: str, inputs: Mapping[str, str], *,
              max_age_s: float | None = None,
              still_good: Callable[[Path], bool] | None = None) -> StageEntry | None:
        """The ledger entry when ``stage`` can be skipped, else None.

        ``max_age_s``: older outputs are made again (enrich: the cache's TTL);
        ``still_good(work)``: a last check on what the outputs say (enrich: no
        provider was down).
        """
        entry = self._data.stages.get(stage)
        if entry is None or entry.inputs != dict(inputs):
            return None
        if max_age_s is not None and time.time() - entry.at > max_age_s:
            return None
        for name in _FILES[stage][1]:
            if self.sha(name) != entry.outputs.get(name):
                return None
        if still_good is not None and not still_good(self.work):
            return None
        return entry

    def record(self, stage: str, inputs: Mapping[str, str], failed: int) -> None:
        """Note that ``stage`` just wrote its outputs from ``inputs``."""
        outputs = {name: digest for name in _FILES[stage][1]
                   if (digest := self.sha(name)) is not None}
        self._data.stages[stage] = StageEntry(dict(inputs), outputs, failed, time.time())
        self._dirty = True
        self.save()

    def forget(self, stage: str) -> None:
        if self._data.stages.pop(stage, None) is not None:
            self._dirty = True

    def save(self) -> None:
        if self._dirty:
            write_file_atomic(self.work / LEDGER, msgspec.json.encode(self._data) + b"\n")
            self._dirty = False


def no_provider_was_down(work: Path) -> bool:
    """enrich's summary names no provider disabled for its run (outage, bad key)."""
    try:
        summary = msgspec.json.decode((work / "enrich.summary.json").read_bytes())
    except (OSError, msgspec.DecodeError):
        return False
    providers = summary.get("providers", {}) if isinstance(summary, dict) else {}
    return not any(str(status).startswith("disabled") for status in providers.values())


# --------------------------------------------------------------------------- scan


class ScanChange(msgspec.Struct, frozen=True):
    """How a new scan differs from the previous one (all new on a first scan)."""

    unchanged: bool
    new: int = 0
    changed: int = 0  # same path, another size or mtime
    gone: int = 0
    first: bool = False


def _held_name(manifest: Path) -> Path:
    # A temporary by the work folder's rule (.<name>.<pid>.tmp): swept if we die.
    return manifest.with_name(f".{manifest.name}.prev.{os.getpid()}.tmp")


def hold_previous(manifest: Path) -> Path | None:
    """Keep the current ``manifest`` aside (a hard link; a rename where links are not
    allowed) while the stage writes a new one; None when there is none."""
    if not manifest.exists():
        return None
    held = _held_name(manifest)
    with contextlib.suppress(FileNotFoundError):
        held.unlink()
    try:
        os.link(manifest, held)
    except OSError:
        os.replace(manifest, held)
    return held


def release_previous(manifest: Path, held: Path | None) -> None:
    """The stage failed: put the previous manifest back if it had been moved aside."""
    if held is None:
        return
    if manifest.exists():
        held.unlink(missing_ok=True)
    else:
        os.replace(held, manifest)


def settle_scan(manifest: Path, held: Path | None, total: int) -> ScanChange:
    """Compare the new scan (``total`` records) with the held one; keep the held bytes
    when the records are the same, so the manifest is byte-identical to last time."""
    if held is None:
        return ScanChange(unchanged=False, new=total, first=True)
    try:
        if _same_records(held, manifest):
            os.replace(held, manifest)
            return ScanChange(unchanged=True)
        return _diff(held, manifest)
    finally:
        held.unlink(missing_ok=True)


def _same_records(old: Path, new: Path) -> bool:
    """Equal but for the header's ``created``: same schema, tool, inputs, records."""
    with open(old, "rb") as a, open(new, "rb") as b:
        if os.fstat(a.fileno()).st_size != os.fstat(b.fileno()).st_size:
            return False
        try:
            head_a = msgspec.json.decode(a.readline(), type=Header)
            head_b = msgspec.json.decode(b.readline(), type=Header)
        except msgspec.DecodeError:
            return False
        if msgspec.structs.replace(head_a, created="") != msgspec.structs.replace(head_b,
                                                                                  created=""):
            return False
        while True:
            chunk = a.read(_CHUNK)
            if chunk != b.read(_CHUNK):
                return False
            if not chunk:
                return True


class _Stat(msgspec.Struct, frozen=True):
    path: str
    size: int | None = None
    mtime_ns: int | None = None


def _diff(old: Path, new: Path) -> ScanChange:
    """Count new, changed and gone files by a merge join of the two sorted manifests."""
    olds = read_manifest(old, SCAN_SCHEMA, _Stat)[1]
    news = read_manifest(new, SCAN_SCHEMA, _Stat)[1]
    new_count = changed = gone = 0
    a, b = next(olds, None), next(news, None)
    while a is not None or b is not None:
        ka = sort_key(from_wire(a.path)) if a is not None else None
        kb = sort_key(from_wire(b.path)) if b is not None else None
        if kb is None or (ka is not None and ka < kb):
            gone += 1
            a = next(olds, None)
        elif ka is None or kb < ka:
            new_count += 1
            b = next(news, None)
        else:
            assert a is not None and b is not None
            if (a.size, a.mtime_ns) != (b.size, b.mtime_ns):
                changed += 1
            a, b = next(olds, None), next(news, None)
    return ScanChange(unchanged=False, new=new_count, changed=changed, gone=gone)
