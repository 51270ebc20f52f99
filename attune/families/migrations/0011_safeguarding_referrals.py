from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0010_consent"),
    ]

    operations: list[migrations.operations.base.Operation] = []
