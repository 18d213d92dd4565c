"""Deterministic synthetic media libraries, shaped like real NAS shares.

Contract:

- ``make_library(root, n, seed)`` lays out exactly ``n`` files under
  ``root``. The relative paths and sizes depend only on ``(n, seed)`` and
  ``sizes``: they come from one ``random.Random(seed)`` and never from
  ``hash()``, set order, the clock or the machine. The first ``n`` paths
  for a seed are the first ``n`` of every larger library with that seed.
- The tree mixes movies, TV, music, books, subtitles and clutter in fixed
  proportions, with the naming habits found on real shares (scene release
  names, Jellyfin-clean names, anime fansub names, samples, extras,
  multi-disc albums, hidden NAS folders, non-ASCII and NFD names). Every
  name is valid UTF-8, avoids characters Windows forbids, and every path
  component is at most 255 bytes; folders hold 1-40 files; paths are 2-5
  components deep.
- ``sizes="sparse"`` gives each file a realistic apparent size with
  ``os.ftruncate``: a 100 000-file tree occupies almost no disk on
  filesystems with sparse files (ext4, XFS, Btrfs, APFS, tmpfs).
  ``"empty"`` makes zero-byte files with the same paths.
- ``media=k`` overwrites up to ``k`` video and audio files, chosen
  deterministically and spread over the tree and over container kinds, with
  real tiny media from ``benchmarks.media``, keeping their names. Without
  ffmpeg only the kinds that module writes in pure Python are chosen; the
  rest stay placeholders and ``LibraryInfo`` says so.
- ``tags="path"`` gives those media files, and the books, embedded metadata
  that agrees with their paths, as a tagger would have written it (see
  ``benchmarks.retag``); the default ``"fixed"`` keeps the fixed tags of
  ``benchmarks.media`` and ``benchmarks.books``. The command line always
  writes path tags.
- Files already at generated paths are replaced; other files under
  ``root`` are left alone and not counted.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

# Imported under another name: make_library's ``media`` parameter would shadow it.
from benchmarks import media as _media
from benchmarks.books import make_book
from benchmarks.namepools import plan_paths
from benchmarks.retag import book_of, retag, track_of

__all__ = ["EXTENSIONS", "LibraryInfo", "classify", "main", "make_library"]

log = logging.getLogger(__name__)

def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


#: File class -> lower-case extensions (without the dot). Anything else is "other".
EXTENSIONS: Final[Mapping[str, frozenset[str]]] = {
    "video": frozenset(_words("mkv mp4 m4v avi m2ts ts webm mov wmv mpg mpeg vob")),
    "audio": frozenset(_words("flac mp3 m4a m4b opus ogg wav aac wma ape wv")),
    "book": frozenset(_words("epub pdf mobi azw3 azw cbz cbr cb7 djvu fb2")),
    "subtitle": frozenset(_words("srt ass ssa sub idx vtt sup")),
    "image": frozenset(_words("jpg jpeg png webp gif bmp tbn")),
    "nfo": frozenset({"nfo"}),
}
_CLASS_OF: Final = {ext: cls for cls, exts in EXTENSIONS.items() for ext in exts}


@dataclass(frozen=True)
class LibraryInfo:
    """What ``make_library`` wrote. Class counts exclude files in hidden folders
    (counted in ``hidden`` only), so the eight counts add up to ``n``."""

    root: Path
    n: int
    seed: int
    video: int
    audio: int
    book: int
    subtitle: int
    image: int
    nfo: int
    other: int
    hidden: int
    total_bytes: int  # apparent size after media were written
    media_written: int
    ffmpeg: bool  # whether ffmpeg was on PATH during generation
    media_unavailable: tuple[str, ...]  # media kinds present in the tree that could not be made
    media_paths: tuple[str, ...]  # relative paths holding real media, in generation order
    paths: tuple[str, ...]  # relative POSIX paths, in generation order

    @property
    def counts(self) -> dict[str, int]:
        return {cls: getattr(self, cls) for cls in (*EXTENSIONS, "other", "hidden")}


def classify(relpath: str) -> str:
    """The class of a relative POSIX path: a key of ``EXTENSIONS``, ``other`` or ``hidden``.

    ``hidden`` means inside a folder whose name starts with a dot; AppleDouble
    companions (``._name``) are ``other`` whatever their extension.
    """
    *folders, name = relpath.split("/")
    if any(folder.startswith(".") for folder in folders):
        return "hidden"
    if name.startswith("._") or "." not in name:
        return "other"
    return _CLASS_OF.get(name.rpartition(".")[2].lower(), "other")


def _pick_media(paths: Sequence[str], k: int) -> tuple[list[tuple[str, str]], set[str]]:
    """Up to ``k`` (path, kind) pairs, half video and half audio, and the kinds left out.

    Within each class, kinds take turns (most common first), and each kind's
    picks are evenly spaced over its files in generation order.
    """
    makeable = {kind: _media.can_make(kind) for kind in _media.KINDS}
    pools: dict[str, dict[str, list[str]]] = {"video": {}, "audio": {}}
    missing: set[str] = set()
    for rel in paths:
        cls, kind = classify(rel), _media.kind_for_suffix(os.path.splitext(rel)[1])
        if cls in pools and kind is not None:
            if makeable[kind]:
                pools[cls].setdefault(kind, []).append(rel)
            else:
                missing.add(kind)
    have = {cls: sum(map(len, by_kind.values())) for cls, by_kind in pools.items()}
    audio = min(k // 2, have["audio"])
    video = min(k - audio, have["video"])
    audio = min(k - video, have["audio"])
    chosen: list[tuple[str, str]] = []
    for cls, quota in (("video", video), ("audio", audio)):
        by_kind = pools[cls]
        order = sorted(by_kind, key=lambda kind: (-len(by_kind[kind]), kind))
        take = dict.fromkeys(order, 0)
        turn, left = 0, quota
        while left:
            kind = order[turn % len(order)]
            if take[kind] < len(by_kind[kind]):
                take[kind] += 1
                left -= 1
            turn += 1
        for kind, m in take.items():
            pool = by_kind[kind]
            chosen += [(pool[(2 * j + 1) * len(pool) // (2 * m)], kind) for j in range(m)]
    position = {rel: i for i, rel in enumerate(paths)}
    return sorted(chosen, key=lambda pair: position[pair[0]]), missing


def make_library(root: Path, n: int, seed: int = 0, *, media: int = 0,
                 sizes: Literal["sparse", "empty"] = "sparse",
                 tags: Literal["fixed", "path"] = "fixed") -> LibraryInfo:
    """Lay out exactly ``n`` files under ``root`` (see the module contract).

    ``media`` real media files replace placeholders where possible;
    ``LibraryInfo`` reports how many were written and which kinds could not be.
    ``tags`` says whether their metadata is fixed or agrees with their paths.
    """
    if n < 0 or media < 0:
        raise ValueError(f"n and media must be >= 0, got n={n}, media={media}")
    if sizes not in ("sparse", "empty"):
        raise ValueError(f"sizes must be 'sparse' or 'empty', got {sizes!r}")
    if tags not in ("fixed", "path"):
        raise ValueError(f"tags must be 'fixed' or 'path', got {tags!r}")
    planned = plan_paths(n, seed)
    root.mkdir(parents=True, exist_ok=True)
    base = os.fspath(root)
    made: set[str] = set()
    for rel, size in planned:
        folder = rel.rpartition("/")[0]
        if folder not in made:  # one mkdir per folder, not per file
            Path(base, folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        fd = os.open(os.path.join(base, rel), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            if sizes == "sparse" and size:
                os.ftruncate(fd, size)  # a hole: apparent size without disk blocks
        finally:
            os.close(fd)
    total = sum(size for _, size in planned) if sizes == "sparse" else 0
    paths = tuple(rel for rel, _ in planned)
    written: list[str] = []
    missing: set[str] = set()
    if media:
        sizes_of = dict(planned) if sizes == "sparse" else {}
        # Books cost no encoder: with any real media asked for, every EPUB,
        # PDF and CBZ is a real one too, so the probe has metadata to read.
        for rel in paths:
            if classify(rel) == "book" and make_book(
                    Path(base, rel), book_of(rel) if tags == "path" else None):
                total += Path(base, rel).stat().st_size - sizes_of.get(rel, 0)
        chosen, missing = _pick_media(paths, media)
        for rel, kind in chosen:
            if kind in missing:
                continue
            target = Path(base, rel)
            try:
                _media.make_media(target, kind)
            except _media.MediaError as error:
                log.warning("%s: %s; left a placeholder", rel, error)
                missing.add(kind)
                continue
            track = track_of(rel) if tags == "path" else None
            if track is not None:
                retag(target, track)
            total += target.stat().st_size - sizes_of.get(rel, 0)
            written.append(rel)
        if missing:
            log.warning("media kinds not made here: %s", ", ".join(sorted(missing)))
    counts = dict.fromkeys((*EXTENSIONS, "other", "hidden"), 0)
    for rel in paths:
        counts[classify(rel)] += 1
    return LibraryInfo(
        root=root, n=n, seed=seed, video=counts["video"], audio=counts["audio"],
        book=counts["book"], subtitle=counts["subtitle"], image=counts["image"],
        nfo=counts["nfo"], other=counts["other"], hidden=counts["hidden"], total_bytes=total,
        media_written=len(written), ffmpeg=_media.ffmpeg_available(),
        media_unavailable=tuple(sorted(missing)), media_paths=tuple(written), paths=paths)


# Small libraries are lumpy (one long series can fill 300 files); the first
# 300 files of this seed cover every category and container in about the usual
# proportions.
_DEMO_SEED: Final = 90


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.libgen DEST ...``: write a library, print one summary line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.libgen",
        description="Write a deterministic synthetic media library (sparse files by default).")
    parser.add_argument("dest", type=Path, help="folder to create; must be missing or empty")
    parser.add_argument("--files", type=int, help="number of files (default 1000; --demo: 300)")
    parser.add_argument("--seed", type=int, help=f"random seed (default 0; --demo: {_DEMO_SEED})")
    parser.add_argument("--media", type=int, help="real media files to write (default 0; "
                        "--demo: all)")
    parser.add_argument("--empty", action="store_true", help="zero-byte files instead of sparse")
    parser.add_argument("--demo", action="store_true", help="small demo library with real media")
    parser.add_argument("--force", action="store_true", help="write into a non-empty DEST")
    args = parser.parse_args(argv)
    n = args.files if args.files is not None else (300 if args.demo else 1000)
    # The demo makes every video and audio file real (a few ffmpeg runs, then
    # copies), so its report shows codecs and tags rather than placeholders.
    k = args.media if args.media is not None else (n if args.demo else 0)
    seed = args.seed if args.seed is not None else (_DEMO_SEED if args.demo else 0)
    if n < 0 or k < 0:
        parser.error("--files and --media must be >= 0")
    dest: Path = args.dest
    if not args.force and dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        print(f"libgen: {dest} exists and is not empty (use --force to write into it)",
              file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        # Fixed tags would send every track of an album to one destination;
        # a library to look at should be tagged the way a tagger leaves one.
        info = make_library(dest, n, seed, media=k, sizes="empty" if args.empty else "sparse",
                            tags="path")
    except OSError as error:
        print(f"libgen: {error}", file=sys.stderr)
        return 1
    classes = ", ".join(f"{cls} {count}" for cls, count in info.counts.items())
    via = "ffmpeg" if info.ffmpeg else "no ffmpeg: pure-Python kinds only"
    print(f"libgen: {info.n} files in {dest} ({classes}); {info.total_bytes / 1e9:.1f} GB "
          f"apparent; real media {info.media_written}/{k} ({via}); "
          f"{time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
