"""The matching engine: candidates by keys (OR-ed, capped), scored with rapidfuzz, explained.

Independent of the database: it asks a `CandidateIndex` (see sources.py) for the records under
a query's keys and scores each one. Scoring adds evidence in points, like a Fellegi–Sunter
weight: names (Jaro–Winkler on the transliterated words, best spelling, words in any order),
date of birth (by precision; swapped day and month), nationality, identifiers. The points become
a score between 0 and 1; every feature that counted is written out as a reason for the officer.

Two rules keep chance from making hits: a very common name (its key too common to be followed, or
shared by many records) and a placeholder date of birth never make a hit on their own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA, Indel, JaroWinkler

from casemgmt.crosscheck.birthdates import BirthDate
from casemgmt.crosscheck.keys import IDENTIFIER_KINDS, Subject, identifier_text, query_keys
from casemgmt.crosscheck.names import (  # noqa: F401  (re-exported: the engine's public names)
    AGREEMENT,
    NameAgreement,
    compare_names,
    describe,
    name_reason,
    token_similarity,
)
from casemgmt.crosscheck.normalise import PARTICLES

_jw = JaroWinkler.normalized_similarity
_indel = Indel.normalized_similarity

STRONG = 0.90
POSSIBLE = 0.60
DEFAULT_CAP = 50
COMMON_NAME_RECORDS = 5  # more records than this with exactly the same name: a common name
STRONG_WORD = 0.95  # every word at least this alike (one keying error) for a strong hit on names


@dataclass
class Hit:
    subject: Subject
    score: float
    level: str  # "strong" or "possible"
    reasons: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def _points_for_name(names: NameAgreement, *, dates_compared: bool) -> float:
    # 0.88 is where Jaro-Winkler stops telling variants from strangers; 1.0 gives +4.5. Without
    # dates of birth to compare, only a name that is (nearly) the same counts.
    if dates_compared:
        points = max(-8.0, min(4.5, 40.0 * (names.similarity - 0.88)))
    else:
        points = max(-8.0, 4.5 - 80.0 * (1.0 - names.similarity))
    if names.weakest < 0.85:
        points -= 1.5 + 25.0 * (0.85 - names.weakest)
    return points


def _birth_evidence(q, r) -> tuple[float, str | None, bool]:
    """(points, reason, decisive) for two dates of birth, by the precision both have."""
    if q is None or r is None:
        return 0.0, None, False
    if q.year != r.year:
        if _year_typo(q, r):
            return 0.5, f"date of birth {q.text()} and {r.text()} differ only in the year (a typo?)", False
        return -5.0, f"dates of birth differ: {q.text()} and {r.text()}", False
    placeholder = q.placeholder or r.placeholder
    if q.day and r.day:
        if (q.month, q.day) == (r.month, r.day):
            return 4.5, f"same date of birth {q.text()}", True
        if (q.month, q.day) == (r.day, r.month):
            return 3.5, f"date of birth {q.text()} is {r.text()} with day and month swapped", True
        if q.month == r.month:
            return -1.5, f"dates of birth differ in the day: {q.text()} and {r.text()}", False
        return -4.0, f"dates of birth differ: {q.text()} and {r.text()}", False
    if q.month and r.month:
        if q.month != r.month:
            return -3.0, f"dates of birth differ: {q.text()} and {r.text()}", False
        return 2.0, f"born the same month {r.text()[:7]} (known to the month only)", False
    if placeholder:
        return 0.25, f"born the same year {q.year} (1 January is a placeholder date: year only)", False
    return 0.5, f"born the same year {q.year} (known to the year only)", False


def score_person(query: Subject, record: Subject, *, common_name: bool = False,
                 memo: dict | None = None, limits: list[str] | None = None,
                 explain: bool = True) -> tuple[float, list[str]]:
    """(points, reasons) for two persons; `limits` collects what keeps the hit from being stronger
    (a missing, coarse or differing field). `explain=False`: the points alone (no reasons), for
    the many candidates that turn out no hit."""
    names = compare_names(query.name, record.name, memo)
    points = _points_for_name(names, dates_compared=query.birth is not None and record.birth is not None)
    if not explain:
        points += _birth_evidence(query.birth, record.birth)[0]
        if query.nationality and record.nationality:
            points += 0.25 if query.nationality == record.nationality else -1.0
        if common_name and not _birth_evidence(query.birth, record.birth)[2]:
            points = min(points, 0.0)
        return points, []
    limits = limits if limits is not None else []
    reasons: list[str] = [name_reason(names)]
    if names.pairs and names.weakest < STRONG_WORD and isinstance(limits, Limits):
        (x, y, sim), how = min(zip(names.pairs, names.how, strict=False), key=lambda item: item[0][2])
        limits.capped = (f"{x} ~ {y} agree only as {describe(how, sim)}: a strong hit needs every word the same "
                         "up to a transliteration, a spelling or one keying error, or an identifier in common")
    if names.similarity < 0.97:
        limits.append(f"the names are alike, not the same ({names.similarity:.0%})")
    if names.swapped:
        reasons.append("surname and given names swapped")
    birth_points, birth_reason, decisive = _birth_evidence(query.birth, record.birth)
    if birth_reason:
        reasons.append(birth_reason)
        if birth_points < 0:
            limits.append("the dates of birth differ")
        elif not decisive:
            limits.append("the date of birth is not known to the day on both sides")
    else:
        side = ("either side" if query.birth is None and record.birth is None
                else "the case's entity" if query.birth is None else "the matched record")
        reasons.append(f"no date of birth to compare (none on {side}): the name alone makes at most a "
                       "possible hit")
        limits.append("no date of birth to compare")
    points += birth_points
    if query.nationality and record.nationality:
        if query.nationality == record.nationality:
            points += 0.25  # weak: a name's culture already says much of it
            reasons.append(f"same nationality {record.nationality}")
        else:
            points -= 1.0
            reasons.append(f"nationality differs: {query.nationality} and {record.nationality}")
            limits.append("the nationalities differ")
    else:
        reasons.append("nationality not compared (not known on "
                       + ("either side)" if not query.nationality and not record.nationality
                          else "the case's entity)" if not query.nationality else "the matched record)"))
    if common_name and not decisive:
        # A very common name with nothing else that identifies: never a hit alone.
        points = min(points, 0.0)
        reasons.append("very common name: the name alone cannot make a hit")
        limits.append("the name is very common")
    return points, reasons


def score_identifiers(query: Subject, record: Subject, limits: list[str] | None = None) -> tuple[float, list[str]]:
    """(points, reasons): each identifier that agrees exactly after normalisation, with what it
    is worth (IDENTIFIER_KINDS); identifiers of one kind on both sides that all differ are said too."""
    limits = limits if limits is not None else []
    points = 0.0
    reasons = []
    agreed: set[str] = set()
    for qi in query.identifiers:
        for ri in record.identifiers:
            if qi.type != ri.type or qi.value != ri.value:
                continue
            kind = IDENTIFIER_KINDS[qi.type]
            agreed.add(qi.type)
            if qi.country and ri.country and qi.country != ri.country:
                points += min(4.0, kind.points)  # the same number from two countries: worth a look, no more
                reasons.append(f"same {kind.label} {qi.value} but issued by {qi.country} and {ri.country}")
                limits.append(f"the {kind.label} was issued by two countries")
            else:
                points += kind.points
                reasons.append(f"same {kind.label} {identifier_text(ri)}" + (f" ({kind.caveat})" if kind.caveat else ""))
                if kind.caveat:
                    limits.append(kind.caveat)
    for kind_type in sorted({i.type for i in query.identifiers} & {i.type for i in record.identifiers} - agreed):
        label = IDENTIFIER_KINDS[kind_type].label
        mine = ", ".join(identifier_text(i) for i in query.identifiers if i.type == kind_type)
        theirs = ", ".join(identifier_text(i) for i in record.identifiers if i.type == kind_type)
        reasons.append(f"{label} differs: {mine} and {theirs}")
    return points, reasons


def to_score(points: float) -> float:
    """Points to a score in [0, 1]: 4 points (a perfect name alone) is 0.62, 8 points 0.98."""
    return 1.0 / (1.0 + math.exp(-(points - 3.5)))


def score(query: Subject, record: Subject, *, common_name: bool = False,
          memo: dict | None = None, limits: list[str] | None = None, explain: bool = True) -> tuple[float, list[str]]:
    """(score, reasons); `limits` (when given) collects what keeps the score down; `explain=False`:
    the score alone."""
    limits = limits if limits is not None else Limits()
    points, reasons = score_identifiers(query, record, limits)
    identified = points >= 8.0
    if query.is_person and record.is_person:
        person_points, person_reasons = score_person(query, record, common_name=common_name and not points,
                                                     memo=memo, limits=limits, explain=explain)
        points += person_points
        reasons += person_reasons
    elif query.is_person != record.is_person and points:
        reasons.append("no name compared: " + ("the matched record" if query.is_person else "the case's entity")
                       + " names nobody")
    if identified and isinstance(limits, Limits):
        limits.capped = ""  # an identifier in common makes up for names that only sound alike
    return to_score(points), reasons


class Limits(list):
    """What keeps a hit's score down (reasons in words); `capped`: why it cannot be strong whatever
    its score (a word of the names agrees only by sound, similarity or as an equivalent)."""

    capped: str = ""


def why_not_stronger(value: float, limits: list[str], strong: float = STRONG) -> str:
    """The reason a possible hit gives for not being strong."""
    said = [x for x in dict.fromkeys([getattr(limits, "capped", ""), *limits]) if x]
    if not said:
        said = [f"the evidence adds up to {value:.0%}, below the {strong:.0%} of a strong hit"]
    return "possible, not strong: " + "; ".join(said)


WEAK_OUTLINE = 0.75


def _weak(keys: list[tuple[str, str]]) -> bool:
    """Found by a single key that is coarse: a year or month of birth with one name sound, or the
    sound of the whole name alone."""
    if len(keys) != 1:
        return False
    kt, kv = keys[0]
    return kt == "name_ph" or (kt == "dob_ph" and kv.index(":") < 8)


def _outline(canonicals: list[str]) -> str:
    """The ICAO spellings of a name's words in alphabetical order: a quick look-alike test."""
    return " ".join(sorted(w for w in canonicals if w not in PARTICLES))


