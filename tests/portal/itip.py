"""Reading the iTIP messages (RFC 5546, mailed per RFC 6047) the portal queues, with two independent parsers
(icalendar and vobject) that must agree: the meetings' and the training activities' tests use them."""

from __future__ import annotations

import base64

import icalendar
import vobject

from portal.mail.delivery import build_email


def read(raw: bytes) -> dict:
    """The iTIP fields as both parsers see them; they must agree."""
    cal = icalendar.Calendar.from_ical(raw)
    (event,) = cal.walk("VEVENT")
    attendees = event.get("ATTENDEE", [])
    attendees = attendees if isinstance(attendees, list) else [attendees]
    seen = {"method": str(cal["METHOD"]), "uid": str(event["UID"]), "sequence": int(event["SEQUENCE"]),
            "organizer": str(event["ORGANIZER"]).lower(), "attendees": sorted(str(a).lower() for a in attendees),
            "status": str(event.get("STATUS", "")), "start": event.decoded("DTSTART"),
            "location": str(event.get("LOCATION", ""))}
    other = vobject.readOne(raw.decode("utf-8"))
    vevent = other.vevent
    by_vobject = {"method": other.method.value, "uid": vevent.uid.value, "sequence": int(vevent.sequence.value),
                  "organizer": vevent.organizer.value.lower(),
                  "attendees": sorted(a.value.lower() for a in vevent.contents.get("attendee", [])),
                  "status": vevent.status.value if hasattr(vevent, "status") else "",
                  "start": vevent.dtstart.value,
                  "location": vevent.location.value if hasattr(vevent, "location") else ""}
    assert seen == by_vobject, (seen, by_vobject)
    return seen


def itip(msg, method: str) -> dict:
    """An outbox message's calendar: attached and offered as the alternative a mail client acts on, both
    `text/calendar; method=<method>`; its iTIP fields (read())."""
    (att,) = msg.attachments
    assert att["mimetype"] == f"text/calendar; method={method}"
    email = build_email(msg, "secretariat@spoc.test")
    parts = [p for p in email.walk() if p.get_content_type() == "text/calendar"]
    assert parts and all(p.get_param("method") == method for p in parts)
    assert any(p.get_content_disposition() is None for p in parts)  # the alternative a mail client acts on
    raw = base64.b64decode(att["content_b64"])
    assert parts[0].get_payload(decode=True) == raw
    return read(raw)
