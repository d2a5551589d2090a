#!/usr/bin/env python3
"""Check, as an outsider, that a claim's history in factlog is exactly what the log signed.

    python examples/verify_claim.py --url http://127.0.0.1:5000 --token flk_... CLAIM_ID \
        [--public-key factlog-log.pem] [--since-size M]

It fetches the claim's events, the latest signed tree head and an inclusion proof for each event, then checks
(docs/transparency.md): the head's Ed25519 signature over RFC 9162's TreeHeadDataV2; that each proof's entry
is the canonical form (RFC 8785) of the event the API shows; that SHA-256(0x00 || entry) with the inclusion
path (RFC 9162 2.1.3.2) gives the signed root. With --since-size it also checks that the tree of M events
signed earlier is a prefix of the latest (2.1.4.2). Pin the public key with --public-key (obtained once, out
of band); without it the key the server gives is used, which proves consistency, not identity.
Standard library and the `cryptography` package only; exit 0 when everything verifies, 1 otherwise.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import struct
import sys
import urllib.request
from pathlib import Path
from urllib.error import HTTPError, URLError

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import load_pem_public_key


class Failed(Exception):
    pass


def fetch(base_url: str, token: str, path: str) -> dict | list:
    request = urllib.request.Request(base_url + path, headers={"Authorization": f"Bearer {token}",
                                                               "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


# RFC 8785 (JSON Canonicalization Scheme), with factlog's one extension: integers beyond 2**53 exactly.

def canonical(value) -> str:
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: key.encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(json.dumps(key, ensure_ascii=False) + ":" + canonical(value[key]) for key in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical(item) for item in value) + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number(value)
    return json.dumps(value, ensure_ascii=False)


def number(value: float) -> str:
    """ECMAScript's Number.prototype.toString, from the shortest round-trip digits."""
    if not math.isfinite(value):
        raise Failed("a number that JSON cannot hold")
    if value == 0:
        return "0"
    sign, value = ("-", -value) if value < 0 else ("", value)
    mantissa, _, exponent = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    digits = all_digits.lstrip("0")
    n = len(whole) + int(exponent or 0) - (len(all_digits) - len(digits))
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    tail = "." + digits[1:] if k > 1 else ""
    return f"{sign}{digits[0]}{tail}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"


# RFC 9162 2.1

def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(leaf_index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes | None:
    """RFC 9162 2.1.3.2: the root the path leads to, or None when the path does not fit the size."""
    if leaf_index >= size:
        return None
    fn, sn, r = leaf_index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node(p, r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def consistent(first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 2.1.4.2."""
    if first == second:
        return not proof and first_root == second_root
    if not proof or not 0 < first < second:
        return False
    if first & (first - 1) == 0:
        proof = [first_root] + proof
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


def tree_head_bytes(head: dict) -> bytes:
    """TreeHeadDataV2 (RFC 9162 4.10), no extensions: what the signature covers."""
    root = base64.b64decode(head["root_hash"])
    return struct.pack(">QQB", head["timestamp"], head["tree_size"], len(root)) + root + b"\x00\x00"


def check_head(public_key, head: dict) -> None:
    try:
        public_key.verify(base64.b64decode(head["signature"]), tree_head_bytes(head))
    except InvalidSignature:
        raise Failed(f"tree head {head['tree_size']}: the signature does not verify") from None


def check_event(event: dict, proof: dict, head: dict) -> None:
    """The proof's entry is this event, in canonical form, and it leads to the signed root."""
    entry = base64.b64decode(proof["entry"])
    stored = json.loads(entry)
    if canonical(stored).encode("utf-8", "surrogatepass") != entry:
        raise Failed(f"position {event['position']}: the entry is not in canonical form")
    shown = {"position": event["position"], "event_id": event["id"], "stream_id": event["stream"],
             "stream_version": event["version"], "event_type": event["type"]}
    for name, value in shown.items():
        if stored[name] != value:
            raise Failed(f"position {event['position']}: the signed entry has {name} {stored[name]!r}, the API "
                         f"shows {value!r}")
    if stored["schema_version"] == event["schema_version"] and stored["data"] != event["data"]:
        raise Failed(f"position {event['position']}: the signed data differs from the data the API shows")
    leaf = hashlib.sha256(b"\x00" + entry).digest()
    if base64.b64decode(proof["leaf_hash"]) != leaf:
        raise Failed(f"position {event['position']}: the leaf hash is not SHA-256(0x00 || entry)")
    path = [base64.b64decode(digest) for digest in proof["inclusion_path"]]
    root = root_from_inclusion(proof["leaf_index"], head["tree_size"], leaf, path)
    if root != base64.b64decode(head["root_hash"]):
        raise Failed(f"position {event['position']}: the inclusion path does not lead to the signed root")


def verify(base_url: str, token: str, claim_id: str, public_key_pem: bytes | None, since: int | None) -> list[str]:
    said = []
    if public_key_pem is None:
        public_key_pem = fetch(base_url, token, "/api/v1/log/public-key")["pem"].encode()
        said.append("warning: using the public key the server gave; pin it with --public-key")
    public_key = load_pem_public_key(public_key_pem)
    head = fetch(base_url, token, "/api/v1/log/tree-heads")
    check_head(public_key, head)
    events = fetch(base_url, token, f"/api/v1/claims/{claim_id}/events")
    for event in events:
        proof = fetch(base_url, token, f"/api/v1/log/proofs/inclusion?position={event['position']}"
                                       f"&size={head['tree_size']}")
        check_event(event, proof, head)
        said.append(f"event {event['position']} ({event['type']}, version {event['version']}) is leaf "
                    f"{proof['leaf_index']} of tree head {head['tree_size']}")
    if since is not None:
        earlier = fetch(base_url, token, f"/api/v1/log/tree-heads?size={since}")
        check_head(public_key, earlier)
        proof = fetch(base_url, token, f"/api/v1/log/proofs/consistency?first={since}&second={head['tree_size']}")
        if not consistent(since, head["tree_size"], base64.b64decode(earlier["root_hash"]),
                          base64.b64decode(head["root_hash"]),
                          [base64.b64decode(digest) for digest in proof["consistency_path"]]):
            raise Failed(f"the tree of {since} events is not a prefix of the tree of {head['tree_size']}")
        said.append(f"tree head {since} is a prefix of tree head {head['tree_size']}")
    said.append(f"verified: {len(events)} events of claim {claim_id} are in tree head {head['tree_size']}, "
                f"signed at {head['signed_at']}")
    return said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claim_id")
    parser.add_argument("--url", default="http://127.0.0.1:5000")
    parser.add_argument("--token", required=True)
    parser.add_argument("--public-key", help="the log's public key (PEM), obtained out of band")
    parser.add_argument("--since-size", type=int, help="also check that this earlier signed size is a prefix")
    args = parser.parse_args(argv)
    pem = Path(args.public_key).read_bytes() if args.public_key else None
    try:
        for line in verify(args.url.rstrip("/"), args.token, args.claim_id, pem, args.since_size):
            print(line)
    except Failed as failure:
        print(f"NOT verified: {failure}", file=sys.stderr)
        return 1
    except HTTPError as error:
        print(f"NOT verified: {error.url} answered {error.code}: {error.read().decode(errors='replace')}",
              file=sys.stderr)
        return 1
    except URLError as error:
        print(f"cannot reach {args.url}: {error.reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
