"""The shape of report.json (schema ``jforg.report/1``), shared by every renderer.

Paths are in wire form (``pipeline.core.paths``): exact, and always valid JSON;
renderers show them below their library root (``below_root``) with
``paths.display``, the full path a hover away. Every list that could grow with
the library is capped at ``LIST_CAP`` entries, and ``truncated`` says how
many entries each capped list left out, so the report's size and the
memory used to build it stay bounded.
"""

from __future__ import annotations

import msgspec

__all__ = [
    "LIST_CAP",
    "NAMING_FILES_CAP",
    "REPORT_SCHEMA",
    "VERIFY_SCHEMA",
    "DuplicateGroup",
    "EnrichRun",
    "ErrorGroup",
    "ExtraFile",
    "Identification",
    "MissingEpisodes",
    "NamingIssue",
    "NamingIssues",
    "NamingRule",
    "PlanSummary",
    "Report",
    "ReviewItem",
    "Totals",
    "below_root",
    "enrich_notice",
]

REPORT_SCHEMA = "jforg.report/1"
VERIFY_SCHEMA = "jforg.verify/1"
LIST_CAP = 1000
NAMING_FILES_CAP = 20  # files shown per naming rule: a messy library must not flood the page


class Totals(msgspec.Struct):
    files: int = 0
    bytes: int = 0


class Identification(msgspec.Struct):
    """Media files (main videos, audio, books) by how well they are identified.

    identified: a full identity (a movie's title and year, an episode's series,
    season and episode, a track's artist, album and title, a book's title);
    needs_review: a partial identity, or an enrich match below the accepted
    confidence; unidentified: no usable title at all.
    """

    identified: int = 0
    needs_review: int = 0
    unidentified: int = 0


class ReviewItem(msgspec.Struct):
    path: str
    kind: str  # movie, episode, music, book
    reason: str
    title: str | None = None
    year: int | None = None
    candidates: list[str] = []


class ErrorGroup(msgspec.Struct):
    stage: str  # scan, probe, enrich
    code: str
    count: int
    message: str  # the first message seen, as an example
    files: list[str] = []


class DuplicateGroup(msgspec.Struct):
    kind: str  # "same content" (equal fingerprints) or "same work"
    key: str  # the fingerprint, or "Title (Year)" / "Series S01E02"
    files: list[str] = []


class MissingEpisodes(msgspec.Struct):
    series: str
    season: int
    missing: list[int] = []
    have: list[int] = []


class ExtraFile(msgspec.Struct):
    role: str
    path: str
    reason: str | None = None


class PlanSummary(msgspec.Struct):
    moves: int = 0
    skips: int = 0
    creates: int = 0
    skip_reasons: dict[str, int] = {}
    sample_moves: list[list[str]] = []  # [source, destination], capped


class NamingIssue(msgspec.Struct):
    """One file (or folder) that breaks a naming rule: why, and what to do."""

    path: str
    message: str
    fix: str


class NamingRule(msgspec.Struct):
    """One of verify's rules over the library roots: how many break it, the first few."""

    rule: str
    count: int
    files: list[NamingIssue]  # at most NAMING_FILES_CAP, in path order


class NamingIssues(msgspec.Struct, frozen=True):
    """``WORK/verify.json``: verify's findings over the library roots, grouped by rule.

    Written by ``jforg run`` (the runner's verify step) and read here, so the
    report never imports the plan package; ``inputs["scan.jsonl"]`` is the
    scan it was made beside, and a report of another scan ignores it.
    """

    schema: str
    created: str
    tool: str
    inputs: dict[str, str]
    roots: list[str]
    rules: list[NamingRule]


class EnrichRun(msgspec.Struct):
    """What the enrich run behind this report did, per provider (see EnrichSummary);
    empty when its enrich.jsonl has no summary beside it."""

    providers: dict[str, str] = {}  # asked, offline, disabled: … (see EnrichSummary)
    requests: dict[str, int] = {}  # requests that went to the network


class Report(msgspec.Struct):
    schema: str
    created: str
    tool: str
    inputs: dict[str, str]
    roots: list[str]
    totals: Totals
    kinds: dict[str, Totals]
    identification: Identification
    review: list[ReviewItem]
    unidentified: list[str]
    errors: list[ErrorGroup]
    distributions: dict[str, dict[str, int]]
    duplicates: list[DuplicateGroup]
    missing_episodes: list[MissingEpisodes]
    extras: list[ExtraFile]
    extras_by_role: dict[str, int]
    plan: PlanSummary | None
    naming_issues: list[NamingRule]  # by count, then rule id; [] when verify did not run
    enriched: bool
    truncated: dict[str, int]
    enrich_run: EnrichRun | None = None  # None: no enrich.jsonl made from this probe


def below_root(path: str, roots: list[str]) -> str:
    """``path`` relative to the library root holding it (that root's name first when
    the report has several); the path itself when no root holds it."""
    best = max((r for r in roots if path.startswith(r.rstrip("/") + "/")), key=len, default=None)
    if best is None:
        return path
    rel = path[len(best.rstrip("/")) + 1:]
    if len(roots) > 1:
        return f"{best.rstrip('/').rsplit('/', 1)[-1] or '/'}/{rel}"
    return rel


def enrich_notice(report: Report) -> str:
    """One sentence on where the identities come from: what enrich did, or that it did not."""
    run = report.enrich_run
    if run is None:
        return "No enrich run: identification from names and tags only."
    if not run.providers:  # an enrich.jsonl written before enrich summarised its runs
        return ("Enriched: identities were matched against online providers."
                if report.enriched else "Enrich found no match: identification from names "
                "and tags only.")
    asked = [name for name, status in run.providers.items()
             if status in ("asked", "answered from the cache")]
    parts = []
    for name, status in run.providers.items():
        n = run.requests.get(name, 0)
        parts.append(f"{name} {status}" + (f" ({n:,} request{'' if n == 1 else 's'})"
                                           if n else ""))
    if not asked:
        return ("Enrich ran but asked no provider (" + "; ".join(parts)
                + "): identification from names and tags only.")
    return "Enrich: " + "; ".join(parts) + "."
