"""The accounts domain's API endpoint: who the bearer token belongs to."""

from __future__ import annotations

from flask import jsonify
from pydantic import BaseModel

from portal.api import current_api_user, endpoint


class Me(BaseModel):
    id: int
    email: str
    name: str
    role: str
    country: str | None
    agency: str | None


@endpoint("/me", summary="The token's user, role and country", tag="accounts", response=Me)
def me():
    user = current_api_user()
    return jsonify(Me(id=user.id, email=user.email, name=user.name, role=user.role,
                      country=user.country_code, agency=user.agency_code).model_dump())
