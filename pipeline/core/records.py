"""Typed, frozen, versioned records: one struct per manifest line.

Later stages' records *contain* earlier ones instead of inheriting from
them. Paths inside records are always in wire form (see ``paths``).
A record that could not be produced carries ``error`` instead of data and
still flows through every stage, so the report can count it.

Bump a ``*_SCHEMA`` constant whenever the meaning or shape of its record
changes: readers refuse manifests of another version by name.
"""

from __future__ import annotations

from typing import Literal

import msgspec

__all__ = [
    "ENRICH_SCHEMA",
    "ENRICH_SUMMARY_SCHEMA",
    "FILE_CLASSES",
    "PLAN_SCHEMA",
    "PROBE_SCHEMA",
    "ROLES",
    "SCAN_SCHEMA",
    "AudioTrack",
    "BookMeta",
    "EnrichRecord",
    "EnrichSummary",
    "FileClass",
    "Header",
    "ItemError",
    "Parse",
    "PlanEntry",
    "PlanKind",
    "ProbeRecord",
    "Role",
    "ScanRecord",
    "Sidecar",
    "SubtitleTrack",
    "Tags",
    "Technical",
    "Work",
]

SCAN_SCHEMA = "jforg.scan/1"
PROBE_SCHEMA = "jforg.probe/1"
PLAN_SCHEMA = "jforg.plan/1"
ENRICH_SCHEMA = "jforg.enrich/1"
ENRICH_SUMMARY_SCHEMA = "jforg.enrich-summary/1"

FileClass = Literal["video", "audio", "book", "subtitle", "image", "nfo", "other", "folder"]
FILE_CLASSES: tuple[str, ...] = ("video", "audio", "book", "subtitle", "image", "nfo", "other")


class Header(msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True):
    """First line of every manifest; ``dest`` only in plan.jsonl (where it organizes to)."""

    schema: str
    created: str
    tool: str
    inputs: dict[str, str] = {}
    dest: str | None = None  # wire form


class ItemError(msgspec.Struct, frozen=True):
    """Why one item failed: a stable machine code and a human message."""

    code: str
    message: str


class ScanRecord(msgspec.Struct, frozen=True, omit_defaults=True):
    """One file found by the scan (or one folder/file that could not be read).

    ``path`` is absolute; ``root`` is the library root it was found under.
    For error records only ``path``, ``root``, ``cls`` and ``error`` are set.
    """

    path: str
    root: str
    cls: FileClass = msgspec.field(name="class")
    size: int | None = None
    mtime_ns: int | None = None
    inode: int | None = None
    device: int | None = None
    link: bool = False
    error: ItemError | None = None


# --- probe -----------------------------------------------------------------

# What a file is within its work: the feature itself, or one of Jellyfin's
# extra types (the folder names Jellyfin reads: trailers/, featurettes/ ...).
Role = Literal[
    "main", "sample", "trailer", "featurette", "behind the scenes", "deleted scene",
    "interview", "scene", "short", "extra",
]
ROLES: tuple[str, ...] = (
    "main", "sample", "trailer", "featurette", "behind the scenes", "deleted scene",
    "interview", "scene", "short", "extra",
)


class Parse(msgspec.Struct, frozen=True, omit_defaults=True):
    """What a video's name (and its folders) say it is; from guessit, normalised.

    Only plain values: ints, lists of ints, ISO dates, language codes
    (ISO 639-1 where one exists, else 639-3), never babelfish objects.
    ``source_of_title`` tells where the identity came from when it was not
    the file name: "folder" (an obfuscated name inside a release folder) or
    "series folder" (``Show/Season 2/03 - Title.mkv``).

    No field of a manifest struct has a str (or float) default: msgspec's
    omit_defaults compares those by identity, so a decoded "main" would be
    written where a fresh one is omitted and re-runs would stop being
    byte-identical. Defaults are None, False or empty containers only.
    """

    type: Literal["movie", "episode"] | None = None
    title: str | None = None
    year: int | None = None
    season: int | None = None
    episodes: list[int] = []
    episode_title: str | None = None
    alternative_titles: list[str] = []
    absolute_episodes: list[int] = []
    part: int | None = None
    edition: str | None = None
    screen_size: str | None = None
    source: str | None = None
    release_group: str | None = None
    other: list[str] = []
    date: str | None = None
    languages: list[str] = []
    subtitle_languages: list[str] = []
    source_of_title: Literal["folder", "series folder"] | None = None


class AudioTrack(msgspec.Struct, frozen=True, omit_defaults=True):
    codec: str | None = None
    channels: int | None = None
    language: str | None = None
    title: str | None = None
    default: bool = False
    forced: bool = False


class SubtitleTrack(msgspec.Struct, frozen=True, omit_defaults=True):
    codec: str | None = None
    language: str | None = None
    title: str | None = None
    default: bool = False
    forced: bool = False


class Technical(msgspec.Struct, frozen=True, omit_defaults=True):
    """Container and stream facts, from MediaInfo (video) or mutagen (audio)."""

    container: str | None = None
    duration_s: float | None = None
    bitrate: int | None = None
    video_codec: str | None = None
    width: int | None = None
    height: int | None = None
    resolution: str | None = None  # "480p" "576p" "720p" "1080p" "1440p" "2160p" "4320p"
    frame_rate: float | None = None
    bit_depth: int | None = None
    hdr: str | None = None  # "HDR10" "HDR10+" "Dolby Vision" "HLG"
    audio: list[AudioTrack] = []
    subtitles: list[SubtitleTrack] = []


