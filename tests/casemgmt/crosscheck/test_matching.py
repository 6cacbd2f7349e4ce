"""The matching engine on its own (an in-memory index): candidates, scores, reasons, thresholds."""

from __future__ import annotations

import pytest

from casemgmt.crosscheck.birthdates import parse_birth_date
from casemgmt.crosscheck.keys import Identifier, Subject, query_keys, record_keys
from casemgmt.crosscheck.matching import POSSIBLE, STRONG, SearchStats, compare_names, search
from casemgmt.crosscheck.normalise import normalise_name
from casemgmt.crosscheck.sources import MemoryIndex


def person(surname, given="", dob="", nationality=None, ref="", **kw) -> Subject:
    return Subject(name=normalise_name(surname, given), birth=parse_birth_date(dob), nationality=nationality,
                   display=f"{surname}, {given} {dob}".strip(), ref=ref or f"{surname}/{given}/{dob}", **kw)


@pytest.fixture
def index() -> MemoryIndex:
    idx = MemoryIndex()
    for subject in [
        person("Щербаков", "Дмитрий", "04.03.1975", "UA", ref="target"),
        person("Kowalski", "Jan", "03.04.1980", "PL", ref="kowalski"),
        person("Müller", "Jürgen", "1966", "DE", ref="mueller"),
        person("Παπαδόπουλος", "Γεώργιος", "21.11.1990", "EL", ref="papadopoulos"),
        person("Nowak", "Anna", "", "PL", ref="nowak-nodob"),
        person("Petrenko", "Olena", "01.01.1985", "UA", ref="placeholder"),
    ]:
        idx.add("BE", subject)
    return idx


def refs(hits):
    return [h.subject.ref for h in hits]


@pytest.mark.parametrize("query, why", [
    (person("Shcherbakov", "Dmitrii", "1975-03-04"), "ICAO transliteration"),
    (person("Schtscherbakow", "Dmitri", "04.03.1975"), "German transliteration"),
    (person("Szczerbakow", "Dmitrij", "04.03.1975"), "Polish transliteration"),
    (person("Dmitry", "Shcherbakov", "04.03.1975"), "surname and given name swapped"),
    (person("Shcherbakow", "Dmitriy", "03.04.1975"), "day and month swapped"),
    (person("Щербакова", "Дмитрий", "04.03.1975"), "a typo"),
    (person("Щербаков", "Дмитрий", ""), "date of birth missing"),
])
def test_variants_of_one_person_are_found_with_their_reasons(index, query, why):
    hits = search(index, "BE", query)
    assert refs(hits)[:1] == ["target"], why
    hit = hits[0]
    assert hit.score >= POSSIBLE and hit.reasons
    assert any("names agree" in r for r in hit.reasons)


def test_a_full_match_is_strong_and_says_why(index):
    (hit,) = search(index, "BE", person("Shcherbakov", "Dmitrii", "04.03.1975", "UA"))
    assert hit.level == "strong" and hit.score >= STRONG
    assert "same date of birth 1975-03-04" in hit.reasons
    assert "same nationality UA" in hit.reasons
    assert "dob_ph" in hit.keys


def test_swapped_day_and_month_and_swapped_names_are_named(index):
    (hit,) = search(index, "BE", person("Dmitrii", "Shcherbakov", "03.04.1975"))
    assert "surname and given names swapped" in hit.reasons
    assert any("day and month swapped" in r for r in hit.reasons)


def test_a_name_alone_is_at_most_a_possible_hit(index):
    (hit,) = search(index, "BE", person("Щербаков", "Дмитрий"))
    assert hit.level == "possible"


def test_other_people_are_no_hits(index):
    assert search(index, "BE", person("Shcherbakov", "Dmitrii", "17.09.1976")) == []  # another date
    assert search(index, "BE", person("Kowalczyk", "Jan", "03.04.1980")) == []  # another surname, same date
    assert search(index, "BE", person("Nowicki", "Adam", "")) == []


def test_a_placeholder_date_of_birth_is_no_evidence(index):
    # 1 January is what systems write for "born in 1985": agreeing on it proves nothing more.
    (hit,) = search(index, "BE", person("Petrenko", "Olena", "01.01.1985"))
    assert any("placeholder" in r for r in hit.reasons)
    assert hit.level == "possible"
    assert search(index, "BE", person("Petrenkova", "Olha", "01.01.1985")) == []


def test_a_very_common_name_alone_makes_no_hit():
    idx = MemoryIndex()
    for i in range(8):
        idx.add("BE", person("Smith", "John", f"{10 + i}.05.19{60 + i}", ref=f"smith{i}"))
    assert search(idx, "BE", person("Smith", "John")) == []
    (hit,) = search(idx, "BE", person("Smith", "John", "12.05.1962"))
    assert hit.subject.ref == "smith2" and hit.level == "strong"


def test_candidates_per_key_are_capped():
    idx = MemoryIndex()
    for i in range(30):
        idx.add("BE", person("Lee", "Kim", "1970", ref=f"lee{i}"))
    stats = SearchStats()
    search(idx, "BE", person("Lee", "Kim", "1970"), cap=10, stats=stats)
    assert stats.skipped_keys and stats.candidates == 0


def test_identifiers_match_exactly_and_compare_the_issuing_country():
    idx = MemoryIndex()
    idx.add("BE", Subject(identifiers=(Identifier("doc", "P1234567", "DE"),), display="passport", ref="doc"))
    idx.add("BE", Subject(identifiers=(Identifier("phone", "+3225551234"),), display="phone", ref="phone"))
    (hit,) = search(idx, "BE", Subject(identifiers=(Identifier("doc", "P1234567", "DE"),)))
    assert hit.level == "strong" and "same document number P1234567 (DE)" in hit.reasons
    (hit,) = search(idx, "BE", Subject(identifiers=(Identifier("doc", "P1234567", "FR"),)))
    assert hit.level == "possible" and "issued by FR and DE" in hit.reasons[0]
    (hit,) = search(idx, "BE", Subject(identifiers=(Identifier("phone", "+3225551234"),)))
    assert hit.subject.ref == "phone"


def test_a_country_sees_only_its_own_records(index):
    assert search(index, "NL", person("Shcherbakov", "Dmitrii", "04.03.1975")) == []


def test_query_keys_include_the_swapped_date_and_coarser_precisions():
    q = query_keys(person("Ivanov", "Ivan", "03.04.1980"))
    values = {v for t, v in q if t == "dob_ph"}
    assert {"19800403:FNF", "19800304:FNF", "198004:FNF", "1980:FNF"} <= values
    r = record_keys(person("Ivanov", "Ivan", "03.04.1980"))
    assert ("name", "ivan ivanov") in r and not any(v.startswith("1980:") for _, v in r)


def test_name_comparison_ignores_order_and_weighs_surnames():
    agreement = compare_names(normalise_name("Kowalski", "Jan"), normalise_name("Jan", "Kowalsky"))
    assert agreement.swapped and agreement.similarity > 0.9
    different = compare_names(normalise_name("Kowalski", "Jan"), normalise_name("Wojalska", "Jan"))
    assert different.weakest < 0.85
