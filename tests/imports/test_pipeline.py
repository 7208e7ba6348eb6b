"""The pipeline pauses Python's cycle collector while a file is planned or written, and leaves
it as it found it, also when the plan or the write fails."""

import gc
import threading

import pytest

from imports import employees
from imports.pipeline import Importer, collections_paused, import_preview, import_write
from tests.imports.conftest import many_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    yield
    gc.enable()


class Seen:
    ok = True
    rows = 1
    lines = None

    def fingerprint(self) -> str:
        return "seen"


class Watching(Importer):
    """An importer that notes whether the collector ran while it planned and wrote."""

    kind = "employees"

    def __init__(self, *, fail_in: str = ""):
        self.fail_in = fail_in
        self.collector_on: dict[str, bool] = {}

    def plan(self, content, *, progress=None, rows=0, lines=None):
        self.collector_on["plan"] = gc.isenabled()
        if self.fail_in == "plan":
            raise ValueError("plan")
        return Seen()

    def write(self, plan, *, progress=None):
        self.collector_on["write"] = gc.isenabled()
        if self.fail_in == "write":
            raise ValueError("write")


def test_the_preview_plans_with_the_collector_paused(cast):
    importer = Watching()
    _plan, token = import_preview(
        importer=importer,
        user=cast.testweb,
        customer=cast.testbedriften,
        file_name="ansatte.csv",
        content=b"x",
    )

    assert token
    assert importer.collector_on == {"plan": False}
    assert gc.isenabled()


def test_the_confirm_plans_and_writes_with_the_collector_paused():
    importer = Watching()
    import_write(importer=importer, content=b"x")

    assert importer.collector_on == {"plan": False, "write": False}
    assert gc.isenabled()


@pytest.mark.parametrize("fail_in", ["plan", "write"])
def test_the_collector_runs_again_when_the_confirm_fails(fail_in):
    with pytest.raises(ValueError, match=fail_in):
        import_write(importer=Watching(fail_in=fail_in), content=b"x")

    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off_and_nested_blocks_keep_it_paused():
    with collections_paused():
        with collections_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()

    gc.disable()
    with collections_paused():
        pass
    assert not gc.isenabled()


def test_two_threads_overlapping_leave_it_paused_until_the_last_ends():
    """A threaded server may run two imports at once: the first to end does not start the
    collector under the other, and the last to end starts it again."""
    first_in, first_out, second_in = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with collections_paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second():
        first_in.wait(5)
        with collections_paused():
            second_in.set()
            first_out.wait(5)
            seen["after the first ended"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert seen == {"after the first ended": False}
    assert gc.isenabled()


def test_the_employee_preview_plans_with_the_collector_paused(cast, monkeypatch):
    seen = []
    plan = employees._Planner.plan

    def watched(self, content, **kwargs):
        seen.append(gc.isenabled())
        return plan(self, content, **kwargs)

    monkeypatch.setattr(employees._Planner, "plan", watched)
    result = employees.employee_import_preview(
        actor=cast.testweb,
        customer=cast.testbedriften,
        content=many_rows(3),
    )

    assert result.rows == 3
    assert seen == [False]
    assert gc.isenabled()
