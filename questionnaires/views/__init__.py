"""Pages of the questionnaires: rounds for the secretariat, and the answering page of a country."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from portal import policy
from portal.db import get_session
from questionnaires.models import MAX_ID, Response, Round
from questionnaires.services.responses import get_response

bp = Blueprint("questionnaires", __name__, url_prefix="/questionnaires", template_folder="../templates")


def load_round(round_id: int) -> Round:
    """The round if it exists and the user may see it; 404 otherwise."""
    round_ = get_session().get(Round, round_id) if 0 < round_id <= MAX_ID else None
    policy.ensure(round_ is not None and policy.can_view_round(current_user, round_))
    return round_


def load_response(round_id: int, country: str) -> tuple[Round, Response]:
    """The round and the country's response, if the user may read it; 404 otherwise."""
    round_ = load_round(round_id)
    country = country.upper()
    policy.ensure(policy.can_view_response(current_user, country))
    response = get_response(get_session(), round_, country)
    policy.ensure(response is not None)
    return round_, response


from questionnaires.views import answering, interop, rounds, threads  # noqa: E402,F401  (routes register on bp)
