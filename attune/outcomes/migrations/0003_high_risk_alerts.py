"""Alerts raised before risk rules declared ``high_risk`` are marked from the rule whose message
they carry (the message is the rule's, copied when the alert was raised). Closed alerts keep
their history as it was: no review is asked of them after the fact."""

from django.db import migrations


def mark(apps, schema_editor):
    from attune.outcomes import instruments

    FamilyAlert = apps.get_model("families", "FamilyAlert")
    messages = {
        rule.message for instrument in instruments.all_instruments() for rule in instrument.risk_rules if rule.high_risk
    }
    FamilyAlert.objects.filter(about_type="outcomes.administration", message__in=messages).update(high_risk=True)


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0006_alert_action_and_review"),
        ("outcomes", "0002_risk_task_facts"),
    ]
    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
