"""What calls for health surveillance at work, and who is exposed to it.

An exposure is a fact about work (noise, night work, a chemical), never about health: its note
is checked for health words and national ids as an order's description is. When a check is due
follows from the type's deadlines (`portal.surveillance`).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.surveillance import next_due

from .customers import Department, ProductGroup
from .employees import Employee
from .versions import version_field


class ExposureType(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    product_group = models.ForeignKey(
        ProductGroup,
        verbose_name=_("check"),
        on_delete=models.PROTECT,
        related_name="exposure_types",
        help_text=_("The product group of the check the exposure calls for."),
    )
    first_check_months = models.PositiveSmallIntegerField(
        _("first check within (months)"),
        help_text=_("How long after the exposure starts the first check must be held."),
    )
    interval_months = models.PositiveSmallIntegerField(
        _("interval (months)"),
        null=True,
        blank=True,
        help_text=_(
            "Months between checks. Leave empty when a check is only to be offered "
            "(e.g. night work)."
        ),
    )
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("A short explanation for the customer.")
    )
    regulation = models.CharField(
        _("regulation"),
        max_length=200,
        blank=True,
        help_text=_("The rule that calls for the check, e.g. «Forskrift om organisering, "
                    "ledelse og medvirkning § 14-1»."),
    )  # fmt: skip
    is_active = models.BooleanField(_("active"), default=True, db_default=True)
    version = version_field()

    class Meta:
        verbose_name = _("exposure type")
        verbose_name_plural = _("exposure types")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_check_months__gte=1),
                name="exposuretype_first_check_at_least_a_month",
            ),
            models.CheckConstraint(
                condition=Q(interval_months__isnull=True) | Q(interval_months__gte=1),
                name="exposuretype_interval_at_least_a_month",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def offer_only(self) -> bool:
        return self.interval_months is None


class Exposure(models.Model):
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="exposures"
    )
    #: The exposed employee's department, kept with it by the writes that move an employee
    #: (`employee_update`, the import): the due list is scoped and filtered by it without
    #: reading through every employee of a customer first (at 25,000 employees, ten times
    #: faster on PostgreSQL).
    department = models.ForeignKey(
        Department,
        verbose_name=_("company/department"),
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
    )
    exposure_type = models.ForeignKey(
        ExposureType,
        verbose_name=_("exposure"),
        on_delete=models.PROTECT,
        related_name="exposures",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("About the work, never about health."),
    )
    #: The day of the latest attended check of the type's product group since the exposure
    #: began: kept by the services that move it (`portal.services.surveillance`).
    last_check_on = models.DateField(_("last check"), null=True, blank=True, editable=False)
    #: The day the next check must be held by (`portal.surveillance.next_due`; None for a check
    #: only offered), kept with the last check and the type's months: the due list's status,
    #: its filter and its order are comparisons on it, and its pages are read from its index
    #: (`portal.selectors.surveillance.most_urgent_ids`).
    next_due_on = models.DateField(_("next due"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    version = version_field()

    class Meta:
        verbose_name = _("exposure")
        verbose_name_plural = _("exposures")
        ordering = ["exposure_type__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="exposure_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["exposure_type", "starts_on"]),
            models.Index(fields=["next_due_on"], name="exposure_next_due_idx"),
        ]

    def __str__(self):
        return str(self.exposure_type)

    def save(self, *args, **kwargs):
        if self.department_id is None and self.employee_id is not None:
            self.department_id = (
                Employee.objects.filter(pk=self.employee_id).values_list("department_id").get()[0]
                if self.employee is None
                else self.employee.department_id
            )
        self.next_due_on = self.required_check_due()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "next_due_on" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "next_due_on"]
        super().save(*args, **kwargs)

    def required_check_due(self) -> datetime.date | None:
        """The day the next check must be held by, from the row's own dates and its type's
        months (None for a check only offered): what `next_due_on` holds."""
        kind = self.exposure_type
        if kind.offer_only:
            return None
        due, _status = next_due(
            starts_on=self.starts_on,
            first_check_months=kind.first_check_months,
            interval_months=kind.interval_months,
            last_check=self.last_check_on,
            today=self.starts_on,  # the day only decides the status, not asked here
        )
        return due


class SurveillanceDue(Exposure):
    """The due list («Helseovervåking»): each exposure as who is due for which check."""

    class Meta:
        proxy = True
        verbose_name = _("health surveillance")
        verbose_name_plural = _("health surveillance")
        default_permissions = ("view",)
        permissions = [("export_surveillancedue", _("Can export health surveillance"))]
