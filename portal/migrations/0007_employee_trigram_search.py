"""Trigram indexes for "Finn ansatte" on PostgreSQL.

The free-text search looks for a word anywhere in the name, e-mail or mobile number
(`UPPER(column::text) LIKE UPPER('%word%')`), which no B-tree index can answer: over half a
million employees that is a scan of the whole table on every search. A GIN index of trigrams on
exactly that expression answers it from the index. SQLite has no such index and keeps scanning,
which is fine at the sizes it is used for.
"""

from django.db import migrations

COLUMNS = ("first_name", "last_name", "email", "mobile")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS employee_{column}_trgm_idx ON portal_employee "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS employee_{column}_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("portal", "0006_invoice_kid_validation")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
