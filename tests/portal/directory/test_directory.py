"""The directory: countries, agencies, SPOC records, the Presidency calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.directory import services
from portal.directory.models import Country, Spoc


def test_directory_lists_31_countries_agencies_and_presidencies(login_as, db):
    c, _ = login_as("observer")
    page = c.get("/directory").get_data(as_text=True)
    assert db.query(Country).count() == 31
    for name in ("Belgium", "Greece", "Lithuania", "Iceland", "Liechtenstein", "Norway", "Switzerland"):
        assert name in page
    assert "<td>EL</td>" in page and "<td>GR</td>" not in page
    for agency in ("INTERPOL", "EUROPOL", "CEPOL", "FRONTEX", "eu-LISA"):
        assert agency in page
    assert "July-December 2026" in page and "Ireland (IE)" in page


def test_country_page_shows_its_spoc(login_as, db):
    spoc = db.get(Spoc, "EL")
    spoc.phone_24_7, spoc.email, spoc.head_name = "+302106977000", "spoc@hellenicpolice.invalid", "N. Papadopoulos"
    db.commit()
    c, _ = login_as("officer", "BE")
    page = c.get("/directory/EL").get_data(as_text=True)
    assert "Greece" in page and "ISO GR" in page and "+30 21 0697 7000" in page
    assert "N. Papadopoulos" in page and "spoc@hellenicpolice.invalid" in page


def test_head_of_spoc_edits_own_spoc_not_another(login_as, db):
    c, _ = login_as("head_of_spoc", "BE")
    r = c.post_form("/directory/BE/edit", {"name": "SPOC Belgium", "phone_24_7": "+32 2 642 63 80",
                                           "email": "spoc@police.invalid", "languages": "NL, fr, en",
                                           "head_name": "A. Dubois", "address": "Brussels"})
    assert r.status_code == 302
    db.rollback()
    assert db.get(Spoc, "BE").phone_24_7 == "+3226426380" and db.get(Spoc, "BE").languages == "nl, fr, en"
    assert c.get("/directory/NL/edit").status_code == 404
    assert c.post_form("/directory/NL/edit", {"name": "hijack"}).status_code == 404
    db.rollback()
    assert db.get(Spoc, "NL").name != "hijack"


def test_bad_phone_is_shown_beside_the_field_and_nothing_changes(login_as, db):
    c, _ = login_as("secretariat")
    before = db.get(Spoc, "FR").name
    r = c.post_form("/directory/FR/edit", {"name": "Changed name", "phone_24_7": "call me maybe"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="phone_24_7-error"' in body and "international form" in body
    assert 'value="call me maybe"' in body
    db.rollback()
    assert db.get(Spoc, "FR").name == before


def test_secretariat_edits_presidency_calendar(login_as, db):
    c, _ = login_as("secretariat")
    r = c.post_form("/directory/presidencies", {"year": "2031", "half": "1", "country_code": "PT"})
    assert r.status_code == 302
    term = services.presidency_on(db, dt.date(2031, 3, 1))
    assert term.country_code == "PT"


@pytest.mark.parametrize("role,country", [("head_of_spoc", "BE"), ("officer", "NL"), ("observer", None)])
def test_others_cannot_edit_presidency(login_as, role, country):
    c, _ = login_as(role, country)
    assert c.post_form("/directory/presidencies", {"year": "2031", "half": "1", "country_code": "PT"}).status_code == 404


def test_presidency_for_a_date(db):
    assert services.presidency_on(db, dt.date(2026, 11, 24)).country_code == "IE"
    assert services.presidency_on(db, dt.date(2027, 2, 1)).country_code == "LT"
