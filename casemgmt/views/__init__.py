"""Pages of case management (blueprint `casemgmt`, under /cases)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app
from flask_login import current_user

from casemgmt.models import Case
from casemgmt.services.approvals import shown_summary
from casemgmt.services.folder import authorised_case
from casemgmt.services.intake import Uploads
from casemgmt.views.display import deadline
from portal import policy
from portal.db import get_session

bp = Blueprint("casemgmt", "casemgmt", url_prefix="/cases", template_folder="templates")
bp.add_app_template_global(deadline, "case_deadline")
bp.add_app_template_global(shown_summary, "approval_summary")  # a four-eyes draft in the reader's language


@bp.app_template_global("case_permissions")
def case_permissions() -> dict[str, bool]:
    """What the case-management navigation offers this user (decided in portal.policy, not in templates)."""
    user = current_user
    return {"register": policy.can_register_cases(user),
            "read_log": policy.can_read_access_log(user, getattr(user, "country_code", None)),
            "settings": policy.can_manage_case_settings(user), "approve": policy.can_approve_cases(user)}


def require_cases() -> None:
    """Outside case management (secretariat, admin, other roles) every page is a 404."""
    policy.ensure(policy.can_use_cases(current_user))


def load_case(number: str, *, handle: bool = False) -> Case:
    """The case of the user's SPOC with this number (with `handle`: one this user may change); 404 for
    anything else. The API loads its cases with the same function (casemgmt.api.case_for)."""
    require_cases()
    found = authorised_case(get_session(), current_user, number, handle=handle)
    if found is None:
        abort(404)
    return found


def uploads() -> Uploads:
    return Uploads(current_app.config["UPLOAD_FOLDER"], int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024)


from casemgmt.views import (  # noqa: E402,F401
    actions,
    approvals,
    case,
    dpo,
    duty,
    entities,
    exchanges,
    inbox,
    intake,
    search,
    statistics,
    templates,
)  # noqa: E402,F401
