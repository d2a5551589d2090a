"""A claim's attribution rows (pure): each report's chain and origin, the carriers and which was first, who
cites whom, corroboration. The attribution projector writes them; as-of views compute them for claims folded
up to a past position.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from factlog.readmodels.cards import chain_links, claim_card, source
from factlog.readmodels.claim_state import OUTLET, DateInfo, chain, date_info, status
from factlog.readmodels.source_info import SourceInfo

_UNKNOWN_DATE = date_info(None)


def origin_index(infos: Sequence[SourceInfo], link_count: int) -> int:
    """Where a report's chain starts: its deepest publication, the one closest to the speaker.

    That is the last link, or the speaker itself when it is an outlet that is not a link. Every link before
    the origin only relays it ("QiOSK citing Reuters": Reuters is the origin, QiOSK a relay). Origins are
    counted by publisher, so a desk (QiOSK) and its outlet (Responsible Statecraft) count once.
    """
    if len(infos) > link_count and infos[-1].kind == OUTLET:
        return len(infos) - 1
    return link_count - 1


def rows_for(state: Mapping[str, Any], sources: Mapping[str, SourceInfo],
             card: dict[str, Any] | None = None) -> dict[str, list[dict]]:
    """Every attribution row of one claim (pure): claim, reports, carriers, citations; ``card``: its
    ``claim_card``, when already computed."""
    claim_id = state["claim_id"]
    speaker = source(sources, state["speaker_id"])
    reports, citations = [], []
    carriers: dict[str, dict[str, Any]] = {}
    origins: list[str] = []
    cited_by: set[tuple[str, str]] = set()  # (report, citing source): merged sources can repeat in a chain

    def carried(info: SourceInfo, when: DateInfo, position: int, details: dict, *, publication: bool,
                independent: bool) -> None:
        row = carriers.get(info.source_id)
        if row is None or (when.unknown, when.start, when.end, position) < (
                row["published_unknown"], row["published_start"], row["published_end"], row["position"]):
            earlier = row or {}
            row = carriers[info.source_id] = {
                "claim_id": claim_id, "source_id": info.source_id, "kind": info.kind,
                "published_unknown": when.unknown, "published_start": when.start, "published_end": when.end,
                "position": position, "details": details, "is_first": False,
                "independent": earlier.get("independent", False), "publication": earlier.get("publication", False)}
        row["independent"] |= independent
        row["publication"] |= publication

    for report in state["reports"]:
        ids = chain(state, report)
        infos = [source(sources, source_id) for source_id in ids]
        start = origin_index(infos, len(report["links"]))
        origins.append(infos[start].publisher_id)
        links = chain_links(state, report, sources)
        reports.append({"claim_id": claim_id, "report_id": report["report_id"], "position": report["position"],
                        "publication_id": infos[0].source_id, "origin_id": infos[start].publisher_id,
                        "relay": start > 0, "chain": links})
        for number, (info, link) in enumerate(zip(infos, links)):
            when = date_info(report["links"][number]["published_on"]) if number < len(report["links"]) \
                else _UNKNOWN_DATE
            if number < len(report["links"]) or info.kind == OUTLET:
                details = {"name": info.name, "url": link["url"], "headline": link["headline"],
                           "published_on": link["published_on"] or _UNKNOWN_DATE.to_json()}
                carried(info, when, report["position"], details, publication=number == 0,
                        independent=number == start)
            if number + 1 < len(infos) and infos[number + 1].source_id != info.source_id \
                    and (report["report_id"], info.source_id) not in cited_by:
                cited_by.add((report["report_id"], info.source_id))
                cited = infos[number + 1]
                citations.append({"claim_id": claim_id, "report_id": report["report_id"],
                                  "citing_id": info.source_id, "cited_id": cited.source_id,
                                  "citing_kind": info.kind, "cited_kind": cited.kind,
                                  "relation": report["links"][number].get("relation")})
    # A relay never comes before the outlet it cites, even when only the relay is dated: the first is the
    # earliest of the origins (unknown dates last, then the order the reports were recorded in).
    candidates = [row for row in carriers.values() if row["independent"]]
    first = min(candidates, key=lambda row: (row["published_unknown"], row["published_start"],
                                             row["published_end"], row["position"])) if candidates else None
    if first is not None:
        first["is_first"] = True
    independent = len(set(origins))
    said = date_info(state.get("said_on"))
    claim = {"claim_id": claim_id, "position": state["position"], "speaker_id": speaker.source_id,
             "speaker_role": state.get("speaker_role"), "said_unknown": said.unknown, "said_start": said.start,
             "said_end": said.end, "status": status(state),
             "first_source_id": first["source_id"] if first else None,
             "independent_outlets": independent, "single_source": independent <= 1,
             "card": claim_card(state, sources) if card is None else card}
    return {"claims": [claim], "reports": reports, "carriers": list(carriers.values()), "citations": citations}
