"""What the permission tests share besides fixtures: the cast's order and the leak check."""

import re

from portal.models import Contract, Department, Employee, Invoice, Order

# The columns of every permission matrix, in this order.
CAST = (
    "superuser",
    "staff",
    "customer_admin",
    "orderer",
    "hr",
    "finance",
    "department_user",
    "other_customer",
    "no_grant",
    "inactive",
    "anonymous",
)
CUSTOMER_USERS = (
    "customer_admin",
    "orderer",
    "hr",
    "finance",
    "department_user",
    "other_customer",
)


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
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)
    return data
