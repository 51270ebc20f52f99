from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0004_changed_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="questionnairelink",
            name="asks_consent",
            field=models.BooleanField(default=False),
        ),
    ]
