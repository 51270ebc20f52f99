from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0004_changed_indexes"),
    ]

    operations: list[migrations.operations.base.Operation] = []
