"""Two people with the same page open: each a browser (a client of their own)."""

from django.contrib.auth import get_user_model
from django.test import Client

from tests.permissions.helpers import form_data


def browser(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def opened(client: Client, url: str) -> dict:
    """The form at `url` as its browser would post it unchanged."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_data(response)


def errors_of(response) -> dict:
    form = response.context["adminform"].form
    return {name: " ".join(texts) for name, texts in form.errors.items()}
