from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .invitations import invitation_tokens


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """Set a password from an invitation link (valid 7 days, used once)."""

    token_generator = invitation_tokens
    template_name = "permissions/invitation_accept.html"
    success_url = reverse_lazy("admin:login")
    post_reset_login = False
    reset_url_token = "sett-passord"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **admin.site.each_context(self.request),
            "title": _("Choose your password"),
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. You can log in now."))
        return response


def view_on_site(request, content_type_id, object_id, *, admin_site):
    """The admin's "view on site" shortcut (`/r/<content type>/<id>/`), scoped.

    Django's own shortcut redirects to any row's page, so a 302 against a 404 told a customer
    whether another customer's row exists. Here a row is fetched through its admin's scoped
    queryset and view permission (`permissions.scoping` underneath): a row the user may not
    see, a model the admin does not show and an id nobody has all answer the same 404."""
    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
    except (ContentType.DoesNotExist, ValueError):
        raise Http404 from None
    model_admin = admin_site._registry.get(model)
    if model_admin is None or not hasattr(model, "get_absolute_url"):
        raise Http404
    obj = model_admin.get_object(request, object_id)
    if obj is None or not model_admin.has_view_permission(request, obj):
        raise Http404
    return redirect(obj.get_absolute_url())
