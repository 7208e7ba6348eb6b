"""Requests per token: one system cannot crowd out the others."""

from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None  # the schema and the docs: nothing to count
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
