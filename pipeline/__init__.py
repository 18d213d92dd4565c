"""jforg: audit and organize media libraries for Jellyfin.

The package is a batch pipeline. Each stage is a module with a ``run``
function from input manifests (in the work folder) to an output manifest.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
