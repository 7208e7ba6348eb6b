# ruff: noqa: E501 -- the matrices are wide tables on purpose: one row per URL, one column per user.
"""Who may do what on the Ansatte tab: the employee pages and every action on them, over the
fixed cast, for a GET (what is shown) and for a POST (what changes).

The expected answers are written out here, not worked out from the code under test. Beside the
cast, an HR user who holds only `view_employees` (no `manage_employees`) sees the employees
but cannot change them.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from portal import services
from portal.models import Employee

from .helpers import CAST, DENY, GONE, LOGIN, OK, assert_matrix, outcome, staff_form_data

NUMBER = "13091850189"  # Donald's birth date, 13.09.2018
EDIT = "edit"  # 200, the page is a form the user may save
READ = "read"  # 200, the page shows the employee without a form
FORM = "302 → form"  # «Rediger»: to the employee's page as a form (`?edit=1`)

# fmt: off
#  columns:                                     superuser staff  cust.adm orderer hr    finance bergen other  no_grant inactive anonymous
GET_MATRIX = [
    ("/portal/employee/",                       (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/add/",                   (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/new/",                   ("302 → /portal/employee/add/",) * 3 + (DENY, "302 → /portal/employee/add/", DENY, "302 → /portal/employee/add/", "302 → /portal/employee/add/", LOGIN, LOGIN, LOGIN)),
    # A customer reads the employee first, and gets the form after «Rediger»; staff get the form.
    ("/portal/employee/{donald}/change/",       (EDIT,    EDIT,  READ,    DENY,   READ, DENY,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{anton}/change/",        (EDIT,    EDIT,  READ,    DENY,   READ, DENY,   READ,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{ola}/change/",          (EDIT,    EDIT,  GONE,    DENY,   GONE, DENY,   GONE,  READ,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{donald}/change/?edit=1",(EDIT,    EDIT,  EDIT,    DENY,   EDIT, DENY,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{anton}/change/?edit=1", (EDIT,    EDIT,  EDIT,    DENY,   EDIT, DENY,   EDIT,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{ola}/change/?edit=1",   (EDIT,    EDIT,  GONE,    DENY,   GONE, DENY,   GONE,  EDIT,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{donald}/edit/",         (DENY,    DENY,  FORM,    DENY,   FORM, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{ola}/edit/",            (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  FORM,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{donald}/history/",      (OK,      OK,    OK,      GONE,   OK,   GONE,   GONE,  GONE,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{ola}/history/",         (OK,      OK,    GONE,    GONE,   GONE, GONE,   GONE,  OK,    LOGIN,   LOGIN,   LOGIN)),
    # The dialogs: a GET only shows them. Offered where the step is allowed for this employee.
    ("/portal/employee/{donald}/deactivate/",   (OK,      OK,    OK,      DENY,   OK,   DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{anton}/deactivate/",    (OK,      OK,    OK,      DENY,   OK,   DENY,   OK,    DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{ola}/deactivate/",      (OK,      OK,    DENY,    DENY,   DENY, DENY,   DENY,  OK,    LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{dolly}/deactivate/",    (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),  # already deactivated
    ("/portal/employee/999999/deactivate/",     (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{dolly}/reactivate/",    (OK,      OK,    OK,      DENY,   OK,   DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{donald}/reactivate/",   (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),  # active
    ("/portal/employee/999999/reactivate/",     (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    # Reveal: staff with portal.reveal_national_id only (the superuser holds every permission).
    ("/portal/employee/{donald}/reveal/",       (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{ola}/reveal/",          (OK,      DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
    ("/portal/employee/{anton}/reveal/",        (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),  # no number
    ("/portal/employee/999999/reveal/",         (DENY,    DENY,  DENY,    DENY,   DENY, DENY,   DENY,  DENY,  LOGIN,   LOGIN,   LOGIN)),
]

# What a POST achieves: True where it went through.
#  columns:                  superuser staff  cust.adm orderer hr     finance bergen other  no_grant inactive anonymous
POST_MATRIX = {
    "change Donald":        (True,     True,  True,    False,  True,  False,  False, False, False,   False,   False),
    "add in Testbedriften": (True,     True,  True,    False,  True,  False,  False, False, False,   False,   False),
    "add in Bergen TEST":   (True,     True,  True,    False,  True,  False,  True,  False, False,   False,   False),
    "deactivate Donald":    (True,     True,  True,    False,  True,  False,  False, False, False,   False,   False),
    "deactivate Anton":     (True,     True,  True,    False,  True,  False,  True,  False, False,   False,   False),
    "deactivate Ola":       (True,     True,  False,   False,  False, False,  False, True,  False,   False,   False),
    "bulk-deactivate Ola":  (True,     True,  False,   False,  False, False,  False, True,  False,   False,   False),
    "reactivate Dolly":     (True,     True,  True,    False,  True,  False,  False, False, False,   False,   False),
    "reveal Donald":        (True,     False, False,   False,  False, False,  False, False, False,   False,   False),
}
# fmt: on


@pytest.fixture
def employees(world, cast):
    """The world's employees, with Dolly Duck deactivated and national ids on Donald and Ola."""
    dolly = Employee.objects.get(first_name="Dolly", last_name="Duck")
    services.employee_deactivate(employee=dolly, actor=cast.testweb)
    services.employee_update(employee=cast.donald, actor=cast.testweb, national_id=NUMBER)
    services.employee_update(
        employee=cast.ola, actor=cast.annen, national_id="17058000000"
    )  # his birth date
    return {"donald": cast.donald, "anton": cast.anton, "ola": cast.ola, "dolly": dolly}


