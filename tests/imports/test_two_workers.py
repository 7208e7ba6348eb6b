"""An import confirmed on another process than its preview: two real gunicorn workers, each
with its own local-memory cache and no Redis, against one database: a file-based SQLite one,
or, when the suite runs on PostgreSQL, a PostgreSQL database of its own.

The invoice import once kept the upload in import-export's CacheStorage: a confirm that reached
the other worker found no file and answered 500 (3 of 8). Here 20 rounds of log in → upload →
preview → confirm must all succeed, with requests served by both workers.
"""

import io
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import psycopg
import pytest
from django.utils import translation
from openpyxl import Workbook

pytest.importorskip("gunicorn")

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 20
READY_SECONDS = 60
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(r'name="token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WorkersDatabase:
    """The database the two workers share, and a way to read a saved invoice from it."""

    def __init__(self, tmp_path: Path):
        suite = os.environ.get("DATABASE_URL", "")
        self.postgres = suite.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            server, _slash, name = suite.rpartition("/")
            self.name = f"{name or 'kundeportal'}_workers_{uuid.uuid4().hex[:8]}"
            self.server = server
            self.url = f"{server}/{self.name}"
            self._admin(f'CREATE DATABASE "{self.name}"')
        else:
            self.path = tmp_path / "db.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def _admin(self, sql: str) -> None:
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    def outstanding(self, number: str):
        if self.postgres:
            with psycopg.connect(self.url) as connection:
                row = connection.execute(
                    "SELECT outstanding FROM portal_invoice WHERE number = %s", [number]
                ).fetchone()
        else:
            with sqlite3.connect(self.path) as connection:
                row = connection.execute(
                    "SELECT outstanding FROM portal_invoice WHERE number = ?", [number]
                ).fetchone()
        assert row is not None, f"no invoice {number}"
        return row[0]

    def drop(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def environment(database: WorkersDatabase) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "TASKS_BACKEND", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=database.url,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *args) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=300,
    )


@pytest.fixture
def two_workers(tmp_path):
    """http://127.0.0.1:<port> served by `gunicorn config.wsgi -w 2`, the demo world loaded;
    the access log names the worker (pid) of each request."""
    database = WorkersDatabase(tmp_path)
    env = environment(database)
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
    except BaseException:
        database.drop()
        raise
    port = free_port()
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(log),
            "--access-logformat",
            "%(p)s %(m)s %(U)s %(s)s",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail("gunicorn did not start")
            try:
                build_opener().open(f"{base}/login/", timeout=5).read()
                break
            except (URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail("gunicorn did not answer within a minute")
                time.sleep(0.3)
        yield base, database, log
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        database.drop()


class Browser:
    """Just enough of a browser: cookies, CSRF tokens, forms, redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))

    def get(self, path: str):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def post(self, path: str, body: bytes, content_type: str):
        request = Request(self.base + path, data=body, method="POST")
        request.add_header("Content-Type", content_type)
        with self.opener.open(request, timeout=60) as response:
            return response.geturl(), response.read().decode()

    def post_form(self, path: str, fields: dict):
        body = urlencode(fields).encode()
        return self.post(path, body, "application/x-www-form-urlencoded")

    def post_file(self, path: str, fields: dict, name: str, filename: str, content: bytes):
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.post(path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def csrf(self, path: str) -> str:
        _url, page = self.get(path)
        found = CSRF.search(page)
        assert found is not None, page
        return found.group(1)

    def login(self, username: str, password: str) -> None:
        token = self.csrf("/login/")
        url, _page = self.post_form(
            "/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/"},
        )
        assert "/login/" not in url, "the login was refused"


def payments(outstanding: Decimal) -> bytes:
    book = Workbook()
    book.active.append(["Fakturanummer", "Utestående"])
    book.active.append(["2017-118350", float(outstanding)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_twenty_invoice_imports_confirm_on_either_worker(two_workers):
    """Given two gunicorn workers with a local-memory cache each, when the KA/KAM logs in,
    uploads a payment file, sees its preview and confirms it, 20 times over, then every round
    is saved, with nothing answered by an error, and both workers served the rounds."""
    base, database, log = two_workers
    with translation.override("nb"):
        done = translation.gettext(
            "Import finished: %(new)d new, %(updated)d updated and %(unchanged)d unchanged "
            "invoices."
        ) % {"new": 0, "updated": 1, "unchanged": 0}
    failures = []

    for round_ in range(1, ROUNDS + 1):
        outstanding = Decimal(100 + round_)
        browser = Browser(base)
        try:
            browser.login("kam", "demo")
            token = browser.csrf("/portal/invoice/import/")
            _url, preview = browser.post_file(
                "/portal/invoice/import/",
                {"csrfmiddlewaretoken": token},
                "import_file",
                "innbetalinger.xlsx",
                payments(outstanding),
            )
            upload = TOKEN.search(preview)
            assert upload, "the preview offers no confirmation"
            url, page = browser.post_form(
                "/portal/invoice/import/confirm/",
                {"csrfmiddlewaretoken": CSRF.search(preview).group(1), "token": upload.group(1)},
            )
        except (HTTPError, AssertionError) as error:
            failures.append((round_, str(error)))
            continue
        if not url.endswith("/portal/invoice/") or done not in page:
            failures.append((round_, url))
            continue
        saved = database.outstanding("2017-118350")
        if Decimal(str(saved)) != outstanding:
            failures.append((round_, f"outstanding {saved}, not {outstanding}"))

    assert failures == []
    served = [line.split() for line in log.read_text().splitlines() if line.strip()]
    assert not [line for line in served if line[-1].startswith("5")]
    workers = {pid for pid, _method, path, _status in served if path.startswith("/portal/invoice/")}
    assert len(workers) == 2, "one worker served every request: the test proves nothing"
