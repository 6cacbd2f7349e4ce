"""WTForms' attribute rendering without `Markup.format` (issue 24: the case page renders ~100 fields and
a 250-country select; `html_params` was a third of its time). The same output, character for character
(tests/portal/test_widgets.py compares it with WTForms' own function)."""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms.widgets import core

_ORIGINAL = core.html_params


def html_params(**kwargs) -> Markup:
    """As wtforms.widgets.core.html_params: sorted keys, `class_` / `data_x` / `aria_x` cleaned, True a bare
    attribute, False none, every value escaped with its double quotes as &quot;."""
    params = []
    for k, v in sorted(kwargs.items()):
        k = escape(core.clean_key(k))
        if v is True:
            params.append(k)
        elif v is False:
            continue
        else:
            params.append(f'{k}="{str(escape(v)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))  # noqa: S704 - keys and values escaped above


class Select(core.Select):
    """WTForms' select without a dir() of the field's flags and a signature check of render_option on
    every rendering: the same output (tests/portal/test_widgets.py)."""

    def __call__(self, field, **kwargs):
        if field.has_groups():
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(getattr(field, "flags", None), "__dict__", {})
        for k in self.validation_attrs:
            if k in flags and k not in kwargs:
                kwargs[k] = flags[k]
        render = type(self).render_option
        html = [f"<select {html_params(name=field.name, **kwargs)}>",
                *(render(choice) for choice in field._iter_choices_normalized()), "</select>"]
        return Markup("".join(html))  # noqa: S704 - the parts escaped by html_params and render_option


def install() -> None:
    """Every WTForms widget renders its attributes with the function above: the module's function (selects,
    options, text areas), the package's (labels) and the inputs' and buttons' own copies."""
    import wtforms.widgets

    core.html_params = wtforms.widgets.html_params = html_params
    core.Input.html_params = core.Button.html_params = staticmethod(html_params)
    from wtforms.fields import SelectField, SelectMultipleField

    SelectField.widget, SelectMultipleField.widget = Select(), Select(multiple=True)
