"""JSON API of the search across cases (issue 17, point 3): the same service as the search page,
its own SPOC's cases only, every call a logged consultation (LED Art. 25)."""

from __future__ import annotations

from flask import jsonify
from pydantic import BaseModel, Field

from casemgmt.models import CaseStatus, Channel, LegalFramework
from casemgmt.schemas import CaseSummary
from casemgmt.services import CaseError
from casemgmt.services import search as service
from casemgmt.services.search_criteria import read_criteria
from portal import policy
from portal.api import APIError, current_api_user, endpoint, query_int
from portal.db import get_session
from portal.errors import rule_message


class CaseSearchResult(BaseModel):
    items: list[CaseSummary]
    count: int = Field(description=f"how many cases match, counted up to {service.COUNT_CAP}")
    count_capped: bool = Field(description=f"more than {service.COUNT_CAP} cases match")
    next_after: str | None = Field(description="pass as `after` to get the next page; null on the last page")


def _param(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


PARAMS = [
    _param("q", "words (subjects, messages, notes), a reference of any channel, a name (any spelling or script) "
                "or an identifier (document number, plate, phone, e-mail, IBAN)", {"type": "string", "maxLength": 300}),
    _param("channel", "the case's channel", {"type": "string", "enum": [m.value for m in Channel]}),
    _param("counterpart", "the counterpart's country (ISO code)", {"type": "string", "pattern": "^[A-Za-z]{2}$"}),
    _param("framework", "the legal framework", {"type": "string", "enum": [m.value for m in LegalFramework]}),
    _param("state", "`open`, `action`, `waiting`, `answered`, `merged`, `all` or a workflow state",
           {"type": "string", "enum": ["open", "action", "waiting", "answered", "merged", "all",
                                       *[s.value for s in CaseStatus]]}),
    _param("assignee", "`me`, `none` or a user's id", {"type": "string", "pattern": "^(me|none|[0-9]{1,9})$"}),
    _param("urgent", "1: urgent cases only", {"type": "string", "enum": ["0", "1"]}),
    _param("overdue", "1: open cases past their Art. 5(1) deadline only", {"type": "string", "enum": ["0", "1"]}),
    _param("from", "received on or after (YYYY-MM-DD)", {"type": "string", "format": "date"}),
    _param("to", "received on or before (YYYY-MM-DD)", {"type": "string", "format": "date"}),
    _param("after", "`next_after` of the previous page", {"type": "string"}),
    _param("limit", "results a page", {"type": "integer", "minimum": 1, "maximum": 200}),
]


@endpoint("/cases/search", summary="Search the SPOC's cases (newest first, keyset pages; the search is logged)",
          tag="cases", response=CaseSearchResult, statuses=(404, 422), params=PARAMS)
def cases_search():
    from flask import request

    from casemgmt.api import _summary
    from casemgmt.models import Case

    user = current_api_user()
    if not policy.can_search_cases(user):
        raise APIError(404, "not_found", "Case management is not available to this user.")
    criteria, errors = read_criteria(request.args)
    if errors:
        raise APIError(422, "invalid", "Some parameters are not valid.", errors)
    after = query_int("after", 0, 0, 2**31 - 1, "pass next_after of the previous page")
    limit = query_int("limit", 50, 1, 200, "a number from 1 to 200")
    session = get_session()
    try:
        page = service.search(session, user, criteria, after=after or None, limit=limit, via="API")
    except CaseError as exc:
        session.rollback()
        raise APIError(422, "invalid", "Some parameters are not valid.", {exc.field or "q": rule_message(exc)}) from None
    session.commit()
    cases = {c.id: c for c in session.query(Case).where(Case.id.in_([r.id for r in page.rows]))}
    body = CaseSearchResult(items=[CaseSummary(**_summary(cases[r.id])) for r in page.rows], count=page.count,
                            count_capped=page.capped,
                            next_after=str(page.next_after) if page.next_after else None)
    return jsonify(body.model_dump(mode="json"))
