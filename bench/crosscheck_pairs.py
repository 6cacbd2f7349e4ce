"""Name pairs for bench/crosscheck.py: one person written two ways, as published romanisation
tables and naming conventions write them, and pairs of two different people who look alike.

Each group names its source. The spellings were worked out by hand from these tables (not by
the cross-check's own transliteration.py), letter by letter:

* ICAO Doc 9303 Part 3 (8th ed., 2021), section 6 "Transliteration of multinational characters":
  the Cyrillic and Greek tables machine-readable passports print (Щ SHCH, Ю IU, Я IA, Й I, Х KH).
* BGN/PCGN romanisation of Russian (1947) and of Greek (1962): Е initially YE, Й Y, Ю YU, Я YA,
  Ё YË; Greek Γ before E/I as Y, Δ as DH, Χ as KH.
* ELOT 743:1982 (= ISO 843 type 2, BGN/PCGN 1996), the Greek state's standard for passports:
  ΟΥ OU, ΑΥ/ΕΥ AV/EV (AF/EF before voiceless), ΜΠ MP, ΝΤ NT, Β V, Η I, Υ Y, Χ CH.
* German (Duden) and French customary transcription of Russian: Schtscherbakow, Chtcherbakov.
* Polish: the alphabet with Ą Ć Ę Ł Ń Ó Ś Ź Ż and the same names typed without marks (passport
  MRZ and foreign keyboards, ICAO 9303 Part 3 section 6 for Ł → L); Polish romanisation of
  Ukrainian/Russian names (SZ, CZ, SZCZ, W, J).
* Romanian: Ș Ț written with comma (standard SR 13411) or cedilla (legacy ISO 8859-2 fonts), and
  without marks; Ă Â Î.
* Serbian: Vuk Karadžić's Cyrillic and Gaj's Latin alphabet letter for letter (Ђ Đ, Ћ Ć, Џ DŽ,
  Љ LJ, Њ NJ); Đ typed as DJ or D, Ć/Č as C without marks (ICAO 9303).
* Arabic: the same name in the ALA-LC (1997), BGN/PCGN (1956) and French / Maghreb conventions
  (ش SH or CH, و W/U or OU, ج J or G in Egypt, the article al- / el- joined or apart); see
  Wikipedia "Romanization of Arabic", comparison table.
* Particles and compound surnames (Dutch, Italian, Irish, Spanish, Portuguese, Arabic usage),
  written joined and apart as registers and passports of other countries print them.
* Phonetic variants of German, Dutch and English names (Meyer / Maier, Schmidt / Schmitt,
  Katrin / Catrin), after the spelling variants listed by the Duden Familiennamen dictionary.
* Surname and given names swapped (a register that writes the given name first).
* Given names that are one name in two languages (casemgmt/crosscheck/given_names.py and its
  sources: Behind the Name, Wikipedia).
"""

from __future__ import annotations

