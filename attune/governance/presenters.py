"""Audit events as an information governance lead reads them."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils.html import format_html

from attune.core import subjects
from attune.core.audit import FAMILY
from attune.core.formatting import datetime_short
from attune.core.models import AuditEvent, Outcome
from attune.governance.who import actor_name
from attune.interop import labels as interop_labels

ACTION_LABELS = {
    "commissioning.agreement_recorded": "Recorded a funding agreement",
    "commissioning.agreement_changed": "Changed a funding agreement",
    "commissioning.post_cost_recorded": "Recorded a post's annual cost",
    "commissioning.agreements_viewed": "Viewed funding agreements",
    "commissioning.agreement_viewed": "Viewed a funding agreement",
    "commissioning.costs_viewed": "Viewed a team's staff costs",
    "reports.listed": "Opened the list of reports",
    "reports.viewed": "Viewed a report",
    "reports.printed": "Opened a printable report",
    "reports.exported": "Downloaded a report",
    "auth.signed_in": "Signed in",
    "auth.signed_out": "Signed out",
    "auth.session_expired": "Signed out by the system",
    "auth.sign_in_failed": "Failed sign-in: wrong email or password",
    "auth.sign_in_refused": "Sign-in refused: locked out",
    "auth.locked_out": "Locked out after repeated failures",
    "auth.sign_in_slowed": "Sign-in slowed: too many wrong passwords for this account",
    "auth.security_code_failed": "Failed sign-in: wrong security code",
    "auth.two_factor_enrolled": "Set up two-factor sign-in",
    "auth.recovery_codes_replaced": "Replaced recovery codes",
    "auth.reauthentication_failed": "Wrong password when confirming a change",
    "access.refused": "Access refused",
    "security.csrf_refused": "Form refused: security token missing or expired",
    "team.viewed": "Viewed team page",
    "team_rules.changed": "Changed the team's rules",
    "intervention_weights.changed": "Changed the service's intervention weights",
    "intervention_weights.viewed": "Viewed the service's intervention weights",
    "catchment.changed": "Changed the team's catchment",
    "catchment.placed": "Placed postcodes in a council area",
    "catchment.removed": "Removed postcodes from the catchment",
    "team_settings.viewed": "Viewed a team's settings",
    "staff.listed": "Viewed staff accounts list",
    "staff.viewed": "Viewed staff account",
    "jobs.viewed": "Viewed the scheduled jobs",
    "account.disabled": "Disabled account",
    "account.enabled": "Enabled account",
    "account.sessions_ended": "Signed person out everywhere",
    "account.two_factor_reset": "Reset two-factor sign-in",
    "account.password_changed": "Changed password",
    "account.link_issued": "Issued a set-up or password reset link",
    "account.password_set_by_link": "Set a password through an emailed link",
    "auth.account_link_refused": "Opened a set-up or reset link that had expired or been used",
    "auth.reset_requested": "Asked for a password reset link",
    "auth.reset_limited": "Password reset refused: too many requests",
    "membership.granted": "Given a role",
    "organisation.created": "Added organisation",
    "organisation.updated": "Changed organisation",
    "service.created": "Added service",
    "service.updated": "Changed service",
    "team.created": "Added team",
    "team.updated": "Changed team",
    "site.created": "Added site",
    "site.updated": "Changed site",
    "room.created": "Added room",
    "room.updated": "Changed room",
    "setup.first_administrator": "Set Attune up: first system administrator",
    "setup.viewed": "Viewed how the service is set up (organisations, services, teams, sites or rooms)",
    "membership.ended": "Role ended",
    "membership.moved": "Moved to another team",
    "person.invited": "Invited a person: account created",
    "person.invitation_resent": "Sent an invitation again",
    "person.leaving_recorded": "Recorded a leaving date",
    "caseload.handover_viewed": "Viewed what a leaver hands over",
    "audit.viewed": "Viewed audit log",
    "audit.subject_viewed": "Viewed who accessed a record",
    "audit.person_viewed": "Viewed a person's activity",
    "audit.searched": "Searched the audit for a family or a member of staff",
    "audit.family_access_viewed": "Viewed who has seen a family's record",
    "audit.family_access_exported": "Downloaded a family's access report (subject access request)",
    "referral.received": "Referral received",
    "referral.spam_refused": "Referral form refused: the spam trap was filled in",
    "referral.inbox_viewed": "Viewed the triage inbox",
    "referral.viewed": "Viewed referral",
    "referral.letter_viewed": "Viewed signposting letter",
    "referral.accepted": "Accepted referral to the waiting list",
    "referral.signposted": "Signposted referral to another service",
    "referral.declined": "Declined referral",
    "referral.awaiting_information": "Asked the referrer for more information",
    "referral.information_received": "Recorded information from the referrer",
    "referral.withdrawn": "Withdrew referral",
    "family.created": "Created family record",
    "family.viewed": "Viewed family record",
    "family.duplicates_checked": "Checked family record for duplicates",
    "family.merged": "Linked another family record into this one",
    "family.merged_away": "Family record linked into another",
    "family.merge_undone": "Undid linking of family records",
    "family.details_updated": "Updated family record details",
    "search.families": "Searched for a family",
    "search.listed": "Listed the family in search results",
    "referral.linked": "Linked referral to a family already known",
    "infant.birth_recorded": "Recorded a baby's birth",
    "safeguarding.flag_raised": "Added safeguarding flag",
    "safeguarding.flag_removed": "Removed safeguarding flag",
    "carer.language_recorded": "Recorded a person's language and interpreter need",
    "interpreter.booked": "Booked an interpreter for an appointment",
    "interpreter.confirmed": "Confirmed an interpreter booking",
    "interpreter.cancelled": "Cancelled an interpreter booking",
    "consent.recorded": "Recorded a consent decision",
    "consent.withdrawn": "Withdrew consent",
    "safeguarding.referral_made": "Recorded a safeguarding referral",
    "safeguarding.outcome_recorded": "Recorded the outcome of a safeguarding referral",
    "safeguarding.council_reference_added": "Added the council's reference to a safeguarding referral",
    "safeguarding.meeting_scheduled": "Added a safeguarding meeting",
    "safeguarding.meeting_moved": "Moved a safeguarding meeting",
    "safeguarding.meeting_cancelled": "Cancelled a safeguarding meeting",
    "safeguarding.meeting_held": "Recorded a safeguarding meeting as held",
    "safeguarding.birth_told": "Recorded that children's social care was told of a birth",
    "document.uploaded": "Added a document",
    "document.exchanged": "Marked a document as sent or received",
    "document.removed": "Removed a document (file deleted)",
    "document.downloaded": "Downloaded a document",
    "recording.uploaded": "Uploaded a video recording of a session",
    "recording.watched": "Watched a video recording",
    "recording.training_copy_made": "Made a training copy of a video recording",
    "recording.erased": "Erased a video recording",
    "message.queued": "Message queued to send",
    "message.withheld": "Message not sent: no safe way to contact or no consent",
    "message.sent": "Message sent through GOV.UK Notify",
    "message.send_deferred": "Message not sent yet: will try again",
    "message.failed": "Message could not be sent",
    "task.raised": "Task raised",
    "task.closed": "Task closed",
    "episode.allocated": "Allocated family: episode of care opened",
    "episode.transferred": "Transferred episode of care",
    "episode.updated": "Changed an episode's interventions, who takes part or review date",
    "episode.discharged": "Discharged family: episode closed",
    "episode.booked_cancelled_for_discharge": "Cancelled booked appointments to discharge a family",
    "episode.reopened": "Reopened episode of care",
    "appointment.booked": "Booked appointment",
    "appointment.attendance_recorded": "Recorded attendance",
    "lone_working.checked_in": "Checked in to a home visit",
    "lone_working.checked_out": "Checked out of a home visit",
    "lone_working.overdue": "Home visit not checked out: team lead alerted",
    "note.saved": "Saved draft clinical note",
    "note.signed": "Signed clinical note",
    "note.countersigned": "Countersigned clinical note",
    "note.addendum_added": "Added addendum to a clinical note",
    "note.returned": "Returned a trainee's note with comments instead of countersigning",
    "note.return_answered": "Answered a supervisor's comments on a note with an addendum",
    "note.history_viewed": "Viewed a clinical note's history",
    "goal.added": "Added goal",
    "goal.rated": "Rated goal",
    "waiting_list.teams_viewed": "Viewed the waiting lists of the teams they lead",
    "waiting_list.viewed": "Viewed a team's waiting list",
    "referral.allocation_viewed": "Opened a family's allocation page",
    "episode.transfer_viewed": "Opened an episode's transfer page",
    "episode.viewed": "Viewed an episode of care",
    "episode.discharge_letter_viewed": "Viewed a discharge letter",
    "caseload.viewed": "Viewed their own caseload",
    "caseload.practitioner_viewed": "Viewed a practitioner's caseload",
    "caseload.team_viewed": "Viewed a team's caseloads and capacity",
    "capacity.viewed": "Viewed a practitioner's capacity",
    "capacity.set": "Set a practitioner's capacity",
    "diary.viewed": "Viewed a diary",
    "diary.site_viewed": "Viewed a site's room bookings",
    "appointment.booking_opened": "Opened the booking form for a family",
    "appointment.viewed": "Viewed an appointment",
    "outcomes.administration_recorded": "Recorded an outcome measure",
    "outcomes.administration_reviewed": "Reviewed a parent's questionnaire answers",
    "outcomes.measure_check_viewed": "Checked a measure's answers before saving",
    "outcomes.administration_viewed": "Viewed an outcome measure result",
    "outcomes.measure_chosen_viewed": "Viewed the measures to enter for an episode",
    "outcomes.measure_entry_viewed": "Opened a measure to enter",
    "outcomes.measure_entry_refused": "Entry of a measure refused (errors shown)",
    "outcomes.alert_viewed": "Viewed a risk alert",
    "outcomes.alert_action_refused": "Action on a risk alert refused",
    "outcomes.alert_review_refused": "Review of a risk alert refused",
    "outcomes.wording_loaded": "Loaded licensed questionnaire wording",
    "outcomes.bands_loaded": "Loaded bands or cut-offs for a measure",
    "outcomes.administrations_imported": "Imported outcome measures",
    "outcomes.progress_viewed": "Viewed an episode's outcome measures",
    "outcomes.schedules_viewed": "Viewed the team's schedule of measures",
    "outcomes.schedule_added": "Added a measure to the team's schedule",
    "outcomes.schedule_changed": "Changed a scheduled measure",
    "outcomes.schedule_removed": "Removed a measure from the team's schedule",
    "family_alert.raised": "Raised a risk alert on a family",
    "family_alert.closed": "Closed a risk alert, recording the action taken",
    "family_alert.reviewed": "Reviewed the action taken on a high-risk alert",
    "questionnaire_link.sent": "Sent a questionnaire link to a parent",
    "questionnaire_link.viewed": "Viewed a questionnaire link's confirmation",
    "questionnaire_link.revoked": "Withdrew a questionnaire link",
    "questionnaire_link.opened": "A parent opened a questionnaire link",
    "questionnaire_link.refused": "A questionnaire link was refused (unknown, expired, used or withdrawn)",
    "questionnaire_link.checked": "A parent confirmed the baby's date of birth",
    "questionnaire_link.check_failed": "Wrong date of birth given for a questionnaire link",
    "questionnaire_link.submitted": "A parent sent questionnaire answers",
    "questionnaire_link.submit_failed": "Questionnaire answers could not be stored",
    "training_plan.list_viewed": "Viewed the list of trainees",
    "training_plan.viewed": "Viewed a training plan",
    "training_plan.new_viewed": "Viewed the form to start a training plan (trainees without a plan)",
    "training_plan.created": "Created a training plan",
    "training_plan.evidence_added": "Added evidence to a training plan",
    "training_plan.competency_signed_off": "Signed off a competency",
    "training_plan.sign_off_refused": "Refused: signing off a competency without being the supervisor",
    "post.list_viewed": "Viewed a team's posts",
    "post.created": "Created a post",
    "post.changed": "Changed a post",
    "activity.list_viewed": "Viewed consultation and training given",
    "activity.recorded": "Recorded consultation or training given",
    "supervision.sessions_viewed": "Viewed their supervision sessions",
    "supervision.recorded": "Recorded a supervision session",
    "supervision.action_agreed": "Agreed a supervision action",
    "supervision.session_viewed": "Viewed a supervision session",
    "supervision.discussion_viewed": "Read a family's case discussion in a supervision session",
    "supervision.action_done": "Completed a supervision action",
    "supervision.experience_set": "Set a practitioner's supervision experience and hours",
    "supervision.compliance_viewed": "Viewed supervision against the standard",
    "supervision.countersign_queue_viewed": "Viewed the notes to countersign",
    "supervision.supervisee_caseload_viewed": "Viewed a supervisee's caseload",
    "supervision.standard_viewed": "Viewed the service's supervision standard",
    "supervision.standard_changed": "Changed the service's supervision standard",
    **interop_labels.ACTION_LABELS,
}

OUTCOME_TAGS = {
    Outcome.SUCCESS: "nhsuk-tag--green",
    Outcome.FAILURE: "nhsuk-tag--orange",
    Outcome.DENIED: "nhsuk-tag--red",
    Outcome.NOT_FOUND: "nhsuk-tag--red",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def _search_text(event: AuditEvent) -> str:
    """A search in words: what was typed and how many it found ("Search for 'Ashwroth': 1 found",
    with typographic quotes)."""
    detail = event.detail if isinstance(event.detail, dict) else {}
    typed = str(detail.get("query", ""))
    results = detail.get("results")
    found = f": {results} found" if isinstance(results, int) else ""
    return f"Search for ‘{typed}’{found}"


# Events about no record whose detail says what they were about, in words.
DETAIL_TEXT = {"search.families": _search_text, "search.listed": _search_text, "audit.searched": _search_text}


def kind_of(object_type: str) -> str:
    """What kind of record an event is about when no app names its records for the audit
    ("Funding agreement" for commissioning.fundingagreement); '' for anything else."""
    app_label, _, model_name = object_type.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return ""
    return str(model._meta.verbose_name).capitalize()


def named(subject: subjects.Subject) -> str:
    """'Referral: PIR-7K2M-Q9XD'; a label that says its kind already stands alone ('Family of
    Chloe Ashworth', not 'Family: Family of Chloe Ashworth')."""
    return subject.label if subject.label.startswith(subject.kind) else f"{subject.kind}: {subject.label}"


def subject_href(object_type: str, object_id: str) -> str:
    """Where the audit shows everything about a record: a family has its own page, which reads
    every event naming it (a referral read, an appointment), not only those about the record."""
    if object_type == FAMILY:
        return reverse("governance:family_access", args=[object_id])
    return reverse("governance:subject", args=[object_type, object_id])


@dataclass(frozen=True)
class EventTable:
    events: list[AuditEvent]
    subject_names: dict[tuple[str, str], subjects.Subject]

    # What the reader may open: records her organisation owns, people with a role in it. Anything
    # else is named without a link, so she is never sent to a page that answers "not found".
    owners: frozenset[str] = frozenset()
    readable_people: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        events: list[AuditEvent],
        *,
        owners: Iterable[str] = (),
        readable_people: Iterable[str] = (),
        known: dict[tuple[str, str], subjects.Subject] | None = None,
    ) -> "EventTable":
        """Names every subject on the page with one query per kind of subject (none for those
        in `known`: a long download names each record once, whichever part of it holds it)."""
        names: dict[tuple[str, str], subjects.Subject] = known if known is not None else {}
        ids: dict[str, list[str]] = defaultdict(list)
        for event in events:
            if event.object_type and event.object_id and (event.object_type, event.object_id) not in names:
                ids[event.object_type].append(event.object_id)
        for object_type, object_ids in ids.items():
            for object_id, subject in subjects.resolve(object_type, object_ids).items():
                names[(object_type, object_id)] = subject
        return cls(events, names, frozenset(owners), frozenset(readable_people))

    def subject_cell(self, event: AuditEvent) -> dict[str, Any]:
        subject = self.subject_names.get((event.object_type, event.object_id))
        if subject is None:
            return {"text": self.subject_text(event) or "—"}
        if not subject.owners & self.owners:
            return {"text": named(subject)}
        href = subject_href(event.object_type, event.object_id)
        if subject.label.startswith(subject.kind):
            return {"html": format_html('<a href="{}">{}</a>', href, subject.label)}
        return {"html": format_html('{}: <a href="{}">{}</a>', subject.kind, href, subject.label)}

    def subject_text(self, event: AuditEvent) -> str:
        """'Referral: PIR-7K2M-Q9XD', 'Appointment: Home visit on 3 March 2026'; the kind of
        record alone when it is no longer there or no app names it; '' when about no record."""
        if event.action in DETAIL_TEXT:
            return DETAIL_TEXT[event.action](event)
        subject = self.subject_names.get((event.object_type, event.object_id))
        if subject is None:
            return kind_of(event.object_type)
        return named(subject)

    def actor_cell(self, event: AuditEvent) -> dict[str, Any]:
        name = actor_name(event)
        if event.actor_id is None or str(event.actor_id) not in self.readable_people:
            return {"text": name}
        href = reverse("governance:person", args=[event.actor_id])
        return {"html": format_html('<a href="{}">{}</a>', href, name)}

    def rows(self) -> list[list[dict[str, Any]]]:
        return [
            [
                {"text": datetime_short(event.occurred_at)},
                self.actor_cell(event),
                {"text": event.role or "—"},
                {"text": action_label(event.action)},
                self.subject_cell(event),
                {
                    "html": format_html(
                        '<strong class="nhsuk-tag {}">{}</strong>',
                        OUTCOME_TAGS.get(Outcome(event.outcome), ""),
                        Outcome(event.outcome).label,
                    )
                },
            ]
            for event in self.events
        ]
