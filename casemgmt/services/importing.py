"""File import (`spoc cases import`): JSON (a list of intake payloads) or CSV (one message a row).

Every row is validated by the same model as the API; each valid row is registered in its own
savepoint, so a row that fails is not half-saved and does not stop the others.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from casemgmt.schemas import validate_intake
from casemgmt.services import CaseError
from casemgmt.services.intake import Uploads, register_incoming_message

# CSV columns; entities go in `entities` as JSON, or in the simple person/vehicle/phone/email columns
CSV_COLUMNS = ["channel", "channel_reason", "channel_reason_text", "direction", "type", "external_reference",
               "external_references", "received_at", "urgent", "urgency_ground", "information_access",
               "counterpart_country", "counterpart_type", "language", "subject", "body", "crime_category",
               "entities", "person_surname", "person_given_names", "person_date_of_birth", "person_nationality",
               "vehicle_plate", "vehicle_country", "phone", "email"]


class ImportFileError(ValueError):
    pass


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    attached: list[tuple[int, str]] = field(default_factory=list)  # (row, existing number)
    rejected: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row, {field: reason})

    @property
    def total(self) -> int:
        return len(self.created) + len(self.attached) + len(self.rejected)


def read_rows(filename: str, content: bytes) -> list[dict]:
    """The file's rows as payload dictionaries (before validation)."""
    text = content.decode("utf-8-sig", errors="strict") if content else ""
    if filename.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
        if isinstance(data, dict) and isinstance(data.get("messages"), list):
            data = data["messages"]
        if not isinstance(data, list):
            raise ImportFileError("the JSON file must hold a list of messages (or {\"messages\": [...]})")
        return data
    if filename.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        unknown = set(reader.fieldnames or []) - set(CSV_COLUMNS)
        if unknown:
            raise ImportFileError(f"unknown CSV columns: {', '.join(sorted(unknown))}")
        return [_from_csv(row) for row in reader]
    raise ImportFileError("give a .json or .csv file")


def _from_csv(row: dict) -> dict:
    data: dict = {k: v.strip() for k, v in row.items() if k and v is not None and v.strip() != ""}
    if "urgent" in data:
        data["urgent"] = data["urgent"].lower() in ("1", "true", "yes", "y")
    if "external_references" in data:
        refs = []
        for item in data["external_references"].split(";"):
            channel, _, ref = item.strip().partition(":")
            refs.append({"channel": channel.strip(), "reference": ref.strip()})
        data["external_references"] = refs
    entities = []
    if "entities" in data:
        try:
            entities = json.loads(data["entities"])
        except json.JSONDecodeError:
            entities = data["entities"]  # the model reports it as not a list
    if "person_surname" in data:
        person = {"kind": "person", "surname": data.pop("person_surname")}
        for col, key in (("person_given_names", "given_names"), ("person_date_of_birth", "date_of_birth"),
                         ("person_nationality", "nationality")):
            if col in data:
                person[key] = data.pop(col)
        entities = [*entities, person] if isinstance(entities, list) else entities
    if "vehicle_plate" in data:
        vehicle = {"kind": "vehicle", "plate": data.pop("vehicle_plate"), "country": data.pop("vehicle_country", None)}
        entities = [*entities, vehicle] if isinstance(entities, list) else entities
    for col in ("phone", "email"):
        if col in data:
            item = {"kind": col, "number" if col == "phone" else "address": data.pop(col)}
            entities = [*entities, item] if isinstance(entities, list) else entities
    for col in ("person_given_names", "person_date_of_birth", "person_nationality", "vehicle_country"):
        data.pop(col, None)
    data["entities"] = entities
    return data


def import_rows(session: Session, country_code: str, rows: list, actor, uploads: Uploads | None = None,
                progress: Callable[[Iterable], Iterable] | None = None) -> ImportReport:
    """Validate and register each row in its own savepoint; the caller commits the whole."""
    report = ImportReport()
    numbered = list(enumerate(rows, start=1))
    for number, data in (progress(numbered) if progress else numbered):
        payload, errors = validate_intake(data)
        if payload is None:
            report.rejected.append((number, errors))
            continue
        try:
            with session.begin_nested():
                result = register_incoming_message(session, country_code, payload, actor, uploads=uploads,
                                                   source="file import")
        except CaseError as exc:
            report.rejected.append((number, {exc.field or "row": str(exc)}))
            continue
        if result.created:
            report.created.append(result.case.registration_number)
        else:
            report.attached.append((number, result.duplicate_of))
    return report
