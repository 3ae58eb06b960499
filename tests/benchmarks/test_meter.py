"""The CPU meter behind the widget benchmark's rows counts what it wraps, once, and puts it back."""

from __future__ import annotations

import types

from benchmarks._meter import CpuMeter, meter_overhead_ns


class Busy:
    def outer(self, depth: int) -> int:
        return self.inner(depth) + 1

    def inner(self, depth: int) -> int:
        return sum(range(depth))


class Child(Busy):
    pass


def test_nested_calls_count_once_and_the_work_shows() -> None:
    meter = CpuMeter()
    with meter.patched([(Busy, "outer"), (Busy, "inner")]):
        assert Busy().outer(200_000) == sum(range(200_000)) + 1
        assert meter.calls == 1  # inner ran inside outer: one outermost call
        Busy().inner(10)
        assert meter.calls == 2
    assert meter.raw_ns > 0
    assert meter.cpu_ns(overhead_ns_per_call=meter.raw_ns) == 0.0  # never negative


def test_patching_restores_own_and_inherited_attributes() -> None:
    own, inherited = Busy.__dict__["outer"], Busy.inner
    module = types.SimpleNamespace(helper=lambda: 3)
    helper = module.helper
    meter = CpuMeter()
    with meter.patched([(Busy, "outer"), (Child, "inner"), (module, "helper")]):
        assert Busy.__dict__["outer"] is not own and "inner" in Child.__dict__
        assert module.helper() == 3 and meter.calls == 1
    assert Busy.__dict__["outer"] is own
    assert "inner" not in Child.__dict__ and Child.inner is inherited
    assert module.helper is helper


def test_overhead_is_what_a_no_op_costs() -> None:
    assert meter_overhead_ns(calls=2_000, repeats=3) > 0
