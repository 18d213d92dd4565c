"""Secrets out of logs: ``api_key=…`` and ``Bearer …`` never reach a log line.

urllib3 and requests-cache log full URLs (with the key in the query) at debug
level; a filter on their loggers rewrites every record before it is emitted.
"""

from __future__ import annotations

import logging
import re

__all__ = ["install_log_redaction", "redact"]

_SECRET_QUERY = re.compile(r"(?i)\b(api_key|apikey|access_token)=[^&\s'\"]*")
_BEARER = re.compile(r"(?i)\b(bearer)\s+[^\s'\",]+")
_REDACTED_LOGGERS = (
    "urllib3.connectionpool",
    "requests_cache.session",
    "requests_cache.policy.actions",
    "requests_cache.policy.expiration",
    "requests_cache.backends.base",
    "requests_cache.backends.sqlite",
    "requests_cache.models.response",
)


def redact(text: str) -> str:
    """``api_key=…`` and ``Bearer …`` values replaced by ``***``."""
    return _BEARER.sub(r"\1 ***", _SECRET_QUERY.sub(r"\1=***", text))


class _RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record: let logging report it
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def install_log_redaction() -> None:
    for name in _REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactSecrets) for f in logger.filters):
            logger.addFilter(_RedactSecrets())
