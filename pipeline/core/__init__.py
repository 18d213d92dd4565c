"""What every stage shares: records, manifests, settings, errors, paths, progress,
the work folder, the process pools and the one HTTP session. Imports no stage."""

from __future__ import annotations

import sys


def _import_msgspec_without_typing_extensions() -> None:
    """Load msgspec as it loads where typing_extensions is not installed.

    msgspec takes ``get_type_hints``, ``Required`` and ``NotRequired`` from
    typing_extensions when it can import it, and from ``typing`` otherwise;
    on Python >= 3.11 the two agree for every annotation jforg's records use.
    typing_extensions is here only because requests-cache's cattrs needs it,
    and importing it (with ``inspect``) costs ~8 ms of the ~80 ms every
    command takes to start. A ``None`` entry in ``sys.modules`` makes that
    one import fail; the entry is removed at once, so anything imported
    later (cattrs, in enrich) gets typing_extensions as usual.
    """
    if "msgspec" in sys.modules or "typing_extensions" in sys.modules:
        return
    sys.modules["typing_extensions"] = None  # type: ignore[assignment]
    try:
        import msgspec  # noqa: F401
    finally:
        if sys.modules.get("typing_extensions", 0) is None:
            del sys.modules["typing_extensions"]


_import_msgspec_without_typing_extensions()
