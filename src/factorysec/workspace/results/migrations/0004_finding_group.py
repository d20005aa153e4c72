from typing import Any

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = {"zone": "zone", "department": "holder", "category": "category"}


def count_stored_jobs(apps: Any, schema_editor: Any) -> None:
    """Count the groups of every analysis job stored before groups were kept, so their result pages keep working."""
    StoredFinding = apps.get_model("results", "StoredFinding")
    FindingAction = apps.get_model("results", "FindingAction")
    FindingGroup = apps.get_model("results", "FindingGroup")
    for job_id in StoredFinding.objects.values_list("job_id", flat=True).distinct():
        groups = []
        for dimension, column in COLUMNS.items():
            rows = StoredFinding.objects.filter(job_id=job_id).values(column).annotate(n=models.Count("id"))
            groups += [FindingGroup(job_id=job_id, dimension=dimension, key=r[column], count=r["n"]) for r in rows]
        rows = FindingAction.objects.filter(job_id=job_id).values("measure").annotate(n=models.Count("id"))
        groups += [FindingGroup(job_id=job_id, dimension="action", key=r["measure"], count=r["n"]) for r in rows]
        FindingGroup.objects.bulk_create(groups, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0003_one_decision_store"),
    ]

    operations = [
        migrations.CreateModel(
            name="FindingGroup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("dimension", models.CharField(help_text="zone, department, action or category.", max_length=16)),
                (
                    "key",
                    models.CharField(
                        blank=True, help_text="The zone, holder, measure or category id.", max_length=300
                    ),
                ),
                ("count", models.IntegerField()),
                (
                    "job",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="finding_groups",
                        to="factories.job",
                    ),
                ),
            ],
            options={
                "ordering": ["-count", "key"],
                "indexes": [
                    models.Index(fields=["job", "dimension", "-count", "key"], name="finding_group_page")
                ],
            },
        ),
        migrations.RunPython(count_stored_jobs, migrations.RunPython.noop),
    ]
