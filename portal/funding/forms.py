"""The forms of funding: the budget's source and ISF rate, a cost line (used on the meeting's and the
training activity's funding sections)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.funding.enums import CostCategory, CostKind


class FundingForm(FlaskForm):
    funding_source = StringField(_l("Funding source"), validators=[Optional(), Length(max=200)],
                                 description=_l("e.g. ISF Police national programme, Presidency budget."))
    isf_rate = DecimalField(_l("ISF co-financing rate (%)"), places=2, validators=[Optional(), NumberRange(0, 100)])


class CostLineForm(FlaskForm):
    category = SelectField(_l("Category"), choices=CostCategory.choices())
    kind = SelectField(_l("Planned or actual"), choices=CostKind.choices())
    # one plain message for a missing amount and for one that is not a number ("lots"), where WTForms
    # would say "This field is required." for both
    amount = DecimalField(_l("Amount (EUR)"), places=2, validators=[
        DataRequired(message=_l("Enter an amount in euros, e.g. 1250.00.")), NumberRange(0, 9_999_999_999)])
    description = StringField(_l("Description"), validators=[Optional(), Length(max=300)])
