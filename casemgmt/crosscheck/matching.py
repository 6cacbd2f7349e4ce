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

from casemgmt.crosscheck.keys import Subject, query_keys
from casemgmt.crosscheck.normalise import PARTICLES, BirthDate, NameForm, Word, phonetic_codes

_jw = JaroWinkler.normalized_similarity
_indel = Indel.normalized_similarity

STRONG = 0.90
POSSIBLE = 0.60
DEFAULT_CAP = 50
COMMON_NAME_RECORDS = 5  # more records than this with exactly the same name: a common name
SURNAME_WEIGHT = 1.5  # surnames tell people apart better than given names


@dataclass
class Hit:
    subject: Subject
    score: float
    level: str  # "strong" or "possible"
    reasons: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


@dataclass
class NameAgreement:
    similarity: float
    pairs: list[tuple[str, str, float]]
    swapped: bool
    unmatched: int
    weakest: float = 1.0


def token_similarity(a: Word, b: Word) -> tuple[float, str, str]:
    """(similarity, spelling of a, spelling of b) of two words: the best mean of Jaro-Winkler and
    the Indel ratio over their spellings (two words of one script: as written), raised for one
    keying error (0.95) or the same sound (0.93, or 0.90 for a two-letter phonetic key).

    Jaro-Winkler alone rates names with a long common beginning or ending close (Szymardewski,
    Szymanrek: 0.91); the Indel ratio counts the letters that differ (0.76)."""
    common = a & b
    if common:
        word = a.canonical if a.canonical in common else min(common)
        return 1.0, word, word
    if a.native and b.native:
        pairs = [(a.native, b.native), (a.canonical, b.canonical)]
    else:
        pairs = [(x, y) for x in a if x.isascii() for y in b if y.isascii()]
    best, bx, by = -1.0, a.canonical, b.canonical
    for x, y in pairs:
        sim = (_jw(x, y) + _indel(x, y)) / 2
        if sim > best:
            best, bx, by = sim, x, y
    if best < 0.95 and min(len(bx), len(by)) >= 4 and OSA.distance(bx, by, score_cutoff=1) <= 1:
        best = 0.95
    if best < 0.93:
        codes = phonetic_codes(a) & phonetic_codes(b)
        if codes:
            longest = max(len(c) for c in codes)
            best = max(best, 0.93 if longest >= 3 else 0.90 if longest == 2 else best)
    return best, bx, by


