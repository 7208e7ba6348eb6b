"""What the permission tests share besides fixtures: the cast's order, how a matrix writes an
answer, what each member must never read, and the leak check."""

import html
import io
import re

from django.contrib.auth import get_user_model
from django.forms import MultiWidget
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from portal.models import Contract, Department, Employee, Invoice, Order

# The columns of every permission matrix, in this order.
CAST = (
    "superuser",
    "kam",
    "testweb",
    "orderer",
    "hr",
    "finance",
    "bergen",
    "annen",
    "no_grant",
    "inactive",
    "anonymous",
)
CUSTOMER_USERS = (
    "testweb",
    "orderer",
    "hr",
    "finance",
    "bergen",
    "annen",
)

# The answers as the matrices write them.
OK = 200
DENY = 403
GONE = "gone"  # 302 to the index with "… does not exist. Perhaps it was deleted?"
LOGIN = "login"  # 302 to /login/?next=…

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

STAFF_ONLY_LINKS = (
    "/portal/customer/",
    "/portal/department/",
    "/portal/contract/",
    "/portal/productgroup/",
    "/portal/exposuretype/",
    "/portal/booking/",
    "/permissions/grant/",
    "/auth/user/",
    "/auth/group/",
    "/background/outgoingmail/",
    "/health/questionnaire/",
    "/webhooks/webhookendpoint/",
)
ADMINISTRATION = ("Administrasjon", "Administration")


def outcome(response):
    """The answer as the matrix writes it."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/login/?next="):
            return LOGIN
        if location == "/":
            return GONE
        return f"302 → {location}"
    return response.status_code


def readable(response) -> str:
    """What a user reads in an answer: the page, the text of a PDF, every cell of a
    spreadsheet. A compressed file searched as bytes would hide any name in it."""
    streaming = getattr(response, "streaming", False)
    content = b"".join(response.streaming_content) if streaming else response.content
    content_type = response.get("Content-Type", "")
    if content_type == PDF:
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if content_type == XLSX:
        workbook = load_workbook(io.BytesIO(content))
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return content.decode("utf-8-sig", errors="replace")


def customer_names(customer) -> list[str]:
    """Every order number, invoice number, employee name and e-mail, department name, customer
    name and contract name of `customer`, read from the database."""
    departments = Department.objects.filter(customer=customer)
    names = {customer.name}
    names.update(departments.values_list("name", flat=True))
    names.update(Contract.objects.filter(customer=customer).values_list("name", flat=True))
    names.update(
        str(n)
        for n in Order.objects.filter(department__in=departments).values_list("number", flat=True)
    )
    names.update(Invoice.objects.filter(payer__in=departments).values_list("number", flat=True))
    for employee in Employee.objects.filter(department__in=departments):
        names.update([employee.full_name, employee.email])
    return sorted(names)


def department_rows_names(departments) -> list[str]:
    """Order numbers, invoice numbers and employee names of some departments."""
    names = {
        str(n)
        for n in Order.objects.filter(department__in=departments).values_list("number", flat=True)
    }
    names.update(Invoice.objects.filter(payer__in=departments).values_list("number", flat=True))
    names.update(e.full_name for e in Employee.objects.filter(department__in=departments))
    return sorted(names)


def hidden_names(member, cast) -> list[str]:
    """What this cast member must never read: the other customer's names and numbers (and,
    for the Bergen TEST user, the rows of Testbedriften's other department)."""
    if member == "annen":
        return customer_names(cast.testbedriften)
    if member == "bergen":
        return customer_names(cast.eksempel) + department_rows_names([cast.tb_main])
    if member in CUSTOMER_USERS:
        return customer_names(cast.eksempel)
    return []


def leaked(text: str, names) -> list[str]:
    """The names found in `text`; a number counts only as a whole number."""
    found = []
    for name in names:
        pattern = re.escape(name)
        if name[:1].isdigit():
            pattern = rf"(?<![\d-]){pattern}(?![\d-])"
        if re.search(pattern, text):
            found.append(name)
    return found


def staff_section_seen(text: str) -> list[str]:
    """The parts of the staff-only "Administrasjon" section of the sidebar found in `text`."""
    hrefs = [link for link in STAFF_ONLY_LINKS if f'href="{link}"' in text]
    return [word for word in ADMINISTRATION if word in text] + hrefs


def assert_matrix(client, cast, member, matrix, *, world, fill=None, hidden=None, answer=outcome):
    """Given the cast, when `member` opens every URL of `matrix`, then each answers as the
    member's column says, and no customer user's answer shows what is hidden from them or the
    staff section.

    A row of `matrix` is (URL template, answers in the order of CAST); the template is filled
    with `w`, the world, `c`, the cast, and `fill`. `hidden` is what the member must never read (by
    default `hidden_names`); `answer` writes a response as the matrix does.
    """
    user = getattr(cast, member)
    if user is not None:
        client.force_login(user)
    column = CAST.index(member)
    fill = {"w": world, "c": cast, **(fill or {})}
    hidden = hidden_names(member, cast) if hidden is None else hidden

    wrong, leaks = [], []
    for template, expected_row in matrix:
        url = template.format(**fill)
        response = client.get(url)
        got, expected = answer(response), expected_row[column]
        if got != expected:
            wrong.append(f"{url}: expected {expected}, got {got}")
        if member in CUSTOMER_USERS:
            text = readable(response)
            if found := leaked(text, hidden):
                leaks.append(f"{url} shows {found}")
            if response.status_code == 200 and (seen := staff_section_seen(text)):
                leaks.append(f"{url} shows the staff section: {seen}")

    assert not wrong, f"{member} ({user}):\n" + "\n".join(wrong)
    assert not leaks, f"{member} ({user}):\n" + "\n".join(leaks)


def form_data(response) -> dict:
    """The POST data of the admin form on `response`, as a browser would send it unchanged:
    the main form, and each inline formset with its management form."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            if form.fields[name].show_hidden_initial:  # what the form showed, sent along
                hidden = str(form[name].as_hidden(only_initial=True))
                for tag in re.findall(r"<input[^>]*>", hidden):
                    key = html.unescape(re.search(r'name="([^"]*)"', tag)[1])  # type: ignore[index]
                    value = re.search(r'value="([^"]*)"', tag)
                    data.setdefault(key, []).append(html.unescape(value.group(1)) if value else "")
            value = form[name].value()
            key = form.add_prefix(name)
            widget = form.fields[name].widget
            if isinstance(widget, MultiWidget):  # a date and a time: one input each
                parts = value if isinstance(value, list | tuple) else widget.decompress(value) or []
                for suffix, part_widget, part in zip(
                    widget.widgets_names, widget.widgets, parts, strict=False
                ):
                    data[key + suffix] = part_widget.format_value(part) or ""
                continue
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)
    return data


def staff_form_data(path) -> dict:
    """The admin form at `path` as the KA/KAM's browser would send it unchanged: what a
    customer user forges when their own page offers no such form."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="kam"))
    return form_data(client.get(path))
