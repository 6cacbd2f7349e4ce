"""The directory's dashboard cards: a Head of SPOC is told that the SPOC's record lacks contact details,
until it is complete; everyone finds the directory's card last."""

from __future__ import annotations

from portal.directory.models import Spoc


def _cards(client) -> str:
    return client.get("/").get_data(as_text=True)


def test_a_head_of_spoc_is_told_what_the_record_lacks_until_it_is_complete(login_as, db):
    c, _ = login_as("head_of_spoc", "BE")
    page = _cards(c)
    assert "Your SPOC in the directory" in page and "5 of 5 contact details are missing" in page
    assert "/directory/BE/edit" in page
    spoc = db.get(Spoc, "BE")
    spoc.phone_24_7, spoc.email, spoc.head_name = "+3226426380", "spoc@police.invalid", "A. Dubois"
    db.commit()
    assert "2 of 5 contact details are missing" in _cards(c)
    spoc = db.get(Spoc, "BE")
    spoc.address, spoc.languages = "Brussels", "nl, fr"
    db.commit()
    assert "Your SPOC in the directory" not in _cards(c)


def test_an_officer_sees_no_record_to_complete_and_the_directory_card_comes_last(login_as):
    c, _ = login_as("officer", "BE")
    page = _cards(c)
    assert "Your SPOC in the directory" not in page
    assert page.index("Open the inbox") < page.index("Open the directory")
