"""The probe stage: scan.jsonl in, probe.jsonl out — what each file is.

``probe_one(record, options)`` handles one file and knows nothing of
manifests or pools: videos get a parse of their name (with folder context),
MediaInfo's technical data, a role (main, sample, trailer …) and a
fingerprint; audio gets its tags; books their embedded metadata; sidecars
(subtitles, NFO, images, lyrics) their language, flags and owner.

Before any parser runs, the head the fingerprint reads (64 KiB) is sniffed
(``sniff.check``): a head of zeros is an unfinished download
(``incomplete``), one that matches no format the name promises is
``unrecognised``, and neither is handed to a parser; a video keeps the parse
of its name and its role either way. A parser that runs reads at most
``probe.max_read_mib`` of the file.

``run`` streams the scan manifest and sends the costly files (video, audio,
book) in batches to ``parallel.map_batches``; sidecars are cheap and done in
this process. A record is reused instead of re-probed when the previous
``probe.jsonl`` (or the checkpoint of an interrupted run) has the same path,
size and mtime under the same schema. Every finished batch is appended to a
checkpoint, so a killed probe resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import msgspec

from pipeline.core.errors import ItemFailure
from pipeline.core.manifest import ManifestWriter, file_sha256, read_manifest
from pipeline.core.paths import from_wire
from pipeline.core.records import (
    PROBE_SCHEMA,
    SCAN_SCHEMA,
    ItemError,
    ProbeRecord,
    ScanRecord,
)
from pipeline.core.settings import Settings
from pipeline.core.workdir import CHECKPOINT_INFIX
from pipeline.probe.reuse import EarlierRecords

__all__ = ["MANIFEST", "ProbeOptions", "ProbeStats", "probe_batch", "probe_one", "run",
           "warm_worker"]

MANIFEST = "probe.jsonl"
CHECKPOINT_PREFIX = "probe" + CHECKPOINT_INFIX  # swept once probe.jsonl is newer
HEAVY = frozenset({"video", "audio", "book"})
# Transient failures are retried on the next run instead of being reused.
_RETRY_CODES = frozenset({"vanished", "timeout", "unreadable", "probe_failed"})
_SUBTITLE_FOLDERS = frozenset({"subs", "subtitles", "sub", "subtitle"})


class ProbeOptions(msgspec.Struct, frozen=True):
    """What a worker needs to probe a file; small and picklable."""

    parse_speed: float = 0.0
    timeout_s: float = 20.0
    video_ext: frozenset[str] = frozenset()
    audio_ext: frozenset[str] = frozenset()
    max_read: int | None = 64 * 2**20  # bytes a parser may read of one file; None: no cap

    @classmethod
    def from_settings(cls, settings: Settings) -> ProbeOptions:
        ext = settings.scan.extensions
        probe = settings.probe
        return cls(parse_speed=probe.mediainfo_parse_speed, timeout_s=probe.timeout_s,
                   video_ext=frozenset(e.lower() for e in ext.video),
                   audio_ext=frozenset(e.lower() for e in ext.audio),
                   max_read=probe.max_read_mib * 2**20 or None)


class ProbeStats(msgspec.Struct):
    probed: int = 0
    reused: int = 0
    failed: int = 0
    total: int = 0
    elapsed: float = 0.0
    failures: dict[str, int] = msgspec.field(default_factory=dict)


# --- one file -----------------------------------------------------------------


def probe_one(record: ScanRecord, options: ProbeOptions) -> ProbeRecord:
    """Probe one scanned file. Never raises: failures become ``error``.

    A record with ``error`` may still carry what was learnt before the
    failure (a zero-byte video keeps the parse of its name).
    """
    if record.error is not None:
        return ProbeRecord(scan=record, error=record.error)
    path = from_wire(record.path)
    partial: dict[str, Any] = {}
    try:
        os.stat(path)
        if record.cls == "video":
            _video(record, path, options, partial)
        elif record.cls == "audio":
            _audio(record, path, options, partial)
        elif record.cls == "book":
            _book(record, path, options, partial)
        elif record.cls in ("subtitle", "nfo", "image"):
            _sidecar(record, path, options, partial)
    except ItemFailure as failure:
        return ProbeRecord(scan=record, error=ItemError(failure.code, failure.message), **partial)
    except FileNotFoundError:
        return ProbeRecord(scan=record, error=ItemError("vanished", "file disappeared since "
                                                        "the scan"), **partial)
    except PermissionError as exc:
        return ProbeRecord(scan=record, error=ItemError("unreadable", exc.strerror or str(exc)),
                           **partial)
    except _Timeout:
        return ProbeRecord(scan=record, error=ItemError(
            "timeout", f"probing took longer than {options.timeout_s:g} s"), **partial)
    except Exception as exc:  # one bad file must never stop the run
        return ProbeRecord(scan=record, error=ItemError("probe_failed",
                                                        f"{type(exc).__name__}: {exc}"), **partial)
    return ProbeRecord(scan=record, **partial)


def _video(record: ScanRecord, path: str, options: ProbeOptions, out: dict[str, Any]) -> None:
    from pipeline.probe.extras import classify_role
    from pipeline.probe.mediainfo import technical
    from pipeline.probe.parse import parse_video

    root = from_wire(record.root)
    parse = parse_video(path, root)
    out["parse"] = parse
    tech = None
    try:
        _gate(record, path, out)
        tech = technical(path, options.parse_speed, options.max_read)
    finally:
        # Even when MediaInfo fails (or is never asked) the name and folders
        # still tell the role.
        duration = tech.duration_s if tech is not None else None
        out["role"], out["role_reason"] = classify_role(path, root, duration, parse, record.size)
    out["technical"] = tech


def _audio(record: ScanRecord, path: str, options: ProbeOptions, out: dict[str, Any]) -> None:
    from pipeline.probe.tags import audio_info

    _gate(record, path, out)
    out["tags"], out["technical"] = audio_info(path, options.max_read)


def _book(record: ScanRecord, path: str, options: ProbeOptions, out: dict[str, Any]) -> None:
    from pipeline.probe.books import book_meta

    _gate(record, path, out)
    out["book"] = book_meta(path, options.max_read)


def _gate(record: ScanRecord, path: str, out: dict[str, Any]) -> None:
    """Fingerprint the file and sniff the head that read (one read for both);
    raise ``ItemFailure`` when no parser should look at it."""
    from pipeline.core.fingerprint import fingerprint_ends
    from pipeline.probe.mediafile import open_media, reason
    from pipeline.probe.sniff import check

    with open_media(path, allow_empty=True) as handle:
        try:
            out["fingerprint"], head, tail = fingerprint_ends(handle)
        except OSError as exc:  # EIO on a failing disk or a dropped NAS share
            raise ItemFailure("unreadable", reason(exc)) from None
    check(head, path, record.cls, tail)


def _sidecar(record: ScanRecord, path: str, options: ProbeOptions, out: dict[str, Any]) -> None:
    from pipeline.probe.sidecars import sidecar_for

    folder = os.path.dirname(path)
    wanted = options.audio_ext if path.lower().endswith(".lrc") else options.video_ext
    candidates = list(_media_in(folder, wanted))
    parent = os.path.dirname(folder)
    if os.path.basename(folder).lower() in _SUBTITLE_FOLDERS or not candidates:
        candidates += _media_in(parent, wanted)
    if os.path.basename(parent).lower() in _SUBTITLE_FOLDERS:
        # RARBG packs episodes' subtitles as Subs/<episode name>/2_English.srt.
        candidates += _media_in(os.path.dirname(parent), wanted)
    out["sidecar"] = sidecar_for(path, record.cls, candidates)


@functools.lru_cache(maxsize=256)
def _media_in(folder: str, extensions: frozenset[str]) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(e.path for e in entries
                          if e.name.rpartition(".")[2].lower() in extensions and e.is_file())
    except OSError:
        return []


# --- a batch, in a worker ------------------------------------------------------


class _Timeout(BaseException):
    pass


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _Timeout


def _probe_limited(record: ScanRecord, options: ProbeOptions) -> ProbeRecord:
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, options.timeout_s)
            return probe_one(record, options)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _Timeout:  # the alarm can fire outside probe_one's own handler too
        return ProbeRecord(scan=record, error=ItemError(
            "timeout", f"probing took longer than {options.timeout_s:g} s"))


_warmed: set[str] = set()


def warm_worker() -> None:
    """Build guessit's rules now: once per process, not once per file or batch.

    The pool runs this before forking its workers, so they start warm.
    """
    from pipeline.probe.parse import warm

    warm()
    _warmed.add("guessit")


def probe_batch(batch: tuple[list[ScanRecord], ProbeOptions]) -> list[ProbeRecord]:
    """Probe a batch in order; each file under its own time limit."""
    records, options = batch
    if "guessit" not in _warmed and any(r.cls == "video" for r in records):
        warm_worker()
    # SIGALRM interrupts Python code only in the main thread (a loky worker's
    # is; a Dask worker thread's is not, and then runs without the limit).
    limit = options.timeout_s > 0 and threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGALRM, _on_alarm) if limit else None
    results = []
    try:
        for record in records:
            results.append(_probe_limited(record, options) if limit
                           else probe_one(record, options))
    finally:
        if limit:
            signal.signal(signal.SIGALRM, previous)
    return results


# --- the stage -------------------------------------------------------------------


class _Chunk:
    """A run of consecutive records: finished ones, and slots for a batch's results."""

    __slots__ = ("slots", "todo")

    def __init__(self) -> None:
        self.slots: list[ProbeRecord | int] = []
        self.todo: list[ScanRecord] = []


