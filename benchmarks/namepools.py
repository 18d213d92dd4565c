"""Name pools and tree shapes of the synthetic library: which paths, which sizes.

Pure and deterministic: ``plan_paths(n, seed)`` draws everything from one
``random.Random(seed)`` (never ``hash()``, set order, the clock or the
machine), so the first ``n`` paths of a seed are the first ``n`` of every
larger library with that seed. ``libgen`` writes what this draws.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Iterator
from typing import Final

__all__ = ["plan_paths"]


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


# Invented names, combined so that 10^5-10^6 files stay unique.
_ADJ: Final = _words(
    "Silent Crimson Hollow Last Broken Golden Distant Quiet Wild Northern Burning Frozen Secret "
    "Lost Iron Velvet Paper Electric Midnight Hidden Falling Bright Lonely Savage Endless Pale "
    "Scarlet Shattered Wandering Sleeping Copper")
_NOUN: Final = _words(
    "Harbor Garden River Empire Signal Orchard Frontier Lantern Voyage Kingdom Mirror Highway "
    "Island Witness Circus Machine Tide Protocol Canyon Letter Shadow Station Horizon Orchid "
    "Citadel Engine Meadow Summit Archive Comet Lighthouse Carnival")
_INTL: Final = _words(
    "Le Fabuleux Été|Après la Pluie|Ein Sommer in Köln|Niño Perdido|Ångström Bay|Żółta Łódź|"
    "Crème Brûlée Blues|São Jorge|静かな港|青い夜の駅|바다의 노래|Ночной Поезд|Η Σιωπή|"
    "El Último Faro|Smörgåsbord", "|")
_EMOJI: Final = ("🌊", "🎧", "☀️", "🚗", "🌙", "🔥")
_FIRST: Final = _words(
    "Nora Elias Mara Jonas Ilse Tomas Ada Felix Lena Oskar Iris Milo Vera Hugo Clara Anton Freya "
    "Luca Greta Emil Zoë Björn Inès José Aiko Kenji")
_LAST: Final = _words(
    "Vale Hart Lindqvist Moreau Okafor Brandt Castell Novak Reyes Sato Keller Lund Duval Marsh "
    "Quinn Alder Varga Ferreira Holm Winter Nakamura Østergaard Müller Sørensen Dvořák")
_ANIME_A: Final = _words("Sora Yoru Tsuki Hoshi Kaze Umi Yume Hana Mori Kumo Yuki Hikari")
_ANIME_B: Final = _words("Tegami Kanata Uta Shiro Michi Kioku Tobira Sekai Kiseki Yakusoku")
_GROUPS: Final = _words("HDEX NOVA KOGi LUMEN PRiSM OWLS DUSK VEX HALO MiRAGE EMBER TUNDRA ZYNC")
_FANSUBS: Final = ("SubsPlease", "Erai-raws", "Judas", "ASW", "HorribleSubs", "Anime Time")
_RES: Final = ("2160p", "1080p", "1080p", "720p", "480p")
_SOURCE: Final = ("BluRay", "BluRay", "WEB-DL", "WEBRip", "HDTV", "BDRip", "DVDRip", "REMUX")
_CODEC: Final = ("x264", "x264", "x265", "H.264", "HEVC", "XviD", "AV1")
_AUDIO: Final = ("", "", ".DTS", ".DDP5.1", ".AAC2.0", ".TrueHD.Atmos", ".AC3")
_EDITION: Final = ("", "", "", "", ".EXTENDED", ".REPACK", ".PROPER", ".IMAX", ".Directors.Cut")
_SUBS: Final = (".srt", ".en.srt", ".en.forced.srt", ".de.sdh.srt", ".fr.srt", ".es.srt",
                ".eng.srt", ".ass", ".en.ass", ".nl.srt", ".pt-BR.srt")
_EXTRA_DIRS: Final = ("featurettes", "behind the scenes", "deleted scenes", "interviews", "extras")

# Role -> apparent size range in bytes (see _size).
_MB: Final = 1_000_000
_SIZES: Final = {
    "movie": (300 * _MB, 8000 * _MB), "extra": (20 * _MB, 400 * _MB),
    "sample": (20 * _MB, 60 * _MB), "episode": (200 * _MB, 2000 * _MB),
    "flac": (20 * _MB, 60 * _MB), "lossy": (3 * _MB, 12 * _MB),
    "audiobook": (50 * _MB, 1000 * _MB), "chapter": (5 * _MB, 60 * _MB),
    "book": (200_000, 30 * _MB), "sub": (20_000, 120_000), "image": (50_000, 2 * _MB),
    "clutter": (0, 5_000),
    "part": (1 * _MB, 700 * _MB),  # partial downloads are big, unlike the rest of the clutter
}
_MAX_PER_FOLDER: Final = 40
_Draw = Iterator[tuple[str, str]]  # (relative path, size role)


class _Names:
    """Unique titles per namespace, and capped "bucket" folders for loose files."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[tuple[str, str, int]] = set()  # membership only: never iterated
        self.fill: dict[str, tuple[int, int]] = {}
        self.spill = 0

    def unique(self, space: str, make: Callable[[], tuple[str, int]]) -> tuple[str, int]:
        for _ in range(30):
            title, year = make()
            if (space, title, year) not in self.used:
                break
        else:  # pools exhausted for this space: a numbered title is still a plausible name
            self.spill += 1
            title = f"{title} {self.spill}"
        self.used.add((space, title, year))
        return title, year

    def bucket(self, prefix: str, files: int = 1) -> str:
        """A folder named after ``prefix`` that still has room for ``files`` loose files."""
        number, count = self.fill.get(prefix, (1, 0))
        if count + files > _MAX_PER_FOLDER:
            number, count = number + 1, 0
        self.fill[prefix] = (number, count + files)
        return prefix if number == 1 else f"{prefix} ({number})"

    def title(self) -> str:
        r = self.rng
        a, (n1, n2) = r.choice(_ADJ), r.sample(_NOUN, 2)
        return r.choices(
            (r.choice(_INTL), f"The {a} {n1}", f"{a} {n1}", f"{n1} of the {a} {n2}",
             f"The {n1} and the {n2}", f"{a} {n1} {r.choice(('II', 'III', '2', 'Returns'))}"),
            (8, 30, 25, 15, 12, 10))[0]

    def person(self) -> str:
        name = f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}"
        # macOS clients write decomposed (NFD) names onto shares.
        return unicodedata.normalize("NFD", name) if self.rng.random() < 0.2 else name

    def band(self) -> str:
        r = self.rng
        noun = r.choice(_NOUN)
        return r.choice((self.person(), f"The {noun}{'es' if noun.endswith('s') else 's'}",
                         f"{r.choice(_ADJ)} {noun}", f"{noun} {r.choice(_EMOJI)}"))


