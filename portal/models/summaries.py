from django.db import models
from django.utils.translation import gettext_lazy as _

from .customers import Customer, Department, ProductGroup
from .employees import Employee

COUNTED = ["employee", "product_group", "is_active", "seats", "attended", "no_show"]


class BookingMonth(models.Model):
    """One employee's bookings on one product group's appointments starting in one month
    (Norwegian time), with the employee's department, customer and whether they are active:
    the monthly figures the health check coverage report counts.

    Counting distinct employees over a period from the bookings took the staff's report half
    a second (every booking of the period joined to its appointment, order and employee);
    from these rows, a period is a range of one index. `portal.services.booking_months` keeps
    them equal to the bookings and employees: every service that writes a booking, moves an
    appointment, changes an order's product group or moves, deactivates or reactivates an
    employee recounts the employees it touched, in the same transaction.
    """

    employee = models.ForeignKey(
        Employee,
        on_delete=models.CASCADE,
        related_name="booking_months",
        verbose_name=_("employee"),
        db_index=False,  # the unique constraint leads with it
    )
    month = models.DateField(_("month"))
    product_group = models.ForeignKey(
        ProductGroup,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("product group"),
        db_index=False,
    )
    #: The employee's, as they are now (a month is counted for today's workforce).
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("company/department"),
        db_index=False,
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("customer"),
        db_index=False,
    )
    is_active = models.BooleanField(_("active"), default=True, db_default=True)
    #: Bookings holding a seat (booked, attended or no-show), attended, and no-show.
    seats = models.PositiveIntegerField(default=0, db_default=0)
    attended = models.PositiveIntegerField(default=0, db_default=0)
    no_show = models.PositiveIntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("booking month")
        verbose_name_plural = _("booking months")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "month", "product_group"], name="booking_month_unique"
            )
        ]
        indexes = [
            # A customer's departments over a period, and every customer's (staff): read
            # from the index alone, which holds every column the report counts.
            models.Index(
                fields=["department", "month"], include=COUNTED, name="booking_month_dept_idx"
            ),
            models.Index(
                fields=["month"], include=["customer", *COUNTED], name="booking_month_month_idx"
            ),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.month:%Y-%m}"
