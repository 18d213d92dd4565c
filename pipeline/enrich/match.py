"""Match, then score, then classify: how sure are we that a candidate is the work?

One predicate per field, one weight table per kind; the confidence comes
from the best score and its gap to the runner-up, with thresholds from the
settings. Popularity never adds to a score: it only orders candidates that
score the same. Never "first result wins".
"""

from __future__ import annotations

from difflib import SequenceMatcher

from pipeline.core.records import Work
from pipeline.core.settings import Confidence
from pipeline.core.titles import fold
from pipeline.enrich.providers.base import Candidate

__all__ = ["WEIGHTS", "classify", "rank", "score", "title_similarity"]

# field -> weight, per kind; each field's predicate gives 0..1.
WEIGHTS: dict[str, dict[str, float]] = {
    "movie": {"title": 0.6, "year": 0.3, "kind": 0.1},
    "series": {"title": 0.6, "year": 0.2, "kind": 0.1, "seasons": 0.1},
    "album": {"title": 0.5, "artist": 0.3, "year": 0.1, "tracks": 0.1},
    "book": {"title": 0.5, "artist": 0.35, "year": 0.15},
}
# A best score must lead the runner-up by this much to be "strong".
MIN_GAP = 0.1


def title_similarity(ours: str, theirs: str) -> float:
    a, b = fold(ours), fold(theirs)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    # Leading articles differ between sources ("The Office" vs "Office").
    for article in ("the ", "a ", "an ", "le ", "la ", "les ", "der ", "die ", "das "):
        a, b = a.removeprefix(article), b.removeprefix(article)
    return 1.0 if a == b else SequenceMatcher(None, a, b).ratio()


def _year(ours: int | None, theirs: int | None) -> float:
    if ours is None or theirs is None:
        return 0.5  # unknown: neither evidence for nor against
    return {0: 1.0, 1: 0.7}.get(abs(ours - theirs), 0.0)


def score(work: Work, candidate: Candidate) -> tuple[float, list[str]]:
    """The weighted score (0..1) of ``candidate`` for ``work``, and why."""
    weights = WEIGHTS[work.kind]
    titles = [candidate.title, *([candidate.original_title] if candidate.original_title else []),
              *candidate.alternative_titles]
    parts = {"title": max(title_similarity(work.title, t) for t in titles),
             "year": _year(work.year, candidate.year),
             "kind": 1.0 if candidate.kind == work.kind else 0.0}
    if "seasons" in weights:
        have = set(work.seasons)
        known = set(candidate.season_episodes)
        parts["seasons"] = len(have & known) / len(have) if have and known else 0.5
    if "artist" in weights:
        parts["artist"] = (title_similarity(work.artist, candidate.artist)
                           if work.artist and candidate.artist else 0.5)
    if "tracks" in weights:
        files = len(work.files)
        parts["tracks"] = (1.0 if files <= candidate.track_count else 0.0) \
            if candidate.track_count else 0.5
    if work.isbn and candidate.ids.get("isbn") == work.isbn:
        return 1.0, ["isbn matches"]
    total = sum(weights[name] * parts[name] for name in weights)
    reasons = [f"{name} {parts[name]:.2f}" for name in weights]
    return round(total, 4), reasons


def rank(work: Work, candidates: list[Candidate]) -> list[tuple[float, list[str], Candidate]]:
    """Candidates best first: by score, then popularity, then id (deterministic)."""
    scored = [(*score(work, c), c) for c in candidates]
    return sorted(scored, key=lambda s: (-s[0], -(s[2].popularity or 0.0), s[2].id))


def classify(ranked: list[tuple[float, list[str], Candidate]], thresholds: Confidence) -> str:
    """strong / medium / low / none from the best score and its lead."""
    if not ranked:
        return "none"
    best = ranked[0][0]
    gap = best - ranked[1][0] if len(ranked) > 1 else best
    if best >= thresholds.strong and gap >= MIN_GAP:
        return "strong"
    if best >= thresholds.medium:
        return "medium"
    if best >= thresholds.low:
        return "low"
    return "none"
