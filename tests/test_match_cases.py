"""The matching tables (tests/data/matching-cases.tsv) through the whole lookup chain.

Each name is one work, looked up by ``chain.Lookups`` with its own HTTP
cache against the fake TMDB over real HTTP (tests/fake_server.py), so the
requests the server sees are the requests that work costs. A name a human
is sure of must match strong, on the right id; a name no human could decide
must stay below strong with the plausible films among its candidates; and
no name, ever, gets a wrong strong match.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import msgspec
import pytest

from pipeline import __version__
from pipeline.core.net import Client, build_session
from pipeline.core.records import EnrichRecord, Work
from pipeline.core.settings import Settings
from pipeline.enrich.chain import Lookups
from tests import fake_tmdb
from tests.fake_server import FakeServer

TABLE = Path(__file__).parent / "data" / "matching-cases.tsv"


@dataclass(frozen=True)
class Case:
    family: str
    work: Work
    expect: str  # a TMDB id, or "?" when no human could decide
    among: tuple[str, ...]

    @property
    def label(self) -> str:
        episodes = ";".join(f"{s}:{','.join(map(str, e))}" for s, e in self.work.seasons.items())
        return f"{self.work.kind}:{self.work.title}:{self.work.year or ''}:{episodes}"


def _episodes(text: str) -> dict[str, list[int]]:
    seasons: dict[str, list[int]] = {}
    for part in filter(None, text.split(";")):
        season, _, episodes = part.partition(":")
        first, _, last = episodes.partition("-")
        seasons[season] = list(range(int(first), int(last or first) + 1))
    return seasons


def load_cases() -> list[Case]:
    lines = [line for line in TABLE.read_text("utf-8").splitlines()
             if line and not line.startswith("#")]
    cases = []
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        year = int(row["year"]) if row["year"] else None
        seasons = _episodes(row["episodes"])
        work = Work(row["kind"], f"{row['kind']}|{row['title']}|{year or ''}",  # type: ignore[arg-type]
                    row["title"], year, seasons=seasons, files=[f"/m/{row['title']}.mkv"])
        among = tuple(filter(None, (row["among"] or "").split(",")))
        cases.append(Case(row["family"], work, row["expect"], among))
    return cases


CASES = load_cases()


@dataclass(frozen=True)
class Outcome:
    record: EnrichRecord
    requests: int


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    """Every case looked up once, each with an empty cache of its own."""
    base = Settings()
    with FakeServer() as server:
        server.add("/tmdb", fake_tmdb.handle)
        tmdb = msgspec.structs.replace(base.providers.tmdb, api_key=fake_tmdb.API_KEY,
                                       base_url=server.url("/tmdb/3"), rate=1000.0)
        settings = msgspec.structs.replace(
            base, providers=msgspec.structs.replace(base.providers, tmdb=tmdb))
        found = {}
        for case in CASES:
            session = build_session(tmp_path_factory.mktemp("cache"), 1, f"jforg/{__version__}")
            try:
                client = Client(session, "tmdb", tmdb.base_url, rate=tmdb.rate,
                                params={"api_key": fake_tmdb.API_KEY})
                before = len(server.requests)
                record = Lookups(settings, {"tmdb"}, {"tmdb": client}, []).enrich(case.work)
                found[case.label] = Outcome(record, len(server.requests) - before)
            finally:
                session.close()
        yield found


def test_the_table_has_every_family_and_both_kinds_of_answer() -> None:
    families = Counter(c.family for c in CASES)
    assert set(families) >= {"remake", "stranger", "sequel", "punct", "foreign", "anime",
                             "short", "alt", "country", "seasons", "undecidable"}
    assert len({c.label for c in CASES}) == len(CASES)  # no row twice
    sure = [c for c in CASES if c.expect != "?"]
    assert len(sure) >= 90 and len(CASES) - len(sure) >= 25
    known = {str(i) for i in (*fake_tmdb.MOVIES, *fake_tmdb.TV)}
    assert all(c.expect in known for c in sure)
    assert all(set(c.among) <= known for c in CASES)


def test_no_name_ever_gets_a_wrong_strong_match(outcomes: dict[str, Outcome]) -> None:
    wrong = [(c.label, o.record.ids.get("tmdb")) for c in CASES
             if (o := outcomes[c.label]).record.confidence == "strong"
             and o.record.ids.get("tmdb") != c.expect]
    assert wrong == []


@pytest.mark.parametrize("case", [c for c in CASES if c.expect != "?"], ids=lambda c: c.label)
def test_a_name_a_human_is_sure_of_matches_strong(case: Case,
                                                  outcomes: dict[str, Outcome]) -> None:
    record = outcomes[case.label].record
    assert (record.confidence, record.ids.get("tmdb")) == ("strong", case.expect), (
        record.reasons, record.candidates)


@pytest.mark.parametrize("case", [c for c in CASES if c.expect == "?"], ids=lambda c: c.label)
def test_a_name_no_human_could_decide_stays_below_strong_with_its_candidates(
        case: Case, outcomes: dict[str, Outcome]) -> None:
    record = outcomes[case.label].record
    assert record.confidence != "strong", record.reasons
    assert set(case.among) <= {c["id"] for c in record.candidates}


def test_requests_per_work_stay_within_the_budget(outcomes: dict[str, Outcome]) -> None:
    # A movie: its search, and one details request when strong or one per candidate
    # looked at closer when not; a series adds one request per season present.
    spent: dict[str, list[int]] = {"movie": [], "series": []}
    for case in CASES:
        spent[case.work.kind].append(outcomes[case.label].requests)
    movies, series = spent["movie"], spent["series"]
    assert sum(movies) / len(movies) <= 2.5
    assert max(movies) <= 3 + 3  # three searches at most, three candidates looked at closer
    seasons = sum(len(c.work.seasons) for c in CASES if c.work.kind == "series")
    assert sum(series) / len(series) <= 3.5 + seasons / len(series)
