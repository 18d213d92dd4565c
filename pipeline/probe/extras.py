"""What a video is within its work: the feature itself, a sample, or an extra.

Owns one pure decision, ``classify_role``: from a video's path (and, when
known, its runtime, the parse of its name and its size) to one of the
``records.ROLES`` and a short human reason. No I/O; callers probe first.

Decision table (the first row that fires wins; ``None`` reason means "main")::

    #  evidence                                              role            source
    1  the folder holding the file (never the library root)  folder's role   Jellyfin
       is an extras folder: trailers, featurettes, behind
       the scenes, deleted scenes, interviews, scenes,
       shorts, extras, other, clips, backdrops, bonus,
       sample(s)  (case-insensitive)
    2  the name, less trailing digits, is "trailer"/"sample" trailer/sample  Jellyfin
    3  the name, less trailing digits, ends with a Jellyfin  suffix's role   Jellyfin
       suffix: -trailer .trailer _trailer " trailer",
       -sample .sample _sample " sample", -scene, -clip,
       -interview, -behindthescenes, -deleted(scene),
       -featurette, -short, -extra, -other
    4  scene-style prefix "sample-" / "sample_"              sample          scene rules
    5  a "sample" token outside the title                    sample          scene rules
    6  "Trailer"/"Teaser" tokens outside the title, and the  trailer         -
       file is not an episode (SxxEyy)
    7  runtime below the minimum (table below)               sample          Sonarr/Radarr
    8  a "sample" token inside the title, no runtime known,  sample          Sonarr size
       and the file is under 70 MB (140 MB at 1080p+)                        fallback
    -  otherwise                                             main

"Outside the title": with a parse, the words of ``parse.title`` and
``parse.episode_title`` are removed from the name first, so ``Trailer Park
Boys``, ``Behind the Candelabra`` or an episode called "The One That Goes
Behind the Scenes" are never evidence. Without one, the title is the run of
words before the first year, SxxEyy or release tag (plus, for episodes, the
words between SxxEyy and the next tag). With a parse, a suffix rule (row 3)
does not fire when the suffix word is the last word of the title or episode
title ("Show - S01E05 - The Trailer.mkv" stays an episode).

Decided: ``The Sample (2019).mkv`` and ``Sample.People.2000.mkv`` are "main":
"Sample" is a title word there. Only a Sample/ folder, a runtime below the
minimum, or (runtime unknown) a size below Sonarr's sample limit makes them
samples. Size alone never makes a sample: a tiny file without "sample" in its
name stays "main".

Runtime minimum, from Sonarr's and Radarr's ``DetectSample``
(``GetMinimumAllowedRuntime``; Sonarr src/NzbDrone.Core/MediaFiles/
EpisodeImport/DetectSample.cs, Radarr .../MovieImport/DetectSample.cs)::

    expected runtime (minutes)   a video shorter than this is a sample
    <= 3   (anime shorts)         15 s
    <= 10  (webisodes)            90 s
    <= 30  (half-hour shows)     300 s
    longer (hour shows, movies)  600 s
    unknown (jforg)               90 s

jforg's probe does not know the expected runtime (that comes from enrich), so
it passes none and the conservative 90 s bar applies to everything: the
lowest bar Sonarr/Radarr use for any work longer than 3 minutes, and well
above scene samples (30-60 s). (Sonarr's own fallback for an unknown series
runtime is 15 s, which misses most samples.) Like Sonarr/Radarr, no runtime
rule for specials (season 0), ``.strm`` and ``.flv`` files, and disc images
and streams (``.iso``, ``.img``, ``.m2ts``) whose runtime is unreliable; and,
unlike them, a runtime of 0 is no evidence (a probe that read no duration).
"""

from __future__ import annotations

import math
import re

from pipeline.core.records import Parse, Role

__all__ = ["classify_role", "minimum_runtime_s"]

# Jellyfin's extras folder names (Emby.Naming NamingOptions.VideoExtraRules,
# DirectoryName rules) plus the scene "Sample" and the common "Bonus".
# Role has no theme-video or clip type: those become generic extras.
_FOLDER_ROLES: dict[str, Role] = {
    "trailers": "trailer",
    "featurettes": "featurette",
    "behind the scenes": "behind the scenes",
    "deleted scenes": "deleted scene",
    "interviews": "interview",
    "scenes": "scene",
    "shorts": "short",
    "extras": "extra",
    "other": "extra",
    "clips": "extra",
    "backdrops": "extra",
    "bonus": "extra",
    "sample": "sample",
    "samples": "sample",
}

