"""RFC 9162 Merkle trees: roots, inclusion paths and consistency proofs against the RFC's recursive definitions."""
from __future__ import annotations

import hashlib

import pytest

from factlog.transparency import merkle

# The RFC's definitions, written as recursively as RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1 state them.


def naive_mth(entries: list[bytes]) -> bytes:
    n = len(entries)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + entries[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + naive_mth(entries[:k]) + naive_mth(entries[k:])).digest()


def naive_path(m: int, entries: list[bytes]) -> list[bytes]:
    n = len(entries)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return naive_path(m, entries[:k]) + [naive_mth(entries[k:])]
    return naive_path(m - k, entries[k:]) + [naive_mth(entries[:k])]


def naive_subproof(m: int, entries: list[bytes], whole: bool) -> list[bytes]:
    n = len(entries)
    if m == n:
        return [] if whole else [naive_mth(entries)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return naive_subproof(m, entries[:k], whole) + [naive_mth(entries[k:])]
    return naive_subproof(m - k, entries[k:], False) + [naive_mth(entries[:k])]


ENTRIES = [f"event {i}".encode() for i in range(70)]


def stored(entries: list[bytes]) -> dict:
    """Every perfect subtree's hash, as the store keeps them."""
    nodes: dict = {}
    builder = merkle.TreeBuilder(on_node=lambda level, index, digest: nodes.__setitem__((level, index), digest))
    for entry in entries:
        builder.add(merkle.leaf_hash(entry))
    return nodes


NODES = stored(ENTRIES)


def test_known_small_trees():
    # RFC 9162 2.1.1: the empty tree is SHA-256 of nothing; one leaf is SHA-256(0x00 || d).
    assert merkle.EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle.leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    a, b = merkle.leaf_hash(b"a"), merkle.leaf_hash(b"b")
    assert merkle.node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    # Three leaves: the split is at 2, so the root is H(H(a, b), c), not H(a, H(b, c)).
    c = merkle.leaf_hash(b"c")
    assert naive_mth([b"a", b"b", b"c"]) == merkle.node_hash(merkle.node_hash(a, b), c)


def test_the_incremental_root_is_the_rfc_root_at_every_size():
    builder = merkle.TreeBuilder()
    assert builder.root() == naive_mth([])
    for size, entry in enumerate(ENTRIES, start=1):
        builder.add(merkle.leaf_hash(entry))
        assert builder.root() == naive_mth(ENTRIES[:size])
        assert merkle.range_hash(0, size, NODES.__getitem__) == naive_mth(ENTRIES[:size])


def test_a_resumed_builder_goes_on_as_if_it_had_never_stopped():
    edge = [NODES[node] for node in merkle.perfect_subtrees(0, 37)]
    builder = merkle.TreeBuilder.resume(37, edge)
    for entry in ENTRIES[37:]:
        builder.add(merkle.leaf_hash(entry))
    assert builder.root() == naive_mth(ENTRIES)


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 33, 70])
def test_inclusion_paths_are_the_rfc_paths_and_verify(size):
    entries = ENTRIES[:size]
    root = naive_mth(entries)
    for leaf in range(size):
        path = [merkle.range_hash(start, end, NODES.__getitem__)
                for start, end in merkle.inclusion_ranges(leaf, size)]
        assert path == naive_path(leaf, entries)
        assert merkle.verify_inclusion(leaf, size, merkle.leaf_hash(entries[leaf]), path, root)
        # A wrong leaf, index, size or root fails.
        assert not merkle.verify_inclusion(leaf, size, merkle.leaf_hash(b"forged"), path, root)
        if size > 1:
            assert not merkle.verify_inclusion((leaf + 1) % size, size, merkle.leaf_hash(entries[leaf]), path,
                                               root)
        assert not merkle.verify_inclusion(leaf, size, merkle.leaf_hash(entries[leaf]), path[:-1] or [root], root)
        assert not merkle.verify_inclusion(leaf, size, merkle.leaf_hash(entries[leaf]), path,
                                           naive_mth(ENTRIES[:size] + [b"more"]))


@pytest.mark.parametrize("second", [1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 33, 70])
def test_consistency_proofs_are_the_rfc_proofs_and_verify(second):
    second_root = naive_mth(ENTRIES[:second])
    for first in range(1, second + 1):
        proof = [merkle.range_hash(start, end, NODES.__getitem__)
                 for start, end in merkle.consistency_ranges(first, second)]
        assert proof == naive_subproof(first, ENTRIES[:second], True)
        first_root = naive_mth(ENTRIES[:first])
        assert merkle.verify_consistency(first, second, first_root, second_root, proof)
        if first < second:
            assert not merkle.verify_consistency(first, second, naive_mth(ENTRIES[1:first + 1]), second_root,
                                                 proof)
            assert not merkle.verify_consistency(first, second, first_root, naive_mth(ENTRIES[:second - 1]),
                                                 proof)
            assert not merkle.verify_consistency(first, second, first_root, second_root, proof[:-1])


def test_a_proof_needs_only_a_logarithmic_number_of_stored_subtrees():
    size = 1_000_003
    for leaf in (0, 1, 500_000, size - 1):
        assert len(merkle.nodes_for(merkle.inclusion_ranges(leaf, size))) <= 2 * size.bit_length()
    assert len(merkle.nodes_for(merkle.consistency_ranges(777_777, size))) <= 2 * size.bit_length()


def test_proofs_for_leaves_or_sizes_that_do_not_exist_are_refused():
    with pytest.raises(merkle.ProofError):
        merkle.inclusion_ranges(5, 5)
    with pytest.raises(merkle.ProofError):
        merkle.consistency_ranges(0, 5)
    with pytest.raises(merkle.ProofError):
        merkle.consistency_ranges(6, 5)
