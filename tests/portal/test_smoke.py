import pytest


@pytest.mark.django_db
def test_kam_sees_the_seed_lists(demo, login):
    client = login("kam")
    orders = client.get("/portal/order/")
    invoices = client.get("/portal/invoice/")
    employees = client.get("/portal/employee/")
    assert orders.status_code == 200
    assert "204334" in orders.text
    assert invoices.status_code == 200
    assert "2017-118350" in invoices.text
    assert employees.status_code == 200
    assert "Donald Duck" in employees.text
