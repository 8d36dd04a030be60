"""Admission counts every query until it ends: one client's second query ending leaves its
first still counted, towards the client's share and the total."""

from contextlib import ExitStack

import pytest

from mc2cm_graph.serve.admission import Admission
from mc2cm_graph.serve.errors import HttpError


def test_a_query_still_running_counts_after_its_sibling_ends():
    admission = Admission(total=2, per_client=2, retry_after=1)
    with ExitStack() as running:
        running.enter_context(admission.admit("a"))
        with admission.admit("a"):
            pass  # a's second query ends; its first still runs
        running.enter_context(admission.admit("b"))
        with pytest.raises(HttpError) as caught, admission.admit("c"):
            pass
    assert caught.value.status == 503
    assert "all 2 places for expensive queries are taken" in str(caught.value)
    with admission.admit("c"):  # all ended: a place again
        pass


def test_a_client_past_its_share_is_refused_and_others_are_not():
    admission = Admission(total=3, per_client=1, retry_after=2)
    with admission.admit("a"):
        with pytest.raises(HttpError) as caught, admission.admit("a"):
            pass
        assert caught.value.status == 503
        assert "you already run 1 expensive queries" in str(caught.value)
        with admission.admit("b"):
            pass


@pytest.mark.parametrize(("retry_after", "header"), [(0.2, "1"), (2.6, "3")])
def test_a_refusal_says_when_to_retry_in_whole_seconds(retry_after, header):
    admission = Admission(total=1, per_client=1, retry_after=retry_after)
    with admission.admit("a"), pytest.raises(HttpError) as caught, admission.admit("b"):
        pass
    assert caught.value.headers == {"Retry-After": header}


def test_the_light_lane_waits_its_time_then_refuses():
    """A client's second query waits up to ``wait`` seconds for its first, then 503."""
    import threading
    import time

    admission = Admission(total=4, per_client=1, retry_after=1, wait=0.3)
    outcome = []

    def second():
        started = time.monotonic()
        try:
            with admission.admit("a"):
                outcome.append("admitted")
        except HttpError as err:
            outcome.append((err.status, time.monotonic() - started))

    with admission.admit("a"):
        waiting = threading.Thread(target=second, daemon=True)
        waiting.start()
        waiting.join(5)
        assert outcome and outcome[0][0] == 503, outcome
        assert 0.25 <= outcome[0][1] < 3, outcome