# Jellyfin's file-name suffixes (Suffix rules), matched case-insensitively
# after trailing digits are trimmed ("-trailer2"), as Jellyfin does.
_SUFFIXES: tuple[tuple[str, Role], ...] = (
    ("-trailer", "trailer"), (".trailer", "trailer"), ("_trailer", "trailer"),
    (" trailer", "trailer"),
    ("-sample", "sample"), (".sample", "sample"), ("_sample", "sample"), (" sample", "sample"),
    ("-behindthescenes", "behind the scenes"),
    ("-deletedscene", "deleted scene"), ("-deleted", "deleted scene"),
    ("-featurette", "featurette"), ("-interview", "interview"), ("-scene", "scene"),
    ("-clip", "extra"), ("-short", "short"), ("-extra", "extra"), ("-other", "extra"),
)

# Containers whose runtime Sonarr/Radarr do not trust for sample detection.
_NO_RUNTIME_RULE = frozenset({".strm", ".flv", ".iso", ".img", ".m2ts"})

_MB = 1_000_000
# Sonarr's DetectSample.SampleSizeLimit (70 MB), doubled for 1080p sources.
_SAMPLE_SIZE = 70 * _MB
_SAMPLE_SIZE_HD = 140 * _MB
_UNKNOWN_RUNTIME_MIN_S = 90

