from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("interop", "0002_imports"),
    ]

    operations: list[migrations.operations.base.Operation] = []
