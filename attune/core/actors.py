"""Who does something: the actor every action takes and every audit event names (ADR 0012).

A person at a screen is an Actor built once per request (ActorMiddleware): who they are, the
request id and address, and, once the scope has granted access, the roles that allowed it. A
scheduled job, an importer or the demo builds its own with `Actor.system`, acting for a named
person where the change is theirs (the demo's team lead allocating a family) or for nobody (the
lone-working check). Actions never see the web request, so the same action serves a view, a
job, an importer and an API alike.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from attune.core.network import client_ip


def _no_roles() -> str:
    return ""


@dataclass
class Actor:
    # The person acting, or acted for (a User); None for the system alone or a member of the
    # public (a parent's referral, a questionnaire answered through a link).
    user: Any = None
    # How the audit log names the actor when there is no person, or who ran it for them
    # ("import", "lone-working check"); blank means the person's email address.
    label: str = ""
    # The roles that allowed the action: the scope sets them when it grants access to a team or
    # an organisation (set_role); until then, every role the person holds.
    role: str = ""
    request_id: str = ""
    ip_address: str | None = None
    all_roles: Callable[[], str] = field(default=_no_roles, repr=False, compare=False)

    @classmethod
    def for_request(cls, request: HttpRequest, user: Any = None, *, label: str = "") -> "Actor":
        """The person making this request (`user` when not yet signed in: the sign-in itself, a
        failed attempt, where `label` is the email address typed). Their roles come from the
        scope when it is there."""
        if user is None:
            signed_in = getattr(request, "user", None)
            user = signed_in if signed_in is not None and signed_in.is_authenticated else None

        def all_roles() -> str:
            scope = getattr(request, "scope", None)
            return str(getattr(scope, "role_summary", "")) if scope is not None and user is not None else ""

        return cls(
            user=user,
            label=label,
            request_id=str(getattr(request, "request_id", "")),
            ip_address=client_ip(request),
            all_roles=all_roles,
        )

    @classmethod
    def system(cls, name: str, *, for_user: Any = None, role: str = "", label: str = "") -> "Actor":
        """A job, an importer or the demo: `name` says which (it is the request id in the audit
        log), acting for `for_user` in `role` when the change is a person's. The log names the
        person, else `label` (who ran a command), else `name`."""
        return cls(user=for_user, label=label or ("" if for_user is not None else name), role=role, request_id=name)

    @property
    def person(self) -> Any:
        """The person acting, for actions that record who did it (allocated by, signed by)."""
        if self.user is None:
            raise ValueError("This action needs a person to act, not the system alone")
        return self.user

    @property
    def name(self) -> str:
        """How the audit log names the actor: the person's sign-in, else the label."""
        return self.label or (self.user.get_username() if self.user is not None else "")

    @property
    def audit_role(self) -> str:
        return self.role or self.all_roles()

    def set_role(self, role: str) -> None:
        self.role = role


class ActingRequest(HttpRequest):
    """How a view sees a request once ActorMiddleware has run (signed in or not)."""

    actor: Actor


# How the audit log names who acted when nobody was signed in: the pages the public reach say
# which way in they were, so the IG lead reads "by the public referral form", not "Unknown".
PUBLIC_REFERRAL_FORM = "public referral form"
QUESTIONNAIRE_LINK = "questionnaire link"


def actor_of(request: HttpRequest, *, public: str = "") -> Actor:
    """The request's actor (ActorMiddleware's), or one built now for a request that has none
    (an error page reached before the middleware ran). `public` names the way in (one of the
    labels above) when nobody is signed in; a signed-in person is named as always."""
    found = getattr(request, "actor", None)
    actor = found if isinstance(found, Actor) else Actor.for_request(request)
    if public and actor.user is None and not actor.label:
        actor.label = public
    return actor
