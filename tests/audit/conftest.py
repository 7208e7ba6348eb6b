"""The audit page's tests write every kind of event, sign-in ones included: they use the
security tests' demo users and second factor."""

from tests.security.conftest import give_second_factor, users

__all__ = ["give_second_factor", "users"]
