"""Safe path components: what any name jforg builds must be, whatever it came from.

Contract:

- Nothing here touches the disk or reads settings: the replace map comes in
  as ``replace_chars`` (default: the settings' default map).
- Every component goes through :func:`safe_component`: NFC, no reserved
  ``<>:"/\\|?*`` (mapped by ``replace_chars``, else removed), no control
  characters, whitespace collapsed, no leading dot (hidden files are ignored
  by Jellyfin and Unix tools), no trailing dot or space, never empty, "." or
  "..", not a Windows device name, at most 255 bytes of UTF-8 cut on a
  character boundary, the suffix (extension and flags) always kept. So no
  title, from a file name or an API, can make a path leave its root;
  :func:`join_under` checks that again.
- Video file stems stay within ``VIDEO_STEM_BYTES`` so every sidecar
  (``.en.default.forced.sdh.srt``, ``-thumb.jpg``) still fits in 255 bytes and
  keeps the video's stem as its prefix, which is how Jellyfin pairs them.
- Defusing titles (movie, series and episode titles; not music, books or kept
  file names): Jellyfin's episode expressions allow ``[][ ._-]`` between
  ``S01`` and ``E02`` and read ``1x02``, dates ``2020.01.02`` and ranges
  ``-E03``. So in a title ``S01E02`` becomes ``S01`` U+00B7 ``E02`` (middle
  dot), the ``x`` of ``1x02`` becomes U+00D7 (multiplication sign), ``-`` or
  ``_`` between digit groups (``1-23-45``) and any ``._ -`` in a run of three or
  more digit groups (``2020 01 02``) become U+2013 (en dash), which no
  Jellyfin expression treats as a separator; ``1.5`` and ``Apollo 13`` stay.
  Provider-id tags inside titles (``[tmdbid-1]``) lose their ``-`` so only ids
  we add are read. An episode title starting like ``E3``, ``x3`` or ``2e3``
  gets a space before the digits so ``S01E02 - E3`` is not read as a range.

The per-kind layouts built from these pieces are in ``layout``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

from pipeline.core.settings import NamingSettings

__all__ = [
    "DEFAULT_REPLACE_CHARS",
    "MAX_BYTES",
    "TITLE_BYTES",
    "VIDEO_STEM_BYTES",
    "checked",
    "clean",
    "defuse",
    "extension",
    "is_safe_component",
    "join_under",
    "keep_name",
    "kept_stem",
    "piece",
    "safe_component",
    "year_suffix",
]

DEFAULT_REPLACE_CHARS: Mapping[str, str] = MappingProxyType(NamingSettings().replace_chars)
RC = DEFAULT_REPLACE_CHARS

MAX_BYTES = 255
VIDEO_STEM_BYTES = 191  # 255 - 64 bytes kept free for sidecar suffixes
TITLE_BYTES = 100  # a movie or series title, before " (Year) [tmdbid-N]"
_EXT_BYTES = 16

_RESERVED = frozenset('<>:"/\\|?*')
_DEVICE_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)]
)

_SXE = re.compile(r"(?i)(s)(\d+)[\[\] ._\-]*(e)(?=\d)")
_NXN = re.compile(r"(?i)(?<=\d)x(?=\d)")
_DIGIT_SEP = re.compile(r"(?<=\d)[ ._\-]+(?=\d)")
_DIGIT_DASH = re.compile(r"(?<=\d)[_\-]+(?=\d)")
_DIGIT_RUN = re.compile(r"\d+(?:[ ._\-]+\d+)+")
_ID_TAG = re.compile(r"(?i)\b(tmdb|imdb|tvdb|anidb)(id)?\s*[-=]")
_LEADING_EP = re.compile(r"(?i)^(s?\d{0,4}[ex]+)(?=\d)")


def clean(text: str, replace_chars: Mapping[str, str]) -> str:
    """Map, strip reserved/control characters and collapse whitespace (no cutting)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        mapped = replace_chars.get(char, char)
        for part in mapped:
            category = unicodedata.category(part)
            if part in _RESERVED or category in ("Cc", "Cs", "Co", "Cn"):
                continue
            out.append(" " if category in ("Zl", "Zp") or part.isspace() else part)
    return " ".join("".join(out).split())


def _tidy(text: str) -> str:
    text = text.strip(" ").lstrip(".").strip(" ")
    return text.rstrip(". ")


