"""The README's five lines that verify a delivery work on a real one."""

import re
from pathlib import Path

from webhooks.events import emit

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_verify():
    text = README.read_text(encoding="utf-8")
    [code] = [
        block
        for block in re.findall(r"```python\n(.*?)```", text, flags=re.S)
        if "def verify" in block
    ]
    namespace: dict = {}
    exec(code, namespace)  # the README's own example
    return namespace["verify"]


def test_the_readmes_example_verifies_a_delivery(
    cast, endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        emit("order.submitted", {"id": 1})
    verify = readme_verify()
    [request] = receiver.received
    body = request["raw"]

    assert verify(endpoint.reveal_secret(), request["headers"], body)
    assert not verify(endpoint.reveal_secret(), request["headers"], body.replace(b"1", b"2"))
