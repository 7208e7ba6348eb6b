"""The links of the user menu (Unfold's ACCOUNT navigation, bottom of the sidebar)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def account_links(request) -> list[dict]:
    if not request.user.is_authenticated:
        return []
    links = []
    if request.user.has_usable_password():
        links.append({"title": _("Change password"), "link": reverse("admin:password_change")})
    links.append({"title": _("Two-factor sign-in"), "link": reverse("two_factor")})
    return links
