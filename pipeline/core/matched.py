"""Which enrich match each file belongs to, read from ``enrich.jsonl`` by the stages after it.

Plan names files from these matches and organize writes their NFO files from
them; both read the manifest, never enrich's modules. A manifest made from
another ``probe.jsonl`` than the current one is ignored: its files may have
changed since.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.core.manifest import file_sha256, read_manifest
from pipeline.core.records import ENRICH_SCHEMA, EnrichRecord

__all__ = ["matches_by_file"]


def matches_by_file(work: Path) -> dict[str, EnrichRecord]:
    """Each enriched file's (wire path's) work record, when enrich.jsonl is this probe's."""
    path = work / "enrich.jsonl"
    if not path.exists():
        return {}
    header, records = read_manifest(path, ENRICH_SCHEMA, EnrichRecord)
    if header.inputs.get("probe.jsonl") != file_sha256(work / "probe.jsonl"):
        return {}
    found: dict[str, EnrichRecord] = {}
    for record in records:
        if record.confidence == "none":
            continue  # nothing to apply: names come from the parse anyway
        for file in record.work.files:
            found[file] = record
    return found
