"""SSRF protection: http(s) only, and every address a host resolves to must be allowed."""
from __future__ import annotations

import ipaddress

import pytest

from factlog.webhooks.addresses import RefusedDestination, check_destination, refusal
from factlog.webhooks.settings import WebhookSettings

STRICT = WebhookSettings()
LOOPBACK = WebhookSettings(allow_loopback=True)
PRIVATE = WebhookSettings(allow_private_networks=True)


def resolver(*addresses: str):
    return lambda host, port: list(addresses)


@pytest.mark.parametrize("address, why", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("10.1.2.3", "private"), ("172.16.0.1", "private"),
    ("192.168.1.1", "private"), ("fd00::1", "private"), ("100.64.0.1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"), ("240.0.0.1", "reserved"), ("0.0.0.0", "unspecified"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),
])
def test_non_public_addresses_are_refused_by_default(address, why):
    assert why in refusal(ipaddress.ip_address(address), STRICT)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"])
def test_public_addresses_are_allowed(address):
    assert refusal(ipaddress.ip_address(address), STRICT) is None


def test_allowances_open_only_what_they_name():
    assert refusal(ipaddress.ip_address("127.0.0.1"), LOOPBACK) is None
    assert "private" in refusal(ipaddress.ip_address("10.0.0.1"), LOOPBACK)
    assert refusal(ipaddress.ip_address("10.0.0.1"), PRIVATE) is None
    assert "loopback" in refusal(ipaddress.ip_address("127.0.0.1"), PRIVATE)
    both = WebhookSettings(allow_loopback=True, allow_private_networks=True)
    for never in ("169.254.169.254", "224.0.0.1", "0.0.0.0", "240.0.0.1"):
        assert refusal(ipaddress.ip_address(never), both) is not None


def test_a_host_is_refused_if_any_of_its_addresses_is():
    with pytest.raises(RefusedDestination, match="hooks.example.org: 10.0.0.5 is a private address"):
        check_destination("https://hooks.example.org/in", STRICT, resolver("93.184.215.14", "10.0.0.5"))


def test_a_checked_destination_keeps_its_addresses_and_request_target():
    url = "https://hooks.example.org:8443/in?x=1"
    destination = check_destination(url, STRICT, resolver("93.184.215.14"))
    assert (destination.host, destination.port, destination.target) == ("hooks.example.org", 8443, "/in?x=1")
    assert destination.addresses == ("93.184.215.14",)


@pytest.mark.parametrize("url, message", [
    ("ftp://example.org/", "http:// or https://"), ("file:///etc/passwd", "http:// or https://"),
    ("https://user:pw@example.org/", "user name or password"), ("https:///path", "no host"),
    ("https://example.org:99999/", "port"), ("https://exa mple.org/", "spaces"),
    ("https://example.org/" + "a" * 2000, "longer than"),
])
def test_urls_that_are_not_plain_http_are_refused(url, message):
    with pytest.raises(RefusedDestination, match=message):
        check_destination(url, STRICT, resolver("93.184.215.14"))


def test_a_host_that_does_not_resolve_is_refused():
    def failing(host, port):
        raise OSError("Name or service not known")

    with pytest.raises(RefusedDestination, match="cannot be resolved"):
        check_destination("https://nowhere.invalid/", STRICT, failing)