def answer(response):
    """The answer as the matrix writes it; an employee's page is EDIT or READ."""
    location = response.get("Location", "")
    if response.status_code == 302 and re.fullmatch(
        r"/portal/employee/\d+/change/\?edit=1", location
    ):
        return FORM
    if response.status_code == 200 and re.search(
        r"/portal/employee/\d+/change/$", response.request["PATH_INFO"]
    ):
        return EDIT if 'name="first_name"' in response.content.decode() else READ
    return outcome(response)


@pytest.mark.parametrize("member", CAST)
def test_employee_pages_and_dialogs_answer_a_get_as_the_matrix_says(
    member, cast, world, employees, client
):
    ids = {name: employee.pk for name, employee in employees.items()}
    getattr(cast, member)  # the member is made (and granted) before the snapshot
    before = _snapshot()

    assert_matrix(client, cast, member, GET_MATRIX, world=world, fill=ids, answer=answer)
    assert _snapshot() == before, "a GET changed something"


def _snapshot():
    return (
        sorted(Employee.objects.values_list("pk", "is_active", "mobile", "email", "department_id")),
        AuditEvent.objects.count(),
    )


def _new_employee(department, email):
    data = staff_form_data("/portal/employee/add/")
    data.update(first_name="Ny", last_name="Ansatt", email=email, department=str(department.pk))
    return data


@pytest.mark.parametrize("member", CAST)
def test_employee_posts_change_only_what_the_matrix_allows(member, cast, world, employees, client):
    user = getattr(cast, member)
    column = CAST.index(member)
    donald, anton, ola, dolly = (employees[n] for n in ("donald", "anton", "ola", "dolly"))
    change_data = staff_form_data(f"/portal/employee/{donald.pk}/change/")
    change_data["mobile"] = "11223344"
    add_main = _new_employee(cast.tb_main, "ny.main@testikkeibruk.no")
    add_bergen = _new_employee(cast.tb_bergen, "ny.bergen@testikkeibruk.no")
    dialog = {"_form_submitted": "on"}
    if user is not None:
        client.force_login(user)

    def active(employee):
        return Employee.objects.get(pk=employee.pk).is_active

    happened = {}
    client.post(f"/portal/employee/{donald.pk}/change/", change_data)
    happened["change Donald"] = Employee.objects.get(pk=donald.pk).mobile == "11223344"
    client.post("/portal/employee/add/", add_main)
    happened["add in Testbedriften"] = Employee.objects.filter(email=add_main["email"]).exists()
    client.post("/portal/employee/add/", add_bergen)
    happened["add in Bergen TEST"] = Employee.objects.filter(email=add_bergen["email"]).exists()
    client.post(f"/portal/employee/{donald.pk}/deactivate/", dialog)
    happened["deactivate Donald"] = not active(donald)
    client.post(f"/portal/employee/{anton.pk}/deactivate/", dialog)
    happened["deactivate Anton"] = not active(anton)
    client.post(f"/portal/employee/{ola.pk}/deactivate/", dialog)
    happened["deactivate Ola"] = not active(ola)
    if happened["deactivate Ola"]:
        services.employee_reactivate(employee=ola, actor=cast.superuser)
    client.post(
        "/portal/employee/",
        {"action": "deactivate_selected", "_selected_action": [str(ola.pk)], "index": "0"},
    )
    happened["bulk-deactivate Ola"] = not active(ola)
    client.post(f"/portal/employee/{dolly.pk}/reactivate/", dialog)
    happened["reactivate Dolly"] = active(dolly)
    revealed = client.post(f"/portal/employee/{donald.pk}/reveal/", dialog)
    logged = AuditEvent.objects.filter(action="national_id_revealed").exists()
    happened["reveal Donald"] = NUMBER in revealed.content.decode() and logged
    assert logged == happened["reveal Donald"], (
        "a reveal was logged but not shown, or shown unlogged"
    )

    expected = {action: row[column] for action, row in POST_MATRIX.items()}
    assert happened == expected, f"{member} ({user})"


