"""The demo SPOCs' message templates (issue 17, point 2): English, and the SPOC's own language."""

from __future__ import annotations

from sqlalchemy.orm import Session

from casemgmt.services.templates import save_template

EN = [
    ("acknowledgement", None, "Receipt", "Dear colleagues,\n\nWe received your request {their_reference} on "
     "{received_at}. Our reference is {exchange}; it will be answered by {deadline}.\n\n{officer}\n{spoc}"),
    ("clarification_request", None, "Missing details", "Dear colleagues,\n\nTo answer your request "
     "{their_reference} we need the following clarification (Art. 6(3) of Directive (EU) 2023/977): …\n\n"
     "{officer}\n{spoc}"),
    ("delay_notice", None, "Judicial authorisation", "Dear colleagues,\n\nYour request {their_reference} "
     "(our {exchange}) needs a judicial authorisation under our national law (Art. 9). We expect to answer "
     "within … days and will keep you informed (Art. 5(2)).\n\n{officer}\n{spoc}"),
    ("refusal", "a", "Not available", "Dear colleagues,\n\nWe regret that we cannot provide the information "
     "asked for in {their_reference}: {grounds} (Art. 6(1)).\n\n{officer}\n{spoc}"),
    ("refusal", "b", "Request incomplete", "Dear colleagues,\n\nYour request {their_reference} cannot be "
     "answered: {grounds}. Please send it again with the content Art. 4(5) asks for.\n\n{officer}\n{spoc}"),
    ("reply_cover", None, "Information provided", "Dear colleagues,\n\nIn answer to your request "
     "{their_reference} (our {exchange}), please find below the information available to us.\n\n"
     "{officer}\n{spoc}"),
    ("chaser", None, "Reminder", "Dear colleagues,\n\nOur request {exchange} of {received_at} was due to be "
     "answered by {deadline}. Could you let us know when we may expect your answer?\n\n{officer}\n{spoc}"),
]
OWN = {
    "BE": ("fr", [("acknowledgement", None, "Accusé de réception", "Chers collègues,\n\nNous avons reçu votre "
                   "demande {their_reference} le {received_at}. Notre référence est {exchange} ; la réponse vous "
                   "parviendra au plus tard le {deadline}.\n\n{officer}\n{spoc}"),
                  ("chaser", None, "Rappel", "Chers collègues,\n\nNotre demande {exchange} du {received_at} "
                   "appelait une réponse pour le {deadline}. Pourriez-vous nous indiquer quand nous pouvons "
                   "l'attendre ?\n\n{officer}\n{spoc}")]),
    "NL": ("nl", [("acknowledgement", None, "Ontvangstbevestiging", "Geachte collega's,\n\nWij hebben uw verzoek "
                   "{their_reference} op {received_at} ontvangen. Ons kenmerk is {exchange}; u ontvangt uiterlijk "
                   "{deadline} antwoord.\n\n{officer}\n{spoc}"),
                  ("chaser", None, "Herinnering", "Geachte collega's,\n\nOns verzoek {exchange} van {received_at} "
                   "had uiterlijk {deadline} beantwoord moeten zijn. Kunt u laten weten wanneer wij uw antwoord "
                   "mogen verwachten?\n\n{officer}\n{spoc}")]),
}


def load_templates(session: Session, cc: str, supervisor) -> None:
    language, own = OWN[cc]
    for lang, items in (("en", EN), (language, own)):
        for kind, ground, title, text in items:
            save_template(session, supervisor, cc, kind=kind, ground=ground, language=lang, title=title, text=text)
