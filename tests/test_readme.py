"""The README stays true: its settings table, its examples, the files and targets it names."""

from __future__ import annotations

import re
import shlex

import pytest

from pipeline.cli import build_parser
from tests.readme_settings import BEGIN, END, README, REPO, reference, render_into

TEXT = README.read_text(encoding="utf-8")


def _code_lines() -> list[str]:
    """Lines of the README's indented code blocks (four spaces, after a blank line)."""
    lines, inside, previous = [], False, ""
    for line in TEXT.splitlines():
        if line.startswith("    ") and (inside or not previous.strip()):
            inside = True
            lines.append(line[4:])
        elif line.strip():
            inside = False
        previous = line
    return lines


def _jforg_commands() -> list[list[str]]:
    """Every concrete jforg command line the README shows (not the synopsis)."""
    found = []
    for line in _code_lines():
        match = re.search(r"(?:^|/bin/)jforg (?P<args>.+)$", line)
        if match is None or "[" in line or " | " in line or "…" in line:
            continue
        args = re.split(r"\s+#\s|\s>", match.group("args"))[0]
        found.append(shlex.split(args))
    return found


def test_the_settings_reference_is_generated_from_default_yaml() -> None:
    assert BEGIN in TEXT and END in TEXT
    assert render_into(TEXT, reference()) == TEXT, (
        "the README's settings reference differs from configs/default.yaml: run `make readme`")


def test_every_setting_of_default_yaml_has_a_row() -> None:
    import yaml

    def leaves(data: object, prefix: str = "") -> list[str]:
        if not isinstance(data, dict) or prefix.endswith(("extensions", "roots", "chars")):
            return [prefix]
        return [leaf for key, value in data.items()
                for leaf in leaves(value, f"{prefix}.{key}" if prefix else key)]

    table = "\n".join(reference())
    settings = yaml.safe_load((REPO / "configs" / "default.yaml").read_text())
    for leaf in leaves(settings):
        assert f"`{leaf}`" in table, leaf


def test_the_two_commands_come_first() -> None:
    first_block = TEXT[:TEXT.index("\n\n    ") + 200]
    assert "make scan LIB=" in first_block and "make test" in first_block
    assert TEXT.index("make scan LIB=") < TEXT.index("## ", TEXT.index("## ") + 1)


@pytest.mark.parametrize("argv", _jforg_commands(), ids=" ".join)
def test_every_jforg_example_is_a_command_jforg_accepts(argv: list[str]) -> None:
    try:
        build_parser().parse_args(argv)
    except SystemExit as exc:  # --version exits 0 once it has printed
        assert exc.code == 0, f"jforg {' '.join(argv)}: rejected"


def test_every_command_has_an_example() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands is not None
    shown = {next((a for a in argv if not a.startswith("-") and a in commands), None)
             for argv in _jforg_commands()}
    assert set(commands) <= shown, set(commands) - shown


def test_the_make_targets_it_names_exist() -> None:
    makefile = (REPO / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):", makefile, flags=re.MULTILINE))
    named = set(re.findall(r"`make ([a-z][a-z-]*)", TEXT))
    named |= {m.group(1) for line in _code_lines() if (m := re.match(r"make ([a-z-]+)", line))}
    assert named and named <= targets, named - targets


def test_the_files_it_names_exist() -> None:
    for name in re.findall(r"(?:docs|configs|benchmarks|tests/data)/[\w./-]+\.\w+", TEXT):
        if "*" not in name and "<" not in name:
            assert (REPO / name.rstrip(".")).exists(), name
    tree = TEXT[TEXT.index("    pipeline/\n"):]
    tree = tree[:tree.index("\n\n")]
    for line in tree.splitlines()[1:]:
        match = re.match(r" {6}(\S+)\s", line)
        if match is not None:
            assert (REPO / "pipeline" / match.group(1)).exists(), match.group(1)
