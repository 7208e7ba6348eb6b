"""The Unfold theme: the provider's name and colours, and the seed's five tabs."""

from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

UNFOLD = {
    "SITE_TITLE": _("Customer portal"),
    "SITE_HEADER": _("Avonova Customer portal"),
    "SITE_SUBHEADER": _("Occupational health service"),
    "SITE_URL": None,
    "SITE_SYMBOL": "health_and_safety",
    "SITE_FAVICONS": [
        {
            "rel": "icon",
            "type": "image/svg+xml",
            "href": lambda request: static("portal/favicon.svg"),
        }
    ],
    "SHOW_HISTORY": False,  # the audit trail and order history show what happened
    "SHOW_VIEW_ON_SITE": False,
    "SHOW_LANGUAGES": True,
    "SHOW_BACK_BUTTON": True,
    "BORDER_RADIUS": "6px",
    "LOGIN": {"form": "portal.forms.PortalAuthenticationForm"},
    # The user menu: change password, two-factor sign-in (accounts.navigation).
    "ACCOUNT": {"navigation": "accounts.navigation.account_links"},
    "DASHBOARD_CALLBACK": "portal.dashboard.dashboard_callback",
    "STYLES": [lambda request: static("portal/portal.css")],
    "COLORS": {
        # The provider's green.
        "primary": {
            "50": "oklch(97.9% .021 166.113)",
            "100": "oklch(95% .052 163.051)",
            "200": "oklch(90.5% .093 164.15)",
            "300": "oklch(84.5% .143 164.978)",
            "400": "oklch(76.5% .177 163.223)",
            "500": "oklch(69.6% .17 162.48)",
            "600": "oklch(59.6% .145 163.225)",
            "700": "oklch(50.8% .118 165.612)",
            "800": "oklch(43.2% .095 166.913)",
            "900": "oklch(37.8% .077 168.94)",
            "950": "oklch(26.2% .051 172.552)",
        },
    },
    # Under the "Bestilling" tab: the orders, and the appointments of those orders.
    "TABS": [
        {
            "models": ["portal.order", "portal.appointment"],
            "items": [
                {
                    "title": _("Orders"),
                    "link": reverse_lazy("admin:portal_order_changelist"),
                    "permission": "permissions.navigation.can_view_orders",
                },
                {
                    "title": _("Appointments"),
                    "link": reverse_lazy("admin:portal_appointment_changelist"),
                    "permission": "permissions.navigation.can_view_orders",
                },
            ],
        }
    ],
    "SIDEBAR": {
        "show_search": False,
        "command_search": False,
        "show_all_applications": False,
        "navigation": "portal.navigation.sidebar",
    },
}
