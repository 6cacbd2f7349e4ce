"""Synthetic persons for bench/crosscheck.py: names in several scripts and the variants a query brings.

Deterministic for a seed. Surnames are built from syllables (hundreds of thousands of different
ones, as in a real population) in six naming cultures: Russian/Ukrainian/Bulgarian in Cyrillic,
Greek in Greek, German with umlauts, Polish with diacritics, French/Romance, Dutch/Nordic. Given
names come from short lists per culture, and 1 % of persons carry one of a few very common names.

The query variants are spelt by this file's own transliteration tables (Polish, Czech, ELOT-like
and others), not by the cross-check's: a query is spelt the way some other office would.
"""

from __future__ import annotations

import random

CYR_C = list("бвгдж зклмнпрстфхцчшщ".replace(" ", ""))
CYR_V = list("аеиоуяюы")
CYR_SUFFIX_M = ["ов", "ев", "ин", "енко", "ук", "ский", "ович", "ан", "як"]
CYR_GIVEN = ["Иван", "Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Николай", "Юрий", "Евгений",
             "Владимир", "Михаил", "Олег", "Игорь", "Петр", "Виктор", "Елена", "Ольга", "Наталья", "Юлия",
             "Татьяна", "Ирина", "Светлана", "Анна", "Мария", "Екатерина", "Людмила", "Оксана", "Галина",
             "Богдан", "Тарас", "Ярослав", "Христо", "Стоян", "Георги", "Цветан", "Любомир"]
GR_C = list("βγδζθκλμνξπρστφχψ")
GR_V = ["α", "ε", "η", "ι", "ο", "υ", "ω", "ου", "αι"]
GR_SUFFIX = ["όπουλος", "άκης", "ίδης", "άτος", "ίου", "έας", "άς", "ιώτης", "ογλου"]
GR_GIVEN = ["Γεώργιος", "Δημήτριος", "Ιωάννης", "Νικόλαος", "Κωνσταντίνος", "Χρήστος", "Παναγιώτης",
            "Βασίλειος", "Αθανάσιος", "Μιχαήλ", "Ευάγγελος", "Θεόδωρος", "Σπυρίδων", "Μαρία", "Ελένη",
            "Αικατερίνη", "Βασιλική", "Σοφία", "Αγγελική", "Ευαγγελία", "Δήμητρα", "Χρυσούλα", "Ευθυμία"]
DE_ONSET = ["Sch", "Kr", "Br", "W", "M", "H", "B", "Fr", "St", "L", "G", "K", "R", "N", "Pf", "Z", "D", "T",
            "Schw", "Gr", "Kl", "F", "V", "J"]
DE_V = ["a", "e", "i", "o", "u", "ä", "ö", "ü", "au", "ei", "ie", "eu"]
DE_CODA = ["l", "n", "r", "m", "ch", "ck", "tz", "ß", "ll", "rn", "nd", "ld", "rg", "s", "b", "d", "t"]
DE_END = ["mann", "er", "ler", "hardt", "berg", "bauer", "ke", "ling", "inger", "meier", "huber", "ner",
          "stein", "feld", "hofer", "rich", ""]
DE_GIVEN = ["Thomas", "Michael", "Andreas", "Stefan", "Jürgen", "Klaus", "Jörg", "Günther", "Uwe", "Sören",
            "Björn", "Matthias", "Sabine", "Ursula", "Jürgen", "Käthe", "Bärbel", "Jörn", "Anneliese", "Grete",
            "Lukas", "Jonas", "Lena", "Hannah", "Leonie", "Maximilian", "Ömer", "Lütfiye"]
PL_ONSET = ["Kow", "Now", "Wiś", "Wój", "Kam", "Lew", "Zieliń", "Szym", "Woź", "Dąb", "Koz", "Jank", "Maz",
            "Kwiat", "Krawcz", "Grab", "Pawł", "Michal", "Król", "Wiecz", "Jabł", "Wróbl", "Ż", "Sz", "Cz",
            "Ł", "Ś", "Br", "Gr", "Pr", "Dz", "Mił", "Zał", "Gór"]
PL_MID = ["a", "o", "e", "i", "y", "ą", "ę", "ó", "al", "ol", "ar", "er", "an", "on", "ow", "ew", "ył", "ęb", "ąs"]
PL_END = ["ski", "ska", "wicz", "czyk", "ak", "ek", "ik", "owski", "ewski", "ński", "ńska", "kiewicz", "uk"]
PL_GIVEN = ["Łukasz", "Paweł", "Michał", "Krzysztof", "Tomasz", "Grzegorz", "Wojciech", "Piotr", "Jarosław",
            "Małgorzata", "Agnieszka", "Katarzyna", "Bożena", "Jolanta", "Żaneta", "Wiesław", "Zdzisław"]
