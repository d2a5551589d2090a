"""A small newsroom for the security tests: a speaker, an outlet, a claim, and an API token for each role."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from factlog import eventstore
from factlog.database import get_database
from tests.conftest import bearer


@dataclass
class Newsroom:
    speaker_id: str
    outlet_id: str
    claim_id: str
    tokens: dict[str, dict] = field(default_factory=dict)  # principal -> headers

    def claim_body(self, **fields) -> dict:
        """A valid RecordClaim body (a new claim each time unless claim_id is given)."""
        return {"summary": "The envoy said the ties are deepening.", "speaker_id": self.speaker_id,
                "cue": "said", "report": {"links": [{"source_id": self.outlet_id, "relation": "citing",
                                                     "url": "https://example.org/a"}]}, **fields}


# The API's principals: who holds which token.
API_PRINCIPALS = {
    "anonymous": None,
    "read token": ("editor", "read"),
    "write token": ("editor", "write"),
    "fact-checker": ("fact_checker", "write"),
    "admin": ("admin", "write"),
}


def count_events(app) -> int:
    with get_database(app).session() as session:
        return eventstore.count_events(session)


@pytest.fixture
def newsroom(app, client, make_token) -> Newsroom:
    tokens = {name: {} if spec is None else bearer(make_token(*spec))
              for name, spec in API_PRINCIPALS.items()}
    writer = tokens["write token"]

    def post(path, body):
        response = client.post(path, json=body, headers=writer)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    speaker = post("/api/v1/sources", {"kind": "person", "name": "Tim Lenderking"})
    outlet = post("/api/v1/sources", {"kind": "outlet", "name": "QiOSK"})
    room = Newsroom(speaker, outlet, "", tokens)
    room.claim_id = post("/api/v1/claims", room.claim_body())
    return room
