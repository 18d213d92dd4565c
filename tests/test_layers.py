"""The import contracts in pyproject.toml hold on the tree, and catch what they should.

Each case copies the package into a temporary folder, adds one forbidden
import, and runs ``lint-imports`` (what ``make lint`` runs) over the copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env,
                           capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "pipeline", tmp_path / "pipeline",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _add_import(tree: Path, module: str, statement: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{statement}\n", encoding="utf-8")


def test_the_tree_keeps_every_contract(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "statement", "contract"), [
    ("pipeline.core.paths", "import pipeline.scan.stage", "cli -> runner -> stages -> core"),
    ("pipeline.runner", "import pipeline.cli", "cli -> runner -> stages -> core"),
    ("pipeline.report.stage", "import pipeline.enrich.works",
     "a stage reads another stage's manifest, never imports its modules"),
    ("pipeline.probe.parse", "import requests", "never touch the network"),
    ("pipeline.plan.stage", "import pipeline.core.net", "never touch the network"),
    ("pipeline.enrich.stage", "import joblib", "joblib and Dask only through core.parallel"),
], ids=["core imports a stage", "runner imports the cli", "a stage imports another",
        "probe imports requests", "plan imports the HTTP session", "enrich imports joblib"])
def test_a_forbidden_import_breaks_its_contract(tree: Path, module: str, statement: str,
                                                contract: str) -> None:
    _add_import(tree, module, statement)
    result = _lint(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [line for line in result.stdout.splitlines() if " BROKEN" in line]
    assert any(contract in line for line in broken), result.stdout
