"""The scan stage: walk library roots and record every file, streaming.

``walk`` yields one ``ScanRecord`` per file in manifest order (component
by component, see ``paths.sort_key``), holding one directory listing per
level of depth, so memory stays flat however large the library is.
``run`` writes those records to ``WORK/scan.jsonl``.

What is never scanned: hidden entries (a leading dot), the work folder,
folders holding an empty ``.ignore`` (Jellyfin's rule), names matching a
non-empty ``.ignore``'s patterns or ``--exclude``, symlinked folders unless
``follow_symlinks`` (and then each real folder once, so loops end), and
files below ``min_size``. A folder that can't be read or a file that
vanishes mid-walk becomes an error record; the walk goes on.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat as stat_mod
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.manifest import ManifestWriter
from pipeline.paths import sort_key, to_wire
from pipeline.records import FILE_CLASSES, SCAN_SCHEMA, FileClass, ItemError, ScanRecord
from pipeline.settings import ScanSettings

__all__ = ["ScanStats", "classifier", "normalise_roots", "run", "walk"]

MANIFEST = "scan.jsonl"
IGNORE_FILE = ".ignore"


@dataclass
class ScanStats:
    """What the walk saw, for the summary line and the tests."""

    files: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FILE_CLASSES, 0))
    bytes: int = 0
    errors: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.files.values())

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def classifier(settings: ScanSettings) -> Callable[[str], FileClass]:
    """Return a function from a file name to its class, by extension."""
    table: dict[str, FileClass] = {"nfo": "nfo"}
    ext = settings.extensions
    for cls, names in (("image", ext.image), ("subtitle", ext.subtitle), ("book", ext.book),
                       ("audio", ext.audio), ("video", ext.video)):
        for name in names:
            table[name.lower().lstrip(".")] = cls  # type: ignore[assignment]

    def classify(name: str) -> FileClass:
        dot = name.rfind(".")
        if dot <= 0:
            return "other"
        return table.get(name[dot + 1 :].lower(), "other")

    return classify


def _glob_regex(patterns: Sequence[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{fnmatch.translate(p.rstrip('/'))})" for p in patterns))


def normalise_roots(libraries: Sequence[str]) -> list[str]:
    """Absolute, existing folders, sorted, with roots inside other roots dropped."""
    roots: list[str] = []
    for lib in libraries:
        path = os.path.abspath(lib)
        if not os.path.isdir(path):
            what = "does not exist" if not os.path.lexists(path) else "is not a folder"
            raise UsageError(f"{lib}: library root {what}")
        roots.append(path)
    kept: list[str] = []
    for root in sorted(set(roots), key=sort_key):
        if not any(root.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(root)
    return kept


@dataclass
class _Frame:
    """One folder being walked: its sorted entries and the rules in force."""

    entries: Iterator[os.DirEntry[str]]
    rel: str  # path relative to the root, "" for the root itself
    ignore: list[tuple[str, re.Pattern[str]]]  # (.ignore's folder rel path, its patterns)


def walk(
    roots: Sequence[str],
    settings: ScanSettings,
    stats: ScanStats,
    *,
    skip_dirs: Sequence[str] = (),
    tick: Callable[[ScanStats], None] | None = None,
) -> Iterator[ScanRecord]:
    """Yield a record per file under ``roots`` (already normalised), in manifest order."""
    for record in _walk(roots, settings, stats, skip_dirs, tick):
        if record.error is not None:
            stats.errors += 1
        yield record


def _walk(
    roots: Sequence[str],
    settings: ScanSettings,
    stats: ScanStats,
    skip_dirs: Sequence[str],
    tick: Callable[[ScanStats], None] | None,
) -> Iterator[ScanRecord]:
    classify = classifier(settings)
    exclude = _glob_regex(settings.exclude)
    skip_ids = {_dir_id(d) for d in skip_dirs if os.path.isdir(d)}
    follow = settings.follow_symlinks
    min_size = settings.min_size
    seen: set[tuple[int, int]] = set()
    count = 0
    for root in roots:
        wire_root = to_wire(root)
        root_id = _dir_id(root)
        if root_id in seen:
            stats.skip("already walked")
            continue
        seen.add(root_id)
        opened = _open_dir(root, "", [], stats)
        if isinstance(opened, ScanRecord):
            yield _with_root(opened, wire_root)
            continue
        if opened is None:
            continue
        stack = [opened]
        while stack:
            frame = stack[-1]
            entry = next(frame.entries, None)
            if entry is None:
                stack.pop()
                continue
            name = entry.name
            if name[0] == ".":
                stats.skip("hidden")
                continue
            rel = f"{frame.rel}/{name}" if frame.rel else name
            if exclude is not None and (exclude.fullmatch(rel) or exclude.fullmatch(name)):
                stats.skip("excluded")
                continue
            if frame.ignore and _ignored(rel, frame.ignore):
                stats.skip("ignored by .ignore")
                continue
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=follow)
            except OSError as exc:  # pragma: no cover - d_type makes these free
                yield _error(entry.path, wire_root, classify(name), "stat_failed", exc)
                continue
            if is_dir:
                if is_link or follow or skip_ids:
                    try:
                        st = entry.stat(follow_symlinks=True)
                    except OSError as exc:
                        yield _error(entry.path, wire_root, "folder", _code(exc), exc)
                        continue
                    ident = (st.st_dev, st.st_ino)
                    if ident in skip_ids:
                        stats.skip("work folder")
                        continue
                    if follow:
                        if ident in seen:
                            stats.skip("folder already walked (symlink loop or duplicate)")
                            continue
                        seen.add(ident)
                child = _open_dir(entry.path, rel, frame.ignore, stats)
                if isinstance(child, ScanRecord):
                    yield _with_root(child, wire_root)
                elif child is not None:
                    stack.append(child)
                continue
            if is_link and not follow and entry.is_dir(follow_symlinks=True):
                stats.skip("symlinked folder")
                continue
            try:
                st = entry.stat()
            except OSError as exc:
                code = "broken_symlink" if is_link and isinstance(exc, FileNotFoundError) else None
                yield _error(entry.path, wire_root, classify(name), code or _code(exc), exc)
                continue
            if not stat_mod.S_ISREG(st.st_mode):
                stats.skip("not a regular file")
                continue
            if st.st_size < min_size:
                stats.skip("below min_size")
                continue
            cls = classify(name)
            stats.files[cls] += 1
            stats.bytes += st.st_size
            yield ScanRecord(
                path=to_wire(entry.path), root=wire_root, cls=cls, size=st.st_size,
                mtime_ns=st.st_mtime_ns, inode=st.st_ino, device=st.st_dev, link=is_link,
            )
            count += 1
            if tick is not None and not count & 1023:
                tick(stats)


def _dir_id(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return (st.st_dev, st.st_ino)


def _open_dir(
    path: str, rel: str, ignore: list[tuple[str, re.Pattern[str]]], stats: ScanStats
) -> _Frame | ScanRecord | None:
    """List one folder, sorted; an error record if it can't be read; None to skip it."""
    try:
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        return _error(path, "", "folder", _code(exc), exc)
    for entry in entries:
        if entry.name == IGNORE_FILE:
            patterns = _read_ignore(entry.path)
            if patterns is None:
                stats.skip("folder with empty .ignore")
                return None
            ignore = [*ignore, (rel, patterns)]
            break
    return _Frame(iter(entries), rel, ignore)


