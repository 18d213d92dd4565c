"""Start-up: a command imports only what it needs.

`jforg scan` of an empty folder is the floor of every nightly run's cost
(issue 13 asks <= 0.10 s). Its time is measured in benchmarks/; here the
test is on what decides it and cannot flake: the set of modules the real
command imports, read when the command exits.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

# Each of these is imported by some command, never by a scan: a parser
# library, the pools, the network stack, hashing beyond the built-in
# SHA-256, and what msgspec would pull in through typing_extensions.
NOT_FOR_SCAN = (
    "yaml", "guessit", "pymediainfo", "mutagen", "joblib", "loky", "multiprocessing",
    "concurrent.futures", "requests", "requests_cache", "urllib3", "tenacity", "lxml",
    "hashlib", "shutil", "json", "typing_extensions", "inspect", "pipeline.probe",
    "pipeline.enrich", "pipeline.report", "pipeline.plan", "pipeline.organize",
)


def imported_by(*args: str, cwd: Path) -> set[str]:
    """The modules loaded when the real command ends (as ``jforg`` runs it)."""
    listing = cwd / "modules.txt"
    code = ("import atexit, sys\n"
            f"atexit.register(lambda: open({str(listing)!r}, 'w').write('\\n'.join(sys.modules)))\n"
            "from pipeline.cli import entry\n"
            f"sys.argv = ['jforg', *{list(args)!r}]\n"
            "sys.exit(entry())\n")
    env = {k: v for k, v in os.environ.items() if k not in ("JFORG_CONFIG", "JFORG_WORK")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=cwd, env={**env, "PYTHONPATH": str(REPO)}, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    names = set(listing.read_text().split())
    assert "pipeline.scan.stage" in names, "the module listing was not written"
    return names


def python_ok(code: str, env: dict[str, str] | None = None) -> str:
    """Run ``code`` in a fresh interpreter beside the repository; its stdout, stripped."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, env=env, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_scan_of_an_empty_folder_imports_nothing_it_does_not_need(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    names = imported_by("scan", str(tmp_path / "empty"), "--work", str(tmp_path / "w"),
                        cwd=tmp_path)
    loaded = sorted(name for name in names
                    if any(name == bad or name.startswith(bad + ".") for bad in NOT_FOR_SCAN))
    assert loaded == []
    assert "msgspec" in names  # the records are still msgspec structs


def test_typing_extensions_stays_importable_after_the_records() -> None:
    # Importing jforg loads msgspec with typing_extensions hidden for that one
    # import; requests-cache's cattrs (enrich) must still find it afterwards,
    # and msgspec must still decode every kind of annotation the records use.
    code = (
        "import sys\n"
        "import pipeline.core.records as r, msgspec\n"
        "assert 'typing_extensions' not in sys.modules\n"
        "import typing_extensions, cattrs, requests_cache\n"
        "rec = r.ScanRecord(path='/m/a.mkv', root='/m', cls='video', size=1,\n"
        "                   error=r.ItemError(code='unreadable', message='x'))\n"
        "assert msgspec.json.decode(msgspec.json.encode(rec), type=r.ScanRecord) == rec\n"
        "try:\n"
        "    msgspec.json.decode(b'{\"path\":\"p\",\"root\":\"r\",\"class\":\"nope\"}',\n"
        "                        type=r.ScanRecord)\n"
        "except msgspec.ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('a Literal field accepted a value outside it')\n"
        "print(typing_extensions.__name__)\n"
    )
    assert python_ok(code) == "typing_extensions"


@pytest.mark.parametrize("first", ["typing_extensions", "msgspec"])
def test_an_earlier_import_is_left_as_it_is(first: str) -> None:
    # Whoever imported msgspec or typing_extensions first decides; the guard
    # only acts in a process where neither is loaded yet.
    code = (f"import sys, {first}\nbefore = sys.modules['{first}']\n"
            "import pipeline.runner\n"
            f"assert sys.modules['{first}'] is before\n"
            "assert sys.modules.get('typing_extensions', 0) is not None\n")
    python_ok(code)


def test_a_msgspec_that_needs_typing_extensions_still_loads(tmp_path: Path) -> None:
    # Should a msgspec release import typing_extensions unconditionally, the
    # start-up saving is lost, not every command.
    fake = tmp_path / "msgspec"
    fake.mkdir()
    (fake / "__init__.py").write_text("import typing_extensions\nNEEDS = True\n")
    code = ("import sys, pipeline\n"
            "assert sys.modules['msgspec'].NEEDS\n"
            "print(sys.modules['typing_extensions'].__name__)\n")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}:{REPO}"}
    assert python_ok(code, env=env) == "typing_extensions"
