"""The report stage: probe.jsonl (and enrich/plan when present) in, report.json out.

``build`` streams the manifests twice and keeps only aggregates: counters,
capped lists, and one small entry per fingerprint and per work to find
duplicates, so memory grows with the number of distinct works, not with
the number of files times their records. ``run`` writes ``report.json``
and ``report.html`` atomically and returns the report for the terminal.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Generic, TypeVar

import msgspec

from pipeline import __version__
from pipeline.core.manifest import file_sha256, read_header, read_manifest, write_file_atomic
from pipeline.core.records import (
    ENRICH_SCHEMA,
    ENRICH_SUMMARY_SCHEMA,
    PLAN_SCHEMA,
    PROBE_SCHEMA,
    SCAN_SCHEMA,
    EnrichRecord,
    EnrichSummary,
    PlanEntry,
    ProbeRecord,
)
from pipeline.core.titles import fold
from pipeline.report.model import (
    LIST_CAP,
    REPORT_SCHEMA,
    VERIFY_SCHEMA,
    DuplicateGroup,
    EnrichRun,
    ErrorGroup,
    ExtraFile,
    Identification,
    MissingEpisodes,
    NamingIssues,
    NamingRule,
    PlanSummary,
    Report,
    ReviewItem,
    Totals,
)

__all__ = ["build", "run", "work_key"]

JSON_NAME = "report.json"
HTML_NAME = "report.html"
DISTRIBUTIONS = ("container", "video_codec", "resolution", "hdr", "audio_codec",
                 "audio_language", "subtitle_language")


def work_key(record: ProbeRecord) -> list[str]:
    """The works a main video is (one per episode), as display keys; [] if unknown."""
    parse = record.parse
    if parse is None or not parse.title or record.role not in (None, "main"):
        return []
    title = fold(parse.title)
    if parse.type == "episode" and parse.season is not None and parse.episodes:
        return [f"{title} S{parse.season:02d}E{e:02d}" for e in parse.episodes]
    if parse.type == "movie":
        suffix = f" ({parse.year})" if parse.year else ""
        part = f" part {parse.part}" if parse.part else ""
        return [f"{title}{suffix}{part}"]
    return []



T = TypeVar("T")


class _Capped(Generic[T]):
    """A list that keeps the first ``LIST_CAP`` items and counts the rest."""

    def __init__(self) -> None:
        self.items: list[T] = []
        self.dropped = 0

    def add(self, item: T) -> None:
        if len(self.items) < LIST_CAP:
            self.items.append(item)
        else:
            self.dropped += 1


def _identify(record: ProbeRecord) -> tuple[str, str | None]:
    """("identified" | "needs_review" | "unidentified", why) for a media file."""
    cls = record.scan.cls
    if cls == "video":
        parse = record.parse
        if parse is None or not parse.title:
            return "unidentified", "no title in the name or folders"
        if parse.type == "episode":
            if parse.season is None or not parse.episodes:
                return "needs_review", "episode without season or episode number"
            return "identified", None
        if parse.year is None:
            return "needs_review", "movie without a year"
        return "identified", None
    if cls == "audio":
        tags = record.tags
        if tags is None or not tags.title:
            return "unidentified", "no tags"
        if not (tags.album_artist or tags.artist) or not tags.album:
            return "needs_review", "tags lack artist or album"
        return "identified", None
    book = record.book
    if book is not None and book.title:
        return "identified", None
    return "needs_review", "no embedded title: identified by file name only"


def _records(work: Path) -> Iterator[ProbeRecord]:
    _, records = read_manifest(work / "probe.jsonl", PROBE_SCHEMA, ProbeRecord)
    return records


def build(work: Path) -> Report:
    """Aggregate the work folder's manifests into a Report (two streaming passes)."""
    inputs = {name: file_sha256(work / name) for name in ("scan.jsonl", "probe.jsonl")
              if (work / name).exists()}
    if (work / "scan.jsonl").exists():
        read_header(work / "scan.jsonl", SCAN_SCHEMA)
    enrich_run, enriched, doubtful, enrich_errors = _enrich_summary(work,
                                                                    inputs.get("probe.jsonl"))
    if (work / "enrich.jsonl").exists():
        inputs["enrich.jsonl"] = file_sha256(work / "enrich.jsonl")
    naming = _naming(work, inputs.get("scan.jsonl"))
    if naming is not None:
        inputs["verify.json"] = file_sha256(work / "verify.json")
    kinds: dict[str, Totals] = {}
    totals = Totals()
    ident = Identification()
    review: _Capped[ReviewItem] = _Capped()
    unidentified: _Capped[str] = _Capped()
    extras: _Capped[ExtraFile] = _Capped()
    errors: dict[tuple[str, str], tuple[ErrorGroup, _Capped[str]]] = {}
    dist: dict[str, Counter[str]] = {name: Counter() for name in DISTRIBUTIONS}
    extras_by_role: Counter[str] = Counter()
    fingerprints: dict[str, int] = {}
    works: dict[str, int] = {}
    seasons: dict[tuple[str, int], set[int]] = {}
    series_names: dict[str, str] = {}
    roots: set[str] = set()

    for record in _records(work):
        scan = record.scan
        roots.add(scan.root)
        kind = kinds.setdefault(scan.cls, Totals())
        kind.files += 1
        kind.bytes += scan.size or 0
        totals.files += 1
        totals.bytes += scan.size or 0
        if record.error is not None:
            stage = "scan" if scan.error is not None else "probe"
            group, files = errors.setdefault(
                (stage, record.error.code),
                (ErrorGroup(stage, record.error.code, 0, record.error.message), _Capped[str]()))
            group.count += 1
            files.add(record.path)
        _distributions(record, dist)
        if scan.cls == "video" and record.role not in (None, "main"):
            extras_by_role[record.role] += 1
            extras.add(ExtraFile(record.role, record.path, record.role_reason))
            continue
        if scan.cls in ("video", "audio", "book") and scan.error is None:
            verdict, why = _identify(record)
            match = doubtful.get(record.path)
            if match is not None and verdict == "identified":
                # The name looked complete, but the provider was not sure which work it is.
                verdict, why = "needs_review", f"enrich matched at {match[0]} confidence"
            setattr(ident, verdict, getattr(ident, verdict) + 1)
            if verdict == "unidentified":
                unidentified.add(record.path)
            elif verdict == "needs_review":
                item = _review_item(record, why or "")
                if match is not None:
                    item.candidates = match[1]
                review.add(item)
        if record.fingerprint and scan.size and scan.cls in ("video", "audio", "book"):
            # Empty files all hash alike; they are reported as errors, not as copies.
            fingerprints[record.fingerprint] = fingerprints.get(record.fingerprint, 0) + 1
        for key in work_key(record):
            works[key] = works.get(key, 0) + 1
        parse = record.parse
        if parse is not None and parse.type == "episode" and parse.title and \
                parse.season is not None and parse.episodes and record.role in (None, "main"):
            series = fold(parse.title)
            series_names.setdefault(series, parse.title)
            seasons.setdefault((series, parse.season), set()).update(parse.episodes)

    duplicates, dup_dropped = _duplicates(work, fingerprints, works)
    missing = _missing(seasons, series_names)
    return Report(
        schema=REPORT_SCHEMA,
        created=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        tool=__version__, inputs=inputs, roots=sorted(roots), totals=totals,
        kinds=dict(sorted(kinds.items())), identification=ident,
        review=review.items, unidentified=unidentified.items,
        errors=_error_groups(errors) + enrich_errors,
        distributions={name: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))
                       for name, c in dist.items()},
        duplicates=duplicates, missing_episodes=missing.items,
        extras=extras.items, extras_by_role=dict(sorted(extras_by_role.items())),
        plan=_plan_summary(work, inputs.get("probe.jsonl")), naming_issues=naming or [],
        enriched=enriched,
        enrich_run=enrich_run,
        truncated={name: n for name, n in (
            ("review", review.dropped), ("unidentified", unidentified.dropped),
            ("extras", extras.dropped), ("duplicates", dup_dropped),
            ("missing_episodes", missing.dropped)) if n},
    )


