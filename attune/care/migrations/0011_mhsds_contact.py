"""What the Mental Health Services Data Set needs of each contact (issue 20, ADR 0022): how it was
held, where, and in what role. Existing contacts take what their kind says (care.codes.
contact_defaults, copied here as it was, since a migration must not change with the code) and
the role the practitioner held in the team: trainee if they were a trainee there, else therapist."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef

# As care.codes had them when this migration was written.
KIND_DEFAULTS = {
    "home_visit": ("01", "A01"),
    "video": ("11", ""),
    "phone": ("02", ""),
}
SITE_KINDS = {
    "family_hub": "K01",
    "childrens_centre": "K01",
    "clinic": "B01",
    "other": "X01",
}
SITE_FALLBACK = {"family_hub": "K01", "clinic": "B01"}


def fill_from_kind(apps, schema_editor):  # type: ignore[no-untyped-def]
    Appointment = apps.get_model("care", "Appointment")
    Membership = apps.get_model("organisations", "Membership")
    blank = Appointment.objects.filter(consultation_mechanism="")
    for kind, (mechanism, location) in KIND_DEFAULTS.items():
        blank.filter(kind=kind).update(consultation_mechanism=mechanism, activity_location_type=location)
    for kind, fallback in SITE_FALLBACK.items():
        at_site = blank.filter(kind=kind)
        for site_kind, location in SITE_KINDS.items():
            at_site.filter(site__kind=site_kind).update(consultation_mechanism="01", activity_location_type=location)
        at_site.update(consultation_mechanism="01", activity_location_type=fallback)
    trainee = Membership.objects.filter(user=OuterRef("practitioner"), team=OuterRef("episode__team"), role="trainee")
    unnamed = Appointment.objects.filter(professional_role="")
    unnamed.filter(Exists(trainee)).update(professional_role="trainee")
    unnamed.update(professional_role="therapist")


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0010_interpreter_bookings"),
        ("organisations", "0003_site_opening_hours_team_unique_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="activity_location_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("A01", "The family's home"),
                    ("A02", "A carer's home"),
                    ("A04", "Another place of the family's, such as a temporary address"),
                    ("B01", "Primary care health centre"),
                    ("C01", "GP practice"),
                    ("E01", "Hospital outpatient clinic"),
                    ("H01", "Day centre"),
                    ("J01", "Resource centre"),
                    ("K01", "Family hub or children's centre"),
                    ("K02", "Child development centre"),
                    ("L04", "Nursery"),
                    ("L05", "Other childcare premises"),
                    ("N02", "Other public building or place"),
                    ("N03", "Voluntary or charitable agency premises"),
                    ("X01", "Somewhere else"),
                ],
                max_length=3,
            ),
        ),
        migrations.AddField(
            model_name="appointment",
            name="consultation_mechanism",
            field=models.CharField(
                blank=True,
                choices=[
                    ("01", "Face to face"),
                    ("02", "Telephone"),
                    ("04", "Talk type for a person unable to speak"),
                    ("05", "Email"),
                    ("09", "Text message"),
                    ("10", "Instant messaging"),
                    ("11", "Video consultation"),
                    ("12", "Message board"),
                    ("13", "Chat room"),
                    ("98", "Other"),
                ],
                max_length=2,
            ),
        ),
        migrations.AddField(
            model_name="appointment",
            name="professional_role",
            field=models.CharField(
                blank=True,
                choices=[
                    ("therapist", "Parent-infant therapist"),
                    ("trainee", "Trainee parent-infant therapist"),
                    ("psychologist", "Clinical psychologist"),
                    ("psychotherapist", "Child and adolescent psychotherapist"),
                    ("other", "Another professional"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(fill_from_kind, migrations.RunPython.noop),
    ]
