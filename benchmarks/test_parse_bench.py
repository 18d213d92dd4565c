"""Parse benchmark: ``parse_video`` against a bare guessit loop over the same 2 000 names.

Run with `make bench`. Same process, same run, both warmed first; rounds
are interleaved (a bare loop in each round's untimed setup, then the timed
wrapper loop) and each starts with parse's folder cache empty. The figure
is the wrapper's cost relative to bare guessit on the file names (what the
wrapper itself calls), target <= 1.1x; the cost relative to bare guessit
on the whole relative path is shown beside it. Nothing fails on time.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

import guessit
import pytest

import pipeline.probe.parse
from benchmarks.conftest import RecordFigure
from pipeline.probe.parse import parse_video, warm

N_NAMES = 2000
ROUNDS = 3
ROOT = "/lib"
OPTIONS = {"no_user_config": True}

_ADJ = ("Silent", "Crimson", "Hollow", "Last", "Broken", "Golden", "Distant", "Quiet", "Wild",
        "Northern", "Burning", "Frozen", "Secret", "Lost", "Iron", "Velvet", "Paper", "Electric",
        "Midnight", "Hidden", "Falling", "Bright", "Lonely")
_NOUN = ("Harbor", "Garden", "River", "Empire", "Signal", "Orchard", "Frontier", "Lantern",
         "Voyage", "Kingdom", "Mirror", "Highway", "Island", "Witness", "Circus", "Machine", "Tide",
         "Protocol", "Canyon", "Letter", "Shadow")
_INTL = ("Le Fabuleux Été", "Après la Pluie", "Ein Sommer in Köln", "Niño Perdido",
         "Ночной Поезд", "静かな港", "El Último Faro")
_GROUPS = ("SPARKS", "FGT", "NTb", "EVO", "FLUX", "RARBG", "KOGi", "NOVA", "LOL", "DIMENSION",
           "CtrlHD")
_FANSUBS = ("SubsPlease", "Erai-raws", "Judas", "ASW", "HorribleSubs")
_RES = ("2160p", "1080p", "1080p", "720p", "480p")
_SOURCE = ("BluRay", "WEB-DL", "WEBRip", "HDTV", "BDRip", "DVDRip", "AMZN.WEB-DL")
_CODEC = ("x264", "x265", "H.264", "HEVC", "XviD")
_AUDIO = ("", "", ".DTS", ".DDP5.1", ".AAC2.0", ".TrueHD.Atmos")
_EDITION = ("", "", "", "", ".EXTENDED", ".PROPER", ".REPACK", ".Directors.Cut")


def _title(r: random.Random) -> str:
    a, n1, n2 = r.choice(_ADJ), r.choice(_NOUN), r.choice(_NOUN)
    return r.choices((r.choice(_INTL), f"The {a} {n1}", f"{a} {n1}", f"{n1} of the {a} {n2}",
                      f"{a} {n1} {r.choice(('II', '2', 'Returns'))}"), (8, 30, 30, 20, 12))[0]


def _dotted(title: str) -> str:
    return ".".join(title.split())


def _tags(r: random.Random) -> str:
    return (f"{r.choice(_RES)}.{r.choice(_SOURCE)}{r.choice(_AUDIO)}.{r.choice(_CODEC)}"
            f"-{r.choice(_GROUPS)}")


def _name(r: random.Random) -> str:
    """One relative path, in one of the naming habits found on real shares."""
    title, year = _title(r), r.randint(1950, 2024)
    release = f"{_dotted(title)}.{year}{r.choice(_EDITION)}.{_tags(r)}"
    season, episode = r.randint(1, 6), r.randint(1, 22)
    ep_title = f"{r.choice(('The', 'A', 'No'))} {r.choice(_NOUN)}"
    style = r.choices(range(10), (24, 20, 8, 3, 18, 12, 5, 5, 3, 2))[0]
    return [
        lambda: f"{release}.mkv",                                          # loose scene movie
        lambda: f"Movies/{title} ({year})/{title} ({year}).mkv",           # Jellyfin clean
        lambda: f"Downloads/complete/{release}/{release}.mkv",             # release folder
        lambda: f"Downloads/complete/{release}/{r.getrandbits(96):024x}.mkv",  # obfuscated
        lambda: (f"TV/{title}/Season {season:02d}/"                        # scene episode
                 f"{_dotted(title)}.S{season:02d}E{episode:02d}.{_tags(r)}.mkv"),
        lambda: (f"Shows/{title} ({year})/Season {season}/"                # clean episode
                 f"{title} - S{season:02d}E{episode:02d} - {ep_title}.mkv"),
        lambda: f"TV Shows/{title}/Season {season}/{episode:02d} - {ep_title}.mkv",  # bare
        lambda: (f"Anime/{title}/[{r.choice(_FANSUBS)}] {title} - {episode:02d} "
                 f"({r.choice(_RES)}) [{r.getrandbits(32):08X}].mkv"),
        lambda: f"Unsorted/{title} {year} {r.choice(_RES)}.avi",           # hand-named loose
        lambda: f"{title} ({year}) CD{r.randint(1, 2)}.avi",               # multi-part
    ][style]()


def make_names(n: int = N_NAMES, seed: int = 0) -> list[str]:
    """``n`` distinct relative paths, sorted as a manifest batch is."""
    r = random.Random(seed)
    names: set[str] = set()
    while len(names) < n:
        names.add(_name(r))
    return sorted(names)


def _bare_loop(strings: list[str]) -> float:
    start = time.perf_counter()
    for text in strings:
        guessit.guessit(text, OPTIONS)
    return time.perf_counter() - start


def _guessit_calls_per_name(names: list[str], monkeypatch: pytest.MonkeyPatch) -> float:
    calls = 0
    real = pipeline.probe.parse._guess

    def counting(text: str) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        return real(text)

    pipeline.probe.parse._folder_reading.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(pipeline.probe.parse, "_guess", counting)
        for name in names:
            parse_video(f"{ROOT}/{name}", ROOT)
    return calls / len(names)


@pytest.mark.timeout(1200)  # about two minutes on the 2-core development machine
def test_parse_2000_names_against_bare_guessit(benchmark, monkeypatch: pytest.MonkeyPatch,
                                               record_figure: RecordFigure) -> None:
    names = make_names()
    files = [name.rpartition("/")[2] for name in names]
    paths = [f"{ROOT}/{name}" for name in names]
    warm()
    guessit.guessit("Warm.Up.2000.1080p.BluRay.x264-GRP.mkv", OPTIONS)
    calls = _guessit_calls_per_name(names, monkeypatch)
    relpaths_s = _bare_loop(names)  # context only: once is enough
    bare_files: list[float] = []

    def setup() -> None:
        bare_files.append(_bare_loop(files))
        # Each round starts cold, as a worker's first batch does.
        pipeline.probe.parse._folder_reading.cache_clear()

    def run() -> None:
        for path in paths:
            parse_video(path, ROOT)

    benchmark.pedantic(run, setup=setup, rounds=ROUNDS, iterations=1)
    wrapper_s = benchmark.stats.stats.median
    files_s = statistics.median(bare_files)
    ratio = wrapper_s / files_s
    benchmark.extra_info.update(names=len(names), bare_guessit_file_names_s=files_s,
                                bare_guessit_relpaths_s=relpaths_s, ratio=ratio,
                                ratio_vs_relpaths=wrapper_s / relpaths_s,
                                guessit_calls_per_name=calls)
    record_figure("parse-vs-guessit", ratio,
                  detail=f"parse_video {wrapper_s:.2f} s, bare guessit on file names "
                         f"{files_s:.2f} s; bare guessit on relative paths {relpaths_s:.2f} s "
                         f"({wrapper_s / relpaths_s:.2f}x); {calls:.3f} guessit calls per name")