def _enrich_run(work: Path) -> EnrichRun:
    """What the run that wrote enrich.jsonl did, from the summary written beside it."""
    path = work / "enrich.summary.json"
    try:
        summary = msgspec.json.decode(path.read_bytes(), type=EnrichSummary)
    except (OSError, msgspec.DecodeError):
        return EnrichRun()
    if summary.schema != ENRICH_SUMMARY_SCHEMA or \
            summary.manifest != file_sha256(work / "enrich.jsonl"):
        return EnrichRun()  # describes another enrich run
    return EnrichRun(dict(summary.providers), dict(summary.requests))


def _enrich_summary(work: Path, probe_hash: str | None
                    ) -> tuple[EnrichRun | None, bool, dict[str, tuple[str, list[str]]],
                               list[ErrorGroup]]:
    """The enrich run (None when enrich.jsonl is absent or of another probe); whether any
    provider answered; files of works matched below "strong" with their candidates;
    enrich errors grouped by code."""
    path = work / "enrich.jsonl"
    if not path.exists():
        return None, False, {}, []
    header, records = read_manifest(path, ENRICH_SCHEMA, EnrichRecord)
    if header.inputs.get("probe.jsonl") != probe_hash:
        return None, False, {}, []
    enriched = False
    doubtful: dict[str, tuple[str, list[str]]] = {}
    groups: dict[str, tuple[ErrorGroup, _Capped[str]]] = {}
    for record in records:
        enriched = enriched or record.confidence != "none"
        if record.confidence in ("medium", "low"):
            candidates = [f"{c.get('title')} ({c.get('year') or '?'}) {c.get('provider')}:"
                          f"{c.get('id')} score {c.get('score')}" for c in record.candidates]
            for file in record.work.files:
                doubtful[file] = (record.confidence, candidates)
        for error in record.errors:
            group, files = groups.setdefault(
                error.code, (ErrorGroup("enrich", error.code, 0, error.message), _Capped[str]()))
            group.count += 1
            files.add(record.work.files[0] if record.work.files else record.work.title)
    out = []
    for group, files in groups.values():
        group.files = files.items
        out.append(group)
    return _enrich_run(work), enriched, doubtful, sorted(out, key=lambda g: g.code)


