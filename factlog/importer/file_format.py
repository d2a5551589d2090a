"""Read an import file and turn it into commands, checking every record before anything is written.

Records name each other by ``key``; ids are uuid5 of the file's ``namespace`` and the key, so importing the
same file again finds the same streams. Each command's idempotency key includes a digest of its record: an
unchanged record records nothing, a changed one is refused with a message instead of silently skipped.
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError

from factlog.claims.schemas import AddReportSchema, LinkClaimsSchema, LinkSchema, RecordClaimSchema
from factlog.sources.schemas import RegisterSourceSchema

FORMAT = "factlog-import/1"
ID_NAMESPACE = uuid.UUID("6f1c8a52-3c1e-4b8e-9a57-1d0f3f6c2b90")  # never change: it fixes every imported id
PLACEHOLDER_ID = uuid.UUID(int=0)  # stands in for a reference already reported as broken
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
TOP_LEVEL = {"format", "namespace", "description", "sources", "publications", "claims"}
# Command field -> the file's name for it, so that messages speak the file's language.
FILE_NAMES = {
    "affiliation_id": "affiliation", "member_ids": "members", "speaker_id": "speaker",
    "quote_source_id": "quote_source", "source_id": "source", "links": "chain", "target_claim_id": "claim",
}
SOURCE_FIELDS = {"key", "kind", "name", "description", "aliases", "affiliation", "members", "url",
                 "confirm_new"}
PUBLICATION_FIELDS = {"key", "source", "url", "headline", "published_on", "as_written"}
CLAIM_FIELDS = {"key", "summary", "quote", "quote_source", "speaker", "speaker_role", "speaker_as_written",
                "cue", "said_on", "happened_on", "topics", "note", "reports", "links"}
CHAIN_LINK_FIELDS = {"source", "publication", "relation", "url", "headline", "published_on", "as_written"}
CLAIM_LINK_FIELDS = {"relation", "claim", "note"}


class ImportFileError(Exception):
    """The file cannot be imported; ``problems`` lists each record and field at fault."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Step:
    """One command of the import, where it came from, and its idempotency key."""

    where: str  # "claims[3] 'nick-brown-longest-range'"
    command: Any
    idempotency_key: str


@dataclass
class ImportPlan:
    namespace: str
    sources: list[Step] = field(default_factory=list)
    claims: list[Step] = field(default_factory=list)
    reports: list[Step] = field(default_factory=list)  # later reports, after each claim's first
    links: list[Step] = field(default_factory=list)
    existing: dict[str, str] = field(default_factory=dict)  # key -> name of a source already recorded


class _YamlLoader(yaml.SafeLoader):
    """Safe YAML that keeps 2024-11-27 as text: dates are parsed by factlog, with their precision."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_file(path: Path) -> dict[str, Any]:
    """Parse a .yaml/.yml or .json file; ImportFileError says what is wrong with it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError([f"cannot read {path}: {error}"]) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.load(text, Loader=_YamlLoader)
    except (ValueError, yaml.YAMLError) as error:
        raise ImportFileError([f"{path.name} is not valid {'JSON' if path.suffix == '.json' else 'YAML'}: "
                               f"{error}"]) from None
    if not isinstance(data, dict):
        raise ImportFileError([f"{path.name}: the file must be a mapping with format, namespace, sources, "
                               "claims"])
    return data


def record_id(namespace: str, kind: str, key: str) -> uuid.UUID:
    """The id of record ``key`` (kind "source", "claim" or "report") in a file with this namespace."""
    return uuid.uuid5(ID_NAMESPACE, f"{namespace}/{kind}/{key}")


def build_plan(data: Mapping[str, Any],
               existing_ids: Callable[[str], uuid.UUID | None] | None = None, *,
               meant: Callable[[str], str | None] | None = None) -> ImportPlan:
    """Check the whole file and build its commands; ``existing_ids`` finds sources named by ``existing:``,
    ``meant`` says which recorded source a name it does not find may mean."""
    problems: list[str] = []
    unknown = sorted(set(data) - TOP_LEVEL)
    if unknown:
        problems.append(f"unknown top-level field(s): {', '.join(unknown)}")
    if data.get("format") != FORMAT:
        problems.append(f"format: must be {FORMAT!r}")
    namespace = data.get("namespace")
    if not isinstance(namespace, str) or not KEY_PATTERN.match(namespace):
        problems.append("namespace: required, lowercase letters, digits, '.', '_' or '-' "
                        "(e.g. 'qiosk-2024-11')")
    if problems:
        raise ImportFileError(problems)

    plan = ImportPlan(namespace)
    builder = _Builder(plan, problems, existing_ids, meant)
    source_ids = builder.sources(_records(data, "sources", problems))
    publications = builder.publications(_records(data, "publications", problems), source_ids)
    builder.claims(_records(data, "claims", problems), source_ids, publications)
    if problems:
        raise ImportFileError(problems)
    return plan


