"""Every export, report and download URL with a hostile address: an unknown parameter, a
lookup the list does not offer, an id or date that is none, a NUL. None answers 500 (nor sends
the error mail to ADMINS): as the list does, the user is sent back to the list (`?e=1`) and
told that nothing was exported, or the page shows the form's errors."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail

from portal.models import Invoice

pytestmark = pytest.mark.django_db

GARBAGE = [
    "foo=bar",
    "department__id__in=x",
    "o=99",
    "q=%00",
    "text=%00",
    "department=abc",
    "department=99999999999999999999999",
    "customer=abc",
    "order_date__gte=garbage",
    "invoice_date__lt=2024-13-45",
    "from_date=31.02.2024",
    "p=abc",
    "_changelist_filters=x",
]
LISTS = ["/portal/employee/", "/portal/order/", "/portal/invoice/"]
USERS = ["testweb", "kam"]


@pytest.fixture
def admins(settings):
    settings.ADMINS = [("Drift", "drift@example.no")]


def assert_no_server_error(response):
    assert response.status_code < 500, response.status_code
    assert not [m for m in mail.outbox if "drift@example.no" in m.to]


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("changelist", LISTS)
def test_an_export_with_a_bad_address_goes_back_to_the_list(login, demo, admins, user, changelist):
    client = login(user)
    answers = {}
    for query in GARBAGE:
        for method in ("get", "post"):
            url = f"{changelist}export/?{query}"
            response = getattr(client, method)(url, {"format": "0"} if method == "post" else None)
            answers[(method, query)] = response.status_code
            assert_no_server_error(response)
            if response.status_code == 302:
                assert response["Location"] == f"{changelist}?e=1"
                texts = [str(m) for m in get_messages(response.wsgi_request)]
                assert "Ingenting ble eksportert" in texts[-1]
            else:  # a parameter the list ignores: the export (or its form) as without it
                assert response.status_code == 200
        assert client.get(f"{changelist}?{query}").status_code in (200, 302)  # as the list
    assert answers[("post", "foo=bar")] == 302


def test_a_bad_filter_never_exports_rows_the_user_did_not_choose(login, demo):
    response = login("testweb").post("/portal/order/export/?foo=bar", {"format": "0"})

    assert response.status_code == 302
    assert "attachment" not in response.get("Content-Disposition", "")


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize(
    "query",
    [
        "from_month=garbage",
        "from_month=%00",
        "to_month=2024-13",
        "from_month=2025-01&to_month=2020-01",
        "customer=abc",
        "customer=99999999999999999999999",
        "foo=bar",
    ],
)
def test_a_report_export_with_a_bad_address_shows_the_page(login, demo, admins, user, query):
    response = login(user).get(f"/rapporter/?export=bestillinger&{query}")

    assert_no_server_error(response)
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        assert response.context["form"].errors
        [message] = get_messages(response.wsgi_request)
        assert "ble ikke eksportert" in str(message)


@pytest.mark.parametrize("query", ["foo=bar", "q=%00", "o=99", "p=abc"])
def test_downloads_ignore_parameters_they_do_not_know(login, demo, admins, query):
    client = login("testweb")
    invoice = Invoice.objects.filter(payer__customer__name="Testbedriften AS").first()

    for url in (
        f"/portal/invoice/{invoice.pk}/pdf/?{query}",
        f"/portal/employee/import/template/?{query}",
        f"/rapporter/?{query}",
    ):
        response = client.get(url)
        assert_no_server_error(response)
        assert response.status_code == 200
