from typing import Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.validators import validate_org_number, validate_postal_code

from .versions import version_field


class Customer(models.Model):
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        unique=True,
        validators=[validate_org_number],
    )
    customer_number = models.CharField(_("customer number"), max_length=20, unique=True)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager (KA/KAM)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_customers",
        # Staff, but not the service user of a staff API token (`api.ApiToken.user`).
        limit_choices_to={"is_staff": True, "api_token__isnull": True},
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = version_field()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        # Staff's lists sorted by customer walk the customers by name instead of sorting every
        # row of the list.
        indexes = [models.Index(fields=["name"], name="customer_name_idx")]

    def __str__(self):
        return self.name


class DepartmentQuerySet(models.QuerySet):
    def managed_by(self, user) -> Self:
        """The departments of the customers whose KA/KAM `user` is: their own customers."""
        return self.filter(customer__account_manager=user)


class Department(models.Model):
    """A company or department of a customer: the unit of access for customer users."""

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    name = models.CharField(_("name"), max_length=200)
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        blank=True,
        validators=[validate_org_number],
    )
    # Where its invoices go: printed under the payer's name on the invoice. Empty by default in
    # the database too: the world generator's COPY and the imports' own INSERTs do not name them.
    postal_address = models.CharField(
        _("postal address"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("Street address or PO box."),
    )
    postal_code = models.CharField(
        _("postal code"),
        max_length=4,
        blank=True,
        default="",
        db_default="",
        validators=[validate_postal_code],
    )
    city = models.CharField(_("city"), max_length=100, blank=True, default="", db_default="")
    version = version_field()

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("company/department")
        verbose_name_plural = _("companies/departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "name"], name="department_name_unique_per_customer"
            ),
        ]
        # Staff's lists sorted by company/department (employer, payer, department).
        indexes = [models.Index(fields=["name"], name="department_name_idx")]
        # Capabilities a customer user holds on a department (guardian object permissions).
        default_permissions = ("add", "change", "delete", "view")
        permissions = [
            ("view_orders", _("View orders")),
            ("place_orders", _("Place orders")),
            ("confirm_orders", _("Confirm orders")),
            ("view_employees", _("View employees")),
            ("manage_employees", _("Manage employees")),
            ("book_employees", _("Book employees")),
            ("view_invoices", _("View invoices")),
            ("manage_access", _("Manage colleagues' access")),
        ]

    def __str__(self):
        return self.name

    @property
    def address_lines(self) -> list[str]:
        """The postal address as it is written on an envelope: street or PO box, then postal
        code and city; what is not given is left out (nothing when none of it is)."""
        place = " ".join(part for part in (self.postal_code, self.city) if part)
        return [line for line in (self.postal_address, place) if line]


class ContractQuerySet(models.QuerySet):
    def valid_on(self, day) -> Self:
        """The contracts an order may be placed under on `day`."""
        return self.filter(valid_from__lte=day).exclude(valid_to__lt=day)


class Contract(models.Model):
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    name = models.CharField(_("name"), max_length=200)
    default_customer_reference = models.CharField(
        _("default customer reference"), max_length=100, blank=True
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    allows_sms = models.BooleanField(
        _("SMS reminders"),
        default=False,
        db_default=False,  # rows written without the ORM (the world generator's COPY) too
        help_text=_(
            "The agreement allows reminders by SMS to the booked employees (time and place only)."
        ),
    )
    version = version_field()

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="contract_valid_to_not_before_valid_from",
            ),
        ]

    def __str__(self):
        return self.name


class ProductGroup(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    is_health_check = models.BooleanField(
        _("health check"),
        default=False,
        help_text=_("Orders in this group are health checks (helsekontroller)."),
    )
    version = version_field()

    class Meta:
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        ordering = ["name"]

    def __str__(self):
        return self.name
