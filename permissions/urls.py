from django.contrib import admin
from django.urls import path

from . import colleague_views
from .views import InvitationAcceptView

urlpatterns = [
    path(
        "invitasjon/<uidb64>/<token>/",
        InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    # «Brukere og tilganger», behind the admin's login.
    path("tilganger/", admin.site.admin_view(colleague_views.colleagues), name="colleagues"),
    path(
        "tilganger/inviter/",
        admin.site.admin_view(colleague_views.colleague_invite),
        name="colleague_invite",
    ),
    path(
        "tilganger/<int:pk>/endre/",
        admin.site.admin_view(colleague_views.colleague_change),
        name="colleague_change",
    ),
    path(
        "tilganger/<int:pk>/fjern/",
        admin.site.admin_view(colleague_views.colleague_revoke),
        name="colleague_revoke",
    ),
]
