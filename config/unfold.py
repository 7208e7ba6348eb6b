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
    "SCRIPTS": [lambda request: static("portal/portal.js")],
    "COLORS": {
        # The provider's green (Avonova). 600 is what Unfold (0.91) writes text and links in on
        # white and fills buttons with under white text: at oklch 51 % it reads 5.3:1 against
        # white and 5.1:1 against the grey panels (WCAG 2.1 AA asks 4.5:1; Tailwind's emerald-600
        # of before read 3.7:1). 700-900 (hover, labels on 100) stay darker than 600.
        "primary": {
            "50": "oklch(97.9% .021 166.113)",
            "100": "oklch(95% .052 163.051)",
            "200": "oklch(90.5% .093 164.15)",
            "300": "oklch(84.5% .143 164.978)",
            "400": "oklch(76.5% .177 163.223)",
            "500": "oklch(69.6% .17 162.48)",
            "600": "oklch(51% .12 165)",
            "700": "oklch(45% .104 166.5)",
            "800": "oklch(39% .087 167.5)",
            "900": "oklch(34% .072 169)",
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
