"""The enrich stage: probe.jsonl in, enrich.jsonl out — one record per work.

Today only the offline path exists: works are grouped (see ``works``) and
written with confidence "none", and every provider is reported as skipped
once, with its reason (offline, or its lookups are not built yet). Later
stages then go on from file names and file metadata, exactly as DESIGN
asks for a run without keys. The provider lookups (TMDB, MusicBrainz,
OpenLibrary, Cover Art Archive) are issue 4.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import msgspec

from pipeline.manifest import ManifestWriter, file_sha256, read_manifest
from pipeline.records import ENRICH_SCHEMA, PROBE_SCHEMA, EnrichRecord, ProbeRecord
from pipeline.settings import Settings
from pipeline.works import group_works

__all__ = ["MANIFEST", "PROVIDERS", "EnrichStats", "run"]

MANIFEST = "enrich.jsonl"
PROVIDERS = ("tmdb", "musicbrainz", "openlibrary", "coverart")


class EnrichStats(msgspec.Struct):
    works: int = 0
    by_kind: dict[str, int] = msgspec.field(default_factory=dict)
    skipped: list[str] = msgspec.field(default_factory=list)
    elapsed: float = 0.0


def _skipped(settings: Settings, offline: bool, only: Sequence[str]) -> list[str]:
    reasons = []
    for name in PROVIDERS:
        if only and name not in only:
            continue
        if offline:
            reasons.append(f"{name}: offline")
        elif name == "tmdb" and not (settings.providers.tmdb.api_key
                                     or settings.providers.tmdb.bearer_token):
            reasons.append(f"{name}: no API key (TMDB_API_KEY or TMDB_BEARER_TOKEN)")
        else:
            reasons.append(f"{name}: lookups not available in this version")
    return reasons


def run(work: Path, settings: Settings, *, offline: bool | None = None,
        providers: Sequence[str] = ()) -> tuple[Path, EnrichStats]:
    """Group ``work/probe.jsonl`` into works and write ``work/enrich.jsonl``."""
    start = time.monotonic()
    offline = settings.enrich.offline if offline is None else offline
    stats = EnrichStats(skipped=_skipped(settings, offline, providers))
    _, records = read_manifest(work / "probe.jsonl", PROBE_SCHEMA, ProbeRecord)
    works = group_works(records)
    out = work / MANIFEST
    inputs = {"probe.jsonl": file_sha256(work / "probe.jsonl")}
    with ManifestWriter[EnrichRecord](out, ENRICH_SCHEMA, inputs) as writer:
        for item in works:
            stats.works += 1
            stats.by_kind[item.kind] = stats.by_kind.get(item.kind, 0) + 1
            writer.write(EnrichRecord(work=item, confidence="none", title=item.title,
                                      year=item.year, reasons=["no provider was asked"],
                                      skipped=stats.skipped))
    stats.elapsed = time.monotonic() - start
    return out, stats