def _dotted(title: str) -> str:
    return ".".join("".join(c for c in title if c.isalnum() or c in " -").split())


def _release(r: random.Random, title: str, year: int) -> str:
    return (f"{_dotted(title)}.{year}{r.choice(_EDITION)}.{r.choice(_RES)}.{r.choice(_SOURCE)}"
            f"{r.choice(_AUDIO)}.{r.choice(_CODEC)}-{r.choice(_GROUPS)}")


def _ext(r: random.Random) -> str:
    return r.choices((".mkv", ".mp4", ".avi", ".MKV", ".webm", ".m4v"), (70, 14, 8, 3, 3, 2))[0]


def _subs(r: random.Random, stem: str, p: float, most: int = 3) -> _Draw:
    if r.random() < p:
        for suffix in r.sample(_SUBS, r.randint(1, most)):
            yield f"{stem}{suffix}", "sub"


def _movie(r: random.Random, names: _Names) -> _Draw:
    """A Jellyfin-style folder: versions, parts, disc structure, extras, sidecars."""
    title, year = names.unique("movie", lambda: (names.title(), r.randint(1950, 2024)))
    base = f"{title} ({year})"
    folder = f"{r.choice(('Movies', 'Movies', 'Films', 'Kids Movies'))}/{base}"
    shape, ext = r.random(), _ext(r)
    if shape < 0.06:
        for version in r.sample(("2160p", "1080p", "720p", "Director's Cut"), 2):
            yield f"{folder}/{base} - {version}{ext}", "movie"
    elif shape < 0.10:
        part = r.choice((" CD{}", "-part{}", " - pt{}"))
        for i in (1, 2):
            yield f"{folder}/{base}{part.format(i)}.avi", "movie"
    elif shape < 0.13:
        for i in range(r.randint(1, 3)):
            yield f"{folder}/BDMV/STREAM/{i:05d}.m2ts", "movie" if i == 0 else "extra"
        yield f"{folder}/BDMV/index.bdmv", "clutter"
    else:
        yield f"{folder}/{base}{ext}", "movie"
        yield from _subs(r, f"{folder}/{base}", 0.2, 2)
    nfo = r.choice((f"{base}.nfo", "movie.nfo"))
    for name, p, role in ((nfo, 0.15, "clutter"), ("poster.jpg", 0.25, "image"),
                          ("fanart.jpg", 0.1, "image"), ("desktop.ini", 0.01, "clutter")):
        if r.random() < p:
            yield f"{folder}/{name}", role
    if r.random() < 0.12:
        yield (f"{folder}/trailers/{title} Trailer{ext}" if r.random() < 0.5
               else f"{folder}/{base}-trailer{ext}"), "extra"
    if r.random() < 0.05:
        yield f"{folder}/{r.choice(_EXTRA_DIRS)}/{r.choice(_ADJ)} {r.choice(_NOUN)}.mkv", "extra"
    if r.random() < 0.03:
        yield f"{folder}/.@__thumb/s100{base}.jpg", "image"  # QNAP thumbnail cache
    if r.random() < 0.02:
        yield f"{folder}/.AppleDouble/{base}{ext}", "clutter"