def _reusable(old: ProbeRecord | None, new: ScanRecord) -> bool:
    if old is None or old.scan.size != new.size or old.scan.mtime_ns != new.mtime_ns:
        return False
    return old.error is None or old.error.code not in _RETRY_CODES


def _chunks(scan: Iterable[ScanRecord], earlier: EarlierRecords[ProbeRecord] | None,
            options: ProbeOptions, batch_size: int, stats: ProbeStats) -> Iterator[_Chunk]:
    chunk = _Chunk()
    for record in scan:
        stats.total += 1
        if record.error is not None:
            chunk.slots.append(ProbeRecord(scan=record, error=record.error))
        elif record.cls in HEAVY:
            old = earlier.find(record.path) if earlier is not None else None
            if old is not None and _reusable(old, record):
                chunk.slots.append(msgspec.structs.replace(old, scan=record))
                stats.reused += 1
            else:
                chunk.slots.append(len(chunk.todo))
                chunk.todo.append(record)
        else:
            # Sidecars cost a folder listing: cheaper here than a trip to a worker.
            chunk.slots.append(probe_one(record, options))
            stats.probed += 1
        if len(chunk.todo) >= batch_size or len(chunk.slots) >= 16 * batch_size:
            yield chunk
            chunk = _Chunk()
    if chunk.slots:
        yield chunk


