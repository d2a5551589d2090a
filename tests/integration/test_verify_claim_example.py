"""The outside verifier (examples/verify_claim.py) checks a claim's events against a signed tree head over real
HTTP, and refuses when the log was changed behind the triggers' back or the key is not the log's."""
from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from werkzeug.serving import make_server

from factlog import eventstore
from factlog.database import get_database
from tests.conftest import bearer
from tests.integration.test_api_commands import record_body, register
from tests.support.log_tree import KEY, grow_and_sign, make_app, tamper

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "verify_claim.py"


@pytest.fixture
def app(database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    yield app
    get_database(app).dispose()


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def load_example():
    spec = importlib.util.spec_from_file_location("verify_claim", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pem(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.fixture
def claim(app, client, make_token):
    editor = bearer(make_token("editor", "write"))
    ids = {name: register(client, editor, kind, title) for name, kind, title in (
        ("qiosk", "outlet", "Responsible Statecraft"), ("nyt", "outlet", "The New York Times"),
        ("brown", "person", "Nick Brown"))}
    claim_id = client.post("/api/v1/claims", json=record_body(ids), headers=editor).get_json()["id"]
    first = grow_and_sign(app)
    correction = {"field": "quote", "new_value": "A corrected quote.", "reason": "The transcript says so."}
    response = client.post(f"/api/v1/claims/{claim_id}/corrections", json=correction,
                           headers={**editor, "If-Match": "2"})
    assert response.status_code == 200, response.get_json()
    grow_and_sign(app)
    return claim_id, first.tree_size


def test_the_example_verifies_a_claims_events_against_the_signed_tree_head(served, claim, make_token, tmp_path,
                                                                           capsys):
    claim_id, first_size = claim
    key_file = tmp_path / "log.pem"
    key_file.write_bytes(pem(KEY.public))
    token = make_token("fact_checker", "read")
    verifier = load_example()
    assert verifier.main(["--url", served, "--token", token, "--public-key", str(key_file),
                          "--since-size", str(first_size), claim_id]) == 0
    out = capsys.readouterr().out
    assert f"verified: 3 events of claim {claim_id} are in tree head {first_size + 1}" in out
    assert f"tree head {first_size} is a prefix of tree head {first_size + 1}" in out
    # Without a pinned key it still verifies, and says what that is worth.
    assert verifier.main(["--url", served, "--token", token, claim_id]) == 0
    assert "pin it with --public-key" in capsys.readouterr().out


def test_the_example_refuses_a_changed_event_and_a_key_that_is_not_the_logs(app, served, claim, make_token,
                                                                            tmp_path, capsys, database_url):
    claim_id, _ = claim
    token = make_token("fact_checker", "read")
    verifier = load_example()
    other = tmp_path / "other.pem"
    other.write_bytes(pem(Ed25519PrivateKey.generate().public_key()))
    assert verifier.main(["--url", served, "--token", token, "--public-key", str(other), claim_id]) == 1
    assert "the signature does not verify" in capsys.readouterr().err

    with get_database(app).session() as session:
        recorded = eventstore.read_stream(session, f"claim-{claim_id}")[0].position
    json_set = ("json_set(data, '$.summary', 'A different claim.')" if database_url.startswith("sqlite")
                else """jsonb_set(data, '{summary}', '"A different claim."')""")
    tamper(database_url, f"UPDATE events SET data = {json_set} WHERE position = :p", params={"p": recorded})
    key_file = tmp_path / "log.pem"
    key_file.write_bytes(pem(KEY.public))
    assert verifier.main(["--url", served, "--token", token, "--public-key", str(key_file), claim_id]) == 1
    assert (f"position {recorded}: the leaf hash is not SHA-256(0x00 || entry)" in capsys.readouterr().err)