def _release_folder(r: random.Random, names: _Names) -> _Draw:
    """A scene release as downloaded: obfuscated names, samples, CDs, .nfo, Subs/."""
    title, year = names.unique("movie", lambda: (names.title(), r.randint(1950, 2024)))
    rel = _release(r, title, year)
    folder = f"{r.choice(('Downloads/complete', 'Downloads/Movies', 'incoming'))}/{rel}"
    if r.random() < 0.06:
        slug = f"{rel.rpartition('-')[2].lower()}-{_dotted(title).lower().replace('.', '')}"
        for i in (1, 2):
            yield f"{folder}/CD{i}/{slug}-cd{i}.avi", "movie"
    else:
        obfuscated = r.random() < 0.15
        stem = f"{r.getrandbits(96):024x}" if obfuscated else rel
        yield f"{folder}/{stem}.mkv", "movie"
        yield from _subs(r, f"{folder}/{rel}", 0.2, 2)
    if r.random() < 0.35:
        yield r.choice((f"{folder}/Sample/sample.mkv", f"{folder}/Sample/{rel.lower()}-sample.mkv",
                        f"{folder}/{rel}-sample.mkv")), "sample"
    if r.random() < 0.05:
        yield f"{folder}/Subs/{rel}.idx", "sub"
        yield f"{folder}/Subs/{rel}.sub", "sub"
    for name, p in ((f"{rel}.nfo", 0.3), (f"Downloaded from {r.choice(_GROUPS)}.txt", 0.15),
                    (f"{r.choice(_GROUPS)} Website.url", 0.1), ("Thumbs.db", 0.05)):
        if r.random() < p:
            yield f"{folder}/{name}", "clutter"


def _loose(r: random.Random, names: _Names) -> _Draw:
    """Release-named files dumped into A-Z folders, with odd-case extensions."""
    title, year = names.unique("movie", lambda: (names.title(), r.randint(1950, 2024)))
    rel = _release(r, title, year)
    first, ext, subs = title[0].upper(), _ext(r), r.random() < 0.15
    folder = names.bucket(r.choice(("Unsorted", f"Movies (unsorted)/{first}"))
                          if first.isascii() else "Movies (unsorted)/#", 1 + subs)
    yield f"{folder}/{rel}{ext}", "movie"
    if subs:
        yield f"{folder}/{rel}{r.choice(_SUBS)}", "sub"


