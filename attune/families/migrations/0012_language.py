from typing import Any

from django.db import migrations, models


def carry_family_language_to_main_carer(apps: Any, schema_editor: Any) -> None:
    """The referral's answer was kept on the family only: give it to the carer it was about (the
    main contact, else the first), so nothing recorded is lost when pages show it per person."""
    Family = apps.get_model("families", "Family")
    Carer = apps.get_model("families", "Carer")
    answered = Family.objects.exclude(language="", interpreter_needed=False).values_list(
        "pk", "language", "interpreter_needed"
    )
    for family_id, language, interpreter_needed in answered.iterator():
        carer = Carer.objects.filter(family_id=family_id).order_by("-is_main_contact", "created_at").first()
        if carer is None or carer.spoken_language or carer.interpreter_needed:
            continue
        carer.spoken_language = language
        carer.interpreter_needed = interpreter_needed
        carer.save(update_fields=["spoken_language", "interpreter_needed"])


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0011_safeguarding_referrals"),
    ]

    operations = [
        migrations.AddField(
            model_name="carer",
            name="spoken_language",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="carer",
            name="dialect",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="carer",
            name="written_language",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="carer",
            name="interpreter_needed",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="carer",
            name="language_note",
            field=models.CharField(blank=True, help_text='For example, "prefers a female interpreter"', max_length=500),
        ),
        migrations.RunPython(carry_family_language_to_main_carer, migrations.RunPython.noop),
    ]
