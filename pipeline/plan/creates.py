"""The files the plan adds beside organized media: NFO files and artwork.

Contract:

- NFO files follow Jellyfin's lookup order: a movie alone in its folder gets
  ``movie.nfo`` (parts of one film share it); each version of a movie gets
  ``<file>.nfo``, because one ``movie.nfo`` would describe every version; a
  disc rip ``<folder>/<folder>.nfo``; an episode ``<file>.nfo``, its series
  ``tvshow.nfo`` and its season folder ``season.nfo``; an album ``album.nfo``
  and its artist folder ``artist.nfo``. Each is planned once, right after the
  first media file it describes (``describes``), so organize has that file's
  records at hand when it writes it.
- Artwork comes only from an enrich match the plan applied (strong, or what
  ``--accept`` allows): ``poster`` and ``fanart`` for a movie or a series,
  ``seasonNN-poster`` in the series folder, ``cover`` for an album or a book,
  each with the URL organize downloads it from. Artwork entries are planned
  after every other entry: an image that came with the media (a moved
  ``poster.jpg``) takes the name first, and the download is then left out.
- Nothing here touches the disk or the network.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

from pipeline.core.paths import from_wire, to_wire
from pipeline.core.records import EnrichRecord, PlanEntry
from pipeline.core.settings import Settings
from pipeline.plan.decide import Decision
from pipeline.plan.read_music_books import disc_of_folder

__all__ = ["Creates"]

_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")


def _image_name(stem: str, url: str) -> str:
    ext = os.path.splitext(urlsplit(url).path)[1].lower()
    return stem + (".jpg" if ext not in _IMAGE_EXTENSIONS or ext == ".jpeg" else ext)


class Creates:
    """NFO entries as media are planned; artwork entries at the end (see the contract)."""

    def __init__(self, settings: Settings) -> None:
        self.nfo = settings.organize.nfo is not False
        self.artwork = settings.organize.artwork
        self._seen: set[str] = set()  # NFO and artwork paths already planned
        self._art: list[PlanEntry] = []

    def after(self, decision: Decision, media: PlanEntry, match: EnrichRecord | None,
              nfo_override: str | None = None) -> list[PlanEntry]:
        """The NFO entries ``media`` (a planned move) is the first file of."""
        if media.action != "move" or media.destination is None or media.source is None:
            return []
        dest = from_wire(media.destination)
        folder = os.path.dirname(dest)
        nfos: list[str] = []
        art: list[tuple[str, str, str]] = []  # (folder, name stem, artwork key)
        if decision.kind == "movie":
            movie_folder = os.path.dirname(nfo_override) if nfo_override else folder
            nfos.append(nfo_override or self._movie_nfo(dest, folder))
            art += [(movie_folder, "poster", "poster"), (movie_folder, "fanart", "backdrop")]
        elif decision.kind == "episode":
            series = os.path.dirname(folder)
            nfos += [os.path.splitext(dest)[0] + ".nfo", os.path.join(series, "tvshow.nfo"),
                     os.path.join(folder, "season.nfo")]
            art += [(series, "poster", "poster"), (series, "fanart", "backdrop")]
            if decision.season is not None and 0 <= decision.season <= 99:
                art.append((series, f"season{decision.season:02d}-poster",
                            f"season{decision.season:02d}"))
        elif decision.kind == "music":
            album = os.path.dirname(folder) if disc_of_folder(os.path.basename(folder)) \
                is not None else folder
            nfos += [os.path.join(album, "album.nfo"),
                     os.path.join(os.path.dirname(album), "artist.nfo")]
            art.append((album, "cover", "front"))
        elif decision.kind in ("book", "audiobook"):
            art.append((folder, "cover", "cover"))
        out = []
        if self.nfo:
            for path in nfos:
                if path not in self._seen:
                    self._seen.add(path)
                    out.append(PlanEntry("create", "nfo", destination=to_wire(path),
                                         describes=media.source))
        if self.artwork and match is not None:
            for where, stem, key in art:
                url = match.artwork.get(key)
                if not url:
                    continue
                path = os.path.join(where, _image_name(stem, url))
                if path not in self._seen:
                    self._seen.add(path)
                    self._art.append(PlanEntry("create", "image", destination=to_wire(path),
                                               describes=media.source, url=url))
        return out

    @staticmethod
    def _movie_nfo(dest: str, folder: str) -> str:
        stem = os.path.splitext(os.path.basename(dest))[0]
        name = os.path.basename(folder)
        if stem.startswith(name + " - "):  # a version: movie.nfo would describe them all
            return os.path.splitext(dest)[0] + ".nfo"
        return os.path.join(folder, "movie.nfo")

    def artwork_entries(self, taken: dict[str, str]) -> Iterator[PlanEntry]:
        """Artwork to download, but not where a planned file (a moved image) goes."""
        for entry in self._art:
            assert entry.destination is not None
            if from_wire(entry.destination) not in taken:
                yield entry
