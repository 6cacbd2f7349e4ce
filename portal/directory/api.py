"""The directory in the JSON API: the SPOC records of the network's countries, as the directory pages show them."""

from __future__ import annotations

import datetime as dt

from flask import jsonify
from pydantic import BaseModel, Field

from portal import policy
from portal.api import APIError, current_api_user, endpoint
from portal.db import get_session
from portal.directory.services.records import SpocRecord, spoc_record, spoc_records


class DirectorySpoc(BaseModel):
    country: str = Field(description="Country code, EU style (EL for Greece)")
    iso_code: str = Field(description="ISO 3166-1 alpha-2 code (GR for Greece)")
    country_name: str
    name: str = Field(description="Name of the Single Point of Contact")
    address: str
    phone_24_7: str = Field(description="24/7 phone number in E.164 form, or empty")
    email: str = Field(description="Functional email, or empty")
    languages: list[str] = Field(description="Languages accepted (ISO 639-1 codes)")
    head_name: str = Field(description="Head of the SPOC, or empty")
    bound_by_2023_977: bool = Field(description="Whether the country is bound by Directive (EU) 2023/977")
    updated_at: dt.datetime | None = Field(description="When the record was last changed (UTC)")


def _json(record: SpocRecord) -> dict:
    return DirectorySpoc(**record.__dict__).model_dump(mode="json")


def _ensure_directory_reader():
    if not policy.can_view_directory(current_api_user()):
        raise APIError(404, "not_found", "Nothing here for this user.")


@endpoint("/directory/spocs", summary="The SPOC records of every country of the network, in the directory's order",
          tag="directory", response=list[DirectorySpoc], statuses=(404,))
def directory_spocs():
    _ensure_directory_reader()
    return jsonify([_json(r) for r in spoc_records(get_session())])


@endpoint("/directory/spocs/<code>", summary="The SPOC record of one country (EU-style code, e.g. BE, EL)",
          tag="directory", response=DirectorySpoc, statuses=(404,))
def directory_spoc(code: str):
    _ensure_directory_reader()
    record = spoc_record(get_session(), code)
    if record is None:
        raise APIError(404, "not_found", "No such country.")
    return jsonify(_json(record))
