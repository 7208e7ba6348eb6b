from . import appointments, customers, employees, invoices, orders, users

__all__ = [
    "appointments",
    "customers",
    "employees",
    "invoices",
    "orders",
    "users",
]
