"""The OpenAPI document: the token as a bearer scheme, and every refusal an endpoint may give
as a problem detail, so that a client (and Schemathesis) can hold each answer to the schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .problems import KINDS, PROBLEM_CONTENT_TYPE


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    # RFC 9457's extension member for invalid input; the field is popped off the class by
    # DRF's metaclass, so it does not hide `Serializer.errors`.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Invalid input: the messages for each field.",
    )


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token issued by staff («API-nøkler» in the admin).",
        }


class ProblemAutoSchema(AutoSchema):
    def get_override_parameters(self):
        """A row's id is a whole number (the routes' own pattern hides that from the
        introspection)."""
        parameters = list(super().get_override_parameters())
        if "{id}" in self.path:
            parameters.append(
                OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, required=True)
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "406", "429"]
        if "{" in self.path:
            codes.append("404")
        if self.method in ("PUT", "PATCH"):
            codes += ["412", "428"]
        # An action's own refusals (`ApiViewSetMixin.action_problems`): a workflow step's 409,
        # If-Match's 412 and 428.
        action_problems = getattr(self.view, "action_problems", {})
        codes += [str(code) for code in action_problems.get(getattr(self.view, "action", ""), ())]
        for code in codes:
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(ProblemSerializer, description=str(KINDS[int(code)][1])),
                    code,
                    media_types=[PROBLEM_CONTENT_TYPE],
                    direction=direction,
                ),
            )
        return responses
