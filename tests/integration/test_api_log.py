"""``/api/v1/log``: signed tree heads, inclusion and consistency proofs that verify, the public key, and a
message per field for bad parameters; on SQLite and PostgreSQL."""
from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from factlog import eventstore
from factlog.database import get_database
from factlog.transparency import merkle
from factlog.transparency.canonical import canonical_json
from factlog.transparency.signing import KEY_FILE, verify_tree_head
from tests.conftest import bearer
from tests.support.log_tree import KEY, add_aliases, grow_and_sign, make_app


@pytest.fixture
def app(database_url, tmp_path):
    app = make_app(database_url, tmp_path)
    yield app
    get_database(app).dispose()


@pytest.fixture
def token(make_token):
    return make_token("fact_checker", "read")


def get(client, token, path, **params):
    return client.get(path, query_string=params, headers=bearer(token))


def b64(text: str) -> bytes:
    return base64.b64decode(text)


def test_heads_and_proofs_verify_against_the_public_key(app, client, token):
    add_aliases(app, 6)
    first = grow_and_sign(app)
    add_aliases(app, 5)
    second = grow_and_sign(app)
    key = get(client, token, "/api/v1/log/public-key").get_json()
    public = load_pem_public_key(key["pem"].encode())
    assert key["algorithm"] == "Ed25519" and key["key_id"] == KEY.key_id
    assert b64(key["public_key"]) == KEY.public.public_bytes_raw()

    latest = get(client, token, "/api/v1/log/tree-heads").get_json()
    assert latest["tree_size"] == second.tree_size == 11
    assert verify_tree_head(public, latest["tree_size"], latest["timestamp"], b64(latest["root_hash"]),
                            b64(latest["signature"]))
    older = get(client, token, "/api/v1/log/tree-heads", size=first.tree_size).get_json()
    assert older["tree_size"] == 6 and b64(older["root_hash"]) == first.root_hash

    with get_database(app).session() as session:
        positions = [event.position for event in eventstore.read_all(session)]
    for leaf, position in enumerate(positions):
        proof = get(client, token, "/api/v1/log/proofs/inclusion", position=position).get_json()
        assert proof["tree_size"] == 11 and proof["leaf_index"] == leaf
        entry = b64(proof["entry"])
        assert canonical_json(json.loads(entry)) == entry  # the entry is in canonical form
        assert b64(proof["leaf_hash"]) == merkle.leaf_hash(entry)
        path = [b64(digest) for digest in proof["inclusion_path"]]
        assert merkle.verify_inclusion(leaf, 11, merkle.leaf_hash(entry), path, b64(latest["root_hash"]))
    consistency = get(client, token, "/api/v1/log/proofs/consistency", first=6, second=11).get_json()
    assert merkle.verify_consistency(6, 11, first.root_hash, second.root_hash,
                                     [b64(p) for p in consistency["consistency_path"]])


def test_bad_parameters_get_a_message_per_field(app, client, token):
    add_aliases(app, 3)
    grow_and_sign(app)
    cases = [
        ("/api/v1/log/proofs/inclusion", {}, 422, "position"),
        ("/api/v1/log/proofs/inclusion", {"position": "x"}, 422, "position"),
        ("/api/v1/log/proofs/inclusion", {"position": 0}, 422, "position"),
        ("/api/v1/log/proofs/inclusion", {"position": 999}, 404, "position"),
        ("/api/v1/log/proofs/inclusion", {"position": 1, "size": 4}, 404, "size"),
        ("/api/v1/log/proofs/consistency", {"first": 3}, 422, "second"),
        ("/api/v1/log/proofs/consistency", {"first": 3, "second": 2}, 422, "first"),
        ("/api/v1/log/proofs/consistency", {"first": 1, "second": 9}, 404, "second"),
        ("/api/v1/log/tree-heads", {"size": 2}, 404, "size"),
        ("/api/v1/log/tree-heads", {"size": -1}, 422, "size"),
        ("/api/v1/log/tree-heads", {"sise": 3}, 422, "sise"),
    ]
    for path, params, status, field in cases:
        response = get(client, token, path, **params)
        assert response.status_code == status, (path, params, response.get_json())
        assert field in response.get_json()["errors"]["query"], (path, params, response.get_json())
    # The position of an event not yet in the tree is named as such.
    add_aliases(app, 1)
    with get_database(app).session() as session:
        newest = eventstore.head_position(session)
    body = get(client, token, "/api/v1/log/proofs/inclusion", position=newest).get_json()
    assert body["status"] == 404 and "not in the tree yet" in body["detail"]


def test_before_any_head_is_signed_the_api_says_when_one_will_be(app, client, token):
    response = get(client, token, "/api/v1/log/tree-heads")
    assert response.status_code == 404 and "no tree head has been signed yet" in response.get_json()["detail"]


def test_the_log_endpoints_need_a_token(app, client):
    for path in ("/api/v1/log/tree-heads", "/api/v1/log/public-key", "/api/v1/log/proofs/inclusion?position=1",
                 "/api/v1/log/proofs/consistency?first=1&second=1"):
        assert client.get(path).status_code == 401


def test_the_public_key_is_generated_once_into_the_instance_folder_when_none_is_configured(database_url, tmp_path,
                                                                                         make_token, monkeypatch):
    monkeypatch.setenv("FACTLOG_INSTANCE_PATH", str(tmp_path / "instance"))
    app = make_app(database_url, tmp_path, "generated", LOG_SIGNING_KEY=None)
    client = app.test_client()
    from factlog.accounts.tokens import create_token
    from factlog.accounts.users import create_user

    with get_database(app).session() as session:
        create_user(session, "reader@example.org", "Reader", "fact_checker")
        _, secret = create_token(session, "reader@example.org", "read")
        session.commit()
    first = client.get("/api/v1/log/public-key", headers=bearer(secret)).get_json()
    assert (tmp_path / "instance" / KEY_FILE).exists()
    assert client.get("/api/v1/log/public-key", headers=bearer(secret)).get_json() == first
    get_database(app).dispose()
