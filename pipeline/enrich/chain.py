"""The lookup chain of one work: search, score, maybe look closer, then details.

Per work, the first provider of its chain searches; ``match`` ranks and
classifies the candidates. When that is not strong, the few candidates whose
alternative titles or season lists could still decide (``match.expansions``)
get one request each (``expand``, the same request ``details`` starts with),
and the candidates are ranked again. Then the chosen candidate gets its
details — a movie only when the match is strong (a doubtful one gets them
when it is accepted), a series always (its season lists name the episodes) —
and the rest of the chain follows up (the Cover Art Archive after
MusicBrainz). A user's override wins over search.

Requests per work, TMDB: a movie costs its search (a second one without the
year when the year finds nothing of the name, up to two more spellings when
nothing at all), plus one details request when strong, or one per expanded
candidate (at most ``match.EXPANSIONS``) when not — an expanded candidate
chosen costs nothing more; a series the same, plus one request per season
present. Everything goes through the shared cached session: a re-run asks
nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.core.errors import LookupFailed, ProviderUnusable
from pipeline.core.records import EnrichRecord, ItemError, Work
from pipeline.core.settings import Settings
from pipeline.enrich.match import Scored, classify, expansions, rank
from pipeline.enrich.overrides import Override, override_for
from pipeline.enrich.providers.base import Candidate, JsonClient

__all__ = ["CANDIDATES_KEPT", "CHAINS", "Lookups"]

# Which providers a work of each kind asks, in order: a search, then follow-ups.
CHAINS: dict[str, tuple[str, ...]] = {
    "movie": ("tmdb",), "series": ("tmdb",), "album": ("musicbrainz", "coverart"),
    "book": ("openlibrary",),
}
CANDIDATES_KEPT = 5


class Lookups:
    """Runs the chains; shared by the pool's threads."""

    def __init__(self, settings: Settings, active: set[str], clients: Mapping[str, Any],
                 overrides: Sequence[Override]) -> None:
        from pipeline.enrich.providers import registry, tmdb

        self.settings = settings
        self.providers = registry()
        conf = settings.providers.tmdb
        self.providers["tmdb"] = tmdb.Tmdb(language=conf.language, country=conf.country,
                                           image_base=conf.image_base_url,
                                           poster_size=conf.poster_size)
        self.active = active
        self.clients = clients
        self.overrides = overrides
        self.disabled: dict[str, str] = {}
        self.lock = threading.Lock()

    def disable(self, name: str, why: str) -> None:
        with self.lock:
            self.disabled.setdefault(name, why)

    def _search(self, name: str, work: Work) -> tuple[list[Scored], str, list[str]]:
        """Ranked candidates, the confidence, and why a match was kept from strong."""
        provider, client = self.providers[name], self.clients[name]
        thresholds = self.settings.enrich.confidence
        found = provider.lookup(client, work)
        ranked = rank(work, found)
        confidence, doubts = classify(work, ranked, thresholds)
        expand = getattr(provider, "expand", None)
        if confidence != "strong" and expand is not None:
            wanted = expansions(work, ranked)
            if wanted:
                closer = {c.id: expand(client, c, work) for c in wanted}
                ranked = rank(work, [closer.get(c.id, c) for c in found])
                confidence, doubts = classify(work, ranked, thresholds)
        return ranked, confidence, doubts

    def enrich(self, work: Work) -> EnrichRecord:
        chain = [n for n in CHAINS[work.kind] if n in self.active]
        usable = [n for n in chain if n not in self.disabled]
        if not usable:
            why = [f"{n}: {self.disabled[n]}" for n in chain if n in self.disabled]
            return EnrichRecord(work=work, confidence="none", title=work.title, year=work.year,
                                reasons=why or ["no provider serves this kind of work"])
        search, *follow_ups = usable
        provider = self.providers[search]
        client: JsonClient = self.clients[search]
        try:
            rule = override_for(work, self.overrides)
            forced = getattr(rule, search, None) if rule is not None else None
            ranked: list[Scored] = []
            if forced is not None:
                chosen: Candidate | None = provider.details(
                    client, Candidate(search, str(forced), work.title, work.kind), work)
                confidence, best_score, reasons = "strong", 1.0, ["override"]
            else:
                ranked, confidence, doubts = self._search(search, work)
                chosen = ranked[0].candidate if ranked and confidence != "none" else None
                best_score = ranked[0].score if ranked else 0.0
                reasons = [*ranked[0].reasons, *doubts] if ranked else ["no candidate"]
                if chosen is not None and (work.kind != "movie" or confidence == "strong"):
                    chosen = provider.details(client, chosen, work)
            for name in follow_ups:
                if chosen is not None and name not in self.disabled:
                    chosen = self.providers[name].details(self.clients[name], chosen, work)
        except ProviderUnusable as exc:
            self.disable(search, str(exc))
            return EnrichRecord(work=work, confidence="none", title=work.title, year=work.year,
                                errors=[ItemError("provider_unusable", str(exc))])
        except LookupFailed as exc:
            return EnrichRecord(work=work, confidence="none", title=work.title, year=work.year,
                                errors=[ItemError("lookup_failed", str(exc))])
        candidates = [{"provider": s.candidate.provider, "id": s.candidate.id,
                       "title": s.candidate.title, "year": str(s.candidate.year or ""),
                       "score": f"{s.score:.2f}"} for s in ranked[:CANDIDATES_KEPT]]
        if chosen is None:
            return EnrichRecord(work=work, confidence="none", title=work.title, year=work.year,
                                reasons=reasons, candidates=candidates)
        return EnrichRecord(
            work=work, confidence=confidence,  # type: ignore[arg-type]
            ids={**chosen.ids, chosen.provider: chosen.id}, title=chosen.title,
            original_title=chosen.original_title, year=chosen.year, score=best_score,
            reasons=reasons, candidates=candidates, episode_titles=chosen.episode_titles,
            season_episodes=chosen.season_episodes, artwork=chosen.artwork,
            overview=chosen.overview, tagline=chosen.tagline, genres=chosen.genres,
            runtime=chosen.runtime, certification=chosen.certification,
            premiered=chosen.premiered)
