from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0011_safeguarding_referrals"),
    ]

    operations: list[migrations.operations.base.Operation] = []
