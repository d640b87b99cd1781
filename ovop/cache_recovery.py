"""Who wants to know when Redis answers again (ovop/cache.py runs them), without importing redis.

Apart from ovop/cache.py so that registering a callback at import time (catalogue/caching.py does,
for every process) does not load redis-py: that is ~40 ms of start-up that a process without Redis,
or a management command such as `import_villages` (issue 17), never needs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger("ovop.cache")

_recovery_callbacks: list[Callable[[], object]] = []


def on_recovery(callback: Callable[[], object]) -> Callable[[], object]:
    """Run ``callback()`` when Redis answers again after an outage during which a write was dropped."""
    if callback not in _recovery_callbacks:
        _recovery_callbacks.append(callback)
    return callback


def run_recovery_callbacks() -> None:
    for callback in list(_recovery_callbacks):
        try:
            callback()
        except Exception:
            logger.warning("A cache recovery callback failed.", exc_info=True)