def _read_ignore(path: str) -> re.Pattern[str] | None:
    """Patterns of a non-empty ``.ignore``; None when it is empty (skip the folder)."""
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            lines = [ln.strip() for ln in handle]
    except OSError:
        return None  # can't read it: honour it the safe way, as "ignore all"
    patterns = [ln for ln in lines if ln and not ln.startswith("#")]
    if not patterns:
        return None
    return _glob_regex(patterns)


def _ignored(rel: str, rules: list[tuple[str, re.Pattern[str]]]) -> bool:
    for base, pattern in rules:
        sub = rel[len(base) + 1 :] if base else rel
        if pattern.fullmatch(sub) or pattern.fullmatch(sub.rsplit("/", 1)[-1]):
            return True
    return False


def _code(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "vanished"
    if isinstance(exc, PermissionError):
        return "permission_denied"
    return "os_error"


def _error(path: str, root: str, cls: FileClass, code: str, exc: OSError) -> ScanRecord:
    reason = exc.strerror or str(exc)
    return ScanRecord(path=to_wire(path), root=root, cls=cls, error=ItemError(code, reason))


def _with_root(record: ScanRecord, root: str) -> ScanRecord:
    return ScanRecord(path=record.path, root=root, cls=record.cls, error=record.error)


def run(
    work: Path,
    libraries: Sequence[str],
    settings: ScanSettings,
    *,
    tick: Callable[[ScanStats], None] | None = None,
) -> tuple[Path, ScanStats]:
    """Scan ``libraries`` into ``work/scan.jsonl``; return its path and the stats."""
    roots = normalise_roots(libraries)
    stats = ScanStats()
    start = time.monotonic()
    out = work / MANIFEST
    with ManifestWriter[ScanRecord](out, SCAN_SCHEMA) as writer:
        writer.write_all(walk(roots, settings, stats, skip_dirs=[str(work)], tick=tick))
    stats.elapsed = time.monotonic() - start
    return out, stats
