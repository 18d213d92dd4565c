"""jforg: audit and organize media libraries for Jellyfin.

The package is a batch pipeline. Each stage is a module with a ``run``
function from input manifests (in the work folder) to an output manifest.
"""

from __future__ import annotations

import sys

__all__ = ["__version__"]

__version__ = "0.1.0"


def _import_msgspec_without_typing_extensions() -> None:
    """Load msgspec as it loads where typing_extensions is not installed.

    msgspec takes ``get_type_hints``, ``Required`` and ``NotRequired`` from
    typing_extensions when it can import it, and from ``typing`` otherwise;
    on Python >= 3.11 the two agree for every annotation jforg's records use.
    typing_extensions is here only because requests-cache's cattrs needs it,
    and importing it (with ``inspect``, ``ast``, ``dis``) cost ~9 ms of the
    ~62 ms ``jforg scan`` took to start. Done here, before any module of the
    package runs, so the order of a process's imports does not matter
    (a probe worker's, a test's). A ``None`` entry in ``sys.modules`` makes that
    one import fail; the entry is removed at once, so anything imported
    later (cattrs, in enrich) gets typing_extensions as usual.
    """
    if "msgspec" in sys.modules or "typing_extensions" in sys.modules:
        return
    sys.modules["typing_extensions"] = None  # type: ignore[assignment]
    try:
        import msgspec
        return
    except ImportError:
        # A msgspec that needs typing_extensions after all: load it as usual
        # below (a slower start, the same behaviour) rather than fail every command.
        for name in [name for name in sys.modules if name.split(".")[0] == "msgspec"]:
            del sys.modules[name]
    finally:
        if sys.modules.get("typing_extensions", 0) is None:
            del sys.modules["typing_extensions"]
    import msgspec  # noqa: F401


_import_msgspec_without_typing_extensions()
