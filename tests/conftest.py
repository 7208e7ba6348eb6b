import pytest

from portal.demo import demo_load


@pytest.fixture
def demo(db):
    """The demo world of the seed documents."""
    demo_load()


@pytest.fixture
def login(client):
    """Log the test client in as a user: `login(user)` or `login("testweb")`."""
    from django.contrib.auth import get_user_model

    def _login(user):
        if isinstance(user, str):
            user = get_user_model().objects.get(username=user)
        client.force_login(user)
        return client

    return _login