def _naming(work: Path, scan_hash: str | None) -> list[NamingRule] | None:
    """verify's findings grouped by rule, if verify.json was made beside this scan."""
    path = work / "verify.json"
    try:
        found = msgspec.json.decode(path.read_bytes(), type=NamingIssues)
    except (OSError, msgspec.DecodeError):
        return None
    if found.schema != VERIFY_SCHEMA or found.inputs.get("scan.jsonl") != scan_hash:
        return None  # made beside another scan: the library may have changed since
    return sorted(found.rules, key=lambda r: (-r.count, r.rule))


def _plan_summary(work: Path, probe_hash: str | None) -> PlanSummary | None:
    """What plan.jsonl would do, if it was made from the current probe manifest."""
    path = work / "plan.jsonl"
    if not path.exists():
        return None
    header, entries = read_manifest(path, PLAN_SCHEMA, PlanEntry)
    if header.inputs.get("probe.jsonl") != probe_hash:
        return None  # a plan of an older probe would describe files that changed
    summary = PlanSummary()
    reasons: Counter[str] = Counter()
    for entry in entries:
        if entry.action == "move":
            summary.moves += 1
            if len(summary.sample_moves) < LIST_CAP and entry.source and entry.destination:
                summary.sample_moves.append([entry.source, entry.destination])
        elif entry.action == "skip":
            summary.skips += 1
            reasons[(entry.reason or "").split(":")[0]] += 1
        else:
            summary.creates += 1
    summary.skip_reasons = dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))
    return summary


