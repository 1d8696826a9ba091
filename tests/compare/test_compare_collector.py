import gc

from drafting.compare import compare_texts
from drafting.compare.collector import cyclic_gc_paused
from drafting.compare.html import render_comparison_page


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


def test_rendering_a_fresh_comparison_sets_off_no_collection():
    # An alignment leaves more new objects than a collection is due for (its entries); the
    # page must not set that collection off, or it would scan all of them while rendering.
    old = "\n\n".join(f"{n}. Paragraph {n} on topic {n * 7 % 13}." for n in range(1, 600))
    new = old.replace("Paragraph 5 ", "Paragraph five ").replace("\n\n9. Paragraph 9", "")
    started: list[int] = []
    rendering = [False]

    def note(phase: str, info: dict) -> None:
        if phase == "start" and rendering[0]:
            started.append(info["generation"])

    gc.callbacks.append(note)
    try:
        comparison = compare_texts(old, new)
        assert gc.get_count()[0] > gc.get_threshold()[0]  # a collection is due
        rendering[0] = True
        render_comparison_page(comparison)
        rendering[0] = False
    finally:
        gc.callbacks.remove(note)
    assert started == []
