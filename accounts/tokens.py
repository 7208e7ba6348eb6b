"""The e-mailed links' tokens (password reset, invitations): their age counted in real time."""

import datetime

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class RealTimeTokenGenerator(PasswordResetTokenGenerator):
    """Django's tokens carry seconds counted on the server's wall clock, Oslo's: on the night
    the clocks go forward a link issued at 01:50 is 90 minutes old at 03:20, and on the night
    they go back one may live for two hours. Counted in UTC, an hour is an hour.

    Links issued on the wall clock before this counted in UTC look up to two hours younger:
    they live that much longer, once."""

    def _now(self):
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


password_reset_tokens = RealTimeTokenGenerator()
