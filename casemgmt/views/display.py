"""How a case's deadline is shown, in the inbox (fifty times a page) and on the case page: built in
Python once rather than by a template macro per row."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from markupsafe import Markup, escape

from casemgmt.models import CaseStatus, MessageType
from casemgmt.services.deadlines import STATE_LABELS
from casemgmt.services.priority import LEVELS
from portal.enums import translated
from portal.i18n import current_language
from portal.layout import local_time
from portal.policy import lists_show_subject

_BADGE = {"overdue": "text-bg-danger", "delayed": "text-bg-danger", "due_soon": "text-bg-warning",
          "paused": "text-bg-secondary"}
_LINE = {"overdue": ' class="deadline-overdue"', "delayed": ' class="deadline-overdue"', "due_soon": ' class="deadline-soon"'}


@lru_cache(maxsize=8)
def _texts(lang: str) -> dict:
    """The fixed words of the lines, escaped, in one language (made once per language and worker, in a request
    of that language: `lang` is the page's)."""
    return {
        "state": {state: escape(translated(text)) for state, text in STATE_LABELS.items()},
        "level": {level: escape(translated(text)) for level, text in LEVELS.items()},
        "status": {s.value: escape(s.label) for s in CaseStatus},
        "kind": {t.value: escape(t.label.lower()) for t in MessageType},
        # the channels named by a word of the language (the others are names: SIENA, SIRENE, INTERPOL, PCCC)
        "channel": {"BILATERAL": escape(_("Bilateral")), "NATIONAL": escape(_("National")), "OTHER": escape(_("Other"))},
        "closed": f'<span class="text-muted">{escape(_("(closed: open the case to read it)"))}</span>',
        "new_hits": (f' <span class="badge text-wrap text-bg-info xc-new-hits" title="'
                     f'{escape(_("Strong cross-check hits not reviewed yet, found after reference data were loaded"))}'
                     f'">{escape(_("new hits"))}</span>'),
        "urgent": f' <span class="badge text-bg-danger">{escape(_("urgent"))}</span>',
        "sent": escape(_("sent")) + " ", "merged": " " + escape(_("(merged)")),
        "answer_due": escape(_("Answer due %(due)s", due="{due}")), "due_late": escape(_("due %(due)s", due="{due}")),
        "due": escape(_("Due %(due)s", due="{due}")), "select": escape(_("Select %(number)s", number="{number}")),
    }


def time_left_text(parts: dict) -> str:
    """The time left (`casemgmt.services.deadlines.time_left_parts`) in the page's language."""
    return time_left_in(current_language(), parts)


def time_left_in(lang: str, parts: dict) -> str:
    """time_left_text in `lang`, the page's language looked up once for a list's rows (current_language() for
    each of the inbox's fifty rows was a twentieth of its time)."""
    return _time_left(lang, parts["days"], parts["hours"], parts["minutes"], bool(parts["overdue"]))


@lru_cache(maxsize=8192)
def _time_left(lang: str, days: int, hours: int, minutes: int, overdue: bool) -> str:
    """Written once per language and value (the inbox asks for fifty a page; Flask-Babel's lookup of the
    catalogue for each cost a quarter of the page's time). `lang` is the page's, which _() writes in."""
    text = _("%(days)s d %(hours)s h", days=days, hours=hours) if days else \
        _("%(hours)s h %(minutes)s min", hours=hours, minutes=f"{minutes:02d}")
    return _("overdue by %(time)s", time=text) if overdue else _("%(time)s left", time=text)


def deadline(case, state: str, left: str, zone: ZoneInfo | None = None, lang: str | None = None) -> Markup:
    """Due time in the user's zone, time left and the state, as badges; `case` needs `due_at`."""
    words = _texts(lang or current_language())
    label = words["state"][state]
    # the date and time stay on one line; the words around them wrap (a narrow card, the inbox's column)
    due = Markup(f'<span class="nowrap">{escape(local_time(case.due_at, zone=zone))}</span>')  # noqa: S704 - escaped
    if state == "none":
        html = f'<span class="text-muted small">{label}</span>'
    elif state in ("partner", "chase"):  # an outgoing request: the partner's deadline, to chase when passed
        badge = "text-bg-warning" if state == "chase" else "text-bg-light"
        html = f'<span>{words["answer_due"].format(due=due)}</span> <span class="badge {badge}">{label}</span>'
    elif state in ("met", "late", "deviation"):
        badge = {"met": "text-bg-success", "late": "text-bg-warning", "deviation": "text-bg-info"}[state]
        html = f'<span class="badge text-wrap {badge}">{label}</span> <span class="text-muted small">{words["due_late"].format(due=due)}</span>'
    else:
        html = (f'<span{_LINE.get(state, "")}>{words["due"].format(due=due)}</span> '
                f'<span class="badge {_BADGE.get(state, "text-bg-light")}">'
                f'{escape(left) if state == "running" else label}</span>')
        if state in ("overdue", "due_soon", "delayed", "paused"):
            html += f' <span class="small nowrap">{escape(left)}</span>'
    return Markup(html)  # noqa: S704 - every value in it is escaped above or is one of our constants


_PRIORITY_BADGE = {1: "text-bg-danger", 2: "text-bg-warning"}
_ROW_CLASS = {"overdue": ' class="table-danger"', "delayed": ' class="table-danger"',
              "due_soon": ' class="table-warning"'}


@lru_cache(maxsize=4096)
def inbox_row(case, state: str, left: str, case_url: str, zone: ZoneInfo, lang: str = "en") -> Markup:
    """One line of the inbox (`case` an InboxEntry). Written out here rather than in the template:
    the inbox is the page a SPOC reloads most, and fifty rows of template expressions cost more
    than the rest of the request together (bench/web.py). The line is a function of its arguments
    alone (the entry is a frozen row, the time left is passed in as text), so a worker keeps the
    last few thousand it wrote: a reload of the same page rewrites only the lines whose time left or
    data changed (a sixth of the inbox's time under load, bench/web.py)."""
    words = _texts(lang)
    number = escape(case.registration_number)
    urgent = words["urgent"] if case.urgent else ""
    kind = ""
    if case.direction == "out" or case.request_type != "request":
        sent = words["sent"] if case.direction == "out" else ""
        kind = (f' <span class="badge text-wrap text-bg-light">{sent}'
                f'{words["kind"].get(case.request_type) or escape(case.request_type)}</span>')
    merged = words["merged"] if case.merged_into_id else ""
    if case.new_hits:
        urgent += words["new_hits"]
    return Markup(  # noqa: S704 - every value in it is escaped here or is one of our constants
        f'<tr{_ROW_CLASS.get(state, "")}><td><input class="form-check-input" type="checkbox" name="case" '
        f'value="{number}" form="bulk-form" aria-label="{words["select"].format(number=number)}"></td>'
        f'<td><span class="badge {_PRIORITY_BADGE.get(case.priority, "text-bg-light")}">'
        f'{case.priority:d} · {words["level"].get(case.priority, "")}</span></td>'
        f'<td><a href="{escape(case_url)}{number}">{number}</a>{urgent}</td>'
        f'<td class="text-break">{escape(case.subject) if lists_show_subject(case) else words["closed"]}{kind}</td>'
        f'<td>{words["channel"].get(case.channel) or escape(case.channel)}</td>'
        f'<td>{escape(case.counterpart_country or "")}</td>'
        f'<td>{words["status"].get(case.status) or escape(case.status)}{merged}</td>'
        f'<td>{deadline(case, state, left, zone, lang)}</td>'
        f'<td>{escape(case.assignee or "—")}</td></tr>\n')
