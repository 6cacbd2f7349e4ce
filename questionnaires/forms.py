"""Forms of the questionnaire pages (the answering form itself is built from the definition)."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import UnclassifiedForm


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OpenRoundForm(UnclassifiedForm):
    version_id = SelectField("Questionnaire version", coerce=int, validators=[InputRequired()])
    title = StringField("Title of the round", validators=[DataRequired(message="Give the round a title."),
                                                          Length(max=300)],
                        description="Respondents see it in the invitation, e.g. \"National SPOC structures 2026\".")
    deadline = DateField("Deadline", validators=[InputRequired(message="Give a deadline (YYYY-MM-DD).")],
                         description="Countries that have not submitted get reminders before it.")
    countries = MultiCheckboxField("Countries", validators=[DataRequired(message="Choose at least one country.")])
    invite = BooleanField("Invite the respondents of these countries by email now", default=True)
    marking = SelectField("Marking", choices=[("", "None")], validate_choice=False, default="",
                          description="From the secretariat's list: shown on the round's pages and report, printed "
                                      "on every page of its PDFs, DOCX and XLSX.")
    prefill = BooleanField(
        "Start each country's draft from its last submitted answers to the same questions",
        description="Each carried-over answer is marked with its year until a respondent confirms or changes it.")
    requires_clearance = BooleanField(
        "National clearance: each country's Head of SPOC approves the response before it is submitted",
        description="Respondents then send the response to their Head of SPOC, who submits it or sends it back "
                    "with a comment.")


class ReopenForm(UnclassifiedForm):
    reason = TextAreaField("Reason for reopening", validators=[DataRequired(
        message="Give the reason for reopening; the respondents will read it."), Length(max=2000)],
        description="Recorded in the audit log and shown to the country's respondents.")


class ReopenRoundForm(UnclassifiedForm):
    deadline = DateField("New deadline", validators=[InputRequired(message="Give a deadline (YYYY-MM-DD).")])


class PublishForm(UnclassifiedForm):
    file = FileField("Questionnaire file (.yaml, or an XLSForm .xlsx)",
                     description="A changed definition becomes a new version; answered versions never change.")


class ClearanceForm(UnclassifiedForm):
    comment = TextAreaField("Comment (required to send it back)", validators=[Length(max=2000)],
                            description="The respondents read it in the mail and at the top of the response.")
