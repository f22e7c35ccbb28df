"""What ``claimdesk serve`` runs uvicorn with.

With ``--workers N`` uvicorn opens the listening socket in its supervisor and hands it
to each worker, and the connections a worker accepts from it come without TCP_NODELAY
(asyncio sets it only on sockets it knows to be TCP). A keep-alive client then waits
for the delayed-ACK timer on every response written in two pieces (headers, body):
some 40 ms per request on loopback, whatever the page. These protocols set it themselves.

The HTTP parser is httptools (C) when installed, else h11 (pure Python: about a
millisecond of a request's CPU on these machines); the event loop uvloop when installed.
"""

from __future__ import annotations

import importlib.util
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


def _no_delay(transport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with Nagle's algorithm off on every connection."""

    def connection_made(self, transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)


if importlib.util.find_spec("httptools") is not None:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class NoDelayHttpToolsProtocol(HttpToolsProtocol):
        """uvicorn's httptools protocol, with Nagle's algorithm off on every connection."""

        def connection_made(self, transport) -> None:  # type: ignore[override]
            _no_delay(transport)
            super().connection_made(transport)

    HTTP = "claimdesk.web.serving:NoDelayHttpToolsProtocol"
else:
    HTTP = "claimdesk.web.serving:NoDelayH11Protocol"

LOOP = "uvloop" if importlib.util.find_spec("uvloop") is not None else "asyncio"
