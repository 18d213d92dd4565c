"""jforg run from a folder full of downloads: nothing there runs as code.

Media folders hold files from the internet, and cron jobs often ``cd`` into
them. A ``copy.py`` or ``org.py`` there must never be imported, neither by
jforg itself nor by a probe worker (loky starts workers with ``python -m``,
which puts the current folder first on ``sys.path``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

JFORG = Path(sys.executable).with_name("jforg")
# Modules a worker or jforg imports: guessit and yaml directly, copy through
# pickle, org through copy (Python 3.11 still tries it for Jython).
SHADOWED = ("org", "yaml", "guessit", "copy")


@pytest.fixture
def hostile_folder(tmp_path: Path) -> tuple[Path, Path]:
    """A folder holding modules that leave a marker when imported, and the marker folder."""
    folder, markers = tmp_path / "downloads", tmp_path / "markers"
    folder.mkdir()
    markers.mkdir()
    for name in SHADOWED:
        (folder / f"{name}.py").write_text(
            f"open({str(markers / name)!r}, 'w').write('imported')\n", encoding="utf-8")
    return folder, markers


@pytest.fixture
def library(tmp_path: Path, media: Callable[[str], Path]) -> Path:
    source = media("movie.mkv")
    root = tmp_path / "library"
    for n in range(12):
        folder = root / f"Film Number {n} (20{10 + n})"
        folder.mkdir(parents=True)
        shutil.copy(source, folder / f"Film Number {n} (20{10 + n}).mkv")
    return root


@pytest.fixture
def small_batches(tmp_path: Path, offline_config: Path) -> dict[str, str]:
    """Offline, and batches of 2 so that two workers both get work."""
    config = tmp_path / "small-batches.yaml"
    config.write_text(offline_config.read_text() + "probe:\n  batch_size: 2\n")
    return {**os.environ, "JFORG_CONFIG": str(config)}


def _jforg(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(JFORG), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def _assert_clean(result: subprocess.CompletedProcess[str], markers: Path) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "internal error" not in result.stderr
    assert sorted(p.name for p in markers.iterdir()) == []


def test_the_hostile_modules_do_run_when_python_imports_from_that_folder(
        hostile_folder: tuple[Path, Path]) -> None:
    # The fixture is armed: a plain ``python -c`` there imports ``copy`` from the folder.
    folder, markers = hostile_folder
    subprocess.run([sys.executable, "-c", "import copy"], cwd=folder, check=False,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONSAFEPATH"})
    assert (markers / "copy").exists()


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_probe_imports_nothing_from_the_current_folder(
        hostile_folder: tuple[Path, Path], library: Path, small_batches: dict[str, str],
        tmp_path: Path, jobs: str) -> None:
    folder, markers = hostile_folder
    work = str(tmp_path / "work")
    _assert_clean(_jforg(folder, small_batches, "scan", str(library), "--work", work), markers)
    result = _jforg(folder, small_batches, "probe", "--work", work, "--jobs", jobs)
    _assert_clean(result, markers)
    assert "probe: 12 files: 12 probed, 0 reused, 0 failed" in result.stdout


def test_run_imports_nothing_from_the_current_folder(
        hostile_folder: tuple[Path, Path], library: Path, small_batches: dict[str, str],
        tmp_path: Path) -> None:
    folder, markers = hostile_folder
    result = _jforg(folder, small_batches, "run", str(library), "--work", str(tmp_path / "w"))
    _assert_clean(result, markers)
    assert "report.html:" in result.stdout
