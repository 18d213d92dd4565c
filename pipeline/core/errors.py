"""The one exception root of jforg, and the exit code each branch maps to.

    JforgError                  any failure jforg reports as one clear line
    ├── UsageError              bad arguments or input paths        (exit 2)
    │   └── ConfigError         unknown key, wrong type, bad YAML   (exit 2)
    ├── LockedError             another run holds the work folder   (exit 3)
    └── ManifestError           a manifest is missing, corrupt, or of
                                a schema version this jforg can't read (exit 2)

    ProviderError               a metadata provider failed (enrich, artwork)
    ├── ProviderUnusable        bad key (401/403), outage after retries:
    │                           the provider is disabled for the run
    └── LookupFailed            this one request failed (malformed JSON…)

Per-item failures (a file that vanished, a folder that can't be read) are
not exceptions: they are records with an ``error`` field that flow through
every stage, and the stage's result reports them (exit 1).
"""

from __future__ import annotations

__all__ = [
    "EXIT_FAILED_ITEMS",
    "EXIT_INTERRUPTED",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_USAGE",
    "ConfigError",
    "ItemFailure",
    "JforgError",
    "LockedError",
    "LookupFailed",
    "ManifestError",
    "ProviderError",
    "ProviderUnusable",
    "UsageError",
]

EXIT_OK = 0
EXIT_FAILED_ITEMS = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_INTERRUPTED = 130


class JforgError(Exception):
    """A failure that ends the command with one line and an exit code."""

    exit_code = EXIT_USAGE


class UsageError(JforgError):
    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    exit_code = EXIT_USAGE


class LockedError(JforgError):
    exit_code = EXIT_LOCKED


class ManifestError(JforgError):
    exit_code = EXIT_USAGE


class ItemFailure(Exception):
    """One file could not be probed; the stage turns it into an error record.

    Raised by the per-file wrappers (mediainfo, tags, books); never escapes a
    stage. ``code`` is stable and machine-readable, ``message`` human.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class ProviderError(Exception):
    """A provider's failure; never escapes enrich (the work or provider records it)."""


class ProviderUnusable(ProviderError):
    """The provider can't serve this run (bad key, outage): disable it, say so once."""


class LookupFailed(ProviderError):
    """One request failed; the work is recorded with the error, the run goes on."""
