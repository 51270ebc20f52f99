from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0010_interpreter_bookings"),
    ]

    operations: list[migrations.operations.base.Operation] = []
