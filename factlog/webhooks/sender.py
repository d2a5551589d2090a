"""One HTTP attempt: POST the body to the checked address, follow no redirect, keep a short excerpt."""
from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass

from factlog.webhooks.addresses import Destination

EXCERPT_BYTES = 300
USER_AGENT = "factlog-webhooks/1"


@dataclass(frozen=True)
class Attempt:
    """What came of one attempt: a 2xx answer is success; anything else, or no answer, is a failure."""

    ok: bool
    status: int | None
    error: str | None
    excerpt: str | None


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address checked beforehand, whatever the host name resolves to by now."""

    def __init__(self, destination: Destination, address: str, timeout: float):
        super().__init__(destination.host, destination.port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with TLS verified against the host name (SNI and certificate), not the address."""

    def __init__(self, destination: Destination, address: str, timeout: float):
        super().__init__(destination.host, destination.port, timeout=timeout,
                         context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(destination: Destination, body: bytes, headers: Mapping[str, str], *, timeout: float) -> Attempt:
    """POST ``body`` to the destination's first checked address."""
    kind = _PinnedHTTPSConnection if destination.scheme == "https" else _PinnedHTTPConnection
    connection = kind(destination, destination.addresses[0], timeout)
    try:
        connection.request("POST", destination.target, body=body, headers={
            "Content-Type": "application/json", "User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", errors="replace") or None
    except (OSError, http.client.HTTPException) as error:
        return Attempt(False, None, f"{type(error).__name__}: {error}"[:1000], None)
    finally:
        connection.close()
    if 200 <= response.status < 300:
        return Attempt(True, response.status, None, excerpt)
    if 300 <= response.status < 400:
        location = response.getheader("Location", "")[:200]
        return Attempt(False, response.status, f"HTTP {response.status}: redirects are not followed "
                                               f"(Location: {location})", excerpt)
    return Attempt(False, response.status, f"HTTP {response.status} {response.reason}"[:1000], excerpt)
