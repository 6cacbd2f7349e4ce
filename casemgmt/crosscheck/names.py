"""Names compared word by word: the agreement level of two words and the alignment of two names.

Two words agree as the same word, another transliteration or spelling, a particle written joined
and apart (Van der Berg / Vanderberg), two words written as one (Abdel Rahman / Abdelrahman), one
keying error, the same sound (the letter-group key of phonetic.py, or Metaphone), given names that
are one name in two languages (given_names.py), or by their Jaro-Winkler and Indel similarity.
Each level is written out in the hit's reasons (`describe`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz.distance import OSA, Indel, JaroWinkler

from casemgmt.crosscheck.normalise import (
    JOINED_PREFIXES,
    PARTICLES,
    NameForm,
    Word,
    given_name_group,
    metaphone_codes,
    phonetic_codes,
)
from portal.enums import N_

_jw = JaroWinkler.normalized_similarity
_indel = Indel.normalized_similarity
SURNAME_WEIGHT = 1.5  # surnames tell people apart better than given names


@dataclass
class NameAgreement:
    similarity: float
    pairs: list[tuple[str, str, float]]
    swapped: bool
    unmatched: int
    weakest: float = 1.0
    how: list[str] = field(default_factory=list)  # for each pair: its agreement level (AGREEMENT)


# The agreement levels of two words, as the hit explains them.
AGREEMENT = {  # marked for the catalogues: the hits page says them in the reader's language (reason_text.py)
    "same": N_("the same"),
    "spelling": N_("the same name in another transliteration or spelling"),
    "particle": N_("particle written joined and apart"),
    "joined": N_("written as one word and as two"),
    "typo": N_("one keying error apart"),
    "sound": N_("the same sound (phonetic key %(code)s)"),
    "metaphone": N_("the same sound (Metaphone %(code)s)"),
    "equivalent": N_("one given name in two languages (%(code)s)"),
    "similar": N_("similar spellings (%(sim)s)"),
    "differ": N_("different (%(sim)s)"),
}


def _split_prefixes(text: str) -> bool:
    """Whether `text` is one or more particles written together (vander, di, o, mc)."""
    if not text:
        return True
    return any(text.startswith(p) and _split_prefixes(text[len(p):]) for p in JOINED_PREFIXES if p)


def _is_joined(word: Word) -> bool:
    """A word normalise._joined made of particles and a word (its spellings hold the bare word)."""
    canonical = word.canonical
    return any(s != canonical and canonical.endswith(s) and _split_prefixes(canonical[:-len(s)])
               for s in word if s.isascii())


def token_similarity(a: Word, b: Word) -> tuple[float, str, str, str]:
    """(similarity, spelling of a, spelling of b, agreement level) of two words: the best mean of
    Jaro-Winkler and the Indel ratio over their spellings (two words of one script: as written),
    raised for one keying error (0.95), the same sound by the letter-group key (0.93, or 0.90 for
    a two-letter key), by Metaphone (0.92, or 0.90 for a two-letter key) or for given names that
    are one name in two languages (0.93, given_names.py). The level says which of these applied:
    "code" in the reason is the key or group that agreed.

    Jaro-Winkler alone rates names with a long common beginning or ending close (Szymardewski,
    Szymanrek: 0.91); the Indel ratio counts the letters that differ (0.76)."""
    common = a & b
    if common:
        word = a.canonical if a.canonical in common else min(common)
        if a.canonical == b.canonical and _is_joined(a) == _is_joined(b):
            how = "same"
        elif _is_joined(a) != _is_joined(b):
            how = "particle"
        else:
            how = "spelling"
        return 1.0, word, word, how
    if a.native and b.native:
        pairs = [(a.native, b.native), (a.canonical, b.canonical)]
    else:
        pairs = [(x, y) for x in a if x.isascii() for y in b if y.isascii()]
    best, bx, by = -1.0, a.canonical, b.canonical
    for x, y in pairs:
        sim = (_jw(x, y) + _indel(x, y)) / 2
        if sim > best:
            best, bx, by = sim, x, y
    how = "similar" if best >= 0.85 else "differ"
    if best < 0.95 and min(len(bx), len(by)) >= 4 and OSA.distance(bx, by, score_cutoff=1) <= 1:
        best, how = 0.95, "typo"
    if best < 0.93:
        codes = phonetic_codes(a) & phonetic_codes(b)
        if codes:
            longest = max(len(c) for c in codes)
            level = 0.93 if longest >= 3 else 0.90 if longest == 2 else best
            if level > best:
                best, how = level, f"sound:{max(codes, key=len)}"
    if best < 0.92:
        codes = metaphone_codes(a) & metaphone_codes(b)
        if codes:
            longest = max(len(c) for c in codes)
            level = 0.92 if longest >= 3 else 0.90
            if level > best:
                best, how = level, f"metaphone:{max(codes, key=len)}"
    if best < 0.93:
        group = given_name_group(a)
        if group is not None and group == given_name_group(b):
            best, how = 0.93, f"equivalent:{group}"
    return best, bx, by, how


def describe(how: str, sim: float) -> str:
    """An agreement level in words ("the same sound (Metaphone MR)")."""
    kind, _, code = how.partition(":")
    return AGREEMENT.get(kind, kind) % {"code": code, "sim": f"{sim:.0%}"}


def _merged(a: Word, b: Word) -> Word:
    """Two adjacent words as one (Abdel Rahman → abdelrahman), for a name written both ways."""
    spelt = {x + y for x in sorted(a)[:4] if x.isascii() for y in sorted(b)[:4] if y.isascii()}
    spelt.add(a.canonical + b.canonical)
    return Word(spelt, a.canonical + b.canonical)


def _align(q_words, r_words, n_q_surname, n_r_surname, memo, merged_q=(), merged_r=()):
    scored = []
    for i, q in enumerate(q_words):
        for j, r in enumerate(r_words):
            if memo is not None:
                found = memo.get((q, r))
                if found is None:
                    found = memo[(q, r)] = token_similarity(q, r)
            else:
                found = token_similarity(q, r)
            scored.append((found[0], i, j, found[1], found[2], found[3]))
    scored.sort(key=lambda item: -item[0])
    used_q: set[int] = set()
    used_r: set[int] = set()
    pairs = []
    hows = []
    total = weight = 0.0
    weakest = 1.0
    mapping = {}
    for sim, i, j, x, y, how in scored:
        if i in used_q or j in used_r:
            continue
        used_q.add(i)
        used_r.add(j)
        mapping[i] = j
        if (i in merged_q or j in merged_r) and sim >= 0.9:
            how = "joined"
        w = max(len(x), len(y)) * (SURNAME_WEIGHT if i < n_q_surname or j < n_r_surname else 1.0)
        total += sim * w
        weight += w
        weakest = min(weakest, sim)
        pairs.append((x, y, sim))
        hows.append(how)
    similarity = total / weight if weight else 0.0
    unmatched = len(q_words) + len(r_words) - 2 * len(pairs)
    similarity -= 0.03 * unmatched
    return similarity, pairs, hows, mapping, unmatched, weakest if pairs else 0.0


def _merge_adjacent(words: list, n_surname: int):
    """Each way of writing two adjacent words of one part (surname or given names) as one."""
    for k in range(len(words) - 1):
        if (k < n_surname) != (k + 1 < n_surname):
            continue  # never across surname and given names
        merged = [*words[:k], _merged(words[k], words[k + 1]), *words[k + 2:]]
        yield merged, n_surname - 1 if k < n_surname else n_surname, k


def compare_names(query: NameForm, record: NameForm, memo: dict | None = None) -> NameAgreement:
    """Align the words of two names (any order) on their best similarity; the mean is weighted by
    length, surnames weighing more; the weakest aligned pair is kept (one word that differs
    outright is a different person, however alike the rest). A name with more words than the
    other is also read with two adjacent words written as one (Abdel Rahman / Abdelrahman)."""
    q_words = [t for t in query.tokens if not t <= PARTICLES] or list(query.tokens)
    r_words = [t for t in record.tokens if not t <= PARTICLES] or list(record.tokens)
    n_q_surname = len([t for t in query.surname if not t <= PARTICLES])
    n_r_surname = len([t for t in record.surname if not t <= PARTICLES])
    best = _align(q_words, r_words, n_q_surname, n_r_surname, memo)
    if len(q_words) != len(r_words) and len(q_words) + len(r_words) <= 10 and best[5] < 0.9:
        longer_is_query = len(q_words) > len(r_words)
        words, n_surname = (q_words, n_q_surname) if longer_is_query else (r_words, n_r_surname)
        others = [w.canonical for w in (r_words if longer_is_query else q_words)]
        for merged, n_merged, k in _merge_adjacent(words, n_surname):
            joined = merged[k].canonical
            if max((_jw(joined, o) for o in others), default=0.0) < 0.85:
                continue  # the two words written as one look like no word of the other name
            if longer_is_query:
                found = _align(merged, r_words, n_merged, n_r_surname, memo, merged_q={k})
            else:
                found = _align(q_words, merged, n_q_surname, n_merged, memo, merged_r={k})
            if found[0] > best[0] + 0.02 and found[5] >= best[5]:
                best = found
                if longer_is_query:
                    n_q_surname = n_merged
                else:
                    n_r_surname = n_merged
    similarity, pairs, hows, mapping, unmatched, weakest = best
    swapped = bool(query.surname and query.given and record.surname and record.given) and all(
        (i < n_q_surname) != (j < n_r_surname) for i, j in mapping.items())
    return NameAgreement(max(similarity, 0.0), pairs, swapped, unmatched, weakest, hows)


def name_reason(names: NameAgreement) -> str:
    """Each aligned word pair with its agreement level, then the whole."""
    parts = []
    for (x, y, sim), how in zip(names.pairs, names.how or ["similar"] * len(names.pairs), strict=False):
        words = x if x == y else f"{x} ~ {y}"
        parts.append(f"{words}: {describe(how, sim)}")
    head = (f"names agree {names.similarity:.0%}" if names.similarity >= 0.85
            else f"names differ ({names.similarity:.0%})")
    extra = f"; {names.unmatched} word(s) without a counterpart" if names.unmatched else ""
    return f"{head} (after transliteration, Jaro-Winkler and Indel: {'; '.join(parts)}{extra})"


__all__ = ["NameAgreement", "AGREEMENT", "token_similarity", "describe", "compare_names", "name_reason"]
