"""Demo data of the cross-check: a small BE reference data set and two BE cases about one man
spelt two ways, so that the BE officer sees a hit with its reasons; then a second data set loaded
after a third case was registered, so that its re-run ("new_data") shows a hit marked new. Each
data set records its legal basis, owner, extract date, refresh interval and expiry; one expired
(the officers are told it is no longer searched). A money-mule case brings a bank account, an IP
address, a crypto-currency address, a handle and a postal address; the account and the handle
are in the reference data set too."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.crosscheck import index
from casemgmt.crosscheck.models import ReferenceDataset
from casemgmt.crosscheck.reference import subject_from_row

DATASET = "wanted-persons-demo"
ROWS = [
    {"ref": "W-001", "surname": "Щербаков", "given_names": "Дмитрий", "date_of_birth": "04.03.1975",
     "nationality": "UA", "document_number": "EK123456", "document_country": "UA"},
    {"ref": "W-002", "surname": "Παπαδόπουλος", "given_names": "Γεώργιος", "date_of_birth": "1982-11-21",
     "nationality": "EL"},
    {"ref": "W-003", "surname": "Müller", "given_names": "Jürgen", "date_of_birth": "1966", "nationality": "DE"},
    {"ref": "W-004", "surname": "Kowalczyk", "given_names": "Łukasz", "date_of_birth": "17.09.1990",
     "nationality": "PL", "phone": "+48 601 234 567"},
    {"ref": "W-005", "surname": "Van der Berg", "given_names": "Sanne", "date_of_birth": "02.08.1993",
     "nationality": "NL", "iban": "NL91 ABNA 0417 1643 00", "handle": "@sanne_vdb", "handle_platform": "telegram"},
]
CASES = [
    ("Demo cross-check: identification of a courier", "Who is this man? Earlier request.",
     [{"kind": "person", "surname": "Щербаков", "given_names": "Дмитрий", "date_of_birth": "1975-03-04",
       "nationality": "UA", "category": "suspect"}], 30),
    ("Demo cross-check: card fraud suspect", "Anything known about him?",
     [{"kind": "person", "surname": "Schtscherbakow", "given_names": "Dmitri", "date_of_birth": "1975-04-03",
       "nationality": "UA", "category": "suspect"}], 2),
    ("Demo cross-check: driver of a rented van", "Identity and record of the driver, please.",
     [{"kind": "person", "surname": "Kovačević", "given_names": "Marko", "date_of_birth": "1988-06-12",
       "nationality": "HR", "category": "suspect"}], 10),
    ("Demo cross-check: money mule accounts", "Account holder, connection data and wallet behind a phishing wave.",
     [{"kind": "person", "surname": "Vanderberg", "given_names": "Sanne", "date_of_birth": "1993-08-02",
       "nationality": "NL", "category": "suspect"},
      {"kind": "bank_account", "iban": "NL91ABNA0417164300", "bic": "ABNANL2A", "holder": "S. Vanderberg"},
      {"kind": "ip_address", "address": "198.51.100.23"},
      {"kind": "crypto_address", "address": "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"},
      {"kind": "handle", "platform": "Telegram", "handle": "https://t.me/Sanne_VdB"},
      {"kind": "address", "country": "BE", "postcode": "1000", "city": "Brussel", "street": "Wetstraat",
       "number": "16"}], 1),
]
# loaded after the cases above were registered: the van driver's case is cross-checked again
LATER_DATASET = "eu-most-wanted-demo"
LATER_ROWS = [
    {"ref": "EMW-17", "surname": "Kovacevic", "given_names": "Marko", "date_of_birth": "12.06.1988",
     "nationality": "HR", "document_number": "", "document_country": "", "phone": ""},
]
MAPPING = {k: k for k in ("surname", "given_names", "date_of_birth", "nationality", "document_number",
                          "document_country", "phone", "iban", "handle", "handle_platform")}
# an old extract that expired: not searched; the case pages say so
EXPIRED_DATASET = "interpol-diffusions-2024-demo"
EXPIRED_ROWS = [{"ref": "D-1", "surname": "Щербаков", "given_names": "Дмитрий", "date_of_birth": "04.03.1975"}]
PROVENANCE = {
    DATASET: ("Loi sur la fonction de police / Wet op het politieambt, Art. 44/1 (persons sought; invented for "
              "the demo)", "Federal Police, DJSOC (demo)", 20, 30, 90),
    LATER_DATASET: ("Europol Regulation (EU) 2016/794, Art. 18(2)(a) (invented for the demo)", "Europol EMPACT "
                    "(demo)", 2, 90, 180),
    EXPIRED_DATASET: ("INTERPOL Rules on the Processing of Data, Art. 10 (invented for the demo)", "INTERPOL NCB "
                      "Brussels (demo)", 400, 180, -40),
}


def _dataset(session: Session, name: str, description: str, rows: list[dict]) -> None:
    today = dt.date.today()
    legal_basis, owner, extract_days_ago, refresh_days, expires_in = PROVENANCE[name]
    dataset = ReferenceDataset(country_code="BE", name=name, source_file="(demo)", description=description,
                               mapping=dict(MAPPING), legal_basis=legal_basis, owner=owner,
                               extract_date=today - dt.timedelta(days=extract_days_ago), refresh_days=refresh_days,
                               expires_on=today + dt.timedelta(days=expires_in))
    session.add(dataset)
    session.flush()
    subjects = [(subject_from_row(row, MAPPING, ref=f"row:{row['ref']}", default_country="BE"), row) for row in rows]
    dataset.row_count = index.write_subjects(session, subjects, country="BE", origin="dataset", dataset_id=dataset.id)


def load_crosscheck_demo(session: Session, users: dict) -> None:
    officer = users.get("officer.be@demo.invalid")
    if officer is None or session.scalar(select(ReferenceDataset.id).where(
            ReferenceDataset.country_code == "BE", ReferenceDataset.name == DATASET)):
        return
    _dataset(session, DATASET, "Persons sought by the BE police (invented for the demo)", ROWS)
    _dataset(session, EXPIRED_DATASET, "INTERPOL diffusions, extract of last year (invented for the demo)",
             EXPIRED_ROWS)

    from casemgmt.schemas import validate_intake
    from casemgmt.services.intake import register_incoming_message

    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for number, (subject, body, entities, days) in enumerate(CASES, start=1):
        payload, errors = validate_intake({
            "channel": "SIENA", "type": "request", "direction": "in", "urgent": False, "counterpart_country": "FR",
            "language": "en", "subject": subject, "body": body, "entities": entities,
            "external_reference": f"SIENA-XC-DEMO-{number}", "received_at": (now - dt.timedelta(days=days)).isoformat()})
        if not errors:
            register_incoming_message(session, "BE", payload, officer, source="demo")

    # as `spoc crosscheck load` does: a new data set, then every open BE case cross-checked again
    from casemgmt.crosscheck.rerun import queue_new_data_runs
    from casemgmt.crosscheck.services import run_pending

    _dataset(session, LATER_DATASET, "EU Most Wanted, as the BE SPOC exports it (invented for the demo)", LATER_ROWS)
    session.flush()
    queued = queue_new_data_runs(session, "BE")
    run_pending(session, limit=queued.cases + 100)
