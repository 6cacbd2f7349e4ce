"""portal/widgets.py renders WTForms' attributes exactly as WTForms does, and the app's forms use it."""

from __future__ import annotations

from markupsafe import Markup

from portal import widgets

CASES = [
    {"name": "text1", "id": "f", "class_": "text"},
    {"checked": True, "readonly": False, "name": "text1", "abc": "hello"},
    {"data_attr": "user.name", "aria_labeledby": "name", "aria_describedby": "a-hint a-error"},
    {"value": 'O\'Brien & "Sons" <ltd>', "placeholder": Markup('say "hi" &amp; <b>')},
    {"value": 0, "step": 1.5, "max": None, "title": "Ünïcode — ok"},
    {"class": "x", "for_": "y", "required": True, "selected": True, "disabled": False},
    {},
]


def test_the_same_output_as_wtforms():
    for kwargs in CASES:
        ours, theirs = widgets.html_params(**kwargs), widgets._ORIGINAL(**kwargs)
        assert ours == theirs and isinstance(ours, Markup), kwargs


def test_the_app_renders_forms_with_it(app):
    import wtforms.widgets
    from wtforms.widgets import core

    assert core.html_params is wtforms.widgets.html_params is widgets.html_params
    assert core.TextInput.html_params is core.Button.html_params is widgets.html_params


def test_selects_render_as_wtforms_renders_them(app):
    from flask_wtf import FlaskForm
    from wtforms.fields import SelectField, SelectMultipleField
    from wtforms.validators import DataRequired, Optional
    from wtforms.widgets import core

    class F(FlaskForm):
        class Meta:
            csrf = False

        plain = SelectField("Plain", choices=[("a", "A & b"), ("b", '"B"'), ("", "—")])
        required = SelectField("Required", choices=[(1, "One"), (2, "Two")], coerce=int, validators=[DataRequired()],
                               default=2, render_kw={"data_x": "y"})
        flagged = SelectField("Opt", choices=[("x", "X", {"disabled": True}), ("z", "<Z>")], validators=[Optional()])
        many = SelectMultipleField("Many", choices=[("p", "P"), ("q", "Q"), ("r", "R")], default=["p", "r"])
        yes_no = SelectField("Bool", choices=[(True, "Yes"), (False, "No")], coerce=bool, default=False)

    with app.test_request_context():
        form = F()
        for field in form:
            assert isinstance(field.widget, widgets.Select)
            ours = field(), field(class_="form-select", aria_describedby="h")
            field.widget = core.Select(multiple=field.type == "SelectMultipleField")  # WTForms' own
            assert ours == (field(), field(class_="form-select", aria_describedby="h")), field.name
