"""Logging filters: a refused request (403) is an everyday event, not a fault, so it is logged as one
warning line without a traceback."""

from __future__ import annotations

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """On `django.request`: keep the "Forbidden (…): /path" line, drop the traceback of a 403."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
