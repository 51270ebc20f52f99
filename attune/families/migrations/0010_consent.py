from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0009_changed_indexes"),
    ]

    operations: list[migrations.operations.base.Operation] = []
