"""The tamper-evident log: signed tree heads, inclusion and consistency proofs, the public key.
``/api/v1/log`` (docs/transparency.md)."""
from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from flask import current_app
from flask.views import MethodView
from flask_smorest import abort

from factlog.api.auth import SECURITY, requires
from factlog.api.blueprint import Blueprint
from factlog.api.log_schemas import (
    ConsistencyProofSchema,
    ConsistencyQuerySchema,
    InclusionProofSchema,
    InclusionQuerySchema,
    PublicKeySchema,
    TreeHeadQuerySchema,
    TreeHeadSchema,
)
from factlog.database import get_session
from factlog.eventstore.dump import stored_at
from factlog.transparency import store
from factlog.transparency.canonical import event_bytes
from factlog.transparency.signing import configured_key, key_id

blp = Blueprint("log", __name__, url_prefix="/api/v1/log",
                description="Proof that the log was never changed: RFC 9162 signed tree heads and proofs.")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def head_out(head: store.TreeHead) -> dict:
    return {"tree_size": head.tree_size, "timestamp": head.timestamp, "signed_at": head.signed_at,
            "root_hash": b64(head.root_hash), "signature": b64(head.signature), "key_id": head.key_id}


def _field_error(field: str, message: str, status: int = 422):
    abort(status, message=message, messages={"query": {field: [message]}})


def _latest_size() -> int:
    head = store.latest_head(get_session())
    if head is None:
        abort(404, message="no tree head has been signed yet: the workers sign one every "
                           f"{current_app.config.get('LOG_SIGN_INTERVAL', 60):g} s once the log has events")
    return head.tree_size


@blp.route("/tree-heads")
class TreeHeads(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(TreeHeadQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, TreeHeadSchema)
    @blp.alt_response(404, schema="Problem", description="No head was signed (at that size).")
    @blp.alt_response(401, schema="Problem")
    @blp.alt_response(422, schema="Problem")
    def get(self, size: int | None = None):
        """The latest signed tree head, or the one signed at a tree size.

        Heads are signed every FACTLOG_LOG_SIGN_INTERVAL seconds while the log grows and kept for ever.
        """
        session = get_session()
        head = store.latest_head(session) if size is None else store.head_of_size(session, size)
        if head is None:
            if size is None:
                _latest_size()
            _field_error("size", f"no tree head was signed at size {size}", 404)
        return head_out(head)


@blp.route("/proofs/inclusion")
class InclusionProof(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(InclusionQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, InclusionProofSchema)
    @blp.alt_response(404, schema="Problem", description="The event or the tree size is not in the tree yet.")
    @blp.alt_response(401, schema="Problem")
    @blp.alt_response(422, schema="Problem")
    def get(self, position: int, size: int | None = None):
        """The event at a position, as the tree hashes it, and its inclusion path in a tree of a size."""
        session = get_session()
        size = size or _latest_size()
        try:
            proof = store.inclusion_proof(session, position, size)
        except store.NotInTree as error:
            _field_error(error.field, str(error), 404)
        event = stored_at(session, [position]).get(position)
        if event is None:
            abort(409, message=f"the event at position {position} is in the tree but not in the log: "
                               "run `factlog verify`")
        return {"position": position, "leaf_index": proof.leaf_index, "tree_size": proof.tree_size,
                "entry": b64(event_bytes(event)), "leaf_hash": b64(proof.leaf_hash),
                "inclusion_path": [b64(digest) for digest in proof.path]}


@blp.route("/proofs/consistency")
class ConsistencyProof(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.arguments(ConsistencyQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, ConsistencyProofSchema)
    @blp.alt_response(404, schema="Problem", description="The larger size is not in the tree yet.")
    @blp.alt_response(401, schema="Problem")
    @blp.alt_response(422, schema="Problem")
    def get(self, first: int, second: int):
        """A proof that the tree of ``first`` events is a prefix of the tree of ``second`` (RFC 9162 2.1.4)."""
        try:
            proof = store.consistency_proof(get_session(), first, second)
        except store.NotInTree as error:
            _field_error("second", str(error), 404)
        return {"first": first, "second": second, "consistency_path": [b64(digest) for digest in proof]}


@blp.route("/public-key")
class PublicKey(MethodView):
    @requires("read")
    @blp.doc(security=SECURITY)
    @blp.response(200, PublicKeySchema)
    @blp.alt_response(401, schema="Problem")
    def get(self):
        """The Ed25519 public key tree heads are signed with. Keep a copy: a key that changes is a warning."""
        public = configured_key(current_app.config, current_app.instance_path).public
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        return {"algorithm": "Ed25519", "key_id": key_id(public), "public_key": b64(raw), "pem": pem.decode()}

