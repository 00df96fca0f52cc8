import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credentials", "0002_status_entries"),
    ]

    operations = [
        migrations.CreateModel(
            name="DiplomaDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("parchment", "Parchment"),
                            ("supplement", "Diploma supplement"),
                            ("credential", "Verifiable credential"),
                        ],
                        max_length=12,
                        verbose_name="kind",
                    ),
                ),
                ("content", models.BinaryField(verbose_name="content")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="issued at")),
                (
                    "award",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="credentials.awardeddiploma",
                        verbose_name="awarded diploma",
                    ),
                ),
            ],
            options={
                "verbose_name": "diploma document",
                "verbose_name_plural": "diploma documents",
                "ordering": ["award", "kind"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("award", "kind"),
                        name="diploma_document_once_per_kind",
                        violation_error_message="This document of the diploma is already issued.",
                    )
                ],
            },
        ),
    ]
