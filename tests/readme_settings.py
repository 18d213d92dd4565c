"""The README's settings reference, generated from configs/default.yaml and its comments.

    python -m tests.readme_settings            # rewrite the section in README.md (make readme)
    python -m tests.readme_settings --check    # exit 1 when the README has drifted

The comment block above a key describes it. Keys that follow a commented key
with no comment and no blank line of their own share its row (``api_key``,
``bearer_token``); a section whose keys carry no comments is one row whose
default is the whole mapping (``scan.extensions``, ``naming.roots``).
tests/test_readme.py fails when the README's section differs from this.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec
import yaml

__all__ = ["BEGIN", "END", "reference", "render_into"]

REPO = Path(__file__).resolve().parent.parent
DEFAULT_YAML = REPO / "configs" / "default.yaml"
README = REPO / "README.md"
BEGIN = ("<!-- settings reference: generated from configs/default.yaml by `make readme`; "
         "edit the YAML's comments, not this table -->")
END = "<!-- end of the settings reference -->"

_KEY = re.compile(r"(?P<indent> *)(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?P<rest>.*)")
_COMMENT = re.compile(r" *# ?(?P<text>.*)")


class _Key(msgspec.Struct):
    path: tuple[str, ...]
    comment: str | None  # its own comment block
    shared: bool  # no comment of its own: belongs with the key above it


def _keys(text: str) -> list[_Key]:
    keys: list[_Key] = []
    stack: list[tuple[int, str]] = []
    pending: list[str] = []
    above: tuple[int, bool] | None = None  # (indent, described) of the key line just above
    seen_key = False
    for line in text.splitlines():
        if not line.strip():
            pending, above = [], None
            continue
        if (comment := _COMMENT.fullmatch(line)) is not None:
            if seen_key:  # the block at the top describes the file, not a key
                pending.append(comment.group("text").strip())
            continue
        match = _KEY.match(line)
        if match is None:
            continue  # a key that is not an identifier: part of a mapping's value
        seen_key = True
        indent = len(match.group("indent"))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, match.group("key")))
        own = " ".join(pending) if pending else None
        shared = own is None and above is not None and above == (indent, True)
        keys.append(_Key(tuple(k for _, k in stack), own, shared))
        above = (indent, own is not None or shared)
        pending = []
    return keys


def _flow(value: Any, top: bool = True) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v, False) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flow(k, False)}: {_flow(v, False)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, str) and not top and not re.fullmatch(r"[A-Za-z0-9][\w.+-]*", value):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _lookup(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def reference(default_yaml: Path = DEFAULT_YAML) -> list[str]:
    """The Markdown table: setting, default, what it does."""
    text = default_yaml.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    keys = _keys(text)
    described = {k.path for k in keys if k.comment is not None}
    rows: list[tuple[list[str], list[str], str]] = []
    covered: tuple[str, ...] | None = None
    for key in keys:
        if covered is not None and key.path[:len(covered)] == covered:
            continue  # inside a section shown as one row
        value = _lookup(data, key.path)
        below = any(p[:len(key.path)] == key.path and p != key.path for p in described)
        if isinstance(value, dict) and below:
            continue  # a section: its keys have rows of their own
        covered = key.path if isinstance(value, dict) else None
        name, default = ".".join(key.path), _flow(value)
        if key.shared and rows:
            rows[-1][0].append(name)
            rows[-1][1].append(default)
        else:
            rows.append(([name], [default], key.comment or ""))
    lines = ["| setting | default | what it does |", "| --- | --- | --- |"]
    for names, defaults, comment in rows:
        shown = ", ".join(f"`{_cell(n)}`" for n in names)
        values = ", ".join(f"`{_cell(d)}`" for d in defaults)
        lines.append(f"| {shown} | {values} | {_cell(comment)} |")
    return lines


def render_into(readme: str, table: Sequence[str]) -> str:
    """``readme`` with the text between the markers replaced by ``table``."""
    start, end = readme.index(BEGIN), readme.index(END)
    return readme[:start] + BEGIN + "\n\n" + "\n".join(table) + "\n\n" + readme[end:]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.readme_settings")
    parser.add_argument("--check", action="store_true", help="exit 1 when the README drifted")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    wanted = render_into(current, reference())
    if args.check:
        if wanted != current:
            print("README.md: the settings reference differs from configs/default.yaml; "
                  "run `make readme`", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        README.write_text(wanted, encoding="utf-8")
        print("README.md: settings reference regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
