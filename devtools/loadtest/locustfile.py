"""What each simulated person does (run by locust, not by Django): sign in as one of the plan's
users, then open their pages one after another, 1–3 seconds apart, Info more often than the
rest. The plan (`LOADTEST_PLAN`, a JSON file) comes from `manage.py loadtest`; every request's
time, and when it started (seconds into the run), is written to `LOADTEST_TIMES` (CSV) when the
run ends, for the command's figures.

The people are locust's `FastHttpUser` (geventhttpclient), lighter than its `HttpUser`
(requests): the load generator shares the machine with the server.
Neither follows redirects: a page that sends to the login page means the person was signed
out; one that sends elsewhere (an export too big to make at once goes to its job's page) has
answered, and its time is that of the answer."""

import csv
import itertools
import json
import os
import random
import re
import time

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["LOADTEST_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
PEOPLE = itertools.cycle(PLAN["users"])
INFO_SHARE = 0.15  # of page views: Info, where everyone lands and comes back to
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SIGN_IN = "sign in"  # the login page and its form: once per person, not a page view
TIMES: list[tuple[str, float, bool, float]] = []  # (page, ms, answered right, s into the run)
STARTED = [time.time()]


@events.test_start.add_listener
def _started(environment, **kwargs):
    STARTED[0] = time.time()


@events.request.add_listener
def _timed(request_type, name, response_time, response_length, exception=None, **kwargs):
    at = kwargs.get("start_time", STARTED[0]) - STARTED[0]
    TIMES.append((name, response_time, exception is None, round(at, 3)))


@events.quitting.add_listener
def _save(environment, **kwargs):
    with open(os.environ["LOADTEST_TIMES"], "w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(TIMES)


class Person(FastHttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.person = next(PEOPLE)
        self.pages = self.person["pages"]
        page = self.client.get("/login/", name=SIGN_IN)
        token = CSRF.search(page.text)
        with self.client.post(
            "/login/",
            data={
                "username": self.person["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/login/"},
            name=SIGN_IN,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:  # the form again: not signed in
                response.failure(f"{self.person['username']} could not sign in")

    @task
    def open_a_page(self):
        # not for security: which page a simulated person opens next
        if random.random() < INFO_SHARE:  # noqa: S311
            name, url = self.pages[0]
        else:
            name, url = random.choice(self.pages)  # noqa: S311
        with self.client.get(
            url, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if "/login/" in (response.headers.get("Location") or ""):
                response.failure(f"signed out at {url}")
            elif response.status_code not in (200, 302):
                response.failure(f"{response.status_code} for {url}")
