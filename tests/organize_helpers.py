"""Libraries to organize: real files planned by the real stages, and ways to look at trees.

``build(tmp_path, files)`` writes the files, then runs scan → probe → plan
in-process (one job, offline) into ``tmp_path/work`` with ``tmp_path/dest``
as the destination. ``snapshot(root)`` maps every file below ``root`` (as
bytes paths, so non-UTF-8 names compare exactly) to a hash of its content.
``tmpfs(path)`` mounts a small filesystem of its own — as root only; other
users get a skip that says why.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pytest

from pipeline.core.settings import Settings
from pipeline.organize import rollback
from pipeline.organize import stage as organize
from pipeline.organize.rollback import RollbackStats
from pipeline.plan import stage as plan
from pipeline.probe import stage as probe
from pipeline.scan import stage as scan

JFORG = Path(sys.executable).with_name("jforg")

# A small library with every kind the plan moves: movies (one with a subtitle),
# episodes, music by folders, a book; contents differ so hashes tell files apart.
LIBRARY: dict[str | bytes, int | bytes] = {
    "Films/Heat (1995)/Heat (1995).mkv": 3000,
    "Films/Heat (1995)/Heat (1995).en.srt": 200,
    "Films/Alien.1979.1080p.BluRay.x264-GRP/Alien.1979.1080p.BluRay.x264-GRP.mkv": 2500,
    "Films/The Matrix (1999).mp4": 4000,
    "TV/Lost/Season 1/Lost.S01E01.720p.mkv": 1500,
    "TV/Lost/Season 1/Lost.S01E02.720p.mkv": 1600,
    "TV/Lost/Season 2/Lost.S02E01.720p.mkv": 1700,
    "Music/Nora Vale/Lanterns (2014)/01 - Harbour.mp3": 900,
    "Music/Nora Vale/Lanterns (2014)/02 - Tide.mp3": 950,
    "Books/Mara Quill/Tides of Glass (2019)/Tides of Glass.epub": 1200,
    "Downloads/readme.txt": 50,
}


def content(rel: str | bytes, size: int) -> bytes:
    """Bytes unique to ``rel``: its hash, then zeros (MediaInfo reads those quickly; some
    repeating patterns keep it busy for minutes)."""
    seed = rel.encode("utf-8", "surrogateescape") if isinstance(rel, str) else rel
    head = hashlib.sha256(seed).hexdigest().encode() + b"\n"
    return (head + bytes(max(0, size - len(head))))[:size]


@dataclass
class Lib:
    root: Path
    work: Path
    dest: Path

    def settings(self) -> Settings:
        return quiet_settings()


def quiet_settings(**organize_: Any) -> Settings:
    base = Settings()
    return msgspec.structs.replace(
        base, scan=msgspec.structs.replace(base.scan, jobs=1),
        probe=msgspec.structs.replace(base.probe, jobs=1),
        enrich=msgspec.structs.replace(base.enrich, offline=True),
        organize=msgspec.structs.replace(base.organize, **organize_))


def write_files(root: Path, files: Mapping[str | bytes, int | bytes]) -> None:
    for rel, body in files.items():
        path = os.path.join(os.fsencode(root), os.fsencode(rel))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(body if isinstance(body, bytes) else content(rel, body))


def replan(lib: Lib) -> None:
    settings = quiet_settings()
    scan.run(lib.work, [str(lib.root)], settings.scan)
    probe.run(lib.work, settings)
    plan.run(lib.work, str(lib.dest), settings)


def build(tmp_path: Path, files: Mapping[str | bytes, int | bytes] | None = None, *,
          dest: Path | None = None) -> Lib:
    lib = Lib(tmp_path / "library", tmp_path / "work", dest or tmp_path / "dest")
    write_files(lib.root, LIBRARY if files is None else files)
    replan(lib)
    return lib


def run(lib: Lib, **options: Any) -> organize.OrganizeStats:
    settings = quiet_settings()
    return organize.run(lib.work, settings,
                        organize.OrganizeOptions.from_settings(settings, **options))


def rollback_last(lib: Lib) -> RollbackStats:
    """What ``jforg rollback --last`` does, in this process."""
    return rollback.rollback(lib.work, rollback.find(lib.work, None, last=True))


def jforg(lib: Lib, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(JFORG), *args, "--work", str(lib.work)], capture_output=True,
                          text=True, timeout=timeout, check=False)


def snapshot(root: Path) -> dict[bytes, str]:
    out: dict[bytes, str] = {}
    base = os.fsencode(root)
    for folder, _, names in os.walk(base):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                out[os.path.relpath(path, base)] = "link:" + os.fsdecode(os.readlink(path))
                continue
            with open(path, "rb") as handle:
                out[os.path.relpath(path, base)] = hashlib.blake2b(handle.read()).hexdigest()
    return out


def files_below(root: Path) -> list[bytes]:
    """Every file and symlink below ``root`` (relative bytes paths, sorted)."""
    return sorted(snapshot(root)) if root.exists() else []


@contextmanager
def tmpfs(path: Path, size: str = "64m", *, required: bool = True) -> Iterator[Path]:
    """A tmpfs of ``size`` at ``path`` for the test's duration (root only).

    Where it can't be mounted the test skips and says why, unless not
    ``required``: then ``path`` is simply a folder on the same filesystem.
    """
    path.mkdir(parents=True, exist_ok=True)
    why = None
    if os.geteuid() != 0 or shutil.which("mount") is None:
        why = "mounting a second filesystem needs root (CI runs as root)"
    else:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                               str(path)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            why = f"cannot mount a tmpfs here: {done.stderr.strip()}"
    if why is not None:
        if required:
            pytest.skip(why)
        yield path
        return
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)
