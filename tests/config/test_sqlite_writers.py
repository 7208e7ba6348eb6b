"""SQLite with more than one writer at a time (the demo's server and worker, gunicorn's workers on
the load test's world): a transaction that reads and then writes, as update_or_create does when
somebody signs in, waits its turn instead of failing with "database is locked". The tests use a
database file of their own beside the test database, under SQLite whatever the suite runs on."""

import threading

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

WRITERS = 6
ROUNDS = 15


@pytest.fixture
def database_file(tmp_path, django_db_blocker):
    """A file with a counter at 0; connections to it may be opened in the test."""
    name = str(tmp_path / "writers.sqlite3")
    with django_db_blocker.unblock():
        _open(name, settings.SQLITE_OPTIONS, "setup")
        with connections["setup"].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n integer)")
            cursor.execute("INSERT INTO counter VALUES (0)")
        connections["setup"].close()
        yield name


def _open(name: str, options: dict, alias: str) -> None:
    """A connection to the file under `alias`, in this thread."""
    connections[alias] = DatabaseWrapper(
        {
            **connections["default"].settings_dict,
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": options,
        },
        alias,
    )


def _count(name: str) -> int:
    _open(name, {}, "check")
    with connections["check"].cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        (n,) = cursor.fetchone()
    connections["check"].close()
    return n


def _count_up(name: str, alias: str, errors: list[Exception]) -> None:
    """ROUNDS transactions that each read the counter and then write it one up."""
    _open(name, settings.SQLITE_OPTIONS, alias)
    try:
        for _ in range(ROUNDS):
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                (n,) = cursor.fetchone()
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
    except Exception as error:  # what the test is about: any failure at all
        errors.append(error)
    finally:
        connections[alias].close()


def test_writers_at_once_each_wait_their_turn(database_file):
    errors: list[Exception] = []
    threads = [
        threading.Thread(target=_count_up, args=(database_file, f"writer{i}", errors))
        for i in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert _count(database_file) == WRITERS * ROUNDS


def test_without_the_options_a_reader_that_writes_fails(database_file):
    """What the options are for: under SQLite's defaults, two transactions that both read and
    then write are a deadlock that SQLite breaks by failing the second at once."""
    _open(database_file, {}, "first")
    _open(database_file, {}, "second")
    try:
        with transaction.atomic(using="first"), connections["first"].cursor() as first:
            first.execute("SELECT n FROM counter")
            with transaction.atomic(using="second"), connections["second"].cursor() as second:
                second.execute("SELECT n FROM counter")
                first.execute("UPDATE counter SET n = n + 1")
                with pytest.raises(OperationalError, match="database is locked"):
                    second.execute("UPDATE counter SET n = n + 1")
    finally:
        connections["first"].close()
        connections["second"].close()
    assert _count(database_file) == 1