def run(
    work: Path,
    settings: Settings,
    *,
    force: bool = False,
    tick: Callable[[ProbeStats], None] | None = None,
) -> tuple[Path, ProbeStats]:
    """Probe every file of ``work/scan.jsonl`` into ``work/probe.jsonl``."""
    from pipeline.core.parallel import map_batches
    from pipeline.probe.reuse import Checkpoint, checkpoints

    start = time.monotonic()
    scan_path = work / "scan.jsonl"
    _, scan = read_manifest(scan_path, SCAN_SCHEMA, ScanRecord)
    out = work / MANIFEST
    options = ProbeOptions.from_settings(settings)
    earlier_files = [] if force else [*checkpoints(work, CHECKPOINT_PREFIX), out]
    earlier = EarlierRecords([p for p in earlier_files if p.exists()], PROBE_SCHEMA, ProbeRecord)
    stats = ProbeStats()
    _media_in.cache_clear()
    pending: deque[_Chunk] = deque()
    chunks = _chunks(scan, earlier, options, settings.probe.batch_size, stats)

    with ManifestWriter[ProbeRecord](out, PROBE_SCHEMA, {"scan.jsonl": file_sha256(scan_path)}
                                     ) as writer, \
            Checkpoint[ProbeRecord](work, CHECKPOINT_PREFIX, PROBE_SCHEMA) as checkpoint:

        def emit(chunk: _Chunk, results: list[ProbeRecord]) -> None:
            for slot in chunk.slots:
                record = results[slot] if isinstance(slot, int) else slot
                if record.error is not None:
                    stats.failed += 1
                    stats.failures[record.error.code] = stats.failures.get(record.error.code,
                                                                           0) + 1
                writer.write(record)
            checkpoint.add(results)
            stats.probed += len(results)
            if tick is not None:
                tick(stats)

        # Reused and sidecar-only chunks need no worker: a re-run over an
        # unchanged library never starts a pool.
        first = None
        for chunk in chunks:
            if chunk.todo:
                first = chunk
                break
            emit(chunk, [])
        if first is not None:

            def feed() -> Iterator[tuple[list[ScanRecord], ProbeOptions]]:
                for chunk in _chain(first, chunks):
                    pending.append(chunk)
                    yield chunk.todo, options

            videos = any(r.cls == "video" for r in first.todo)
            for results in map_batches(probe_batch, feed(), jobs=settings.probe.jobs,
                                       backend=settings.probe.backend,
                                       scheduler=settings.probe.scheduler,
                                       warm=warm_worker if videos else None):
                emit(pending.popleft(), results)
    for stale in checkpoints(work, CHECKPOINT_PREFIX):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    stats.elapsed = time.monotonic() - start
    return out, stats


def _chain(first: _Chunk, rest: Iterator[_Chunk]) -> Iterator[_Chunk]:
    yield first
    yield from rest