# (group, surname A, given A, surname B, given B): one person written two ways
PAIRS: list[tuple[str, str, str, str, str]] = [
    # ICAO Doc 9303 Cyrillic (native) against BGN/PCGN, German, French and Polish customary spellings
    ("icao-cyrillic", "Щербаков", "Дмитрий", "Shcherbakov", "Dmitrii"),
    ("icao-cyrillic", "Щербаков", "Дмитрий", "Schtscherbakow", "Dmitri"),
    ("icao-cyrillic", "Щербаков", "Дмитрий", "Chtcherbakov", "Dmitri"),
    ("icao-cyrillic", "Шевченко", "Тарас", "Shevchenko", "Taras"),
    ("icao-cyrillic", "Шевченко", "Тарас", "Schewtschenko", "Taras"),
    ("icao-cyrillic", "Шевченко", "Тарас", "Szewczenko", "Taras"),
    ("icao-cyrillic", "Хрущёв", "Никита", "Khrushchev", "Nikita"),
    ("icao-cyrillic", "Хрущёв", "Никита", "Chruschtschow", "Nikita"),
    ("icao-cyrillic", "Жуков", "Георгий", "Zhukov", "Georgii"),
    ("icao-cyrillic", "Жуков", "Георгий", "Shukow", "Georgi"),
    ("icao-cyrillic", "Чайковский", "Пётр", "Chaikovskii", "Petr"),
    ("icao-cyrillic", "Чайковский", "Пётр", "Tschaikowski", "Pjotr"),
    ("icao-cyrillic", "Юсупова", "Юлия", "Iusupova", "Iuliia"),
    ("icao-cyrillic", "Яковлев", "Юрий", "Iakovlev", "Iurii"),
    ("icao-cyrillic", "Кузнецова", "Наталья", "Kuznetsova", "Natalia"),
    ("icao-cyrillic", "Воробьёв", "Алексей", "Vorobev", "Aleksei"),
    ("icao-cyrillic", "Зайцев", "Евгений", "Zaitsev", "Evgenii"),
    ("icao-cyrillic", "Цветков", "Андрей", "Tsvetkov", "Andrei"),
    ("icao-cyrillic", "Цветков", "Андрей", "Zwetkow", "Andrej"),
    ("icao-cyrillic", "Мельник", "Олена", "Melnyk", "Olena"),
    ("icao-cyrillic", "Ковальчук", "Ірина", "Kovalchuk", "Iryna"),
    ("icao-cyrillic", "Гончаренко", "Олександр", "Honcharenko", "Oleksandr"),
    ("icao-cyrillic", "Гончаренко", "Олександр", "Goncharenko", "Oleksandr"),
    ("icao-cyrillic", "Иванов", "Сергей", "Iwanow", "Sergej"),
    ("icao-cyrillic", "Соколова", "Екатерина", "Sokolova", "Ekaterina"),
    ("icao-cyrillic", "Федоров", "Михаил", "Fjodorow", "Michail"),
    ("icao-cyrillic", "Попов", "Владимир", "Popow", "Wladimir"),
    ("icao-cyrillic", "Лебедев", "Николай", "Lebedew", "Nikolaj"),
    ("icao-cyrillic", "Морозов", "Игорь", "Morozov", "Igor"),
    ("icao-cyrillic", "Петров", "Христо", "Petrov", "Hristo"),
    ("icao-cyrillic", "Щерев", "Стоян", "Shterev", "Stoyan"),  # Bulgarian: Щ is SHT
    # BGN/PCGN Russian against ICAO 9303 (both Latin)
    ("bgn-pcgn", "Yevtushenko", "Yevgeniy", "Evtushenko", "Evgenii"),
    ("bgn-pcgn", "Solovyov", "Dmitriy", "Solovev", "Dmitrii"),
    ("bgn-pcgn", "Zaytsev", "Yuriy", "Zaitsev", "Iurii"),
    ("bgn-pcgn", "Yakovleva", "Yuliya", "Iakovleva", "Iuliia"),
    ("bgn-pcgn", "Tolstoy", "Aleksey", "Tolstoi", "Aleksei"),
    ("bgn-pcgn", "Dostoyevskiy", "Fyodor", "Dostoevskii", "Fedor"),
    ("bgn-pcgn", "Gorbachyov", "Mikhail", "Gorbachev", "Mikhail"),
    ("bgn-pcgn", "Khodorkovskiy", "Mikhail", "Khodorkovskii", "Mikhail"),
    ("bgn-pcgn", "Kiselyov", "Vasiliy", "Kiselev", "Vasilii"),
    ("bgn-pcgn", "Ulyanova", "Mariya", "Ulianova", "Mariia"),
    ("bgn-pcgn", "Podolskaya", "Tatyana", "Podolskaia", "Tatiana"),
    ("bgn-pcgn", "Sergeyev", "Anatoliy", "Sergeev", "Anatolii"),
    # ELOT 743 / ICAO Greek (native) against ELOT and customary Latin spellings
    ("elot-743", "Παπαδόπουλος", "Γεώργιος", "Papadopoulos", "Georgios"),
    ("elot-743", "Παπαδόπουλος", "Γεώργιος", "Papadopoulos", "Yeoryios"),  # BGN/PCGN 1962
    ("elot-743", "Χατζηδάκης", "Ευάγγελος", "Chatzidakis", "Evangelos"),
    ("elot-743", "Χατζηδάκης", "Ευάγγελος", "Hatzidakis", "Evangelos"),
    ("elot-743", "Μπακογιάννης", "Κωνσταντίνος", "Mpakogiannis", "Konstantinos"),
    ("elot-743", "Μπακογιάννης", "Κωνσταντίνος", "Bakoyannis", "Konstantinos"),
    ("elot-743", "Ντόκος", "Θεόδωρος", "Ntokos", "Theodoros"),
    ("elot-743", "Ντόκος", "Θεόδωρος", "Dokos", "Theodoros"),
    ("elot-743", "Γεωργίου", "Δημήτριος", "Georgiou", "Dimitrios"),
    ("elot-743", "Γεωργίου", "Δημήτριος", "Yeoryiou", "Dhimitrios"),  # BGN/PCGN 1962
    ("elot-743", "Οικονόμου", "Χρήστος", "Oikonomou", "Christos"),
    ("elot-743", "Οικονόμου", "Χρήστος", "Ikonomou", "Hristos"),
    ("elot-743", "Οικονόμου", "Χρήστος", "Oikonomou", "Khristos"),  # BGN/PCGN 1962
    ("elot-743", "Βασιλείου", "Παναγιώτης", "Vasileiou", "Panagiotis"),
    ("elot-743", "Βασιλείου", "Παναγιώτης", "Vasiliou", "Panayiotis"),
    ("elot-743", "Ευθυμίου", "Σπυρίδων", "Efthymiou", "Spyridon"),
    ("elot-743", "Ευθυμίου", "Σπυρίδων", "Efthimiou", "Spiridon"),
    ("elot-743", "Αναστασίου", "Αικατερίνη", "Anastasiou", "Aikaterini"),
    ("elot-743", "Αναστασίου", "Αικατερίνη", "Anastasiou", "Ekaterini"),
    ("elot-743", "Καραμανλής", "Ελένη", "Karamanlis", "Eleni"),
    ("elot-743", "Τσίπρας", "Αλέξανδρος", "Tsipras", "Alexandros"),
    ("elot-743", "Τσίπρας", "Αλέξανδρος", "Tsipras", "Aleksandros"),
    ("elot-743", "Ξενάκης", "Ιωάννης", "Xenakis", "Ioannis"),
    ("elot-743", "Ξενάκης", "Ιωάννης", "Ksenakis", "Ioannis"),
    ("elot-743", "Χριστοδούλου", "Μαρία", "Christodoulou", "Maria"),
    ("elot-743", "Χριστοδούλου", "Μαρία", "Hristodoulou", "Maria"),
    ("elot-743", "Μαυρίδης", "Στυλιανός", "Mavridis", "Stylianos"),
    ("elot-743", "Μαυρίδης", "Στυλιανός", "Mavridis", "Stilianos"),
    # Polish letters against their unmarked forms (MRZ, foreign keyboards)
    ("polish", "Wałęsa", "Łukasz", "Walesa", "Lukasz"),
    ("polish", "Wiśniewski", "Paweł", "Wisniewski", "Pawel"),
    ("polish", "Dąbrowska", "Małgorzata", "Dabrowska", "Malgorzata"),
    ("polish", "Krzyżanowski", "Wojciech", "Krzyzanowski", "Wojciech"),
    ("polish", "Szczęsny", "Michał", "Szczesny", "Michal"),
    ("polish", "Żółkiewski", "Stanisław", "Zolkiewski", "Stanislaw"),
    ("polish", "Wójcik", "Zdzisław", "Wojcik", "Zdzislaw"),
    ("polish", "Kamińska", "Bożena", "Kaminska", "Bozena"),
    ("polish", "Lewandowski", "Grzegorz", "Lewandowski", "Grzegorz"),
    ("polish", "Jabłoński", "Jarosław", "Jablonski", "Jaroslaw"),
    ("polish", "Ślusarczyk", "Agnieszka", "Slusarczyk", "Agnieszka"),
    ("polish", "Gąsiorowski", "Tomasz", "Gasiorowski", "Tomasz"),
    ("polish", "Mickiewicz", "Adam", "Mitskevich", "Adam"),  # Polish name in Russian romanisation
    # Romanian: comma, cedilla, no marks
    ("romanian", "Ștefănescu", "Ionuț", "Stefanescu", "Ionut"),
    ("romanian", "Ștefănescu", "Ionuț", "Ştefănescu", "Ionuţ"),
    ("romanian", "Țiriac", "Ion", "Tiriac", "Ion"),
    ("romanian", "Năstase", "Ilie", "Nastase", "Ilie"),
    ("romanian", "Brâncuși", "Constantin", "Brancusi", "Constantin"),
    ("romanian", "Brâncuși", "Constantin", "Brîncuşi", "Constantin"),  # î/â spelling reform of 1993
    ("romanian", "Dumitrașcu", "Mădălina", "Dumitrascu", "Madalina"),
    ("romanian", "Munteanu", "Răzvan", "Munteanu", "Razvan"),
    ("romanian", "Pițigoi", "Cătălin", "Pitigoi", "Catalin"),
    ("romanian", "Iordache", "Ștefania", "Iordache", "Stefania"),
    ("romanian", "Țăranu", "Gheorghe", "Taranu", "Gheorghe"),
    # Serbian Cyrillic, Gaj's Latin, unmarked and DJ forms
    ("serbian", "Ђоковић", "Новак", "Đoković", "Novak"),
    ("serbian", "Ђоковић", "Новак", "Djokovic", "Novak"),
    ("serbian", "Ђоковић", "Новак", "Dokovic", "Novak"),
    ("serbian", "Јовановић", "Милица", "Jovanović", "Milica"),
    ("serbian", "Јовановић", "Милица", "Jovanovic", "Milica"),
    ("serbian", "Милошевић", "Слободан", "Milosevic", "Slobodan"),
    ("serbian", "Ћирић", "Жељко", "Ćirić", "Željko"),
    ("serbian", "Ћирић", "Жељко", "Ciric", "Zeljko"),
    ("serbian", "Његош", "Љубомир", "Njegoš", "Ljubomir"),
    ("serbian", "Џаја", "Драган", "Džaja", "Dragan"),
    ("serbian", "Џаја", "Драган", "Dzaja", "Dragan"),
    ("serbian", "Петровић", "Ана", "Petrovic", "Ana"),
    ("serbian", "Стојановић", "Марија", "Stojanovic", "Marija"),
    ("serbian", "Радовановић", "Ђорђе", "Radovanovic", "Djordje"),
    ("serbian", "Радовановић", "Ђорђе", "Radovanović", "Đorđe"),
    # Arabic names: ALA-LC, BGN/PCGN, French / Maghreb and Egyptian conventions
    ("arabic", "Al-Hashimi", "Muhammad", "El Hachimi", "Mohamed"),
    ("arabic", "Al-Hashimi", "Muhammad", "Alhashimi", "Mohammed"),
    ("arabic", "Abd al-Rahman", "Yusuf", "Abdelrahman", "Youssef"),
    ("arabic", "Abd al-Rahman", "Yusuf", "Abdul Rahman", "Yousef"),
    ("arabic", "Husayn", "Ali", "Hussein", "Ali"),
    ("arabic", "Husayn", "Ali", "Hussain", "Ali"),
    ("arabic", "Qasim", "Khalid", "Kassem", "Khaled"),
    ("arabic", "Qasim", "Khalid", "Qassem", "Khaled"),
    ("arabic", "Uthman", "Said", "Othman", "Saeed"),
    ("arabic", "Uthman", "Said", "Osman", "Said"),
    ("arabic", "Mahmud", "Ahmad", "Mahmoud", "Ahmed"),
    ("arabic", "Nasir", "Jamal", "Nasser", "Gamal"),
    ("arabic", "Abdallah", "Ibrahim", "Abdullah", "Ebrahim"),
    ("arabic", "Shukri", "Fatima", "Choukri", "Fatma"),
    ("arabic", "Sharif", "Aisha", "Cherif", "Aicha"),
    ("arabic", "Bashir", "Khadija", "Bachir", "Khadidja"),
    ("arabic", "Mustafa", "Hamza", "Moustafa", "Hamzah"),
    ("arabic", "Mustafa", "Hamza", "Mostafa", "Hamza"),
    ("arabic", "Ben Youssef", "Zayd", "Benyoussef", "Zaid"),
    ("arabic", "Abu Bakr", "Umar", "Aboubakr", "Omar"),
    ("arabic", "Al-Masri", "Nur", "El Masri", "Nour"),
    ("arabic", "Haddad", "Rashid", "Haddad", "Rachid"),
    ("arabic", "Zaki", "Mahmud", "Zaki", "Mahmoud"),
    ("arabic", "Al-Tikriti", "Abd al-Aziz", "Al Tikriti", "Abdulaziz"),
    ("arabic", "Karimi", "Shirin", "Karimi", "Chirine"),
    # particles and compound surnames, joined and apart
    ("particle", "Van der Berg", "Jan", "Vanderberg", "Jan"),
    ("particle", "van den Bosch", "Pieter", "Vandenbosch", "Pieter"),
    ("particle", "Van der Berg", "Sanne", "Van Der Berg", "Sanne"),
    ("particle", "De la Cruz", "Maria", "Delacruz", "Maria"),
    ("particle", "Di Marco", "Luca", "DiMarco", "Luca"),
    ("particle", "Di Marco", "Luca", "Dimarco", "Luca"),
    ("particle", "Da Silva", "João", "DaSilva", "Joao"),
    ("particle", "Dos Santos", "Ana", "Dossantos", "Ana"),
    ("particle", "D'Angelo", "Francesca", "D Angelo", "Francesca"),
    ("particle", "D'Angelo", "Francesca", "Dangelo", "Francesca"),
    ("particle", "O'Brien", "Sean", "OBrien", "Sean"),
    ("particle", "O'Brien", "Sean", "O Brien", "Sean"),
    ("particle", "O'Sullivan", "Siobhan", "Osullivan", "Siobhan"),
    ("particle", "McDonald", "Ewan", "Mc Donald", "Ewan"),
    ("particle", "Le Goff", "Yann", "Legoff", "Yann"),
    ("particle", "El Amrani", "Youssef", "Elamrani", "Youssef"),
    ("particle", "Ben Ali", "Karim", "Benali", "Karim"),
    ("particle", "von der Leyen", "Ursula", "Vonderleyen", "Ursula"),
    ("particle", "De Souza", "Carlos", "Desouza", "Carlos"),
    ("particle", "Della Valle", "Marco", "Dellavalle", "Marco"),
    ("particle", "Ter Horst", "Femke", "Terhorst", "Femke"),
    ("particle", "Abdel Rahman", "Mohamed", "Abdelrahman", "Mohamed"),
    ("particle", "García López", "José", "Garcia-Lopez", "Jose"),
    ("particle", "Müller-Lüdenscheidt", "Hans", "Mueller Luedenscheidt", "Hans"),
    # phonetic variants (both names at once)
    ("phonetic", "Meyer", "Katrin", "Maier", "Catrin"),
    ("phonetic", "Meyer", "Katrin", "Mayer", "Kathrin"),
    ("phonetic", "Meier", "Christoph", "Mayr", "Christoph"),
    ("phonetic", "Schmidt", "Stephan", "Schmitt", "Stefan"),
    ("phonetic", "Schmid", "Matthias", "Schmitt", "Mathias"),
    ("phonetic", "Philipps", "Claus", "Filips", "Klaus"),
    ("phonetic", "Hoffmann", "Carl", "Hofman", "Karl"),
    ("phonetic", "Baier", "Sophie", "Bayer", "Sofie"),
    ("phonetic", "Fischer", "Carolina", "Fisher", "Karolina"),
    ("phonetic", "Thomson", "Geoffrey", "Tomson", "Jeffrey"),
    ("phonetic", "Lehmann", "Jakob", "Leman", "Jacob"),
    ("phonetic", "Weiß", "Elisabeth", "Weiss", "Elisabet"),
    ("phonetic", "Schulz", "Jürgen", "Schultz", "Juergen"),
    ("phonetic", "Kaiser", "Frederik", "Keiser", "Friedrich"),
    ("phonetic", "Wagner", "Cathrin", "Waggner", "Katrin"),
    ("phonetic", "Becker", "Henrik", "Bekker", "Hendrik"),
    ("phonetic", "Koch", "Christa", "Kock", "Krista"),
    ("phonetic", "Richter", "Ralph", "Rihter", "Ralf"),
    ("phonetic", "Schneider", "Erik", "Schnaider", "Eric"),
    ("phonetic", "Krüger", "Nicole", "Krueger", "Nikol"),
    # surname and given names swapped
    ("swapped", "Kowalski", "Jan", "Jan", "Kowalski"),
    ("swapped", "Nowak", "Anna Maria", "Anna Maria", "Nowak"),
    ("swapped", "Popescu", "Andrei", "Andrei", "Popescu"),
    ("swapped", "Papadopoulos", "Georgios", "Georgios", "Papadopoulos"),
    ("swapped", "Nguyen", "Van Minh", "Van Minh", "Nguyen"),
    ("swapped", "Haddad", "Rashid", "Rachid", "Haddad"),
    ("swapped", "Иванов", "Сергей", "Sergei", "Ivanov"),
    ("swapped", "De Vries", "Bram", "Bram", "de Vries"),
    ("swapped", "Horvat", "Ivana", "Ivana", "Horvat"),
    ("swapped", "Öztürk", "Mehmet", "Mehmet", "Ozturk"),
    # given names that are one name in two languages
    ("equivalent", "Rossi", "Joseph", "Rossi", "Giuseppe"),
    ("equivalent", "Garcia", "José", "Garcia", "Joseph"),
    ("equivalent", "Nowak", "Józef", "Nowak", "Joseph"),
    ("equivalent", "Ivanova", "Ekaterina", "Iwanowa", "Jekaterina"),
    ("equivalent", "Kowalska", "Katarzyna", "Kowalska", "Catherine"),
    ("equivalent", "Yilmaz", "Yusuf", "Yilmaz", "Youssef"),
    ("equivalent", "Dubois", "Jean", "Dubois", "Johann"),
    ("equivalent", "Horvath", "István", "Horvath", "Stefan"),
    ("equivalent", "Novak", "Jiří", "Novak", "Georg"),
    ("equivalent", "Schneider", "Michael", "Schneider", "Michel"),
    ("equivalent", "Kovacs", "Ferenc", "Kovacs", "Franz"),
    ("equivalent", "Bianchi", "Giovanni", "Bianchi", "John"),
]

