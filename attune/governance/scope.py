"""Scoped look-ups for the audit pages. An IG lead reads events by people with a role in their
organisation, and the access history of records their organisation owns: a family is owned by
the organisation providing the service of the team responsible for it (as the family's audit
subject says, attune/families/subjects.py)."""

import uuid

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from attune.accounts.models import User
from attune.core import subjects
from attune.core.audit import FAMILY
from attune.core.models import AuditEvent
from attune.families.models import Family
from attune.interop.api_models import ApiClient
from attune.organisations.models import Membership, Team
from attune.organisations.roles import Capability
from attune.organisations.scope import Scope


def events(scope: Scope) -> QuerySet[AuditEvent]:
    scope.require(Capability.AUDIT, "core.auditevent")
    scope.acting_for_organisation(Capability.AUDIT)
    # Other systems act through their organisation's API tokens, with no person as the actor:
    # their calls are the organisation's too.
    systems = ApiClient.objects.of_organisations(scope.organisation_ids(Capability.AUDIT)).values_list("pk", flat=True)
    calls = Q(object_type="interop.apiclient", object_id__in=[str(pk) for pk in systems])
    return (
        AuditEvent.objects.filter(scope.audit_actor_filter() | calls)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )


def subject_events(scope: Scope, object_type: str, object_id: str) -> tuple[subjects.Subject, QuerySet[AuditEvent]]:
    """Everything recorded about one record, by anyone, if the reader's organisation owns it."""
    scope.require(Capability.AUDIT, "core.auditevent")
    subject = subjects.resolve(object_type, [object_id]).get(object_id)
    owners = {str(org_id) for org_id in scope.organisation_ids(Capability.AUDIT)}
    if subject is None or not subject.owners & owners:
        raise scope.not_found(object_type, object_id)
    scope.acting_for_organisation(Capability.AUDIT)
    queryset = (
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )
    return subject, queryset


def person_events(scope: Scope, user_id: uuid.UUID) -> tuple[User, QuerySet[AuditEvent]]:
    queryset = events(scope)
    # Someone the reader may see events of, who has done something: 404 for anyone else.
    acted = queryset.filter(actor_id=user_id).values("actor_id")[:1]
    person = scope.get(User.objects.filter(pk__in=acted), user_id, team=None)
    return person, queryset.filter(actor_id=user_id)


def readable_people(scope: Scope, events_shown: list[AuditEvent]) -> set[str]:
    """Of the people who did what is shown, those whose own activity page the reader may open
    (the rule `person_events` applies): one query."""
    return people_who_acted(scope, {event.actor_id for event in events_shown if event.actor_id is not None})


def people_who_acted(scope: Scope, user_ids: set[uuid.UUID]) -> set[str]:
    """Of these people, those the reader may audit who have done something (whose activity page
    opens): one query."""
    if not user_ids:
        return set()
    # One probe per person for a first event (EXISTS), not a DISTINCT over every event of theirs:
    # the log grows by every page anyone reads.
    acted = AuditEvent.objects.filter(scope.audit_actor_filter(), actor_id=OuterRef("pk"))
    found = User.objects.filter(pk__in=user_ids).filter(Exists(acted)).values_list("pk", flat=True)
    return {str(user_id) for user_id in found}


def owners(scope: Scope) -> set[str]:
    """The organisations whose records the reader may audit (the rule `subject_events` applies)."""
    return {str(org_id) for org_id in scope.organisation_ids(Capability.AUDIT)}


# Staff --------------------------------------------------------------------------------------------

STAFF_FOUND_AT_MOST = 25


def staff_matching(scope: Scope, text: str) -> list[User]:
    """People the reader may audit whose name or email address holds the text, by name, with
    their roles (ended ones too: a leaver is audited as well): two queries. Django escapes % and _ in `icontains`, so they match themselves."""
    scope.require(Capability.AUDIT, "accounts.user")
    scope.acting_for_organisation(Capability.AUDIT)
    found = scope.audit_staff().filter(Q(full_name__icontains=text) | Q(email__icontains=text))
    roles = Prefetch("memberships", queryset=Membership.objects.select_related("team", "organisation"))
    return list(found.order_by("full_name", "email").prefetch_related(roles)[: STAFF_FOUND_AT_MOST + 1])


def chosen_person(scope: Scope, user_id: uuid.UUID) -> User | None:
    """The person an audit log filter names, if the reader may audit them."""
    return scope.audit_staff().filter(pk=user_id).first()


# Families -----------------------------------------------------------------------------------------


def owned_team_ids(scope: Scope) -> list[uuid.UUID]:
    """The teams whose families the reader may audit: the teams of the services her organisation
    provides (the owner a family's audit subject names)."""
    scope.require(Capability.AUDIT, "families.family")
    scope.acting_for_organisation(Capability.AUDIT)
    org_ids = scope.organisation_ids(Capability.AUDIT)
    return list(Team.objects.filter(service__provider_id__in=org_ids).values_list("pk", flat=True))


def audited_family(scope: Scope, family_id: uuid.UUID) -> Family:
    """A family the reader's organisation owns (merged records too: their history stays). Anyone
    without the audit role gets 403; an IG lead of another organisation 404, as if it did not exist."""
    scope.require(Capability.AUDIT, FAMILY)
    org_ids = scope.organisation_ids(Capability.AUDIT)
    found = (
        Family.objects.filter(pk=family_id, team__service__provider_id__in=org_ids)
        .select_related("team__service", "merged_into")
        .prefetch_related("carers", "infants")
        .first()
    )
    if found is None:
        raise scope.not_found(FAMILY, family_id)
    scope.acting_for_organisation(Capability.AUDIT)
    return found