FR_ONSET = ["B", "D", "G", "L", "M", "P", "R", "V", "Ch", "Br", "Gr", "Tr", "Fl", "Bl", "C", "F", "S", "T",
            "Fr", "Pl", "Gu", "Qu"]
FR_V = ["a", "e", "i", "o", "u", "é", "è", "ou", "ai", "au", "eau", "oi", "ia", "io"]
FR_END = ["ard", "ier", "et", "eau", "in", "ot", "ini", "elli", "ez", "es", "ão", "ois", "and", "ault",
          "ière", "ucci", "etti", "ès", "ón", "ñez"]
FR_GIVEN = ["Jean", "Pierre", "François", "Hélène", "Amélie", "Jérôme", "Stéphane", "Céline", "Noël",
            "José", "María", "Inês", "João", "Giuseppe", "Luca", "Chiara", "Francesca", "Raphaël", "Zoë",
            "Ana", "Iñigo", "Begoña", "Sébastien", "Loïc", "Anaïs"]
NL_ONSET = ["J", "P", "Br", "Kr", "Sm", "V", "H", "L", "N", "Dr", "B", "D", "Gr", "Kl", "Sv", "Ø", "Å"]
NL_V = ["a", "e", "i", "o", "aa", "ee", "oo", "ij", "ui", "ø", "å", "æ", "y"]
NL_END = ["sen", "son", "berg", "ström", "dahl", "lund", "stra", "inga", "kamp", "veld", "dijk", "man", "rud"]
NL_PARTICLE = ["van", "van der", "de", "van den", ""]
NL_GIVEN = ["Jan", "Pieter", "Sander", "Bram", "Sanne", "Femke", "Anouk", "Lars", "Søren", "Åsa", "Bjørn",
            "Ingrid", "Sigrid", "Kristoffer", "Mette", "Ørjan", "Jóhann", "Guðrún", "Sigurður"]

COMMON = [("Иванов", "Иван", "cyr"), ("Müller", "Thomas", "de"), ("Nowak", "Anna", "pl"),
          ("Παπαδόπουλος", "Γεώργιος", "gr"), ("Martin", "Jean", "fr"), ("de Jong", "Jan", "nl"),
          ("Smith", "John", "nl"), ("García", "María", "fr")]

CULTURES = ["cyr", "cyr", "gr", "de", "pl", "fr", "nl"]
NATIONALITY = {"cyr": ["UA", "BG", "RU", "BY", "RS"], "gr": ["EL", "CY"], "de": ["DE", "AT", "CH"],
               "pl": ["PL"], "fr": ["FR", "IT", "ES", "PT", "BE"], "nl": ["NL", "SE", "NO", "DK", "IS"]}


def _cyr_surname(rnd: random.Random) -> str:
    root = rnd.choice(CYR_C) + rnd.choice(CYR_V) + rnd.choice(CYR_C)
    if rnd.random() < 0.6:
        root += rnd.choice(CYR_V) + rnd.choice(CYR_C)
    return (root + rnd.choice(CYR_SUFFIX_M)).capitalize()


def _gr_surname(rnd: random.Random) -> str:
    root = rnd.choice(GR_C) + rnd.choice(GR_V) + rnd.choice(GR_C)
    if rnd.random() < 0.6:
        root += rnd.choice(GR_V) + rnd.choice(GR_C)
    return (root + rnd.choice(GR_SUFFIX)).capitalize()


def _de_surname(rnd):
    return rnd.choice(DE_ONSET) + rnd.choice(DE_V) + rnd.choice(DE_CODA) + rnd.choice(DE_END)


def _pl_surname(rnd):
    return rnd.choice(PL_ONSET) + rnd.choice(PL_MID) + rnd.choice(["", "r", "l", "n", "d"]) + rnd.choice(PL_END)


def _fr_surname(rnd):
    root = rnd.choice(FR_ONSET) + rnd.choice(FR_V) + rnd.choice(["l", "r", "n", "m", "s", "t", "v", "d", "ch"])
    if rnd.random() < 0.5:
        root += rnd.choice(FR_V) + rnd.choice(["l", "r", "n", "t"])
    return root + rnd.choice(FR_END)


def _nl_surname(rnd):
    name = rnd.choice(NL_ONSET) + rnd.choice(NL_V) + rnd.choice(["l", "r", "n", "k", "s", "t", "v"]) + rnd.choice(NL_END)
    particle = rnd.choice(NL_PARTICLE)
    return f"{particle} {name}".strip()


SURNAME = {"cyr": _cyr_surname, "gr": _gr_surname, "de": _de_surname, "pl": _pl_surname, "fr": _fr_surname,
           "nl": _nl_surname}
GIVEN = {"cyr": CYR_GIVEN, "gr": GR_GIVEN, "de": DE_GIVEN, "pl": PL_GIVEN, "fr": FR_GIVEN, "nl": NL_GIVEN}


