"""Contacts in the period by attendance (ATTENDED OR DID NOT ATTEND, NHS Data Dictionary; domain
reference B.4), the did-not-attend rate and the number of families seen.
https://archive.datadictionary.nhs.uk/DD%20Release%20June%202026/data_elements/attended_or_did_not_attend_code.html

An appointment counts in the period it was booked to start in. Whether code 7 (arrived late and
could not be seen) counts as did-not-attend is a local policy (settings.ATTUNE_DNA_INCLUDES_LATE).
"""

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from attune.care.codes import Attendance
from attune.care.models import Appointment, InterpreterBooking
from attune.reports.indicators.common import Context
from attune.reports.tables import Column, Figure, Fixed, Kind, Note, Row, Section, Table

ATTENDED = [Attendance.ATTENDED.value, Attendance.LATE_SEEN.value]
OUTCOMES = [
    ("attended", "Attended", ATTENDED),
    ("dna", "Did not attend (no warning given)", [Attendance.DID_NOT_ATTEND.value]),
    ("late", "Arrived late and could not be seen", [Attendance.LATE_NOT_SEEN.value]),
    ("family_cancelled", "Cancelled by the family", [Attendance.CANCELLED_BY_FAMILY.value]),
    ("service_cancelled", "Cancelled or postponed by the service", [Attendance.CANCELLED_BY_SERVICE.value]),
    ("not_recorded", "Attendance not recorded", [""]),
]


def section(context: Context) -> tuple[Section, list[Note]]:
    # A contact "with an interpreter" had a professional interpreter booked, confirmed and not
    # cancelled (domain reference G.4); at most one booking is in force per appointment.
    interpreted = Exists(InterpreterBooking.objects.confirmed().filter(appointment=OuterRef("pk")))
    figures = (
        Appointment.objects.filter(
            Q(episode__team_id__in=context.team_ids, starts_at__gte=context.start_at, starts_at__lt=context.end_at)
            & context.families("episode__family")
        )
        .annotate(has_interpreter=interpreted)
        .aggregate(
            **{key: Count("id", filter=Q(attendance__in=codes)) for key, _label, codes in OUTCOMES},
            families=Count("episode__family_id", filter=Q(attendance__in=ATTENDED), distinct=True),
            past_not_recorded=Count("id", filter=Q(attendance="", starts_at__lt=context.as_at_end)),
            interpreted=Count("id", filter=Q(attendance__in=ATTENDED, has_interpreter=True)),
        )
    )
    context.counts["attended_contacts"] = figures["attended"]
    context.counts["interpreted_contacts"] = figures["interpreted"]
    context.counts["families_seen"] = figures["families"]
    contacts = Table(
        key="contacts",
        title="Contacts",
        columns=(Column("contacts", "Appointments"),),
        rows=tuple(Row(label, {"contacts": figures[key]}) for key, label, _codes in OUTCOMES),
        total=Row("Total", {"contacts": sum(figures[key] for key, _label, _codes in OUTCOMES)}),
        description=(
            "Appointments booked to start in the period, by attendance: attended is codes 5 and 6 "
            "(seen, on time or late), did not attend is code 3."
        ),
        chart="bar",
        chart_column="contacts",
    )
    includes_late = settings.ATTUNE_DNA_INCLUDES_LATE
    missed = figures["dna"] + (figures["late"] if includes_late else 0)
    policy = Note(
        "Arrived late and could not be seen ({code}) "
        + ("counts" if includes_late else "does not count")
        + " as did not attend, by this service's setting.",
        {"code": Fixed("code 7")},
    )
    rate = Table(
        key="dna_rate",
        title="Did-not-attend rate",
        columns=(
            Column("missed", "Did not attend", additive=False),
            Column("offered", "Attended or did not attend", additive=False),
            Column("rate", "Did-not-attend rate", Kind.PERCENT, numerator="missed", denominator="offered"),
        ),
        rows=(Row("Appointments in the period", {"missed": missed, "offered": figures["attended"] + missed}),),
        description="Appointments the family did not attend, out of those attended or not attended.",
        notes=(policy,),
    )
    seen = Table(
        key="families_seen",
        title="Families seen",
        columns=(
            Column("families", "Families seen", additive=False),
            Column("attended", "Attended contacts", additive=False),
        ),
        rows=(Row("In the period", {"families": figures["families"], "attended": figures["attended"]}),),
        description="Families with at least one attended contact in the period, and the attended contacts.",
    )
    with_interpreter = Table(
        key="interpreted_contacts",
        title="Contacts with an interpreter",
        columns=(
            Column("interpreted", "With an interpreter", additive=False),
            Column("attended", "Attended contacts", additive=False),
            Column("rate", "Share with an interpreter", Kind.PERCENT, numerator="interpreted", denominator="attended"),
        ),
        rows=(Row("In the period", {"interpreted": figures["interpreted"], "attended": figures["attended"]}),),
        description=("Attended contacts with a professional interpreter: the booking was confirmed and not cancelled."),
    )
    notes = []
    if figures["past_not_recorded"]:
        notes.append(
            Note(
                "No attendance is recorded for {count} in the period.",
                {"count": Figure(figures["past_not_recorded"], one="past appointment", many="past appointments")},
            )
        )
    return Section("contacts", "Contacts", (contacts, rate, seen, with_interpreter)), notes
