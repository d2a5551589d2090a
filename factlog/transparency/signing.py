"""Signed tree heads: the Ed25519 key from configuration, and the bytes a head's signature covers.

The signed bytes are RFC 9162's TreeHeadDataV2 (section 4.10) with no extensions, 51 bytes:
uint64 timestamp (ms since the epoch, big-endian) || uint64 tree_size || uint8 32 || root hash (32)
|| uint16 0 (extensions). docs/transparency.md, "Signed tree heads".
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_FILE = "log_signing_key.pem"


class SigningKeyError(ValueError):
    """The configured signing key cannot be read."""


def tree_head_bytes(tree_size: int, timestamp: int, root_hash: bytes) -> bytes:
    """TreeHeadDataV2 (RFC 9162 4.10) without extensions: what a tree head's signature covers."""
    if len(root_hash) != 32:
        raise ValueError("a root hash is 32 bytes")
    return struct.pack(">QQB", timestamp, tree_size, 32) + root_hash + b"\x00\x00"


def public_key_der(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_id(key: Ed25519PublicKey) -> str:
    """SHA-256 of the key's SubjectPublicKeyInfo (DER), hex: RFC 6962's log id."""
    return hashlib.sha256(public_key_der(key)).hexdigest()


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def sign(self, tree_size: int, timestamp: int, root_hash: bytes) -> bytes:
        return self.private.sign(tree_head_bytes(tree_size, timestamp, root_hash))


def verify_tree_head(public: Ed25519PublicKey, tree_size: int, timestamp: int, root_hash: bytes,
                     signature: bytes) -> bool:
    try:
        public.verify(signature, tree_head_bytes(tree_size, timestamp, root_hash))
    except InvalidSignature:
        return False
    return True


def parse_private_key(text: str) -> SigningKey:
    """A PKCS#8 PEM (``openssl genpkey -algorithm ed25519``) or the base64 of the 32-byte private seed."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text + "=" * (-len(text) % 4),
                                                                        altchars=b"-_" if "-" in text or "_" in text
                                                                        else None, validate=True))
    except (ValueError, TypeError, binascii.Error) as error:
        raise SigningKeyError(f"the log signing key is neither an Ed25519 PEM private key nor the base64 of a "
                              f"32-byte seed ({error})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError("the log signing key must be an Ed25519 key")
    return SigningKey(key)


def parse_public_key(text: str | bytes) -> Ed25519PublicKey:
    """A PEM public key, or the base64 of the 32 raw bytes."""
    data = text.encode() if isinstance(text, str) else text
    if data.strip().startswith(b"-----BEGIN"):
        key = serialization.load_pem_public_key(data)
        if not isinstance(key, Ed25519PublicKey):
            raise SigningKeyError("not an Ed25519 public key")
        return key
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(data.strip()))


def load_or_create_key_file(instance_path: Path) -> str:
    """The PEM kept in the instance folder, created (mode 0600) on first use: for development and the demo."""
    path = instance_path / KEY_FILE
    if path.exists():
        return path.read_text()
    instance_path.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()).decode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        return path.read_text()
    with os.fdopen(fd, "w") as handle:
        handle.write(pem)
    return pem


def configured_key(config, instance_path: str | Path) -> SigningKey:
    """The app's signing key: ``LOG_SIGNING_KEY`` (text) from configuration, else the instance folder's file."""
    text = config.get("LOG_SIGNING_KEY")
    if not text:
        if config.get("FACTLOG_ENV") == "production":
            raise SigningKeyError("FACTLOG_LOG_SIGNING_KEY or FACTLOG_LOG_SIGNING_KEY_FILE must be set in production")
        text = load_or_create_key_file(Path(instance_path))
    return parse_private_key(text)
