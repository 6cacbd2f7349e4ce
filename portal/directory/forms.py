"""Forms of the directory pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.forms import UnclassifiedForm


class SpocForm(UnclassifiedForm):
    name = StringField(_l("Name of the SPOC"), validators=[DataRequired(), Length(max=200)])
    address = TextAreaField(_l("Postal address"), validators=[Optional(), Length(max=1000)])
    phone_24_7 = StringField(_l("24/7 phone"), validators=[Optional(), Length(max=40)],
                             description=_l("International form, e.g. +32 2 123 45 67."))
    email = StringField(_l("Functional email"), validators=[Optional(), Length(max=254)])
    languages = StringField(_l("Languages accepted"), validators=[Optional(), Length(max=200)],
                            description=_l("Two-letter codes separated by commas, e.g. en, fr, nl."))
    head_name = StringField(_l("Head of SPOC"), validators=[Optional(), Length(max=200)])
    bound_by_2023_977 = BooleanField(
        _l("Bound by Directive (EU) 2023/977"),
        description="Its recitals 44-48: Denmark is not bound unless it implements it; Ireland and the "
                    "Schengen-associated countries are. Exchanges under the Directive with a country it does not "
                    "bind are refused.")


class PresidencyForm(UnclassifiedForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(2000, 2100)])
    half = SelectField(_l("Half-year"), choices=[("1", "January-June"), ("2", "July-December")])
    country_code = SelectField(_l("Presidency"), choices=[], validate_choice=False)
