# ruff: noqa: E501 -- the matrices are wide tables on purpose: one row per URL, one column per user.
"""Who may import and export employees: the pages over the fixed cast, for a GET (what is shown)
and for a POST (what is written).

Customers need `manage_employees` to import and `view_employees` to export; staff need the
global permission for the employees and, beside it, `portal.import_employee` /
`portal.export_employee` — being an admin user is not enough. The expected answers are written
out here, not worked out from the code under test.
"""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from imports.models import ImportUpload
from portal.models import Employee
from tests.factories import StaffFactory

from .helpers import CAST, DENY, LOGIN, OK, assert_matrix

NOT_GET = 405  # the confirm and the cancel answer only a POST

IMPORT = "/portal/employee/import/"
TEMPLATE = "/portal/employee/import/template/"
CONFIRM = "/portal/employee/import/confirm/"
CANCEL = "/portal/employee/import/cancel/"
EXPORT = "/portal/employee/export/"

# fmt: off
#  columns:                     superuser staff   cust.adm orderer hr      finance bergen  other   no_grant inactive anonymous
GET_MATRIX = [
    (IMPORT,                     (OK,      OK,     OK,      DENY,   OK,     DENY,   OK,     OK,     LOGIN,   LOGIN,   LOGIN)),
    (TEMPLATE,                   (OK,      OK,     OK,      DENY,   OK,     DENY,   OK,     OK,     LOGIN,   LOGIN,   LOGIN)),
    (CONFIRM,                    (NOT_GET, NOT_GET, NOT_GET, NOT_GET, NOT_GET, NOT_GET, NOT_GET, NOT_GET, LOGIN, LOGIN, LOGIN)),
    (CANCEL,                     (NOT_GET, NOT_GET, NOT_GET, NOT_GET, NOT_GET, NOT_GET, NOT_GET, NOT_GET, LOGIN, LOGIN, LOGIN)),
    (EXPORT,                     (OK,      OK,     OK,      DENY,   OK,     DENY,   OK,     OK,     LOGIN,   LOGIN,   LOGIN)),
]

# What a POST achieves: True where it went through.
#  columns:                          superuser staff  cust.adm orderer hr     finance bergen other  no_grant inactive anonymous
POST_MATRIX = {
    "import into Bergen TEST":       (True,     True,  True,    False,  True,  False,  True,  False, False,   False,   False),
    "import into Testbedriften AS":  (True,     True,  True,    False,  True,  False,  False, False, False,   False,   False),
    "update Donald by e-mail":       (True,     True,  True,    False,  True,  False,  False, False, False,   False,   False),
    "confirm testweb's upload":      (False,    False, True,    False,  False, False,  False, False, False,   False,   False),  # testweb's own only
    "cancel testweb's upload":       (False,    False, True,    False,  False, False,  False, False, False,   False,   False),
    "export the employees":          (True,     True,  True,    False,  True,  False,  True,  True,  False,   False,   False),
}
# fmt: on


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def csv_content(*rows) -> bytes:
    lines = ["Fornavn;Etternavn;E-post;Mobil;Bedrift/avdeling", *(";".join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def token_in(response) -> str | None:
    if response.status_code != 200:
        return None
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    return match.group(1) if match else None


def upload_and_confirm(client, cast, content) -> None:
    """What a user does: upload (for Testbedriften AS), then confirm if a confirm is offered."""
    file = SimpleUploadedFile("ansatte.csv", content)
    response = client.post(IMPORT, {"import_file": file, "customer": cast.testbedriften.pk})
    if token := token_in(response):
        client.post(CONFIRM, {"token": token})


def upload_as_testweb(world) -> str:
    testweb = client_for(world.tb_grant.user)
    file = SimpleUploadedFile(
        "ansatte.csv", csv_content(["Ny", "Ansatt", "ny@tb.no", "", "Bergen TEST"])
    )
    token = token_in(testweb.post(IMPORT, {"import_file": file}))
    assert token
    return token


def post_achieves(action, client, world, cast) -> bool:
    if action == "import into Bergen TEST":
        upload_and_confirm(
            client, cast, csv_content(["Berit", "Bergen", "berit@tb.no", "", "Bergen TEST"])
        )
        return Employee.objects.filter(email="berit@tb.no").exists()
    if action == "import into Testbedriften AS":
        upload_and_confirm(
            client, cast, csv_content(["Hanne", "Hoved", "hanne@tb.no", "", "Testbedriften AS"])
        )
        return Employee.objects.filter(email="hanne@tb.no").exists()
    if action == "update Donald by e-mail":
        upload_and_confirm(
            client,
            cast,
            csv_content(["Donald", "Duck", "DUCK@testikkeibruk.no", "99999999", "Bergen TEST"]),
        )
        return Employee.objects.get(pk=cast.donald.pk).mobile == "99999999"
    if action == "confirm testweb's upload":
        client.post(CONFIRM, {"token": upload_as_testweb(world)})
        return Employee.objects.filter(email="ny@tb.no").exists()
    if action == "cancel testweb's upload":
        token = upload_as_testweb(world)
        client.post(CANCEL, {"token": token})
        return not ImportUpload.objects.filter(token=token).exists()
    if action == "export the employees":
        response = client.post(EXPORT, {"format": "1"})
        return response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    raise AssertionError(action)


@pytest.mark.parametrize("member", CAST)
def test_import_and_export_pages(member, cast, world, client):
    """Given the cast, when `member` opens the import and export pages, then each answers as
    the table says, and a customer user's page names nothing of the other customer."""
    assert_matrix(client, cast, member, GET_MATRIX, world=world)


@pytest.mark.parametrize("member", CAST)
def test_what_a_post_achieves(member, cast, world):
    """Given the cast, when `member` posts each action in turn, then it goes through only
    where the table says so."""
    client = client_for(getattr(cast, member))
    wrong = []
    for action, row in POST_MATRIX.items():
        expected = row[CAST.index(member)]
        if (got := post_achieves(action, client, world, cast)) is not expected:
            wrong.append(f"{action}: expected {expected}, got {got}")
    assert not wrong, f"{member} ({getattr(cast, member)}):\n" + "\n".join(wrong)


def test_the_department_user_gets_a_template_for_their_department(world, cast):
    response = client_for(cast.bergen).get(TEMPLATE)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["G2"].value == "Bergen TEST"


@pytest.mark.parametrize(
    ("permissions", "may_import", "may_export"),
    [
        (["view_employee", "change_employee"], False, False),  # Kundeservice: no import/export
        (["view_employee", "change_employee", "import_employee"], True, False),
        (["view_employee", "export_employee"], False, True),
        (["view_employee", "import_employee"], False, False),  # import needs the change too
    ],
)
def test_staff_need_the_import_and_export_permissions(world, permissions, may_import, may_export):
    staff = StaffFactory(username="ks-" + "-".join(p.split("_")[0] for p in permissions))
    staff.user_permissions.set(Permission.objects.filter(codename__in=permissions))
    client = client_for(staff)
    assert (client.get(IMPORT).status_code == 200) is may_import
    assert (client.get(TEMPLATE).status_code == 200) is may_import
    assert (client.post(EXPORT, {"format": "1"}).status_code == 200) is may_export


def test_the_customer_service_group_may_neither_import_nor_export(world, cast):
    client = client_for(cast.customer_service)
    assert client.get("/portal/employee/").status_code == 200
    assert client.get(IMPORT).status_code == DENY
    assert client.post(EXPORT, {"format": "0"}).status_code == DENY
    page = client.get("/portal/employee/").content.decode()
    assert f'href="{IMPORT}"' not in page
    assert 'href="/portal/employee/export/' not in page
