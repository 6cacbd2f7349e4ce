"""Files in and out: a round's answers as CSV/XLSX, a version as XLSForm, and the import/publish page."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal import policy
from portal.db import get_session
from portal.files import download_response
from questionnaires.definitions import DefinitionError, load_definition_text
from questionnaires.forms import PublishForm
from questionnaires.models import MAX_ID, QuestionnaireVersion, Round
from questionnaires.round_export import round_csv, round_xlsx
from questionnaires.services import versions
from questionnaires.services.display import language_for
from questionnaires.services.responses import answer_values
from questionnaires.views import bp, load_round
from questionnaires.xlsform import XLSFormImportError, export_xlsform, import_xlsform

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DEFINITION_BYTES = 5 * 1024 * 1024


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "round"


def round_export_response(round_: Round, fmt: str):
    definition = versions.definition_of(round_.version)
    lang = language_for(definition, getattr(current_user, "language", None))
    answers = {r.country_code: answer_values(r) for r in round_.responses}
    statuses = {r.country_code: r.status_enum.label.lower() for r in round_.responses}
    name = f"{_slug(round_.title)}.{fmt}"
    if fmt == "xlsx":
        data, mimetype = round_xlsx(definition, answers, lang=lang, statuses=statuses,
                                     marking=round_.marking), XLSX
    else:
        data, mimetype = round_csv(definition, answers, lang=lang, statuses=statuses), "text/csv"
    return download_response(data, name, mimetype)


@bp.route("/rounds/<int:round_id>/export.<fmt>")
@login_required
def export_round(round_id: int, fmt: str):
    """The round's answers, one row per country (CSV, or XLSX with the processes and the codebook)."""
    round_ = load_round(round_id)
    policy.ensure(policy.can_manage_rounds(current_user))
    if fmt not in ("csv", "xlsx"):
        abort(404)
    return round_export_response(round_, fmt)


@bp.route("/versions/<int:version_id>/xlsform.xlsx")
@login_required
def export_version(version_id: int):
    """A published version as an XLSForm workbook (survey, choices, settings)."""
    policy.ensure(policy.can_manage_rounds(current_user))
    version = get_session().get(QuestionnaireVersion, version_id) if 0 < version_id <= MAX_ID else None
    policy.ensure(version is not None)
    data = export_xlsform(versions.definition_of(version))
    return download_response(data, f"{version.questionnaire.slug}-v{version.number}.xlsx", XLSX)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_definition():
    """Upload a YAML definition or an XLSForm workbook; it is published whole or not at all."""
    policy.ensure(policy.can_manage_rounds(current_user))
    form = PublishForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_DEFINITION_BYTES + 1) if upload else b""
        name = (getattr(upload, "filename", "") or "").lower()
        definition = None
        if not data:
            form.file.errors = [_("Choose a .yaml file or an XLSForm .xlsx workbook.")]
        elif len(data) > MAX_DEFINITION_BYTES:
            form.file.errors = [_("The file is larger than 5 MB.")]
        elif data.startswith(b"PK\x03\x04"):
            try:
                definition = import_xlsform(data, filename=getattr(upload, "filename", None) or None)
            except XLSFormImportError as exc:
                form.file.errors = [str(exc).splitlines()[0]]
                problems = [str(e) for e in exc.errors]
        elif name.endswith((".yaml", ".yml")):
            try:
                definition = load_definition_text(data.decode("utf-8"))
            except DefinitionError as exc:  # its own words say what is wrong ("… is not valid YAML: …")
                form.file.errors = [str(exc)]
            except UnicodeDecodeError:
                form.file.errors = [_("The file is not UTF-8 text: save the YAML definition as UTF-8.")]
        else:
            form.file.errors = [_("Choose a .yaml file or an XLSForm .xlsx workbook.")]
        if definition is not None:
            session = get_session()
            published = versions.publish_definition(session, definition, actor=current_user)
            session.commit()
            v = published.version
            flash(_("%(title)s: published as version %(number)s (%(count)s questions).", title=v.title, number=v.number,
                    count=len(definition.questions)) if published.created
                  else _("%(title)s: unchanged, still version %(number)s.", title=v.title, number=v.number), "success")
            return redirect(url_for(".index"))
    status = 422 if form.errors else 200
    return render_template("questionnaires/import.html", form=form, problems=problems), status