def _cut(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[: max(max_bytes, 0)].decode("utf-8", errors="ignore")


def _dash_digits(match: re.Match[str]) -> str:
    run = match.group(0)
    groups = len(re.findall(r"\d+", run))
    return (_DIGIT_SEP if groups >= 3 else _DIGIT_DASH).sub("\u2013", run)


def defuse(text: str, *, leading_episode: bool = False) -> str:
    """Rewrite what Jellyfin would read as an episode number, range, date or provider id."""
    text = _ID_TAG.sub(lambda m: m.group(1) + (m.group(2) or "") + " ", text)
    text = _SXE.sub(lambda m: f"{m.group(1)}{m.group(2)}\u00b7{m.group(3)}", text)
    text = _NXN.sub("\u00d7", text)
    text = _DIGIT_RUN.sub(_dash_digits, text)
    if leading_episode:
        text = _LEADING_EP.sub(r"\1 ", text)
    return text


def piece(text: str, rc: Mapping[str, str], max_bytes: int, *, defused: bool = False,
          leading_episode: bool = False) -> str:
    """A cleaned, optionally defused, tidied text of at most ``max_bytes`` (never empty)."""
    body = clean(text, rc)
    if defused:
        body = defuse(body, leading_episode=leading_episode)
    body = _tidy(_cut(_tidy(body), max_bytes))
    if not body:
        body = "_"
    if body.split(".")[0].strip().upper() in _DEVICE_NAMES:
        body = _tidy(_cut(body, max_bytes - 1)) + "_"
    return body


def safe_component(
    text: str,
    replace_chars: Mapping[str, str] = RC,
    *,
    suffix: str = "",
    max_bytes: int = MAX_BYTES,
    defused: bool = False,
) -> str:
    """One path component: safe on every NAS filesystem, ``text`` cut so text+suffix fits.

    ``suffix`` (extension, language and flags) is cleaned but never cut;
    ``defused=True`` also applies :func:`defuse` (for titles Jellyfin parses).
    """
    suffix = clean(suffix, replace_chars).replace(" ", "").rstrip(".")
    budget = max_bytes - len(suffix.encode("utf-8"))
    if budget < 1:
        raise ValueError(f"suffix {suffix!r} leaves no room within {max_bytes} bytes")
    return piece(text, replace_chars, budget, defused=defused) + suffix


def is_safe_component(name: str) -> bool:
    """True if ``name`` is a component :func:`safe_component` could have produced."""
    return (
        0 < len(name.encode("utf-8", errors="replace")) <= MAX_BYTES
        and name not in (".", "..")
        and not name.startswith((".", " "))
        and not name.endswith((".", " "))
        and not any(c in _RESERVED or unicodedata.category(c) in ("Cc", "Cs") for c in name)
    )


def extension(ext: str, replace_chars: Mapping[str, str]) -> str:
    """``.ext`` made safe and at most 16 bytes; "" when nothing is left."""
    cleaned = clean(ext, replace_chars).replace(" ", "").strip(".")
    cleaned = _cut(cleaned, _EXT_BYTES).rstrip(".")
    return "." + cleaned if cleaned else ""


def checked(name: str) -> str:
    """``name`` itself, after asserting it is a safe component."""
    if not is_safe_component(name):  # by construction; a bug if it fires
        raise ValueError(f"unsafe component built: {name!r}")
    return name


def keep_name(name: str, rc: Mapping[str, str]) -> str:
    """A kept file name made safe; its extension survives any cut."""
    cleaned = clean(name, rc)
    stem, dot, ext = cleaned.rpartition(".")
    if dot and stem.strip(" .") and ext and len(ext.encode()) <= _EXT_BYTES and " " not in ext:
        return safe_component(stem, rc, suffix="." + ext)
    return safe_component(cleaned, rc)


def kept_stem(file_name: str, rc: Mapping[str, str], suffix: str) -> str:
    """The stem of a name built here, kept verbatim (so sidecars pair), else made safe."""
    stem, dot, _ = file_name.rpartition(".")
    stem = stem if dot and stem else file_name
    if is_safe_component(stem) and len((stem + suffix).encode()) <= MAX_BYTES:
        return checked(stem + suffix)
    return safe_component(stem, rc, suffix=suffix)


def join_under(root: str, rel: str) -> str:
    """``root/rel`` after checking ``rel`` is relative and has no empty, "." or ".." part."""
    if not rel or rel.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", rel):
        raise ValueError(f"not a relative path: {rel!r}")
    for part in rel.split("/"):
        if part in ("", ".", "..") or "\\" in part or "\x00" in part:
            raise ValueError(f"unsafe path component {part!r} in {rel!r}")
    base = root.rstrip("/")
    return f"{base}/{rel}"


def year_suffix(year: int | None) -> str:
    """`` (1999)``, or "" for no year (or one no path should carry)."""
    return f" ({year})" if year is not None and 0 < year < 10000 else ""
