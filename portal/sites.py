from urllib.parse import urlparse

from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.urls import path, reverse_lazy
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from unfold.sites import UnfoldAdminSite

from background.views import job_download, job_page, job_status
from permissions.scoping import has_any_access
from permissions.views import view_on_site
from portal.views.notifications import notification_open, notification_read_all
from portal.views.reports import ReportsView


class PortalAutocompleteView(AutocompleteJsonView):
    """The admin's autocomplete, labelled by the target admin's `autocomplete_label` if any,
    each choice with what its `autocomplete_data` adds (for the page's script)."""

    def serialize_result(self, obj, to_field_name):
        label = getattr(self.model_admin, "autocomplete_label", str)
        data = getattr(self.model_admin, "autocomplete_data", None)
        extra = data(obj) if data is not None else {}
        return {**extra, "id": str(getattr(obj, to_field_name)), "text": label(obj)}


class PortalAdminSite(UnfoldAdminSite):
    """The admin is the site: staff and customer users log in to the same place."""

    site_title = _("Customer portal")
    site_header = _("Avonova Customer portal")
    index_title = _("Info")

    def has_permission(self, request):
        return has_any_access(request.user)

    def get_app_list(self, request, app_label=None):
        """Django's list of apps and their models, worked out only where a page shows it.

        Every admin page's context carries it (`available_apps`) for the admin's own sidebar,
        which the portal's navigation (`portal.navigation`) replaces: building it asks each
        model admin for each permission, a sixth of the time a list page takes, for nothing."""
        build = super().get_app_list
        return SimpleLazyObject(lambda: build(request, app_label))

    def autocomplete_view(self, request):
        return PortalAutocompleteView.as_view(admin_site=self)(request)

    def get_sidebar_list(self, request):
        """The sidebar with one tab highlighted.

        Unfold (0.91) marks every link whose address occurs in the page's and also each link
        that shares a TABS group with an active one, so staff on the order list saw both
        «Bestilling» and «Timeavtaler» highlighted. Here the one link whose own address is the
        longest start of the page's stays highlighted (Info only on Info itself); where no link
        is, the page belongs to a tab (a customer on an appointment: «Bestilling») and the
        first link Unfold marked stays."""
        groups = super().get_sidebar_list(request)
        items = [item for group in groups for item in group["items"] if item["has_permission"]]
        index = str(reverse_lazy(f"{self.name}:index"))

        def own_path(item) -> str:
            path = urlparse(str(item.get("link_callback") or item["link"])).path
            if path == request.path or (path and path != index and request.path.startswith(path)):
                return path
            return ""

        owner = max(items, key=lambda item: len(own_path(item)), default=None)
        if owner is None or not own_path(owner):
            owner = next((item for item in items if item["active"]), None)
        for group in groups:
            for item in group["items"]:
                item["active"] = item is owner
        return groups

    def get_urls(self):
        """The admin's URLs, with its "view on site" shortcut scoped like every other page."""
        scoped = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(view_on_site),
            {"admin_site": self},
            name="view_on_site",
        )
        return [
            scoped if getattr(url, "name", None) == "view_on_site" else url
            for url in super().get_urls()
        ]

    def extra_urls(self):
        return [
            path("rapporter/", self.admin_view(ReportsView.as_view()), name="reports"),
            path("jobber/<int:pk>/", self.admin_view(job_page), name="job"),
            path("jobber/<int:pk>/status/", self.admin_view(job_status), name="job_status"),
            path("jobber/<int:pk>/fil/", self.admin_view(job_download), name="job_download"),
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
