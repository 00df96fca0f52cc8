"""Insert many new rows at once: PostgreSQL's COPY, or one prepared INSERT run many times.

The rows have been checked before they come here, inside the import's
transaction. Their ids are drawn first (from the table's sequence on
PostgreSQL; after the highest id on SQLite, whose immediate transactions hold
the write lock from their start), so that the events written after them can
name them. Rows are plain tuples: building a model instance per row would
cost more than writing it.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

from cursus.core.events import COPY_NULL, copy_text

M = TypeVar("M", bound=models.Model)
BATCH_SIZE = 2000


def uses_copy() -> bool:
    """Tell whether inserts go through COPY (PostgreSQL)."""
    return connection.vendor == "postgresql"


def _next_ids(model: type[models.Model], count: int) -> list[int]:
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        if uses_copy():
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        table = connection.ops.quote_name(meta.db_table)
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(str(pk.column))}), 0) FROM {table}"  # noqa: S608
        )
        highest = int(cursor.fetchone()[0])
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table])
        found = cursor.fetchone()
        if found is not None:
            highest = max(highest, int(found[0]))
    return list(range(highest + 1, highest + 1 + count))


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    if not uses_copy() and isinstance(field, models.DateTimeField):
        # Imported rows share few instants (noon of a session's day): convert each once.
        return cache(connection.ops.adapt_datetimefield_value)
    return None


def _boolean(value: bool) -> str:
    return "t" if value else "f"


def _null(_value: None) -> str:
    return COPY_NULL


# How COPY's text format writes a value, by its exact type.
_COPY_FORMATS: dict[type, Callable[[Any], str]] = {
    type(None): _null,
    int: str,
    Decimal: str,
    str: copy_text,
    bool: _boolean,
    float: repr,
    dt.date: dt.date.isoformat,
    dt.datetime: dt.datetime.isoformat,
}


def _copy_other(value: Any) -> str:
    if isinstance(value, Enum):
        return _copy_field(value.value)
    raise TypeError(f"COPY cannot write a {type(value).__name__}: {value!r}")


def _copy_field(value: Any) -> str:
    return _COPY_FORMATS.get(type(value), _copy_other)(value)


def _copy_row(row: tuple[Any, ...]) -> str:
    formats = _COPY_FORMATS
    return "\t".join([formats.get(type(value), _copy_other)(value) for value in row])


def insert_rows(
    model: type[M], attnames: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> list[int]:
    """Insert rows given as tuples of these attributes; return their new ids, in order.

    Timestamps (``created_at``, ``updated_at``) left out are set to now.
    """
    if not rows:
        return []
    meta = model._meta
    by_name = {field.attname: field for field in meta.concrete_fields}
    fields = [by_name[name] for name in attnames]
    now = timezone.now()
    stamps = [
        field
        for field in meta.concrete_fields
        if field.attname not in attnames
        and (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    ]
    pk = meta.pk
    assert pk is not None
    ids = _next_ids(model, len(rows))
    columns = [pk, *fields, *stamps]
    converters = [_converter(field) for field in columns]
    stamp_values = tuple(now for _ in stamps)
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(field.column)) for field in columns)
    table = quote(meta.db_table)

    def prepared(pk_value: int, row: tuple[Any, ...]) -> list[Any]:
        values = [pk_value, *row, *stamp_values]
        for index, convert in enumerate(converters):
            if convert is not None and values[index] is not None:
                values[index] = convert(values[index])
        return values

    # The driver's own cursor, its errors turned into Django's (IntegrityError...).
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        if uses_copy():
            # COPY's text format, written here: a line per row, sent a batch at a time.
            end = "".join(f"\t{_copy_field(value)}" for value in stamp_values) + "\n"
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for start in range(0, len(rows), BATCH_SIZE):
                    copy.write(
                        "".join(
                            f"{pk_value}\t{_copy_row(row)}{end}"
                            for pk_value, row in zip(
                                ids[start : start + BATCH_SIZE],
                                rows[start : start + BATCH_SIZE],
                                strict=True,
                            )
                        )
                    )
        else:
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (names only)
            for start in range(0, len(rows), BATCH_SIZE):
                raw.executemany(
                    sql,
                    [
                        prepared(pk_value, row)
                        for pk_value, row in zip(
                            ids[start : start + BATCH_SIZE],
                            rows[start : start + BATCH_SIZE],
                            strict=True,
                        )
                    ],
                )
    return ids


def _plain(value: Any) -> Any:
    # Choices are enums: write their value, whatever the driver makes of an enum.
    return value.value if isinstance(value, Enum) else value


def insert(model: type[M], objects: Sequence[M]) -> None:
    """Insert new model instances, setting their ids."""
    if not objects:
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    rows = [tuple(_plain(field.pre_save(obj, True)) for field in fields) for obj in objects]
    ids = insert_rows(model, [field.attname for field in fields], rows)
    for obj, pk_value in zip(objects, ids, strict=True):
        obj.pk = pk_value
        obj._state.adding = False
        obj._state.db = connection.alias


def update(model: type[M], objects: Sequence[M], fields: Sequence[str]) -> None:
    """Write these fields of existing objects, in batches."""
    if objects and fields:
        model._default_manager.bulk_update(objects, list(fields), batch_size=BATCH_SIZE)