# (group, surname A, given A, surname B, given B): two different people who look alike and share a
# date of birth in the benchmark; a strong hit between them is a false strong hit
NEGATIVES: list[tuple[str, str, str, str, str]] = [
    ("sibling", "Ivanov", "Sergei", "Ivanov", "Dmitrii"),
    ("sibling", "Kowalski", "Jan", "Kowalski", "Piotr"),
    ("sibling", "Papadopoulos", "Georgios", "Papadopoulou", "Maria"),
    ("sibling", "Meyer", "Katrin", "Meyer", "Thomas"),
    ("sibling", "Rossi", "Marco", "Rossi", "Giulia"),
    ("sibling", "Haddad", "Rashid", "Haddad", "Samira"),
    ("sibling", "Van der Berg", "Jan", "Van der Berg", "Sanne"),
    ("sibling", "Popescu", "Andrei", "Popescu", "Elena"),
    ("sibling", "Jovanović", "Milica", "Jovanović", "Nikola"),
    ("sibling", "Nowak", "Anna", "Nowak", "Tomasz"),
    ("lookalike", "Schmidt", "Stefan", "Schmalz", "Stefan"),
    ("lookalike", "Meyer", "Katrin", "Mayerhofer", "Katrin"),
    ("lookalike", "Hussein", "Ali", "Hassan", "Ali"),
    ("lookalike", "Kowalski", "Jan", "Kowalczyk", "Jan"),
    ("lookalike", "Ivanov", "Sergei", "Ivanenko", "Sergei"),
    ("lookalike", "Petrović", "Ana", "Petrović", "Ivana"),
    ("lookalike", "Di Marco", "Luca", "Di Mauro", "Luca"),
    ("lookalike", "O'Brien", "Sean", "O'Brian", "Shane"),
    ("lookalike", "Georgiou", "Dimitrios", "Georgiadis", "Dimitrios"),
    ("lookalike", "Stefanescu", "Ion", "Stanescu", "Ion"),
    ("lookalike", "Abdelrahman", "Mohamed", "Abdelrazek", "Mohamed"),
    ("lookalike", "Wagner", "Thomas", "Wegener", "Tobias"),
    ("lookalike", "Fischer", "Anna", "Fischbach", "Hanna"),
    ("lookalike", "Lehmann", "Jakob", "Lehner", "Jonas"),
]

__all__ = ["PAIRS", "NEGATIVES"]
