"""Where webhooks may go: http(s) URLs whose host resolves only to public addresses (SSRF protection).

Checked when a subscription is registered and again before every attempt, and the attempt then connects to
the very address that was checked, so a name that changes its answer in between (DNS rebinding) gains
nothing. Loopback and private networks are allowed only when the settings say so; link-local (cloud
metadata services), multicast, reserved and unspecified addresses never are.
"""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from factlog.webhooks.settings import WebhookSettings

SCHEMES = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2000
Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedDestination(ValueError):
    """A URL webhooks may not be sent to; the message says why."""


@dataclass(frozen=True)
class Destination:
    url: str
    scheme: str
    host: str
    port: int
    target: str  # path and query, as sent in the request line
    addresses: tuple[str, ...]  # every address the host resolved to, each allowed


def parse_url(url: str) -> SplitResult:
    """The URL split, or RefusedDestination if it is not an absolute http(s) URL without credentials."""
    if len(url) > MAX_URL_LENGTH:
        raise RefusedDestination(f"the URL is longer than {MAX_URL_LENGTH} characters")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise RefusedDestination("the URL contains spaces or control characters")
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise RefusedDestination("the URL must start with http:// or https://")
    if parts.username is not None or parts.password is not None:
        raise RefusedDestination("the URL must not carry a user name or password")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise RefusedDestination("the URL's port is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise RefusedDestination("the URL names no host")
    return parts


def refusal(address: IPAddress, settings: WebhookSettings) -> str | None:
    """Why webhooks may not go to this address, or None when they may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_unspecified:
        return f"{address} is an unspecified address"
    if address.is_loopback:
        return None if settings.allow_loopback else f"{address} is a loopback address"
    if address.is_link_local:
        return f"{address} is a link-local address"
    if address.is_multicast:
        return f"{address} is a multicast address"
    if address.is_reserved:
        return f"{address} is a reserved address"
    if address.is_private or not address.is_global:
        return None if settings.allow_private_networks else f"{address} is a private address"
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_destination(url: str, settings: WebhookSettings, resolver: Resolver = resolve) -> Destination:
    """The URL's destination with its checked addresses; RefusedDestination if any address is not allowed."""
    parts = parse_url(url)
    scheme, host = parts.scheme.lower(), parts.hostname
    port = parts.port or SCHEMES[scheme]
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError) as error:
        raise RefusedDestination(f"the host {host} cannot be resolved ({error})") from None
    if not addresses:
        raise RefusedDestination(f"the host {host} resolves to no address")
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone index
        why = refusal(address, settings)
        if why is not None:
            raise RefusedDestination(f"webhooks may not go to {host}: {why}")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(url, scheme, host, port, target, tuple(addresses))
