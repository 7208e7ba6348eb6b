"""Time the portal's pages per user: `manage.py benchmark` (see devtools.benchmark)."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from devtools import benchmark


def _roles(value: str) -> list[str]:
    roles = [role.strip() for role in value.split(",") if role.strip()]
    if not roles or any(role not in benchmark.ROLES for role in roles):
        raise argparse.ArgumentTypeError(
            f"{value!r}: give some of {','.join(benchmark.ROLES)}, separated by commas"
        )
    return [role for role in benchmark.ROLES if role in roles]


class Command(BaseCommand):
    help = (
        "Request every list (each filter, search, sort, a deep page), a heavy page per model, "
        "the new-order, new-employee and booking forms, the start page and the reports as a "
        "customer user, a department user, a KA/KAM and a "
        "superuser, and print median and 95th-percentile time, queries and rows per page. "
        "Exits non-zero when a page does not answer 200."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repeat", type=int, default=5, help="timed requests per page (default 5)"
        )
        parser.add_argument(
            "--quick", action="store_true", help="one timed request, no warm-up (for CI)"
        )
        parser.add_argument("--pages", default="", help="only pages whose name contains this")
        parser.add_argument(
            "--users",
            type=_roles,
            default=list(benchmark.ROLES),
            help="which of customer,department,staff,superuser (default: all four)",
        )
        for role in benchmark.ROLES:
            username = benchmark.DEFAULT_USERNAMES[role]
            parser.add_argument(
                benchmark.ROLE_OPTIONS[role],
                dest=f"{role}_username",
                default=username,
                metavar="USERNAME",
                help=f"the {benchmark.ROLE_NAMES[role]} (default {username})",
            )
        parser.add_argument(
            "--json",
            nargs="?",
            const="-",
            metavar="PATH",
            help="the results as JSON, to stdout (instead of the table) or to PATH",
        )

    def handle(self, *args, repeat, quick, pages, users, json, **options):
        usernames = {role: options[f"{role}_username"] for role in users}
        try:
            resolved = benchmark.users_resolve(usernames)
        except benchmark.BenchmarkError as error:
            raise CommandError(str(error)) from error
        progress = (lambda text: self.stderr.write(text)) if options["verbosity"] else None
        report = benchmark.benchmark_run(
            users=resolved,
            repeat=1 if quick else repeat,
            warm_up=not quick,
            pages=pages,
            progress=progress,
        )
        if json == "-":
            self.stdout.write(benchmark.report_json(report))
        else:
            self.stdout.write(benchmark.report_table(report), ending="")
            if json:
                with open(json, "w", encoding="utf-8") as file:
                    file.write(benchmark.report_json(report))
        if not report.results:
            raise CommandError(f"No page matches --pages {pages!r}.")
        if errors := report.errors:
            named = "; ".join(
                f"{r.page}, {r.variant}, {r.user} ({r.status}{': ' + r.error if r.error else ''})"
                for r in errors[:3]
            )
            more = f"; and {len(errors) - 3} more" if len(errors) > 3 else ""
            raise CommandError(
                f"{len(errors)} page(s) did not answer as they should: {named}{more}."
            )
