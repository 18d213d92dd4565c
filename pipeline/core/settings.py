"""Settings: one frozen object, loaded once and passed explicitly.

Layers, each overriding the one before:

    built-in defaults < configs/default.yaml < --config FILE (or JFORG_CONFIG)
    < environment (TMDB_API_KEY, TMDB_BEARER_TOKEN) < command-line flags

Every layer is checked on its own, so an unknown key or a wrong type is
reported with the file (or variable, or flag) it came from. Secrets never
appear in ``repr`` so a debug log of the settings can't leak them.

configs/default.yaml as shipped holds exactly the built-in defaults (a test
checks it), so when its bytes are the shipped ones (``SHIPPED_DEFAULTS_SHA256``)
it is not parsed: importing and running the YAML parser was a tenth of the
start-up of ``jforg scan``. A changed defaults file, ``--config`` and
``JFORG_CONFIG`` are read with YAML as always.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import msgspec

from pipeline.core.digest import sha256_hex
from pipeline.core.errors import ConfigError

__all__ = [
    "DEFAULT_CONFIG",
    "SHIPPED_DEFAULTS_SHA256",
    "CacheSettings",
    "EnrichSettings",
    "NamingSettings",
    "OrganizeSettings",
    "ProbeSettings",
    "ProvidersSettings",
    "RunSettings",
    "ScanSettings",
    "Settings",
    "load_settings",
]

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "configs" / "default.yaml"
# sha256 of the configs/default.yaml this version ships; tests/test_settings.py
# fails (and prints the new value) when the file changes without it.
SHIPPED_DEFAULTS_SHA256 = "8a557ff26cc21bb3bb2ce6f97d4b876004965be703e73d8607dafe43ce01be84"

_STRICT = {"frozen": True, "forbid_unknown_fields": True}


class Extensions(msgspec.Struct, **_STRICT):
    video: list[str] = msgspec.field(
        default_factory=lambda: [
            "mkv", "mp4", "m4v", "avi", "mov", "wmv", "mpg", "mpeg", "m2ts", "ts",
            "webm", "flv", "ogv", "vob", "iso", "3gp", "divx", "rmvb",
        ]
    )  # fmt: skip
    audio: list[str] = msgspec.field(
        default_factory=lambda: [
            "mp3", "flac", "m4a", "m4b", "aac", "ogg", "oga", "opus", "wav", "wma",
            "alac", "aiff", "aif", "ape", "wv", "dsf", "mka",
        ]
    )  # fmt: skip
    book: list[str] = msgspec.field(
        default_factory=lambda: ["epub", "pdf", "mobi", "azw", "azw3", "cbz", "cbr", "cb7", "djvu"]
    )
    subtitle: list[str] = msgspec.field(
        default_factory=lambda: ["srt", "ass", "ssa", "sub", "idx", "vtt", "sup", "smi", "lrc"]
    )
    image: list[str] = msgspec.field(
        default_factory=lambda: ["jpg", "jpeg", "png", "webp", "gif", "bmp", "tbn"]
    )


class ScanSettings(msgspec.Struct, **_STRICT):
    jobs: int = 0
    min_size: int = 0
    exclude: list[str] = msgspec.field(default_factory=list)
    follow_symlinks: bool = False
    extensions: Extensions = msgspec.field(default_factory=Extensions)


class ProbeSettings(msgspec.Struct, **_STRICT):
    jobs: int = 0
    backend: Literal["loky", "dask"] = "loky"
    scheduler: str | None = None
    batch_size: int = 64
    timeout_s: float = 20.0
    max_read_mib: int = 64
    mediainfo_parse_speed: float = 0.0


class Confidence(msgspec.Struct, **_STRICT):
    accept: Literal["strong", "medium", "low"] = "strong"
    strong: float = 0.85
    medium: float = 0.65
    low: float = 0.4


class EnrichSettings(msgspec.Struct, **_STRICT):
    offline: bool = False
    threads: int = 8
    confidence: Confidence = msgspec.field(default_factory=Confidence)
    overrides: str | None = None


class CacheSettings(msgspec.Struct, **_STRICT):
    path: str | None = None
    ttl_days: int = 30


def _hide_secrets(struct: msgspec.Struct, secrets: tuple[str, ...]) -> str:
    fields = []
    for name in struct.__struct_fields__:
        value = getattr(struct, name)
        shown = "'***'" if name in secrets and value else repr(value)
        fields.append(f"{name}={shown}")
    return f"{type(struct).__name__}({', '.join(fields)})"


class TmdbSettings(msgspec.Struct, **_STRICT):
    api_key: str | None = None
    bearer_token: str | None = None
    base_url: str = "https://api.themoviedb.org/3"
    image_base_url: str = "https://image.tmdb.org/t/p"
    poster_size: str = "w780"
    language: str = "en-US"
    country: str = "US"
    rate: float = 4.0

    def __repr__(self) -> str:
        return _hide_secrets(self, ("api_key", "bearer_token"))


class MusicBrainzSettings(msgspec.Struct, **_STRICT):
    base_url: str = "https://musicbrainz.org/ws/2"
    contact: str = "https://github.com/jforg/jforg"
    rate: float = 1.0


class OpenLibrarySettings(msgspec.Struct, **_STRICT):
    base_url: str = "https://openlibrary.org"
    covers_url: str = "https://covers.openlibrary.org"
    rate: float = 1.0


class CoverArtSettings(msgspec.Struct, **_STRICT):
    base_url: str = "https://coverartarchive.org"
    rate: float = 1.0


class ProvidersSettings(msgspec.Struct, **_STRICT):
    tmdb: TmdbSettings = msgspec.field(default_factory=TmdbSettings)
    musicbrainz: MusicBrainzSettings = msgspec.field(default_factory=MusicBrainzSettings)
    openlibrary: OpenLibrarySettings = msgspec.field(default_factory=OpenLibrarySettings)
    coverart: CoverArtSettings = msgspec.field(default_factory=CoverArtSettings)


class Roots(msgspec.Struct, **_STRICT):
    movies: str = "Movies"
    shows: str = "Shows"
    music: str = "Music"
    books: str = "Books"
    audiobooks: str = "Audiobooks"


class NamingSettings(msgspec.Struct, **_STRICT):
    roots: Roots = msgspec.field(default_factory=Roots)
    provider_ids_in_folders: bool = True
    replace_chars: dict[str, str] = msgspec.field(
        default_factory=lambda: {
            ":": " -", "/": "-", "\\": "-", "?": "", "*": "", '"': "'",
            "<": "", ">": "", "|": "-",
        }
    )  # fmt: skip


class OrganizeSettings(msgspec.Struct, **_STRICT):
    mode: Literal["move", "copy", "hardlink", "hardlink-or-copy", "symlink"] = "move"
    conflict: Literal["skip", "rename", "fail"] = "skip"
    nfo: bool | Literal["auto"] = "auto"
    artwork: bool = True
    artwork_max_bytes: int = 20 * 1024 * 1024


class RunSettings(msgspec.Struct, **_STRICT):
    log_days: int = 30  # days of WORK/logs/jforg-YYYY-MM-DD.log kept; 0 writes none


class Settings(msgspec.Struct, **_STRICT):
    scan: ScanSettings = msgspec.field(default_factory=ScanSettings)
    probe: ProbeSettings = msgspec.field(default_factory=ProbeSettings)
    enrich: EnrichSettings = msgspec.field(default_factory=EnrichSettings)
    cache: CacheSettings = msgspec.field(default_factory=CacheSettings)
    providers: ProvidersSettings = msgspec.field(default_factory=ProvidersSettings)
    naming: NamingSettings = msgspec.field(default_factory=NamingSettings)
    organize: OrganizeSettings = msgspec.field(default_factory=OrganizeSettings)
    run: RunSettings = msgspec.field(default_factory=RunSettings)


_ENV_KEYS = {
    "TMDB_API_KEY": ("providers", "tmdb", "api_key"),
    "TMDB_BEARER_TOKEN": ("providers", "tmdb", "bearer_token"),
}


def load_settings(
    config: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
    defaults_file: Path | None = DEFAULT_CONFIG,
) -> Settings:
    """Build the settings from every layer; raise ConfigError naming the culprit.

    ``config`` falls back to ``$JFORG_CONFIG``. ``flags`` maps dotted keys
    (``"scan.min_size"``) to values; ``None`` values mean "flag not given".
    """
    env = os.environ if environ is None else environ
    layers: list[tuple[str, dict[str, Any]]] = []
    if defaults_file is not None and defaults_file.exists() \
            and not _is_shipped_defaults(defaults_file):
        layers.append((str(defaults_file), _read_yaml(defaults_file)))
    if config is None and env.get("JFORG_CONFIG"):
        config = Path(env["JFORG_CONFIG"])
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"{config}: config file not found")
        layers.append((str(config), _read_yaml(config)))
    env_layer: dict[str, Any] = {}
    for variable, dotted in _ENV_KEYS.items():
        if env.get(variable):
            _set(env_layer, dotted, env[variable])
    if env_layer:
        layers.append(("environment", env_layer))
    flag_layer: dict[str, Any] = {}
    for dotted_key, value in (flags or {}).items():
        if value is not None:
            _set(flag_layer, tuple(dotted_key.split(".")), value)
    if flag_layer:
        layers.append(("command line", flag_layer))

    settings = Settings()
    if not layers:
        return settings
    merged: dict[str, Any] = msgspec.to_builtins(settings)
    for source, layer in layers:
        _check_keys(layer, merged, source, ())
        merged = _merge(merged, layer)
        settings = _convert(merged, source)
    return settings


def _is_shipped_defaults(path: Path) -> bool:
    """True when ``path`` holds the shipped defaults byte for byte."""

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    return sha256_hex(data) == SHIPPED_DEFAULTS_SHA256


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml  # only when a file is actually parsed: keeps start-up lean

    try:
        with open(path, encoding="utf-8") as handle:
            # The C loader parses ten times faster than the pure-Python one.
            data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}".replace("\n", " ")) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config file must be a mapping of sections")
    return data


def _set(target: dict[str, Any], dotted: tuple[str, ...], value: Any) -> None:
    for part in dotted[:-1]:
        target = target.setdefault(part, {})
    target[dotted[-1]] = value


def _check_keys(layer: Mapping[str, Any], known: Mapping[str, Any], source: str,
                prefix: tuple[str, ...]) -> None:
    for key, value in layer.items():
        dotted = ".".join((*prefix, str(key)))
        if key not in known:
            choices = ", ".join(sorted(known))
            raise ConfigError(f"{source}: unknown key '{dotted}' (known here: {choices})")
        if isinstance(known[key], dict) and isinstance(value, dict) and _is_section(known[key]):
            _check_keys(value, known[key], source, (*prefix, str(key)))


def _is_section(value: dict[str, Any]) -> bool:
    # replace_chars is a free-form mapping; sections are the struct-shaped dicts.
    return bool(value) and all(isinstance(k, str) and k.isidentifier() for k in value)


def _merge(base: dict[str, Any], layer: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in layer.items():
        if value is None and isinstance(base.get(key), dict):
            continue  # an empty "section:" in YAML means "no overrides here"
        if isinstance(value, dict) and isinstance(base.get(key), dict) and _is_section(base[key]):
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


def _convert(merged: dict[str, Any], source: str) -> Settings:
    try:
        return msgspec.convert(merged, Settings)
    except msgspec.ValidationError as exc:
        message = str(exc)
        where = ""
        if " - at `$." in message:
            message, where = message.rsplit(" - at `$.", 1)
            where = where.rstrip("`").replace("[", ".").replace("]", "")
        message = message.replace("`", "")
        message = message[:1].lower() + message[1:]
        raise ConfigError(f"{source}: {where or 'settings'}: {message}") from None
