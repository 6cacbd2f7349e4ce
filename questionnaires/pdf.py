"""PDFs made on the server with WeasyPrint: the blank questionnaire of a round (in one of its languages) and a
country's response, A4, with the round's marking and title at the top of every page and "page n of N" below.

    data = blank_pdf(round_, definition, lang="fr")
    data = response_pdf(round_, response, definition, answers, lang="en")

WeasyPrint lays out HTML and CSS; it needs the system libraries Pango and HarfBuzz (installed by .ci/run, see
the README). Nothing is fetched: the url_fetcher refuses every URL, so the PDF uses only the HTML and CSS given.
"""

from __future__ import annotations

from contextlib import contextmanager

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from questionnaires.definitions import Definition, tr
from questionnaires.models import Response, Round
from questionnaires.services.display import display_text, row_label


class OfflineOnly(ValueError):
    pass


def _no_fetch(url: str, *args, **kwargs):
    raise OfflineOnly(f"PDFs are made offline; not fetching {url!r}")


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string for the page margins: every character but letters, digits and spaces is a
    CSS hex escape, so no text can end the string or the <style> element."""
    out = []
    for ch in " ".join(str(text or "").split()):
        out.append(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):06x}")
    return Markup('"' + "".join(out) + '"')  # noqa: S704 - every other character is escaped above


@contextmanager
def _chrome_in(lang: str):
    """The printed page's own words (headings, hints, page numbers) in the document's language when the portal's
    chrome has it (English, French, German); otherwise in the reader's."""
    from flask import g

    from portal.i18n import LANGUAGES

    if lang not in LANGUAGES:
        yield
        return
    g.pop("page_language", None)  # the labels' language (portal.i18n.current_language) follows the document ...
    try:
        with force_locale(lang):
            yield
    finally:
        g.pop("page_language", None)  # ... and the reader's again afterwards


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def blank_pdf(round_: Round, definition: Definition, lang: str) -> bytes:
    """The questionnaire with empty answer boxes, in `lang` (English where a text has no translation)."""
    with _chrome_in(lang):
        html = render_template("questionnaires/pdf.html", round=round_, definition=definition, lang=lang,
                               tr=lambda text: tr(text, lang), response=None, answers={}, display=display_text,
                               row_label=row_label, css=css_string)
    return _pdf(html)


def response_pdf(round_: Round, response: Response, definition: Definition, answers: dict, lang: str) -> bytes:
    """A country's response: every relevant question with its answer as people read it."""
    with _chrome_in(lang):
        html = render_template("questionnaires/pdf.html", round=round_, definition=definition, lang=lang,
                               tr=lambda text: tr(text, lang), response=response, answers=answers,
                               display=display_text, row_label=row_label, css=css_string)
    return _pdf(html)
