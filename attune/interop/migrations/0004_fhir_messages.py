from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("interop", "0003_api_clients"),
    ]

    operations: list[migrations.operations.base.Operation] = []