def _show(r: random.Random, names: _Names) -> _Draw:
    """A series with seasons in one of three naming styles, plus Season 00 specials."""
    # Unique by title alone: two styles below put no year in the folder name.
    show, year = names.unique("show", lambda: (names.title(), 0))[0], r.randint(1985, 2024)
    style = r.choices(("scene", "clean", "bare"), (40, 40, 20))[0]
    top = {"scene": f"TV/{show}", "clean": f"Shows/{show} ({year})", "bare": f"TV Shows/{show}"}
    if style == "clean":
        for name, p in (("tvshow.nfo", 0.5), ("poster.jpg", 0.4), ("fanart.jpg", 0.25)):
            if r.random() < p:
                yield f"{top[style]}/{name}", "clutter" if name.endswith(".nfo") else "image"
    specials = style == "clean" and r.random() < 0.15
    for season in range(0 if specials else 1, r.choice((1, 1, 2, 2, 3, 4, 5)) + 1):
        padded = style == "scene" or r.random() < 0.3
        folder = f"{top[style]}/Season {season:02d}" if padded else f"{top[style]}/Season {season}"
        tags = f"{r.choice(_RES)}.{r.choice(_SOURCE)}.{r.choice(_CODEC)}-{r.choice(_GROUPS)}"
        ext = r.choices((".mkv", ".mp4", ".avi"), (80, 15, 5))[0]
        subs = r.sample(_SUBS, r.choice((1, 1, 2))) if r.random() < 0.1 else []
        nfo = style == "clean" and r.random() < 0.05
        count = r.randint(1, 4) if season == 0 else r.choice((6, 8, 10, 10, 12, 13, 13, 22))
        count = min(count, _MAX_PER_FOLDER // (1 + len(subs) + nfo))
        episode = 1
        while episode <= count:
            code = f"S{season:02d}E{episode:02d}"
            if style == "clean" and episode < count and r.random() < 0.04:
                code, episode = f"{code}E{episode + 1:02d}", episode + 1  # multi-episode file
            name = f"{r.choice(('The', 'A', 'No'))} {r.choice(_NOUN)}"
            stem = {"scene": f"{_dotted(show)}.{code}.{tags}", "clean": f"{show} - {code} - {name}",
                    "bare": f"{episode:02d} - {name}"}[style]
            yield f"{folder}/{stem}{ext}", "episode"
            for suffix in subs:
                yield f"{folder}/{stem}{suffix}", "sub"
            if nfo:
                yield f"{folder}/{stem}.nfo", "clutter"
            episode += 1
        if r.random() < 0.02:
            yield f"{folder}/.@__thumb/s100{show}.jpg", "image"


def _anime(r: random.Random, names: _Names) -> _Draw:
    """A fansub batch: [Group] Title - 05 (1080p) [CRC32].mkv, sometimes with .ass files."""
    title, _ = names.unique("anime", lambda: (
        f"{r.choice(_ANIME_A)} no {r.choice(_ANIME_B)}"
        + r.choice(("", "", "", " S2", " 2nd Season", " Zoku")), 0))
    group, res, ass = r.choice(_FANSUBS), r.choice(("1080p", "720p")), r.random() < 0.1
    for episode in range(1, r.choice((12, 12, 13, 24, 26)) // (2 if ass else 1) + 1):
        stem = f"Anime/{title}/[{group}] {title} - {episode:02d} ({res}) [{r.getrandbits(32):08X}]"
        yield f"{stem}.mkv", "episode"
        if ass:
            yield f"{stem}.ass", "sub"


def _album(r: random.Random, names: _Names) -> _Draw:
    """An album in artist/album or flat layout, with discs, cover, cue/log, lyrics."""
    various = r.random() < 0.1
    artist = "Various Artists" if various else names.unique("artist", lambda: (names.band(), 0))[0]
    album, year = names.unique(f"album/{artist}", lambda: (
        f"{names.title()}{' ' + r.choice(_EMOJI) if r.random() < 0.03 else ''}",
        r.randint(1965, 2024)))
    ext = r.choices((".flac", ".mp3", ".m4a", ".opus"), (40, 40, 12, 8))[0]
    folder = (f"Music/{artist}/{album} ({year})" if r.random() < 0.85
              else f"Music/{artist} - {album} ({year}) [{ext[1:].upper()}]")
    lyrics = r.random() < 0.05
    discs = 2 if r.random() < 0.08 else 1
    for disc in range(1, discs + 1):
        where = f"{folder}/{r.choice(('Disc ', 'CD'))}{disc}" if discs > 1 else folder
        for track in range(1, r.randint(6, 16) + 1):
            name = r.choice((names.title(), f"{r.choice(_NOUN)}", f"{r.choice(_ADJ)} Song"))
            by = f"{names.band()} - " if various else ""
            stem = f"{where}/{track:02d} - {by}{name}"
            yield f"{stem}{ext}", "flac" if ext == ".flac" else "lossy"
            if lyrics:
                yield f"{stem}.lrc", "clutter"
    if r.random() < 0.6:
        yield f"{folder}/{r.choice(('cover.jpg', 'folder.jpg', 'Front.jpg'))}", "image"
    if ext == ".flac" and r.random() < 0.3:
        yield f"{folder}/{artist} - {album}.cue", "clutter"
        yield f"{folder}/{artist} - {album}.log", "clutter"
    for name, p, role in ((".DS_Store", 0.05, "clutter"), (".@__thumb/s100cover.jpg", 0.03,
                          "image"), (f".AppleDouble/01 - {album}{ext}", 0.02, "clutter")):
        if r.random() < p:
            yield f"{folder}/{name}", role


def _books(r: random.Random, names: _Names) -> _Draw:
    """E-books (Calibre-like folders), comic series, or an audiobook."""
    author = names.unique("author", lambda: (names.person(), 0))[0]
    shape = r.choices(("ebook", "comic", "audiobook"), (45, 25, 30))[0]
    if shape == "comic":
        series, year = names.unique("comic", lambda: (names.title(), 0))[0], r.randint(1970, 2024)
        ext = r.choice((".cbz", ".cbz", ".cbr"))
        for issue in range(1, r.randint(3, 25) + 1):
            yield f"Comics/{series}/{series} {issue:03d} ({year + issue // 12}){ext}", "book"
        return
    title = names.unique(f"book/{author}", lambda: (names.title(), 0))[0]
    year = r.randint(1900, 2024)
    if shape == "audiobook":
        folder = f"Audiobooks/{author}/{title}"
        if r.random() < 0.4:
            yield f"{folder}/{title}.m4b", "audiobook"
        else:
            for chapter in range(1, r.randint(8, 30) + 1):
                yield f"{folder}/{chapter:02d} - Chapter {chapter}.mp3", "chapter"
    else:
        folder = f"Books/{author}/{title} ({year})"
        for ext in r.sample((".epub", ".epub", ".pdf", ".mobi", ".azw3"), r.randint(1, 2)):
            yield f"{folder}/{title}{ext}", "book"
        if r.random() < 0.3:
            yield f"{folder}/metadata.opf", "clutter"
    if r.random() < 0.5:
        yield f"{folder}/cover.jpg", "image"


def _partial(r: random.Random, names: _Names) -> _Draw:
    """An unfinished download."""
    title, year = names.unique("movie", lambda: (names.title(), r.randint(1950, 2024)))
    yield f"{names.bucket('Downloads/incomplete')}/{_release(r, title, year)}.mkv.part", "part"


# Invocation weights, tuned so that files come out about 27% movies, 28% TV,
# 19% music, 5% books (with audiobooks), 8.5% subtitles and 12% sidecars and
# clutter (nfo, artwork, cue/log, junk, hidden). By class, at n=100 000:
# video 53%, audio 21%, book 3%, subtitle 8.5%, image 5%, nfo 4%, other 4%,
# hidden 0.6%. tests/test_libgen.py holds loose bounds on these.
_KINDS: Final = ((_movie, 30), (_release_folder, 14), (_loose, 16), (_show, 2.1),
                 (_anime, 0.7), (_album, 4.4), (_books, 2.2), (_partial, 1.5))


def _size(r: random.Random, role: str) -> int:
    """Roughly log-uniform in the role's range: a random doubling, then uniform within it.

    Integer arithmetic only: a float ``pow`` may round differently between C
    libraries, and sizes must be the same on every machine.
    """
    low, high = _SIZES[role]
    if low == 0:
        return r.randint(0, high)
    start = low << r.randrange(((high - 1) // low).bit_length())  # every start < high
    return r.randint(start, min(high, 2 * start))


def plan_paths(n: int, seed: int) -> list[tuple[str, int]]:
    """The first ``n`` (relative path, apparent size) pairs of the library of ``seed``."""
    r = random.Random(seed)
    names = _Names(r)
    kinds, weights = zip(*_KINDS, strict=True)
    planned: list[tuple[str, int]] = []
    seen: set[str] = set()
    while len(planned) < n:
        for path, role in r.choices(kinds, weights)[0](r, names):
            size = _size(r, role)  # drawn even for a duplicate, so later draws do not shift
            if path not in seen:
                seen.add(path)
                planned.append((path, size))
                if len(planned) == n:
                    break
    return planned
