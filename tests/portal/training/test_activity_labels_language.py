"""A training activity's format and status, and its nominations' statuses, in the reader's language: the labels of
the enumerations are catalogue messages, translated in French and German (issue 19, item 12)."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from portal.i18n import LANGUAGES, labels, read_catalog
from portal.training.models import ActivityFormat, ActivityStatus, NominationStatus
from tests.conftest import set_language

TODAY = dt.date.today()
FORMATS = {"fr": {"classroom": "Présentiel", "exchange": "Programme d'échange", "online": "En ligne"},
           "de": {"classroom": "Präsenz", "exchange": "Austauschprogramm", "online": "Online"}}
STATUSES = {"fr": {"planned": "Prévu", "open": "Ouvert aux candidatures", "held": "Tenue", "cancelled": "Annulé"},
            "de": {"planned": "Geplant", "open": "Offen für Nominierungen", "held": "Abgehalten",
                   "cancelled": "Abgesagt"}}
NOMINATIONS = {"fr": ["Désigné", "Liste d'attente", "Confirmé", "Retiré"],
               "de": ["Nominiert", "Warteliste", "Bestätigt", "Zurückgezogen"]}


def _format(page: str) -> str:
    """What the page gives beside "Format" (the same word in French and German)."""
    return re.search(r"<dt[^>]*>Format</dt>\s*<dd[^>]*>([^<]*)</dd>", page).group(1).strip()


def _badges(page: str) -> list[str]:
    return [b.strip() for b in re.findall(r'<span class="badge [^"]*">([^<]*)</span>', page)]


@pytest.mark.parametrize("language", ["fr", "de"])
def test_an_activity_shows_its_format_and_status_in_the_readers_language(app, login_as, make_activity,
                                                                        make_nomination, language):
    sec, user = login_as("secretariat")
    set_language(app, user, language)
    english = {ActivityFormat(v).label for v in FORMATS[language]} | {ActivityStatus(v).label
                                                                     for v in STATUSES[language]}
    for fmt, shown in FORMATS[language].items():
        for status, badge in STATUSES[language].items():
            start = TODAY - dt.timedelta(days=40) if status == "held" else None
            activity = make_activity(title=f"{fmt} {status}", fmt=fmt, status=status, start=start)
            page = html.unescape(sec.get(f"/training/activities/{activity}").get_data(as_text=True))
            assert _format(page) == shown and badge in _badges(page), (fmt, status)
            assert not (english - {shown}) & set(_badges(page) + [_format(page)])
    activity = make_activity(title="With nominees", capacity=3)
    for status in ("nominated", "waiting", "confirmed", "withdrawn"):
        make_nomination(activity, status=status)
    badges = _badges(html.unescape(sec.get(f"/training/activities/{activity}").get_data(as_text=True)))
    assert all(label in badges for label in NOMINATIONS[language])
    assert not {NominationStatus(s).label for s in NominationStatus} & set(badges)


def test_every_enumeration_label_has_a_french_and_german_translation():
    wanted = labels()
    for language in LANGUAGES[1:]:
        catalogue = read_catalog(language)
        missing = [label for label in wanted
                   if label not in catalogue or not catalogue[label].string or catalogue[label].fuzzy]
        assert not missing, (language, missing)
