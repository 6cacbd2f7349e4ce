"""Given names that are one name in several languages (Joseph / Giuseppe / José / Józef / Iosif).

A SPOC receives a name as the sender's country writes it: the Italian register's Giuseppe is
the British passport's Joseph. Such equivalents are not spelling variants (no edit distance or
sound key finds them), so they come from this table. Two words agree as *equivalents* when any
of their Latin spellings (after transliteration, see transliteration.py) are in one group; the
hit says so ("Joseph and Giuseppe are one given name in two languages"), and the level is below
that of a spelling variant: it is evidence, never identity.

Sources (the forms of each group's first name in other languages):
  * Behind the Name, https://www.behindthename.com/name/<name>, section "Other languages &
    cultures" / "Related names" (e.g. /name/joseph, /name/catherine, /name/yusuf);
  * Wikipedia, the articles "Joseph (given name)", "John (given name)", "Catherine (given
    name)", "Michael (given name)", "Muhammad (name)", "Yusuf", "Alexander (given name)";
  * ICAO Doc 9303 Part 3 (Cyrillic and Greek tables) for the romanised Slavic and Greek forms,
    BGN/PCGN for the English-press forms (Yekaterina, Yevgeny).
Spellings are ASCII lower case as transliteration.py writes them (é → e, ł → l); transliteration
variants of one form (Ekaterina / Jekaterina / Yekaterina) are listed because a Latin-script
record brings only the one the sender chose.
"""

from __future__ import annotations

from functools import lru_cache

