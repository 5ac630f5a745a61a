"""What the contacts UI calls the core's values: statuses, bases, mapping targets, history.

The core stores stable English tokens (``subscribed``, ``consent``, ``field:city``); the user
reads them in French or English. Only wording lives here, no rule about contacts.
"""

from __future__ import annotations

import json
from datetime import datetime

from editor.contacts.store import Event
from editor.i18n import N_, _, language, ngettext
from editor.i18n import number as number_text


def status_label(status: str) -> str:
    labels = {
        "subscribed": _("subscribed"),
        "unsubscribed": _("unsubscribed"),
        "bounced": _("bounced"),
        "complained": _("complained"),
    }
    return labels.get(status, status)


def basis_label(basis: str | None) -> str:
    if basis is None:
        return _("none")
    labels = {
        "consent": _("consent"),
        "customer": _("existing customer"),
        "professional": _("professional"),
    }
    return labels.get(basis, basis)


def basis_explanation(basis: str) -> str:
    """One plain sentence saying when a lawful basis applies."""
    explanations = {
        "consent": _(
            "These people asked to receive your emails (a box ticked on a "
            "form, a sign-up sheet at a fair…)."
        ),
        "customer": _(
            "These people have already bought from you, and you write to them "
            "about similar products or services."
        ),
        "professional": _("These are work addresses, and you write to them about their job."),
    }
    return explanations.get(basis, "")


def target_label(target: str) -> str:
    """A mapping target as the column chooser shows it (``field:`` is any custom field)."""
    labels = {
        "email": _("Email address"),
        "first_name": _("First name"),
        "last_name": _("Last name"),
        "full_name": _("Full name (split)"),
        "measurement_consent": _("Consent to open/click measurement (yes/no)"),
        "field:": _("Custom field"),
        "ignore": _("Ignore"),
    }
    return labels.get(target, target)


def count_text(number: int) -> str:
    """A count as the user writes it: ``12 345`` in French, ``12,345`` in English."""
    return number_text(number)


def contacts_text(number: int) -> str:
    return ngettext("{count} contact", "{count} contacts", number).format(count=count_text(number))


def local_time(stamp: str | None, *, with_time: bool = True) -> str:
    """A stored UTC timestamp (or ISO date) in the user's time zone and date order."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if len(stamp) == 10:  # a date alone: no time zone to convert
        return moment.strftime("%d/%m/%Y" if language() == "fr" else "%Y-%m-%d")
    moment = moment.astimezone()
    day = "%d/%m/%Y" if language() == "fr" else "%Y-%m-%d"
    return moment.strftime(f"{day} %H:%M" if with_time else day)


_EVENT_KINDS = {
    "created": N_("created by hand"),
    "imported": N_("imported"),
    "updated": N_("updated by an import"),
    "edited": N_("edited by hand"),
    "basis": N_("lawful basis"),
    "status": N_("status"),
    "list_added": N_("added to a list"),
    "list_removed": N_("removed from a list"),
    "list_deleted": N_("list deleted"),
    "measurement": N_("consent to open/click measurement"),
}
_MEASUREMENT_VALUES = {"given": N_("given"), "withdrawn": N_("withdrawn")}
_FIELD_NAMES = {
    "email": N_("email"),
    "first_name": N_("first name"),
    "last_name": N_("last name"),
}


def _value(kind: str, value: str | None) -> str:
    if value is None:
        return ""
    if kind == "status":
        return status_label(value)
    if kind == "measurement" and value in _MEASUREMENT_VALUES:
        return _(_MEASUREMENT_VALUES[value])
    if kind in ("basis", "imported", "created") and value in (
        "consent",
        "customer",
        "professional",
    ):
        return basis_label(value)
    return value


def _changes(old: str | None, new: str | None) -> str:
    """« prénom : Jean → Jeanne » from the JSON an edit or an import merge recorded."""
    try:
        before = json.loads(old or "{}")
        after = json.loads(new or "{}")
    except ValueError:
        return " → ".join(v for v in (old, new) if v)
    if not isinstance(before, dict) or not isinstance(after, dict):
        return " → ".join(v for v in (old, new) if v)
    sep = _(": ")
    parts = []
    for name, value in after.items():
        if name == "fields" and isinstance(value, dict):
            old_fields = before.get("fields", {})
            for field, field_value in value.items():
                old_value = old_fields.get(field, "") or "∅"
                parts.append(f"{field}{sep}{old_value} → {field_value or '∅'}")
            continue
        label = _(_FIELD_NAMES[name]) if name in _FIELD_NAMES else name
        parts.append(f"{label}{sep}{before.get(name, '') or '∅'} → {value or '∅'}")
    return ", ".join(parts)


def event_description(event: Event) -> str:
    """What happened, e.g. « statut : abonné → désabonné (demande) »."""
    kind = _EVENT_KINDS.get(event.kind)
    text = _(kind) if kind else event.kind
    if event.kind in ("updated", "edited"):
        change = _changes(event.old, event.new)
    else:
        change = " → ".join(
            _value(event.kind, v) for v in (event.old, event.new) if v is not None and v != ""
        )
    if change:
        text += _(": ") + change
    reason = (
        _value(event.kind, event.reason) if event.kind in ("imported", "created") else event.reason
    )
    details = "; ".join(v for v in (reason, event.source) if v)
    if details:
        text += f" ({details})"
    return text