def _year_typo(q, r) -> bool:
    """Same day and month, the years one keying error apart (1975/1976, 1957/1975)."""
    return bool(q.day and r.day and (q.month, q.day) == (r.month, r.day)
                and OSA.distance(str(q.year), str(r.year)) <= 1)


@dataclass
class SearchStats:
    keys: int = 0
    skipped_keys: list[str] = field(default_factory=list)
    candidates: int = 0


def search(index, country: str, query: Subject, *, cap: int = DEFAULT_CAP, possible: float = POSSIBLE,
           strong: float = STRONG, exclude=None, stats: SearchStats | None = None,
           keys: list[tuple[str, str]] | None = None) -> list[Hit]:
    """Hits for one query among one country's records, best first.

    `index` answers lookup(country, keys, cap) → {key: [record ids]} (a key with more than `cap`
    records comes back with cap + 1 of them) and fetch(ids, plausible) → {id: Subject} (it may
    leave out, without reading them whole, records for which plausible(id, date of birth key,
    ICAO spellings of the name's words, has identifiers) is false). `exclude(subject)` drops
    records that must not be hits (e.g. the query's own case). `keys`: the query's keys, sorted,
    when worked out already (query_keys)."""
    keys = keys if keys is not None else sorted(query_keys(query))
    stats = stats if stats is not None else SearchStats()
    stats.keys += len(keys)
    via, common_name = _candidates(index.lookup(country, keys, cap), cap, stats)
    plausible = _plausibility(query, via)
    records = index.fetch(list(via), plausible)
    hits = []
    memo: dict = {}
    for record_id, record in records.items():
        if exclude is not None and exclude(record):
            continue
        if not plausible(record_id, record.birth.key() if record.birth else None,
                         [w.canonical for w in record.name.tokens] if record.name else [], bool(record.identifiers)):
            continue
        if not record.identifiers and score(query, record, common_name=common_name, memo=memo,
                                            explain=False)[0] < possible:
            continue  # no hit: not worth its reasons
        limits = Limits()
        value, reasons = score(query, record, common_name=common_name, memo=memo, limits=limits)
        if value >= possible:
            level = "strong" if value >= strong and not limits.capped else "possible"
            if level == "possible":
                reasons = [*reasons, why_not_stronger(value, limits, strong)]
            hits.append(Hit(record, round(value, 3), level, reasons, sorted({kt for kt, _ in via[record_id]})))
    hits.sort(key=lambda h: (-h.score, h.subject.ref))
    return hits


