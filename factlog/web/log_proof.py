"""A claim's place in the tamper-evident log: the line on its page and the page with the proof."""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, current_app, render_template

from factlog import claims
from factlog.database import get_session
from factlog.transparency.attest import StreamProof, stream_proof
from factlog.transparency.signing import configured_key
from factlog.web.auth import requires

bp = Blueprint("log_proof", __name__)


def claim_proof(claim_id: uuid.UUID | str) -> StreamProof:
    key = configured_key(current_app.config, current_app.instance_path)
    return stream_proof(get_session(), claims.stream_id(uuid.UUID(str(claim_id))), key)


@bp.app_context_processor
def _helpers() -> dict:
    return {"claim_proof": claim_proof, "log_sign_interval": current_app.config.get("LOG_SIGN_INTERVAL", 60)}


@bp.get("/claims/<uuid:claim_id>/proof")
@requires("read")
def claim(claim_id: uuid.UUID):
    """Each event of the claim, its leaf, inclusion path and check against the latest signed tree head."""
    proof = claim_proof(claim_id)
    if not proof.proofs:
        abort(404, description=f"No claim {claim_id} has been recorded.")
    return render_template("claims/proof.html", claim_id=claim_id, proof=proof)