def _records(data: Mapping[str, Any], section: str, problems: list[str]) -> list[tuple[str, dict]]:
    records = data.get(section) or []
    if not isinstance(records, list):
        problems.append(f"{section}: must be a list of records")
        return []
    keyed, seen = [], set()
    for number, record in enumerate(records):
        where = f"{section}[{number}]"
        if not isinstance(record, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        key = record.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            problems.append(f"{where}: key: required, lowercase letters, digits, '.', '_' or '-'")
            continue
        if key in seen:
            problems.append(f"{where} {key!r}: key: used twice in {section}")
            continue
        seen.add(key)
        keyed.append((f"{where} {key!r}", record))
    return keyed


class _Builder:
    def __init__(self, plan: ImportPlan, problems: list[str], existing_ids, meant=None) -> None:
        self.plan, self.problems, self.existing_ids, self.meant = plan, problems, existing_ids, meant

    def id_for(self, kind: str, key: str) -> uuid.UUID:
        return record_id(self.plan.namespace, kind, key)

    def known_fields(self, where: str, record: dict, allowed: set[str]) -> bool:
        unknown = sorted(set(record) - allowed)
        if unknown:
            self.problems.extend(f"{where}: {name}: unknown field" for name in unknown)
        return not unknown

    def step(self, where: str, kind: str, key: str, schema: Schema, payload: dict,
             renames: Mapping[str, str] = FILE_NAMES) -> Step | None:
        try:
            command = schema.load(payload)
        except ValidationError as error:
            self.problems.extend(f"{where}: {message}" for message in _flatten(error.messages, renames))
            return None
        digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
                                .encode("utf-8")).hexdigest()[:16]
        return Step(where, command, f"import:{self.plan.namespace}:{kind}:{key}:{digest}")

    def ref(self, where: str, field_name: str, key: Any, ids: Mapping[str, uuid.UUID],
            what: str) -> str | None:
        """The id of the record ``key`` names; a problem (and None) when the file has no such record."""
        if key is None:
            return None
        if not isinstance(key, str) or key not in ids:
            self.problems.append(f"{where}: {field_name}: no {what} with key {key!r} in this file")
            return str(PLACEHOLDER_ID)  # reported once, here: the schema should not also call it missing
        return str(ids[key])

    def sources(self, records: list[tuple[str, dict]]) -> dict[str, uuid.UUID]:
        ids = {record["key"]: self._existing(where, record) if "existing" in record
               else self.id_for("source", record["key"]) for where, record in records}
        for where, record in records:
            if "existing" in record or not self.known_fields(where, record, SOURCE_FIELDS):
                continue
            payload = {name: value for name, value in record.items()
                       if name not in ("key", "affiliation", "members")}
            payload["source_id"] = str(ids[record["key"]])
            if "affiliation" in record:
                payload["affiliation_id"] = self.ref(where, "affiliation", record["affiliation"], ids,
                                                     "source")
            if "members" in record:
                members = record["members"] if isinstance(record["members"], list) else [record["members"]]
                payload["member_ids"] = [self.ref(where, "members", member, ids, "source")
                                         for member in members]
            step = self.step(where, "source", record["key"], RegisterSourceSchema(), payload)
            if step:
                self.plan.sources.append(step)
        return ids

    def _existing(self, where: str, record: dict) -> uuid.UUID:
        name = record["existing"]
        self.known_fields(where, record, {"key", "existing"})
        found = self.existing_ids(name) if self.existing_ids and isinstance(name, str) else None
        if found is None:
            hint = self.meant(name) if self.meant and isinstance(name, str) else None
            self.problems.append(f"{where}: existing: no recorded source is named {name!r}"
                                 + (f"; did you mean {hint}?" if hint else ""))
            return PLACEHOLDER_ID
        self.plan.existing[record["key"]] = name
        return found

    def publications(self, records, source_ids) -> dict[str, dict]:
        """Publications are link templates: a chain's first link usually names one."""
        publications = {}
        for where, record in records:
            if not self.known_fields(where, record, PUBLICATION_FIELDS):
                continue
            link = {name: value for name, value in record.items() if name not in ("key", "source")}
            link["source_id"] = self.ref(where, "source", record.get("source"), source_ids, "source")
            try:
                LinkSchema().load(link)
            except ValidationError as error:
                self.problems.extend(f"{where}: {line}" for line in _flatten(error.messages, FILE_NAMES))
                link = {"source_id": str(PLACEHOLDER_ID)}  # reported here, not again in every chain using it
            publications[record["key"]] = link
        return publications

    def claims(self, records, source_ids, publications) -> None:
        claim_ids = {record["key"]: self.id_for("claim", record["key"]) for _, record in records}
        for where, record in records:
            key = record["key"]
            if not self.known_fields(where, record, CLAIM_FIELDS):
                continue
            reports = record.get("reports")
            if not isinstance(reports, list) or not reports:
                self.problems.append(f"{where}: reports: a claim needs at least one report (its chain)")
                continue
            built = [self._report(f"{where}: reports[{number}]", report, key, number, source_ids,
                                  publications) for number, report in enumerate(reports)]
            payload = {name: value for name, value in record.items()
                       if name not in ("key", "reports", "links", "speaker", "quote_source")}
            payload.update(claim_id=str(claim_ids[key]), report=built[0],
                           speaker_id=self.ref(where, "speaker", record.get("speaker"), source_ids, "source"))
            if "quote_source" in record:
                payload["quote_source_id"] = self.ref(where, "quote_source", record["quote_source"],
                                                      source_ids, "source")
            step = self.step(where, "claim", key, RecordClaimSchema(), payload,
                             {**FILE_NAMES, "report": "reports[0]"})
            if step:
                self.plan.claims.append(step)
            for number, report in enumerate(built[1:], start=1):
                payload = {"claim_id": str(claim_ids[key]), "expected_version": 1, "report": report}
                step = self.step(where, "report", f"{key}.{number}", AddReportSchema(), payload,
                                 {**FILE_NAMES, "report": f"reports[{number}]"})
                if step:
                    self.plan.reports.append(step)
            links = record.get("links") or []
            if not isinstance(links, list):
                self.problems.append(f"{where}: links: must be a list of {{relation, claim, note}}")
                continue
            for number, link in enumerate(links):
                self._link(f"{where}: links[{number}]", link, key, number, claim_ids)

    def _report(self, where, report, claim_key, number, source_ids, publications) -> dict:
        if not isinstance(report, dict) or not isinstance(report.get("chain"), list):
            self.problems.append(f"{where}: must be a mapping with a chain (a list of links)")
            return {}
        self.known_fields(where, report, {"chain"})
        links = []
        for position, link in enumerate(report["chain"]):
            at = f"{where}.chain[{position}]"
            if not isinstance(link, dict):
                self.problems.append(f"{at}: must be a mapping naming a source or a publication")
                continue
            if not self.known_fields(at, link, CHAIN_LINK_FIELDS):
                continue
            link = dict(link)
            if "publication" in link:
                publication = publications.get(link.pop("publication"))
                if publication is None:
                    self.problems.append(f"{at}: publication: no publication with that key in this file")
                    continue
                if "source" in link:
                    self.problems.append(f"{at}: name a source or a publication, not both")
                link = {**publication, **link}
            elif "source" in link:
                link["source_id"] = self.ref(at, "source", link.pop("source"), source_ids, "source")
            else:
                self.problems.append(f"{at}: a link names a source or a publication")
                continue
            links.append(link)
        return {"report_id": str(self.id_for("report", f"{claim_key}.{number}")), "links": links}

    def _link(self, where, link, claim_key, number, claim_ids) -> None:
        if not isinstance(link, dict):
            self.problems.append(f"{where}: must be a mapping with relation and claim")
            return
        if not self.known_fields(where, link, CLAIM_LINK_FIELDS):
            return
        payload = {name: value for name, value in link.items() if name != "claim"}
        payload.update(claim_id=str(claim_ids[claim_key]), expected_version=1,
                       target_claim_id=self.ref(where, "claim", link.get("claim"), claim_ids, "claim"))
        step = self.step(where, "link", f"{claim_key}.{number}", LinkClaimsSchema(), payload)
        if step:
            self.plan.links.append(step)


def _flatten(messages: Any, renames: Mapping[str, str], path: str = "") -> list[str]:
    """Marshmallow's nested messages as "field.sub[2].name: message" lines, in the file's field names."""
    if isinstance(messages, list):
        return [f"{path}: {message}" if path else str(message) for message in messages
                if not isinstance(message, (dict, list))] + [
            line for message in messages if isinstance(message, (dict, list))
            for line in _flatten(message, renames, path)]
    lines = []
    for name, value in messages.items():
        name = renames.get(str(name), str(name))
        if isinstance(name, str) and name.isdigit():
            child = f"{path}[{name}]"
        else:
            child = f"{path}.{name}" if path else name
        lines.extend(_flatten(value, renames, child))
    return lines
