from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The Django admin, with the portal's site as the default `admin.site`."""

    default_site = "portal.sites.PortalAdminSite"