def _distributions(record: ProbeRecord, dist: dict[str, Counter[str]]) -> None:
    tech = record.technical
    if record.scan.cls == "video" and tech is not None:
        dist["container"][tech.container or "unknown"] += 1
        dist["video_codec"][tech.video_codec or "unknown"] += 1
        dist["resolution"][tech.resolution or "unknown"] += 1
        dist["hdr"][tech.hdr or "SDR"] += 1
        for track in tech.audio:
            dist["audio_codec"][track.codec or "unknown"] += 1
            dist["audio_language"][track.language or "und"] += 1
        for sub in tech.subtitles:
            dist["subtitle_language"][sub.language or "und"] += 1
    elif record.scan.cls == "audio" and tech is not None:
        dist["container"][tech.container or "unknown"] += 1
        for track in tech.audio:
            dist["audio_codec"][track.codec or "unknown"] += 1
    elif record.scan.cls == "subtitle" and record.sidecar is not None:
        dist["subtitle_language"][record.sidecar.language or "und"] += 1


def _review_item(record: ProbeRecord, why: str) -> ReviewItem:
    parse = record.parse
    kind = {"video": "episode" if parse is not None and parse.type == "episode" else "movie",
            "audio": "music", "book": "book"}[record.scan.cls]
    title = parse.title if parse is not None else None
    if record.tags is not None:
        title = record.tags.title
    if record.book is not None:
        title = record.book.title
    return ReviewItem(record.path, kind, why, title, parse.year if parse is not None else None)


def _error_groups(errors: dict[tuple[str, str], tuple[ErrorGroup, _Capped[str]]]
                  ) -> list[ErrorGroup]:
    groups = []
    for (_stage, _code), (group, files) in sorted(errors.items()):
        group.files = files.items
        groups.append(group)
    return groups


def _duplicates(work: Path, fingerprints: dict[str, int], works: dict[str, int]
                ) -> tuple[list[DuplicateGroup], int]:
    """Second pass: collect the files of every fingerprint or work seen twice."""
    same_content = {fp for fp, n in fingerprints.items() if n > 1}
    same_work = {key for key, n in works.items() if n > 1}
    if not same_content and not same_work:
        return [], 0
    groups: dict[tuple[str, str], list[str]] = {}
    for record in _records(work):
        if record.fingerprint in same_content:
            groups.setdefault(("same content", record.fingerprint), []).append(record.path)
        for key in work_key(record):
            if key in same_work:
                groups.setdefault(("same work", key), []).append(record.path)
    ordered = [DuplicateGroup(kind, key, files) for (kind, key), files in sorted(groups.items())]
    return ordered[:LIST_CAP], max(0, len(ordered) - LIST_CAP)


def _missing(seasons: dict[tuple[str, int], set[int]],
             names: dict[str, str]) -> _Capped[MissingEpisodes]:
    """Gaps below the highest episode present (enrich's season lists are not used yet)."""
    out: _Capped[MissingEpisodes] = _Capped()
    for (series, season), have in sorted(seasons.items()):
        gaps = sorted(set(range(1, max(have) + 1)) - have)
        if gaps and season > 0:
            out.add(MissingEpisodes(names[series], season, gaps, sorted(have)))
    return out


def run(work: Path) -> tuple[Report, Path, Path]:
    """Build the report and write report.json and report.html into ``work``."""
    from pipeline.report.html import render_html

    report = build(work)
    json_path, html_path = work / JSON_NAME, work / HTML_NAME
    write_file_atomic(json_path, msgspec.json.format(msgspec.json.encode(report), indent=1) + b"\n")
    write_file_atomic(html_path, render_html(report).encode("utf-8"))
    return report, json_path, html_path