def _candidates(found: dict, cap: int, stats: SearchStats) -> tuple[dict[int, list[tuple[str, str]]], bool]:
    """({record id: the keys that found it}, whether the name is a common one) of a lookup; a key with
    more than `cap` records finds none (it is named in `stats`)."""
    via: dict[int, list[tuple[str, str]]] = {}
    common_name = False
    for key, ids in found.items():
        if key[0] == "name" and len(ids) > COMMON_NAME_RECORDS:
            common_name = True
        if len(ids) > cap:
            stats.skipped_keys.append(f"{key[0]}={key[1]}")
            continue
        for record_id in ids:
            via.setdefault(record_id, []).append(key)
    stats.candidates += len(via)
    return via, common_name


def _plausibility(query: Subject, via: dict[int, list[tuple[str, str]]]):
    """plausible(record id, date of birth key, canonical name words, has identifiers) for `query`."""
    birth = query.birth
    query_outline = _outline([w.canonical for w in query.name.tokens]) if query.name else ""

    def plausible(record_id: int, birth_key: str | None, canonicals: list[str], has_identifiers: bool) -> bool:
        """The cheap tests, on the stored text, before a record is read whole and scored."""
        if has_identifiers and query.identifiers:
            return True  # an identifier may agree: score it whatever the rest
        # dates of birth years apart: no name makes up for it (see _birth_evidence)
        if birth is not None and birth_key is not None and int(birth_key[:4]) != birth.year \
                and not _year_typo(birth, BirthDate.from_key(birth_key)):
            return False
        # found by one coarse key only, and the names do not even look alike
        return not (query_outline and canonicals and _weak(via[record_id])
                    and _jw(query_outline, _outline(canonicals)) < WEAK_OUTLINE)

    return plausible


__all__ = ["STRONG", "POSSIBLE", "DEFAULT_CAP", "Hit", "compare_names", "score", "search", "SearchStats"]
