import re

from django.views.debug import SafeExceptionReporterFilter

# Form fields whose values never go into an error report or the debug page.
SENSITIVE_FIELDS = re.compile(r"password|national_id|token|otp|secret|code|key", re.IGNORECASE)


class PortalExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, and every password, one-time code and national id number of a POST
    masked too, whether or not its view was decorated with @sensitive_post_parameters."""

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if request is None or not parameters:
            return parameters
        cleansed = parameters.copy()
        for name in cleansed:
            if SENSITIVE_FIELDS.search(name):
                cleansed[name] = self.cleansed_substitute
        return cleansed
