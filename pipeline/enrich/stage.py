"""The enrich stage: probe.jsonl in, enrich.jsonl out — one record per work.

Files are grouped into works (``works``); each work gets one lookup chain
(``chain``) — movies and series at TMDB, albums at MusicBrainz then the
Cover Art Archive, books at OpenLibrary — in a bounded thread pool in this
process (one SQLite HTTP cache; several processes would hit "database is
locked"). Candidates are scored (``match``); only the confidence level is
decided here, later stages choose what to apply. A user's overrides file
(``overrides``) wins over search. ``--offline``, or a provider without its key, skips that provider
with one line and the stage goes on; a provider that proves unusable for
the run (bad key, outage after retries) is disabled with one message.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import msgspec

from pipeline import __version__
from pipeline.core.manifest import ManifestWriter, file_sha256, read_manifest, write_file_atomic
from pipeline.core.records import (
    ENRICH_SCHEMA,
    ENRICH_SUMMARY_SCHEMA,
    PROBE_SCHEMA,
    EnrichRecord,
    EnrichSummary,
    ProbeRecord,
)
from pipeline.core.settings import Settings
from pipeline.enrich.chain import CHAINS, Lookups
from pipeline.enrich.overrides import Override, load_overrides
from pipeline.enrich.works import group_works

__all__ = ["CHAINS", "MANIFEST", "PROVIDERS", "EnrichStats", "Override", "load_overrides", "run"]

MANIFEST = "enrich.jsonl"
SUMMARY = "enrich.summary.json"
PROVIDERS = ("tmdb", "musicbrainz", "openlibrary", "coverart")
CHAINS_FIRST_OF = {kind: chain[0] for kind, chain in CHAINS.items()}
CHAINS_FIRST = sorted(set(CHAINS_FIRST_OF.values()))


class EnrichStats(msgspec.Struct):
    works: int = 0
    by_kind: dict[str, int] = msgspec.field(default_factory=dict)
    confidence: dict[str, int] = msgspec.field(default_factory=dict)
    skipped: list[str] = msgspec.field(default_factory=list)
    disabled: list[str] = msgspec.field(default_factory=list)
    requests: dict[str, int] = msgspec.field(default_factory=dict)
    elapsed: float = 0.0


def _skipped(settings: Settings, offline: bool, only: Sequence[str]) -> list[str]:
    reasons = []
    for name in PROVIDERS:
        if only and name not in only:
            reasons.append(f"{name}: not selected")
        elif offline:
            reasons.append(f"{name}: offline")
        elif name == "tmdb" and not (settings.providers.tmdb.api_key
                                     or settings.providers.tmdb.bearer_token):
            reasons.append(f"{name}: no API key (TMDB_API_KEY or TMDB_BEARER_TOKEN)")
    return reasons


def _clients(settings: Settings, active: set[str]) -> tuple[Any, dict[str, Any]]:
    from pipeline.core.net import Client, build_session

    cache_dir = Path(settings.cache.path) if settings.cache.path else \
        Path.home() / ".cache" / "jforg"
    contact = settings.providers.musicbrainz.contact
    session = build_session(cache_dir, settings.cache.ttl_days,
                            f"jforg/{__version__} ( {contact} )")
    p = settings.providers
    clients: dict[str, Any] = {}
    if "tmdb" in active:
        headers = {"Authorization": f"Bearer {p.tmdb.bearer_token}"} if p.tmdb.bearer_token \
            else {}
        params = {"api_key": p.tmdb.api_key} if p.tmdb.api_key and not headers else {}
        clients["tmdb"] = Client(session, "tmdb", p.tmdb.base_url, rate=p.tmdb.rate,
                                 params=params, headers=headers)
    for name, conf in (("musicbrainz", p.musicbrainz), ("openlibrary", p.openlibrary),
                       ("coverart", p.coverart)):
        if name in active:
            clients[name] = Client(session, name, conf.base_url, rate=conf.rate)
    return session, clients


def run(work: Path, settings: Settings, *, offline: bool | None = None,
        providers: Sequence[str] = ()) -> tuple[Path, EnrichStats]:
    """Group ``work/probe.jsonl`` into works, look them up, write ``work/enrich.jsonl``."""
    start = time.monotonic()
    offline = settings.enrich.offline if offline is None else offline
    skipped = _skipped(settings, offline, providers)
    stats = EnrichStats(skipped=[s for s in skipped if not s.endswith("not selected")])
    active = {n for n in PROVIDERS if not any(s.startswith(f"{n}:") for s in skipped)}
    overrides = load_overrides(settings.enrich.overrides)
    _, records = read_manifest(work / "probe.jsonl", PROBE_SCHEMA, ProbeRecord)
    works = group_works(records)
    session, clients = _clients(settings, active) if active else (None, {})
    lookups = Lookups(settings, active, clients, overrides) if active else None
    out = work / MANIFEST
    inputs = {"probe.jsonl": file_sha256(work / "probe.jsonl")}
    try:
        with ManifestWriter[EnrichRecord](out, ENRICH_SCHEMA, inputs) as writer:
            if lookups is None:
                results = (EnrichRecord(work=w, confidence="none", title=w.title, year=w.year,
                                        reasons=["no provider was asked"]) for w in works)
                for record in results:
                    _count(stats, record)
                    writer.write(record)
            else:
                # One pool per provider: eight books waiting on OpenLibrary's 1/s
                # must not hold every thread while TMDB could be answering movies.
                pools = {name: ThreadPoolExecutor(max(1, settings.enrich.threads))
                         for name in CHAINS_FIRST}
                try:
                    futures = [pools[CHAINS_FIRST_OF[w.kind]].submit(lookups.enrich, w)
                               for w in works]
                    for future in futures:
                        record = future.result()
                        _count(stats, record)
                        writer.write(record)
                finally:
                    for pool in pools.values():
                        pool.shutdown(wait=True, cancel_futures=True)
    finally:
        if session is not None:
            session.close()
    if lookups is not None:
        stats.disabled = [why if why.startswith(f"{n}:") else f"{n}: {why}"
                          for n, why in sorted(lookups.disabled.items())]
    stats.requests = {n: c.stats.network for n, c in clients.items()}
    _write_summary(work, out, skipped, lookups.disabled if lookups is not None else {},
                   stats.requests, {n: c.stats.cache_hits for n, c in clients.items()})
    stats.elapsed = time.monotonic() - start
    return out, stats


def _write_summary(work: Path, manifest: Path, skipped: Sequence[str],
                   disabled: Mapping[str, str], requests: Mapping[str, int],
                   cache_hits: Mapping[str, int]) -> None:
    """Say what each provider did, for the report: enrich.jsonl alone can't tell."""
    providers: dict[str, str] = {}
    for name in PROVIDERS:
        why = next((s.split(": ", 1)[1] for s in skipped if s.startswith(f"{name}: ")), None)
        if why is not None:
            providers[name] = why
        elif name in disabled:
            providers[name] = "disabled: " + disabled[name].removeprefix(f"{name}: ")
        elif requests.get(name, 0):
            providers[name] = "asked"
        elif cache_hits.get(name, 0):
            providers[name] = "answered from the cache"
        else:
            providers[name] = "had nothing to look up"
    summary = EnrichSummary(ENRICH_SUMMARY_SCHEMA, file_sha256(manifest), providers,
                            {n: requests.get(n, 0) for n in PROVIDERS if n in requests})
    write_file_atomic(work / SUMMARY, msgspec.json.format(msgspec.json.encode(summary)) + b"\n")


def _count(stats: EnrichStats, record: EnrichRecord) -> None:
    stats.works += 1
    kind = record.work.kind
    stats.by_kind[kind] = stats.by_kind.get(kind, 0) + 1
    stats.confidence[record.confidence] = stats.confidence.get(record.confidence, 0) + 1
