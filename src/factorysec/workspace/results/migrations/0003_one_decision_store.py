"""One decision store: the results app's decisions move to the audit app's (whose changes the audit log keeps)."""

from typing import Any

from django.db import migrations


def move_decisions(apps: Any, schema_editor: Any) -> None:
    """Copy each decision the results app kept into the audit app's store, unless that one already holds the finding."""
    FindingDecision = apps.get_model("results", "FindingDecision")
    Decision = apps.get_model("audit", "Decision")
    held = set(Decision.objects.values_list("factory_id", "finding"))
    Decision.objects.bulk_create(
        [
            Decision(
                factory_id=old.factory_id,
                finding=old.finding,
                status=old.status,
                justification=old.justification,
                owner=old.owner[:150],
                date=old.date,
                review_by=old.review_by,
            )
            for old in FindingDecision.objects.all()
            if (old.factory_id, old.finding) not in held
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0002_finding_data"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_decisions, migrations.RunPython.noop),
        migrations.DeleteModel(name="FindingDecision"),
    ]
