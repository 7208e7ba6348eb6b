from django.urls import path

from .views import InvitationAcceptView

urlpatterns = [
    path(
        "invitasjon/<uidb64>/<token>/",
        InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
