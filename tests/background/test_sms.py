"""SMS: the file backend writes a readable file per message, the HTTP adapter posts the
provider's JSON (checked against a fake provider on 127.0.0.1) and a refusal is a failure the
task records; the workers run the periodic work (the reminders) on their own clock."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import override_settings
from django_tasks.base import TaskResultStatus

from background import sms
from background.sms import FileBackend, HttpBackend, SmsMessage, SmsSendError, sms_send
from background.worker import periodic_run


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def provider():
    """A fake SMS provider: answers `provider.status` and keeps what it was sent."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            server.received.append(
                {
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": json.loads(self.rfile.read(length)),
                }
            )
            self.send_response(server.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"id": "1"}')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    server.received = []  # type: ignore[attr-defined]
    server.status = 200  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with override_settings(
        SMS_BACKEND="background.sms.HttpBackend",
        SMS_HTTP_URL=f"http://127.0.0.1:{server.server_port}/v1/sms",
        SMS_HTTP_TOKEN="hemmelig-token",
        SMS_SENDER="Avonova",
    ):
        yield server
    server.shutdown()
    server.server_close()


def test_the_http_adapter_posts_the_providers_json_with_the_token(provider):
    HttpBackend().send(SmsMessage(to="41234567", text="Påminnelse: timen din i morgen kl. 08:00"))

    [request] = provider.received
    assert request["path"] == "/v1/sms"
    assert request["headers"]["Authorization"] == "Bearer hemmelig-token"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["body"] == {
        "from": "Avonova",
        "to": "+4741234567",
        "text": "Påminnelse: timen din i morgen kl. 08:00",
    }


def test_a_number_abroad_is_posted_as_stored(provider):
    HttpBackend().send(SmsMessage(to="+46701234567", text="x"))
    assert provider.received[0]["body"]["to"] == "+46701234567"


def test_http_500_is_a_failure(provider):
    provider.status = 500
    with pytest.raises(SmsSendError, match="HTTP 500"):
        HttpBackend().send(SmsMessage(to="41234567", text="x"))


def test_the_task_records_the_failure_after_its_last_try(provider):
    provider.status = 500
    with override_settings(SMS_MAX_ATTEMPTS=1):
        result = sms_send.enqueue(to="41234567", text="x")

    assert result.status == TaskResultStatus.FAILED
    assert len(provider.received) == 1


@pytest.mark.django_db
def test_the_task_tries_again_while_the_provider_refuses(
    provider, django_capture_on_commit_callbacks
):
    provider.status = 500
    with (
        override_settings(SMS_MAX_ATTEMPTS=3),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sms_send.enqueue(to="41234567", text="x")

    # the tests' immediate backend runs the next try at once: three tries, then it gives up
    assert len(provider.received) == 3


def test_an_unreachable_provider_is_a_failure():
    with (
        override_settings(SMS_HTTP_URL="http://127.0.0.1:9/sms", SMS_HTTP_TIMEOUT=2),
        pytest.raises(SmsSendError),
    ):
        HttpBackend().send(SmsMessage(to="41234567", text="x"))


def test_the_file_backend_writes_one_readable_file_per_message(tmp_path):
    with override_settings(SMS_BACKEND="background.sms.FileBackend", SMS_FILE_PATH=tmp_path):
        assert sms_send.call(to="41234567", text="Påminnelse: i morgen kl. 08:00") == "sent"
        FileBackend().send(SmsMessage(to="41234568", text="Andre melding"))

    files = sorted(tmp_path.iterdir())
    assert len(files) == 2
    texts = [f.read_text(encoding="utf-8") for f in files]
    first = next(t for t in texts if "41234567" in t)
    assert first.startswith("To: +4741234567\nDate: ")
    assert first.endswith("\n\nPåminnelse: i morgen kl. 08:00\n")


def test_the_tests_keep_the_messages_in_memory():
    sms_send.call(to="41234567", text="x")
    assert sms.outbox == [SmsMessage(to="41234567", text="x")]


# -- the workers' periodic work -----------------------------------------------------------------

ticks: list[int] = []
stop = threading.Event()


def tick():
    ticks.append(1)
    stop.set()


def test_a_worker_runs_the_periodic_work_on_its_clock():
    ticks.clear()
    stop.clear()
    with override_settings(TASKS_PERIODIC={"tests.background.test_sms.tick": 3600}):
        thread = threading.Thread(target=periodic_run, args=(stop,))
        thread.start()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert ticks == [1]


def test_no_periodic_work_when_its_interval_is_zero():
    ticks.clear()
    with override_settings(TASKS_PERIODIC={"tests.background.test_sms.tick": 0}):
        periodic_run(threading.Event())  # returns at once
    assert ticks == []
