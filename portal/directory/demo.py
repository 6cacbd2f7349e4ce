"""Demo directory: the SPOC records of a few countries (filled in only where they are still empty); their
languages are the ones the country notifies (demo_people.NOTIFIED_LANGUAGES), their heads the demo users'."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.directory.models import Spoc

SPOC_RECORDS = {
    "BE": dict(name="Federal Police – Directorate of International Police Cooperation (CGI)",
               address="Rue Fritz Toussaint 8\n1050 Brussels\nBelgium", phone_24_7="+3226426380",
               email="spoc@police.demo.invalid", languages="nl, fr, de, en", head_name="Anne Dubois"),
    "NL": dict(name="National Police – International Operations Team (LIRC)",
               address="Postbus 100\n3970 AC Driebergen\nNetherlands", phone_24_7="+31343535000",
               email="spoc@politie.demo.invalid", languages="nl, en", head_name="Pieter de Vries"),
    "DE": dict(name="Bundeskriminalamt – SPOC", address="65173 Wiesbaden\nGermany", phone_24_7="+49611550",
               email="spoc@bka.demo.invalid", languages="de, en", head_name="Jürgen Schmidt"),
    "FR": dict(name="SCCOPOL – Section centrale de coopération opérationnelle de police",
               address="Nanterre\nFrance", phone_24_7="+33140972000", email="spoc@interieur.demo.invalid",
               languages="fr, en", head_name="Claire Martin"),
    "LT": dict(name="Lithuanian Criminal Police Bureau – International Liaison Office",
               address="Vilnius\nLithuania", phone_24_7="+37052719900", email="spoc@policija.demo.invalid",
               languages="lt, en", head_name="Tomas Kazlauskas"),
}


def load_directory_demo(session: Session) -> None:
    for cc, values in SPOC_RECORDS.items():
        spoc = session.get(Spoc, cc)
        if spoc is not None and not spoc.email:
            for key, value in values.items():
                setattr(spoc, key, value)
