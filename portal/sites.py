from django.urls import path
from django.utils.translation import gettext_lazy as _
from unfold.sites import UnfoldAdminSite

from permissions.scoping import has_any_access


class PortalAdminSite(UnfoldAdminSite):
    """The admin is the site: staff and customer users log in to the same place."""

    site_title = _("Customer portal")
    site_header = _("Avonova Customer portal")
    index_title = _("Info")

    def has_permission(self, request):
        return has_any_access(request.user)

    def extra_urls(self):
        from portal.views.notifications import notification_open, notification_read_all
        from portal.views.reports import ReportsView

        return [
            path("rapporter/", self.admin_view(ReportsView.as_view()), name="reports"),
            path(
                "varsler/<int:pk>/",
                self.admin_view(notification_open),
                name="notification_open",
            ),
            path(
                "varsler/les-alle/",
                self.admin_view(notification_read_all),
                name="notification_read_all",
            ),
        ]
