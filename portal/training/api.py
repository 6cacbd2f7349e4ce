"""Training in the JSON API: the activities, the nominations the token's user may see, the needs matrix."""

from __future__ import annotations

import datetime as dt

from flask import jsonify
from pydantic import BaseModel, Field
from sqlalchemy import select

from portal import policy
from portal.api import APIError, current_api_user, endpoint
from portal.db import get_session
from portal.training.models import Activity, Nomination
from portal.training.services.needs import needs_matrix


class Training(BaseModel):
    id: int
    title: str
    start: dt.date = Field(description="First day (ISO 8601 date)")
    end: dt.date = Field(description="Last day (ISO 8601 date)")
    format: str = Field(description="classroom, online or exchange")
    capacity: int
    cepol_support: bool
    status: str = Field(description="planned, open (for nominations), held or cancelled")


class TrainingNomination(BaseModel):
    id: int
    country: str = Field(description="Country code of the nominee's SPOC (EU style, e.g. BE, EL)")
    name: str
    status: str = Field(description="nominated, waiting (waiting list), confirmed or withdrawn")


class TrainingNeeds(BaseModel):
    topics: list[str] = Field(description="Topic keys, in the order of the managed list")
    countries: dict[str, dict[str, bool]] = Field(
        description="Country code -> topic key -> whether the country's latest submitted questionnaire "
                    "answer names the topic as a training need")


@endpoint("/trainings", summary="Training activities", tag="training", response=list[Training], statuses=(404,))
def trainings():
    user = current_api_user()
    if not policy.can_view_trainings(user):
        raise APIError(404, "not_found", "Nothing here for this user.")
    rows = get_session().scalars(select(Activity).order_by(Activity.start_date, Activity.id))
    return jsonify([Training(id=a.id, title=a.title, start=a.start_date, end=a.end_date, format=a.format,
                             capacity=a.capacity, cepol_support=a.cepol_support, status=a.status)
                    .model_dump(mode="json") for a in rows])


@endpoint("/trainings/<int:training_id>/nominations", summary="Nominations for a training activity that the "
          "token's user may see (a Head of SPOC only their own country's)", tag="training",
          response=list[TrainingNomination])
def training_nominations(training_id: int):
    user = current_api_user()
    session = get_session()
    activity = session.get(Activity, training_id)
    if activity is None or not policy.can_view_trainings(user):
        raise APIError(404, "not_found", "No such training activity.")
    rows = session.scalars(policy.visible_nominations(user).where(Nomination.activity_id == activity.id)
                           .order_by(Nomination.country_code, Nomination.id))
    return jsonify([TrainingNomination(id=n.id, country=n.country_code, name=n.nominee_name, status=n.status)
                    .model_dump() for n in rows])


@endpoint("/training-needs", summary="The training-needs matrix (topic x country) from the questionnaire",
          tag="training", response=TrainingNeeds, statuses=(404,))
def training_needs():
    user = current_api_user()
    if not policy.can_view_training_needs(user):
        raise APIError(404, "not_found", "Nothing here for this user.")
    matrix = needs_matrix(get_session(), policy.training_needs_countries(user))
    return jsonify(TrainingNeeds(**matrix.as_api()).model_dump())
