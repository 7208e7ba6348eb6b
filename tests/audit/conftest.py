"""The audit page's tests write every kind of event, sign-in ones included: they use the
security tests' second factor (and the cast's demo users)."""

from tests.security.conftest import give_second_factor

__all__ = ["give_second_factor"]
