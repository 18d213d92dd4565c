"""Shared fixtures: real temporary trees, an isolated environment, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

# Real tiny media made with ffmpeg (and books written in Python), once a session.
pytest_plugins = ["tests.media_fixtures", "tests.fake_server"]

REPO = Path(__file__).resolve().parent.parent

# Keys are str or bytes paths (bytes for names that are not valid UTF-8).
MakeTree = Callable[[Mapping[Any, str | bytes | int]], Path]


@pytest.fixture(scope="session")
def offline_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("config")
    config = folder / "offline.yaml"
    config.write_text(f"enrich:\n  offline: true\ncache:\n  path: {folder / 'cache'}\n")
    return config


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 offline_config: Path) -> Iterator[None]:
    """No test reads the developer's state dir, work folder, config or keys."""
    for name in ("JFORG_WORK", "TMDB_API_KEY", "TMDB_BEARER_TOKEN", "JFORG_PROGRESS_INTERVAL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    # Tests never reach the real internet: every jforg they start is offline
    # unless a test points the providers at its own fake server.
    monkeypatch.setenv("JFORG_CONFIG", str(offline_config))
    yield


@pytest.fixture
def make_tree(tmp_path: Path) -> MakeTree:
    """``make_tree({"a/b.mkv": 10, "c.srt": "text"})`` lays out files, returns the root.

    Values are a size in bytes (file of zeros), text, or raw bytes. Keys may
    be ``bytes`` paths too, for names that are not valid UTF-8.
    """
    counter = iter(range(1000))

    def build(files: Mapping[Any, str | bytes | int]) -> Path:
        root = tmp_path / f"lib{next(counter)}"
        root.mkdir()
        for rel, content in files.items():
            path = os.path.join(os.fsencode(root), os.fsencode(rel))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                if isinstance(content, int):
                    handle.truncate(content)
                else:
                    handle.write(content.encode() if isinstance(content, str) else content)
        return root

    return build


def jforg_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


@pytest.fixture
def run_jforg(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real CLI in a subprocess with the isolated environment."""

    def run(*args: str, env: Mapping[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run(jforg_cmd(*args), capture_output=True, text=True, cwd=REPO,
                              env=full_env, timeout=timeout, check=False,
                              errors="surrogateescape")

    return run
