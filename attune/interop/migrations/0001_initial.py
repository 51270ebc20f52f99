from django.db import migrations


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reports", "0002_report_snapshot"),
        ("care", "0011_mhsds_contact"),
    ]

    operations: list[migrations.operations.base.Operation] = []
