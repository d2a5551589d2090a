"""The seed digest plus what the exports need to show that it does not have: verdicts, pages with URLs, a
correction, a retraction, and a claim whose words are markup and a spreadsheet formula."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from factlog.importer import import_file
from factlog.readmodels import queries
from tests.support.newsroom import Newsroom
from tests.support.web import project

DEMO = Path(__file__).resolve().parents[2] / "factlog" / "demo" / "seed-digest.yaml"
HOSTILE_QUOTE = "</script><script>alert('x')</script> & <!-- more"
FORMULA_SUMMARY = "=HYPERLINK(\"https://evil.example\",\"click\") said nothing"


@dataclass
class Seeded:
    reviewed: list[str] = field(default_factory=list)  # claim ids with a verdict
    unreviewed: str = ""
    hostile: str = ""
    corrected: str = ""
    retracted: str = ""
    with_pages: str = ""
    sources: dict[str, str] = field(default_factory=dict)


def _claim(session, words: str) -> str:
    [hit] = queries.search(session, words, kind="claim")
    session.rollback()
    return hit["id"]


def _source(session, name: str) -> str:
    [hit] = [h for h in queries.search(session, name, kind="source") if h["title"] == name]
    session.rollback()
    return hit["id"]


def seed(db, session) -> Seeded:
    """Import and project the seed digest, then record verdicts, pages, a correction and a retraction."""
    import_file(session, DEMO, "demo")
    session.commit()
    project(db, session)
    out = Seeded()
    room = Newsroom(session)
    for name in ("QiOSK", "Reuters", "The New York Times", "Nick Brown"):
        out.sources[name] = _source(session, name)
        room.ids[name] = uuid.UUID(out.sources[name])
    brown = uuid.UUID(_claim(session, "longest-range weapon Europe"))
    reuters = uuid.UUID(_claim(session, "ATACMS Kursk"))
    room.report(brown, room.chain(("QiOSK", "quoting", "2024-11-27"),
                                  ("The New York Times", "citing", "2024-11-22")))
    room.verdict(brown, "mostly-true", "The Times reported it; the range figure matches public estimates.")
    room.verdict(reuters, "unproven", "No second source.")
    out.reviewed, out.with_pages = [str(brown), str(reuters)], str(brown)
    out.hostile = str(room.claim(FORMULA_SUMMARY, "Nick Brown", room.chain(("Reuters", "citing", "2024-11")),
                                 said_on="2024-11", quote=HOSTILE_QUOTE, topics=["exports"], role="-analyst"))
    room.verdict(uuid.UUID(out.hostile), "false", "<b>Never said.</b>")
    out.reviewed.append(out.hostile)
    out.unreviewed = _claim(session, "missile plant")
    out.corrected = out.unreviewed
    room.correct(uuid.UUID(out.corrected), "summary", "North Korea is expanding a short-range missile plant.",
                 "wording <em>tightened</em>")
    out.retracted = _claim(session, "Strait of Hormuz radio")
    room.retract(uuid.UUID(out.retracted), "the <script>report</script> was withdrawn")
    project(db, session)
    return out
