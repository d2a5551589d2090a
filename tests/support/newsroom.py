"""Record sources and claims through the domain's own commands, for read-model and worker tests."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa

from factlog import claims, sources
from factlog.claims import dates
from factlog.claims.events import Link, Report
from factlog.sources.commands import MergeSources, RegisterSource

ACTOR = "tester@example.org"


class Newsroom:
    """Registers sources by name and records claims about them, committing each command."""

    def __init__(self, session):
        self.session = session
        self.ids: dict[str, uuid.UUID] = {}
        self.positions: list[int] = []

    def _run(self, service, command):
        result = service.run(self.session, command, ACTOR)
        self.positions.extend(result.positions)
        return result

    def source(self, name: str, kind: str = "outlet", **extra) -> uuid.UUID:
        source_id = uuid.uuid4()
        self._run(sources, RegisterSource(source_id, kind, name, confirm_new=True, **extra))
        self.ids[name] = source_id
        return source_id

    def person(self, name: str) -> uuid.UUID:
        return self.source(name, "person")

    def chain(self, *hops: tuple, published_on: str = "unknown") -> Report:
        """``("Responsible Statecraft", "citing", "2024-11-20"), ("The New York Times", "quoting")``."""
        links = []
        for hop in hops:
            name, relation = hop[0], hop[1] if len(hop) > 1 else None
            when = hop[2] if len(hop) > 2 else published_on
            url = f"https://example.org/{name.replace(' ', '-')}/{uuid.uuid4().hex[:6]}"
            links.append(Link(self.ids[name], relation, url, None, dates.parse(when)))
        return Report(uuid.uuid4(), tuple(links))

    def record_claim(self, summary: str, speaker: str, report: Report, *, said_on: str = "unknown",
                     happened_on: str = "unknown", quote: str | None = None, topics: Sequence[str] = (),
                     role: str | None = None) -> claims.RecordClaim:
        return claims.RecordClaim(uuid.uuid4(), summary, self.ids[speaker], "said", report, dates.parse(said_on),
                                  dates.parse(happened_on), quote=quote, speaker_role=role, topics=tuple(topics))

    def claim(self, summary: str, speaker: str, report: Report, **fields) -> uuid.UUID:
        command = self.record_claim(summary, speaker, report, **fields)
        self._run(claims, command)
        return command.claim_id

    def version(self, claim_id: uuid.UUID) -> int:
        return claims.load_claim(self.session, claim_id).version

    def report(self, claim_id: uuid.UUID, report: Report) -> None:
        self._run(claims, claims.AddReport(claim_id, self.version(claim_id), report))

    def correct(self, claim_id: uuid.UUID, field: str, value, reason: str = "misread") -> None:
        if field in ("said_on", "happened_on"):
            value = dates.parse(value)
        self._run(claims, claims.CorrectClaim(claim_id, self.version(claim_id), field, value, reason))

    def retract(self, claim_id: uuid.UUID, reason: str = "the report was withdrawn") -> None:
        self._run(claims, claims.RetractClaim(claim_id, self.version(claim_id), reason))

    def verdict(self, claim_id: uuid.UUID, rating: str, explanation: str = "checked") -> None:
        self._run(claims, claims.GiveVerdict(claim_id, self.version(claim_id), uuid.uuid4(), "factlog", rating,
                                             explanation))

    def merge(self, duplicate: str, survivor: str) -> None:
        source = sources.load_source(self.session, self.ids[duplicate])
        into = sources.load_source(self.session, self.ids[survivor])
        self._run(sources, MergeSources(source.source_id, into.source_id, "same outlet", source.version,
                                        into.version))


def dump_read_models(session) -> dict[str, list[tuple]]:
    """Every read-model row in a stable order (search document ids, which a rebuild renumbers, left out)."""
    from workers.projectors import all_projections

    dumped = {}
    for projection in all_projections():
        for table in projection.read_model.tables:
            columns = [c for c in table.columns if c.name not in ("id", "document")]
            keys = [table.c.doc_key] if table.name == "search_documents" else list(table.primary_key.columns)
            dumped[table.name] = [tuple(row) for row in session.execute(sa.select(*columns).order_by(*keys))]
    session.rollback()
    return dumped
