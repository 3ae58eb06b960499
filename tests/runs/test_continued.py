"""The record of continued runs is bounded: the oldest ids go first, and a re-added id is fresh."""

import pytest

from agentnb.runs.continued import ContinuedRuns


def test_the_oldest_run_ids_are_forgotten_past_the_limit() -> None:
    runs = ContinuedRuns(limit=3)
    for run_id in ("a", "b", "c", "d"):
        runs.add(run_id)
    assert len(runs) == 3
    assert "a" not in runs
    assert all(run_id in runs for run_id in ("b", "c", "d"))


def test_adding_a_run_again_makes_it_the_newest() -> None:
    runs = ContinuedRuns(limit=2)
    runs.add("a")
    runs.add("b")
    runs.add("a")
    runs.add("c")
    assert "a" in runs and "c" in runs and "b" not in runs


def test_discard_forgets_one_run_and_ignores_unknown_ones() -> None:
    runs = ContinuedRuns()
    runs.add("a")
    runs.discard("a")
    runs.discard("never-added")
    assert "a" not in runs and len(runs) == 0


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ContinuedRuns(limit=0)
