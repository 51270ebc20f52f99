from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from attune.nonprod import (
    demo_care,
    demo_commissioning,
    demo_history,
    demo_outcomes,
    demo_record,
    demo_referrals,
    demo_supervision,
    demo_workforce,
    scenario,
)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


class Command(BaseCommand):
    help = "Load (or refresh) the Blackpool PAIRS demo scenario. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("The demo scenario loads only in demo mode (ATTUNE_DEMO=1).")
        people = scenario.load()
        demo_care.load_for_scenario()
        demo_outcomes.load_for_scenario()
        demo_workforce.load_for_scenario()
        demo_commissioning.load_for_scenario()
        demo_history.load_for_scenario()
        demo_supervision.load_for_scenario()
        demo_record.load_for_scenario()
        self.stdout.write(self.style.SUCCESS("Demo scenario loaded: Blackpool PAIRS, hub and satellite."))
        self._referrals()
        self._care()
        self._outcomes()
        self.stdout.write(f"\nDemo sign-ins (password for all: {scenario.DEMO_PASSWORD})")
        self.stdout.write("Two-factor is waived for these demo accounts while demo mode is on.\n")
        width = max(len(p.email) for p in people)
        for person in people:
            self.stdout.write(f"  {person.email.ljust(width)}  {person.full_name}: {person.summary}")
        self.stdout.write("")

    def _care(self) -> None:
        self.stdout.write("\nCare by team:")
        for s in demo_care.summary(scenario.teams()):
            self.stdout.write(
                f"  {s.team}: {s.open_episodes} open episodes, {s.discharged} discharged, {s.waiting} families "
                f"waiting, {s.diary} appointments in the next 3 weeks"
            )

    def _outcomes(self) -> None:
        self.stdout.write("\nOutcome measures by team:")
        for s in demo_outcomes.summary(scenario.teams()):
            self.stdout.write(
                f"  {s.team}: {_count(s.measures, 'measure')} recorded, {_count(s.open_alerts, 'risk alert')} open, "
                f"{_count(s.awaiting_review, 'parent questionnaire')} awaiting review, "
                f"{_count(s.links_waiting, 'questionnaire link')} waiting"
            )

    def _referrals(self) -> None:
        summaries = demo_referrals.summary(scenario.teams())
        headings = ["Received", "Awaiting info", "Accepted", "Signposted", "Declined", "Withdrawn", "Total"]
        width = max(len(s.team) for s in summaries)
        self.stdout.write("\nReferrals by team and current state:")
        self.stdout.write(f"  {'':{width}}  " + "  ".join(headings))
        for s in summaries:
            counts = [s.by_status[status] for status in demo_referrals.SUMMARY_ORDER] + [s.total]
            cells = [f"{count:>{len(heading)}}" for count, heading in zip(counts, headings, strict=True)]
            self.stdout.write(f"  {s.team:{width}}  " + "  ".join(cells))
        for s in summaries:
            self.stdout.write(
                f"  {s.team}: {s.families} families, {s.by_status[demo_referrals.Status.RECEIVED]} waiting for "
                f"triage ({s.over_target} beyond the target)"
            )
