"""The walker: one subtree of a library, depth first, in manifest order.

``walk_tree`` yields one ``ScanRecord`` per file (or per folder or file
that could not be read), holding one sorted listing per level of depth, so
memory stays flat however large the tree is. With ``max_depth`` it stops
descending and yields a ``Subtree`` for each folder it would enter: the
scan uses that to cut a library into pieces that worker processes walk.

What is never walked: hidden entries (a leading dot), the work folder,
folders holding an empty ``.ignore`` (Jellyfin's rule), names matching a
non-empty ``.ignore``'s patterns or an exclude glob, symlinked folders
unless ``follow_symlinks`` (and then each real folder once, so loops end),
and files below ``min_size``.
"""

from __future__ import annotations

import fnmatch
import operator
import os
import re
import stat as stat_mod
from collections.abc import Callable, Iterator, Sequence

import msgspec

from pipeline.core.fileclass import class_table
from pipeline.core.paths import to_wire
from pipeline.core.records import FILE_CLASSES, FileClass, ItemError, ScanRecord
from pipeline.core.settings import ScanSettings

__all__ = ["IGNORE_FILE", "Rules", "ScanStats", "Subtree", "walk_tree"]

IGNORE_FILE = ".ignore"
_name = operator.attrgetter("name")

IgnoreRules = tuple[tuple[str, "re.Pattern[str]"], ...]  # (.ignore's folder rel path, patterns)


class ScanStats(msgspec.Struct):
    """What a walk saw; the stats of parallel walks add up with ``merge``."""

    files: dict[str, int] = msgspec.field(default_factory=lambda: dict.fromkeys(FILE_CLASSES, 0))
    bytes: int = 0
    errors: int = 0
    skipped: dict[str, int] = msgspec.field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.files.values())

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def merge(self, other: ScanStats) -> None:
        for cls, count in other.files.items():
            self.files[cls] = self.files.get(cls, 0) + count
        self.bytes += other.bytes
        self.errors += other.errors
        for reason, count in other.skipped.items():
            self.skipped[reason] = self.skipped.get(reason, 0) + count


class Subtree(msgspec.Struct, frozen=True):
    """A folder to walk later, with what the walk above it had decided."""

    root: str  # library root, wire form
    path: str  # the folder, os form
    rel: str  # relative to the root; "" for the root itself
    ignore: IgnoreRules = ()


class Rules(msgspec.Struct, frozen=True):
    """Settings compiled once for the hot loop; picklable for worker processes."""

    table: dict[str, FileClass]
    exclude: re.Pattern[str] | None
    min_size: int
    follow: bool
    skip_ids: frozenset[tuple[int, int]]

    @classmethod
    def build(cls, settings: ScanSettings, skip_dirs: Sequence[str] = ()) -> Rules:
        ids = set()
        for folder in skip_dirs:
            try:
                st = os.stat(folder)
            except OSError:
                continue
            ids.add((st.st_dev, st.st_ino))
        return cls(class_table(settings), _glob_regex(settings.exclude), settings.min_size,
                   settings.follow_symlinks, frozenset(ids))


