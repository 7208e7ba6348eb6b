"""SSRF: under production's rules an endpoint must be https:// on a public address, checked
when it is saved and again at each delivery, a host name by the addresses it resolves to."""

import socket

import pytest
from django.core.exceptions import ValidationError

from webhooks.addresses import endpoint_url_check
from webhooks.delivery import webhook_deliver
from webhooks.events import emit
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import webhook_endpoint_create

REFUSED = [
    "https://127.0.0.1/hooks",
    "https://127.1.2.3/hooks",
    "https://10.0.0.5/hooks",
    "https://172.16.4.4/hooks",
    "https://192.168.1.10/hooks",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/hooks",
    "https://[fe80::1]/hooks",
    "https://[fd00::1]/hooks",
    "https://[::ffff:127.0.0.1]/hooks",
    "https://0.0.0.0/hooks",
    "https://100.64.0.1/hooks",
    "https://localhost/hooks",
]


@pytest.fixture
def resolves(monkeypatch):
    """`resolves({"crm.example.no": ["10.1.2.3"]})`: what a host name resolves to."""

    real = socket.getaddrinfo

    def install(table: dict[str, list[str]]):
        def getaddrinfo(host, port, *args, **kwargs):
            if host in table:
                return [
                    (
                        socket.AF_INET6 if ":" in a else socket.AF_INET,
                        socket.SOCK_STREAM,
                        6,
                        "",
                        (a, port),
                    )
                    for a in table[host]
                ]
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    return install


@pytest.mark.parametrize("url", REFUSED)
def test_a_private_loopback_or_link_local_address_is_refused(production_rules, url):
    with pytest.raises(ValidationError) as refused:
        endpoint_url_check(url)

    assert refused.value.code == "private_address"


def test_a_host_name_that_resolves_to_a_private_address_is_refused(production_rules, resolves):
    resolves({"crm.example.no": ["93.184.216.34", "10.1.2.3"]})

    with pytest.raises(ValidationError) as refused:
        endpoint_url_check("https://crm.example.no/hooks")

    assert refused.value.code == "private_address"


def test_a_public_https_endpoint_is_accepted(production_rules, resolves):
    resolves({"crm.example.no": ["93.184.216.34", "2606:2800:220:1::1"]})

    endpoint_url_check("https://crm.example.no/hooks")


@pytest.mark.parametrize("url", ["http://crm.example.no/hooks", "ftp://crm.example.no/"])
def test_only_https_in_production(production_rules, resolves, url):
    resolves({"crm.example.no": ["93.184.216.34"]})

    with pytest.raises(ValidationError) as refused:
        endpoint_url_check(url)

    assert refused.value.code == "scheme"


def test_a_user_name_in_the_url_is_refused(production_rules, resolves):
    resolves({"crm.example.no": ["93.184.216.34"]})

    with pytest.raises(ValidationError):
        endpoint_url_check("https://user:pass@crm.example.no/hooks")


def test_development_allows_a_receiver_on_this_machine(dev_rules):
    endpoint_url_check("http://127.0.0.1:8080/hooks")
    endpoint_url_check("http://localhost:8080/hooks")


def test_the_service_refuses_to_register_a_private_endpoint(production_rules, integrator):
    with pytest.raises(ValidationError):
        webhook_endpoint_create(
            actor=integrator, name="Intern", url="https://10.0.0.5/", events=["order.submitted"]
        )


def test_a_host_that_turns_private_after_it_was_saved_is_not_called(
    production_rules, resolves, integrator, receiver
):
    """DNS rebinding: public when saved, loopback at delivery; the delivery is refused then."""
    resolves({"crm.example.no": ["93.184.216.34"]})
    webhook_endpoint_create(
        actor=integrator,
        name="CRM",
        url="https://crm.example.no/hooks",
        events=["order.submitted"],
    )
    resolves({"crm.example.no": ["127.0.0.1"]})
    [delivery] = emit("order.submitted", {"id": 1})

    webhook_deliver.call(delivery_id=delivery.pk)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert "privat" in delivery.last_error  # the refusal, in Norwegian
    assert delivery.last_status_code is None
    assert receiver.received == []
