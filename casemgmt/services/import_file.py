"""The files `spoc cases import` reads and writes: a JSON list of intake payloads or a CSV of the
import's columns (entities as JSON or in the simple person / vehicle / phone / e-mail columns), and the
CSV of the rejected rows written next to the input, ready to correct and import again (issue 25)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from portal.errors import RuleError

# CSV columns; entities go in `entities` as JSON, or in the simple person/vehicle/phone/email columns
CSV_COLUMNS = ["channel", "channel_reason", "channel_reason_text", "direction", "type", "external_reference",
               "external_references", "received_at", "urgent", "urgency_ground", "information_access",
               "counterpart_country", "counterpart_type", "language", "subject", "body", "crime_category",
               "entities", "person_surname", "person_given_names", "person_date_of_birth", "person_nationality",
               "vehicle_plate", "vehicle_country", "phone", "email",
               # the other fields of the payload (casemgmt.schemas.IntakePayload); counterpart and
               # attachments as JSON, as entities
               "counterpart", "legal_framework", "handling_code", "handling_text", "source_code",
               "information_code", "attachments"]
JSON_COLUMNS = ("entities", "counterpart", "attachments")
# the columns of a file of rejected rows (write_rejected), which is imported again once corrected
REPORT_COLUMNS = ["import_row", "import_errors"]

class ImportFileError(RuleError):
    """The import file cannot be read (its format, its header): the user's bad input, about the file (422)."""

    def __init__(self, message: str, field: str | None = "file", **params):
        super().__init__(message, field, **params)


def read_rows(filename: str, content: bytes) -> list[dict]:
    """The file's rows as payload dictionaries (before validation)."""
    text = content.decode("utf-8-sig", errors="strict") if content else ""
    if filename.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError("The file is not valid JSON: %(problem)s at line %(line)s.", problem=exc.msg,
                                  line=exc.lineno) from None
        if isinstance(data, dict) and isinstance(data.get("messages"), list):
            data = data["messages"]
        if not isinstance(data, list):
            raise ImportFileError('The JSON file must hold a list of messages (or {"messages": [...]}).')
        return data
    if filename.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        unknown = set(reader.fieldnames or []) - set(CSV_COLUMNS) - set(REPORT_COLUMNS)
        if unknown:
            raise ImportFileError("Unknown CSV columns: %(columns)s.", columns=", ".join(sorted(unknown)))
        return [_from_csv(row) for row in reader]
    raise ImportFileError("Give a .json or .csv file.")


def _from_csv(row: dict) -> dict:
    data: dict = {k: v.strip() for k, v in row.items()
                  if k and k not in REPORT_COLUMNS and v is not None and v.strip() != ""}
    if "urgent" in data:
        data["urgent"] = data["urgent"].lower() in ("1", "true", "yes", "y")
    for col in ("counterpart", "attachments"):
        if col in data:
            try:
                data[col] = json.loads(data[col])
            except json.JSONDecodeError:
                pass  # the model reports it as not an object / not a list
    if data.get("external_references", "").startswith("["):
        try:
            data["external_references"] = json.loads(data["external_references"])
        except json.JSONDecodeError:
            pass
    elif "external_references" in data:
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


def rejected_path(source: Path) -> Path:
    """Where the rejected rows of SOURCE are written: next to it, SOURCE.rejected.csv."""
    return source.with_name(f"{source.stem}.rejected.csv")


def write_rejected(path: Path, rows: list, report) -> None:
    """The rejected rows as CSV, ready to correct and import again: the row's fields in the import's
    columns (lists and objects as JSON) and, first, its number in the file and the reasons."""
    columns: list[str] = []
    lines = []
    for number, errors in report.rejected:
        data = rows[number - 1]
        line = {"import_row": number, "import_errors": "; ".join(f"{k}: {v}" for k, v in errors.items())}
        if isinstance(data, dict):
            for key, value in data.items():
                if key not in columns:
                    columns.append(key)
                if key == "external_references" and isinstance(value, list) and all(
                        isinstance(r, dict) and set(r) <= {"channel", "reference"} for r in value):
                    value = ";".join(f"{r.get('channel', '')}:{r.get('reference', '')}" for r in value)
                elif isinstance(value, list | dict):
                    value = json.dumps(value, ensure_ascii=False)
                elif isinstance(value, bool):
                    value = "yes" if value else "no"
                line[key] = "" if value is None else value
        lines.append(line)
    ordered = [c for c in CSV_COLUMNS if c in columns] + [c for c in columns if c not in CSV_COLUMNS]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=REPORT_COLUMNS + ordered, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(lines)
