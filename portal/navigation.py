"""The sidebar: the seed's five tabs with «Helseovervåking» beside «Ansatte», then the staff-only
sections, each shown only to those whose list would show them rows."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.models import Notification

NAV = "permissions.navigation."


def _item(title, icon, url_name, permission=None, **extra):
    item = {"title": title, "icon": icon, "link": reverse_lazy(url_name), **extra}
    if permission:
        item["permission"] = NAV + permission
    return item


def _unread_badge(request) -> dict:
    count = Notification.objects.filter(recipient_id=request.user.pk).unread().count()
    return {"badge": str(count), "badge_variant": "danger"} if count else {}


def sidebar(request) -> list[dict]:
    groups = [
        {
            "title": _("Customer portal"),
            "separator": False,
            "items": [
                _item(_("Info"), "info", "admin:index", **_unread_badge(request)),
                _item(
                    _("Orders"), "shopping_cart", "admin:portal_order_changelist", "can_view_orders"
                ),
                _item(
                    _("Employees"),
                    "groups",
                    "admin:portal_employee_changelist",
                    "can_view_employees",
                ),
                _item(
                    _("Health surveillance"),
                    "health_and_safety",
                    "admin:portal_surveillancedue_changelist",
                    "can_view_employees",
                ),
                _item(_("Reports"), "bar_chart", "admin:reports", "can_view_reports"),
                _item(
                    _("Invoices"),
                    "receipt_long",
                    "admin:portal_invoice_changelist",
                    "can_view_invoices",
                ),
                _item(
                    _("Users and access"),
                    "manage_accounts",
                    "colleagues",
                    "can_manage_colleagues",
                ),
            ],
        }
    ]
    if request.user.is_staff:
        groups.append(
            {
                "title": _("Administration"),
                "separator": True,
                "items": [
                    _item(
                        _("Customers"),
                        "apartment",
                        "admin:portal_customer_changelist",
                        "can_view_customers",
                    ),
                    _item(
                        _("Companies/departments"),
                        "domain",
                        "admin:portal_department_changelist",
                        "can_view_departments",
                    ),
                    _item(
                        _("Contracts"),
                        "contract",
                        "admin:portal_contract_changelist",
                        "can_view_contracts",
                    ),
                    _item(
                        _("Product groups"),
                        "category",
                        "admin:portal_productgroup_changelist",
                        "can_view_product_groups",
                    ),
                    _item(
                        _("Exposure types"),
                        "hearing",
                        "admin:portal_exposuretype_changelist",
                        "can_view_exposure_types",
                    ),
                    _item(
                        _("Appointments"),
                        "event",
                        "admin:portal_appointment_changelist",
                        "can_view_appointments",
                    ),
                    _item(
                        _("Bookings"),
                        "event_available",
                        "admin:portal_booking_changelist",
                        "can_view_bookings",
                    ),
                    _item(
                        _("Health declarations"),
                        "medical_information",
                        "admin:health_questionnaire_changelist",
                        "can_define_questionnaires",
                    ),
                    _item(
                        _("Portal access"),
                        "key",
                        "admin:permissions_grant_changelist",
                        "can_view_grants",
                    ),
                    _item(_("Users"), "person", "admin:auth_user_changelist", "can_view_users"),
                    _item(
                        _("Groups"), "group_work", "admin:auth_group_changelist", "can_view_groups"
                    ),
                    _item(
                        _("Outgoing e-mail"),
                        "outgoing_mail",
                        "admin:background_outgoingmail_changelist",
                        "can_view_outgoing_mail",
                    ),
                    _item(
                        _("Webhooks"),
                        "webhook",
                        "admin:webhooks_webhookendpoint_changelist",
                        "can_view_webhooks",
                    ),
                    _item(
                        _("API tokens"),
                        "api",
                        "admin:api_apitoken_changelist",
                        "can_manage_api_tokens",
                    ),
                    _item(_("Audit trail"), "history", "audit_trail"),
                ],
            }
        )
    return groups
