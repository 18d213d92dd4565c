"""Match, then score, then classify: how sure are we that a candidate is the work?

One predicate per field, one weight table per kind. A field we know nothing
about on the work's side (no year in the name, no country, no season lists
yet) is left out of the score rather than scored half: unknown is neither
evidence for nor against. Popularity never adds to a score: it only orders
candidates that score the same. Never "first result wins".

The confidence comes from the best score and its lead over the runner-up,
with thresholds from the settings — and, for movies and series, "strong"
also has to pass the rules a careful human applies before filing a film
under a name (``classify``), because a wrong strong match puts a file under
the wrong film:

- the title is the same (``compare``: exact, or a head with no other
  candidate as good) and carries the same numbers (no lost "Part II");
- the year agrees within one (festival and release dates differ) when the
  name has one; the country too when the name has one (``The Office (US)``);
- no *rival*: another candidate the name could as well mean — one with a
  close title that the year, the country and the episodes present don't rule
  out: a film of the same title (remakes, strangers), a sequel whose number
  the name may have lost ("The Godfather" for "Part II"), and one whose head
  the name is too — unless the name has a year and the best is a film of
  the very name (without a year, "Rogue One" may be a film of that name or
  "Rogue One: A Star Wars Story": a human can't tell);
- when rivals tie on the name, the seasons and episodes present decide:
  a series whose season lists hold every episode beats one whose lists don't.

``expansions`` says which candidates are worth one more request each
(alternative titles, season lists) when the first pass is not strong.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.core.records import Work
from pipeline.core.settings import Confidence
from pipeline.enrich.compare import TitleMatch, compare_title, split_country
from pipeline.enrich.providers.base import Candidate

__all__ = ["EXPANSIONS", "MIN_GAP", "WEIGHTS", "Scored", "classify", "expansions", "rank",
           "score", "title_similarity"]

# field -> weight, per kind; each field's predicate gives 0..1 (or None: unknown, left out).
WEIGHTS: dict[str, dict[str, float]] = {
    "movie": {"title": 0.6, "year": 0.3, "kind": 0.1},
    "series": {"title": 0.6, "year": 0.2, "kind": 0.1, "seasons": 0.1, "country": 0.2},
    "album": {"title": 0.5, "artist": 0.3, "year": 0.1, "tracks": 0.1},
    "book": {"title": 0.5, "artist": 0.35, "year": 0.15},
}
# A best score must lead the runner-up by this much to be "strong".
MIN_GAP = 0.1
# How many candidates may get one more request each when the first pass is not strong.
EXPANSIONS = 3
_SCREENED = frozenset({"movie", "series"})  # kinds that "strong" checks title by title


@dataclass(frozen=True)
class Scored:
    """One candidate with its score (0..1), why, and how its best title compares."""

    score: float
    reasons: list[str]
    candidate: Candidate
    title: TitleMatch


def title_similarity(ours: str, theirs: str) -> float:
    """0..1: 1 for the same title (see ``compare``), a head a little less, else the ratio."""
    return compare_title(ours, theirs).similarity


def _name(work: Work) -> tuple[str, str | None]:
    return split_country(work.title) if work.kind in _SCREENED else (work.title, None)


def _best_title(name: str, candidate: Candidate) -> TitleMatch:
    variants = [candidate.title, *([candidate.original_title] if candidate.original_title
                                   else []), *candidate.alternative_titles]
    found = [compare_title(name, v) for v in variants if v]
    if not found:
        return compare_title(name, "")
    rank = {"exact": 3, "head": 2, "spelling": 1, "fuzzy": 0}
    return max(found, key=lambda m: (rank[m.level], m.similarity, m.close))


def _year(ours: int | None, theirs: int | None) -> float | None:
    if ours is None:
        return None  # nothing to compare: left out
    if theirs is None:
        return 0.5
    return {0: 1.0, 1: 0.7}.get(abs(ours - theirs), 0.0)


def _episodes(work: Work) -> set[tuple[int, int]]:
    return {(int(s), e) for s, eps in work.seasons.items() if s.strip().isdigit() for e in eps}


def _seasons_fit(work: Work, candidate: Candidate) -> float | None:
    """The share of the work's episodes that the candidate's season lists hold; None: unknown."""
    have = _episodes(work)
    if not have or not candidate.season_episodes:
        return None
    known = {(int(s), e) for s, eps in candidate.season_episodes.items() if s.strip().isdigit()
             for e in eps}
    return len(have & known) / len(have)


def _country(country: str | None, candidate: Candidate) -> float | None:
    if country is None or not candidate.countries:
        return None
    return 1.0 if country in candidate.countries else 0.0


def score(work: Work, candidate: Candidate) -> tuple[float, list[str]]:
    """The weighted score (0..1) of ``candidate`` for ``work``, and why."""
    scored = _scored(work, candidate)
    return scored.score, scored.reasons


def _scored(work: Work, candidate: Candidate) -> Scored:
    weights = WEIGHTS[work.kind]
    name, country = _name(work)
    title = _best_title(name, candidate)
    if work.isbn and candidate.ids.get("isbn") == work.isbn:
        return Scored(1.0, ["isbn matches"], candidate, title)
    parts: dict[str, float | None] = {
        "title": title.similarity, "year": _year(work.year, candidate.year),
        "kind": 1.0 if candidate.kind == work.kind else 0.0}
    if "seasons" in weights:
        parts["seasons"] = _seasons_fit(work, candidate)
    if "country" in weights:
        parts["country"] = _country(country, candidate)
    if "artist" in weights:
        parts["artist"] = (title_similarity(work.artist, candidate.artist)
                           if work.artist and candidate.artist else 0.5)
    if "tracks" in weights:
        files = len(work.files)
        parts["tracks"] = (1.0 if files <= candidate.track_count else 0.0) \
            if candidate.track_count else 0.5
    known = {n: p for n, p in parts.items() if p is not None and n in weights}
    total = sum(weights[n] * p for n, p in known.items()) / sum(weights[n] for n in known)
    reasons = [f"{n} {p:.2f}" for n, p in known.items()]
    return Scored(round(total, 4), reasons, candidate, title)


def rank(work: Work, candidates: list[Candidate]) -> list[Scored]:
    """Candidates best first: by score, then popularity, then id (deterministic)."""
    scored = [_scored(work, c) for c in candidates]
    return sorted(scored, key=lambda s: (-s.score, -(s.candidate.popularity or 0.0),
                                         s.candidate.id))


def _compatible(work: Work, candidate: Candidate) -> bool:
    """Not ruled out by a hard fact of the name: its year (± 1) and its country."""
    if work.year is not None and (candidate.year is None or abs(candidate.year - work.year) > 1):
        return False
    return _country(_name(work)[1], candidate) != 0.0


def _contenders(work: Work, best: Scored, others: list[Scored]) -> list[Scored]:
    """The other candidates that could still be the work (see the module docstring)."""
    found = []
    fits = _seasons_fit(work, best.candidate)
    for other in others:
        if not _compatible(work, other.candidate) or (
                other.title.numbers_differ and not other.title.close):
            continue  # another year, country or number: another film for sure
        if (work.year is not None and best.title.level == "exact" and other.title.close
                and other.title.level != "exact" and not other.title.numbers_differ):
            continue  # with the year, a film of the very name beats one it is the head of
        theirs = _seasons_fit(work, other.candidate)
        if fits == 1.0 and theirs is not None and theirs < 1.0:
            continue  # the episodes present tell the series apart
        found.append(other)
    return found


def classify(work: Work, ranked: list[Scored],
             thresholds: Confidence) -> tuple[str, list[str]]:
    """strong / medium / low / none, and for a match kept from strong, why."""
    if not ranked:
        return "none", []
    best = ranked[0]
    level = ("medium" if best.score >= thresholds.medium else
             "low" if best.score >= thresholds.low else "none")
    if best.score < thresholds.strong:
        return level, []
    if work.kind not in _SCREENED:
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        return ("strong" if best.score - runner_up >= MIN_GAP else level), []
    why = _doubts(work, best, ranked[1:])
    return ("medium", why) if why else ("strong", [])


def _doubts(work: Work, best: Scored, others: list[Scored]) -> list[str]:
    title = best.title
    why = []
    if title.numbers_differ:
        why.append(f"numbers differ from {title.title!r}")
    elif title.level == "fuzzy" or (title.level == "spelling" and work.year is None):
        why.append(f"title only like {title.title!r}")
    if not _compatible(work, best.candidate):
        why.append("year or country disagree")
    contenders = _contenders(work, best, others)
    rivals = [c for c in contenders if c.title.close]
    if rivals:
        names = ", ".join(f"{r.candidate.provider}:{r.candidate.id}" for r in rivals[:3])
        why.append(f"other candidates fit the name as well ({names})")
    elif contenders and best.score - contenders[0].score < MIN_GAP:
        why.append("no clear lead over the runner-up")
    return why


def expansions(work: Work, ranked: list[Scored], limit: int = EXPANSIONS) -> list[Candidate]:
    """Candidates worth one more request each (alternative titles, season lists).

    Only those the name's hard facts don't rule out, best first, at most
    ``limit``: while none of them has the name for its title, the ones
    whose alternative titles may have it; and for a series whose episodes
    are known, the ones that fit the name alike (their season lists may tell
    them apart). A film of the very name kept from strong is kept by rivals
    that alternative titles could only add to: then none.
    """
    if work.kind not in _SCREENED:
        return []
    compatible = [s for s in ranked if _compatible(work, s.candidate)]
    wanted: set[str] = set()
    if not any(s.title.level == "exact" for s in compatible):
        wanted |= {s.candidate.id for s in compatible}
    close = [s for s in compatible if s.title.close]
    if work.kind == "series" and len(close) > 1 and _episodes(work):
        wanted |= {s.candidate.id for s in close}
    return [s.candidate for s in compatible
            if s.candidate.id in wanted and not s.candidate.detailed][:limit]
