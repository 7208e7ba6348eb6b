"""Invoices and their lines: one for most delivered orders, the rest subscription invoices."""

import datetime
import heapq
import time

from portal.models import Invoice, InvoiceLine, Sequence
from portal.validators import kid_mod10_check_digit

from .base import WorldBase
from .names import INVOICE_SERVICES
from .plan import DepartmentPlan
from .writer import CHUNK

# Above the demo's invoice numbers (load_demo writes fixed ones), so the two worlds never meet.
INVOICE_SERIAL_FLOOR = 200_000


def _ore(amount: int) -> str:
    """øre → "1234.50": COPY and bulk_create both take the decimal as text."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    return f"{sign}{amount // 100}.{amount % 100:02d}"


class InvoiceTables(WorldBase):
    """Invoices in date order with their lines, and the invoice number sequence."""

    def _invoices(self) -> None:
        rng, s = self.rng, self.sizes
        started = time.perf_counter()
        last = Sequence.objects.filter(name="invoice").values_list("last_value", flat=True).first()
        serial = max(last or 0, INVOICE_SERIAL_FLOOR)
        invoice_id = self.writer.first_id(Invoice)
        line_id = self.writer.first_id(InvoiceLine)
        invoice_columns = ("id", "number", "payer_id", "order_id", "invoice_date", "due_date",
                           "kid", "total", "outstanding", "is_credit_note")  # fmt: skip
        line_columns = ("id", "invoice_id", "description", "quantity", "unit_price", "amount",
                        "order_id")  # fmt: skip
        linked = sorted(self.invoiced_orders)[: s.invoices]
        periodic = s.invoices - len(linked)
        start, span = self.start_day.toordinal(), (self.today - self.start_day).days
        subscription = ((start + (k * span) // max(periodic, 1), -1) for k in range(periodic))
        invoices, lines = [], []
        today = self.today.toordinal()
        for position, (day_number, i) in enumerate(heapq.merge(linked, subscription)):
            serial += 1
            day = datetime.date.fromordinal(day_number)
            if i >= 0:
                d = self.o_department[i]
                order_id = self.first_order_id + i
            else:
                d = self._department_by_size()
                order_id = None
            department = self.departments[d]
            customer = self.customers[department.customer]
            credit = order_id is None and rng.random() < 0.01
            items = self._invoice_lines(i, day, department, credit)
            total = sum(quantity * price // 100 for _d, quantity, price in items)
            due = day + datetime.timedelta(days=rng.choice((14, 20, 30)))
            overdue_for = today - due.toordinal()
            if credit:
                outstanding = total if overdue_for < 0 and rng.random() < 0.5 else 0
            else:
                paid_share = 0.97 if overdue_for > 45 else 0.7 if overdue_for > 0 else 0.3
                outstanding = 0 if rng.random() < paid_share else total
                if outstanding and overdue_for > 45 and rng.random() < 0.3:
                    outstanding = total // 2
            kid = ""
            if rng.random() < 0.95:
                body = f"{customer.index + 1:06d}{serial:09d}"
                kid = body + kid_mod10_check_digit(body)
            invoices.append((
                invoice_id, f"{day.year}-{serial}", department.id, order_id, day, due, kid,
                _ore(total), _ore(outstanding), credit,
            ))  # fmt: skip
            for description, quantity, price in items:
                lines.append((
                    line_id, invoice_id, description, _ore(quantity), _ore(price),
                    _ore(quantity * price // 100), order_id,
                ))  # fmt: skip
                line_id += 1
            invoice_id += 1
            if len(invoices) >= CHUNK or position == s.invoices - 1:
                started = self._write_chunk(
                    started,
                    ("invoices", Invoice, invoice_columns, invoices),
                    ("invoice lines", InvoiceLine, line_columns, lines),
                )
        self.last_invoice_serial = serial
        self._done("invoices", "invoice lines")

    def _invoice_lines(self, i: int, day, department: DepartmentPlan, credit: bool):
        """(description, quantity in hundredths, unit price in øre) per line; the quantity
        times the price is always whole øre."""
        rng = self.rng
        if credit:
            price = rng.randint(500, 40_000) * 100
            return [("Kreditnota: feilfakturert abonnement", 100, -price)]
        if i >= 0:
            group = self.o_group[i]
            if group == self.hk_index:
                items = [("Helsekontroll", rng.randint(3, 80) * 100, rng.randint(129, 169) * 1000)]
            else:
                description = rng.choice(INVOICE_SERVICES)
                items = [(description, rng.randint(2, 40) * 50, rng.randint(95, 165) * 1000)]
        else:
            quarter = (day.month - 1) // 3 + 1
            employees = max(1, department.employees)
            items = [(
                f"Abonnement bedriftshelsetjeneste {quarter}. kvartal {day.year}",
                employees * 100, rng.randint(95, 180) * 100,
            )]  # fmt: skip
        if rng.random() < 0.3:
            items.append(("Reisekostnader", 100, rng.randint(300, 4000) * 100))
        if rng.random() < 0.2:
            items.append(("Fakturagebyr", 100, 6500))
        return items
