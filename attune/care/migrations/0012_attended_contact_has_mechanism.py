from django.db import migrations, models


class Migration(migrations.Migration):
    """Every attended contact already has its mechanism (0011 filled them from their kind), so
    the database can now hold the rule."""

    dependencies = [
        ("care", "0011_mhsds_contact"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="appointment",
            constraint=models.CheckConstraint(
                condition=models.Q(("attendance__in", ("5", "6")), _negated=True)
                | models.Q(("consultation_mechanism", ""), _negated=True),
                name="attended_contact_has_mechanism",
            ),
        ),
    ]