# -- an HR user who may see employees but not manage them ------------------------------------


def test_an_hr_reader_sees_the_employees_but_every_page_is_read_only(cast, employees, client):
    client.force_login(cast.viewer)
    donald = employees["donald"]

    listing = client.get("/portal/employee/")
    page = client.get(f"/portal/employee/{donald.pk}/change/")

    assert listing.status_code == 200
    assert "Donald Duck" in listing.content.decode()
    assert "Ola Nordmann" not in listing.content.decode()
    assert answer(page) == READ
    text = page.content.decode()
    assert "Duck@testikkeibruk.no" in text
    assert "Testbedriften AS" in text
    assert "***********" in text
    assert NUMBER not in text
    assert not re.search(
        r"<(input|select|textarea)[^>]*name=\"(first_name|email|mobile|national_id|department)\"",
        text,
    )
    assert 'name="_save"' not in text
    for action in ("deactivate", "reactivate", "reveal"):
        assert f"/portal/employee/{donald.pk}/{action}/" not in text
    assert "deactivate_selected" not in listing.content.decode()
    assert 'href="/portal/employee/new/"' not in listing.content.decode()


def test_an_hr_reader_cannot_change_add_or_deactivate(cast, world, employees, client):
    donald, dolly = employees["donald"], employees["dolly"]
    change_data = staff_form_data(f"/portal/employee/{donald.pk}/change/")
    change_data["mobile"] = "11223344"
    add_data = _new_employee(cast.tb_main, "ny@testikkeibruk.no")
    client.force_login(cast.viewer)
    before = _snapshot()

    answers = [
        client.post(f"/portal/employee/{donald.pk}/change/", change_data).status_code,
        client.get("/portal/employee/add/").status_code,
        client.post("/portal/employee/add/", add_data).status_code,
        client.get(f"/portal/employee/{donald.pk}/deactivate/").status_code,
        client.post(
            f"/portal/employee/{donald.pk}/deactivate/", {"_form_submitted": "on"}
        ).status_code,
        client.post(
            f"/portal/employee/{dolly.pk}/reactivate/", {"_form_submitted": "on"}
        ).status_code,
        client.post(f"/portal/employee/{donald.pk}/reveal/", {"_form_submitted": "on"}).status_code,
    ]
    client.post(
        "/portal/employee/",
        {"action": "deactivate_selected", "_selected_action": [str(donald.pk)], "index": "0"},
    )

    assert answers == [DENY] * len(answers)
    assert _snapshot() == before


# -- a clash with an employee the user cannot see -----------------------------------------------
# A new employee with the e-mail address or national id of one already registered is refused;
# a user who cannot see that employee (Donald, Testbedriften AS) is told neither where he is
# nor which of the two clashed. Another customer's register is another register: no clash.

