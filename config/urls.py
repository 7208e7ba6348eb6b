from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path


def favicon(request):
    return redirect(static("portal/favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("permissions.urls")),
    path("", admin.site.urls),
]