def _glob_regex(patterns: Sequence[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{fnmatch.translate(p.rstrip('/'))})" for p in patterns))


class _Frame:
    """One folder being walked: its sorted entries and the rules in force."""

    __slots__ = ("depth", "entries", "ignore", "rel")

    def __init__(self, entries: Iterator[os.DirEntry[str]], rel: str, ignore: IgnoreRules,
                 depth: int) -> None:
        self.entries = entries
        self.rel = rel
        self.ignore = ignore
        self.depth = depth


def walk_tree(
    tree: Subtree,
    rules: Rules,
    stats: ScanStats,
    seen: set[tuple[int, int]],
    *,
    max_depth: int | None = None,
    tick: Callable[[ScanStats], None] | None = None,
) -> Iterator[ScanRecord | Subtree]:
    """Walk ``tree``; ``seen`` holds folders already walked (symlink loops)."""
    for item in _walk(tree, rules, stats, seen, max_depth, tick):
        if isinstance(item, ScanRecord) and item.error is not None:
            stats.errors += 1
        yield item


def _walk(
    tree: Subtree,
    rules: Rules,
    stats: ScanStats,
    seen: set[tuple[int, int]],
    max_depth: int | None,
    tick: Callable[[ScanStats], None] | None,
) -> Iterator[ScanRecord | Subtree]:
    # The hot loop of the whole tool on a warm cache: per file it does one
    # stat syscall and as little Python as possible (d_type answers is_dir
    # for free; counters stay locals until the end).
    table, exclude, min_size, follow = rules.table, rules.exclude, rules.min_size, rules.follow
    skip_inodes = {ino for _, ino in rules.skip_ids}
    counts = dict.fromkeys(FILE_CLASSES, 0)
    total_bytes = 0
    skipped = stats.skip
    record = ScanRecord
    wire_root = tree.root
    opened = _open_dir(tree.path, tree.rel, tree.ignore, 0, stats)
    if isinstance(opened, ScanRecord):
        yield _with_root(opened, wire_root)
        return
    stack = [] if opened is None else [opened]
    while stack:
        frame = stack[-1]
        ignore = frame.ignore
        for entry in frame.entries:
            name = entry.name
            if name[0] == ".":
                skipped("hidden")
                continue
            if exclude is not None or ignore:
                rel = f"{frame.rel}/{name}" if frame.rel else name
                if exclude is not None and (exclude.fullmatch(rel) or exclude.fullmatch(name)):
                    skipped("excluded")
                    continue
                if ignore and _ignored(rel, ignore):
                    skipped("ignored by .ignore")
                    continue
            if entry.is_dir(follow_symlinks=follow):
                if follow or entry.inode() in skip_inodes:
                    verdict = _check_folder(entry, rules, seen, stats)
                    if verdict is not None:
                        if isinstance(verdict, ScanRecord):
                            yield _with_root(verdict, wire_root)
                        continue
                rel = f"{frame.rel}/{name}" if frame.rel else name
                if max_depth is not None and frame.depth + 1 >= max_depth:
                    yield Subtree(wire_root, entry.path, rel, ignore)
                    continue
                child = _open_dir(entry.path, rel, ignore, frame.depth + 1, stats)
                if isinstance(child, _Frame):
                    stack.append(child)
                    break  # walk the child first: that keeps manifest order
                if child is not None:
                    yield _with_root(child, wire_root)
                continue
            is_link = entry.is_symlink()
            if is_link and not follow and _is_dir_link(entry):
                skipped("symlinked folder")
                continue
            try:
                st = entry.stat()
            except OSError as exc:
                dot = name.rfind(".")
                cls = table.get(name[dot + 1 :].lower(), "other") if dot > 0 else "other"
                broken = is_link and isinstance(exc, FileNotFoundError)
                yield _error(entry.path, wire_root, cls, "broken_symlink" if broken else
                             _code(exc), exc)
                continue
            if not stat_mod.S_ISREG(st.st_mode):
                skipped("not a regular file")
                continue
            size = st.st_size
            if size < min_size:
                skipped("below min_size")
                continue
            dot = name.rfind(".")
            cls = table.get(name[dot + 1 :].lower(), "other") if dot > 0 else "other"
            counts[cls] += 1
            total_bytes += size
            path = entry.path
            yield record(path if path.isascii() else to_wire(path), wire_root, cls, size,
                         st.st_mtime_ns, st.st_ino, st.st_dev, is_link)
        else:
            stack.pop()
        if tick is not None:
            _flush_counts(stats, counts, total_bytes)
            counts, total_bytes = dict.fromkeys(FILE_CLASSES, 0), 0
            tick(stats)
    _flush_counts(stats, counts, total_bytes)


def _flush_counts(stats: ScanStats, counts: dict[str, int], total_bytes: int) -> None:
    for cls, count in counts.items():
        stats.files[cls] += count
    stats.bytes += total_bytes


def _check_folder(
    entry: os.DirEntry[str], rules: Rules, seen: set[tuple[int, int]], stats: ScanStats
) -> ScanRecord | bool | None:
    """None to enter the folder; False to skip it; an error record if it can't be read."""
    try:
        st = entry.stat(follow_symlinks=True)
    except OSError as exc:
        return _error(entry.path, "", "folder", _code(exc), exc)
    ident = (st.st_dev, st.st_ino)
    if ident in rules.skip_ids:
        stats.skip("work folder")
        return False
    if rules.follow:
        if ident in seen:
            stats.skip("folder already walked (symlink loop or duplicate)")
            return False
        seen.add(ident)
    return None


def _is_dir_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:  # pragma: no cover - is_dir swallows most errors itself
        return False


def _open_dir(
    path: str, rel: str, ignore: IgnoreRules, depth: int, stats: ScanStats
) -> _Frame | ScanRecord | None:
    """List one folder, sorted; an error record if it can't be read; None to skip it."""
    try:
        with os.scandir(path) as it:
            entries = sorted(it, key=_name)
    except OSError as exc:
        return _error(path, "", "folder", _code(exc), exc)
    for entry in entries:
        if entry.name > IGNORE_FILE:
            break  # sorted: the few names that sort before ".ignore" are behind us
        if entry.name == IGNORE_FILE:
            patterns = _read_ignore(entry.path)
            if patterns is None:
                stats.skip("folder with empty .ignore")
                return None
            ignore = (*ignore, (rel, patterns))
            break
    return _Frame(iter(entries), rel, ignore, depth)


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


def _ignored(rel: str, rules: IgnoreRules) -> bool:
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
