from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ReportSnapshot",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("key", models.CharField(max_length=64, unique=True)),
                ("start", models.DateField()),
                ("end", models.DateField()),
                ("built_at", models.DateTimeField()),
                ("checked_at", models.DateTimeField()),
                ("payload", models.BinaryField()),
                ("signature", models.CharField(max_length=64)),
            ],
        ),
    ]
