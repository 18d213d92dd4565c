"""Which class a file belongs to (video, audio, book, subtitle, image, nfo, other).

Decided by extension alone, from ``scan.extensions``: scan records it, and
verify (which walks libraries no scan saw) asks the same question, so the
answer lives here once.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline.core.records import FileClass
from pipeline.core.settings import ScanSettings

__all__ = ["class_table", "classifier"]


def class_table(settings: ScanSettings) -> dict[str, FileClass]:
    """Lower-case extension (no dot) -> class; anything absent is "other"."""
    table: dict[str, FileClass] = {"nfo": "nfo"}
    ext = settings.extensions
    # Later lists win, so an extension listed twice ends up as the media class.
    for cls, names in (("image", ext.image), ("subtitle", ext.subtitle), ("book", ext.book),
                       ("audio", ext.audio), ("video", ext.video)):
        for name in names:
            table[name.lower().lstrip(".")] = cls  # type: ignore[assignment]
    return table


def classifier(settings: ScanSettings) -> Callable[[str], FileClass]:
    """Return a function from a file name to its class, by extension."""
    table = class_table(settings)

    def classify(name: str) -> FileClass:
        dot = name.rfind(".")
        if dot <= 0:
            return "other"
        return table.get(name[dot + 1 :].lower(), "other")

    return classify
