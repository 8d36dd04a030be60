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
