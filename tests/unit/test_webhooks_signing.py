"""Webhook signatures: HMAC-SHA256 of "<t>.<body>", checked the way docs/webhooks.md tells receivers to."""
from __future__ import annotations

import hashlib
import hmac

from factlog.webhooks.signing import new_secret, signature_header, verify

BODY = b'{"id":"5f0c","type":"claim.retracted"}'


def test_the_header_carries_the_timestamp_and_the_hmac_of_timestamp_dot_body():
    header = signature_header("whsec_test", BODY, timestamp=1_700_000_000)
    expected = hmac.new(b"whsec_test", b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


def test_a_signature_verifies_only_with_the_same_secret_body_and_a_fresh_timestamp():
    header = signature_header("whsec_test", BODY, timestamp=1_700_000_000)
    assert verify("whsec_test", header, BODY, now=1_700_000_100)
    assert not verify("whsec_other", header, BODY, now=1_700_000_100)
    assert not verify("whsec_test", header, BODY + b" ", now=1_700_000_100)
    assert not verify("whsec_test", header, BODY, now=1_700_000_000 + 301)  # a replay, five minutes on


def test_a_forged_timestamp_breaks_the_signature():
    header = signature_header("whsec_test", BODY, timestamp=1_700_000_000)
    forged = header.replace("t=1700000000", "t=1700000200")
    assert not verify("whsec_test", forged, BODY, now=1_700_000_200)


def test_malformed_headers_do_not_verify():
    for header in ("", "v1=abc", "t=soon,v1=abc", "t=1700000000"):
        assert not verify("whsec_test", header, BODY, now=1_700_000_000)


def test_secrets_are_random_and_prefixed():
    first, second = new_secret(), new_secret()
    assert first.startswith("whsec_") and first != second and len(first) > 40