_WORD_SPLIT = re.compile(r"[\W_]+")
_EPISODE = re.compile(r"s\d{1,4}e\d{1,4}(?:e\d+)*|\d{1,2}x\d{2,3}")
_SPECIAL = re.compile(r"s0+e\d+(?:e\d+)*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_RESOLUTION = re.compile(r"\d{3,4}[pi]")
# Release tags that end a title (lower case, as split by _WORD_SPLIT).
_TAGS = frozenset({
    "4k", "uhd", "bluray", "bdrip", "brrip", "bdremux", "remux", "webrip", "webdl", "web",
    "hdtv", "dvdrip", "dvd", "hdrip", "amzn", "nf", "dsnp", "atvp", "hmax", "x264", "x265",
    "h264", "h265", "hevc", "avc", "xvid", "divx", "aac", "ac3", "dts", "dd5", "ddp5", "truehd",
    "atmos", "proper", "repack", "remastered", "extended", "unrated", "internal", "limited",
    "hdr", "10bit", "imax",
})
_HD = frozenset({"1080p", "1080i", "1440p", "2160p", "4320p", "4k", "uhd"})


def minimum_runtime_s(expected_runtime_min: float | None) -> int:
    """Sonarr/Radarr's minimum runtime (s) for a work of this expected runtime.

    ``None`` (unknown) gives jforg's conservative 90 s; see the module table.
    """
    if expected_runtime_min is None or expected_runtime_min <= 0:
        return _UNKNOWN_RUNTIME_MIN_S
    if expected_runtime_min <= 3:
        return 15
    if expected_runtime_min <= 10:
        return 90
    if expected_runtime_min <= 30:
        return 300
    return 600


def classify_role(path: str, root: str | None, duration_s: float | None = None,
                  parse: Parse | None = None, size: int | None = None, *,
                  expected_runtime_min: float | None = None) -> tuple[Role, str | None]:
    """The role of the video at ``path`` and why; ("main", None) without evidence.

    ``path`` and ``root`` are os-form paths; the folder holding the file is
    evidence only when it lies below ``root`` (``root`` None: always).
    ``expected_runtime_min`` is the work's runtime from a provider, when
    known; it picks the Sonarr/Radarr threshold.
    """
    folder_path, _, name = path.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = "." + ext.lower() if ext else ""

    role = _by_folder(folder_path, root)
    if role is not None:
        return role
    words = _words(stem)
    titles = _title_phrases(parse)
    role = _by_name(stem, words, titles)
    if role is not None:
        return role
    episode = (parse is not None and parse.type == "episode") or any(
        _EPISODE.fullmatch(w) for w in words)
    outside, inside = _split_title(words, titles)
    if "sample" in outside:
        return "sample", "name has a 'sample' tag"
    if not episode:
        reason = _trailer_words(outside)
        if reason is not None:
            return "trailer", reason
    if duration_s is not None and duration_s > 0:
        special = (parse.season == 0 if parse is not None and parse.season is not None
                   else any(_SPECIAL.fullmatch(w) for w in words))
        if ext not in _NO_RUNTIME_RULE and not special:
            limit = minimum_runtime_s(expected_runtime_min)
            if duration_s < limit:
                shown = math.floor(duration_s * 10) / 10  # never rounds up to the limit
                return "sample", f"runtime {shown:g} s < {limit} s"
    elif "sample" in inside and size is not None:
        hd = bool(_HD.intersection(words)) or (
            parse is not None and (parse.screen_size or "").lower() in _HD)
        limit = _SAMPLE_SIZE_HD if hd else _SAMPLE_SIZE
        if size < limit:
            return "sample", f"'sample' in name and only {size / _MB:.3g} MB"
    return "main", None


def _by_folder(folder_path: str, root: str | None) -> tuple[Role, str] | None:
    # Jellyfin looks only at the folder that holds the file
    # (ExtraRuleResolver, DirectoryName rules); so do we, which also keeps a
    # "Shorts" or "Other" collection folder high above a movie out of it.
    if root is not None:
        base = root.rstrip("/")
        if folder_path == base or not (folder_path + "/").startswith(base + "/"):
            return None  # the library root, or outside it: no evidence
    folder = folder_path.rpartition("/")[2]
    role = _FOLDER_ROLES.get(folder.casefold())
    if role is None:
        return None
    return role, f"in {folder}/ folder"


def _by_name(stem: str, words: list[str], titles: list[list[str]]) -> tuple[Role, str] | None:
    trimmed = stem.rstrip("0123456789").casefold()
    if trimmed in ("trailer", "sample"):
        return ("trailer" if trimmed == "trailer" else "sample"), f"named {trimmed}"
    for suffix, role in _SUFFIXES:
        if trimmed.endswith(suffix):
            word = suffix[1:]
            # The title's own last word ("The Trailer") is not a suffix tag.
            if any(t and t[-1] == word and words[-len(t):] == t for t in titles):
                continue
            shown = f"' {word}'" if suffix[0] == " " else suffix
            return role, f"name ends with {shown}"
    if re.match(r"sample[-_]", trimmed) and not any(t and t[0] == "sample" for t in titles):
        return "sample", "name starts with sample-"
    return None


def _words(text: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(text.casefold()) if w]


def _title_phrases(parse: Parse | None) -> list[list[str]]:
    if parse is None:
        return []
    return [_words(t) for t in (parse.title, parse.episode_title) if t]


def _split_title(words: list[str], titles: list[list[str]]) -> tuple[set[str], set[str]]:
    """The name's words outside and inside the title (or titles)."""
    inside = [False] * len(words)
    if titles:
        for title in titles:
            start = _find(words, title)
            if start is not None:
                inside[start:start + len(title)] = [True] * len(title)
            else:  # title from a folder or respelled by the parser: drop its words
                for i, w in enumerate(words):
                    inside[i] = inside[i] or w in title
    else:
        in_title = True  # the leading title, then an episode title after SxxEyy
        for i, w in enumerate(words):
            if _EPISODE.fullmatch(w):
                in_title = True
                continue
            if w in _TAGS or _RESOLUTION.fullmatch(w) or (i > 0 and _YEAR.fullmatch(w)):
                in_title = False
            inside[i] = in_title
    outside = {w for w, flag in zip(words, inside, strict=True) if not flag}
    return outside, {w for w, flag in zip(words, inside, strict=True) if flag}


def _find(words: list[str], phrase: list[str]) -> int | None:
    for i in range(len(words) - len(phrase) + 1):
        if words[i:i + len(phrase)] == phrase:
            return i
    return None


def _trailer_words(outside: set[str]) -> str | None:
    if "trailer" in outside:
        for lead in ("official", "teaser", "theatrical"):
            if lead in outside:
                return f"name has '{lead.title()} Trailer'"
        return "name has 'Trailer'"
    if "teaser" in outside:
        return "name has 'Teaser'"
    return None