def compare_names(query: NameForm, record: NameForm, memo: dict | None = None) -> NameAgreement:
    """Align the words of two names (any order) on their best similarity; the mean is weighted by
    length, surnames weighing more; the weakest aligned pair is kept (one word that differs
    outright is a different person, however alike the rest)."""
    q_words = [t for t in query.tokens if not t <= PARTICLES] or list(query.tokens)
    r_words = [t for t in record.tokens if not t <= PARTICLES] or list(record.tokens)
    n_q_surname = len([t for t in query.surname if not t <= PARTICLES])
    n_r_surname = len([t for t in record.surname if not t <= PARTICLES])
    scored = []
    for i, q in enumerate(q_words):
        for j, r in enumerate(r_words):
            if memo is not None:
                found = memo.get((q, r))
                if found is None:
                    found = memo[(q, r)] = token_similarity(q, r)
            else:
                found = token_similarity(q, r)
            scored.append((found[0], i, j, found[1], found[2]))
    scored.sort(key=lambda item: -item[0])
    used_q: set[int] = set()
    used_r: set[int] = set()
    pairs = []
    total = weight = 0.0
    weakest = 1.0
    mapping = {}
    for sim, i, j, x, y in scored:
        if i in used_q or j in used_r:
            continue
        used_q.add(i)
        used_r.add(j)
        mapping[i] = j
        w = max(len(x), len(y)) * (SURNAME_WEIGHT if i < n_q_surname or j < n_r_surname else 1.0)
        total += sim * w
        weight += w
        weakest = min(weakest, sim)
        pairs.append((x, y, sim))
    similarity = total / weight if weight else 0.0
    unmatched = len(q_words) + len(r_words) - 2 * len(pairs)
    similarity -= 0.03 * unmatched
    swapped = bool(query.surname and query.given and record.surname and record.given) and all(
        (i < n_q_surname) != (j < n_r_surname) for i, j in mapping.items())
    return NameAgreement(max(similarity, 0.0), pairs, swapped, unmatched, weakest if pairs else 0.0)


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
                 memo: dict | None = None) -> tuple[float, list[str]]:
    """(points, reasons) for two persons."""
    reasons: list[str] = []
    names = compare_names(query.name, record.name, memo)
    points = _points_for_name(names, dates_compared=query.birth is not None and record.birth is not None)
    shown = ", ".join(f"{x}~{y}" if x != y else x for x, y, _ in names.pairs)
    reasons.append(f"names agree {names.similarity:.0%} (Jaro-Winkler and Indel after transliteration: {shown})"
                   if names.similarity >= 0.85 else f"names differ ({names.similarity:.0%}: {shown})")
    if names.swapped:
        reasons.append("surname and given names swapped")
    birth_points, birth_reason, decisive = _birth_evidence(query.birth, record.birth)
    if birth_reason:
        reasons.append(birth_reason)
    points += birth_points
    if query.nationality and record.nationality:
        if query.nationality == record.nationality:
            points += 0.25  # weak: a name's culture already says much of it
            reasons.append(f"same nationality {record.nationality}")
        else:
            points -= 1.0
            reasons.append(f"nationality differs: {query.nationality} and {record.nationality}")
    if common_name and not decisive:
        # A very common name with nothing else that identifies: never a hit alone.
        points = min(points, 0.0)
        reasons.append("very common name: the name alone cannot make a hit")
    return points, reasons


def score_identifiers(query: Subject, record: Subject) -> tuple[float, list[str]]:
    points = 0.0
    reasons = []
    for qi in query.identifiers:
        for ri in record.identifiers:
            if qi.type != ri.type or qi.value != ri.value:
                continue
            label = {"doc": "document number", "vin": "VIN", "plate": "number plate", "phone": "phone number",
                     "email": "e-mail address", "company": "company name"}[qi.type]
            if qi.country and ri.country and qi.country != ri.country:
                points += 4.0  # the same number from two countries: worth a look, no more
                reasons.append(f"same {label} {qi.value} but issued by {qi.country} and {ri.country}")
            else:
                points += 3.0 if qi.type == "company" else 8.0
                reasons.append(f"same {label} {ri.text()}")
    return points, reasons


def to_score(points: float) -> float:
    """Points to a score in [0, 1]: 4 points (a perfect name alone) is 0.62, 8 points 0.98."""
    return 1.0 / (1.0 + math.exp(-(points - 3.5)))


def score(query: Subject, record: Subject, *, common_name: bool = False,
          memo: dict | None = None) -> tuple[float, list[str]]:
    points, reasons = score_identifiers(query, record)
    if query.is_person and record.is_person:
        person_points, person_reasons = score_person(query, record, common_name=common_name and not points,
                                                     memo=memo)
        points += person_points
        reasons += person_reasons
    return to_score(points), reasons


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
    found = index.lookup(country, keys, cap)
    stats = stats if stats is not None else SearchStats()
    stats.keys += len(keys)
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

    records = index.fetch(list(via), plausible)
    hits = []
    memo: dict = {}
    for record_id, record in records.items():
        if exclude is not None and exclude(record):
            continue
        if not plausible(record_id, record.birth.key() if record.birth else None,
                         [w.canonical for w in record.name.tokens] if record.name else [], bool(record.identifiers)):
            continue
        value, reasons = score(query, record, common_name=common_name, memo=memo)
        if value >= possible:
            hits.append(Hit(record, round(value, 3), "strong" if value >= strong else "possible", reasons,
                            sorted({kt for kt, _ in via[record_id]})))
    hits.sort(key=lambda h: (-h.score, h.subject.ref))
    return hits


__all__ = ["STRONG", "POSSIBLE", "DEFAULT_CAP", "Hit", "compare_names", "score", "search", "SearchStats"]
