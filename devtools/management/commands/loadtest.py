"""Many people at once on a production-like server: `manage.py loadtest` (see devtools.loadtest).

Over the current database (a generated world: `generate_world`), it plans who signs in and
which pages each opens, collects the static files, starts gunicorn under
`config.settings.loadtest`, lets locust walk `--people` simulated people through their pages
for `--warm-up` and then `--run-time` seconds, and prints pages per second, the 50th, 95th and
99th percentile per page and over all pages, the errors, how busy gunicorn's workers were (their
CPU time over the run's) and the CPU locust itself took. Exits non-zero on any error.

The figures are those of the pages asked for after the warm-up: by then every person has signed
in (PBKDF2 of a million rounds each, as Django hashes passwords), and the server's processes
have their connections, caches and compiled templates. The warm-up's own pages are printed in
one line of their own, and signing in in another, over the whole run.
"""

import csv
import os
import resource
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools.benchmark import percentile
from devtools.loadtest.plan import plan_load, plan_make
from devtools.world import PASSWORD

LOCUSTFILE = Path(__file__).resolve().parents[2] / "loadtest" / "locustfile.py"
SIGN_IN = "sign in"  # as the locustfile names signing in
READY_SECONDS = 60


def database_url() -> str:
    """The database this command uses, as the server's DATABASE_URL."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def server_environment(port: int) -> dict[str, str]:
    """Production's settings with this machine's data: the keys the world was encrypted with,
    the provider's facts, and a one-off secret key."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.loadtest",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        "NATIONAL_ID_KEYS": ",".join(settings.NATIONAL_ID_KEYS),
        "NATIONAL_ID_HASH_KEY": settings.NATIONAL_ID_HASH_KEY,
        "HEALTH_DATA_KEYS": ",".join(settings.HEALTH_DATA_KEYS),
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),  # as a deployment keeps them
        **{
            name: str(getattr(settings, name))
            for name in dir(settings)
            if name.startswith("PORTAL_PROVIDER_")
        },
    }


