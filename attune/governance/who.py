"""Who did something, in words an IG lead reads: the person, or the way in when nobody signed in
did ("the public referral form"), and the role and team the audit event says allowed it.

No database: an event's `actor` is read only when its id says there is one (the pages fetch it
with the event), so these are tested on events built in memory.
"""

from typing import Any

from attune.core.actors import PUBLIC_REFERRAL_FORM, QUESTIONNAIRE_LINK

THE_PUBLIC_FORM = "the public referral form"
A_PARENT = "a parent, through a questionnaire link"
A_JOB = "a scheduled job"
SOMEONE_NOT_SIGNED_IN = "someone who was not signed in"

# The labels the pages the public reach give their actor (attune/core/actors.py).
WAYS_IN = {PUBLIC_REFERRAL_FORM: THE_PUBLIC_FORM, QUESTIONNAIRE_LINK: A_PARENT}

# Events written before those pages labelled their actor: the action says which way in it was.
_PUBLIC_FORM_ACTIONS = frozenset({"referral.received", "referral.spam_refused"})
_PARENT_ACTIONS = frozenset(
    {
        "questionnaire_link.opened",
        "questionnaire_link.refused",
        "questionnaire_link.checked",
        "questionnaire_link.check_failed",
        "questionnaire_link.submitted",
        "questionnaire_link.submit_failed",
    }
)


def actor_name(event: Any) -> str:
    """'Priya Shah'; 'the public referral form'; 'a parent, through a questionnaire link'; the
    command or job that ran ('manage.py disable_leavers'); 'a scheduled job' for the system
    acting alone (no request, no address); the email address typed at a failed sign-in."""
    if event.actor_id is not None:
        person = event.actor
        return str(person.full_name or person.email) if person is not None else event.actor_label
    label = str(event.actor_label or "")
    if label:
        return WAYS_IN.get(label, label)
    if event.action in _PUBLIC_FORM_ACTIONS:
        return THE_PUBLIC_FORM
    if event.action in _PARENT_ACTIONS:
        return A_PARENT
    if not event.request_id and not event.ip_address:
        return A_JOB
    return SOMEONE_NOT_SIGNED_IN


def roles_and_places(role: str) -> tuple[str, str]:
    """The audit role ("Coordinator, Blackpool PAIRS hub team; Team lead, Blackpool PAIRS hub
    team": each role that allowed the action, with the team or organisation it is held in) as
    the roles ("Coordinator; Team lead") and the places ("Blackpool PAIRS hub team"), each once.
    Role names hold no comma; a team's name may, so only the first one splits."""
    roles: list[str] = []
    places: list[str] = []
    for part in (piece.strip() for piece in role.split(";")):
        if not part:
            continue
        name, _, place = part.partition(", ")
        if name not in roles:
            roles.append(name)
        if place and place not in places:
            places.append(place)
    return "; ".join(roles), "; ".join(places)
