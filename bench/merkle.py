"""The tamper-evident log: building the Merkle tree over the whole log (``workers.log_tree.grow``: batches of
2,000 events, canonical bytes, leaf and node hashes, inserts), signing a head, inclusion and consistency
proofs from the stored subtrees (time and size), and ``factlog verify``'s recomputation (events/s)."""
from __future__ import annotations

import random
import time

from sqlalchemy.orm import Session

from bench.common import Report, Settings, clone, database_url, loaded_template, log, percentile

PROOFS = 1000


def run(report: Report, settings: Settings) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from factlog.database import Database, make_engine
    from factlog.eventstore import iter_stored
    from factlog.transparency import merkle, store
    from factlog.transparency.signing import SigningKey
    from factlog.transparency.verify import stored_leaves, verify
    from workers import log_tree

    key = SigningKey(Ed25519PrivateKey.generate())
    template = loaded_template(settings, settings.events, report)
    params = {"events": settings.events}
    build, inclusion_ms, consistency_ms, verify_rate, sign_ms = [], [], [], [], []
    path_hashes, consistency_hashes = [], []
    for rep in range(settings.reps):
        with clone(template, "merkle", settings.keep) as name:
            database = Database(make_engine(database_url(name)))
            started = time.perf_counter()
            added = log_tree.grow(database)
            seconds = time.perf_counter() - started
            build.append(added / seconds)
            log(f"merkle rep={rep}: {added:,} events into the tree in {seconds:.1f} s ({added / seconds:,.0f}/s)")
            started = time.perf_counter()
            head = log_tree.sign_head(database, key)
            sign_ms.append((time.perf_counter() - started) * 1000)
            rng = random.Random(settings.seed + rep)
            with Session(database.engine) as session:
                positions = [leaf.position for leaf in stored_leaves(session)]
                for position in rng.sample(positions, min(PROOFS, len(positions))):
                    started = time.perf_counter()
                    proof = store.inclusion_proof(session, position, head.tree_size)
                    inclusion_ms.append((time.perf_counter() - started) * 1000)
                    path_hashes.append(len(proof.path))
                    assert merkle.verify_inclusion(proof.leaf_index, head.tree_size, proof.leaf_hash, proof.path,
                                                   head.root_hash)
                for _ in range(min(PROOFS, head.tree_size)):
                    first = rng.randint(1, head.tree_size)
                    started = time.perf_counter()
                    proof = store.consistency_proof(session, first, head.tree_size)
                    consistency_ms.append((time.perf_counter() - started) * 1000)
                    consistency_hashes.append(len(proof))
                session.rollback()
                started = time.perf_counter()
                result = verify(iter_stored(session), store.all_heads(session), stored_leaves(session), [key.public])
                seconds = time.perf_counter() - started
                assert result.ok, result.problems
                verify_rate.append(result.events / seconds)
                session.rollback()
            database.dispose()
    report.result("merkle", "tree building (grow)", params, "events/s", "events/s", build, tree_size=head.tree_size)
    report.result("merkle", "sign a tree head", params, "ms", "ms", sign_ms)
    report.result("merkle", "inclusion proof p50", params, "p50 ms", "ms", [percentile(inclusion_ms, 0.5)])
    report.result("merkle", "inclusion proof p99", params, "p99 ms", "ms", [percentile(inclusion_ms, 0.99)])
    report.result("merkle", "inclusion proof size", params, "max bytes", "bytes", [32 * max(path_hashes)],
                  hashes_max=max(path_hashes))
    report.result("merkle", "consistency proof p50", params, "p50 ms", "ms", [percentile(consistency_ms, 0.5)])
    report.result("merkle", "consistency proof p99", params, "p99 ms", "ms", [percentile(consistency_ms, 0.99)])
    report.result("merkle", "consistency proof size", params, "max bytes", "bytes", [32 * max(consistency_hashes)],
                  hashes_max=max(consistency_hashes))
    report.result("merkle", "factlog verify (recompute)", params, "events/s", "events/s", verify_rate)
    report.print_table("merkle")
