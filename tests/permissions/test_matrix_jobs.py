# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""A job's page, its progress and its file: its owner's alone, over the fixed cast.

Testbedriften's administrator owns one job and the KA/KAM another; everyone else, the
superuser included, gets the same 404 as for a job that does not exist. The expected answers
are written out here.
"""

import datetime

import pytest
from django.utils import timezone

from background.models import Job, JobKind, JobStatus

from .helpers import CAST, LOGIN, OK, assert_matrix

MISSING = 404


def done_job(owner, title) -> Job:
    now = timezone.now()
    return Job.objects.create(
        owner=owner,
        kind=JobKind.EXPORT,
        title=title,
        status=JobStatus.DONE,
        rows_done=6_000,
        rows_total=6_000,
        file=b"the file",
        filename="ansatte.csv",
        content_type="text/csv",
        finished_at=now,
        expires_at=now + datetime.timedelta(days=7),
    )


@pytest.fixture
def jobs(cast):
    return {
        "testweb": done_job(cast.testweb, "Export of employees"),
        "kam": done_job(cast.kam, "Export of orders"),
    }


# fmt: off
#  columns:                             superuser staff    cust.adm orderer  hr       finance  bergen   other    no_grant inactive anonymous
MATRIX = [
    ("/jobber/{testweb.pk}/",           (MISSING, MISSING, OK,      MISSING, MISSING, MISSING, MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/jobber/{testweb.pk}/status/",    (MISSING, MISSING, OK,      MISSING, MISSING, MISSING, MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/jobber/{testweb.pk}/fil/",       (MISSING, MISSING, OK,      MISSING, MISSING, MISSING, MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/jobber/{kam.pk}/",               (MISSING, OK,      MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/jobber/{kam.pk}/status/",        (MISSING, OK,      MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/jobber/{kam.pk}/fil/",           (MISSING, OK,      MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
    ("/jobber/999999/",                 (MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, LOGIN,   LOGIN,   LOGIN)),
]
# fmt: on


@pytest.mark.parametrize("member", CAST)
def test_a_job_is_its_owners_alone(member, cast, world, jobs, client):
    """Given the cast and two jobs, when `member` opens each job's page, progress and file,
    then only the owner gets them; to anyone else they do not exist."""
    assert_matrix(client, cast, member, MATRIX, world=world, fill=jobs)


def test_a_job_of_another_customer_is_the_same_404_as_none(cast, jobs, client):
    client.force_login(cast.annen)
    theirs = client.get(f"/jobber/{jobs['testweb'].pk}/")
    missing = client.get("/jobber/999999/")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
