"""Django's PostgreSQL backend, whose health check asks the server only when its socket has news.

CONN_HEALTH_CHECKS (ovop/settings.py) makes Django check a kept connection at the start of every
request that uses the database, so that one the server dropped (a restart, a failover, an idle
kill) is replaced before the request fails on it. Django checks with `SELECT 1`: a round trip on
every cold page, about 0.1 ms of the worker's time (and some of the server's) with PostgreSQL on the
same machine; asking the socket takes a few microseconds.

A server that ends a connection says so: it sends its FATAL message and closes the socket, which
becomes readable. A connection that is fine has nothing waiting between requests (every result was
read). So the socket is asked first, without waiting; only when something is waiting does the
check run Django's `SELECT 1`, which reads it and closes the connection if it is dead. A silent loss
(a cable pulled, nothing sent) is not seen by either check before a query waits on it.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and not self._socket_has_news()
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _socket_has_news(self) -> bool:
        """Whether the server sent something since the last result was read (or the socket is
        unusable): then Django's own check decides."""
        try:
            readable, _, broken = select.select([self.connection.fileno()], [], [self.connection.fileno()], 0)
        except (OSError, ValueError, base.Database.Error):  # a closed connection has no descriptor
            return True
        return bool(readable or broken)
