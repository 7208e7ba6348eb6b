"""The load test's parts that run in this process: who signs in, which pages they open, the
server's settings and the figures read back. The whole run (gunicorn and locust) is
`make loadtest-ci`, which `.ci/run` runs."""

import io
import json

import pytest
from django.conf import settings

from devtools.loadtest.plan import INFO, Plan, PlannedUser, pick_users, plan_load, plan_make
from devtools.management.commands.loadtest import Command, server_environment
from devtools.world import PASSWORD
from permissions.models import Grant
from tests.devtools.test_generate_world import generate

pytestmark = pytest.mark.django_db


def test_the_people_are_customer_administrators_department_hr_and_staff():
    generate()

    picked = pick_users(customers=2, department_hr=1, staff=3)

    kinds = [kind for _user, _role, kind in picked]
    assert kinds == [
        "customer administrator",
        "customer administrator",
        "department HR",
        "KA/KAM",
        "KA/KAM",
        "customer service",
    ]
    administrators = [user for user, _role, kind in picked if kind == "customer administrator"]
    for user in administrators:  # of the whole customer, not of one department
        assert not Grant.objects.get(user=user).departments.exists()
    [hr] = [user for user, _role, kind in picked if kind == "department HR"]
    assert Grant.objects.get(user=hr).departments.exists()


def test_each_plan_holds_only_pages_that_answered_and_starts_at_info():
    generate()

    plan = plan_make(customers=1, department_hr=1, staff=1, password=PASSWORD)

    dumped = json.loads(plan.dump())
    assert dumped["password"] == PASSWORD
    assert len(dumped["users"]) == 3
    for user in dumped["users"]:
        assert user["pages"][0] == ["start page", "/"]
        pages = {page for page, _url in user["pages"]}
        assert {"orders list", "reports"} <= pages, user["username"]


def test_a_plan_written_is_read_back_the_same(tmp_path):
    plan = Plan(
        password=PASSWORD,
        users=[PlannedUser("world-kunde", "customer administrator", [INFO, ("orders", "/o/")])],
    )
    path = tmp_path / "plan.json"
    path.write_text(plan.dump(), encoding="utf-8")

    assert plan_load(path) == plan


def test_the_server_runs_production_settings_with_this_machines_keys():
    environment = server_environment(8799)

    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.loadtest"
    assert environment["DJANGO_DEBUG"] == "false"
    assert environment["NATIONAL_ID_KEYS"] == ",".join(settings.NATIONAL_ID_KEYS)
    assert environment["HEALTH_DATA_KEYS"] == ",".join(settings.HEALTH_DATA_KEYS)
    assert environment["PORTAL_BASE_URL"] == "http://127.0.0.1:8799"
    assert environment["PORTAL_PROVIDER_ACCOUNT_NUMBER"] == settings.PORTAL_PROVIDER_ACCOUNT_NUMBER
    assert environment["SECRET_KEY"] != server_environment(8799)["SECRET_KEY"]


def test_the_figures_are_those_after_the_warm_up_with_signing_in_apart(tmp_path):
    rows = [("orders list", ms, True, 20 + ms / 100) for ms in range(10, 110, 10)]  # 10 … 100 ms
    rows += [("start page", 20, True, 25), ("start page", 30, False, 26)]
    rows += [("start page", 4000, True, 3), ("orders list", 3000, False, 19.9)]  # warming up
    rows += [("sign in", 900, True, 0.5), ("sign in", 1100, True, 21)]
    (tmp_path / "times.csv").write_text(
        "".join(f"{name},{ms},{ok},{at}\n" for name, ms, ok, at in rows), encoding="utf-8"
    )
    command = Command(stdout=io.StringIO())

    errors = command.report(tmp_path, warm_up=20, seconds=6, busy_share=0.42)

    text = command.stdout.getvalue()
    lines = {line.split("  ")[0].strip(): line.split() for line in text.splitlines()}
    assert errors == 2  # the warm-up's too
    assert lines["orders list"][-5:] == ["10", "50", "100", "100", "100"]
    assert lines["all pages"][-5:] == ["12", "40", "100", "100", "100"]
    assert lines["warm-up's pages"][-5:] == ["2", "3000", "4000", "4000", "4000"]
    assert lines["sign in"][-5:] == ["2", "900", "1100", "1100", "1100"]
    assert "pages/s: 2.0" in text
    assert "gunicorn workers busy: 42%" in text


def test_a_failed_run_prints_what_failed_and_the_servers_errors(tmp_path):
    (tmp_path / "run_failures.csv").write_text(
        "Method,Name,Error,Occurrences,First Seen,Last Seen\n"
        "POST,sign in,HTTPError('500 Server Error'),1,2026-12-06T21:42:18Z,2026-12-06T21:42:18Z\n"
        "GET,orders list,CatchResponseError('signed out at /portal/order/'),11,x,y\n",
        encoding="utf-8",
    )
    (tmp_path / "gunicorn.log").write_text(
        "[INFO] Booting worker with pid: 7\n"
        "Internal Server Error: /login/\n"
        "Traceback (most recent call last):\n"
        '  File "accounts/sessions.py", line 48, in user_session_register\n'
        "sqlite3.OperationalError: database is locked\n"
        "django.db.utils.OperationalError: database is locked\n"
        "Internal Server Error: /login/\n",
        encoding="utf-8",
    )
    command = Command(stderr=io.StringIO())

    command.failures_print(tmp_path)

    assert command.stderr.getvalue().splitlines() == [
        "   1 × POST sign in: HTTPError('500 Server Error')",
        "  11 × GET orders list: CatchResponseError('signed out at /portal/order/')",
        "gunicorn: Internal Server Error: /login/",
        "gunicorn: sqlite3.OperationalError: database is locked",
        "gunicorn: django.db.utils.OperationalError: database is locked",
    ]
