"""A receiver on 127.0.0.1 that checks the signature of every delivery it gets, the staff
user who manages webhooks, and an endpoint of the receiver's."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.contrib.auth.models import Permission
from django.test import override_settings

from tests.factories import StaffFactory
from webhooks.models import Event
from webhooks.services import webhook_endpoint_create
from webhooks.signing import signature_verify


class Receiver(HTTPServer):
    """Answers each POST with the next of `statuses` (200 when they run out) and keeps what
    it got: headers, body, whether the signature checked out, and the status it answered."""

    secret = ""
    statuses: list[int]
    received: list[dict]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/hooks/crm"

    def taken(self) -> list[dict]:
        """What the receiver took (answered 2xx)."""
        return [r for r in self.received if 200 <= r["status"] < 300]


@pytest.fixture
def receiver():
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            body = raw.decode()
            headers = {name.lower(): value for name, value in self.headers.items()}
            status = server.statuses.pop(0) if server.statuses else 200
            server.received.append(
                {
                    "path": self.path,
                    "headers": headers,
                    "body": json.loads(body),
                    "raw": raw,
                    "verified": signature_verify(secret=server.secret, headers=headers, body=body),
                    "status": status,
                }
            )
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = Receiver(("127.0.0.1", 0), Handler)
    server.statuses, server.received = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


WEBHOOK_PERMISSIONS = (
    "view_webhookendpoint",
    "add_webhookendpoint",
    "change_webhookendpoint",
    "delete_webhookendpoint",
    "view_webhookdelivery",
    "change_webhookdelivery",
)


@pytest.fixture
def integrator(db):
    """Staff who manage the webhooks (the permissions given to the user alone)."""
    user = StaffFactory(username="integrasjon", email="integrasjon@example.no")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="webhooks", codename__in=WEBHOOK_PERMISSIONS
        )
    )
    return user


@pytest.fixture
def dev_rules():
    """The rules of development and tests: http:// and 127.0.0.1 allowed."""
    with override_settings(WEBHOOKS_ALLOW_HTTP=True, WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=True):
        yield


@pytest.fixture
def production_rules():
    with override_settings(WEBHOOKS_ALLOW_HTTP=False, WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=False):
        yield


@pytest.fixture
def endpoint(receiver, integrator, dev_rules):
    """An enabled endpoint of the receiver's, for every event."""
    made = webhook_endpoint_create(
        actor=integrator, name="CRM", url=receiver.url, events=list(Event.values)
    )
    receiver.secret = made.reveal_secret()
    return made
