"""Schemas of the tamper-evident log's endpoints (``/api/v1/log``): hashes and signatures in base64."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

MAX_SIZE = 2**63 - 1
_B64 = {"description": "base64 (RFC 4648, with padding)"}


class TreeHeadQuerySchema(Schema):
    size = fields.Integer(validate=validate.Range(min=1, max=MAX_SIZE),
                          metadata={"description": "The head signed at this tree size (default: the latest)."})


class InclusionQuerySchema(Schema):
    position = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_SIZE),
                              metadata={"description": "The event's position (as the feed gives it)."})
    size = fields.Integer(validate=validate.Range(min=1, max=MAX_SIZE),
                          metadata={"description": "The tree size to prove inclusion in (default: the latest "
                                                   "signed head's)."})


class ConsistencyQuerySchema(Schema):
    first = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_SIZE))
    second = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_SIZE))

    @validates_schema
    def _ordered(self, data, **_kwargs):
        if "first" in data and "second" in data and data["first"] > data["second"]:
            raise ValidationError("must not be larger than second", "first")


class TreeHeadSchema(Schema):
    tree_size = fields.Integer(required=True)
    timestamp = fields.Integer(required=True, metadata={"description": "Milliseconds since the Unix epoch."})
    signed_at = fields.DateTime(required=True)
    root_hash = fields.String(required=True, metadata=_B64)
    signature = fields.String(required=True, metadata={
        "description": "Ed25519 over TreeHeadDataV2 (RFC 9162 4.10): timestamp, tree_size, root_hash, no "
                       "extensions; base64. docs/transparency.md"})
    key_id = fields.String(required=True, metadata={"description": "SHA-256 of the key's SubjectPublicKeyInfo, hex."})


class InclusionProofSchema(Schema):
    position = fields.Integer(required=True)
    leaf_index = fields.Integer(required=True)
    tree_size = fields.Integer(required=True)
    entry = fields.String(required=True, metadata={
        "description": "The event's canonical bytes (docs/transparency.md), base64: the leaf is "
                       "SHA-256(0x00 || entry)."})
    leaf_hash = fields.String(required=True, metadata=_B64)
    inclusion_path = fields.List(fields.String(metadata=_B64), required=True,
                                 metadata={"description": "RFC 9162 2.1.3.1 PATH, deepest sibling first."})


class ConsistencyProofSchema(Schema):
    first = fields.Integer(required=True)
    second = fields.Integer(required=True)
    consistency_path = fields.List(fields.String(metadata=_B64), required=True,
                                   metadata={"description": "RFC 9162 2.1.4.1 PROOF."})


class PublicKeySchema(Schema):
    algorithm = fields.String(required=True, metadata={"description": "Always Ed25519."})
    key_id = fields.String(required=True)
    public_key = fields.String(required=True, metadata={"description": "The 32 raw key bytes, base64."})
    pem = fields.String(required=True, metadata={"description": "SubjectPublicKeyInfo, PEM."})
