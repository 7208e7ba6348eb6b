from django.db import migrations, models

# Trigram indexes for the order and invoice number searches on PostgreSQL. Both look for the
# digits typed anywhere in the number ("2904" finds 290467, "118371" finds 2018-118371), which
# Django asks as `number::text LIKE '%2904%'`: no B-tree index answers that, a GIN index of
# trigrams on exactly that expression does (and a prefix, "2017-", as well). SQLite has no such
# index and scans, which is fine at the sizes it is used for.
TRIGRAM_INDEXES = {
    "order_number_trgm_idx": "portal_order",
    "invoice_number_trgm_idx": "portal_invoice",
}


def trigram_indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((number::text) gin_trgm_ops)"
        )


def trigram_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(fields=["birth_date"], name="employee_birth_date_idx"),
        ),
        migrations.RunPython(trigram_indexes_create, trigram_indexes_drop, elidable=False),
    ]
