"""The garbage collector of a long-lived process, settled once it has loaded what it keeps.

By the time a web or consumer worker starts serving, it holds Django, every app, the URLconf and the libraries it
preloads: a few hundred thousand objects that live as long as the process. CPython's full collection walks all of
them again every few hundred requests' worth of allocations (measured on the suite, which is such a process: about
a fifth of its CPU). Frozen, they are left out of every collection, and the collector runs less often, on what the
requests themselves make. Cycles are still collected; only the long-lived heap is skipped.
"""

import gc

# Allocations (net) between two youngest-generation collections, and how many of each before the next older one.
THRESHOLDS = (50_000, 20, 50)


def heap_settle() -> None:
    """Collect once, freeze what survives and space out later collections. Call it when start-up has finished."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
