from typing import Self

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.crypto import national_id_decrypt, national_id_digest, national_id_encrypt

from .customers import Customer, Department
from .versions import version_field

NATIONAL_ID_MASK = "***********"


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")


class EmployeeQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def for_list(self) -> Self:
        return self.select_related("department")


class Employee(models.Model):
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="employees",
        editable=False,
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("company/department"),
        on_delete=models.PROTECT,
        related_name="employees",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    national_id_encrypted = models.TextField(editable=False, blank=True)
    national_id_digest = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deactivated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    deactivated_at = models.DateTimeField(
        _("deactivated at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = version_field()

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["last_name", "first_name", "pk"]
        permissions = [
            ("export_employee", _("Can export employees")),
            ("import_employee", _("Can import employees")),
            ("reveal_national_id", _("Can reveal national identity numbers")),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "customer",
                condition=models.Q(is_active=True),
                name="employee_email_unique_among_active",
                violation_error_message=_(
                    "An active employee of this customer already has this e-mail address."
                ),
            ),
            models.UniqueConstraint(
                fields=["customer", "national_id_digest"],
                condition=~models.Q(national_id_digest=""),
                name="employee_national_id_unique_per_customer",
                violation_error_message=_(
                    "An employee of this customer already has this national identity number."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["department", "is_active", "last_name", "first_name"],
                name="employee_dept_name_idx",
            ),
            models.Index(
                fields=["customer", "is_active", "last_name", "first_name"],
                name="employee_customer_name_idx",
            ),
            # Staff's list, every customer's employees by name.
            models.Index(fields=["last_name", "first_name", "id"], name="employee_name_idx"),
            # "Finn ansatte" by a birth date typed as 13.09.2018, among every customer's.
            models.Index(fields=["birth_date"], name="employee_birth_date_idx"),
            # The reports' active employees per department and per customer, counted on
            # these alone (index-only) instead of on the rows.
            models.Index(
                fields=["department"],
                condition=models.Q(is_active=True),
                name="employee_dept_active_idx",
            ),
            models.Index(
                fields=["customer"],
                condition=models.Q(is_active=True),
                name="employee_customer_active_idx",
            ),
            # The few who left, read whole: the due list leaves their exposures out without
            # looking up the employee of every exposure (`portal.selectors.surveillance`).
            models.Index(
                fields=["id"], condition=models.Q(is_active=False), name="employee_inactive_idx"
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.customer_id = self._department_customer_id()
        if kwargs.get("update_fields") is not None and "department" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "customer"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:portal_employee_change", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def has_national_id(self) -> bool:
        return bool(self.national_id_encrypted)

    @property
    def national_id_masked(self) -> str:
        return NATIONAL_ID_MASK if self.has_national_id else ""

    def set_national_id(self, value: str) -> None:
        """Store a validated number encrypted, with its keyed digest; blank removes it."""
        if value:
            self.national_id_encrypted = national_id_encrypt(value)
            self.national_id_digest = national_id_digest(value)
        else:
            self.national_id_encrypted = ""
            self.national_id_digest = ""

    def reveal_national_id(self) -> str:
        """The number in clear. Only the reveal service may call this (it logs every call)."""
        return national_id_decrypt(self.national_id_encrypted) if self.has_national_id else ""

    def _department_customer_id(self) -> int:
        cached = Employee.department.is_cached(self)
        if cached and self.department.pk == self.department_id:
            return self.department.customer_id
        return Department.objects.values_list("customer_id", flat=True).get(pk=self.department_id)