GROUPS: dict[str, tuple[str, ...]] = {
    "joseph": ("joseph", "josef", "jozef", "giuseppe", "jose", "josep", "joseba", "iosif", "osip", "josip",
               "joszef", "jozsef", "yosef", "iosef", "josephus"),
    "yusuf": ("yusuf", "youssef", "yousef", "yousif", "yusif", "youssouf", "jusuf", "yussuf", "yousuf", "yusef"),
    "john": ("john", "johann", "johannes", "jan", "jean", "giovanni", "juan", "joao", "ivan", "ioannis", "janos",
             "sean", "ian", "hans", "jens", "johan", "jovan", "ioan", "juhani", "evan", "yahya"),
    "catherine": ("catherine", "katherine", "kathryn", "katharina", "katharine", "caterina", "catalina",
                  "katarzyna", "katarina", "katerina", "ekaterina", "jekaterina", "yekaterina", "kateryna",
                  "aikaterini", "katalin", "catarina", "kathrin", "katrin", "catrin", "katrine"),
    "michael": ("michael", "michel", "michele", "miguel", "michal", "mikhail", "mykhailo", "mihai", "mihail",
                "michail", "mikael", "mikkel", "mikko", "michiel", "mihaly", "mihailo", "mikhael"),
    "peter": ("peter", "pierre", "pietro", "pedro", "piotr", "petr", "petro", "petar", "petros", "pieter",
              "peder", "petru", "peteris", "petur"),
    "paul": ("paul", "paolo", "pablo", "pawel", "pavel", "pavlo", "pavlos", "pal", "paulo", "pau", "paulus"),
    "george": ("george", "georg", "georges", "giorgio", "jorge", "jerzy", "georgios", "gheorghe", "jurgen",
               "jiri", "juraj", "georgi", "georgii", "georgiy", "heorhii", "yuri", "yurii", "jurij", "giorgos",
               "yuriy", "iurii", "yury", "juri", "iouri", "yeoryios"),
    "julia": ("julia", "giulia", "julie", "julija", "yuliya", "iuliia", "yulia", "iulia", "julija", "ioulia",
              "juliya", "yuliia"),
    "uthman": ("uthman", "othman", "osman", "usman", "othmane", "ousmane", "osmane"),
    "alexander": ("alexander", "alexandre", "alessandro", "alejandro", "aleksander", "aleksandr", "oleksandr",
                  "alexandros", "sandor", "alexandru", "aleksandar", "aliaksandr", "iskander", "iskandar"),
    "nicholas": ("nicholas", "nicolas", "nicola", "niccolo", "nicolae", "mikolaj", "nikolai", "nikolay",
                 "nikolaj", "mykola", "nikolaos", "nikola", "nikolaus", "niklas", "miklos", "klaus"),
    "stephen": ("stephen", "steven", "stefan", "stephane", "stefano", "esteban", "stepan", "stefanos",
                "istvan", "szczepan", "stjepan", "estevao", "stephan"),
    "andrew": ("andrew", "andreas", "andre", "andrea", "andres", "andrzej", "andrei", "andrey", "andrii",
               "andriy", "andrija", "andras", "andreu"),
    "jacob": ("jacob", "jakob", "jakub", "jacques", "giacomo", "jaime", "iakovos", "yakov", "yaakov", "jacobo",
              "james", "yaqub", "yakub", "jokubas"),
    "muhammad": ("muhammad", "mohammed", "mohamed", "mohammad", "mehmet", "muhammed", "mohamad", "mohamud",
                 "mamadou", "muhamed", "mukhammad", "magomed"),
    "ibrahim": ("ibrahim", "ebrahim", "ibragim", "brahim", "abraham", "avraham", "abram", "ibrahima"),
    "ahmed": ("ahmed", "ahmad", "ahmet", "achmed", "akhmed", "ahmat"),
    "hussein": ("hussein", "husain", "hussain", "hossein", "huseyin", "husein", "husayn"),
    "omar": ("omar", "umar", "omer", "umer", "omari"),
    "abdullah": ("abdullah", "abdallah", "abdulla", "abdellah", "abdalla"),
    "william": ("william", "wilhelm", "guillaume", "guglielmo", "guillermo", "willem", "vilhelm", "vilem",
                "vilmos", "wilhelmus"),
    "henry": ("henry", "heinrich", "henri", "enrico", "enrique", "henrik", "hendrik", "jindrich", "henryk",
              "henrique"),
    "charles": ("charles", "karl", "carl", "carlos", "carlo", "karol", "karel", "carles", "karoly", "karlis"),
    "francis": ("francis", "franz", "francois", "francesco", "francisco", "franciszek", "frantisek", "ferenc",
                "francesc", "frans"),
    "anthony": ("anthony", "anton", "antoine", "antonio", "antoni", "antonin", "antonios", "antanas", "antonie"),
    "elizabeth": ("elizabeth", "elisabeth", "elisabetta", "isabel", "isabelle", "elzbieta", "yelizaveta",
                  "elizaveta", "elisaveta", "erzsebet", "jelizaveta", "elisabet"),
    "mary": ("mary", "maria", "marie", "mariya", "maryia", "marija", "mariam", "maryam", "miriam", "mariia"),
    "helen": ("helen", "helena", "elena", "olena", "eleni", "helene", "jelena", "yelena", "ilona", "alena"),
    "eugene": ("eugene", "eugen", "eugenio", "evgeny", "evgenii", "yevgeny", "yevgeniy", "yevhen", "evgenios",
               "jewgeni", "jevgenij", "evgeni", "evgenij"),
    "demetrius": ("dmitri", "dmitry", "dmitrii", "dimitri", "dimitrios", "dymitr", "dmytro", "dimitar",
                  "dimitrije", "dmitrij", "demetrio", "demetrius"),
    "sergius": ("sergei", "sergey", "serhii", "serhiy", "sergio", "serge", "sergiu", "siarhei", "sergiusz",
                "sergii", "sergej", "sergiy"),
    "gregory": ("gregory", "gregor", "gregoire", "gregorio", "grzegorz", "grigori", "grigory", "grigorii",
                "hryhorii", "grigorios", "gergely"),
    "christopher": ("christopher", "christoph", "christophe", "cristoforo", "cristobal", "krzysztof",
                    "kristof", "christoforos", "kristoffer", "kryshtof"),
    "matthew": ("matthew", "matthias", "mathieu", "matteo", "mateo", "mateusz", "matvei", "matvey", "matej",
                "matthaios", "matyas", "mattia"),
    "thomas": ("thomas", "tomas", "tommaso", "tomasz", "foma", "tamas", "tomasso", "toma"),
    "vincent": ("vincent", "vincenzo", "vicente", "wincenty", "vincentas", "vinko", "vikentii"),
    "lawrence": ("lawrence", "laurent", "lorenzo", "lorenz", "wawrzyniec", "lavrentiy", "lavrenti", "lorinc",
                 "laurentiu", "lars"),
    "victor": ("victor", "viktor", "vittorio", "wiktor", "viktoras"),
    "frederick": ("frederick", "friedrich", "frederic", "federico", "fryderyk", "frederik", "fredrik", "bedrich",
                  "frederico", "fridrikh"),
    "louis": ("louis", "ludwig", "luigi", "luis", "ludovic", "ludovico", "ludwik", "lajos", "ludvik", "lluis"),
}


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    out: dict[str, str] = {}
    for group, names in GROUPS.items():
        for name in names:
            if name:
                out.setdefault(name, group)
    return out


def equivalence_group(spellings) -> str | None:
    """The group (its first name) one of these Latin spellings of a word belongs to, or None."""
    index = _index()
    for spelling in sorted(spellings):
        group = index.get(spelling)
        if group is not None:
            return group
    return None


__all__ = ["GROUPS", "equivalence_group"]
