"""The tamper-evident log: an RFC 9162 Merkle tree over the events, signed tree heads, proofs (docs/transparency.md)."""
