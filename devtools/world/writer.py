"""Rows into the database in bulk: COPY on PostgreSQL, `bulk_create` elsewhere."""

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model

CHUNK = 10_000  # rows per write: memory stays flat however large the world


class Writer:
    """Rows in as tuples in the order of `columns` (attribute names): COPY on PostgreSQL,
    `bulk_create` otherwise. Primary keys come with the rows; `sequences_reset` puts the
    database's own counters after them at the end."""

    def __init__(self, *, use_copy: bool):
        self.use_copy = use_copy
        self.models: list[type[Model]] = []

    def first_id(self, model) -> int:
        """The first primary key nobody has had: the sequence's next value on PostgreSQL
        (so ids of deleted rows are not handed out again), above the highest elsewhere."""
        table, pk = model._meta.db_table, model._meta.pk.column
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, pk])
                return cursor.fetchone()[0]
            cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            if connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                highest = max(highest, row[0] if row else 0)
        return highest + 1

    def write(self, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        if model not in self.models:
            self.models.append(model)
        if not self.use_copy:
            model.objects.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=2000
            )
            return
        column_of = {f.attname: f.column for f in model._meta.concrete_fields}
        quote = connection.ops.quote_name
        sql = "COPY {} ({}) FROM STDIN".format(
            quote(model._meta.db_table), ", ".join(quote(column_of[c]) for c in columns)
        )
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)

    def sequences_reset(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
