"""What ``jforg organize`` was asked for, and what it did: the stage's options and stats."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import msgspec

from pipeline.core.settings import Settings

__all__ = ["MODES", "Mode", "OrganizeOptions", "OrganizeStats"]

Mode = Literal["move", "copy", "hardlink", "hardlink-or-copy", "symlink"]
MODES: tuple[str, ...] = ("move", "copy", "hardlink", "hardlink-or-copy", "symlink")


class OrganizeOptions(msgspec.Struct, frozen=True):
    """What ``jforg organize`` was asked for (flags over ``organize.*`` settings)."""

    dest: str | None = None  # default: the plan's destination
    mode: Mode = "move"
    conflict: Literal["skip", "rename", "fail"] = "skip"
    dry_run: bool = False
    absolute_links: bool = False
    nfo: bool | Literal["auto"] = "auto"  # auto: only NFOs with something worth saying
    artwork: bool = True
    offline: bool = False  # no artwork downloads
    overwrite_nfo: bool = False  # replace an existing NFO (kept aside for rollback)
    overwrite_artwork: bool = False

    @classmethod
    def from_settings(cls, settings: Settings, **flags: Any) -> OrganizeOptions:
        given = {k: v for k, v in flags.items() if v is not None}
        base = cls(mode=settings.organize.mode, conflict=settings.organize.conflict,
                   nfo=settings.organize.nfo, artwork=settings.organize.artwork,
                   offline=settings.enrich.offline)
        return msgspec.structs.replace(base, **given)


@dataclass
class OrganizeStats:
    txn: str | None = None
    journal: Path | None = None
    steps: dict[str, int] = field(default_factory=dict)  # done steps per action
    failures: dict[str, int] = field(default_factory=dict)  # per error code
    examples: list[str] = field(default_factory=list)  # "path: code: message"
    plan_skips: int = 0
    not_created: int = 0  # create entries with nothing to write (or --no-nfo, --no-artwork)
    kept_existing: int = 0  # NFO or image already there (--overwrite-… replaces it)
    artwork_offline: int = 0  # images not downloaded: offline
    bytes_copied: int = 0
    resumed: str | None = None  # the transaction this run finished
    notes: list[str] = field(default_factory=list)
    dry_run: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def failed(self) -> int:
        return sum(self.failures.values())
