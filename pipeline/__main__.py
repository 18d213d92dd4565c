"""``python -m pipeline``: the same process entry as the ``jforg`` script."""

from __future__ import annotations

from pipeline.cli import entry

entry()
