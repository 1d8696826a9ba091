import gc

from drafting.compare import compare_texts
from drafting.compare.collector import cyclic_gc_paused


def test_a_comparison_leaves_the_collector_on():
    assert gc.isenabled()
    compare_texts("1. We agree.\n\n2. We act.", "1. We agree fully.\n\n2. We act.")
    assert gc.isenabled()


def test_a_collector_switched_off_by_someone_else_stays_off():
    gc.disable()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_comes_back_after_an_error():
    try:
        with cyclic_gc_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_comparison_leaves_no_reference_cycles_behind():
    # Earlier tests' apps can take several passes to free: finalisers release more cycles.
    for _ in range(10):
        if gc.collect() == 0:
            break
    compare_texts("1. We agree.\n\n2. We act.\n\n3. We meet.", "1. We act.\n\n2. We agree now.")
    assert gc.collect() == 0
