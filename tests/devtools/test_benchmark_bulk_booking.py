"""`manage.py benchmark_bulk_booking`: it books, queues the mails without sending them, prints
the request's time, and leaves the database as it was."""

import io
import re

import pytest
from django.core.management import call_command

from background.models import OutgoingMail
from portal.models import Booking, Employee


@pytest.mark.django_db
def test_the_bulk_booking_benchmark_queues_the_mails_and_leaves_nothing(demo):
    employees_before = Employee.objects.count()
    out = io.StringIO()

    call_command("benchmark_bulk_booking", employees=40, repeat=2, stdout=out)

    text = out.getvalue()
    rows = re.findall(r"^\s+(\d)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$", text, re.MULTILINE)
    assert [row[0] for row in rows] == ["1", "2"]
    # booked, mails queued (one to each employee, one summary to the booker), mails sent
    assert all(row[3:] == ("40", "41", "0") for row in rows), text
    assert re.search(r"median request: \d+ ms", text)
    assert Employee.objects.count() == employees_before
    assert not Booking.objects.exists()
    assert not OutgoingMail.objects.exists()
