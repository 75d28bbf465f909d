"""The one timer of the benchmarks: run, print the seconds, give back the value and them."""

import time


def timed(label: str, function):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = function()
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.2f} s")
    return value, elapsed
