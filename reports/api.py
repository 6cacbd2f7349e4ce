"""JSON API of the reports: the rounds whose report the user may read, and a round's comparative
tables as records, built by the same report (reports.services.round_report) as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import jsonify, request
from pydantic import BaseModel, Field

from portal import policy
from portal.api import APIError, current_api_user, endpoint
from portal.db import get_session
from portal.enums import translated
from questionnaires.models import Round
from reports import services
from reports.exports import table_records
from reports.report import country_position

# every table a round's report may hold ("changes" and "trend" only when an earlier round exists)
TABLES = ("maturity", "maturity_method", "capabilities", "matrix", "frequencies", "rankings", "numbers",
          "numeric_summary", "processes", "process_variants", "common_steps", "swot", "free_text", "workload", "changes", "trend")


class ReportRound(BaseModel):
    id: int
    title: str
    questionnaire: str
    is_open: bool
    shared: bool = Field(description="released to observers (EU agencies, international organisations)")
    marking: str = Field("", description="the round's marking, printed on its report and files ('' for none)")
    league_tables: bool = Field(False, description="league tables and ranks shown to the countries (set by the "
                                                   "secretariat, with a note)")
    invited: list[str]
    submitted: int = Field(description="submitted responses: the countries the report compares")
    opened_at: dt.datetime


class Column(BaseModel):
    name: str = Field(description="the key of the column in each record")
    title: str = Field(description="its heading on the page and in the workbook")


class ReportTable(BaseModel):
    key: str
    title: str
    note: str
    columns: list[Column]
    records: list[dict[str, Any]]


class RoundReport(BaseModel):
    round: ReportRound
    countries: list[str] = Field(description="the countries with submitted answers")
    all_free_text: bool = Field(description="false: other countries' own words (text, SWOT, process "
                                            "descriptions, file names) are left out, as on the page, except "
                                            "those of free_text_from")
    free_text_from: list[str] | None = Field(None, description="the countries whose own words are included "
                                                              "(their own, and those that agreed); null: all")
    league: bool = Field(True, description="false: the network view, without league tables or ranks (the "
                                           "maturity table holds only the user's own country)")
    method: str = Field(description="how the maturity index is computed")
    position: dict[str, Any] | None = Field(description="the user's country's position (rank, capabilities, "
                                                        "answers against the network); null when it has none")
    tables: list[ReportTable]


def _round_out(round_: Round, submitted: int) -> ReportRound:
    return ReportRound(id=round_.id, title=round_.title, questionnaire=round_.version.label, is_open=round_.is_open,
                       shared=bool(round_.shared), invited=round_.country_codes, submitted=submitted,
                       marking=round_.marking or "", league_tables=bool(round_.league_tables),
                       opened_at=round_.opened_at)


@endpoint("/reports/rounds", summary="The rounds whose comparative report the user may read, newest first",
          tag="reports", response=list[ReportRound])
def report_rounds():
    rounds = services.report_rounds(get_session(), policy.visible_report_rounds(current_api_user()))
    return jsonify([_round_out(r, n).model_dump(mode="json") for r, n in rounds])


@endpoint("/reports/rounds/<int:round_id>", summary="A round's comparative tables as records, as the report "
          "page shows them to this user", tag="reports", response=RoundReport, statuses=(404, 422), params=[
              {"name": "tables", "in": "query", "required": False, "description": "comma-separated table keys "
               f"(default: all): {', '.join(TABLES)}", "schema": {"type": "string"}}])
def report_round(round_id: int):
    user = current_api_user()
    session = get_session()
    round_ = session.get(Round, round_id)
    if round_ is None or not policy.can_view_round_report(user, round_):
        raise APIError(404, "not_found", "There is no such round, or its report is not yours to read.")
    wanted = [k.strip() for k in request.args.get("tables", "").split(",") if k.strip()] or list(TABLES)
    unknown = [k for k in wanted if k not in TABLES]
    if unknown:
        raise APIError(422, "invalid", "Some parameters are not valid.",
                       {"tables": f"unknown table {', '.join(unknown)}; use {', '.join(TABLES)}"})
    viewer = services.viewer_of(user, round_)
    report, _ = services.round_report(session, round_, viewer)
    tables = []
    for key in wanted:
        if key in report.tables:
            table = report.tables[key]
            columns, records = table_records(table)
            tables.append(ReportTable(key=key, title=translated(table.title), note=translated(table.note),
                                      columns=[Column(**c) for c in columns], records=records))
    position = country_position(report, viewer.country) if viewer.country else {}
    body = RoundReport(round=_round_out(round_, len(report.countries)), countries=report.countries,
                       all_free_text=viewer.all_free_text, method=report.method, position=position or None,
                       free_text_from=None if viewer.free_text_from is None else sorted(viewer.free_text_from),
                       league=report.league,
                       tables=tables)
    return jsonify(body.model_dump(mode="json"))
