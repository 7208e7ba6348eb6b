# ruff: noqa: E501 -- the matrix is a wide table on purpose: one row per URL, one column per user.
"""The admin's "view on site" shortcut, `/r/<content type>/<id>/`, over the fixed cast.

It redirects to a row's own page only for whoever may see that row; for anyone else another
customer's row, a row of a department they do not hold, and an id nobody has all answer the
same 404, so the shortcut cannot tell whether a row exists (issue 19.6).
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType

from portal.models import Appointment, Employee, Invoice, Order

from .helpers import CAST, LOGIN, assert_matrix, outcome

GO = "to its page"  # 302 to the row's own change page
NO = 404

# fmt: off
#  columns:                                    superuser staff  cust.adm orderer hr    finance bergen other  no_grant inactive anonymous
MATRIX = [
    ("/r/{order}/{w.tb_order.pk}/",            (GO,      GO,    GO,      GO,     GO,   GO,     NO,    NO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/{order}/{w.bergen_order.pk}/",        (GO,      GO,    GO,      GO,     GO,   GO,     GO,    NO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/{order}/{w.ek_order.pk}/",            (GO,      GO,    NO,      NO,     NO,   NO,     NO,    GO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/{order}/999999/",                     (NO,      NO,    NO,      NO,     NO,   NO,     NO,    NO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/{order}/ikke-et-tall/",               (NO,      NO,    NO,      NO,     NO,   NO,     NO,    NO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/{employee}/{w.donald.pk}/",           (GO,      GO,    GO,      NO,     GO,   NO,     NO,    NO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/{employee}/{w.anton.pk}/",            (GO,      GO,    GO,      NO,     GO,   NO,     GO,    NO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/{employee}/{w.ola.pk}/",              (GO,      GO,    NO,      NO,     NO,   NO,     NO,    GO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/{invoice}/{w.tb_invoice.pk}/",        (GO,      GO,    GO,      NO,     NO,   GO,     NO,    NO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/{invoice}/{w.bergen_invoice.pk}/",    (GO,      GO,    GO,      NO,     NO,   GO,     GO,    NO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/{invoice}/{w.ek_invoice.pk}/",        (GO,      GO,    NO,      NO,     NO,   NO,     NO,    GO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/{appointment}/{w.tb_appointment.pk}/", (GO,     GO,    GO,      GO,     GO,   GO,     NO,    NO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/{appointment}/{w.ek_appointment.pk}/", (GO,     GO,    NO,      NO,     NO,   NO,     NO,    GO,    LOGIN,   LOGIN,   LOGIN)),
    # A model the admin does not show: nobody is sent anywhere.
    ("/r/{contenttype}/{order}/",              (NO,      NO,    NO,      NO,     NO,   NO,     NO,    NO,    LOGIN,   LOGIN,   LOGIN)),
    ("/r/999999/1/",                           (NO,      NO,    NO,      NO,     NO,   NO,     NO,    NO,    LOGIN,   LOGIN,   LOGIN)),
]
# fmt: on


def answer(response):
    """GO when the shortcut redirects to the change page of the very row it was asked for."""
    got = outcome(response)
    if isinstance(got, str) and got.startswith("302 → "):
        location = re.sub(r"^https?://[^/]+", "", got.removeprefix("302 → "))
        object_id = response.wsgi_request.path.rstrip("/").rsplit("/", 1)[-1]
        if re.fullmatch(rf"/portal/\w+/{re.escape(object_id)}/change/", location):
            return GO
    return got


@pytest.fixture
def content_types(world):
    ids = {
        name: ContentType.objects.get_for_model(model).pk
        for name, model in (
            ("order", Order),
            ("employee", Employee),
            ("invoice", Invoice),
            ("appointment", Appointment),
            ("contenttype", ContentType),
        )
    }
    return {"w": world, **ids}


@pytest.mark.parametrize("member", CAST)
def test_view_on_site_matrix(member, cast, world, client, content_types):
    assert_matrix(client, cast, member, MATRIX, world=world, fill=content_types, answer=answer)


def test_another_customers_row_reads_exactly_like_a_missing_one(cast, world, client, content_types):
    # given testweb, and an order of Eksempel Industri AS's
    client.force_login(cast["customer_admin"])
    order = content_types["order"]

    # when they ask the shortcut for it, and for an id nobody has
    theirs = client.get(f"/r/{order}/{world.ek_order.pk}/")
    nobodys = client.get(f"/r/{order}/999999/")

    # then both answers are the same page
    assert theirs.status_code == nobodys.status_code == 404
    assert theirs.content == nobodys.content