def person(rnd: random.Random, pid: int) -> dict:
    """One synthetic person: names in the culture's own script, a date of birth with its precision."""
    if rnd.random() < 0.01:
        surname, given, culture = rnd.choice(COMMON)
    else:
        culture = rnd.choice(CULTURES)
        surname = SURNAME[culture](rnd)
        given = rnd.choice(GIVEN[culture])
        if rnd.random() < 0.15:
            given += " " + rnd.choice(GIVEN[culture])
    year, month, day = rnd.randint(1940, 2006), rnd.randint(1, 12), rnd.randint(1, 28)
    r = rnd.random()
    if r < 0.84:
        dob, precision = f"{day:02d}.{month:02d}.{year}", "day"
    elif r < 0.89:
        dob, precision = f"{year}-{month:02d}", "month"
    elif r < 0.93:
        dob, precision = f"{year}", "year"
    elif r < 0.97:
        dob, precision = f"01.01.{year}", "placeholder"
    else:
        dob, precision = "", "none"
    nationality = rnd.choice(NATIONALITY[culture]) if rnd.random() < 0.8 else ""
    document = ""
    if rnd.random() < 0.3:
        document = "".join(rnd.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(9))
    return {"id": pid, "surname": surname, "given_names": given, "dob": dob, "precision": precision,
            "year": year, "month": month, "day": day, "nationality": nationality, "document": document,
            "culture": culture}


# ------------------------------------------------------------------------- query spellings
POLISH_CYR = {"а": "a", "б": "b", "в": "w", "г": "h", "д": "d", "е": "e", "ж": "ż", "з": "z", "и": "i",
              "й": "j", "к": "k", "л": "ł", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
              "у": "u", "ф": "f", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz", "ы": "y", "ю": "ju",
              "я": "ja", "ь": "", "ъ": "", "ё": "io", "э": "e"}
CZECH_CYR = POLISH_CYR | {"в": "v", "ж": "ž", "л": "l", "х": "ch", "ч": "č", "ш": "š", "щ": "šč", "г": "g",
                          "ю": "ju", "я": "ja"}
ENGLISH_CYR = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
               "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
               "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y", "ю": "yu",
               "я": "ya", "ь": "", "ъ": "", "ё": "yo", "э": "e"}
GERMAN_CYR = ENGLISH_CYR | {"в": "w", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z", "ч": "tsch",
                            "ш": "sch", "щ": "schtsch", "ю": "ju", "я": "ja"}
ELOT_GR = {"α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
           "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
           "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o"}
SPOKEN_GR = ELOT_GR | {"υ": "i", "χ": "h", "η": "i", "ξ": "ks", "β": "v", "ω": "o"}
LATIN_EXPAND = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ø": "oe", "å": "aa", "æ": "ae"}


def _spell(text: str, table: dict) -> str:
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c)) \
        if table in (ELOT_GR, SPOKEN_GR) else text.lower()
    if table in (ELOT_GR, SPOKEN_GR):
        plain = plain.replace("ου", "ou")
    out = "".join(table.get(c, c) for c in plain)
    return out.title()


def transliterate(text: str, culture: str, rnd: random.Random) -> str:
    """The name as another office would spell it in Latin letters."""
    if culture == "cyr" and any("\u0400" <= c <= "\u04ff" for c in text):
        return _spell(text, rnd.choice([POLISH_CYR, CZECH_CYR, ENGLISH_CYR, GERMAN_CYR]))
    if culture == "gr" and any("\u0370" <= c <= "\u03ff" for c in text):
        return _spell(text, rnd.choice([ELOT_GR, SPOKEN_GR]))
    if rnd.random() < 0.5:
        return "".join(LATIN_EXPAND.get(c, LATIN_EXPAND.get(c.lower(), c).capitalize() if c.isupper() else c)
                       for c in text).upper()
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def typo(text: str, rnd: random.Random) -> str:
    """One keying error in one word: a letter replaced, dropped, doubled, or two letters exchanged."""
    words = text.split(" ")
    i = max(range(len(words)), key=lambda k: (len(words[k]), rnd.random()))
    word = words[i]
    if len(word) < 4:
        return text
    pos = rnd.randint(1, len(word) - 2)
    op = rnd.choice(["replace", "drop", "double", "swap"])
    if op == "replace":
        alphabet = sorted(set(word.lower()) | set("aeinorst" if word.isascii() else word.lower()))
        word = word[:pos] + rnd.choice(alphabet) + word[pos + 1:]
    elif op == "drop":
        word = word[:pos] + word[pos + 1:]
    elif op == "double":
        word = word[:pos] + word[pos] + word[pos:]
    else:
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2:]
    words[i] = word
    return " ".join(words)