class Command(BaseCommand):
    help = __doc__.split("\n\n")[1].replace("\n", " ")

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=50, help="simulated people (50)")
        parser.add_argument("--spawn-rate", type=float, default=5, help="people started per s")
        parser.add_argument("--run-time", type=int, default=60, help="seconds measured (60)")
        parser.add_argument(
            "--warm-up",
            type=int,
            default=20,
            help="seconds of load before those measured, while people sign in (20)",
        )
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3)")
        parser.add_argument("--port", type=int, default=8799)
        parser.add_argument(
            "--customers", type=int, default=10, help="largest customers' administrators (10)"
        )
        parser.add_argument("--department-hr", type=int, default=3, help="HR of one department")
        parser.add_argument("--staff", type=int, default=5, help="KA/KAM and customer service")
        parser.add_argument(
            "--plan",
            help="a plan.json of an earlier run over the same world, instead of planning again "
            "(planning opens every page as every user: minutes at --scale 1)",
        )
        parser.add_argument(
            "--out", default=str(Path(settings.VAR_DIR) / "loadtest"), help="plan and figures"
        )

    def handle(self, *args, **options):
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        port = options["port"]
        if options["plan"]:
            plan = plan_load(Path(options["plan"]))
        else:
            plan = plan_make(
                customers=options["customers"],
                department_hr=options["department_hr"],
                staff=options["staff"],
                password=PASSWORD,
                progress=lambda text: self.stderr.write(text),
            )
        if not plan.users:
            raise CommandError("Nobody to sign in as: generate a world first (generate_world).")
        plan_file = out / "plan.json"
        plan_file.write_text(plan.dump(), encoding="utf-8")
        kinds = sorted({user.kind for user in plan.users})
        self.stdout.write(
            f"loadtest: {options['people']} people as {len(plan.users)} users "
            f"({', '.join(kinds)}), "
            f"{sum(len(u.pages) for u in plan.users)} pages, {options['warm_up']} s warm-up, "
            f"{options['run_time']} s measured, "
            f"{options['workers']} gunicorn workers, {connection.vendor}"
        )
        environment = server_environment(port)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            env=environment,
            check=True,
            cwd=settings.BASE_DIR,
        )
        server = subprocess.Popen(  # noqa: S603 (this virtualenv's gunicorn, fixed arguments)
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi",
                "--workers",
                str(options["workers"]),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
            ],
            env=environment,
            cwd=settings.BASE_DIR,
            stdout=(out / "gunicorn.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        try:
            self.wait_until_ready(port, server)
            workers = psutil.Process(server.pid).children()
            busy_before = sum(self.cpu_seconds(worker) for worker in workers)
            locust_before = self.children_cpu_seconds()
            machine_before = psutil.cpu_times()
            started = time.monotonic()
            locust = subprocess.run(  # noqa: S603 (this virtualenv's locust, fixed arguments)
                [
                    str(Path(sys.executable).with_name("locust")),
                    "-f",
                    str(LOCUSTFILE),
                    "--headless",
                    "--users",
                    str(options["people"]),
                    "--spawn-rate",
                    str(options["spawn_rate"]),
                    "--run-time",
                    f"{options['warm_up'] + options['run_time']}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(out / "run"),
                    "--only-summary",
                    "--stop-timeout",
                    "5",
                ],
                env={
                    **os.environ,
                    "LOADTEST_PLAN": str(plan_file),
                    "LOADTEST_TIMES": str(out / "times.csv"),
                },
                capture_output=True,
                text=True,
            )
            wall = time.monotonic() - started
            busy = sum(self.cpu_seconds(worker) for worker in workers) - busy_before
            locust_cpu = self.children_cpu_seconds() - locust_before
            machine = self.busy_seconds(psutil.cpu_times()) - self.busy_seconds(machine_before)
            (out / "locust.log").write_text(locust.stdout + locust.stderr, encoding="utf-8")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if not (out / "times.csv").exists():
            raise CommandError(f"locust gave no figures; see {out / 'locust.log'}")
        errors = self.report(
            out,
            warm_up=options["warm_up"],
            seconds=options["run_time"],
            busy_share=busy / (wall * len(workers)) if workers else 0,
        )
        self.stdout.write(
            f"the machine's {psutil.cpu_count()} cores were {machine / wall:.2f} cores busy: "
            f"gunicorn {busy / wall:.2f}, locust (the people) {locust_cpu / wall:.2f}, "
            f"the rest (the database) {(machine - busy - locust_cpu) / wall:.2f}"
        )
        if errors:
            self.failures_print(out)
            raise CommandError(f"{errors} requests failed; see {out / 'run_failures.csv'}")

    def failures_print(self, out: Path) -> None:
        """What failed, and the server's errors, where a CI log shows them (--out is gone
        with the run)."""
        failures = out / "run_failures.csv"
        if failures.exists():
            with failures.open(encoding="utf-8") as file:
                for row in csv.DictReader(file):
                    self.stderr.write(
                        f"{row['Occurrences']:>4} × {row['Method']} {row['Name']}: {row['Error']}"
                    )
        server_errors = [
            line
            for line in (out / "gunicorn.log").read_text(encoding="utf-8").splitlines()
            if line.startswith(("Internal Server Error", "django.", "sqlite3.", "psycopg"))
        ]
        for line in dict.fromkeys(server_errors):  # each once, in order
            self.stderr.write(f"gunicorn: {line}")

    def wait_until_ready(self, port: int, server) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("gunicorn stopped; see its log under --out (gunicorn.log)")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise CommandError(f"gunicorn did not answer within {READY_SECONDS} s")

    @staticmethod
    def busy_seconds(times) -> float:
        """The machine's CPU time spent running processes (Linux also counts a virtual
        machine's guest time in `user`, and stolen time is nobody's here)."""
        return sum(getattr(times, name, 0) for name in ("user", "nice", "system", "irq", "softirq"))

    @staticmethod
    def children_cpu_seconds() -> float:
        """CPU time of this process's children that have ended (locust, once it returns)."""
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    @staticmethod
    def cpu_seconds(process) -> float:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            return 0.0
        return times.user + times.system

    def report(self, out: Path, *, warm_up: float, seconds: float, busy_share: float) -> int:
        """Print the figures per page and over all pages asked for after the warm-up, the
        warm-up's pages in a line of their own, and signing in (once per person, slow by
        design) over the whole run; the number of failed requests, warm-up included."""
        times = out / "times.csv"
        if not times.exists():
            return 0
        by_page: dict[str, list[float]] = {}
        warming: list[float] = []
        signing_in: list[float] = []
        errors = 0
        with times.open(encoding="utf-8") as file:
            for name, milliseconds, ok, at in csv.reader(file):
                errors += ok != "True"
                if name == SIGN_IN:
                    signing_in.append(float(milliseconds))
                elif float(at) < warm_up:
                    warming.append(float(milliseconds))
                else:
                    by_page.setdefault(name, []).append(float(milliseconds))
        every_page = [ms for values in by_page.values() for ms in values]
        self.stdout.write(
            f"{'page':<32} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
        )
        rows = [
            *sorted(by_page.items()),
            ("-", []),
            ("all pages", every_page),
            ("warm-up's pages", warming),
            (SIGN_IN, signing_in),
        ]
        for name, values in rows:
            if name == "-":
                self.stdout.write("-" * 74)
                continue
            if not values:
                continue
            self.stdout.write(
                f"{name[:32]:<32} {len(values):>8} {percentile(values, 0.5):>7.0f} "
                f"{percentile(values, 0.95):>7.0f} {percentile(values, 0.99):>7.0f} "
                f"{max(values):>7.0f}"
            )
        self.stdout.write(
            f"pages/s: {len(every_page) / seconds:.1f}   errors: {errors}   "
            f"gunicorn workers busy: {busy_share:.0%}   "
            f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        return errors
