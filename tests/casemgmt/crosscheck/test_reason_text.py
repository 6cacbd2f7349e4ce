"""A cross-check hit's reasons and its sides' descriptions in the reader's language (casemgmt/crosscheck/
reason_text.py): stored in English as the matcher wrote them, said on the hits page in French or German."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from casemgmt.crosscheck.birthdates import parse_birth_date
from casemgmt.crosscheck.keys import IDENTIFIER_KINDS, Identifier, Subject
from casemgmt.crosscheck.matching import Limits, score, why_not_stronger
from casemgmt.crosscheck.names import AGREEMENT
from casemgmt.crosscheck.normalise import normalise_name
from casemgmt.crosscheck.reason_text import (
    CAVEATS,
    KIND_LABELS,
    LEVELS,
    SENTENCES,
    readable_reason,
    readable_subject,
)
from tests.conftest import set_language


def person(surname, given="", dob="", nationality=None, *identifiers) -> Subject:
    return Subject(name=normalise_name(surname, given), birth=parse_birth_date(dob), nationality=nationality,
                   identifiers=tuple(identifiers), display=surname, ref=f"{surname}/{given}/{dob}")


def thing(*identifiers) -> Subject:
    return Subject(identifiers=tuple(identifiers), display="thing", ref=str(identifiers))


PAIRS = [  # (case's entity, matched record): between them, every kind of reason the matcher gives
    (person("Kowalski", "Jan", "03.04.1980", "PL"), person("Kowalski", "Jan", "03.04.1980", "PL")),
    (person("Jan", "Kowalski", "03.04.1980", "PL"), person("Kowalski", "Jan", "04.03.1980", "DE")),
    (person("Kowalsky", "Jan", "03.04.1981"), person("Kowalski", "Jan", "03.04.1980", "PL")),
    (person("Kovalski", "Jan", "1980"), person("Kowalski", "Jan", "03.04.1980", "PL")),
    (person("Kowalski", "Jan", "01.01.1980"), person("Kowalski", "Jan", "03.04.1980")),
    (person("Kowalski", "Jan", "04.1980"), person("Kowalski", "Jan", "03.04.1980")),
    (person("Kowalski", "Jan", "05.04.1980"), person("Kowalski", "Jan", "03.04.1980")),
    (person("Kowalski", "Jan", "03.04.1970"), person("Kowalski", "Jan", "03.07.1985")),
    (person("Kowalski", "Johannes", ""), person("Kowalskiewicz", "Jan", "", "PL")),
    (person("van der Berg", "Sanne", "02.08.1993", "NL"), person("Vanderberg", "Sanne", "02.08.1993", "NL")),
    (person("Smith", "John", "02.08.1993"), person("Smyth", "John", "02.08.1993")),
    (person("Kowalski", "Jan", "", None, Identifier("doc", "P1234567", "DE")),
     person("Kowalski", "Jan", "", None, Identifier("doc", "P1234567", "FR"))),
    (thing(Identifier("iban", "NL91ABNA0417164300")), person("Berg", "Sanne", "", None,
                                                              Identifier("iban", "NL91ABNA0417164300"))),
    (person("Berg", "Sanne", "", None, Identifier("phone", "+3225551234")), thing(Identifier("phone", "+3225551234"))),
    (thing(Identifier("address", "RUE DE LA LOI 16 1000 BRUSSELS", "BE")),
     thing(Identifier("address", "RUE DE LA LOI 16 1000 BRUSSELS", "BE"))),
    (thing(Identifier("ip", "192.0.2.7")), thing(Identifier("ip", "192.0.2.7"), Identifier("plate", "1ABC123", "BE"))),
    (thing(Identifier("plate", "1ABC123", "BE"), Identifier("ip", "192.0.2.7")),
     thing(Identifier("plate", "1XYZ999", "BE"), Identifier("ip", "192.0.2.7"))),
]


def reasons_of(pairs) -> set[str]:
    said = set()
    for query, record in pairs:
        limits = Limits()
        value, reasons = score(query, record, limits=limits, common_name=query.display == "Smith")
        said |= set(reasons) | {why_not_stronger(value, limits)} | {why_not_stronger(value, [])}
    return said


def test_every_word_the_matcher_uses_has_its_catalogue_message():
    assert set(KIND_LABELS) == {k.label for k in IDENTIFIER_KINDS.values()}
    assert set(CAVEATS) == {k.caveat for k in IDENTIFIER_KINDS.values() if k.caveat}
    assert set(LEVELS) == set(AGREEMENT)


def test_every_reason_is_recognised_and_said_in_french_and_german(app):
    said = reasons_of(PAIRS)
    assert len(said) >= 25
    assert sorted(r for r in said if not any(p.match(r) for p, _, _ in SENTENCES)) == []
    for lang in ("fr", "de"):
        with app.test_request_context("/"), force_locale(lang):
            shown = {r: readable_reason(r) for r in said}
        assert [r for r in said if shown[r] == r] == []
        assert not any(word in f" {s}" for s in shown.values() for word in (
            "names agree", "date of birth", "nationality", " same ", " differs", "possible, not strong", "the same",
            "bank account", "keying error", "a lead, not an identification"))


@pytest.mark.parametrize("lang, reason, shown", [
    ("fr", "names agree 100% (after transliteration, Jaro-Winkler and Indel: vanderberg: particle written joined "
           "and apart; sanne: the same)",
     "noms concordants à 100% (après translittération, Jaro-Winkler et Indel : vanderberg: particule écrite attachée "
     "et séparée; sanne: identique)"),
    ("de", "same date of birth 1993-08-02", "gleiches Geburtsdatum 1993-08-02"),
    ("de", "same bank account (IBAN) NL91 ABNA 0417 1643 00", "Bankkonto (IBAN) übereinstimmend: NL91 ABNA 0417 1643 00"),
    ("fr", "possible, not strong: no date of birth to compare; the nationalities differ",
     "possible, pas forte : aucune date de naissance à comparer; les nationalités diffèrent"),
    ("en", "same nationality NL", "same nationality NL"),
    ("fr", "a reason written before its sentence changed", "a reason written before its sentence changed"),
])
def test_a_reason_keeps_its_values_and_says_its_words(app, lang, reason, shown):
    with app.test_request_context("/"), force_locale(lang):
        assert readable_reason(reason) == shown


def test_a_sides_description_says_its_date_of_birth(app):
    with app.test_request_context("/"), force_locale("de"):
        assert readable_subject("VAN DER BERG, Sanne · born 1993-08-02 · NL · Telegram @sanne_vdb") == \
            "VAN DER BERG, Sanne · geb. 1993-08-02 · NL · Telegram @sanne_vdb"
        assert readable_subject("IBAN NL91 ABNA 0417 1643 00 · S. Vanderberg") == \
            "IBAN NL91 ABNA 0417 1643 00 · S. Vanderberg"


def test_the_hits_page_of_the_demo_speaks_french(app, db, login_as):
    """Every reason the demo's hits hold is recognised; the page shows none of them in English."""
    from casemgmt.crosscheck.models import CrossCheckHit
    from casemgmt.models import Case
    from portal.demo import load_demo

    with app.extensions["spoc_db"].unit_of_work() as s:
        load_demo(s, "demo-password-1", app)
    hits = list(db.scalars(select(CrossCheckHit)))
    stored = {r for h in hits for r in h.reasons or []}
    assert len(stored) >= 8
    assert sorted(r for r in stored if not any(p.match(r) for p, _, _ in SENTENCES)) == []
    from casemgmt.crosscheck import services

    case = next(c for c in (db.get(Case, i) for i in sorted({h.case_id for h in hits}))
                if any("born" in (h.matched_display or "") for h in services.hits_of(db, c)))
    client, user = login_as("officer", case.country_code)
    set_language(app, user, "fr")
    page = client.get(f"/cases/{case.registration_number}/crosscheck").get_data(as_text=True)
    assert "Motif :" in page, page[page.find("<main"):][:1500]
    assert " born " not in page and "names agree" not in page and "same " not in page
    assert "naissance 19" in page and ("concordance forte" in page or "concordance possible" in page)
