from . import appointments, customers, employees, exposures, invoices, orders, users

__all__ = [
    "appointments",
    "customers",
    "employees",
    "exposures",
    "invoices",
    "orders",
    "users",
]
