"""Scanned PDFs in a case folder: the EU-classified check cannot read a PDF without a text layer.

The portal holds unclassified and sensitive non-classified material only (portal.markings). A PDF in which
no page has text (a scan) cannot be read for a classification marking, so somebody who has looked at it must
say it holds none:

- on a page (case attachment, intake form) the uploader ticks the box beside the file field;
- an officer's message recorded through the API (`POST …/exchanges/<n>/messages`) carries
  `"scan_confirmed": true` with the attachment (else 422 naming `attachments.N.scan_confirmed`);
- in unattended intake (`POST /api/v1/cases/intake` from a national system, `spoc cases import` of messages
  taken from a mailbox or another system: nobody to ask) the attachment is stored but held, unless the
  sender sent `"scan_confirmed": true`: an open task on the case asks an officer to open it and confirm,
  and the case page flags the file "not yet checked" until that task is marked done. Refusing the whole
  message instead would lose a request whose time limit (Directive (EU) 2023/977, Art. 5) already runs.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from casemgmt.models import Attachment, Case, Task
from casemgmt.models.enums import TaskStatus

API_NOTE = ("This PDF has no text layer (a scan): the portal cannot read it for an EU classification marking. "
            "Send \"scan_confirmed\": true with this attachment to confirm it holds none.")
_TITLE = ("Check the scanned PDF {name} (attachment {id}): it came in unattended without a text layer. Open it, "
          "and mark this task done once you have seen that it holds no EU classified marking.")
_HELD = re.compile(r"^Check the scanned PDF .*\(attachment (\d+)\)")


def hold(session: Session, case: Case, attachment: Attachment, actor) -> Task:
    """Flag an unattended scan for an officer's confirmation (an open task on the case)."""
    from casemgmt.services.workflow import add_task

    name = attachment.file.original_name if attachment.file else "file"
    return add_task(session, case, actor, _TITLE.format(name=name[:120], id=attachment.id))


def held_ids(session: Session, case: Case) -> set[int]:
    """The attachments of `case` still waiting for an officer to confirm them."""
    titles = session.scalars(select(Task.title).where(Task.case_id == case.id, Task.status == TaskStatus.OPEN))
    return {int(m.group(1)) for t in titles if (m := _HELD.match(t))}
