"""What ``claimdesk serve`` runs uvicorn with.

With ``--workers N`` uvicorn opens the listening socket in its supervisor and hands it
to each worker, and the connections a worker accepts from it come without TCP_NODELAY
(asyncio sets it only on sockets it knows to be TCP). A keep-alive client then waits
for the delayed-ACK timer on every response written in two pieces (headers, body):
some 40 ms per request on loopback, whatever the page. This protocol sets it itself.
"""

from __future__ import annotations

import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with Nagle's algorithm off on every connection."""

    def connection_made(self, transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        super().connection_made(transport)
