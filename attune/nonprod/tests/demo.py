"""What the demo tests share: the people by their scenario key, and a snapshot of every row."""

from dataclasses import dataclass
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from attune.accounts.models import User
from attune.nonprod import scenario
from attune.referrals.clock import triage_clock
from attune.referrals.models import EligibilityRules, Referral

# Every row of every table of Attune's own, by model: all columns but `updated_at`, which a
# reload may touch without changing anything a person would see.
Rows = dict[str, list[tuple[object, ...]]]


@dataclass(frozen=True)
class LoadedDemo:
    printed: str  # what the first `load_demo` printed
    first: Rows  # every row after the first load
    second: Rows  # and after loading again


def everything() -> Rows:
    found: Rows = {}
    for model in apps.get_models(include_auto_created=True):
        if not model.__module__.startswith("attune."):
            continue
        columns = [f.attname for f in model._meta.concrete_fields if f.attname != "updated_at"]
        found[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*columns))
    return found


def load_demo() -> str:
    """Run `manage.py load_demo` as `make run` does; returns what it printed."""
    printed = StringIO()
    with override_settings(DEMO_MODE=True):
        call_command("load_demo", stdout=printed)
    return printed.getvalue()


def person(key: str) -> User:
    """A demo person by their key in scenario.PEOPLE ("team_lead", "trainee_1", ...)."""
    return User.objects.get(email=next(p.email for p in scenario.PEOPLE if p.key == key))


def demo_referral(reference: str) -> Referral:
    """A demo referral by its fixed reference, with its current status."""
    return Referral.objects.with_status().select_related("team", "family").get(reference=reference)


def triage_state(found: Referral) -> str:
    """Its triage clock today against its team's target: "within", "due" or "over"."""
    history = list(found.history.order_by("entered_at", "id"))
    rules = EligibilityRules.objects.get(team=found.team)
    return triage_clock(
        timezone.localdate(found.received_at),
        history,
        today=timezone.localdate(),
        target=rules.triage_target_working_days,
    ).state
