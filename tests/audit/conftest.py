"""The audit page's tests write every kind of event, sign-in ones included: they use the
sign-in tests' second factor (tests/accounts) and the cast's demo users."""

from tests.accounts.conftest import give_second_factor

__all__ = ["give_second_factor"]