class Tags(msgspec.Struct, frozen=True, omit_defaults=True):
    """Audio file tags, from mutagen, normalised across ID3, Vorbis and MP4 atoms."""

    artist: str | None = None
    album_artist: str | None = None
    album: str | None = None
    title: str | None = None
    track: int | None = None
    track_total: int | None = None
    disc: int | None = None
    disc_total: int | None = None
    date: str | None = None
    year: int | None = None
    genre: list[str] = []
    compilation: bool = False
    # musicbrainz ids by role: recording, track, release, release_group,
    # artist, album_artist (values as written by Picard)
    musicbrainz: dict[str, str] = {}


class BookMeta(msgspec.Struct, frozen=True, omit_defaults=True):
    """EPUB OPF, PDF info or CBZ ComicInfo.xml metadata."""

    format: Literal["epub", "pdf", "cbz", "other"]
    title: str | None = None
    creators: list[str] = []
    date: str | None = None
    year: int | None = None
    language: str | None = None
    publisher: str | None = None
    isbn: str | None = None  # ISBN-13 when one is known (ISBN-10 converted)
    identifiers: dict[str, str] = {}
    series: str | None = None
    number: str | None = None


class Sidecar(msgspec.Struct, frozen=True, omit_defaults=True):
    """A subtitle, NFO, image or lyrics file and what it belongs to."""

    language: str | None = None
    flags: list[str] = []  # any of "default", "forced", "sdh" in this order
    belongs_to: str | None = None  # wire path of the video or track, None if orphan
    image_type: str | None = None  # poster, fanart, banner, thumb, logo, cover ...


class ProbeRecord(msgspec.Struct, frozen=True, omit_defaults=True):
    """One scanned file and what probing it found. Contains its scan record."""

    scan: ScanRecord
    parse: Parse | None = None
    technical: Technical | None = None
    tags: Tags | None = None
    book: BookMeta | None = None
    sidecar: Sidecar | None = None
    role: Role | None = None  # set for videos only: "main" or the kind of extra
    role_reason: str | None = None
    fingerprint: str | None = None
    error: ItemError | None = None

    @property
    def path(self) -> str:
        return self.scan.path


# --- plan --------------------------------------------------------------------

PlanKind = Literal[
    "movie", "episode", "music", "audiobook", "book", "subtitle", "extra", "sample", "nfo",
    "image", "lyrics", "other",
]


class PlanEntry(msgspec.Struct, frozen=True, omit_defaults=True):
    """One line of plan.jsonl.

    Every scanned file has exactly one entry with action "move" or "skip"
    (``source`` set); files the plan adds (NFO, artwork) have action
    "create", no source, and ``describes`` = the media file they are for.
    ``title``/``year``/``season``/``episodes`` state the identity the
    destination was built from (movies and episodes), so the plan can be
    checked without parsing its own paths.
    """

    action: Literal["move", "skip", "create"]
    kind: PlanKind
    source: str | None = None
    destination: str | None = None
    reason: str | None = None
    describes: str | None = None
    url: str | None = None  # create artwork: where organize downloads it from
    ids: dict[str, str] = {}  # a move named from an enrich match: that match's provider ids
    title: str | None = None
    year: int | None = None
    season: int | None = None
    episodes: list[int] = []


# --- enrich ------------------------------------------------------------------

WorkKind = Literal["movie", "series", "album", "book"]


class Work(msgspec.Struct, frozen=True, omit_defaults=True):
    """A thing providers know: a movie, a series (with the seasons present),
    an album or a book — and every file that belongs to it."""

    kind: WorkKind
    key: str  # folded identity, e.g. "movie|heat|1995"
    title: str
    year: int | None = None
    artist: str | None = None  # album artist, or a book's author
    isbn: str | None = None
    seasons: dict[str, list[int]] = {}  # season number (as text) -> episodes present
    files: list[str] = []  # wire paths, sorted


class EnrichRecord(msgspec.Struct, frozen=True, omit_defaults=True):
    """One work and what the providers said about it.

    ``confidence`` is "none" when no provider was asked (offline, no key,
    provider unavailable); ``skipped`` says which and why.
    """

    work: Work
    confidence: Literal["strong", "medium", "low", "none"]
    ids: dict[str, str] = {}
    title: str | None = None
    original_title: str | None = None
    year: int | None = None
    score: float | None = None
    reasons: list[str] = []
    candidates: list[dict[str, str]] = []
    episode_titles: dict[str, str] = {}  # "S01E02" -> title
    season_episodes: dict[str, list[int]] = {}  # season -> every episode the provider lists
    artwork: dict[str, str] = {}  # poster, backdrop, season01, front, cover … -> URL
    skipped: list[str] = []
    errors: list[ItemError] = []
    # Details of a strong match (what NFO files carry); absent until one is made.
    overview: str | None = None
    tagline: str | None = None
    genres: list[str] = []
    runtime: int | None = None  # minutes
    certification: str | None = None  # for providers.tmdb.country, e.g. "R"
    premiered: str | None = None  # YYYY-MM-DD


class EnrichSummary(msgspec.Struct, frozen=True):
    """What one enrich run did, beside the enrich.jsonl it wrote (``enrich.summary.json``).

    ``providers`` says per provider: "asked", "answered from the cache", "had
    nothing to look up", "offline", "not selected", "no API key (…)" or
    "disabled: <why>"; ``requests`` counts the requests that went to the
    network (cache hits are free). ``manifest`` is the sha256 of
    the enrich.jsonl it describes, so a summary of another run is never shown.
    """

    schema: str
    manifest: str
    providers: dict[str, str]
    requests: dict[str, int]
