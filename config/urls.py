from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path


def favicon(request):
    return redirect(static("portal/favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("api.urls")),
    path("", include("permissions.urls")),
    path("", include("accounts.urls")),
    path("", include("audit.urls")),
    path("", include("health.urls")),
    path("", include("portal.urls")),
    path("", admin.site.urls),
]

# Norwegian error pages in the portal's look, showing no data (accounts.views.errors).
handler400 = "accounts.views.errors.bad_request"
handler403 = "accounts.views.errors.permission_denied"
handler404 = "accounts.views.errors.page_not_found"
handler500 = "accounts.views.errors.server_error"
