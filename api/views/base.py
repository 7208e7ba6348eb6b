"""What every endpoint shares: the language of its messages, the ETag of a row."""

from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from rest_framework import viewsets
from rest_framework.response import Response

from ..problems import NOT_FOUND_DETAIL, PROBLEM_CONTENT_TYPE, problem_body
from ..versions import etag_of


class ApiViewSetMixin:
    # Messages in Norwegian by default, in English when Accept-Language asks for it (the
    # site's own pages follow the language cookie; a system has none).

    read_scope: str | None = None
    write_scope: str | None = None
    #: The refusals an action may answer besides every endpoint's (the schema lists them).
    action_problems: dict[str, tuple[int, ...]] = {}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view
            return self.queryset
        return self.rows(self.request.user)

    def rows(self, user):
        """The rows `user` (the token's service user) may read here."""
        raise NotImplementedError

    def initial(self, request, *args, **kwargs):
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        response["Cache-Control"] = "no-store"
        patch_vary_headers(response, ("Accept-Language", "Authorization"))
        return response

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        if hasattr(instance, "version"):
            response["ETag"] = etag_of(instance)
        return response


class ReadOnlyViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    # Ids are whole numbers the database can hold (18 digits); any other path under /api/ is
    # answered by `not_found`.
    lookup_value_regex = "[0-9]{1,18}"


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other path under /api/, for any method: a problem detail, not the admin's login
    page (the site's catch-all) nor a CSRF refusal."""
    translation.activate(translation.get_language_from_request(request))
    response = JsonResponse(
        problem_body(404, NOT_FOUND_DETAIL), status=404, content_type=PROBLEM_CONTENT_TYPE
    )
    response["Content-Language"] = translation.get_language()
    return response
