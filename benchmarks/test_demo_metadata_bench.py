"""What organize adds to the demo library online: NFO files and artwork, files and bytes.

The demo library (``python -m benchmarks.libgen --demo``: 300 files, real
media) is run through ``jforg run --dest OUT --organize`` as a user runs it,
online, against a fake TMDB that knows every film and series its names ask
for (a generated library holds no real titles, so the small test catalogue
would find none) and serves posters and backdrops as real JPEGs of the sizes
jforg asks TMDB for (w780 posters, 780x1170; backdrops at "original",
1920x1080), made by ffmpeg with some grain so that they weigh about what
photographs weigh (~120 KB and ~300 KB). The figures are the files and
bytes a user's first organize adds, and what each image costs in requests.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from benchmarks.conftest import RecordFigure, jforg_argv, run_command
from benchmarks.libgen import _DEMO_SEED, make_library
from pipeline.core.manifest import read_manifest
from pipeline.core.paths import from_wire
from pipeline.core.records import PLAN_SCHEMA, PlanEntry
from tests import fake_coverart, fake_musicbrainz, fake_openlibrary, fake_tmdb
from tests.fake_server import FakeServer, first

Answer = tuple[int, dict[str, str], bytes]


def _jpeg(path: Path, size: str) -> bytes:
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc2=size={size}:rate=1", "-vf", "noise=alls=10:allf=u",
                    "-frames:v", "1", "-q:v", "3", str(path)], check=True)
    return path.read_bytes()


class Universe:
    """The fake TMDB, with every title a search misses added to its catalogue first."""

    def __init__(self, poster: bytes, backdrop: bytes) -> None:
        self.poster, self.backdrop = poster, backdrop
        self.next_id = 900_000

    def api(self, path: str, query: Mapping[str, list[str]],
            headers: Mapping[str, str]) -> Answer:
        status, head, body = fake_tmdb.handle(path, query, headers)
        plain = path.split("?", 1)[0].rstrip("/")
        if status == 200 and plain.endswith(("/search/movie", "/search/tv")) \
                and not json.loads(body)["results"] and (first(query, "query") or "").strip():
            self._add(plain.endswith("/search/tv"), query)
            return fake_tmdb.handle(path, query, headers)
        return status, head, body

    def _add(self, series: bool, query: Mapping[str, list[str]]) -> None:
        title = first(query, "query") or ""
        year = (first(query, "year") or first(query, "primary_release_year")
                or first(query, "first_air_date_year") or "2004")
        self.next_id += 1
        ident = self.next_id
        if series:
            seasons = {n: (f"Season {n}", f"{year}-01-0{n}", [f"Episode {e}" for e in range(1, 31)])
                       for n in range(1, 7)}
            fake_tmdb.TV[ident] = fake_tmdb._show(
                ident, title, title, f"{year}-01-01", ident, f"tt{ident}", 1.0, "US", "en",
                seasons, [])
        else:
            fake_tmdb.MOVIES[ident] = fake_tmdb._movie(
                ident, title, title, f"{year}-06-01", f"tt{ident}", 1.0, [18],
                f"/m{ident}poster.jpg", f"/m{ident}backdrop.jpg", [], runtime=104,
                overview=f"{title}: a generated film of the demo library.")

    def images(self, path: str, query: Mapping[str, list[str]],
               headers: Mapping[str, str]) -> Answer:
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[1].endswith(".jpg"):
            return 404, {"Content-Type": "text/html"}, b"<html>Not found</html>"
        body = self.backdrop if "backdrop" in parts[1] else self.poster
        return 200, {"Content-Type": "image/jpeg"}, body


@contextlib.contextmanager
def _catalogue_kept() -> Iterator[None]:
    movies, shows = dict(fake_tmdb.MOVIES), dict(fake_tmdb.TV)
    try:
        yield
    finally:
        for table, kept in ((fake_tmdb.MOVIES, movies), (fake_tmdb.TV, shows)):
            table.clear()
            table.update(kept)


def _config(path: Path, server: FakeServer, cache: Path) -> Path:
    path.write_text(
        "cache:\n"
        f"  path: {cache}\n"
        "providers:\n"
        "  tmdb:\n"
        f"    api_key: {fake_tmdb.API_KEY}\n"
        f"    base_url: {server.url('/tmdb/3')}\n"
        f"    image_base_url: {server.url('/images')}\n"
        "    rate: 1000\n"
        "  musicbrainz:\n"
        f"    base_url: {server.url('/mb/ws/2')}\n"
        "    rate: 1000\n"
        "  openlibrary:\n"
        f"    base_url: {server.url('/ol')}\n"
        f"    covers_url: {server.url('/olc')}\n"
        "    rate: 1000\n"
        "  coverart:\n"
        f"    base_url: {server.url('/caa')}\n"
        "    rate: 1000\n", encoding="utf-8")
    return path


def _size(paths: list[Path]) -> int:
    return sum(p.stat().st_size for p in paths)


@pytest.mark.timeout(900)
def test_nfo_files_and_artwork_organize_adds_to_the_demo(tmp_path: Path,
                                                         record_figure: RecordFigure) -> None:
    library, out, work = tmp_path / "library", tmp_path / "out", tmp_path / "work"
    make_library(library, 300, _DEMO_SEED, media=300, tags="path")  # as `libgen --demo`
    universe = Universe(_jpeg(tmp_path / "poster.jpg", "780x1170"),
                        _jpeg(tmp_path / "backdrop.jpg", "1920x1080"))
    with _catalogue_kept(), FakeServer() as server:
        server.add("/tmdb", universe.api)
        server.add("/images", universe.images)
        for prefix, module in (("/mb", fake_musicbrainz), ("/ol", fake_openlibrary),
                               ("/caa", fake_coverart)):
            server.add(prefix, module.handle)
        config = _config(tmp_path / "online.yaml", server, tmp_path / "cache")
        env = {**os.environ, "JFORG_CONFIG": str(config), "JFORG_WORK": str(work)}
        env.pop("TMDB_API_KEY", None)
        seconds, _ = run_command(jforg_argv("run", str(library), "--dest", str(out),
                                            "--organize"), env=env)
        image_requests = len(server.recorded("^/images"))
        api_requests = len(server.recorded("^/tmdb"))
    _, entries = read_manifest(work / "plan.jsonl", PLAN_SCHEMA, PlanEntry)
    nfos: list[Path] = []
    images: list[Path] = []
    moved = 0
    for entry in entries:
        if entry.action == "move":
            moved += 1
        if entry.action != "create" or entry.destination is None:
            continue
        target = Path(from_wire(entry.destination))
        if target.exists():
            (images if entry.url else nfos).append(target)
    media_bytes = sum(p.stat().st_size for p in out.rglob("*")
                      if p.is_file() and p not in set(nfos) | set(images))
    per_kind: dict[str, int] = {}
    for image in images:
        kind = "season poster" if image.stem.startswith("season") else image.stem
        per_kind[kind] = per_kind.get(kind, 0) + 1
    shown = ", ".join(f"{name} {n}" for name, n in sorted(per_kind.items()))
    record_figure("demo organize online: NFO files", len(nfos), "files",
                  detail=f"{_size(nfos):,} bytes, beside {moved} media files moved "
                         f"({media_bytes:,} bytes); whole command {seconds:.1f} s, "
                         f"{api_requests} TMDB API requests")
    record_figure("demo organize online: artwork", len(images), "files",
                  detail=f"{_size(images):,} bytes ({shown}); {image_requests} image requests")
    assert nfos and images
    assert image_requests >= len(images)