NOT_HERE = "Denne personen kan ikke registreres her. Spør administratoren din."
EMAIL_TAKEN = "En aktiv ansatt hos denne kunden har allerede e-postadressen duck@testikkeibruk.no."
NUMBER_TAKEN = "En annen ansatt hos denne kunden har dette fødselsnummeret."
SAVED = "saved"
# What would tell the Bergen user more: the rules' own words, where, and who.
SPECIFIC = (EMAIL_TAKEN, NUMBER_TAKEN, "ikke har tilgang til å administrere", "Donald", "Duck")

# fmt: off
#  members:                          superuser     cust.adm      hr            bergen    other
CLASH_MEMBERS = ("superuser", "testweb", "hr", "bergen", "annen")
CLASH_MATRIX = {
    "add with Donald's e-mail":      (EMAIL_TAKEN,  EMAIL_TAKEN,  EMAIL_TAKEN,  NOT_HERE, SAVED),
    "add with Donald's number":      (NUMBER_TAKEN, NUMBER_TAKEN, NUMBER_TAKEN, NOT_HERE, SAVED),
    "import Donald's e-mail":        (SAVED,        SAVED,        SAVED,        NOT_HERE, SAVED),  # an update of Donald
    "import Donald's number":        (SAVED,        SAVED,        SAVED,        NOT_HERE, SAVED),
}
# fmt: on


def _messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _attempt(action, client, cast, member) -> tuple[str, str]:
    """(what the user is told, the page) for one attempt; SAVED when it went through."""
    own = cast.ek_main if member == "annen" else cast.tb_bergen
    customer = cast.eksempel if member == "annen" else cast.testbedriften
    email = "duck@testikkeibruk.no" if "e-mail" in action else "ny.person@testikkeibruk.no"
    if action.startswith("add"):
        data = _new_employee(own, email)
        if "number" in action:
            data["national_id"] = NUMBER
        response = client.post("/portal/employee/add/", data, follow=True)
        page = response.content.decode()
        if Employee.objects.filter(email=email, department=own).exists():
            return SAVED, page
        told = [text for text in (EMAIL_TAKEN, NUMBER_TAKEN, NOT_HERE) if text in page]
        return (told[0] if len(told) == 1 else f"unclear: {_messages_of(response)}"), page
    row = ["Ny", "Person", email, "", own.name, NUMBER if "number" in action else ""]
    lines = ["Fornavn;Etternavn;E-post;Mobil;Bedrift/avdeling;Fødselsnummer", ";".join(row)]
    upload = SimpleUploadedFile("ansatte.csv", ("\r\n".join(lines) + "\r\n").encode())
    response = client.post(
        "/portal/employee/import/", {"import_file": upload, "customer": customer.pk}
    )
    page = response.content.decode()
    if 'name="token"' in page:
        return SAVED, page
    return (NOT_HERE if NOT_HERE in page else "unclear"), page


@pytest.mark.parametrize("member", CLASH_MEMBERS)
def test_a_clash_with_an_unseen_employee_says_neither_where_nor_what(
    member, cast, world, employees, client
):
    client.force_login(getattr(cast, member))
    column = CLASH_MEMBERS.index(member)

    for action, row in CLASH_MATRIX.items():
        told, page = _attempt(action, client, cast, member)
        assert told == row[column], f"{member}: {action}"
        if told == NOT_HERE:
            leaked = [text for text in SPECIFIC if text in page.replace(NOT_HERE, "")]
            assert not leaked, f"{member}: {action} shows {leaked}"


def test_reactivating_into_an_unseen_colleagues_address_says_nothing_of_them(
    cast, world, employees, client
):
    """Anton (Bergen TEST) left; Donald (Testbedriften AS) took his address meanwhile."""
    anton = employees["anton"]
    services.employee_deactivate(employee=anton, actor=cast.testweb)
    services.employee_update(employee=employees["donald"], actor=cast.testweb, email=anton.email)
    client.force_login(cast.bergen)

    response = client.post(
        f"/portal/employee/{anton.pk}/reactivate/", {"_form_submitted": "on"}, follow=True
    )

    assert NOT_HERE in _messages_of(response)
    assert "kollega" not in _messages_of(response)
    assert not Employee.objects.get(pk=anton.pk).is_active
