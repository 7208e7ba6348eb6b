from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock-out check, for sign-ins over HTTP.

    `authenticate()` without a request comes from code, not from a visitor (the test client's
    `login()`, a shell): there is no address to count and nobody to lock out, so it passes
    through to the next backend instead of failing as axes' own backend does."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
