"""Normalisation: folding, transliteration into several spellings, identifiers, phones, dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casemgmt.crosscheck.birthdates import BirthDate, parse_birth_date
from casemgmt.crosscheck.normalise import (
    NameForm,
    NormalisationError,
    fold,
    normalise_company,
    normalise_country,
    normalise_document,
    normalise_email,
    normalise_identifier,
    normalise_name,
    normalise_phone,
    normalise_plate,
    normalise_vin,
    phonetic_codes,
    raw_tokens,
)
from casemgmt.crosscheck.phonetic import phonetic_key


def spellings_of(text: str) -> set[str]:
    (word,) = normalise_name(text).tokens
    return set(word)


def test_fold_is_nfkc_and_case_folding():
    assert fold("ＭÜＬＬＥＲ") == "müller"
    assert fold("Straße") == "strasse"
    assert fold("ﬁsher") == "fisher"


@pytest.mark.parametrize("name, expected", [
    ("Щербаков", {"shcherbakov", "schtscherbakow", "chtcherbakov", "szczerbakow"}),
    ("Иванов", {"ivanov", "iwanow"}),
    ("Юлия", {"iuliia", "yuliya", "julija"}),
    ("Жуков", {"zhukov", "joukov"}),
    ("Χρήστος", {"christos", "hristos", "khrestos"}),
    ("Παπαδόπουλος", {"papadopoulos"}),
    ("Müller", {"mueller", "muller"}),
    ("Dvořák", {"dvorak"}),
    ("Łukasz", {"lukasz"}),
    ("Øyvind", {"oyvind", "oeyvind"}),
])
def test_transliteration_keeps_several_spellings(name, expected):
    assert expected <= spellings_of(name)


def test_the_icao_spelling_comes_first():
    name = normalise_name("Щербаков", "Юлия")
    assert name.primary() == "shcherbakov iuliia"
    assert normalise_name("Χρήστος").primary() == "christos"


def test_names_are_tokenised_and_particles_are_joined_to_the_next_word():
    assert raw_tokens("Müller-Lüdenscheidt, Hans  Peter") == ["müller", "lüdenscheidt", "hans", "peter"]
    assert raw_tokens("O'Brien") == ["obrien"]
    name = normalise_name("van der Berg", "Jan")
    # joined and apart: Van der Berg agrees with Vanderberg and with Berg
    assert [w.canonical for w in name.significant()] == ["vanderberg", "jan"]
    assert {"vanderberg", "berg"} <= name.surname[0]
    for written in ("O Brien", "OBrien", "O'Brien"):
        assert normalise_name(written).surname[0].canonical == "obrien"
    assert normalise_name("Di Marco").surname[0].canonical == normalise_name("DiMarco").surname[0].canonical


@given(st.text(alphabet="абвгдежзийклмнопрстуфхцчшщыэюяАБВГДЕЖЗ αβγδεζηθικλμνξοπρστυφχψω ÄÖÜäöüßéèçñ-'", max_size=40),
       st.text(alphabet="abcdefghijklmnopqrstuvwxyzé ", max_size=20))
@settings(max_examples=200, deadline=None)
def test_encoding_a_name_round_trips(surname, given_names):
    name = normalise_name(surname, given_names)
    decoded = NameForm.decode(name.encode())
    assert decoded == name
    assert [w.canonical for w in decoded.tokens] == [w.canonical for w in name.tokens]
    for word in name.tokens:
        assert word.canonical in word
        assert all(s.isascii() or s == word.native for s in word)


@given(st.text(max_size=30))
@settings(max_examples=200, deadline=None)
def test_normalising_any_text_never_fails_and_is_idempotent_on_spellings(text):
    name = normalise_name(text)
    for word in name.tokens:
        for spelling in word:
            if spelling.isascii():
                assert spelling == spelling.lower()
                assert set(normalise_name(spelling).tokens[0]) >= {spelling}


@pytest.mark.parametrize("words", [
    ("ivanov", "iwanow", "ivanoff"),
    ("shevchenko", "schewtschenko", "szewczenko"),
    ("christos", "hristos", "khristos"),
    ("chernov", "tschernow"),
    ("alexandros", "aleksandros"),
    ("szczerbakow", "shcherbakov", "schtscherbakow"),
])
def test_phonetic_key_joins_transliteration_variants(words):
    assert len({phonetic_key(w) for w in words}) == 1


def test_the_documented_examples_hold():
    import doctest

    from casemgmt.crosscheck import phonetic, transliteration

    for module in (phonetic, transliteration):
        assert doctest.testmod(module).failed == 0


def test_phonetic_key_tells_different_names_apart():
    assert phonetic_key("ivanov") != phonetic_key("petrov")
    assert phonetic_key("ia") == "[ia]"  # a word without consonants keeps a key
    assert phonetic_codes(normalise_name("Шевченко").tokens[0]) >= {"SFHNK"}


# letters that form no group with each other (groups such as "ts" or "mp" are read as one sound)
@given(st.text(alphabet="aeioubdfglnrvk", min_size=1, max_size=20))
def test_phonetic_key_ignores_doubled_letters(word):
    doubled = "".join(ch * 2 for ch in word)
    assert phonetic_key(doubled) == phonetic_key(word) or phonetic_key(word).startswith("[")


def test_identifiers_are_reduced_to_letters_and_digits():
    assert normalise_identifier(" ab-12.345 6 ") == "AB123456"
    assert normalise_identifier("Ö12") == "O12"
    assert normalise_document("p 1234-567", "deu") == ("P1234567", "DE")
    assert normalise_document("X1234567", "GR") == ("X1234567", "EL")
    assert normalise_plate("1-abc-234", "be") == ("1ABC234", "BE")
    assert normalise_vin("wvw zzz 1jz 3w 386752") == "WVWZZZ1JZ3W386752"
    with pytest.raises(NormalisationError, match="VIN"):
        normalise_vin("WVWZZZ1JZ3W38675O")
    with pytest.raises(NormalisationError, match="too short"):
        normalise_document("12", "BE")
    with pytest.raises(NormalisationError, match="country code"):
        normalise_country("Belgium")


def test_phone_numbers_become_e164_with_the_spocs_country_by_default():
    assert normalise_phone("02 555 12 34", "BE") == "+3225551234"
    assert normalise_phone("0032 2 555 12 34", "NL") == "+3225551234"
    assert normalise_phone("210 123 4567", "EL") == "+302101234567"
    with pytest.raises(NormalisationError):
        normalise_phone("call me", "BE")


def test_emails_and_companies():
    assert normalise_email("mailto:<Jan.Kowalski@Example.ORG>") == "jan.kowalski@example.org"
    with pytest.raises(NormalisationError):
        normalise_email("not an address")
    assert normalise_company("ACME Trading GmbH") == normalise_company("Acme  trading g.m.b.h.") == ("acme", "trading")


@pytest.mark.parametrize("value, expected", [
    ("1980-03-04", BirthDate(1980, 3, 4)),
    ("04.03.1980", BirthDate(1980, 3, 4)),
    ("4/3/1980", BirthDate(1980, 3, 4)),
    ("19800304", BirthDate(1980, 3, 4)),
    ("1980-03", BirthDate(1980, 3)),
    ("03/1980", BirthDate(1980, 3)),
    ("1980", BirthDate(1980)),
    ("00.00.1980", BirthDate(1980)),
    ("1980-XX-XX", BirthDate(1980)),
    (dt.date(1980, 3, 4), BirthDate(1980, 3, 4)),
    ("01.01.1980", BirthDate(1980, placeholder=True)),
    ("1900-01-01", None),
    ("1970-01-01", None),
    ("", None),
])
def test_dates_of_birth_keep_their_precision(value, expected):
    assert parse_birth_date(value) == expected


def test_precision_given_apart_cuts_the_date_and_placeholders_are_year_only():
    assert parse_birth_date("1980-03-04", "month") == BirthDate(1980, 3)
    assert parse_birth_date("1980-03-04", "year").precision == "year"
    placeholder = parse_birth_date("1980-01-01")
    assert placeholder.placeholder and placeholder.precision == "year"
    assert BirthDate(1980, 3, 4).swapped() == BirthDate(1980, 4, 3)
    assert BirthDate(1980, 3, 13).swapped() is None


@pytest.mark.parametrize("bad", ["31.02.1980", "1790-01-02", "yesterday", "2999-05-05"])
def test_impossible_dates_are_refused_with_a_reason(bad):
    with pytest.raises(NormalisationError):
        parse_birth_date(bad)
