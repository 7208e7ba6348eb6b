"""Which scope each endpoint needs. Which rows a token reaches is `permissions/`'s answer for
its service user, as for a person."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import ApiToken


class HasScope(permissions.BasePermission):
    """The view's `read_scope` for safe methods, its `write_scope` for the rest."""

    message = _("The token lacks the scope this request needs.")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        safe = request.method in permissions.SAFE_METHODS
        needed = view.read_scope if safe else getattr(view, "write_scope", None)
        if needed is None:
            return False
        if not token.has_scope(needed):
            self.message = _("The token lacks the scope %(scope)s.") % {"scope": needed}
            return False
        return True
