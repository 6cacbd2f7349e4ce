"""Forms of the questionnaire pages (the answering form itself is built from the definition)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import UnclassifiedForm


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OpenRoundForm(UnclassifiedForm):
    version_id = SelectField(_l("Questionnaire version"), coerce=int, validators=[InputRequired()])
    title = StringField(_l("Title of the round"), validators=[DataRequired(message=_l("Give the round a title.")),
                                                          Length(max=300)],
                        description=_l("Respondents see it in the invitation, e.g. \"National SPOC structures 2026\"."))
    deadline = DateField(_l("Deadline"), validators=[InputRequired(message=_l("Give a deadline (YYYY-MM-DD)."))],
                         description=_l("Countries that have not submitted get reminders before it."))
    countries = MultiCheckboxField(_l("Countries"), validators=[DataRequired(message=_l("Choose at least one country."))])
    invite = BooleanField(_l("Invite the respondents of these countries by email now"), default=True)
    marking = SelectField(_l("Marking"), choices=[("", "None")], validate_choice=False, default="",
                          description="From the secretariat's list: shown on the round's pages and report, printed "
                                      "on every page of its PDFs, DOCX and XLSX.")
    prefill = BooleanField(
        _l("Start each country's draft from its last submitted answers to the same questions"),
        description=_l("Each carried-over answer is marked with its year until a respondent confirms or changes it."))
    requires_clearance = BooleanField(
        _l("National clearance: each country's Head of SPOC approves the response before it is submitted"),
        description="Respondents then send the response to their Head of SPOC, who submits it or sends it back "
                    "with a comment.")


class ReopenForm(UnclassifiedForm):
    reason = TextAreaField(_l("Reason for reopening"), validators=[DataRequired(
        message=_l("Give the reason for reopening; the respondents will read it.")), Length(max=2000)],
        description=_l("Recorded in the audit log and shown to the country's respondents."))


class ReopenRoundForm(UnclassifiedForm):
    deadline = DateField(_l("New deadline"), validators=[InputRequired(message=_l("Give a deadline (YYYY-MM-DD)."))])


class PublishForm(UnclassifiedForm):
    file = FileField(_l("Questionnaire file (.yaml, or an XLSForm .xlsx)"),
                     description=_l("A changed definition becomes a new version; answered versions never change."))


class ClearanceForm(UnclassifiedForm):
    comment = TextAreaField(_l("Comment (required to send it back)"), validators=[Length(max=2000)],
                            description=_l("The respondents read it in the mail and at the top of the response."))
