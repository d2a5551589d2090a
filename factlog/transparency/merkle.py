"""RFC 9162 Merkle trees (Certificate Transparency 2.0, section 2.1): hashes, proofs, and their verification.

Leaves are numbered from 0 in log order. A *perfect subtree* ``(level, index)`` covers the leaves
``[index * 2**level, (index + 1) * 2**level)``; the store keeps the hash of every complete one, so any
MTH, inclusion path or consistency proof of a tree of size N is assembled from O(log N) of them: the
functions here name the leaf ranges a proof needs (``*_ranges``) and the perfect subtrees each range is made
of (``perfect_subtrees``), and ``range_hash`` combines them. Pure code: no database.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

Range = tuple[int, int]  # leaves [start, end)
Node = tuple[int, int]  # (level, index)

EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) (RFC 9162 2.1.1)


class ProofError(ValueError):
    """A proof was asked for leaves or sizes that do not exist (a caller's error, not a failed check)."""


def leaf_hash(entry: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): where RFC 9162 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_ranges(leaf: int, size: int) -> list[Range]:
    """The subtrees whose hashes form PATH(leaf, D[0:size]) (RFC 9162 2.1.3.1), in the path's order."""
    if not 0 <= leaf < size:
        raise ProofError(f"leaf {leaf} is not in a tree of {size} leaves")
    path: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if leaf < start + k:
            path.append((start + k, end))
            end = start + k
        else:
            path.append((start, start + k))
            start += k
    path.reverse()  # PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]): the deepest sibling comes first
    return path


def consistency_ranges(first: int, second: int) -> list[Range]:
    """The subtrees whose hashes form PROOF(first, D[0:second]) (RFC 9162 2.1.4.1), in the proof's order."""
    if not 0 < first <= second:
        raise ProofError(f"no consistency proof from size {first} to size {second}: "
                         "need 0 < first <= second")
    proof: list[Range] = []
    _subproof(first, 0, second, True, proof)
    return proof


def _subproof(m: int, start: int, end: int, whole: bool, proof: list[Range]) -> None:
    n = end - start
    if m == n:
        if not whole:
            proof.append((start, end))
        return
    k = _split(n)
    if m <= k:
        _subproof(m, start, start + k, whole, proof)
        proof.append((start + k, end))
    else:
        _subproof(m - k, start + k, end, False, proof)
        proof.append((start, start + k))


def perfect_subtrees(start: int, end: int) -> list[Node]:
    """The perfect subtrees that make up leaves [start, end), largest first.

    Every range a proof or a root needs starts at a multiple of the largest power of two it holds, so it is
    the run of power-of-two blocks of its size's binary digits.
    """
    nodes = []
    while start < end:
        size = 1 << ((end - start).bit_length() - 1)
        if start % size:
            raise ValueError(f"leaves [{start}, {end}) are not a subtree range")
        nodes.append(((size.bit_length() - 1), start // size))
        start += size
    return nodes


def range_hash(start: int, end: int, lookup: Callable[[Node], bytes]) -> bytes:
    """MTH(D[start:end]) from the stored hashes of its perfect subtrees (largest first, folded from the right)."""
    hashes = [lookup(node) for node in perfect_subtrees(start, end)]
    result = hashes.pop()
    while hashes:
        result = node_hash(hashes.pop(), result)
    return result


def nodes_for(ranges: Iterable[Range]) -> set[Node]:
    """Every perfect subtree needed for these ranges' hashes: what to read from the store."""
    return {node for start, end in ranges for node in perfect_subtrees(start, end)}


def root_ranges(size: int) -> list[Range]:
    return [(0, size)] if size else []


def verify_inclusion(leaf: int, size: int, entry_hash: bytes, path: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 2.1.3.2: does ``path`` prove the leaf hash ``entry_hash`` at ``leaf`` in the tree ``root``?"""
    if not 0 <= leaf < size:
        return False
    fn, sn, r = leaf, size - 1, entry_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 2.1.4.2: does ``proof`` show the tree ``first_root`` of ``first`` leaves is a prefix of the
    tree ``second_root`` of ``second`` leaves?"""
    if not 0 < first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: first_root is itself the first node of the proof
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


class TreeBuilder:
    """Leaf hashes in, the root at any size out, in O(log n) memory: for recomputing a whole log.

    Keeps the hashes of the perfect subtrees the leaves so far split into (the tree's right edge).
    ``on_node(level, index, hash)`` sees every perfect subtree as it completes (leaves are level 0).
    """

    def __init__(self, on_node: Callable[[int, int, bytes], None] | None = None):
        self.size = 0
        self._edge: list[tuple[int, bytes]] = []  # (level, hash), the largest subtree first
        self._on_node = on_node

    @classmethod
    def resume(cls, size: int, edge_hashes: Sequence[bytes],
               on_node: Callable[[int, int, bytes], None] | None = None) -> TreeBuilder:
        """Continue a tree of ``size`` leaves from the hashes of ``perfect_subtrees(0, size)``."""
        builder = cls(on_node)
        builder.size = size
        builder._edge = [(level, digest) for (level, _), digest in zip(perfect_subtrees(0, size), edge_hashes)]
        return builder

    def add(self, digest: bytes) -> None:
        index = self.size
        self.size += 1
        level = 0
        if self._on_node:
            self._on_node(0, index, digest)
        while self._edge and self._edge[-1][0] == level:
            _, left = self._edge.pop()
            digest = node_hash(left, digest)
            level += 1
            index >>= 1
            if self._on_node:
                self._on_node(level, index, digest)
        self._edge.append((level, digest))

    def root(self) -> bytes:
        if not self._edge:
            return EMPTY_ROOT
        result = self._edge[-1][1]
        for _, digest in reversed(self._edge[:-1]):
            result = node_hash(digest, result)
        return result
